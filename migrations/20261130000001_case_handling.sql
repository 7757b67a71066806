-- The handler's side of a case (seed 001): who handles it, the handler's verdict on each
-- required document, and archived documents a handler attached from an earlier certification.

-- When the case last came to the handlers (MEDDELA OSS, an answered supplement), or until then
-- when it was opened: the queue is sorted by it, oldest first.
ALTER TABLE cases ADD COLUMN queued_at TEXT;
UPDATE cases SET queued_at = COALESCE(ready_at, created_at);
-- One index per filter of the queue, in its order and holding every column its conditions
-- read, so that a page's ids and a count read only the index (the queries' conditions are
-- written exactly as these are: SQLite matches a partial index's condition by its terms).
CREATE INDEX cases_queue_status ON cases (status, queued_at, scheme_id);
CREATE INDEX cases_queue_open ON cases (queued_at, scheme_id, status, handler_id, ready_at)
    WHERE status <> 'decided';
CREATE INDEX cases_queue_waiting ON cases (queued_at, scheme_id, status, handler_id, ready_at)
    WHERE status <> 'decided' AND handler_id IS NULL AND ready_at IS NOT NULL;
CREATE INDEX cases_queue_unsent ON cases (queued_at, scheme_id, status, ready_at)
    WHERE status <> 'decided' AND ready_at IS NULL;
CREATE INDEX cases_queue_handler ON cases (handler_id, queued_at, scheme_id, status)
    WHERE status <> 'decided';

-- "Godkänd" or "Behöver komplettering", with the handler's comment: the latest verdict counts.
CREATE TABLE case_reviews (
    case_id        TEXT NOT NULL REFERENCES cases (id),
    requirement_id TEXT NOT NULL REFERENCES required_documents (id),
    verdict        TEXT NOT NULL CHECK (verdict IN ('approved', 'supplement')),
    comment        TEXT NOT NULL DEFAULT '',
    account_id     TEXT REFERENCES accounts (id),
    created_at     TEXT NOT NULL,
    PRIMARY KEY (case_id, requirement_id)
);

-- A document from the person's archive that a handler put into a case for one of its required
-- documents, so that the person need not send it again.
CREATE TABLE case_documents (
    case_id        TEXT NOT NULL REFERENCES cases (id),
    requirement_id TEXT NOT NULL REFERENCES required_documents (id),
    document_id    TEXT NOT NULL REFERENCES documents (id),
    account_id     TEXT REFERENCES accounts (id),
    created_at     TEXT NOT NULL,
    PRIMARY KEY (case_id, requirement_id, document_id)
);
CREATE INDEX case_documents_document ON case_documents (document_id);
