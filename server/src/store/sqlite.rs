//! The SQLite backend (WAL, `synchronous=FULL`): a comment is on disk before its 201 leaves. One
//! writer connection behind a mutex serializes writes (SQLite allows a single writer anyway, and
//! this keeps "check then insert" inside one transaction trivially race-free); reads use their own
//! connections, which WAL lets run alongside the writer. Blocking: [`SqliteStore::run`] moves the
//! work off the async threads.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};

use super::{too_new, CommentRow, Insert, Migration, NewRow, Status, StoreError, COLUMNS};
use crate::captcha::Secret;
use crate::cli::RateLimit;
use crate::rate_limit::{self, Bucket};
use crate::time::now_ms;

/// The file name of the default database, in the data directory.
pub const DATABASE_FILE: &str = "kiosque.sqlite3";
/// Idle read connections kept for reuse; more are opened under load and closed afterwards.
const IDLE_READERS: usize = 4;
/// How long a connection waits for a lock (checkpoints, the CLI writing) before failing.
const BUSY_TIMEOUT_MS: u64 = 5000;

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "comments", sql: include_str!("../../migrations/sqlite/0001_comments.sql") },
    Migration { version: 2, name: "rate_limits", sql: include_str!("../../migrations/sqlite/0002_rate_limits.sql") },
];

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        let unavailable = matches!(
            error.sqlite_error_code(),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked | ErrorCode::CannotOpen | ErrorCode::DiskFull)
        );
        if unavailable {
            StoreError::Unavailable(error.to_string())
        } else {
            StoreError::Failed(error.to_string())
        }
    }
}

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

#[derive(Clone)]
pub struct SqliteStore {
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

/// Applies the migrations this file lacks, all in one transaction; refuses a newer schema.
fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    transaction.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version INTEGER PRIMARY KEY,
             name TEXT NOT NULL,
             applied_ms INTEGER NOT NULL
         )",
    )?;
    let current: i64 = transaction.query_row("SELECT coalesce(max(version), 0) FROM schema_migrations", [], |row| row.get(0))?;
    let known = MIGRATIONS.last().map_or(0, |migration| migration.version);
    if current > known {
        return Err(too_new(current, known));
    }
    for migration in MIGRATIONS.iter().filter(|migration| migration.version > current) {
        transaction.execute_batch(migration.sql)?;
        transaction.execute(
            "INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?1, ?2, ?3)",
            params![migration.version, migration.name, now_ms()],
        )?;
    }
    // What the first release set; kept in step for tools that look at it.
    transaction.pragma_update(None, "user_version", known)?;
    transaction.commit()?;
    Ok(())
}

impl SqliteStore {
    /// Opens (creating if needed) a database file, and brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|error| StoreError::Failed(format!("cannot create {}: {error}", parent.display())))?;
        }
        let mut writer = open(path)?;
        migrate(&mut writer)?;
        Ok(SqliteStore { path: path.to_path_buf(), writer: Arc::new(Mutex::new(writer)), readers: Arc::new(Mutex::new(Vec::new())) })
    }

    /// Runs blocking work on this store off the async threads.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&SqliteStore) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = self.clone();
        tokio::task::spawn_blocking(move || work(&store)).await.map_err(|error| StoreError::Failed(error.to_string()))?
    }

    fn write<T>(&self, work: impl FnOnce(&mut Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        // A panic while holding the lock rolled its transaction back (Transaction's drop), so the
        // connection is still sound: keep using it.
        let mut connection = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        work(&mut connection)
    }

    fn read<T>(&self, work: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, StoreError> {
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
        Ok(result?)
    }

    pub fn insert(&self, new: &NewRow) -> Result<Insert, StoreError> {
        self.write(|connection| {
            // IMMEDIATE: take the write lock first, so the checks below still hold at commit.
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if let Some(key) = &new.idempotency_key {
                if let Some(existing) = find_by_key(&transaction, &new.article_id, key)? {
                    return Ok(Insert::Replayed(existing));
                }
            }
            if let Some(parent) = new.parent_id {
                if !comment_exists(&transaction, &new.article_id, parent)? {
                    return Ok(Insert::ParentNotFound);
                }
            }
            if let Some((challenge, expires)) = &new.challenge {
                let now_seconds = new.now_ms.div_euclid(1000);
                transaction.execute("DELETE FROM used_challenges WHERE expires < ?1", params![now_seconds])?;
                let spent = transaction.execute(
                    "INSERT INTO used_challenges (challenge, expires) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                    params![challenge, i64::try_from(*expires).unwrap_or(i64::MAX)],
                )?;
                if spent == 0 {
                    return Ok(Insert::ChallengeUsed);
                }
            }
            let comment = &new.comment;
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
            let stored = new.stored(transaction.last_insert_rowid());
            transaction.commit()?;
            Ok(Insert::Stored(stored))
        })
    }

    pub fn find_by_key(&self, article_id: &str, key: &str) -> Result<Option<CommentRow>, StoreError> {
        self.read(|connection| find_by_key(connection, article_id, key))
    }

    pub fn comment_exists(&self, article_id: &str, id: i64) -> Result<bool, StoreError> {
        self.read(|connection| comment_exists(connection, article_id, id))
    }

    pub fn approved(&self, article_id: &str) -> Result<Vec<CommentRow>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM comments WHERE article_id = ?1 AND status = 'approved' ORDER BY id"
            ))?;
            let rows = statement.query_map(params![article_id], row_to_comment)?;
            rows.collect()
        })
    }

    pub fn pending(&self) -> Result<Vec<CommentRow>, StoreError> {
        self.read(|connection| {
            let mut statement =
                connection.prepare(&format!("SELECT {COLUMNS} FROM comments WHERE status = 'pending' ORDER BY id"))?;
            let rows = statement.query_map([], row_to_comment)?;
            rows.collect()
        })
    }

    pub fn approve(&self, id: i64) -> Result<bool, StoreError> {
        self.write(|connection| Ok(connection.execute("UPDATE comments SET status = 'approved' WHERE id = ?1", params![id])? == 1))
    }

    pub fn delete(&self, id: i64) -> Result<u64, StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let before: i64 = transaction.query_row("SELECT count(*) FROM comments", [], |row| row.get(0))?;
            transaction.execute("DELETE FROM comments WHERE id = ?1", params![id])?;
            let after: i64 = transaction.query_row("SELECT count(*) FROM comments", [], |row| row.get(0))?;
            transaction.commit()?;
            Ok(u64::try_from(before - after).unwrap_or(0))
        })
    }

    pub fn count(&self) -> Result<i64, StoreError> {
        self.read(|connection| connection.query_row("SELECT count(*) FROM comments", [], |row| row.get(0)))
    }

    pub fn take_rate_token(&self, client: &str, now_ms: i64, limit: RateLimit) -> Result<Result<(), u64>, StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Buckets quiet long enough are full again, the same as absent: forget them.
            transaction.execute("DELETE FROM rate_limits WHERE updated_ms < ?1", params![now_ms - rate_limit::full_after_ms(limit)])?;
            let bucket = transaction
                .query_row("SELECT tokens, updated_ms FROM rate_limits WHERE client = ?1", params![client], |row| {
                    Ok(Bucket { tokens: row.get(0)?, updated_ms: row.get(1)? })
                })
                .optional()?;
            let (bucket, outcome) = rate_limit::take(bucket, now_ms, limit);
            transaction.execute(
                "INSERT INTO rate_limits (client, tokens, updated_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT (client) DO UPDATE SET tokens = excluded.tokens, updated_ms = excluded.updated_ms",
                params![client, bucket.tokens, bucket.updated_ms],
            )?;
            transaction.commit()?;
            Ok(outcome)
        })
    }

    /// `secret.key` beside the database file (0600), as the first release kept it.
    pub fn captcha_secret(&self) -> Result<Secret, StoreError> {
        let directory = self.path.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
        Secret::load_or_create(directory).map_err(|error| StoreError::Failed(format!("the captcha secret: {error}")))
    }

    pub fn ping(&self) -> Result<(), StoreError> {
        self.read(|connection| connection.query_row("SELECT 1", [], |_| Ok(())))
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.read(|connection| connection.query_row("SELECT coalesce(max(version), 0) FROM schema_migrations", [], |row| row.get(0)))
    }

    /// `VACUUM INTO`: a consistent snapshot of the database as of one read transaction, taken while
    /// the server goes on writing (WAL readers do not block the writer, nor it them).
    pub fn backup(&self, to: &Path) -> Result<(), StoreError> {
        if to.exists() {
            return Err(StoreError::Failed(format!("{} already exists; a backup never overwrites a file", to.display())));
        }
        let target = to.to_str().ok_or_else(|| StoreError::Failed(format!("{} is not a UTF-8 path", to.display())))?;
        self.read(|connection| connection.execute("VACUUM INTO ?1", params![target]).map(|_| ()))
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
