CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`code_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`code_id`) REFERENCES `access_codes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_code_idx` ON `sessions` (`code_id`);