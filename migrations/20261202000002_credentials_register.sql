-- Open Badges credentials and the public register (issue 12).

-- Each certificate's place in the credentials' status lists (revocation, suspension), given the
-- first time its credential is made; the counter gives the next.
ALTER TABLE certificates ADD COLUMN status_index BIGINT;
CREATE UNIQUE INDEX certificates_status_index ON certificates (status_index);
CREATE TABLE credential_status_counter (
    id         BIGINT PRIMARY KEY,
    last_index BIGINT NOT NULL
);
INSERT INTO credential_status_counter (id, last_index) VALUES (1, -1);

-- What the register of certified persons searches: the name and the town, lower-cased by the
-- server when a person is written (SQLite's lower() knows only ASCII). Never the personnummer
-- or the email, which the people's own search text holds.
ALTER TABLE people ADD COLUMN register_name TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN register_town TEXT NOT NULL DEFAULT '';
UPDATE people SET
    register_name = LOWER(first_name || ' ' || COALESCE(middle_name, '') || ' ' || last_name),
    register_town = LOWER(COALESCE(city, ''));
CREATE INDEX certificates_published ON certificates (published, status);
