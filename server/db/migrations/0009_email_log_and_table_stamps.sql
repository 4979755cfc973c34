CREATE TABLE `table_stamps` (
	`name` text PRIMARY KEY NOT NULL,
	`stamp` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `outbox_email_idx` ON `outbox` (`id`) WHERE channel = 'email';--> statement-breakpoint
-- Hand-written (drizzle-kit writes no seed rows or triggers): the stamp of the
-- webhook_endpoints table, changed by every insert, update and delete of an endpoint
-- (whoever makes it), so that each server's in-memory copy of the endpoints notices a
-- change made anywhere (server/db/webhook-endpoint-cache.ts).
INSERT INTO `table_stamps` (`name`, `stamp`) VALUES ('webhook_endpoints', lower(hex(randomblob(8))));--> statement-breakpoint
CREATE TRIGGER `webhook_endpoints_stamp_insert` AFTER INSERT ON `webhook_endpoints` BEGIN
	UPDATE `table_stamps` SET `stamp` = lower(hex(randomblob(8))) WHERE `name` = 'webhook_endpoints';
END;--> statement-breakpoint
CREATE TRIGGER `webhook_endpoints_stamp_update` AFTER UPDATE ON `webhook_endpoints` BEGIN
	UPDATE `table_stamps` SET `stamp` = lower(hex(randomblob(8))) WHERE `name` = 'webhook_endpoints';
END;--> statement-breakpoint
CREATE TRIGGER `webhook_endpoints_stamp_delete` AFTER DELETE ON `webhook_endpoints` BEGIN
	UPDATE `table_stamps` SET `stamp` = lower(hex(randomblob(8))) WHERE `name` = 'webhook_endpoints';
END;
