DROP INDEX `tickets_queue_due_idx`;--> statement-breakpoint
DROP INDEX `tickets_status_due_idx`;--> statement-breakpoint
DROP INDEX `tickets_assignee_due_idx`;--> statement-breakpoint
DROP INDEX `tickets_assignee_status_due_idx`;--> statement-breakpoint
ALTER TABLE `tickets` ADD `first_response_warn_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `resolution_warn_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `first_response_breached_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `resolution_breached_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `first_response_warned_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `resolution_warned_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_clock` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_paused_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_paused_ms` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_due_at` integer GENERATED ALWAYS AS ((case when status in ('pending_customer', 'resolved', 'closed') then 9000000000000000 when first_response_at is null and first_response_due_at is not null then coalesce(first_response_due_at, 9000000000000000) else coalesce(resolution_due_at, 9000000000000000) end)) VIRTUAL NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_warn_at` integer GENERATED ALWAYS AS ((case when status in ('pending_customer', 'resolved', 'closed') then 9000000000000000 when first_response_at is null and first_response_due_at is not null then coalesce(first_response_warn_at, 9000000000000000) else coalesce(resolution_warn_at, 9000000000000000) end)) VIRTUAL NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_alarm_at` integer GENERATED ALWAYS AS ((case when status in ('pending_customer', 'resolved', 'closed') then null
        when first_response_at is null and first_response_due_at is not null then
          case when first_response_breached_at is not null then null when first_response_warned_at is null then first_response_warn_at else first_response_due_at end
        when resolution_due_at is not null then
          case when resolution_breached_at is not null then null when resolution_warned_at is null then resolution_warn_at else resolution_due_at end
        end)) VIRTUAL;--> statement-breakpoint
CREATE INDEX `tickets_sla_alarm_idx` ON `tickets` (`sla_alarm_at`) WHERE sla_alarm_at is not null;--> statement-breakpoint
CREATE INDEX `tickets_queue_due_idx` ON `tickets` (`sla_due_at`);--> statement-breakpoint
CREATE INDEX `tickets_status_due_idx` ON `tickets` (`status`,`sla_due_at`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_due_idx` ON `tickets` (`assignee_id`,`sla_due_at`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_status_due_idx` ON `tickets` (`assignee_id`,`status`,`sla_due_at`);--> statement-breakpoint
ALTER TABLE `tickets` DROP COLUMN `due_key`;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_sla_policies` (
	`id` text PRIMARY KEY DEFAULT (lower(hex(randomblob(16)))) NOT NULL,
	`priority` text,
	`category_id` text,
	`first_response_minutes` integer NOT NULL,
	`resolution_minutes` integer NOT NULL,
	`business_hours` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Edited by hand: drizzle-kit copies columns the old per-priority table never had. The old rows keep their targets; id, business_hours and the times take their defaults.
INSERT INTO `__new_sla_policies`("priority", "first_response_minutes", "resolution_minutes") SELECT "priority", "first_response_minutes", "resolution_minutes" FROM `sla_policies`;--> statement-breakpoint
DROP TABLE `sla_policies`;--> statement-breakpoint
ALTER TABLE `__new_sla_policies` RENAME TO `sla_policies`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `sla_policies_priority_category_idx` ON `sla_policies` (`priority`,`category_id`) WHERE priority is not null and category_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `sla_policies_priority_idx` ON `sla_policies` (`priority`) WHERE category_id is null;--> statement-breakpoint
CREATE UNIQUE INDEX `sla_policies_category_idx` ON `sla_policies` (`category_id`) WHERE priority is null;--> statement-breakpoint
-- Hand-written (keep at the end when regenerating): tickets opened before this migration had
-- their due times counted around the clock from creation. Their warnings sit at 80 % of the
-- same span, and their clock says so; tickets waiting on the customer start their pause now.
UPDATE `tickets` SET
  `sla_clock` = 'continuous',
  `first_response_warn_at` = `created_at` + ((`first_response_due_at` - `created_at`) * 4) / 5,
  `resolution_warn_at` = `created_at` + ((`resolution_due_at` - `created_at`) * 4) / 5
  WHERE `resolution_due_at` IS NOT NULL AND `first_response_due_at` IS NOT NULL;--> statement-breakpoint
UPDATE `tickets` SET `sla_paused_at` = coalesce(`resolved_at`, `updated_at`) WHERE `status` IN ('pending_customer', 'resolved') AND `sla_clock` IS NOT NULL;
