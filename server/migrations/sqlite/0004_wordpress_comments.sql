-- `--comments wordpress`: a reader's idempotency key kept with the WordPress comment it created,
-- so that a retry answers as the first try did instead of creating a second comment. A row without
-- `wordpress_id` is a request under way; it is removed if WordPress creates nothing.
CREATE TABLE wordpress_comment_keys (
    article_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    wordpress_id INTEGER,
    -- The comment as the first 201 gave it (JSON).
    answer TEXT,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (article_id, idempotency_key)
) WITHOUT ROWID;

-- `import-wxr`: which WordPress comment (by its site and number) each imported comment was, so
-- that importing the same export again adds nothing and replies find their parent.
CREATE TABLE wordpress_imports (
    site TEXT NOT NULL,
    wordpress_id INTEGER NOT NULL,
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    PRIMARY KEY (site, wordpress_id)
) WITHOUT ROWID;
