CREATE TABLE `opt_outs` (
	`account_id` text NOT NULL,
	`channel` text NOT NULL,
	`address` text NOT NULL,
	`keyword` text NOT NULL,
	`opted_out_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `channel`, `address`)
);
