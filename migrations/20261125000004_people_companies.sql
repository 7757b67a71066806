-- People, companies and what ties them together: employments, contact persons, branches,
-- notes, change requests to a person's details, and the messages a person reads in the portal.
-- `search_text` holds what a search matches (names, numbers, email) lower-cased by the
-- application, because SQLite's lower() knows only ASCII and PostgreSQL's LIKE is
-- case-sensitive.

-- A person the certification body knows: a certificate holder, an employee, an applicant.
CREATE TABLE people (
    id            TEXT PRIMARY KEY,
    pnr           TEXT NOT NULL,
    first_name    TEXT NOT NULL,
    middle_name   TEXT NOT NULL DEFAULT '',
    last_name     TEXT NOT NULL,
    address       TEXT NOT NULL DEFAULT '',
    postal_code   TEXT NOT NULL DEFAULT '',
    city          TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    mobile        TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    communication TEXT NOT NULL DEFAULT 'digital' CHECK (communication IN ('digital', 'analog')),
    account_id    TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    search_text   TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CONSTRAINT people_pnr_key UNIQUE (pnr),
    CONSTRAINT people_account_key UNIQUE (account_id)
);
CREATE INDEX people_last_name ON people (last_name, first_name);

CREATE TABLE companies (
    id                  TEXT PRIMARY KEY,
    orgnr               TEXT NOT NULL,
    name                TEXT NOT NULL,
    address             TEXT NOT NULL DEFAULT '',
    postal_code         TEXT NOT NULL DEFAULT '',
    city                TEXT NOT NULL DEFAULT '',
    website             TEXT NOT NULL DEFAULT '',
    phone               TEXT NOT NULL DEFAULT '',
    email               TEXT NOT NULL DEFAULT '',
    invoice_reference   TEXT NOT NULL DEFAULT '',
    billing_method      TEXT NOT NULL DEFAULT 'post' CHECK (billing_method IN ('post', 'email')),
    billing_name        TEXT NOT NULL DEFAULT '',
    billing_address     TEXT NOT NULL DEFAULT '',
    billing_postal_code TEXT NOT NULL DEFAULT '',
    billing_city        TEXT NOT NULL DEFAULT '',
    billing_email       TEXT NOT NULL DEFAULT '',
    search_text         TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CONSTRAINT companies_orgnr_key UNIQUE (orgnr)
);
CREATE INDEX companies_name ON companies (name);

-- "Kontaktpersoner".
CREATE TABLE company_contacts (
    id         TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    title      TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX company_contacts_company ON company_contacts (company_id);

-- "Filial": a branch office.
CREATE TABLE company_branches (
    id          TEXT PRIMARY KEY,
    company_id  TEXT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX company_branches_company ON company_branches (company_id);

-- A person's employment at a company; current while `end_date` is empty or in the future.
-- Dates are ISO `YYYY-MM-DD`.
CREATE TABLE employments (
    id         TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    position   TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date   TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX employments_company ON employments (company_id);
CREATE INDEX employments_person ON employments (person_id);

-- "Anteckningar": the certification body's own notes on a company, never shown outside it.
CREATE TABLE company_notes (
    id           TEXT PRIMARY KEY,
    company_id   TEXT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    author_id    TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    author_label TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX company_notes_company ON company_notes (company_id, created_at);

-- A person's own change to their details ("Din adress"): a draft while they preview it,
-- pending until a handler approves or rejects it. `previous` and `proposed` are JSON.
CREATE TABLE change_requests (
    id            TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    status        TEXT NOT NULL CHECK (status IN ('draft', 'pending', 'approved', 'rejected', 'withdrawn')),
    previous      TEXT NOT NULL,
    proposed      TEXT NOT NULL,
    requested_by  TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL,
    submitted_at  TEXT,
    decided_by    TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    decided_label TEXT,
    decided_at    TEXT,
    reason        TEXT
);
CREATE INDEX change_requests_status ON change_requests (status, submitted_at);
CREATE INDEX change_requests_person ON change_requests (person_id, created_at);

-- "Meddelanden": what the certification body tells an account holder in the portal. Each is
-- also emailed.
CREATE TABLE messages (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at    TEXT
);
CREATE INDEX messages_account ON messages (account_id, created_at);

-- Staff search accounts by username, name and email.
ALTER TABLE accounts ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE accounts SET search_text = LOWER(username || ' ' || display_name || ' ' || email);
