CREATE TABLE `agent_sites` (
	`agent_id` text NOT NULL,
	`site_id` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`agent_id`, `site_id`),
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `agent_sites_site_idx` ON `agent_sites` (`site_id`,`agent_id`);--> statement-breakpoint
-- Hand-written backfill: before this migration every agent worked on every site. Agents that
-- exist when it runs keep exactly that (a membership of each existing site), so an upgrade
-- hides nothing from anyone; agents created afterwards start with the sites they are given.
INSERT INTO `agent_sites` (`agent_id`, `site_id`) SELECT `agents`.`id`, `sites`.`id` FROM `agents`, `sites`;
