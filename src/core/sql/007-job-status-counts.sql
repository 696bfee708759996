-- 007-job-status-counts.sql — how many jobs are in each status, kept as they change
--
-- The Jobs page shows these counts on its filters and reads them again on
-- every live update; counting 100,000 jobs by status took ~10 ms each
-- time. Triggers keep one row a status in step with the jobs table, in the
-- same transaction as the change (only a change of status fires them: the
-- recipient counters a running job updates do not).
--
-- SPDX-License-Identifier: GPL-3.0-or-later

CREATE TABLE job_status_counts (
  status TEXT PRIMARY KEY,
  n      INTEGER NOT NULL CHECK (n >= 0)
) WITHOUT ROWID;

INSERT INTO job_status_counts (status, n)
  SELECT status, count(*) FROM jobs GROUP BY status;

CREATE TRIGGER job_status_counts_insert AFTER INSERT ON jobs
BEGIN
  INSERT INTO job_status_counts (status, n) VALUES (NEW.status, 1)
    ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER job_status_counts_delete AFTER DELETE ON jobs
BEGIN
  UPDATE job_status_counts SET n = n - 1 WHERE status = OLD.status;
END;

CREATE TRIGGER job_status_counts_update AFTER UPDATE OF status ON jobs
  WHEN OLD.status IS NOT NEW.status
BEGIN
  UPDATE job_status_counts SET n = n - 1 WHERE status = OLD.status;
  INSERT INTO job_status_counts (status, n) VALUES (NEW.status, 1)
    ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
