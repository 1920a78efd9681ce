DROP TABLE document_states;
DROP TABLE document_versions;
DROP TABLE documents;
