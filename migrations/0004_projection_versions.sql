CREATE TABLE `deleted_conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`deleted_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `removed_participants` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `removed_participants_conversation` ON `removed_participants` (`conversation_id`);--> statement-breakpoint
ALTER TABLE `conversation_participants` ADD `version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `conversations` SET `version` = 0;