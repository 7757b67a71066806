-- Sign-in: sessions shared by every server, password history, failed logins, emailed tokens.

-- A session's id is a random token in the user's cookie; only its SHA-256 is stored.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    ip           TEXT,
    user_agent   TEXT
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- The hashes of an account's earlier passwords: none of the last seven may be used again.
CREATE TABLE password_history (
    account_id    TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX password_history_account ON password_history (account_id, created_at);

-- Failed sign-ins, per account name typed and per address, for slowing down and locking.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  TEXT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);

-- Single-use links sent by email (password reset, account activation): only the SHA-256 of
-- the token in the link is stored.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('reset', 'activate')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX account_tokens_account ON account_tokens (account_id);
