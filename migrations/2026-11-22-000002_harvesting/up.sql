-- Sources mirror config/sources.toml (upserted by name at start); runs are the log of every harvest.
CREATE TABLE sources (
    id           BIGSERIAL PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL CHECK (kind IN ('rss', 'html', 'sitemap', 'page', 'gemeindeverzeichnis',
                                               'ozg_catalogue', 'leika', 'ckan', 'csv')),
    url          TEXT NOT NULL,
    schedule     TEXT,
    state_code   TEXT REFERENCES states (code),
    publisher    TEXT,
    enabled      BOOLEAN NOT NULL DEFAULT true,
    -- kind-specific settings (selectors, max_pages, url_pattern, delay_ms, ...)
    settings     JSONB NOT NULL DEFAULT '{}',
    -- back-off across runs for a source that keeps failing
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    backoff_until TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE harvest_runs (
    id           BIGSERIAL PRIMARY KEY,
    source_id    BIGINT NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    status       TEXT NOT NULL DEFAULT 'running'
                 CHECK (status IN ('running', 'succeeded', 'partial', 'degraded', 'failed', 'interrupted')),
    trigger      TEXT NOT NULL DEFAULT 'manual' CHECK (trigger IN ('manual', 'schedule', 'api')),
    worker       TEXT,
    started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at  TIMESTAMPTZ,
    items_seen      INTEGER NOT NULL DEFAULT 0,
    items_new       INTEGER NOT NULL DEFAULT 0,
    items_updated   INTEGER NOT NULL DEFAULT 0,
    items_unchanged INTEGER NOT NULL DEFAULT 0,
    items_failed    INTEGER NOT NULL DEFAULT 0,
    items_skipped   INTEGER NOT NULL DEFAULT 0,
    -- [{"url": ..., "message": ...}]
    errors       JSONB NOT NULL DEFAULT '[]',
    message      TEXT
);
CREATE INDEX harvest_runs_source_started ON harvest_runs (source_id, started_at DESC);
CREATE INDEX harvest_runs_started ON harvest_runs (started_at DESC);

-- A job queue in the manner of crates.io's: cron ticks only enqueue (the dedup key makes N
-- schedulers enqueue one job), workers claim with FOR UPDATE SKIP LOCKED, failures retry with back-off.
CREATE TABLE jobs (
    id           BIGSERIAL PRIMARY KEY,
    job_type     TEXT NOT NULL,
    payload      JSONB NOT NULL DEFAULT '{}',
    dedup_key    TEXT,
    priority     SMALLINT NOT NULL DEFAULT 0,
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 5,
    run_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    locked_by    TEXT,
    locked_at    TIMESTAMPTZ,
    last_error   TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX jobs_dedup_key ON jobs (dedup_key) WHERE dedup_key IS NOT NULL;
CREATE INDEX jobs_ready ON jobs (priority DESC, run_at, id) WHERE locked_at IS NULL;

-- HTTP validators and the last outcome per fetched URL (feeds and pages alike).
CREATE TABLE fetched_urls (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    status_code   INTEGER,
    content_hash  TEXT,
    fetched_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Raw responses, compressed and content-addressed, so that a better extractor can re-parse later.
CREATE TABLE raw_responses (
    sha256       TEXT PRIMARY KEY,
    url          TEXT NOT NULL,
    content_type TEXT,
    encoding     TEXT NOT NULL DEFAULT 'identity',
    body         BYTEA NOT NULL,
    fetched_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
