-- Near-duplicates: a document whose SimHash is within a few bits of an earlier one's points to it.
ALTER TABLE documents ADD COLUMN near_duplicate_of BIGINT REFERENCES documents (id) ON DELETE SET NULL;
CREATE INDEX documents_simhash ON documents (simhash) WHERE simhash IS NOT NULL;
