CREATE TABLE `message_search_pending` (
	`message_rowid` integer PRIMARY KEY NOT NULL
);
--> statement-breakpoint
DROP TRIGGER `messages_fts_after_insert`;
--> statement-breakpoint
CREATE TRIGGER `messages_search_pending_after_insert` AFTER INSERT ON `messages` BEGIN
  INSERT INTO message_search_pending(message_rowid) VALUES (new.rowid);
END;
--> statement-breakpoint
DROP TRIGGER `messages_fts_after_delete`;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_after_delete` AFTER DELETE ON `messages` BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, body) SELECT 'delete', old.rowid, old.body WHERE NOT EXISTS (SELECT 1 FROM message_search_pending WHERE message_rowid = old.rowid);
  DELETE FROM message_search_pending WHERE message_rowid = old.rowid;
END;
--> statement-breakpoint
DROP TRIGGER `messages_fts_after_update`;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_after_update` AFTER UPDATE OF body ON `messages` WHEN NOT EXISTS (SELECT 1 FROM message_search_pending WHERE message_rowid = old.rowid) BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
  INSERT INTO messages_fts(rowid, body) VALUES (new.rowid, new.body);
END;
