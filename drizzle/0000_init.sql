CREATE TABLE `access_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code_hash` text NOT NULL,
	`role` text NOT NULL,
	`unit_code` text NOT NULL,
	`label` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	`last_used_at` integer,
	FOREIGN KEY (`unit_code`) REFERENCES `units`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `access_codes_hash_idx` ON `access_codes` (`code_hash`);--> statement-breakpoint
CREATE INDEX `access_codes_unit_idx` ON `access_codes` (`unit_code`);--> statement-breakpoint
CREATE TABLE `cadres` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`unit_code` text NOT NULL,
	`name` text NOT NULL,
	`post` text DEFAULT '' NOT NULL,
	`role` text NOT NULL,
	`assigned_code` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`unit_code`) REFERENCES `units`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assigned_code`) REFERENCES `units`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cadres_unit_idx` ON `cadres` (`unit_code`,`active`);--> statement-breakpoint
CREATE TABLE `form_tokens` (
	`token` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`submission_id` integer
);
--> statement-breakpoint
CREATE TABLE `hazard_co_units` (
	`hazard_id` integer NOT NULL,
	`unit_code` text NOT NULL,
	PRIMARY KEY(`hazard_id`, `unit_code`),
	FOREIGN KEY (`hazard_id`) REFERENCES `hazards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `hazard_co_units_unit_idx` ON `hazard_co_units` (`unit_code`);--> statement-breakpoint
CREATE TABLE `hazard_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hazard_id` integer NOT NULL,
	`at` integer NOT NULL,
	`action` text NOT NULL,
	`from_state` text,
	`to_state` text NOT NULL,
	`actor_role` text NOT NULL,
	`actor_unit_code` text,
	`note` text,
	`data` text,
	FOREIGN KEY (`hazard_id`) REFERENCES `hazards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `hazard_events_hazard_idx` ON `hazard_events` (`hazard_id`,`at`);--> statement-breakpoint
CREATE TABLE `hazards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` text NOT NULL,
	`source` text NOT NULL,
	`submission_id` integer,
	`category` text NOT NULL,
	`place` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`reported_unit_code` text,
	`lead_unit_code` text,
	`state` text NOT NULL,
	`deadline` text,
	`deadline_kind` text,
	`overdue` integer DEFAULT false NOT NULL,
	`reminded_at` integer,
	`closed_at` integer,
	`closed_day` text,
	`closed_on_time` integer,
	`duplicate_of` integer,
	`report_count` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`day` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hazards_number_idx` ON `hazards` (`number`);--> statement-breakpoint
CREATE INDEX `hazards_lead_state_idx` ON `hazards` (`lead_unit_code`,`state`);--> statement-breakpoint
CREATE INDEX `hazards_state_deadline_idx` ON `hazards` (`state`,`deadline`);--> statement-breakpoint
CREATE INDEX `hazards_place_idx` ON `hazards` (`category`,`day`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ranking_snapshots` (
	`day` text NOT NULL,
	`unit_code` text NOT NULL,
	`grp` text NOT NULL,
	`score_x100` integer NOT NULL,
	`rank` integer NOT NULL,
	`metrics` text NOT NULL,
	`computed_at` integer NOT NULL,
	PRIMARY KEY(`day`, `unit_code`)
);
--> statement-breakpoint
CREATE INDEX `ranking_snapshots_grp_idx` ON `ranking_snapshots` (`day`,`grp`,`rank`);--> statement-breakpoint
CREATE TABLE `sheet_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tab` text NOT NULL,
	`created_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer DEFAULT 0 NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `sheet_outbox_tab_idx` ON `sheet_outbox` (`tab`);--> statement-breakpoint
CREATE INDEX `sheet_outbox_next_idx` ON `sheet_outbox` (`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `sign_in_failures` (
	`client` text PRIMARY KEY NOT NULL,
	`failures` integer NOT NULL,
	`last_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `submission_audit` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`submission_id` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`at` integer NOT NULL,
	`before` text,
	`after` text
);
--> statement-breakpoint
CREATE INDEX `submission_audit_submission_idx` ON `submission_audit` (`submission_id`);--> statement-breakpoint
CREATE TABLE `submission_personal` (
	`submission_id` integer PRIMARY KEY NOT NULL,
	`data` text NOT NULL,
	FOREIGN KEY (`submission_id`) REFERENCES `submissions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `submissions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`form_id` text NOT NULL,
	`form_version` integer NOT NULL,
	`unit_code` text,
	`rollup_code` text,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	`day` text NOT NULL,
	`payload` text NOT NULL,
	`receipt` text NOT NULL,
	`idempotency_key` text,
	`request_hash` text,
	`cadre_id` integer,
	`satisfaction` text,
	`aware` integer,
	`participated` integer,
	`task_id` text,
	`quantity` integer,
	`updated_at` integer,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `submissions_receipt_idx` ON `submissions` (`receipt`);--> statement-breakpoint
CREATE UNIQUE INDEX `submissions_idempotency_idx` ON `submissions` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `submissions_form_unit_day_idx` ON `submissions` (`form_id`,`unit_code`,`day`);--> statement-breakpoint
CREATE INDEX `submissions_form_rollup_day_idx` ON `submissions` (`form_id`,`rollup_code`,`day`);--> statement-breakpoint
CREATE INDEX `submissions_cadre_day_idx` ON `submissions` (`cadre_id`,`day`);--> statement-breakpoint
CREATE TABLE `units` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`parent_code` text,
	`population` integer
);
--> statement-breakpoint
CREATE INDEX `units_parent_idx` ON `units` (`parent_code`);--> statement-breakpoint
CREATE INDEX `units_kind_idx` ON `units` (`kind`);