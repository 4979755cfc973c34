DROP INDEX `tickets_assignee_status_idx`;--> statement-breakpoint
DROP INDEX `tickets_status_priority_idx`;--> statement-breakpoint
ALTER TABLE `tickets` ADD `priority_rank` integer GENERATED ALWAYS AS ((case priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end)) VIRTUAL NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `due_key` integer GENERATED ALWAYS AS (coalesce(resolution_due_at, 9000000000000000)) VIRTUAL NOT NULL;--> statement-breakpoint
CREATE INDEX `tickets_queue_updated_idx` ON `tickets` (`updated_at`);--> statement-breakpoint
CREATE INDEX `tickets_queue_priority_idx` ON `tickets` (`priority_rank`,`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_queue_due_idx` ON `tickets` (`due_key`);--> statement-breakpoint
CREATE INDEX `tickets_status_created_idx` ON `tickets` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_status_updated_idx` ON `tickets` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `tickets_status_due_idx` ON `tickets` (`status`,`due_key`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_created_idx` ON `tickets` (`assignee_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_updated_idx` ON `tickets` (`assignee_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_priority_idx` ON `tickets` (`assignee_id`,`priority_rank`,`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_due_idx` ON `tickets` (`assignee_id`,`due_key`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_status_created_idx` ON `tickets` (`assignee_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_status_updated_idx` ON `tickets` (`assignee_id`,`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_status_priority_idx` ON `tickets` (`assignee_id`,`status`,`priority_rank`,`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_status_due_idx` ON `tickets` (`assignee_id`,`status`,`due_key`);--> statement-breakpoint
CREATE INDEX `tickets_status_priority_idx` ON `tickets` (`status`,`priority_rank`,`created_at`);--> statement-breakpoint
ALTER TABLE `agents` ADD `token_epoch` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `faq_votes` ADD `address_hash` text;--> statement-breakpoint
ALTER TABLE `faq_votes` ADD `day` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `faq_votes_address_day_idx` ON `faq_votes` (`faq_id`,`address_hash`,`day`);--> statement-breakpoint
ALTER TABLE `sites` ADD `token_epoch` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `visitors` ADD `name_verified` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `visitors` ADD `email_verified` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Hand-written (drizzle-kit does not manage the FTS table): the help-centre index gains prefix
-- indexes for 1–3 characters. Search turns every word into a prefix term ("pass"*), and
-- without them each short prefix is expanded over the whole term list on every query.
-- The sync triggers of 0001 name faqs_fts and keep working on the new table.
DROP TABLE `faqs_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `faqs_fts` USING fts5(title, body, content='faqs', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2', prefix='1 2 3');
--> statement-breakpoint
INSERT INTO `faqs_fts`(`faqs_fts`) VALUES ('rebuild');
