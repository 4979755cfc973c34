ALTER TABLE `tickets` ADD `page_url` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `customer_locale` text;