CREATE TABLE `suggestion_forwards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`submission_id` integer NOT NULL,
	`unit_code` text NOT NULL,
	`deadline` text NOT NULL,
	`state` text NOT NULL,
	`draft` text,
	`reason` text,
	`forwarded_at` integer NOT NULL,
	`drafted_at` integer,
	`decided_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `suggestion_forwards_unit_idx` ON `suggestion_forwards` (`submission_id`,`unit_code`);--> statement-breakpoint
CREATE INDEX `suggestion_forwards_deadline_idx` ON `suggestion_forwards` (`state`,`deadline`);