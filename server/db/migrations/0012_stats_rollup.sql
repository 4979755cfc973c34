CREATE TABLE `stats_daily` (
	`site_id` text NOT NULL,
	`day` text NOT NULL,
	`department_id` text DEFAULT '' NOT NULL,
	`agent_id` text DEFAULT '' NOT NULL,
	`created` integer DEFAULT 0 NOT NULL,
	`resolved` integer DEFAULT 0 NOT NULL,
	`closed` integer DEFAULT 0 NOT NULL,
	`first_response` text NOT NULL,
	`resolution` text NOT NULL,
	`first_response_met` integer DEFAULT 0 NOT NULL,
	`first_response_missed` integer DEFAULT 0 NOT NULL,
	`resolution_met` integer DEFAULT 0 NOT NULL,
	`resolution_missed` integer DEFAULT 0 NOT NULL,
	`ratings` text NOT NULL,
	PRIMARY KEY(`site_id`, `day`, `department_id`, `agent_id`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `stats_days` (
	`site_id` text NOT NULL,
	`day` text NOT NULL,
	`rolled_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `day`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
