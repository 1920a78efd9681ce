DROP INDEX IF EXISTS actors_ags_only;
DROP INDEX IF EXISTS actors_name_fold_trgm;
DROP FUNCTION IF EXISTS reconcile_fold(TEXT);
-- pg_trgm stays: other objects may use it
