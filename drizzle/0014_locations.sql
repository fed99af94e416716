CREATE TABLE `hazard_locations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hazard_id` integer NOT NULL,
	`kind` text DEFAULT 'report' NOT NULL,
	`lat` real NOT NULL,
	`lng` real NOT NULL,
	`accuracy` real NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `hazard_locations_hazard_idx` ON `hazard_locations` (`hazard_id`,`kind`);--> statement-breakpoint
CREATE INDEX `hazard_locations_lat_idx` ON `hazard_locations` (`lat`,`lng`);--> statement-breakpoint
CREATE INDEX `hazards_submission_idx` ON `hazards` (`submission_id`);