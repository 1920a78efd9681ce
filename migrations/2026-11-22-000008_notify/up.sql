-- Live announcements and relations: every API process LISTENs on these channels, whichever
-- process stored the row (a worker, a harvest command, another host).
CREATE FUNCTION govgraph_notify_announcement() RETURNS trigger AS $$
BEGIN
    IF NEW.duplicate_of IS NULL THEN
        PERFORM pg_notify('govgraph_announcement', NEW.id::text);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER documents_notify AFTER INSERT ON documents
    FOR EACH ROW EXECUTE FUNCTION govgraph_notify_announcement();

CREATE FUNCTION govgraph_notify_relation() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('govgraph_relation', NEW.id::text);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER relations_notify AFTER INSERT ON relations
    FOR EACH ROW EXECUTE FUNCTION govgraph_notify_relation();
