DROP INDEX documents_simhash;
ALTER TABLE documents DROP COLUMN near_duplicate_of;
