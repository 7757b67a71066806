-- Retention ("5+5 år", seed 001): the daily job finds documents by their upload, the oldest
-- first; a person's documents go ten years after their last certificate ends.
CREATE INDEX documents_uploaded ON documents (uploaded_at);
