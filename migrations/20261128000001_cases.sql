-- Cases ("ärenden", seed 001): an application for a new certificate (later a renewal or a yearly
-- report), with the documents its scheme requires.

-- The authorization levels ("behörighet") a scheme grants; an application may name one.
CREATE TABLE scheme_levels (
    id        TEXT PRIMARY KEY,
    scheme_id TEXT NOT NULL REFERENCES schemes (id),
    name      TEXT NOT NULL,
    name_en   TEXT NOT NULL DEFAULT '',
    position  BIGINT NOT NULL,
    CONSTRAINT scheme_levels_name_key UNIQUE (scheme_id, name)
);

-- The documents an application for a scheme requires ("Ladda upp intyg"), kept by the body's
-- administrators. A shared one (avgångsbetyg, tjänstgöringsintyg) serves every certificate of
-- the person; the others belong to one case.
CREATE TABLE required_documents (
    id         TEXT PRIMARY KEY,
    scheme_id  TEXT NOT NULL REFERENCES schemes (id),
    name       TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    -- The blue "i": what the document must show.
    help       TEXT NOT NULL DEFAULT '',
    help_en    TEXT NOT NULL DEFAULT '',
    shared     BIGINT NOT NULL DEFAULT 0,
    -- The template's file name ("Hämta mall"), if the document has one.
    template   TEXT,
    position   BIGINT NOT NULL,
    CONSTRAINT required_documents_name_key UNIQUE (scheme_id, name)
);

CREATE TABLE cases (
    id             TEXT PRIMARY KEY,
    -- "Order nr": FX and six digits.
    order_no       TEXT NOT NULL,
    person_id      TEXT NOT NULL REFERENCES people (id),
    scheme_id      TEXT NOT NULL REFERENCES schemes (id),
    kind           TEXT NOT NULL CHECK (kind IN ('new', 'renewal', 'yearly_report')),
    status         TEXT NOT NULL CHECK (status IN ('waiting', 'in_progress', 'supplement_requested', 'supplement_answered', 'decided')),
    -- The level applied for; the one granted is written by the decision.
    level_id       TEXT REFERENCES scheme_levels (id),
    granted_level  TEXT,
    handler_id     TEXT REFERENCES accounts (id),
    -- "Tentamen": the latest exam result, as the handler wrote it.
    exam_result    TEXT,
    plastic_card   BIGINT NOT NULL DEFAULT 0,
    published      BIGINT NOT NULL DEFAULT 0,
    certificate_id TEXT REFERENCES certificates (id),
    -- When the person pressed "MEDDELA OSS": the case is ready for a handler.
    ready_at       TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CONSTRAINT cases_order_no_key UNIQUE (order_no)
);
CREATE INDEX cases_person ON cases (person_id);
-- One open case of a kind per person and scheme: an application sent twice opens one case.
CREATE UNIQUE INDEX cases_open ON cases (person_id, scheme_id, kind) WHERE status <> 'decided';

-- "Meddela varför dokument ej kan laddas upp": the reason that stands in for a required
-- document in a case; the latest one counts.
CREATE TABLE case_explanations (
    case_id        TEXT NOT NULL REFERENCES cases (id),
    requirement_id TEXT NOT NULL REFERENCES required_documents (id),
    reason         TEXT NOT NULL,
    account_id     TEXT REFERENCES accounts (id),
    created_at     TEXT NOT NULL,
    PRIMARY KEY (case_id, requirement_id)
);
