-- Mentions tag a document with a node; relations are the edges; evidence says where each edge
-- was read (document, sentence, offsets, method, confidence). Offsets count characters of
-- documents.text (not bytes).
CREATE TABLE mentions (
    id           BIGSERIAL PRIMARY KEY,
    document_id  BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    entity_id    BIGINT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    surface      TEXT NOT NULL,
    start_offset INTEGER NOT NULL CHECK (start_offset >= 0),
    end_offset   INTEGER NOT NULL CHECK (end_offset > start_offset),
    method       TEXT NOT NULL,
    confidence   REAL NOT NULL DEFAULT 1.0 CHECK (confidence >= 0 AND confidence <= 1),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (document_id, entity_id, start_offset)
);
CREATE INDEX mentions_entity ON mentions (entity_id, document_id);

CREATE TABLE relations (
    id           BIGSERIAL PRIMARY KEY,
    subject_id   BIGINT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    predicate    TEXT NOT NULL CHECK (predicate IN (
                    'party_to', 'signed', 'renews', 'member_of', 'holds_position', 'leads', 'operates',
                    'participates_in', 'founded', 'serves', 'offers', 'located_in')),
    object_id    BIGINT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    role         TEXT CHECK (role IN ('chair', 'deputy_chair', 'member', 'guest')),
    title        TEXT,
    valid_from   DATE,
    valid_until  DATE,
    qualifiers   JSONB NOT NULL DEFAULT '{}',
    status       TEXT NOT NULL DEFAULT 'candidate'
                 CHECK (status IN ('reference', 'confirmed', 'candidate', 'rejected')),
    confidence   REAL NOT NULL DEFAULT 0.5 CHECK (confidence >= 0 AND confidence <= 1),
    deleted_at   TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX relations_identity
    ON relations (subject_id, predicate, object_id, coalesce(role, ''), coalesce(title, ''));
CREATE INDEX relations_object ON relations (object_id, predicate);
CREATE INDEX relations_updated_at ON relations (updated_at);

CREATE TABLE evidence (
    id           BIGSERIAL PRIMARY KEY,
    relation_id  BIGINT NOT NULL REFERENCES relations (id) ON DELETE CASCADE,
    -- NULL for catalogue-sourced edges: then `source_id` and `method` say where it came from
    document_id  BIGINT REFERENCES documents (id) ON DELETE CASCADE,
    source_id    BIGINT REFERENCES sources (id) ON DELETE SET NULL,
    sentence     TEXT,
    start_offset INTEGER,
    end_offset   INTEGER,
    method       TEXT NOT NULL,
    confidence   REAL NOT NULL DEFAULT 0.5 CHECK (confidence >= 0 AND confidence <= 1),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (document_id IS NOT NULL OR source_id IS NOT NULL OR method LIKE 'reference%')
);
CREATE UNIQUE INDEX evidence_identity
    ON evidence (relation_id, coalesce(document_id, 0), coalesce(start_offset, -1), method);
CREATE INDEX evidence_document ON evidence (document_id);

-- Who changed what through the API.
CREATE TABLE audit_log (
    id           BIGSERIAL PRIMARY KEY,
    who          TEXT NOT NULL,
    action       TEXT NOT NULL,
    target       TEXT,
    details      JSONB NOT NULL DEFAULT '{}',
    at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
