-- The messages of a case ("Meddelanden", seed 001): between the person and the body's staff,
-- in threads (a reply names its thread's first message), with drafts kept until sent.
CREATE TABLE case_messages (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    -- The thread's first message; NULL for a first message.
    thread_id  TEXT REFERENCES case_messages (id),
    -- "Meddelandetyp".
    kind       TEXT NOT NULL CHECK (kind IN ('note', 'change', 'supplement', 'supplement_reminder', 'decision')),
    body       TEXT NOT NULL,
    -- Who wrote it: their account (NULL when the portal wrote it), their name as shown, and
    -- whether on the body's side.
    account_id TEXT REFERENCES accounts (id),
    author     TEXT NOT NULL,
    from_staff BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    -- NULL while it is a draft, which only its writer sees.
    sent_at    TEXT,
    -- When the other side first read it.
    read_at    TEXT,
    -- Sent by staff to a person who asked for letters (analog): a letter is due.
    letter_due BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX case_messages_case ON case_messages (case_id, thread_id, sent_at);
