-- Where a source was defined: the sources file (mirrored at every start; a source the file no
-- longer names is disabled then) or the API (`putSource`; kept across restarts).
ALTER TABLE sources ADD COLUMN origin text NOT NULL DEFAULT 'file' CHECK (origin IN ('file', 'api'));
