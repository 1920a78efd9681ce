ALTER TABLE harvest_runs DROP COLUMN items_removed;
ALTER TABLE actors DROP CONSTRAINT actors_ars_check2;
DROP INDEX actors_kind_ars;
DROP INDEX actors_kind_ags;
CREATE UNIQUE INDEX actors_ags ON actors (ags) WHERE ags IS NOT NULL AND kind IN ('municipality', 'district', 'municipal_association', 'region');
ALTER TABLE actors DROP CONSTRAINT actors_kind_check;
ALTER TABLE actors ADD CONSTRAINT actors_kind_check CHECK (kind IN (
    'government', 'ministry', 'municipality', 'district', 'municipal_association',
    'it_service_provider', 'company', 'agency', 'university', 'body', 'person', 'group', 'association',
    'region', 'other'));
