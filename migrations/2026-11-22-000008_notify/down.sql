DROP TRIGGER relations_notify ON relations;
DROP FUNCTION govgraph_notify_relation();
DROP TRIGGER documents_notify ON documents;
DROP FUNCTION govgraph_notify_announcement();
