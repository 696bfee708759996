-- Outreach schema, version 1. Forward-only: a later change is a new file.
-- Times are Unix seconds (UTC) unless a column says otherwise.

CREATE TABLE donors (
  id               INTEGER PRIMARY KEY,
  external_id      TEXT UNIQUE CHECK (external_id IS NULL OR length(external_id) > 0),
  first_name       TEXT NOT NULL DEFAULT '',
  last_name        TEXT NOT NULL DEFAULT '',
  email            TEXT CHECK (email IS NULL OR length(email) BETWEEN 3 AND 320),
  phone            TEXT CHECK (phone IS NULL OR (phone GLOB '+[1-9]*'  -- E.164
                                               AND substr(phone, 2) NOT GLOB '*[^0-9]*'
                                               AND length(phone) BETWEEN 4 AND 16)),
  street           TEXT NOT NULL DEFAULT '',
  city             TEXT NOT NULL DEFAULT '',
  region           TEXT NOT NULL DEFAULT '',
  postal_code      TEXT NOT NULL DEFAULT '',
  country          TEXT NOT NULL DEFAULT '',
  last_gift_amount INTEGER CHECK (last_gift_amount IS NULL OR last_gift_amount >= 0),  -- cents
  last_gift_date   TEXT CHECK (last_gift_date IS NULL
                               OR last_gift_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  tags             TEXT NOT NULL DEFAULT '',  -- normalised: ';'-separated, no blanks
  do_not_contact   INTEGER NOT NULL DEFAULT 0 CHECK (do_not_contact IN (0, 1)),
  extra            TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extra)),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
-- Upsert keys after external_id: e-mail (case-insensitive), then phone.
CREATE INDEX donors_email ON donors (email COLLATE NOCASE) WHERE email IS NOT NULL;
CREATE INDEX donors_phone ON donors (phone) WHERE phone IS NOT NULL;

CREATE TABLE suppressions (
  id         INTEGER PRIMARY KEY,
  address    TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(address) > 0),
  reason     TEXT NOT NULL DEFAULT 'manual'
             CHECK (reason IN ('unsubscribed', 'bounced', 'complained', 'manual')),
  created_at INTEGER NOT NULL
);

CREATE TABLE accounts (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE COLLATE NOCASE
                  CHECK (length(trim(name)) BETWEEN 1 AND 255 AND name = trim(name)),
  kind            TEXT NOT NULL
                  CHECK (kind IN ('folder', 'webhook', 'mailgun', 'sendgrid', 'postmark',
                                  'ses', 'jmap', 'twilio')),
  settings        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),  -- never secrets
  rate            REAL NOT NULL DEFAULT 0 CHECK (rate >= 0),  -- messages per second, 0 = none
  concurrency     INTEGER NOT NULL DEFAULT 4 CHECK (concurrency BETWEEN 1 AND 256),
  retry_ambiguous INTEGER NOT NULL DEFAULT 0 CHECK (retry_ambiguous IN (0, 1)),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
-- The account a newcomer can send with: .eml files in a folder, no credentials.
INSERT INTO accounts (name, kind, settings, concurrency, created_at, updated_at)
  VALUES ('Folder', 'folder', '{}', 4, unixepoch (), unixepoch ());

CREATE TABLE templates (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE
             CHECK (length(trim(name)) BETWEEN 1 AND 255 AND name = trim(name)),
  subject    TEXT NOT NULL DEFAULT '',
  text_body  TEXT NOT NULL DEFAULT '',
  html_body  TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY
        CHECK (key IN ('org_name', 'sender_name', 'sender_address', 'reply_to',
                       'postal_address', 'unsubscribe_url', 'currency', 'history_keep',
                       'parallel_jobs')),
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO settings (key, value) VALUES
  ('org_name', ''), ('sender_name', ''), ('sender_address', ''), ('reply_to', ''),
  ('postal_address', ''), ('unsubscribe_url', ''), ('currency', 'USD'),
  ('history_keep', '100'), ('parallel_jobs', '2');

CREATE TABLE jobs (
  id            INTEGER PRIMARY KEY,
  uuid          TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
  name          TEXT NOT NULL
                CHECK (length(trim(name, ' ' || char(9, 10, 13))) BETWEEN 1 AND 255
                       AND name = trim(name, ' ' || char(9, 10, 13))),
  kind          TEXT NOT NULL DEFAULT 'send' CHECK (kind IN ('send', 'verify', 'import')),
  status        TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'queued', 'running', 'paused', 'completed',
                                  'failed', 'cancelled')),
  priority      INTEGER NOT NULL DEFAULT 0 CHECK (priority IN (-1, 0, 1)),  -- low, normal, high
  account_id    INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  subject       TEXT NOT NULL DEFAULT '',  -- the message, frozen at launch
  text_body     TEXT NOT NULL DEFAULT '',
  html_body     TEXT,
  params        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
  total         INTEGER NOT NULL DEFAULT 0,
  pending       INTEGER NOT NULL DEFAULT 0 CHECK (pending >= 0),
  sent          INTEGER NOT NULL DEFAULT 0 CHECK (sent >= 0),
  failed        INTEGER NOT NULL DEFAULT 0 CHECK (failed >= 0),
  skipped       INTEGER NOT NULL DEFAULT 0 CHECK (skipped >= 0),
  uncertain     INTEGER NOT NULL DEFAULT 0 CHECK (uncertain >= 0),
  cancelled     INTEGER NOT NULL DEFAULT 0 CHECK (cancelled >= 0),
  rejected      INTEGER NOT NULL DEFAULT 0 CHECK (rejected >= 0),
  created_at    INTEGER NOT NULL,
  scheduled_at  INTEGER,
  started_at    INTEGER,
  updated_at    INTEGER NOT NULL,
  finished_at   INTEGER,
  error         TEXT,
  lease_owner   TEXT,     -- "hostname:pid"
  lease_expires INTEGER,
  CHECK (total = pending + sent + failed + skipped + uncertain + cancelled + rejected)
);
CREATE INDEX jobs_status ON jobs (status, priority DESC, created_at);
CREATE INDEX jobs_created ON jobs (created_at);

CREATE TABLE job_recipients (
  id                  INTEGER PRIMARY KEY,
  job_id              INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  donor_id            INTEGER REFERENCES donors (id) ON DELETE SET NULL,
  address             TEXT NOT NULL CHECK (length(address) > 0),
  merge_data          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(merge_data)),
  state               TEXT NOT NULL DEFAULT 'pending'
                      CHECK (state IN ('draft', 'approved', 'pending', 'claimed', 'retry-wait',
                                       'sent', 'failed', 'skipped', 'uncertain', 'cancelled',
                                       'rejected')),
  attempts            INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at     INTEGER,
  provider_message_id TEXT,
  last_error          TEXT,
  updated_at          INTEGER NOT NULL,
  UNIQUE (job_id, address COLLATE NOCASE)
);
CREATE INDEX job_recipients_state ON job_recipients (job_id, state);
CREATE INDEX job_recipients_donor ON job_recipients (donor_id);

-- The counters on jobs follow the recipient rows in the same transaction, always.
CREATE TRIGGER job_recipients_count_insert AFTER INSERT ON job_recipients
BEGIN
  UPDATE jobs SET
    total     = total + 1,
    pending   = pending + (NEW.state IN ('draft', 'approved', 'pending', 'claimed', 'retry-wait')),
    sent      = sent + (NEW.state = 'sent'),
    failed    = failed + (NEW.state = 'failed'),
    skipped   = skipped + (NEW.state = 'skipped'),
    uncertain = uncertain + (NEW.state = 'uncertain'),
    cancelled = cancelled + (NEW.state = 'cancelled'),
    rejected  = rejected + (NEW.state = 'rejected')
  WHERE id = NEW.job_id;
END;

CREATE TRIGGER job_recipients_count_update AFTER UPDATE OF state ON job_recipients
  WHEN OLD.state IS NOT NEW.state
BEGIN
  UPDATE jobs SET
    pending   = pending + (NEW.state IN ('draft', 'approved', 'pending', 'claimed', 'retry-wait'))
                        - (OLD.state IN ('draft', 'approved', 'pending', 'claimed', 'retry-wait')),
    sent      = sent + (NEW.state = 'sent') - (OLD.state = 'sent'),
    failed    = failed + (NEW.state = 'failed') - (OLD.state = 'failed'),
    skipped   = skipped + (NEW.state = 'skipped') - (OLD.state = 'skipped'),
    uncertain = uncertain + (NEW.state = 'uncertain') - (OLD.state = 'uncertain'),
    cancelled = cancelled + (NEW.state = 'cancelled') - (OLD.state = 'cancelled'),
    rejected  = rejected + (NEW.state = 'rejected') - (OLD.state = 'rejected')
  WHERE id = NEW.job_id;
END;

CREATE TRIGGER job_recipients_count_delete AFTER DELETE ON job_recipients
BEGIN
  UPDATE jobs SET
    total     = total - 1,
    pending   = pending - (OLD.state IN ('draft', 'approved', 'pending', 'claimed', 'retry-wait')),
    sent      = sent - (OLD.state = 'sent'),
    failed    = failed - (OLD.state = 'failed'),
    skipped   = skipped - (OLD.state = 'skipped'),
    uncertain = uncertain - (OLD.state = 'uncertain'),
    cancelled = cancelled - (OLD.state = 'cancelled'),
    rejected  = rejected - (OLD.state = 'rejected')
  WHERE id = OLD.job_id;
END;

CREATE TABLE job_events (
  id      INTEGER PRIMARY KEY,
  job_id  INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  time    INTEGER NOT NULL,  -- Unix milliseconds, for a readable log order
  level   TEXT NOT NULL DEFAULT 'info' CHECK (level IN ('debug', 'info', 'warning', 'error')),
  kind    TEXT NOT NULL,
  message TEXT NOT NULL,
  excerpt TEXT  -- redacted request / response, never credentials
);
CREATE INDEX job_events_job ON job_events (job_id, time);
