-- A certificate is attested once per period (issue 8): only within a window before "Förläng
-- senast" (per scheme, 90 days unless it says otherwise), never past "Giltigt till".

ALTER TABLE schemes ADD COLUMN attest_window_days BIGINT NOT NULL DEFAULT 90;
-- Scheme names in English, for the English interface (empty: the Swedish name is shown).
ALTER TABLE schemes ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE schemes ADD COLUMN technical_area_en TEXT NOT NULL DEFAULT '';

-- When the certificate was last attested, and whether that signature came from the BankID
-- simulator (a test signature, shown as one).
ALTER TABLE certificates ADD COLUMN last_attested_on TEXT;
ALTER TABLE certificates ADD COLUMN last_attested_test BIGINT NOT NULL DEFAULT 0;

-- What a completed BankID signature really did: `attested`, `not_attestable:<reason>`,
-- `link_closed` or `wrong_signer`; and whether the simulator signed it.
ALTER TABLE attestation_signings ADD COLUMN outcome TEXT;
ALTER TABLE attestation_signings ADD COLUMN test_signature BIGINT NOT NULL DEFAULT 0;
-- Refused: BankID completed, but nothing was attested (the outcome says why).
-- (SQLite cannot alter a CHECK constraint; the status column's CHECK is widened by rebuilding
-- it below on both databases.)
ALTER TABLE attestation_signings RENAME COLUMN status TO status_old;
ALTER TABLE attestation_signings ADD COLUMN status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'failed', 'complete', 'cancelled', 'refused'));
UPDATE attestation_signings SET status = status_old;
ALTER TABLE attestation_signings DROP COLUMN status_old;

-- Messages the portal writes are stored as a kind and its arguments and put into words when
-- they are read, in the reader's language. Older messages keep their subject and body.
ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN args TEXT NOT NULL DEFAULT '{}';
