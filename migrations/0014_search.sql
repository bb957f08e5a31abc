-- Full-text search over message history and conversation names (src/db/queries/search.ts, docs/architecture.md "Search").
-- Hand-written: drizzle cannot describe virtual tables or triggers. The index is kept in step with `messages`,
-- `conversations` and `contacts` by triggers, so every path that writes those rows (the projection's upserts and
-- deletes, the direct write of an oversized message, a re-projection) updates the index in the same transaction.
--
-- Partitioning. Each account gets a number n in this database (search_accounts), and every document of the account
-- a rowid in [n * 2^40, (n + 1) * 2^40): a query constrains the FTS5 rowid to that range, which FTS5 seeks to in each
-- posting list, so the postings of other accounts are not read. Ranking uses the account's own statistics (docs,
-- chars and the matches themselves), never FTS5's bm25(), whose IDF pass reads a term's postings table-wide.
--
-- Two indexes over the same documents: search_words (unicode61: words, prefixes, phrases, for scripts that put spaces
-- between words) and search_grams (trigram: substrings, for the scripts that do not: Han, kana, Hangul, Thai, Lao,
-- Khmer, Myanmar; and emoji, which unicode61 drops). search_grams holds only the messages that contain such a
-- character (search_docs.grams), tested with the two GLOB classes below (two, because D1 refuses a pattern over 50
-- bytes), whose ranges (hex) are: 0E00-0EFF Thai, Lao; 1000-109F Myanmar; 1100-11FF Hangul Jamo; 1780-17FF Khmer;
-- 2600-2BFF symbols and dingbats (emoji); 2E80-A4CF CJK radicals, punctuation, kana, Bopomofo, Hangul Jamo, CJK
-- ideographs, Yi; AC00-D7AF Hangul; F900-FAFF CJK compatibility; FF66-FF9F halfwidth kana; 1F000-1FAFF emoji;
-- 20000-3134F CJK extensions. src/api/search/query.ts routes queries with the same ranges (GRAM_RANGES); a test
-- checks that the two agree.
CREATE TABLE `search_accounts` (
	`account_id` text PRIMARY KEY NOT NULL,
	`n` integer NOT NULL UNIQUE,
	`docs` integer NOT NULL DEFAULT 0,
	`chars` integer NOT NULL DEFAULT 0
);
--> statement-breakpoint
-- One row per indexed message: its rowid in the indexes (`doc`), and what the filters and the ranking read without
-- opening the message. channel and author_kind are set when the message is created and never change.
CREATE TABLE `search_docs` (
	`doc` integer PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL UNIQUE,
	`conversation_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`channel` text,
	`author_kind` text,
	`len` integer NOT NULL,
	`grams` integer NOT NULL
);
--> statement-breakpoint
-- A query of only one- or two-character terms in those scripts cannot use the trigram index; it reads the account's
-- gram documents newest first through this index instead (LIMITS.searchScanMessages of them at most).
CREATE INDEX `search_docs_grams` ON `search_docs` (`doc`) WHERE `grams` = 1;
--> statement-breakpoint
-- External content: the bodies stay in `messages`, read through these views when a snippet or a highlight needs them.
CREATE VIEW `search_words_content` AS SELECT d.doc AS doc, m.body AS body FROM search_docs d JOIN messages m ON m.id = d.message_id;
--> statement-breakpoint
CREATE VIEW `search_grams_content` AS SELECT d.doc AS doc, m.body AS body FROM search_docs d JOIN messages m ON m.id = d.message_id WHERE d.grams = 1;
--> statement-breakpoint
-- unicode61 with marks (M*) as part of words, so Devanagari, Bengali or vocalised Arabic words stay whole; Latin
-- diacritics are folded (remove_diacritics 2: "cafe" finds "café"). columnsize=0: nothing reads FTS5's document sizes.
CREATE VIRTUAL TABLE `search_words` USING fts5(body, content='search_words_content', content_rowid='doc', columnsize=0, tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co M*'");
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_grams` USING fts5(body, content='search_grams_content', content_rowid='doc', columnsize=0, tokenize='trigram remove_diacritics 1');
--> statement-breakpoint
-- Conversation names and subjects, and contact names, for `q` on GET /v1/conversations: short texts, so contentless
-- (nothing reads them back), with prefix indexes for the as-you-type prefixes of one to three characters.
CREATE TABLE `search_name_docs` (
	`doc` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`ref` text NOT NULL,
	UNIQUE (`kind`, `ref`)
);
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_names` USING fts5(name, content='', contentless_delete=1, prefix='1 2 3', tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co M*'");
--> statement-breakpoint
-- Backfill what is already in D1, before the triggers exist (each account numbered in order of its first message).
INSERT INTO search_accounts (account_id, n)
SELECT account_id, row_number() OVER (ORDER BY first) FROM (
	SELECT account_id, min(created_at) AS first FROM messages GROUP BY account_id
	UNION ALL SELECT account_id, min(created_at) FROM conversations WHERE account_id NOT IN (SELECT account_id FROM messages) GROUP BY account_id
	UNION ALL SELECT account_id, min(created_at) FROM contacts WHERE account_id NOT IN (SELECT account_id FROM messages) AND account_id NOT IN (SELECT account_id FROM conversations) GROUP BY account_id
);
--> statement-breakpoint
INSERT INTO search_docs (doc, message_id, conversation_id, created_at, channel, author_kind, len, grams)
SELECT a.n * 1099511627776 + row_number() OVER (PARTITION BY m.account_id ORDER BY m.created_at, m.id), m.id, m.conversation_id, m.created_at,
	m.resource ->> '$.channel', m.resource ->> '$.author_kind', length(m.body), (m.body GLOB '*[฀-໿က-႟ᄀ-ᇿក-៿☀-⯿⺀-꓏]*' OR m.body GLOB '*[가-힯豈-﫿ｦ-ﾟ🀀-🫿𠀀-𱍏]*')
FROM messages m JOIN search_accounts a ON a.account_id = m.account_id;
--> statement-breakpoint
UPDATE search_accounts SET docs = (SELECT count(*) FROM messages m WHERE m.account_id = search_accounts.account_id),
	chars = (SELECT coalesce(sum(length(m.body)), 0) FROM messages m WHERE m.account_id = search_accounts.account_id);
--> statement-breakpoint
INSERT INTO search_words (search_words) VALUES ('rebuild');
--> statement-breakpoint
INSERT INTO search_grams (search_grams) VALUES ('rebuild');
--> statement-breakpoint
INSERT INTO search_name_docs (doc, kind, ref)
SELECT a.n * 1099511627776 + row_number() OVER (PARTITION BY c.account_id ORDER BY c.created_at, c.id), 'conversation', c.id
FROM conversations c JOIN search_accounts a ON a.account_id = c.account_id;
--> statement-breakpoint
INSERT INTO search_name_docs (doc, kind, ref)
SELECT coalesce((SELECT max(doc) FROM search_name_docs WHERE doc BETWEEN a.n * 1099511627776 AND a.n * 1099511627776 + 1099511627775), a.n * 1099511627776)
	+ row_number() OVER (PARTITION BY k.account_id ORDER BY k.created_at, k.id), 'contact', k.id
FROM contacts k JOIN search_accounts a ON a.account_id = k.account_id;
--> statement-breakpoint
INSERT INTO search_names (rowid, name)
SELECT d.doc, concat_ws(' ', c.resource ->> '$.friendly_name', c.resource ->> '$.unique_name', c.resource ->> '$.subject')
FROM search_name_docs d JOIN conversations c ON c.id = d.ref WHERE d.kind = 'conversation';
--> statement-breakpoint
INSERT INTO search_names (rowid, name)
SELECT d.doc, k.name FROM search_name_docs d JOIN contacts k ON k.id = d.ref WHERE d.kind = 'contact' AND k.name IS NOT NULL;
--> statement-breakpoint
-- Messages. An upsert that updates (a newer snapshot) fires the UPDATE trigger, one that inserts the INSERT trigger;
-- a snapshot the version guard turns away changes no row and fires neither. Only a changed body is re-indexed: the
-- resource changes with every delivery receipt, the body almost never (a tombstone empties it).
-- The account's number is taken on its first document; `max(n) + 1` and `max(doc) + 1` are index seeks, and D1 has
-- one writer, so no two transactions take the same one.
CREATE TRIGGER `search_messages_insert` AFTER INSERT ON `messages` BEGIN
	INSERT INTO search_accounts (account_id, n)
		SELECT new.account_id, (SELECT coalesce(max(n), 0) + 1 FROM search_accounts)
		WHERE NOT EXISTS (SELECT 1 FROM search_accounts WHERE account_id = new.account_id);
	UPDATE search_accounts SET docs = docs + 1, chars = chars + length(new.body) WHERE account_id = new.account_id;
	INSERT INTO search_docs (doc, message_id, conversation_id, created_at, channel, author_kind, len, grams)
		SELECT coalesce((SELECT max(doc) FROM search_docs WHERE doc BETWEEN a.n * 1099511627776 AND a.n * 1099511627776 + 1099511627775), a.n * 1099511627776) + 1,
			new.id, new.conversation_id, new.created_at, new.resource ->> '$.channel', new.resource ->> '$.author_kind', length(new.body),
			(new.body GLOB '*[฀-໿က-႟ᄀ-ᇿក-៿☀-⯿⺀-꓏]*' OR new.body GLOB '*[가-힯豈-﫿ｦ-ﾟ🀀-🫿𠀀-𱍏]*')
		FROM search_accounts a WHERE a.account_id = new.account_id;
	INSERT INTO search_words (rowid, body) SELECT doc, new.body FROM search_docs WHERE message_id = new.id;
	INSERT INTO search_grams (rowid, body) SELECT doc, new.body FROM search_docs WHERE message_id = new.id AND grams = 1;
END;
--> statement-breakpoint
-- External content: FTS5 removes a document given the text it indexed, which is the old body.
CREATE TRIGGER `search_messages_update` AFTER UPDATE OF body ON `messages` WHEN old.body IS NOT new.body BEGIN
	INSERT INTO search_words (search_words, rowid, body) SELECT 'delete', doc, old.body FROM search_docs WHERE message_id = old.id;
	INSERT INTO search_grams (search_grams, rowid, body) SELECT 'delete', doc, old.body FROM search_docs WHERE message_id = old.id AND grams = 1;
	UPDATE search_accounts SET chars = chars - length(old.body) + length(new.body) WHERE account_id = new.account_id;
	UPDATE search_docs SET len = length(new.body),
		grams = (new.body GLOB '*[฀-໿က-႟ᄀ-ᇿក-៿☀-⯿⺀-꓏]*' OR new.body GLOB '*[가-힯豈-﫿ｦ-ﾟ🀀-🫿𠀀-𱍏]*')
		WHERE message_id = new.id;
	INSERT INTO search_words (rowid, body) SELECT doc, new.body FROM search_docs WHERE message_id = new.id;
	INSERT INTO search_grams (rowid, body) SELECT doc, new.body FROM search_docs WHERE message_id = new.id AND grams = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `search_messages_delete` AFTER DELETE ON `messages` BEGIN
	INSERT INTO search_words (search_words, rowid, body) SELECT 'delete', doc, old.body FROM search_docs WHERE message_id = old.id;
	INSERT INTO search_grams (search_grams, rowid, body) SELECT 'delete', doc, old.body FROM search_docs WHERE message_id = old.id AND grams = 1;
	UPDATE search_accounts SET docs = docs - 1, chars = chars - length(old.body)
		WHERE account_id = old.account_id AND EXISTS (SELECT 1 FROM search_docs WHERE message_id = old.id);
	DELETE FROM search_docs WHERE message_id = old.id;
END;
--> statement-breakpoint
-- Conversation names: friendly_name, unique_name and subject as one text. The listing row is rewritten with every
-- change to the conversation, so the WHEN clause re-indexes only when one of the three changed.
CREATE TRIGGER `search_conversations_insert` AFTER INSERT ON `conversations` BEGIN
	INSERT INTO search_accounts (account_id, n)
		SELECT new.account_id, (SELECT coalesce(max(n), 0) + 1 FROM search_accounts)
		WHERE NOT EXISTS (SELECT 1 FROM search_accounts WHERE account_id = new.account_id);
	INSERT INTO search_name_docs (doc, kind, ref)
		SELECT coalesce((SELECT max(doc) FROM search_name_docs WHERE doc BETWEEN a.n * 1099511627776 AND a.n * 1099511627776 + 1099511627775), a.n * 1099511627776) + 1,
			'conversation', new.id
		FROM search_accounts a WHERE a.account_id = new.account_id;
	INSERT INTO search_names (rowid, name)
		SELECT doc, concat_ws(' ', new.resource ->> '$.friendly_name', new.resource ->> '$.unique_name', new.resource ->> '$.subject')
		FROM search_name_docs WHERE kind = 'conversation' AND ref = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_conversations_update` AFTER UPDATE OF resource ON `conversations`
	WHEN concat_ws(' ', old.resource ->> '$.friendly_name', old.resource ->> '$.unique_name', old.resource ->> '$.subject')
		IS NOT concat_ws(' ', new.resource ->> '$.friendly_name', new.resource ->> '$.unique_name', new.resource ->> '$.subject')
BEGIN
	DELETE FROM search_names WHERE rowid = (SELECT doc FROM search_name_docs WHERE kind = 'conversation' AND ref = new.id);
	INSERT INTO search_names (rowid, name)
		SELECT doc, concat_ws(' ', new.resource ->> '$.friendly_name', new.resource ->> '$.unique_name', new.resource ->> '$.subject')
		FROM search_name_docs WHERE kind = 'conversation' AND ref = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_conversations_delete` AFTER DELETE ON `conversations` BEGIN
	DELETE FROM search_names WHERE rowid = (SELECT doc FROM search_name_docs WHERE kind = 'conversation' AND ref = old.id);
	DELETE FROM search_name_docs WHERE kind = 'conversation' AND ref = old.id;
END;
--> statement-breakpoint
-- Contact names (a merged contact keeps its row and name, but has no addresses left to lead to a conversation).
CREATE TRIGGER `search_contacts_insert` AFTER INSERT ON `contacts` BEGIN
	INSERT INTO search_accounts (account_id, n)
		SELECT new.account_id, (SELECT coalesce(max(n), 0) + 1 FROM search_accounts)
		WHERE NOT EXISTS (SELECT 1 FROM search_accounts WHERE account_id = new.account_id);
	INSERT INTO search_name_docs (doc, kind, ref)
		SELECT coalesce((SELECT max(doc) FROM search_name_docs WHERE doc BETWEEN a.n * 1099511627776 AND a.n * 1099511627776 + 1099511627775), a.n * 1099511627776) + 1,
			'contact', new.id
		FROM search_accounts a WHERE a.account_id = new.account_id;
	INSERT INTO search_names (rowid, name) SELECT doc, new.name FROM search_name_docs WHERE kind = 'contact' AND ref = new.id AND new.name IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `search_contacts_update` AFTER UPDATE OF name ON `contacts` WHEN old.name IS NOT new.name BEGIN
	DELETE FROM search_names WHERE rowid = (SELECT doc FROM search_name_docs WHERE kind = 'contact' AND ref = new.id);
	INSERT INTO search_names (rowid, name) SELECT doc, new.name FROM search_name_docs WHERE kind = 'contact' AND ref = new.id AND new.name IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `search_contacts_delete` AFTER DELETE ON `contacts` BEGIN
	DELETE FROM search_names WHERE rowid = (SELECT doc FROM search_name_docs WHERE kind = 'contact' AND ref = old.id);
	DELETE FROM search_name_docs WHERE kind = 'contact' AND ref = old.id;
END;
