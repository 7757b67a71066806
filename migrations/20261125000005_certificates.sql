-- Certification schemes and certificates. Dates are ISO `YYYY-MM-DD` text, which compares
-- correctly as text on both databases.

-- A certification type: "F-Gaser" / "Personcertifikat f-gas kat I".
CREATE TABLE schemes (
    id                 TEXT PRIMARY KEY,
    code               TEXT NOT NULL,
    technical_area     TEXT NOT NULL,
    name               TEXT NOT NULL,
    -- Years from issue to recertification ("omcertifiering").
    recert_years       BIGINT NOT NULL,
    -- 1 when a yearly attestation of professional activity keeps the certificate valid.
    yearly_attestation BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT schemes_code_key UNIQUE (code)
);

CREATE TABLE certificates (
    id              TEXT PRIMARY KEY,
    number          TEXT NOT NULL,
    scheme_id       TEXT NOT NULL REFERENCES schemes (id),
    person_id       TEXT NOT NULL REFERENCES people (id),
    status          TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'suspended', 'revoked', 'expired')),
    issued_on       TEXT NOT NULL,
    -- "Giltigt till" / "Omcertifiering".
    valid_until     TEXT NOT NULL,
    -- "Förläng senast" / "Årlig förlängning"; empty for schemes without yearly attestation.
    extend_by       TEXT,
    -- "Senaste beslut".
    latest_decision TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT certificates_number_key UNIQUE (number)
);
CREATE INDEX certificates_person ON certificates (person_id);
CREATE INDEX certificates_due ON certificates (status, extend_by);
CREATE INDEX certificates_valid ON certificates (status, valid_until);
CREATE INDEX employments_company_person ON employments (company_id, person_id);
