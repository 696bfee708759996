-- 006-recipient-first-attempt.sql — when each recipient was first attempted
--
-- Unix seconds of the first claim for sending (the export's first_attempt_at
-- column); NULL until then, and for rows claimed before this migration.
-- (004 was reserved for the engine, but 005 was applied first: a file
-- numbered below a database's user_version would never run.)
--
-- SPDX-License-Identifier: GPL-3.0-or-later

ALTER TABLE job_recipients ADD COLUMN first_attempt_at INTEGER;
