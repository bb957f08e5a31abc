-- Retention (src/retention, docs/architecture.md "Retention and deletion"). A conversation's own retention periods
-- (ms; null: the account's) and its legal hold, written by the projection from the Durable Object's row, so the
-- retention job finds what is past its time by index instead of asking every conversation.
ALTER TABLE `conversations` ADD `retention_messages_ms` integer;
--> statement-breakpoint
ALTER TABLE `conversations` ADD `retention_conversation_ms` integer;
--> statement-breakpoint
ALTER TABLE `conversations` ADD `legal_hold` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- Conversations that follow the account's period, oldest activity first.
CREATE INDEX `conversations_retention_default` ON `conversations` (`account_id`, `last_activity_at`, `id`)
	WHERE `retention_conversation_ms` IS NULL AND `legal_hold` = 0;
--> statement-breakpoint
-- Conversations with a period of their own, by when they are due.
CREATE INDEX `conversations_retention_own` ON `conversations` (`account_id`, `last_activity_at` + `retention_conversation_ms`, `id`)
	WHERE `retention_conversation_ms` IS NOT NULL AND `legal_hold` = 0;
--> statement-breakpoint
-- Conversations whose messages have a period of their own (few: each is asked at every run).
CREATE INDEX `conversations_retention_messages_own` ON `conversations` (`account_id`, `id`)
	WHERE `retention_messages_ms` IS NOT NULL AND `legal_hold` = 0;
--> statement-breakpoint
-- The account's live messages (tombstones have deleted_at in their resource), oldest first: how the job finds the
-- conversations that have messages past the account's period.
CREATE INDEX `messages_retention` ON `messages` (`account_id`, `created_at`, `id`) WHERE `resource` ->> '$.deleted_at' IS NULL;
--> statement-breakpoint
-- A deleted conversation's events go with it (but its conversation.deleted): found by conversation.
CREATE INDEX `events_by_conversation` ON `events` (`conversation_id`, `sequence`);
--> statement-breakpoint
-- A deleted message's events (message.added|updated carry it whole) are rewritten to carry its tombstone: found by message.
CREATE INDEX `events_by_message` ON `events` (`payload` ->> '$.data.message.id');
