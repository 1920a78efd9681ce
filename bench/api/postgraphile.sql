-- Bench-only SQL for PostGraphile on the bench database (bench/api/postgraphile.sh), not a
-- migration: what PostGraphile cannot derive from the tables, written as a PostGraphile user
-- would. Functions in `public` (PostGraphile 4 exposes computed columns of the schema it serves).

-- Actor.relations: every edge of an actor, either direction, in govgraph's list order
-- (predicate, id); the `deleted` and `rejected` ones left out as govgraph does.
CREATE OR REPLACE FUNCTION actors_relations(a actors) RETURNS SETOF relations AS $$
  SELECT r.* FROM relations r
  WHERE (r.subject_id = a.id OR r.object_id = a.id) AND r.deleted_at IS NULL AND r.status <> 'rejected'
  ORDER BY r.predicate, r.id
$$ LANGUAGE sql STABLE;

-- Query.searchAnnouncements(q): govgraph's ranking of announcements: the newest 1,000 matches of
-- the German full-text query, best ts_rank_cd first.
CREATE OR REPLACE FUNCTION search_announcements(q text) RETURNS SETOF documents AS $$
  SELECT d.* FROM (
    SELECT sd.id, ts_rank_cd(sd.search, websearch_to_tsquery('german', q)) AS rank
    FROM search_documents sd WHERE sd.search @@ websearch_to_tsquery('german', q)
    ORDER BY sd.published_at DESC NULLS LAST, sd.id DESC LIMIT 1000) c
  JOIN documents d ON d.id = c.id
  ORDER BY c.rank DESC, c.id DESC
$$ LANGUAGE sql STABLE;

-- Document.snippet(q): the same ts_headline as govgraph's search.
CREATE OR REPLACE FUNCTION documents_snippet(d documents, q text) RETURNS text AS $$
  SELECT ts_headline('german', d.title || E'\n' || d.text, websearch_to_tsquery('german', q),
    'StartSel=«, StopSel=», MaxFragments=2, MaxWords=25, MinWords=8')
$$ LANGUAGE sql STABLE;
