DROP TABLE audit_log;
DROP TABLE evidence;
DROP TABLE relations;
DROP TABLE mentions;
