-- Closing the holes an outside review found (issue 8): security events, rate limits, names
-- unique regardless of case, sealed emails, the employee's consent, attestation once per period,
-- typed BankID outcomes, refused forms kept on the server, a global event chain with signed
-- checkpoints.

-- Failed and locked sign-ins, resets asked for, 401/403 answers, role changes, refused
-- cross-site requests: what a security team reads. Staff read it at /staff/security.
CREATE TABLE security_events (
    id         TEXT PRIMARY KEY,
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL,
    account_id TEXT,
    label      TEXT NOT NULL,
    ip         TEXT,
    detail     TEXT NOT NULL
);
CREATE INDEX security_events_at ON security_events (at);

-- Each sign-in attempt is recorded before it is judged, so attempts at the same moment see
-- each other; the id lets an attempt that succeeded remove its own row.
ALTER TABLE login_failures ADD COLUMN id TEXT;
CREATE INDEX login_failures_id ON login_failures (id);

-- Hits on rate-limited actions (forgotten password, attester invitations), per key.
CREATE TABLE rate_hits (
    id  TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    at  TEXT NOT NULL
);
CREATE INDEX rate_hits_key ON rate_hits (key, at);

-- Usernames and email addresses are unique regardless of case. The keys are lower-cased by
-- the application (SQLite's LOWER() knows only ASCII); existing rows by LOWER().
ALTER TABLE accounts ADD COLUMN username_key TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN email_key TEXT NOT NULL DEFAULT '';
UPDATE accounts SET username_key = LOWER(username), email_key = LOWER(email);
CREATE UNIQUE INDEX accounts_username_key_key ON accounts (username_key);
CREATE UNIQUE INDEX accounts_email_key_key ON accounts (email_key);
-- The language the account holder reads the portal in; emails to them use it.
ALTER TABLE accounts ADD COLUMN locale TEXT NOT NULL DEFAULT 'sv';

-- An email that carries a secret (a link that signs someone in or attests) is sealed with the
-- server's key until delivered, and its body is emptied once it is.
ALTER TABLE outbox ADD COLUMN carries_secret BIGINT NOT NULL DEFAULT 0;

-- Refused form posts without JavaScript: what was typed stays here, keyed by the hash of a
-- random id that the redirect carries, instead of in the address. Kept an hour.
CREATE TABLE form_flash (
    id_hash    TEXT PRIMARY KEY,
    payload    TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX form_flash_expires ON form_flash (expires_at);
