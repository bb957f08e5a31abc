CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`name` text,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE INDEX `api_keys_account` ON `api_keys` (`account_id`);--> statement-breakpoint
CREATE TABLE `conversation_names` (
	`account_id` text NOT NULL,
	`unique_name` text NOT NULL,
	`conversation_id` text NOT NULL,
	PRIMARY KEY(`account_id`, `unique_name`)
);
--> statement-breakpoint
CREATE TABLE `conversation_participants` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`kind` text NOT NULL,
	`channel` text NOT NULL,
	`address` text,
	`identity` text
);
--> statement-breakpoint
CREATE INDEX `participants_conversation` ON `conversation_participants` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `participants_address` ON `conversation_participants` (`account_id`,`address`);--> statement-breakpoint
CREATE INDEX `participants_identity` ON `conversation_participants` (`account_id`,`identity`);--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`status` text NOT NULL,
	`channel` text,
	`tags` text NOT NULL,
	`last_activity_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`version` integer NOT NULL,
	`resource` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `conversations_activity` ON `conversations` (`account_id`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `conversations_created` ON `conversations` (`account_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `conversations_status` ON `conversations` (`account_id`,`status`,`last_activity_at`);--> statement-breakpoint
CREATE TABLE `creation_keys` (
	`account_id` text NOT NULL,
	`key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`conversation_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`idx` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`resource` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_conversation_index` ON `messages` (`conversation_id`,`idx`);--> statement-breakpoint
CREATE INDEX `messages_account` ON `messages` (`account_id`,`created_at`);