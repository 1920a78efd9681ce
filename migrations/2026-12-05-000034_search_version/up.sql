-- A number that moves whenever what a search counts may have changed: every statement that
-- writes `search_documents` (its triggers follow `documents` and `document_states`) or one of the
-- node tables advances the sequence. The API keeps the counts and facets of recent searches and
-- uses them again only while the number is the one they were counted at (and for at most a few
-- seconds, for a change whose transaction had not committed when it was counted).
CREATE SEQUENCE search_version;

CREATE FUNCTION govgraph_search_changed() RETURNS trigger AS $$
BEGIN
    PERFORM nextval('search_version');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER search_documents_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON search_documents
    FOR EACH STATEMENT EXECUTE FUNCTION govgraph_search_changed();
CREATE TRIGGER actors_search_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON actors
    FOR EACH STATEMENT EXECUTE FUNCTION govgraph_search_changed();
CREATE TRIGGER projects_search_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON projects
    FOR EACH STATEMENT EXECUTE FUNCTION govgraph_search_changed();
CREATE TRIGGER agreements_search_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON agreements
    FOR EACH STATEMENT EXECUTE FUNCTION govgraph_search_changed();
CREATE TRIGGER services_search_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON services
    FOR EACH STATEMENT EXECUTE FUNCTION govgraph_search_changed();
