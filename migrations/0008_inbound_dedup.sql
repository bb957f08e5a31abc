CREATE TABLE `inbound_messages` (
	`account_id` text NOT NULL,
	`provider` text NOT NULL,
	`provider_message_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`stored_at` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `provider`, `provider_message_id`)
);
--> statement-breakpoint
CREATE TABLE `webhook_tokens` (
	`token` text PRIMARY KEY NOT NULL,
	`seen_at` integer NOT NULL
);
