ALTER TABLE `submissions` ADD `address_key` text;--> statement-breakpoint
ALTER TABLE `submissions` ADD `unranked` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `submissions_address_unit_day_idx` ON `submissions` (`address_key`,`unit_code`,`day`);