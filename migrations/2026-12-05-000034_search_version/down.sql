DROP TRIGGER IF EXISTS services_search_changed ON services;
DROP TRIGGER IF EXISTS agreements_search_changed ON agreements;
DROP TRIGGER IF EXISTS projects_search_changed ON projects;
DROP TRIGGER IF EXISTS actors_search_changed ON actors;
DROP TRIGGER IF EXISTS search_documents_changed ON search_documents;
DROP FUNCTION IF EXISTS govgraph_search_changed();
DROP SEQUENCE IF EXISTS search_version;
