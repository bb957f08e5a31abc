CREATE TABLE `channels` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`type` text NOT NULL,
	`provider` text NOT NULL,
	`sender` text NOT NULL,
	`base_url` text,
	`friendly_name` text,
	`key_id` text,
	`ciphertext` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `channels_sender` ON `channels` (`account_id`,`type`,`sender`);--> statement-breakpoint
CREATE INDEX `channels_account` ON `channels` (`account_id`,`id`);