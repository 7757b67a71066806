-- Signed certificates anyone can verify (issue 12): the PDFs the body signed, the holder's
-- consent to publication, and suspension and revocation with their reasons.

-- "Publicerad": the holder agrees that the verification page and the register show their name.
ALTER TABLE certificates ADD COLUMN published BIGINT NOT NULL DEFAULT 0;
-- Why it is suspended or revoked, as staff wrote it; empty otherwise.
ALTER TABLE certificates ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
-- The status a suspension returns to when it is lifted.
ALTER TABLE certificates ADD COLUMN suspended_from TEXT;

-- Each signed PDF the portal handed out, by the SHA-256 of the bytes its signature covers: a
-- PDF someone uploads is known again by it ("Kontrollera en PDF").
CREATE TABLE certificate_prints (
    digest         TEXT PRIMARY KEY,
    certificate_id TEXT NOT NULL REFERENCES certificates (id),
    -- The status the PDF showed.
    status         TEXT NOT NULL,
    printed_at     TEXT NOT NULL
);
CREATE INDEX certificate_prints_certificate ON certificate_prints (certificate_id);
