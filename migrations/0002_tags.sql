CREATE TABLE `conversation_tags` (
	`account_id` text NOT NULL,
	`tag` text NOT NULL,
	`conversation_id` text NOT NULL,
	PRIMARY KEY(`account_id`, `tag`, `conversation_id`)
);
--> statement-breakpoint
CREATE INDEX `conversation_tags_conversation` ON `conversation_tags` (`conversation_id`);--> statement-breakpoint
INSERT OR IGNORE INTO `conversation_tags` (`account_id`, `tag`, `conversation_id`) SELECT c.`account_id`, j.value, c.`id` FROM `conversations` c, json_each(c.`tags`) j;
