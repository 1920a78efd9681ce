-- Name matching for the reconciliation service (/reconcile): trigram similarity on a folded form
-- of the name (the part before the first comma, where the register appends the designation, as in
-- "Wilsdruff, Stadt", unless the name has the word "für", as ministries' names with commas do;
-- lower case; umlauts and ß spelt out), so that "Muenchen", "münchen" and "München,
-- Landeshauptstadt" meet. govgraph_shared::models::reconcile::fold folds the same way.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION reconcile_fold(t TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
SELECT replace(replace(replace(replace(btrim(
         CASE WHEN lower(t) ~ '(^|[^[:alnum:]])für([^[:alnum:]]|$)' THEN lower(t)
              ELSE lower(split_part(t, ',', 1)) END),
       'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss')
$$;

-- GiST rather than GIN: on the register's short names a GIN scan rechecks many rows (about 40 ms
-- for "hagen"), a GiST scan takes a few (about 8 ms); GiST also orders by distance (<->)
CREATE INDEX actors_name_fold_trgm ON actors USING GIST (reconcile_fold(name) gist_trgm_ops);
-- a query's AGS finds its actor whatever the kind
CREATE INDEX actors_ags_only ON actors (ags) WHERE ags IS NOT NULL;
