-- The holder's invitation to attest their professional activity ("Utför årlig förlängning"),
-- and the attester's BankID signatures.

-- One emailed link. Only the SHA-256 of its token is kept; a link is valid 30 days and used
-- once. Sending it again replaces it with a new link; the holder may cancel it.
CREATE TABLE attestation_requests (
    id             TEXT PRIMARY KEY,
    certificate_id TEXT NOT NULL REFERENCES certificates (id),
    attester_email TEXT NOT NULL,
    token_hash     TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('pending', 'cancelled', 'used', 'replaced')),
    created_by     TEXT NOT NULL REFERENCES accounts (id),
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    closed_at      TEXT,
    CONSTRAINT attestation_requests_token_key UNIQUE (token_hash)
);
CREATE INDEX attestation_requests_certificate ON attestation_requests (certificate_id, status);

-- A BankID signature order the attester started from a link, and what BankID returned.
CREATE TABLE attestation_signings (
    id                TEXT PRIMARY KEY,
    request_id        TEXT NOT NULL REFERENCES attestation_requests (id),
    attester_pnr      TEXT NOT NULL,
    attester_name     TEXT NOT NULL,
    attester_position TEXT NOT NULL,
    order_ref         TEXT NOT NULL,
    auto_start_token  TEXT NOT NULL,
    qr_start_token    TEXT NOT NULL,
    -- Never sent to a browser: the server draws each second's QR code from it. Emptied when
    -- the order ends.
    qr_start_secret   TEXT NOT NULL,
    started_at        TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'failed', 'complete', 'cancelled')),
    hint_code         TEXT,
    collected_at      TEXT,
    -- From BankID's completion data.
    signer_name       TEXT,
    signature         TEXT,
    ocsp_response     TEXT,
    completed_at      TEXT,
    CONSTRAINT attestation_signings_order_key UNIQUE (order_ref)
);
CREATE INDEX attestation_signings_request ON attestation_signings (request_id, started_at);
