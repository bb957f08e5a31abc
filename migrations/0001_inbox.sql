ALTER TABLE `conversation_participants` ADD `last_read_index` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `message_count` integer DEFAULT 0 NOT NULL;