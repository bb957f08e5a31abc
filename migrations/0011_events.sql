CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`type` text NOT NULL,
	`sequence` integer NOT NULL,
	`occurred_at` integer NOT NULL,
	`payload` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_by_account_time` ON `events` (`account_id`,`occurred_at`);
