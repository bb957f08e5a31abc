-- AI reply drafts across an account's conversations, for GET /v1/drafts (the review queue). A read model: each
-- conversation's Durable Object holds its drafts and writes them here through its `drafts` outbox sink, in order,
-- a row replaced only by a newer version (the outbox sequence that carried it).
CREATE TABLE `drafts` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`version` integer NOT NULL,
	`resource` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `drafts_by_status` ON `drafts` (`account_id`, `status`, `created_at`, `id`);
--> statement-breakpoint
CREATE INDEX `drafts_by_account` ON `drafts` (`account_id`, `created_at`, `id`);
--> statement-breakpoint
CREATE INDEX `drafts_by_conversation` ON `drafts` (`conversation_id`);
