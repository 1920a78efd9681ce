-- The per-client request budget that all API processes on this database share: each adds the
-- requests it saw once a second. Unlogged: counts are worth nothing after a crash.
CREATE UNLOGGED TABLE rate_windows (
    client text NOT NULL,
    window_start bigint NOT NULL, -- Unix seconds, a multiple of the window length
    requests bigint NOT NULL,
    PRIMARY KEY (client, window_start)
);
