-- Documents ("Arkiv", seed 001): every file a person sent, or staff received for them. The file
-- itself lives in the object store under its SHA-256; the row says whose it is and what it is.
CREATE TABLE documents (
    id             TEXT PRIMARY KEY,
    person_id      TEXT NOT NULL REFERENCES people (id),
    -- The case it was sent with, and the required document it answers.
    case_id        TEXT REFERENCES cases (id),
    requirement_id TEXT REFERENCES required_documents (id),
    -- "Dokumenttyp": Betyg/Intyg (what a person sends), Kompletteringsbrev, Beslut, Certifikat,
    -- Bilaga.
    doc_type       TEXT NOT NULL CHECK (doc_type IN ('grade', 'supplement_letter', 'decision', 'certificate', 'attachment')),
    -- What it is, as the requirement was named when the file came.
    title          TEXT NOT NULL,
    title_en       TEXT NOT NULL DEFAULT '',
    -- A shared document (avgångsbetyg, tjänstgöringsintyg) serves every certificate of the person.
    shared         BIGINT NOT NULL DEFAULT 0,
    -- "Dokumentnamn": <Type>_C<person>_<yymmdd>_<hhmmss>.<ext>, as the manual names them.
    stored_name    TEXT NOT NULL,
    original_name  TEXT NOT NULL,
    -- What the content is, whatever the name said.
    format         TEXT NOT NULL CHECK (format IN ('pdf', 'doc', 'docx', 'xls', 'xlsx')),
    size           BIGINT NOT NULL,
    sha256         TEXT NOT NULL,
    -- "Notering".
    note           TEXT NOT NULL DEFAULT '',
    uploaded_by    TEXT REFERENCES accounts (id),
    uploaded_at    TEXT NOT NULL,
    -- The retention rule's date (5 + 5 years after the person's last active certificate).
    delete_after   TEXT NOT NULL
);
CREATE INDEX documents_person ON documents (person_id, uploaded_at);
CREATE INDEX documents_case ON documents (case_id, requirement_id);
CREATE INDEX documents_sha256 ON documents (sha256);
