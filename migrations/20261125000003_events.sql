-- The event log ("händelselogg"): an append-only record of everything that happens to a
-- certificate, a person, a company or an account: who, what, when, from where. Each entry
-- carries the hash of the previous entry of the same subject, so a changed or removed entry
-- breaks the chain (`certportal verify-events`).
CREATE TABLE events (
    id           TEXT PRIMARY KEY,
    subject_type TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    at           TEXT NOT NULL,
    actor_id     TEXT,
    actor_label  TEXT NOT NULL,
    action       TEXT NOT NULL,
    details      TEXT NOT NULL,
    ip           TEXT,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    CONSTRAINT events_subject_seq_key UNIQUE (subject_type, subject_id, seq)
);
CREATE INDEX events_at ON events (at);
