-- Outreach schema 5 (desktop): what the job detail window reads.
-- A job's recipients are listed in the order they were added (id). The
-- (job_id, state) index cannot give that order, so a page of a
-- million-recipient job would sort the whole job; this index hands out
-- the rows already in id order (every index ends with the rowid).
CREATE INDEX job_recipients_job ON job_recipients (job_id);
