-- Hand-written (drizzle-kit does not manage FTS tables): the agent queue's text search.
-- A trigram index finds any substring of three characters or more, as the queue's LIKE does,
-- without reading every ticket: at a million tickets a search that matches nothing otherwise
-- scans the table (seconds). External content: the text stays in `tickets` only.
CREATE VIRTUAL TABLE `tickets_search` USING fts5(number, subject, description, customer_name, customer_email, content='tickets', content_rowid='rowid', tokenize='trigram');
--> statement-breakpoint
CREATE TRIGGER `tickets_search_after_insert` AFTER INSERT ON `tickets` BEGIN
  INSERT INTO tickets_search(rowid, number, subject, description, customer_name, customer_email) VALUES (new.rowid, new.number, new.subject, new.description, new.customer_name, new.customer_email);
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_search_after_delete` AFTER DELETE ON `tickets` BEGIN
  INSERT INTO tickets_search(tickets_search, rowid, number, subject, description, customer_name, customer_email) VALUES ('delete', old.rowid, old.number, old.subject, old.description, old.customer_name, old.customer_email);
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_search_after_update` AFTER UPDATE OF number, subject, description, customer_name, customer_email ON `tickets` BEGIN
  INSERT INTO tickets_search(tickets_search, rowid, number, subject, description, customer_name, customer_email) VALUES ('delete', old.rowid, old.number, old.subject, old.description, old.customer_name, old.customer_email);
  INSERT INTO tickets_search(rowid, number, subject, description, customer_name, customer_email) VALUES (new.rowid, new.number, new.subject, new.description, new.customer_name, new.customer_email);
END;
--> statement-breakpoint
INSERT INTO `tickets_search`(`tickets_search`) VALUES ('rebuild');
