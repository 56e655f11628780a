-- Moderation: comments become spam or deleted instead of disappearing, and deleting one no longer
-- takes its replies (no ON DELETE CASCADE). SQLite cannot change a CHECK constraint or a foreign
-- key in place, so the table is rebuilt, keeping every id and the AUTOINCREMENT counter. The new
-- table's key refers to itself by its temporary name, which the RENAME below rewrites.
CREATE TABLE comments_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL,
    parent_id INTEGER REFERENCES comments_rebuilt(id),
    author_name TEXT NOT NULL,
    author_email TEXT,
    author_url TEXT,
    text TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('approved', 'pending', 'spam', 'deleted')),
    idempotency_key TEXT
);
INSERT INTO comments_rebuilt (id, article_id, parent_id, author_name, author_email, author_url, text, created_ms, status, idempotency_key)
    SELECT id, article_id, parent_id, author_name, author_email, author_url, text, created_ms, status, idempotency_key
    FROM comments ORDER BY id;
-- Ids of comments deleted by the previous releases are never given again.
UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'comments')
    WHERE name = 'comments_rebuilt' AND seq < (SELECT seq FROM sqlite_sequence WHERE name = 'comments');
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'comments_rebuilt', seq FROM sqlite_sequence WHERE name = 'comments'
    AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'comments_rebuilt');
DROP TABLE comments;
ALTER TABLE comments_rebuilt RENAME TO comments;
CREATE UNIQUE INDEX comments_by_idempotency_key
    ON comments (article_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX comments_by_article ON comments (article_id, status, id);
CREATE INDEX comments_by_parent ON comments (parent_id);
CREATE INDEX comments_by_status ON comments (status, id);
CREATE INDEX comments_by_email ON comments (author_email);

-- A comment's earlier texts, kept when a moderator edits it (and removed by `erase`).
CREATE TABLE comment_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    text TEXT NOT NULL,
    replaced_ms INTEGER NOT NULL,
    replaced_by TEXT NOT NULL
);
CREATE INDEX comment_versions_by_comment ON comment_versions (comment_id, id);

-- Articles whose comments a moderator closed (the article's own file may close them too).
CREATE TABLE closed_articles (
    article_id TEXT PRIMARY KEY,
    closed_ms INTEGER NOT NULL,
    closed_by TEXT NOT NULL
) WITHOUT ROWID;

-- Emails and site urls whose new comments go to spam.
CREATE TABLE bans (
    kind TEXT NOT NULL CHECK (kind IN ('email', 'url')),
    value TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;

-- The newsroom's accounts: argon2id hashes (PHC strings), never passwords.
CREATE TABLE users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('admin', 'moderator')),
    password_hash TEXT NOT NULL,
    created_ms INTEGER NOT NULL
) WITHOUT ROWID;

-- Signed-in sessions, by the SHA-256 of their token (a stolen database holds no usable token).
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_age ON sessions (last_seen_ms);

-- Failed sign-ins per account (`user:NAME`) and per address (`addr:IP`), shared by every instance.
CREATE TABLE sign_in_failures (
    subject TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_ms INTEGER NOT NULL
) WITHOUT ROWID;

-- Who did what, to which comment, when.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    comment_id INTEGER,
    detail TEXT
);
