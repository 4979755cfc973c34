CREATE TABLE `job_claims` (
	`job` text NOT NULL,
	`item` text NOT NULL,
	`claimed_at` integer NOT NULL,
	PRIMARY KEY(`job`, `item`)
);
--> statement-breakpoint
CREATE TABLE `job_leases` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL,
	`taken_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job` text NOT NULL,
	`holder` text NOT NULL,
	`trigger` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`items_done` integer DEFAULT 0 NOT NULL,
	`items_skipped` integer DEFAULT 0 NOT NULL,
	`items_failed` integer DEFAULT 0 NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `job_runs_job_idx` ON `job_runs` (`job`,`id`);--> statement-breakpoint
ALTER TABLE `sites` ADD `auto_close_days` integer DEFAULT 7;--> statement-breakpoint
ALTER TABLE `sites` ADD `rating_reminder_hours` integer DEFAULT 24;--> statement-breakpoint
ALTER TABLE `sites` ADD `unassigned_escalation_hours` integer DEFAULT 48;--> statement-breakpoint
ALTER TABLE `sites` ADD `chat_idle_hours` integer DEFAULT 24;