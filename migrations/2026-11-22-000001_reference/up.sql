-- The nodes of the graph. Every node (state, actor, project, agreement, service) owns a row in
-- `entities`, so that mentions and relations point at any node with one foreign key, and a global id
-- of the API is (type, id). The kind-specific tables share the entity's id as their primary key.

CREATE TABLE entities (
    id           BIGSERIAL PRIMARY KEY,
    entity_type  TEXT NOT NULL CHECK (entity_type IN ('state', 'actor', 'project', 'agreement', 'service')),
    -- merges keep the loser as a tombstone that points to the survivor
    merged_into  BIGINT REFERENCES entities (id),
    deleted_at   TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX entities_updated_at ON entities (updated_at);

-- The 16 Länder and DE (the federal level). Loaded from shared/data/states.toml at start.
CREATE TABLE states (
    code         TEXT PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
    entity_id    BIGINT NOT NULL UNIQUE REFERENCES entities (id),
    name         TEXT NOT NULL,
    ags_prefix   TEXT CHECK (ags_prefix ~ '^[0-9]{2}$'),
    capital      TEXT,
    -- the forms texts use: names with their inflections, short forms ("NRW", "LSA")
    names        TEXT[] NOT NULL DEFAULT '{}',
    -- adjective stems ("sächsisch", "saarländisch"); a matcher adds the endings
    adjectives   TEXT[] NOT NULL DEFAULT '{}',
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE actors (
    id           BIGINT PRIMARY KEY REFERENCES entities (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN (
                    'government', 'ministry', 'municipality', 'district', 'municipal_association',
                    'it_service_provider', 'company', 'agency', 'university', 'body', 'person',
                    'group', 'association', 'region', 'other')),
    name         TEXT NOT NULL,
    slug         TEXT NOT NULL UNIQUE,
    aliases      TEXT[] NOT NULL DEFAULT '{}',
    state_code   TEXT REFERENCES states (code),
    -- official keys: AGS (8 digits, 5 for a Kreis) and ARS (12 digits)
    ags          TEXT CHECK (ags ~ '^[0-9]{2,8}$'),
    ars          TEXT CHECK (ars ~ '^[0-9]{2,12}$'),
    wikidata_id  TEXT CHECK (wikidata_id ~ '^Q[0-9]+$'),
    status       TEXT NOT NULL DEFAULT 'candidate'
                 CHECK (status IN ('reference', 'confirmed', 'candidate', 'rejected')),
    description  TEXT,
    homepage     TEXT,
    attributes   JSONB NOT NULL DEFAULT '{}',
    first_seen   TIMESTAMPTZ,
    last_seen    TIMESTAMPTZ,
    -- a catalogue entry that a later load no longer lists is kept and marked
    unlisted_since DATE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX actors_ags ON actors (ags) WHERE ags IS NOT NULL AND kind IN ('municipality', 'district', 'municipal_association', 'region');
CREATE INDEX actors_ars ON actors (ars);
CREATE INDEX actors_state_kind ON actors (state_code, kind);
CREATE INDEX actors_name_lower ON actors (lower(name));
CREATE INDEX actors_aliases ON actors USING GIN (aliases);

CREATE TABLE projects (
    id           BIGINT PRIMARY KEY REFERENCES entities (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL DEFAULT 'project'
                 CHECK (kind IN ('project', 'platform', 'programme', 'network', 'ozg_themenfeld', 'portal', 'other')),
    name         TEXT NOT NULL,
    slug         TEXT NOT NULL UNIQUE,
    aliases      TEXT[] NOT NULL DEFAULT '{}',
    state_code   TEXT REFERENCES states (code),
    status       TEXT NOT NULL DEFAULT 'candidate'
                 CHECK (status IN ('reference', 'confirmed', 'candidate', 'rejected')),
    description  TEXT,
    homepage     TEXT,
    attributes   JSONB NOT NULL DEFAULT '{}',
    first_seen   TIMESTAMPTZ,
    last_seen    TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX projects_state ON projects (state_code);

CREATE TABLE agreements (
    id           BIGINT PRIMARY KEY REFERENCES entities (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL DEFAULT 'agreement'
                 CHECK (kind IN ('framework_agreement', 'cooperation_agreement', 'administrative_agreement',
                                 'state_treaty', 'position_paper', 'strategy', 'founding', 'agreement')),
    title        TEXT NOT NULL,
    slug         TEXT NOT NULL UNIQUE,
    aliases      TEXT[] NOT NULL DEFAULT '{}',
    date_signed  DATE,
    valid_from   DATE,
    valid_until  DATE,
    state_code   TEXT REFERENCES states (code),
    renews_id    BIGINT REFERENCES agreements (id),
    status       TEXT NOT NULL DEFAULT 'candidate'
                 CHECK (status IN ('reference', 'confirmed', 'candidate', 'rejected')),
    description  TEXT,
    attributes   JSONB NOT NULL DEFAULT '{}',
    first_seen   TIMESTAMPTZ,
    last_seen    TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX agreements_state_date ON agreements (state_code, date_signed);

-- OZG-Leistungen (kind 'ozg') and LeiKa services (kind 'leika'); a LeiKa entry points to the OZG
-- service that bundles it.
CREATE TABLE services (
    id             BIGINT PRIMARY KEY REFERENCES entities (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL DEFAULT 'ozg' CHECK (kind IN ('ozg', 'leika', 'other')),
    name           TEXT NOT NULL,
    slug           TEXT NOT NULL UNIQUE,
    aliases        TEXT[] NOT NULL DEFAULT '{}',
    ozg_id         TEXT UNIQUE,
    leika_key      TEXT UNIQUE,
    themenfeld     TEXT,
    lebenslage     TEXT,
    typisierung    TEXT,
    lead_state_code TEXT REFERENCES states (code),
    bundled_by_id  BIGINT REFERENCES services (id),
    status         TEXT NOT NULL DEFAULT 'reference'
                   CHECK (status IN ('reference', 'confirmed', 'candidate', 'rejected')),
    attributes     JSONB NOT NULL DEFAULT '{}',
    unlisted_since DATE,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX services_themenfeld ON services (themenfeld);
