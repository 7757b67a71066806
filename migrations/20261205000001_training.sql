-- Training providers (issue 14, seed 002): providers and their courses ("produkter"), bookings
-- with their participation status, the course certificate a provider uploads for a booking,
-- the participant's consent and review.

-- A provider is an organisation; its staff hold the role `provider_staff` scoped to its id.
CREATE TABLE providers (
    id              TEXT PRIMARY KEY,
    orgnr           TEXT NOT NULL,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    website         TEXT NOT NULL DEFAULT '',
    -- LinkedIn's numeric organisation id, for "Lägg till på LinkedIn"; empty when not set.
    linkedin_org_id TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    CONSTRAINT providers_orgnr_key UNIQUE (orgnr)
);

CREATE TABLE courses (
    id            TEXT PRIMARY KEY,
    provider_id   TEXT NOT NULL REFERENCES providers (id),
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    -- The course's date; NULL when it is given on request.
    starts_on     TEXT,
    -- Whole kronor excluding VAT; NULL when not stated.
    price         BIGINT,
    -- "Certifiering": the certificate a participant gets; empty when the course has none.
    certification TEXT NOT NULL DEFAULT '',
    -- 1 when that certificate shows grades or scores (then the employer needs consent).
    graded        BIGINT NOT NULL DEFAULT 0,
    -- A scheme this course is required training for, if any.
    scheme_id     TEXT REFERENCES schemes (id),
    created_at    TEXT NOT NULL
);
CREATE INDEX courses_provider ON courses (provider_id, title);

-- A booking: a person on a course (on a date, or '' on request), perhaps for their employer.
CREATE TABLE bookings (
    id                TEXT PRIMARY KEY,
    course_id         TEXT NOT NULL REFERENCES courses (id),
    person_id         TEXT NOT NULL REFERENCES people (id),
    company_id        TEXT REFERENCES companies (id),
    course_date       TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT 'unknown'
        CHECK (status IN ('unknown', 'registered', 'started', 'no_show', 'failed', 'completed')),
    created_at        TEXT NOT NULL,
    status_at         TEXT NOT NULL,
    -- The course certificate, once uploaded: its stored file, and the public code of its
    -- verification page.
    cert_sha256       TEXT,
    cert_name         TEXT,
    cert_code         TEXT,
    -- What the certificate was issued as: the course's certification then, and whether it shows
    -- grades (a later change of the course changes no certificate already issued).
    cert_title        TEXT NOT NULL DEFAULT '',
    cert_graded       BIGINT NOT NULL DEFAULT 0,
    cert_uploaded_at  TEXT,
    cert_withdrawn_at TEXT,
    cert_withdrawn_reason TEXT NOT NULL DEFAULT '',
    -- The participant lets their employer see a graded certificate (NULL: not, or withdrawn).
    consent_at        TEXT,
    -- The participant's review, once, after "Fullföljd"; the day it was asked, and reminded.
    review_rating     BIGINT,
    review_text       TEXT NOT NULL DEFAULT '',
    reviewed_at       TEXT,
    review_asked_on   TEXT,
    review_reminded_on TEXT,
    CONSTRAINT bookings_cert_code_key UNIQUE (cert_code)
);
-- One booking of a person on a course and date while it is under way (a form sent twice books
-- once); after it ended (Fullföljd, Inte godkänd, Utebliven närvaro) the person may be booked
-- again, a course given on request too.
CREATE UNIQUE INDEX bookings_once ON bookings (course_id, person_id, course_date)
    WHERE status IN ('unknown', 'registered', 'started');
CREATE INDEX bookings_person ON bookings (person_id);

-- A withdrawn certificate replaced by a new upload: its code still answers, as withdrawn.
CREATE TABLE course_certificates_withdrawn (
    code            TEXT PRIMARY KEY,
    booking_id      TEXT NOT NULL REFERENCES bookings (id),
    certification   TEXT NOT NULL,
    uploaded_at     TEXT NOT NULL,
    withdrawn_at    TEXT NOT NULL,
    withdrawn_reason TEXT NOT NULL
);
CREATE INDEX bookings_company ON bookings (company_id);
CREATE INDEX bookings_review_due ON bookings (review_asked_on) WHERE reviewed_at IS NULL;
