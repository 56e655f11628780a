-- The comment rate limit's token buckets, one per client address, shared by every instance.
CREATE TABLE rate_limits (
    client TEXT PRIMARY KEY,
    tokens DOUBLE PRECISION NOT NULL,
    updated_ms BIGINT NOT NULL
);
CREATE INDEX rate_limits_by_age ON rate_limits (updated_ms);
-- What every instance must share and nothing else holds: the captcha's signing key (SQLite keeps
-- it in secret.key beside the database file).
CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
