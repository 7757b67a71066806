-- Employment needs the employee's consent (issue 8): a company admin who adds someone creates a
-- pending employment; the person (or a handler) confirms it before the company sees anything of
-- theirs. Employments made before this were made by staff or with the old form: confirmed.
ALTER TABLE employments ADD COLUMN status TEXT NOT NULL DEFAULT 'confirmed'
    CHECK (status IN ('pending', 'confirmed', 'declined'));
-- The name the admin typed: what the admin sees until the person confirms (never the
-- register's name, which would tell whether the personnummer is known).
ALTER TABLE employments ADD COLUMN claimed_name TEXT NOT NULL DEFAULT '';
ALTER TABLE employments ADD COLUMN requested_by TEXT REFERENCES accounts (id) ON DELETE SET NULL;
ALTER TABLE employments ADD COLUMN decided_at TEXT;
ALTER TABLE employments ADD COLUMN decided_label TEXT;
-- The handlers' queue; only the few pending rows are in it.
CREATE INDEX employments_pending ON employments (created_at) WHERE status = 'pending';

-- The emailed link that lets the person confirm without signing in: 30 days, single use,
-- only its SHA-256 kept.
CREATE TABLE employment_tokens (
    token_hash    TEXT PRIMARY KEY,
    employment_id TEXT NOT NULL REFERENCES employments (id) ON DELETE CASCADE,
    expires_at    TEXT NOT NULL,
    used_at       TEXT
);
CREATE INDEX employment_tokens_employment ON employment_tokens (employment_id);

-- The event log as one chain: every entry gets the next number of one global sequence and a
-- link hash over the previous entry's link and its own hash, so deleting any entry (a chain's
-- tail, a whole subject) or rewriting and re-hashing breaks the chain. Older entries are
-- numbered in the order they were written and linked by the application at its first start
-- (the hash needs SHA-256, which SQLite's SQL lacks).
ALTER TABLE events ADD COLUMN gseq BIGINT;
ALTER TABLE events ADD COLUMN link_hash TEXT;
CREATE UNIQUE INDEX events_gseq ON events (gseq);

-- The chain's head, one row: the writer of the next entry takes its lock, so numbers are
-- handed out gaplessly and in commit order.
CREATE TABLE event_head (
    id        BIGINT PRIMARY KEY CHECK (id = 1),
    gseq      BIGINT NOT NULL,
    link_hash TEXT NOT NULL
);

-- The head as it was, signed with the server's key (Ed25519) at least daily and at every
-- `certportal verify-events`: entries cut from the end, or a chain rewritten, no longer match.
CREATE TABLE event_checkpoints (
    id         TEXT PRIMARY KEY,
    at         TEXT NOT NULL,
    gseq       BIGINT NOT NULL,
    link_hash  TEXT NOT NULL,
    public_key TEXT NOT NULL,
    signature  TEXT NOT NULL
);
CREATE INDEX event_checkpoints_at ON event_checkpoints (at);
