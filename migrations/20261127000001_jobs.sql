-- Work done after the request that asked for it (issue 11's scheduler starts here): a job is
-- written in the caller's transaction, claimed by one worker with a lease (a crashed worker's job
-- is taken over once its lease ends), and marked done in the same transaction as its effects,
-- so it takes effect once. Its payload is emptied when it is done.
CREATE TABLE jobs (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    run_at      TEXT NOT NULL,
    attempts    BIGINT NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until TEXT,
    last_error  TEXT,
    done_at     TEXT,
    failed_at   TEXT
);
-- The worker's queue: only the jobs still to run are in it.
CREATE INDEX jobs_due ON jobs (run_at) WHERE done_at IS NULL AND failed_at IS NULL;
