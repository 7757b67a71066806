-- One schema for SQLite and PostgreSQL: text UUIDv7 keys, timestamps as fixed-width UTC text
-- (they compare as strings), integers as BIGINT.

-- Every email the portal sends: written in the same transaction as the change that caused it,
-- delivered by a worker that leases rows so two servers never send one twice.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    created_at      TEXT NOT NULL,
    to_address      TEXT NOT NULL,
    locale          TEXT NOT NULL,
    template        TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_owner     TEXT,
    lease_until     TEXT,
    sent_at         TEXT,
    delivered_via   TEXT,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_created ON outbox (created_at);

-- Sign-in accounts. The accounts issue adds people, sessions and password history.
CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL,
    email         TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    password_hash TEXT,
    created_at    TEXT NOT NULL,
    CONSTRAINT accounts_username_key UNIQUE (username),
    CONSTRAINT accounts_email_key UNIQUE (email)
);

-- One account may hold several roles; `scope` names the company or provider a role is for.
CREATE TABLE account_roles (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('holder', 'company_admin', 'handler', 'body_admin', 'provider_staff')),
    scope      TEXT NOT NULL DEFAULT '',
    granted_at TEXT NOT NULL,
    PRIMARY KEY (account_id, role, scope)
);
