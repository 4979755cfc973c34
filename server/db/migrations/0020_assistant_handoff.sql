ALTER TABLE `sites` ADD `assistant_enabled` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `handed_off_at` integer;