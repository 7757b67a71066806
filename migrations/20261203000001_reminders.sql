-- Reminders (issue 13, seed 001 "de automatiska påminnelserna"): each scheme's rules, and each
-- reminder sent, once per occasion whatever the number of servers or runs.

-- 1 when the yearly extension comes by a report ("Årsrapportering") instead of an attestation.
ALTER TABLE schemes ADD COLUMN yearly_report BIGINT NOT NULL DEFAULT 0;
-- The scheme's reminder rules as JSON (how long before each deadline); empty: the defaults.
ALTER TABLE schemes ADD COLUMN reminder_rules TEXT NOT NULL DEFAULT '';

-- One reminder sent: its id names the occasion (kind, certificate or link, deadline, how long
-- before), so a second run, or a second server, inserts nothing and tells nobody twice.
CREATE TABLE reminders_sent (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    certificate_id TEXT NOT NULL REFERENCES certificates (id),
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    deadline   TEXT NOT NULL,
    sent_on    TEXT NOT NULL,
    -- The person asked for letters ("Analog") or has no address to email: staff post a letter.
    letter     BIGINT NOT NULL DEFAULT 0,
    posted_at  TEXT,
    posted_by  TEXT REFERENCES accounts (id) ON DELETE SET NULL
);
CREATE INDEX reminders_sent_letters ON reminders_sent (letter, posted_at, sent_on);
CREATE INDEX reminders_sent_person ON reminders_sent (person_id);
-- What was sent for a certificate's (or link's) deadline, and when.
CREATE INDEX reminders_sent_subject ON reminders_sent (subject_id, kind, deadline);

-- Attester links about to expire are found by their end.
CREATE INDEX attestation_requests_expiry ON attestation_requests (status, expires_at);

-- An email's calendar file (.ics), if it has one: its file name and content.
ALTER TABLE outbox ADD COLUMN attachment_name TEXT;
ALTER TABLE outbox ADD COLUMN attachment_body TEXT;
