-- The retention job's progress (src/retention/job.ts): one row, the run in progress or the last one. A run judges
-- everything at its `started_at`; it walks the accounts in id order and, in each, its phases in turn, saving where it
-- is (`account_id`, `phase`, `cursor`) after every batch, so a run cut short carries on at the next cron tick from
-- there. `leased_until` keeps two ticks from running it at once.
CREATE TABLE `retention_runs` (
	`id` integer PRIMARY KEY NOT NULL CHECK (`id` = 1),
	`started_at` integer NOT NULL,
	`account_id` text,
	`phase` text NOT NULL,
	`cursor` text,
	`finished_at` integer,
	`leased_until` integer,
	`conversations_deleted` integer DEFAULT 0 NOT NULL,
	`messages_deleted` integer DEFAULT 0 NOT NULL,
	`calls` integer DEFAULT 0 NOT NULL
);
