ALTER TABLE `messages` ADD `visible_seq` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `messages_ticket_visible_seq_idx` ON `messages` (`ticket_id`,`visible_seq`);--> statement-breakpoint
ALTER TABLE `tickets` ADD `visitor_read_visible_seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `agent_read_visible_seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Hand-written backfill (keep at the end when regenerating): number each ticket's
-- customer-visible messages 1..n in seq order, then restate both read marks as the highest
-- visible seq at or below them.
UPDATE `messages` SET `visible_seq` = (
  SELECT count(*) FROM `messages` AS `earlier`
  WHERE `earlier`.`ticket_id` = `messages`.`ticket_id` AND `earlier`.`internal` = 0 AND `earlier`.`seq` <= `messages`.`seq`
) WHERE `internal` = 0;--> statement-breakpoint
UPDATE `tickets` SET
  `visitor_read_visible_seq` = (SELECT coalesce(max(`m`.`visible_seq`), 0) FROM `messages` AS `m` WHERE `m`.`ticket_id` = `tickets`.`id` AND `m`.`seq` <= `tickets`.`visitor_read_seq`),
  `agent_read_visible_seq` = (SELECT coalesce(max(`m`.`visible_seq`), 0) FROM `messages` AS `m` WHERE `m`.`ticket_id` = `tickets`.`id` AND `m`.`seq` <= `tickets`.`agent_read_seq`);
