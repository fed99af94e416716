CREATE TABLE `notify_channels` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`target` text NOT NULL,
	`kind` text NOT NULL,
	`url` text,
	`secret` text,
	`phones` text,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`last_ok_at` integer,
	`failing_since` integer,
	`last_error` text,
	`window_start` integer DEFAULT 0 NOT NULL,
	`window_count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notify_channels_target_idx` ON `notify_channels` (`target`);--> statement-breakpoint
CREATE TABLE `notify_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`channel_id` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`sent_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notify_deliveries_event_channel_idx` ON `notify_deliveries` (`event_id`,`channel_id`);--> statement-breakpoint
CREATE INDEX `notify_deliveries_status_idx` ON `notify_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `notify_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dedupe_key` text,
	`event` text NOT NULL,
	`target` text NOT NULL,
	`data` text NOT NULL,
	`created_at` integer NOT NULL,
	`fanned_out` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notify_events_dedupe_idx` ON `notify_events` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `notify_events_fan_idx` ON `notify_events` (`fanned_out`);