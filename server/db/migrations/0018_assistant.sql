CREATE TABLE `assistant_interactions` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`ticket_id` text,
	`visitor_id` text,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`prompt` text NOT NULL,
	`response` text NOT NULL,
	`citations` text NOT NULL,
	`latency_ms` integer NOT NULL,
	`confidence` real NOT NULL,
	`tokens_in` integer DEFAULT 0 NOT NULL,
	`tokens_out` integer DEFAULT 0 NOT NULL,
	`handoff` integer NOT NULL,
	`error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `assistant_interactions_site_idx` ON `assistant_interactions` (`site_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `assistant_usage_daily` (
	`site_id` text NOT NULL,
	`day` text NOT NULL,
	`interactions` integer NOT NULL,
	`tokens` integer NOT NULL,
	`trailing_mean` real NOT NULL,
	`anomaly` integer NOT NULL,
	`computed_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `day`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `sites` ADD `assistant_threshold` real DEFAULT 0.35 NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `assistant_monthly_tokens` integer DEFAULT 0 NOT NULL;