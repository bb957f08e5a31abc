CREATE TABLE `contact_threads` (
	`account_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`claimed_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `contact_id`),
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
