CREATE TABLE `faq_related` (
	`faq_id` text NOT NULL,
	`related_id` text NOT NULL,
	`rank` integer NOT NULL,
	PRIMARY KEY(`faq_id`, `related_id`),
	FOREIGN KEY (`faq_id`) REFERENCES `faqs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`related_id`) REFERENCES `faqs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `help_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` text NOT NULL,
	`visitor_id` text NOT NULL,
	`kind` text NOT NULL,
	`faq_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`visitor_id`) REFERENCES `visitors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`faq_id`) REFERENCES `faqs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `help_events_site_created_idx` ON `help_events` (`site_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `help_events_visitor_created_idx` ON `help_events` (`visitor_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `faqs` ADD `published_at` integer;--> statement-breakpoint
ALTER TABLE `faqs` ADD `tags` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `faqs` ADD `position` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Articles published before there was a published_at count as published when they were written.
UPDATE `faqs` SET `published_at` = `created_at` WHERE `published` = 1;
--> statement-breakpoint
-- The words of the help centre, for correcting a misspelt search word (server/faqs/typos.ts).
CREATE VIRTUAL TABLE `faqs_fts_vocab` USING fts5vocab(`faqs_fts`, 'row');
--> statement-breakpoint
-- Full-text search over ticket messages for agents. External content keyed by the messages'
-- rowid; kept in sync by the triggers below, so every writer of messages keeps it right.
CREATE VIRTUAL TABLE `messages_fts` USING fts5(body, content='messages', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2', prefix='2');
--> statement-breakpoint
CREATE TRIGGER `messages_fts_after_insert` AFTER INSERT ON `messages` BEGIN
  INSERT INTO messages_fts(rowid, body) VALUES (new.rowid, new.body);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_after_delete` AFTER DELETE ON `messages` BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_after_update` AFTER UPDATE OF body ON `messages` BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
  INSERT INTO messages_fts(rowid, body) VALUES (new.rowid, new.body);
END;
--> statement-breakpoint
INSERT INTO `messages_fts`(`messages_fts`) VALUES ('rebuild');
