-- Harvested announcements. One row per canonical URL; the current text is here, earlier texts in
-- document_versions.
CREATE TABLE documents (
    id                   BIGSERIAL PRIMARY KEY,
    source_id            BIGINT REFERENCES sources (id) ON DELETE SET NULL,
    url                  TEXT NOT NULL,
    canonical_url        TEXT NOT NULL UNIQUE,
    title                TEXT NOT NULL,
    published_at         TIMESTAMPTZ,
    -- where the date came from: json_ld, meta, time, feed, dateline, text
    published_source     TEXT,
    publisher            TEXT,
    publisher_actor_id   BIGINT REFERENCES entities (id) ON DELETE SET NULL,
    place                TEXT,
    press_release_number TEXT,
    lang                 TEXT NOT NULL DEFAULT 'de',
    text                 TEXT NOT NULL,
    summary              TEXT,
    attachments          JSONB NOT NULL DEFAULT '[]',
    content_hash         TEXT NOT NULL,
    simhash              BIGINT,
    -- the same text at a second URL (syndication) points to the first
    duplicate_of         BIGINT REFERENCES documents (id) ON DELETE SET NULL,
    raw_sha256           TEXT REFERENCES raw_responses (sha256) ON DELETE SET NULL,
    etag                 TEXT,
    last_modified        TEXT,
    fetched_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    version              INTEGER NOT NULL DEFAULT 1,
    extractor            TEXT NOT NULL,
    primary_state        TEXT REFERENCES states (code),
    deleted_at           TIMESTAMPTZ,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    search               TSVECTOR GENERATED ALWAYS AS (
                             setweight(to_tsvector('german', coalesce(title, '')), 'A') ||
                             setweight(to_tsvector('german', coalesce(text, '')), 'B')) STORED
);
CREATE INDEX documents_search ON documents USING GIN (search);
CREATE INDEX documents_published ON documents (published_at DESC NULLS LAST, id DESC);
CREATE INDEX documents_source ON documents (source_id);
CREATE INDEX documents_content_hash ON documents (content_hash);
CREATE INDEX documents_updated_at ON documents (updated_at);

CREATE TABLE document_versions (
    id            BIGSERIAL PRIMARY KEY,
    document_id   BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    title         TEXT NOT NULL,
    text          TEXT NOT NULL,
    published_at  TIMESTAMPTZ,
    content_hash  TEXT NOT NULL,
    fetched_at    TIMESTAMPTZ NOT NULL,
    superseded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (document_id, version)
);

-- The states a document concerns; exactly one may be primary.
CREATE TABLE document_states (
    document_id  BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    state_code   TEXT NOT NULL REFERENCES states (code),
    is_primary   BOOLEAN NOT NULL DEFAULT false,
    score        REAL NOT NULL DEFAULT 0,
    -- what decided it: names, adjectives, capital, dateline, publisher
    signals      TEXT[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (document_id, state_code)
);
CREATE INDEX document_states_state ON document_states (state_code, document_id);
CREATE UNIQUE INDEX document_states_one_primary ON document_states (document_id) WHERE is_primary;
