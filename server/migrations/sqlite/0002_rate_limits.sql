-- The comment rate limit's token buckets, one per client address, so that it holds across restarts
-- (and, on PostgreSQL, across instances). A bucket quiet long enough to be full again is deleted.
CREATE TABLE rate_limits (
    client TEXT PRIMARY KEY,
    tokens REAL NOT NULL,
    updated_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX rate_limits_by_age ON rate_limits (updated_ms);
