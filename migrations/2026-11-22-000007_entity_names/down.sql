DROP VIEW entity_names;
