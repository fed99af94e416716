CREATE TABLE `campaign_versions` (
	`campaign_id` integer NOT NULL,
	`version` integer NOT NULL,
	`settings` text NOT NULL,
	`saved_at` integer NOT NULL,
	`saved_by` text NOT NULL,
	PRIMARY KEY(`campaign_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`current` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`settings` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaigns_current_idx` ON `campaigns` (`current`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_ranking_snapshots` (
	`campaign_id` integer DEFAULT 0 NOT NULL,
	`day` text NOT NULL,
	`unit_code` text NOT NULL,
	`grp` text NOT NULL,
	`score_x100` integer NOT NULL,
	`rank` integer NOT NULL,
	`metrics` text NOT NULL,
	`computed_at` integer NOT NULL,
	`weights` text,
	PRIMARY KEY(`campaign_id`, `day`, `unit_code`)
);
--> statement-breakpoint
INSERT INTO `__new_ranking_snapshots`("campaign_id", "day", "unit_code", "grp", "score_x100", "rank", "metrics", "computed_at", "weights") SELECT 0, "day", "unit_code", "grp", "score_x100", "rank", "metrics", "computed_at", NULL FROM `ranking_snapshots`;--> statement-breakpoint
DROP TABLE `ranking_snapshots`;--> statement-breakpoint
ALTER TABLE `__new_ranking_snapshots` RENAME TO `ranking_snapshots`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `ranking_snapshots_grp_idx` ON `ranking_snapshots` (`campaign_id`,`day`,`grp`,`rank`);