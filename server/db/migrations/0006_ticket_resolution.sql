ALTER TABLE `tickets` ADD `resolved_by` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `resolution` text;