-- A required document an administrator removed after files or reasons were sent for it: kept
-- for what points at it, asked for no more.
ALTER TABLE required_documents ADD COLUMN retired BIGINT NOT NULL DEFAULT 0;
