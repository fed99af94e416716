CREATE TABLE `hand_ins` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`deadline_id` text NOT NULL,
	`unit_code` text NOT NULL,
	`form_id` text NOT NULL,
	`at` integer NOT NULL,
	`day` text NOT NULL,
	`late` integer NOT NULL,
	`row_count` integer NOT NULL,
	`snapshot` text NOT NULL,
	`code_id` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hand_ins_unit_deadline_idx` ON `hand_ins` (`campaign_id`,`deadline_id`,`unit_code`);--> statement-breakpoint
CREATE INDEX `hand_ins_deadline_idx` ON `hand_ins` (`campaign_id`,`deadline_id`);--> statement-breakpoint
ALTER TABLE `submissions` ADD `household_key` text;--> statement-breakpoint
ALTER TABLE `submissions` ADD `repeat_visit` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `submissions` ADD `outside_assignment` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `submissions` ADD `flags_cleared_at` integer;--> statement-breakpoint
CREATE INDEX `submissions_household_idx` ON `submissions` (`household_key`);