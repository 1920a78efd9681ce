-- The register of municipalities adds Regierungsbezirke and regions (kind `region`) and
-- Gemeindeverbände such as Ämter and Verbandsgemeinden (kind `municipal_federation`, keyed by the
-- 9-digit association key in `ars`). A catalogue entry is identified by its kind and official key.
ALTER TABLE actors DROP CONSTRAINT actors_kind_check;
ALTER TABLE actors ADD CONSTRAINT actors_kind_check CHECK (kind IN (
    'government', 'ministry', 'municipality', 'district', 'municipal_association', 'municipal_federation',
    'it_service_provider', 'company', 'agency', 'university', 'body', 'person', 'group', 'association',
    'region', 'other'));
DROP INDEX actors_ags;
CREATE UNIQUE INDEX actors_kind_ags ON actors (kind, ags) WHERE ags IS NOT NULL;
CREATE UNIQUE INDEX actors_kind_ars ON actors (kind, ars) WHERE ars IS NOT NULL;
ALTER TABLE actors ADD CONSTRAINT actors_ars_check2 CHECK (ars ~ '^[0-9]{9,12}$');

-- catalogue loads report what they no longer find
ALTER TABLE harvest_runs ADD COLUMN items_removed INTEGER NOT NULL DEFAULT 0;
