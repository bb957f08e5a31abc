-- Bulk exports (POST /v1/exports, src/export): one row per job, its progress and its place, so a
-- step that crashed or was retried resumes from the last one recorded. The NDJSON goes to R2
-- (MEDIA bucket, exports/<account>/<id>.ndjson) as a multipart upload of equal parts; the bytes
-- past the last full part wait in a staging object named by the step that wrote them.
CREATE TABLE `exports` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`status` text NOT NULL,
	`filters` text NOT NULL,
	`range_from` integer,
	`range_to` integer NOT NULL,
	`step` integer DEFAULT 0 NOT NULL,
	`lease_until` integer,
	`cursor` text,
	`upload_id` text,
	`parts` text DEFAULT '[]' NOT NULL,
	`tail_bytes` integer DEFAULT 0 NOT NULL,
	`conversations_done` integer DEFAULT 0 NOT NULL,
	`messages_done` integer DEFAULT 0 NOT NULL,
	`bytes_done` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`completed_at` integer
);
--> statement-breakpoint
CREATE INDEX `exports_by_account` ON `exports` (`account_id`,`id`);
