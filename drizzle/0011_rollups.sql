CREATE TABLE `rollup_answers` (
	`unit` text NOT NULL,
	`day` text NOT NULL,
	`s_num` integer NOT NULL,
	`s_den` integer NOT NULL,
	`a_num` integer NOT NULL,
	`a_den` integer NOT NULL,
	`p_num` integer NOT NULL,
	`p_den` integer NOT NULL,
	PRIMARY KEY(`unit`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `rollup_hazards` (
	`unit` text NOT NULL,
	`day` text NOT NULL,
	`deadline` text NOT NULL,
	`closed_day` text NOT NULL,
	`on_time` integer NOT NULL,
	`waiting` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`unit`, `day`, `deadline`, `closed_day`, `on_time`, `waiting`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `rollup_task_reports` (
	`unit` text NOT NULL,
	`task_id` text NOT NULL,
	`day` text NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`unit`, `task_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `rollup_visits` (
	`cadre_id` integer NOT NULL,
	`day` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`cadre_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `submissions_visit_cover_idx` ON `submissions` (`form_id`,`cadre_id`,`day`,`deleted_at`,`household_key`,`flags_cleared_at`);--> statement-breakpoint
CREATE INDEX `submissions_household_live_idx` ON `submissions` (`household_key`,`deleted_at`);--> statement-breakpoint
CREATE INDEX `submissions_answer_cover_idx` ON `submissions` (`form_id`,`day`,`deleted_at`,`unranked`,`rollup_code`,`unit_code`,`satisfaction`,`aware`,`participated`);--> statement-breakpoint
CREATE INDEX `submissions_task_cover_idx` ON `submissions` (`form_id`,`day`,`deleted_at`,`task_id`,`rollup_code`,`unit_code`,`quantity`);