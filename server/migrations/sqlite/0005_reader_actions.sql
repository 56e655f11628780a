-- What readers do to comments besides writing them: vote, and edit or delete their own for a few
-- minutes (`--edit-window`).
-- `score` is up votes minus down votes, changed in the same transaction as `votes`, so that a page
-- of comments (and `sort=votes`, which orders an article's threads once they are read by
-- `comments_by_article`) needs no count. `voter_hash` is the SHA-256 of the voter id the comment
-- was posted with (its author may not vote on it); `edit_token_hash` the SHA-256 of the secret
-- edit token its author was given; `edited_ms` when its author last edited it.
ALTER TABLE comments ADD COLUMN score INTEGER NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN voter_hash TEXT;
ALTER TABLE comments ADD COLUMN edit_token_hash TEXT;
ALTER TABLE comments ADD COLUMN edited_ms INTEGER;

-- One vote per voter (by the SHA-256 of their voter id) and comment; taking a vote back removes it.
CREATE TABLE votes (
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    voter_hash TEXT NOT NULL,
    value INTEGER NOT NULL CHECK (value IN (-1, 1)),
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (comment_id, voter_hash)
) WITHOUT ROWID;
