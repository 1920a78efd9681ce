ALTER TABLE sources DROP COLUMN origin;
