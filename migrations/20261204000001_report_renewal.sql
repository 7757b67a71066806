-- The yearly report and renewal (issue 13, seed 001 "Årsrapportering" and "Förnyelse").

-- Which cases ask for a required document: an application (a new certificate, or its renewal)
-- or a yearly report ("en rad för att ladda upp din årsrapport").
ALTER TABLE required_documents ADD COLUMN case_kind TEXT NOT NULL DEFAULT 'application'
    CHECK (case_kind IN ('application', 'yearly_report'));

-- The certificate a yearly report or a renewal is about; for a report, the "Förläng senast" it
-- answers. A report is opened once per certificate and deadline, however many servers run the
-- day's job.
ALTER TABLE cases ADD COLUMN about_certificate TEXT REFERENCES certificates (id);
ALTER TABLE cases ADD COLUMN report_due TEXT;
CREATE UNIQUE INDEX cases_report_once ON cases (about_certificate, report_due)
    WHERE kind = 'yearly_report';
-- One open application (new or renewal) of a kind per person and scheme, as before; reports are
-- one per certificate and date instead (a renewed certificate's report may open while the old
-- one's is still open).
DROP INDEX cases_open;
CREATE UNIQUE INDEX cases_open ON cases (person_id, scheme_id, kind)
    WHERE status <> 'decided' AND kind <> 'yearly_report';

-- A renewed certificate names the next period's.
ALTER TABLE certificates ADD COLUMN renewed_by TEXT REFERENCES certificates (id);
