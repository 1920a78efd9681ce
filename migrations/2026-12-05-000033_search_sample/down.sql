DROP TRIGGER IF EXISTS search_documents_sample_write ON search_documents;
DROP TRIGGER IF EXISTS search_documents_sample_delete ON search_documents;
DROP FUNCTION IF EXISTS govgraph_search_sample();
DROP TABLE IF EXISTS search_sample;
