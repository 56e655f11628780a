-- Reply notifications by email (--smtp): a reader asks, with a comment, to hear of its replies;
-- nothing is sent about replies until they confirm (double opt-in).
CREATE TABLE reply_subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    email TEXT NOT NULL,
    lang TEXT NOT NULL CHECK (lang IN ('fr', 'en')),
    state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'unsubscribed')),
    created_ms INTEGER NOT NULL,
    confirmed_ms INTEGER,
    unsubscribed_ms INTEGER
);
CREATE INDEX reply_subscriptions_by_comment ON reply_subscriptions (comment_id, state);
CREATE INDEX reply_subscriptions_by_email ON reply_subscriptions (lower(email));

-- Mails to send, sent, or given up: the worker of every instance claims due rows with a lease
-- (locked_until_ms). token_hash: the SHA-256 of the token in the mail's links, made when it is sent.
CREATE TABLE mail_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('confirm', 'reply')),
    subscription_id INTEGER NOT NULL REFERENCES reply_subscriptions(id),
    reply_id INTEGER REFERENCES comments(id),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    locked_until_ms INTEGER,
    token_hash TEXT,
    created_ms INTEGER NOT NULL,
    sent_ms INTEGER,
    abandoned_ms INTEGER,
    -- Why the last attempt failed (the SMTP server's answer; never an address or a password).
    last_error TEXT,
    CHECK ((kind = 'confirm') = (reply_id IS NULL))
);
-- One mail per subscription, kind and reply, however many times a reply is approved.
CREATE UNIQUE INDEX mail_queue_once ON mail_queue (subscription_id, kind, coalesce(reply_id, 0));
CREATE UNIQUE INDEX mail_queue_by_token ON mail_queue (token_hash) WHERE token_hash IS NOT NULL;
CREATE INDEX mail_queue_due ON mail_queue (next_attempt_ms, id) WHERE sent_ms IS NULL AND abandoned_ms IS NULL;
CREATE INDEX mail_queue_by_reply ON mail_queue (reply_id) WHERE reply_id IS NOT NULL;
