-- Training providers, continued (issue 14): a provider's logo, participants invited by email,
-- and the signed statements of course certificates the portal has handed out, so "Kontrollera
-- en PDF" knows them.

-- The logo: a PNG or JPEG in the file store, by its SHA-256; NULL when there is none.
ALTER TABLE providers ADD COLUMN logo_sha256 TEXT;
ALTER TABLE providers ADD COLUMN logo_format TEXT;

-- A participant invited by email to a course: the link's token is kept only as its hash. The
-- invitation is open until the recipient accepts (signed in: it becomes their booking) or
-- declines, the provider withdraws it, or it expires (marked so when the address is invited
-- to the course again).
CREATE TABLE booking_invites (
    id           TEXT PRIMARY KEY,
    course_id    TEXT NOT NULL REFERENCES courses (id),
    email        TEXT NOT NULL,
    -- The address in lower case: one open invitation per address and course.
    email_key    TEXT NOT NULL,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    invited_by   TEXT,
    status       TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'accepted', 'declined', 'withdrawn', 'expired')),
    decided_at   TEXT,
    booking_id   TEXT REFERENCES bookings (id),
    CONSTRAINT booking_invites_token_key UNIQUE (token_hash)
);
CREATE INDEX booking_invites_course ON booking_invites (course_id, created_at);
-- A form sent twice, or twice at once, invites once.
CREATE UNIQUE INDEX booking_invites_open ON booking_invites (course_id, email_key)
    WHERE status = 'open';

-- A signed statement of a course certificate, by the digest its signature covers.
CREATE TABLE course_statement_prints (
    digest     TEXT PRIMARY KEY,
    code       TEXT NOT NULL,
    printed_at TEXT NOT NULL
);
