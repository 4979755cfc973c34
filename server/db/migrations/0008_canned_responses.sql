CREATE TABLE `canned_responses` (
	`id` text PRIMARY KEY NOT NULL,
	`scope` text NOT NULL,
	`site_id` text,
	`department_id` text,
	`agent_id` text,
	`owner_id` text GENERATED ALWAYS AS (coalesce(site_id, department_id, agent_id)) VIRTUAL NOT NULL,
	`shortcut` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `canned_responses_owner_shortcut_idx` ON `canned_responses` (`scope`,`owner_id`,`shortcut`);--> statement-breakpoint
CREATE INDEX `canned_responses_agent_idx` ON `canned_responses` (`agent_id`,`shortcut`);--> statement-breakpoint
CREATE INDEX `canned_responses_department_idx` ON `canned_responses` (`department_id`,`shortcut`);--> statement-breakpoint
CREATE INDEX `canned_responses_site_idx` ON `canned_responses` (`site_id`,`shortcut`);