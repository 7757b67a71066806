-- A case from supplement request to decision (seed 001): what the handler asked for again, the
-- exams the person took, the decision, and the certificate numbers of each scheme.

-- "Komplettering": the required documents asked for again (their ids, as a JSON array) and the
-- handler's text, the letter it made, when the one reminder went out, and when the person
-- answered ("MEDDELA OSS" again). One unanswered request per case at a time.
CREATE TABLE case_supplements (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases (id),
    requirements  TEXT NOT NULL,
    body          TEXT NOT NULL,
    requested_by  TEXT REFERENCES accounts (id),
    requested_at  TEXT NOT NULL,
    letter_id     TEXT REFERENCES documents (id),
    reminded_at   TEXT,
    answered_at   TEXT
);
CREATE INDEX case_supplements_case ON case_supplements (case_id, requested_at);
CREATE UNIQUE INDEX case_supplements_open ON case_supplements (case_id) WHERE answered_at IS NULL;

-- "Prov": an exam result as the handler recorded it.
CREATE TABLE case_exams (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    taken_on    TEXT NOT NULL,
    exam        TEXT NOT NULL,
    passed      BIGINT NOT NULL,
    score       TEXT NOT NULL DEFAULT '',
    recorded_by TEXT REFERENCES accounts (id),
    created_at  TEXT NOT NULL
);
CREATE INDEX case_exams_case ON case_exams (case_id, taken_on);

-- "Beslut": approved (the certificate it issued is `certificate_id`) or rejected, with a reason.
ALTER TABLE cases ADD COLUMN decision TEXT CHECK (decision IN ('approved', 'rejected'));
ALTER TABLE cases ADD COLUMN decision_reason TEXT;
ALTER TABLE cases ADD COLUMN decided_by TEXT REFERENCES accounts (id);
ALTER TABLE cases ADD COLUMN decided_at TEXT;

-- Each scheme numbers its certificates in a series of its own: the last number it gave.
ALTER TABLE schemes ADD COLUMN last_number BIGINT NOT NULL DEFAULT 0;

-- The exams are rows of their own now: the panel's "Tentamen" is the latest of them.
ALTER TABLE cases DROP COLUMN exam_result;

-- Whose account applied: nobody handles their own application, even after their account and
-- their person were unlinked (a role removed) later.
ALTER TABLE cases ADD COLUMN applicant_account TEXT REFERENCES accounts (id);
UPDATE cases SET applicant_account = (SELECT p.account_id FROM people p WHERE p.id = cases.person_id);
