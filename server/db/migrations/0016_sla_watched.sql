ALTER TABLE `tickets` ADD `sla_watched` integer GENERATED ALWAYS AS ((case when status in ('pending_customer', 'resolved', 'closed') then null
        when first_response_breached_at is not null or resolution_breached_at is not null then null
        when (first_response_at is null and first_response_due_at is not null) or resolution_due_at is not null then 1 end)) VIRTUAL;--> statement-breakpoint
CREATE INDEX `tickets_watched_created_idx` ON `tickets` (`sla_watched`,`created_at`) WHERE sla_watched = 1;--> statement-breakpoint
CREATE INDEX `tickets_watched_updated_idx` ON `tickets` (`sla_watched`,`updated_at`) WHERE sla_watched = 1;--> statement-breakpoint
CREATE INDEX `tickets_watched_priority_idx` ON `tickets` (`sla_watched`,`priority_rank`,`created_at`) WHERE sla_watched = 1;--> statement-breakpoint
CREATE INDEX `tickets_watched_due_idx` ON `tickets` (`sla_watched`,`sla_due_at`) WHERE sla_watched = 1;