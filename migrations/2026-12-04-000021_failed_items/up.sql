-- Items whose page was fetched and archived but could not be read (no article text, or the
-- analysis failed): kept with their archived response so that `govgraph reparse` tries them again
-- after a fix. A later successful harvest or reparse of the same URL removes the row.
CREATE TABLE failed_items (
    source_id bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    canonical_url text NOT NULL,
    url text NOT NULL,
    raw_sha256 text NOT NULL REFERENCES raw_responses (sha256) ON DELETE CASCADE,
    title text,
    published_at timestamptz,
    error text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_id, canonical_url)
);
