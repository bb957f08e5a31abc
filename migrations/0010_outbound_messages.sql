CREATE TABLE `outbound_messages` (
	`provider` text NOT NULL,
	`provider_message_id` text NOT NULL,
	`account_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`message_index` integer NOT NULL,
	`participant_id` text NOT NULL,
	`channel` text NOT NULL,
	`address` text NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `provider_message_id`)
);
--> statement-breakpoint
CREATE INDEX `outbound_by_address` ON `outbound_messages` (`account_id`,`channel`,`address`,`sent_at`);
--> statement-breakpoint
CREATE TABLE `early_receipts` (
	`provider` text NOT NULL,
	`provider_message_id` text NOT NULL,
	`status` text NOT NULL,
	`account_id` text NOT NULL,
	`error_code` text,
	`reason` text,
	`at` integer NOT NULL,
	PRIMARY KEY(`provider`, `provider_message_id`, `status`)
);
