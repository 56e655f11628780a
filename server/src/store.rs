//! Comments and used captcha challenges in SQLite (WAL, `synchronous=FULL`): a comment is on disk
//! before its 201 leaves. One writer connection behind a mutex serializes writes (SQLite allows a
//! single writer anyway, and this keeps "check then insert" inside one transaction trivially
//! race-free); reads use their own connections, which WAL lets run alongside the writer.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use kiosque::model::comment::ValidComment;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

pub const DATABASE_FILE: &str = "kiosque.sqlite3";
/// Idle read connections kept for reuse; more are opened under load and closed afterwards.
const IDLE_READERS: usize = 4;
/// How long a connection waits for a lock (checkpoints, the CLI writing) before failing.
const BUSY_TIMEOUT_MS: u64 = 5000;

const SCHEMA: &str = "
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
PRAGMA user_version = 1;
";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Approved,
    Pending,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Approved => "approved",
            Status::Pending => "pending",
        }
    }

    fn from_column(text: &str) -> Status {
        if text == "approved" {
            Status::Approved
        } else {
            Status::Pending
        }
    }
}

/// A stored comment. The email is here for moderators only; the API never returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentRow {
    pub id: i64,
    pub article_id: String,
    pub parent_id: Option<i64>,
    pub author_name: String,
    pub author_email: Option<String>,
    pub author_url: Option<String>,
    pub text: String,
    pub created_ms: i64,
    pub status: Status,
}

const COLUMNS: &str = "id, article_id, parent_id, author_name, author_email, author_url, text, created_ms, status";

fn row_to_comment(row: &rusqlite::Row<'_>) -> rusqlite::Result<CommentRow> {
    Ok(CommentRow {
        id: row.get(0)?,
        article_id: row.get(1)?,
        parent_id: row.get(2)?,
        author_name: row.get(3)?,
        author_email: row.get(4)?,
        author_url: row.get(5)?,
        text: row.get(6)?,
        created_ms: row.get(7)?,
        status: Status::from_column(&row.get::<_, String>(8)?),
    })
}

/// A comment ready to store: validated, its captcha checked.
pub struct NewRow<'a> {
    pub article_id: &'a str,
    pub parent_id: Option<i64>,
    pub comment: &'a ValidComment,
    pub status: Status,
    pub idempotency_key: Option<&'a str>,
    /// A proof-of-work challenge to spend with this comment, and when it expires (Unix seconds).
    pub challenge: Option<(&'a str, u64)>,
    pub now_ms: i64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Insert {
    Stored(CommentRow),
    /// The idempotency key was already used for this article: the comment stored then.
    Replayed(CommentRow),
    ParentNotFound,
    ChallengeUsed,
}

#[derive(Clone)]
pub struct Store {
    path: PathBuf,
    writer: Arc<Mutex<Connection>>,
    readers: Arc<Mutex<Vec<Connection>>>,
}

fn open(path: &Path) -> rusqlite::Result<Connection> {
    let connection = Connection::open(path)?;
    connection.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
    // WAL: readers never block the writer. FULL: every commit is fsynced, so an acknowledged
    // comment survives a crash or a power cut, not only a killed process.
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "FULL")?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    Ok(connection)
}

impl Store {
    /// Opens (creating if needed) the database of a data directory.
    pub fn open(data_dir: &Path) -> rusqlite::Result<Store> {
        let path = data_dir.join(DATABASE_FILE);
        let writer = open(&path)?;
        writer.execute_batch(SCHEMA)?;
        Ok(Store { path, writer: Arc::new(Mutex::new(writer)), readers: Arc::new(Mutex::new(Vec::new())) })
    }

    /// Runs `work` on the writer connection. Blocking: call it from `spawn_blocking`.
    pub fn write<T>(&self, work: impl FnOnce(&mut Connection) -> rusqlite::Result<T>) -> rusqlite::Result<T> {
        // A panic while holding the lock rolled its transaction back (Transaction's drop), so the
        // connection is still sound: keep using it.
        let mut connection = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        work(&mut connection)
    }

    /// Runs `work` on a read connection. Blocking: call it from `spawn_blocking`.
    pub fn read<T>(&self, work: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> rusqlite::Result<T> {
        let idle = self.readers.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let connection = match idle {
            Some(connection) => connection,
            None => open(&self.path)?,
        };
        let result = work(&connection);
        let mut readers = self.readers.lock().unwrap_or_else(PoisonError::into_inner);
        if readers.len() < IDLE_READERS {
            readers.push(connection);
        }
        result
    }

    pub fn insert(&self, new: &NewRow<'_>) -> rusqlite::Result<Insert> {
        self.write(|connection| {
            // IMMEDIATE: take the write lock first, so the checks below still hold at commit.
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if let Some(key) = new.idempotency_key {
                if let Some(existing) = find_by_key(&transaction, new.article_id, key)? {
                    return Ok(Insert::Replayed(existing));
                }
            }
            if let Some(parent) = new.parent_id {
                if !comment_exists(&transaction, new.article_id, parent)? {
                    return Ok(Insert::ParentNotFound);
                }
            }
            if let Some((challenge, expires)) = new.challenge {
                let now_seconds = new.now_ms.div_euclid(1000);
                transaction.execute("DELETE FROM used_challenges WHERE expires < ?1", params![now_seconds])?;
                let spent = transaction.execute(
                    "INSERT INTO used_challenges (challenge, expires) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                    params![challenge, i64::try_from(expires).unwrap_or(i64::MAX)],
                )?;
                if spent == 0 {
                    return Ok(Insert::ChallengeUsed);
                }
            }
            let comment = new.comment;
            transaction.execute(
                "INSERT INTO comments (article_id, parent_id, author_name, author_email, author_url, text, created_ms, status, idempotency_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    new.article_id,
                    new.parent_id,
                    comment.author_name,
                    comment.author_email,
                    comment.author_url,
                    comment.text,
                    new.now_ms,
                    new.status.as_str(),
                    new.idempotency_key,
                ],
            )?;
            let id = transaction.last_insert_rowid();
            let stored = CommentRow {
                id,
                article_id: new.article_id.to_string(),
                parent_id: new.parent_id,
                author_name: comment.author_name.clone(),
                author_email: comment.author_email.clone(),
                author_url: comment.author_url.clone(),
                text: comment.text.clone(),
                created_ms: new.now_ms,
                status: new.status,
            };
            transaction.commit()?;
            Ok(Insert::Stored(stored))
        })
    }

    pub fn find_by_key(&self, article_id: &str, key: &str) -> rusqlite::Result<Option<CommentRow>> {
        self.read(|connection| find_by_key(connection, article_id, key))
    }

    pub fn comment_exists(&self, article_id: &str, id: i64) -> rusqlite::Result<bool> {
        self.read(|connection| comment_exists(connection, article_id, id))
    }

    /// The article's approved comments, oldest first.
    pub fn approved(&self, article_id: &str) -> rusqlite::Result<Vec<CommentRow>> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM comments WHERE article_id = ?1 AND status = 'approved' ORDER BY id"
            ))?;
            let rows = statement.query_map(params![article_id], row_to_comment)?;
            rows.collect()
        })
    }

    /// Every comment waiting for moderation, oldest first.
    pub fn pending(&self) -> rusqlite::Result<Vec<CommentRow>> {
        self.read(|connection| {
            let mut statement =
                connection.prepare(&format!("SELECT {COLUMNS} FROM comments WHERE status = 'pending' ORDER BY id"))?;
            let rows = statement.query_map([], row_to_comment)?;
            rows.collect()
        })
    }

    /// Publishes a comment; `false` when there is no such comment.
    pub fn approve(&self, id: i64) -> rusqlite::Result<bool> {
        self.write(|connection| {
            Ok(connection.execute("UPDATE comments SET status = 'approved' WHERE id = ?1", params![id])? == 1)
        })
    }

    /// Deletes a comment and, through the foreign key, all its replies; returns how many went.
    pub fn delete(&self, id: i64) -> rusqlite::Result<usize> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let before: i64 = transaction.query_row("SELECT count(*) FROM comments", [], |row| row.get(0))?;
            transaction.execute("DELETE FROM comments WHERE id = ?1", params![id])?;
            let after: i64 = transaction.query_row("SELECT count(*) FROM comments", [], |row| row.get(0))?;
            transaction.commit()?;
            Ok(usize::try_from(before - after).unwrap_or(0))
        })
    }
}

fn find_by_key(connection: &Connection, article_id: &str, key: &str) -> rusqlite::Result<Option<CommentRow>> {
    connection
        .prepare_cached(&format!("SELECT {COLUMNS} FROM comments WHERE article_id = ?1 AND idempotency_key = ?2"))?
        .query_row(params![article_id, key], row_to_comment)
        .optional()
}

fn comment_exists(connection: &Connection, article_id: &str, id: i64) -> rusqlite::Result<bool> {
    connection
        .prepare_cached("SELECT 1 FROM comments WHERE id = ?1 AND article_id = ?2")?
        .query_row(params![id, article_id], |_| Ok(()))
        .optional()
        .map(|found| found.is_some())
}
