-- A bulk attestation moves "Förläng senast" (extend_by) of up to 10,000 certificates at once,
-- and makes the inactive ones active. While indexes held extend_by and status, every such update
-- wrote a new entry into each of the table's seven indexes. Now no index holds either: SQLite
-- writes no index for it, and PostgreSQL updates each row on its own page (a heap-only tuple, in
-- the room the table's fill factor leaves: see `Db::migrate`). Measured on PostgreSQL, 10,000
-- certificates (a third inactive): 115 ms before, 52 ms after.
--
-- The daily job's reads of due and expired certificates walk the validity index, or the table;
-- the public register reads the published ones by their flag.
DROP INDEX certificates_due;
DROP INDEX certificates_valid;
CREATE INDEX certificates_valid ON certificates (valid_until);
DROP INDEX certificates_published;
CREATE INDEX certificates_published ON certificates (published);
