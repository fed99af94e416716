CREATE TABLE `suggestion_replies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`submission_id` integer NOT NULL,
	`status` text NOT NULL,
	`note` text,
	`unit_code` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`submission_id`) REFERENCES `submissions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `suggestion_replies_submission_idx` ON `suggestion_replies` (`submission_id`,`at`);