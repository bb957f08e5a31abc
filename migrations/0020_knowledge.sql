-- The knowledge base the AI drafts answer from (src/ai/knowledge/, docs/architecture.md "AI drafts and handoff").
-- Hand-written: drizzle cannot describe FTS5 tables or triggers.
--
-- Documents are split into passages; each version of a document has its own passages. A new version (or a deletion)
-- retires the old passages: they leave the index (live = 0) and are deleted, except those a draft cited (cited = 1),
-- which stay so that what a draft quoted can still be read by id with the version it came from.
--
-- Partitioned by account like the message index (0014): every passage of an account has a rowid in
-- [n * 2^40, (n + 1) * 2^40), n being the account's number in search_accounts, and every retrieval puts the FTS5 rowid
-- in that range (computed inside the statement: D1 binds numbers as REAL, which FTS5 ignores as a rowid bound). The
-- ranking is BM25 from the account's own statistics (knowledge_accounts, and the account's matches per term), so
-- another account's documents change neither what is read nor a score.
CREATE TABLE `knowledge_documents` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`title` text NOT NULL,
	`topic` text,
	`format` text NOT NULL,
	`content` text NOT NULL,
	`version` integer NOT NULL,
	`passage_count` integer NOT NULL,
	`revision` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `knowledge_documents_by_account` ON `knowledge_documents` (`account_id`, `id`);
--> statement-breakpoint
CREATE TABLE `knowledge_passages` (
	`doc` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL UNIQUE,
	`account_id` text NOT NULL,
	`document_id` text NOT NULL,
	`version` integer NOT NULL,
	`position` integer NOT NULL,
	`heading` text NOT NULL,
	`body` text NOT NULL,
	`live` integer NOT NULL,
	`cited` integer NOT NULL DEFAULT 0
);
--> statement-breakpoint
CREATE INDEX `knowledge_passages_by_document` ON `knowledge_passages` (`document_id`, `version`, `position`);
--> statement-breakpoint
-- BM25's statistics of the account's live passages: how many, and their length in characters (heading and body).
CREATE TABLE `knowledge_accounts` (
	`account_id` text PRIMARY KEY NOT NULL,
	`passages` integer NOT NULL DEFAULT 0,
	`chars` integer NOT NULL DEFAULT 0
);
--> statement-breakpoint
CREATE VIRTUAL TABLE `knowledge_fts` USING fts5(heading, body, content='knowledge_passages', content_rowid='doc', columnsize=0, tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co M*'");
--> statement-breakpoint
CREATE TRIGGER `knowledge_passages_insert` AFTER INSERT ON `knowledge_passages` WHEN new.live = 1 BEGIN
	INSERT INTO knowledge_fts (rowid, heading, body) VALUES (new.doc, new.heading, new.body);
	INSERT INTO knowledge_accounts (account_id, passages, chars) VALUES (new.account_id, 1, length(new.heading) + length(new.body))
		ON CONFLICT (account_id) DO UPDATE SET passages = passages + 1, chars = chars + excluded.chars;
END;
--> statement-breakpoint
CREATE TRIGGER `knowledge_passages_retire` AFTER UPDATE OF live ON `knowledge_passages` WHEN old.live = 1 AND new.live = 0 BEGIN
	INSERT INTO knowledge_fts (knowledge_fts, rowid, heading, body) VALUES ('delete', old.doc, old.heading, old.body);
	UPDATE knowledge_accounts SET passages = passages - 1, chars = chars - length(old.heading) - length(old.body) WHERE account_id = old.account_id;
END;
--> statement-breakpoint
CREATE TRIGGER `knowledge_passages_delete` AFTER DELETE ON `knowledge_passages` WHEN old.live = 1 BEGIN
	INSERT INTO knowledge_fts (knowledge_fts, rowid, heading, body) VALUES ('delete', old.doc, old.heading, old.body);
	UPDATE knowledge_accounts SET passages = passages - 1, chars = chars - length(old.heading) - length(old.body) WHERE account_id = old.account_id;
END;
