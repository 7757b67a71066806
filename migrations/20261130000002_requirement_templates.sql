-- A required document's template ("Hämta mall") is a file a body administrator uploads, kept
-- in the object store under its SHA-256 like every document; `template` is the name it
-- downloads as. Names of files that were set by hand before are set again by the demo data.
ALTER TABLE required_documents ADD COLUMN template_sha256 TEXT;
ALTER TABLE required_documents ADD COLUMN template_format TEXT;
UPDATE required_documents SET template = NULL;
CREATE INDEX required_documents_template ON required_documents (template_sha256);
