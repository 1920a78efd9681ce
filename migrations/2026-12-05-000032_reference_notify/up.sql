-- The API keeps the states in process (api/src/reference_cache.rs); every statement that changes
-- the table tells the listening API processes to read it again. The payload names the table.
CREATE FUNCTION govgraph_notify_reference() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('govgraph_reference', TG_TABLE_NAME);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER states_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON states
    FOR EACH STATEMENT EXECUTE FUNCTION govgraph_notify_reference();
