-- The schema of the first release (which recorded no migrations, only user_version = 1): written
-- with IF NOT EXISTS so that applying it to one of its files changes nothing.
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL,
    parent_id INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    author_name TEXT NOT NULL,
    author_email TEXT,
    author_url TEXT,
    text TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('approved', 'pending')),
    idempotency_key TEXT
);
-- One comment per key and article, whatever the concurrency: the guarantee behind idempotent POSTs.
CREATE UNIQUE INDEX IF NOT EXISTS comments_by_idempotency_key
    ON comments (article_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS comments_by_article ON comments (article_id, status, id);
CREATE INDEX IF NOT EXISTS comments_by_parent ON comments (parent_id);
-- Proof-of-work challenges already spent, kept until they expire anyway.
CREATE TABLE IF NOT EXISTS used_challenges (
    challenge TEXT PRIMARY KEY,
    expires INTEGER NOT NULL
) WITHOUT ROWID;
