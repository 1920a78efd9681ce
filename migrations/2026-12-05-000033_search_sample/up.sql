-- A fixed sample of `search_documents`: every announcement whose id is a multiple of 32, in a
-- table of its own (its rows together on few pages, with their own GIN index). A search that
-- matches more announcements than are worth counting one by one counts them here and scales the
-- counts, flagged as estimates (shared/src/models/search.rs, `SAMPLE_EVERY`, `EXACT_UP_TO`).
-- Row triggers on `search_documents` keep it, for the sampled ids only.
CREATE TABLE search_sample (LIKE search_documents INCLUDING DEFAULTS)
    WITH (toast_tuple_target = 128, fillfactor = 90);
ALTER TABLE search_sample ADD PRIMARY KEY (id);
INSERT INTO search_sample SELECT * FROM search_documents WHERE id % 32 = 0;
CREATE INDEX search_sample_search ON search_sample USING GIN (search);

CREATE FUNCTION govgraph_search_sample() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_sample WHERE id = OLD.id;
    ELSE
        INSERT INTO search_sample (id, published_at, year, states, publisher, search)
        VALUES (NEW.id, NEW.published_at, NEW.year, NEW.states, NEW.publisher, NEW.search)
        ON CONFLICT (id) DO UPDATE SET published_at = EXCLUDED.published_at, year = EXCLUDED.year,
            states = EXCLUDED.states, publisher = EXCLUDED.publisher, search = EXCLUDED.search;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER search_documents_sample_write AFTER INSERT OR UPDATE ON search_documents
    FOR EACH ROW WHEN (NEW.id % 32 = 0) EXECUTE FUNCTION govgraph_search_sample();
CREATE TRIGGER search_documents_sample_delete AFTER DELETE ON search_documents
    FOR EACH ROW WHEN (OLD.id % 32 = 0) EXECUTE FUNCTION govgraph_search_sample();
