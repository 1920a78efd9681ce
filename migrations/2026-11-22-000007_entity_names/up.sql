-- One name and type for every node, whatever its table: what edges show for their ends.
CREATE VIEW entity_names AS
SELECT e.id, e.entity_type,
       coalesce(a.name, s.name, p.name, g.title, v.name) AS name,
       coalesce(a.slug, s.code, p.slug, g.slug, v.slug) AS slug
FROM entities e
LEFT JOIN actors a ON a.id = e.id
LEFT JOIN states s ON s.entity_id = e.id
LEFT JOIN projects p ON p.id = e.id
LEFT JOIN agreements g ON g.id = e.id
LEFT JOIN services v ON v.id = e.id;
