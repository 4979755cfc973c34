ALTER TABLE `agents` ADD `token_epoch` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `faq_votes` ADD `address_hash` text;--> statement-breakpoint
ALTER TABLE `faq_votes` ADD `day` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `faq_votes_address_day_idx` ON `faq_votes` (`faq_id`,`address_hash`,`day`);--> statement-breakpoint
ALTER TABLE `sites` ADD `token_epoch` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `visitors` ADD `name_verified` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `visitors` ADD `email_verified` integer DEFAULT false NOT NULL;