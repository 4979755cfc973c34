CREATE TABLE `routing_pointers` (
	`site_id` text NOT NULL,
	`department_key` text NOT NULL,
	`last_agent_id` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `department_key`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `agents` ADD `skills` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `routing` text DEFAULT 'manual' NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `release_on_away` integer DEFAULT false NOT NULL;