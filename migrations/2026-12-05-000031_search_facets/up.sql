-- Faceted search. `search_documents` holds, for every live announcement (not deleted, not a
-- duplicate), what search filters and counts by: its Berlin year, the states it is tagged with,
-- its publisher, and a copy of its full-text vector with its own GIN index. A search reads the
-- matching ids from that index and counts them on these narrow rows (about 100 bytes each, the
-- vector stored out of line), never on the wide `documents` rows. Statement triggers keep the table
-- in step with `documents` and `document_states`, so a bulk load pays once per statement.
CREATE TABLE search_documents (
    id            BIGINT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    published_at  TIMESTAMPTZ,
    year          SMALLINT,
    states        TEXT[] NOT NULL DEFAULT '{}',
    publisher     TEXT,
    search        TSVECTOR NOT NULL
) WITH (toast_tuple_target = 128, fillfactor = 90);
CREATE INDEX search_documents_search ON search_documents USING GIN (search);
CREATE INDEX search_documents_published ON search_documents (published_at DESC NULLS LAST, id DESC);
CREATE INDEX search_documents_states ON search_documents USING GIN (states);
CREATE INDEX search_documents_year ON search_documents (year);
CREATE INDEX search_documents_publisher ON search_documents (publisher);

CREATE FUNCTION govgraph_berlin_year(t TIMESTAMPTZ) RETURNS SMALLINT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT extract(year FROM t AT TIME ZONE 'Europe/Berlin')::smallint $$;

INSERT INTO search_documents (id, published_at, year, states, publisher, search)
SELECT d.id, d.published_at, govgraph_berlin_year(d.published_at),
       coalesce((SELECT array_agg(s.state_code ORDER BY s.state_code) FROM document_states s WHERE s.document_id = d.id), '{}'),
       nullif(btrim(d.publisher), ''), d.search
FROM documents d WHERE d.duplicate_of IS NULL AND d.deleted_at IS NULL;

CREATE FUNCTION govgraph_search_documents_upsert() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM search_documents s USING changed c
        WHERE s.id = c.id AND (c.duplicate_of IS NOT NULL OR c.deleted_at IS NOT NULL);
    END IF;
    INSERT INTO search_documents (id, published_at, year, states, publisher, search)
    SELECT c.id, c.published_at, govgraph_berlin_year(c.published_at),
           coalesce((SELECT array_agg(s.state_code ORDER BY s.state_code) FROM document_states s WHERE s.document_id = c.id), '{}'),
           nullif(btrim(c.publisher), ''), c.search
    FROM changed c WHERE c.duplicate_of IS NULL AND c.deleted_at IS NULL
    ON CONFLICT (id) DO UPDATE SET published_at = EXCLUDED.published_at, year = EXCLUDED.year,
        publisher = EXCLUDED.publisher, search = EXCLUDED.search;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER documents_search_insert AFTER INSERT ON documents
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION govgraph_search_documents_upsert();
CREATE TRIGGER documents_search_update AFTER UPDATE ON documents
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION govgraph_search_documents_upsert();

CREATE FUNCTION govgraph_search_documents_states() RETURNS trigger AS $$
BEGIN
    -- only rows whose states differ are written (a document stored with its states in one
    -- statement has them already)
    UPDATE search_documents d SET states = n.states
    FROM (SELECT ids.document_id AS id,
                 coalesce((SELECT array_agg(s.state_code ORDER BY s.state_code) FROM document_states s
                           WHERE s.document_id = ids.document_id), '{}') AS states
          FROM (SELECT DISTINCT document_id FROM changed) ids) n
    WHERE d.id = n.id AND d.states IS DISTINCT FROM n.states;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER document_states_search_insert AFTER INSERT ON document_states
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION govgraph_search_documents_states();
CREATE TRIGGER document_states_search_update AFTER UPDATE ON document_states
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION govgraph_search_documents_states();
CREATE TRIGGER document_states_search_delete AFTER DELETE ON document_states
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION govgraph_search_documents_states();

-- Names and aliases of the nodes, lower-cased, for `LIKE '%word%'` through trigram indexes.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE FUNCTION govgraph_search_names(name TEXT, aliases TEXT[]) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT lower(name || chr(31) || array_to_string(aliases, chr(31))) $$;
CREATE INDEX actors_search_names ON actors USING GIN (govgraph_search_names(name, aliases) gin_trgm_ops);
CREATE INDEX projects_search_names ON projects USING GIN (govgraph_search_names(name, aliases) gin_trgm_ops);
CREATE INDEX agreements_search_names ON agreements USING GIN (govgraph_search_names(title, aliases) gin_trgm_ops);
CREATE INDEX services_search_names ON services USING GIN (govgraph_search_names(name, aliases) gin_trgm_ops);
CREATE INDEX agreements_date_signed ON agreements (date_signed);
