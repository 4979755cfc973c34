CREATE TABLE `search_index_marks` (
	`name` text PRIMARY KEY NOT NULL,
	`through` integer NOT NULL
);
--> statement-breakpoint
-- The messages still waiting are always the newest ones (the indexer takes them in rowid order),
-- so everything below the first of them is indexed; with none waiting, everything is.
INSERT INTO `search_index_marks` (`name`, `through`) VALUES ('messages', coalesce((SELECT min(message_rowid) FROM message_search_pending) - 1, (SELECT max(rowid) FROM messages), 0));
--> statement-breakpoint
DROP TRIGGER `messages_search_pending_after_insert`;
--> statement-breakpoint
DROP TRIGGER `messages_fts_after_delete`;
--> statement-breakpoint
-- A deleted message leaves the index if it was in it. SQLite gives the next message the highest
-- rowid left plus one, so a mark above that comes down to it: the next message is then above
-- the mark and gets indexed, even where it takes the rowid of the one deleted.
CREATE TRIGGER `messages_fts_after_delete` AFTER DELETE ON `messages` BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, body) SELECT 'delete', old.rowid, old.body WHERE old.rowid <= (SELECT through FROM search_index_marks WHERE name = 'messages');
  UPDATE search_index_marks SET through = (SELECT coalesce(max(rowid), 0) FROM messages) WHERE name = 'messages' AND through > (SELECT coalesce(max(rowid), 0) FROM messages);
END;
--> statement-breakpoint
DROP TRIGGER `messages_fts_after_update`;
--> statement-breakpoint
-- An edit reaches the index only for an indexed message; one above the mark is indexed as it then reads.
CREATE TRIGGER `messages_fts_after_update` AFTER UPDATE OF body ON `messages` WHEN old.rowid <= (SELECT through FROM search_index_marks WHERE name = 'messages') BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
  INSERT INTO messages_fts(rowid, body) VALUES (new.rowid, new.body);
END;
--> statement-breakpoint
DROP TABLE `message_search_pending`;
