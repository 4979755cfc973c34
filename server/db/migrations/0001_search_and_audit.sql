-- Full-text search over FAQ articles. External-content FTS5 table kept in sync by triggers,
-- so the articles stay the single source of truth.
CREATE VIRTUAL TABLE `faqs_fts` USING fts5(title, body, content='faqs', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `faqs_fts_after_insert` AFTER INSERT ON `faqs` BEGIN
  INSERT INTO faqs_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
--> statement-breakpoint
CREATE TRIGGER `faqs_fts_after_delete` AFTER DELETE ON `faqs` BEGIN
  INSERT INTO faqs_fts(faqs_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
END;
--> statement-breakpoint
CREATE TRIGGER `faqs_fts_after_update` AFTER UPDATE OF title, body ON `faqs` BEGIN
  INSERT INTO faqs_fts(faqs_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
  INSERT INTO faqs_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
--> statement-breakpoint
-- The audit trail is immutable: history can be appended to, never rewritten.
CREATE TRIGGER `ticket_events_no_update` BEFORE UPDATE ON `ticket_events` BEGIN
  SELECT RAISE(ABORT, 'ticket_events is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_events_no_delete` BEFORE DELETE ON `ticket_events` BEGIN
  SELECT RAISE(ABORT, 'ticket_events is append-only');
END;
