//! The SQLite backend (WAL, `synchronous=FULL`): a comment is on disk before its 201 leaves. One
//! writer connection behind a mutex serializes writes (SQLite allows a single writer anyway, and
//! this keeps "check then insert" inside one transaction trivially race-free); reads use their own
//! connections, which WAL lets run alongside the writer. Blocking: [`SqliteStore::run`] moves the
//! work off the async threads.

mod notifications;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};

use super::{
    every_status, like_pattern, too_new, Action, AuditEntry, Ban, BanKind, CommentRow, Failures, ImportedComment, Imported, Insert, Migration,
    NewRow, QueueQuery, QueuedComment, Reservation, SessionRow, Status, StoreError, TextVersion, UserRow, WordPressSend, COLUMNS, COLUMN_COUNT,
    WORDPRESS_RESERVATION_MS,
};
use crate::captcha::Secret;
use crate::cli::RateLimit;
use crate::rate_limit::{self, Bucket, RateScope};
use crate::time::now_ms;

mod reader_actions;

/// The file name of the default database, in the data directory.
pub const DATABASE_FILE: &str = "kiosque.sqlite3";
/// Idle read connections kept for reuse; more are opened under load and closed afterwards.
const IDLE_READERS: usize = 4;
/// How long a connection waits for a lock (checkpoints, the CLI writing) before failing.
const BUSY_TIMEOUT_MS: u64 = 5000;

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "comments", sql: include_str!("../../migrations/sqlite/0001_comments.sql") },
    Migration { version: 2, name: "rate_limits", sql: include_str!("../../migrations/sqlite/0002_rate_limits.sql") },
    Migration { version: 3, name: "moderation", sql: include_str!("../../migrations/sqlite/0003_moderation.sql") },
    Migration { version: 4, name: "wordpress_comments", sql: include_str!("../../migrations/sqlite/0004_wordpress_comments.sql") },
    Migration { version: 5, name: "reader_actions", sql: include_str!("../../migrations/sqlite/0005_reader_actions.sql") },
    Migration { version: 6, name: "reply_notifications", sql: include_str!("../../migrations/sqlite/0006_reply_notifications.sql") },
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
        score: row.get(9)?,
        voter_hash: row.get(10)?,
        edit_token_hash: row.get(11)?,
        edited_ms: row.get(12)?,
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
                "INSERT INTO comments (article_id, parent_id, author_name, author_email, author_url, text, created_ms, status, idempotency_key,
                     voter_hash, edit_token_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
                    new.voter_hash,
                    new.edit_token_hash,
                ],
            )?;
            let stored = new.stored(transaction.last_insert_rowid());
            notifications::after_insert(&transaction, stored.id, new)?;
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

    pub fn thread_rows(&self, article_id: String) -> Result<Vec<CommentRow>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM comments WHERE article_id = ?1 AND status IN ('approved', 'deleted') ORDER BY id"
            ))?;
            let rows = statement.query_map(params![article_id], row_to_comment)?;
            rows.collect()
        })
    }

    pub fn latest_approved(&self, article_id: Option<String>, limit: i64) -> Result<Vec<CommentRow>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM comments WHERE status = 'approved' AND (?1 IS NULL OR article_id = ?1) \
                 ORDER BY created_ms DESC, id DESC LIMIT ?2"
            ))?;
            let rows = statement.query_map(params![article_id, limit], row_to_comment)?;
            rows.collect()
        })
    }

    pub fn approved_counts(&self, article_ids: Vec<String>) -> Result<Vec<(String, i64)>, StoreError> {
        let ids = serde_json::Value::from(article_ids).to_string();
        self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT article_id, count(*) FROM comments WHERE status = 'approved' \
                 AND article_id IN (SELECT value FROM json_each(?1)) GROUP BY article_id",
            )?;
            let rows = statement.query_map(params![ids], |row| Ok((row.get(0)?, row.get(1)?)))?;
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

    pub fn comment(&self, id: i64) -> Result<Option<CommentRow>, StoreError> {
        self.read(|connection| {
            connection.query_row(&format!("SELECT {COLUMNS} FROM comments WHERE id = ?1"), params![id], row_to_comment).optional()
        })
    }

    pub fn moderate(&self, ids: Vec<i64>, action: Action, actor: String, now_ms: i64) -> Result<Vec<i64>, StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut changed = Vec::new();
            for id in ids {
                let count = transaction.execute(
                    &format!("UPDATE comments SET status = ?2 WHERE id = ?1 AND {}", action.applies_to()),
                    params![id, action.status().as_str()],
                )?;
                if count == 1 {
                    insert_audit(&transaction, &actor, action.as_str(), Some(id), None, now_ms)?;
                    if action.status() == Status::Approved {
                        notifications::queue_replies(&transaction, id, now_ms)?;
                    }
                    changed.push(id);
                }
            }
            transaction.commit()?;
            Ok(changed)
        })
    }

    pub fn edit(&self, id: i64, text: String, actor: String, now_ms: i64) -> Result<bool, StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let previous: Option<String> = transaction
                .query_row("SELECT text FROM comments WHERE id = ?1 AND text <> ''", params![id], |row| row.get(0))
                .optional()?;
            let Some(previous) = previous else { return Ok(false) };
            transaction.execute(
                "INSERT INTO comment_versions (comment_id, text, replaced_ms, replaced_by) VALUES (?1, ?2, ?3, ?4)",
                params![id, previous, now_ms, actor],
            )?;
            transaction.execute("UPDATE comments SET text = ?2 WHERE id = ?1", params![id, text])?;
            insert_audit(&transaction, &actor, "edit", Some(id), None, now_ms)?;
            transaction.commit()?;
            Ok(true)
        })
    }

    pub fn versions(&self, id: i64) -> Result<Vec<TextVersion>, StoreError> {
        self.read(|connection| {
            let mut statement =
                connection.prepare_cached("SELECT text, replaced_ms, replaced_by FROM comment_versions WHERE comment_id = ?1 ORDER BY id")?;
            let rows = statement.query_map(params![id], |row| {
                Ok(TextVersion { text: row.get(0)?, replaced_ms: row.get(1)?, replaced_by: row.get(2)? })
            })?;
            rows.collect()
        })
    }

    pub fn queue(&self, query: QueueQuery) -> Result<Vec<QueuedComment>, StoreError> {
        self.read(|connection| {
            let pattern = query.search.as_deref().map(like_pattern);
            let mut statement = connection.prepare_cached(&format!(
                "SELECT {COLUMNS}, (SELECT count(*) FROM comments AS earlier
                     WHERE earlier.author_email = comments.author_email AND earlier.status = 'approved' AND earlier.id < comments.id)
                 FROM comments
                 WHERE status = ?1 AND (?2 IS NULL OR article_id = ?2)
                   AND (?3 IS NULL OR text LIKE ?3 ESCAPE '\\' OR author_name LIKE ?3 ESCAPE '\\' OR author_email LIKE ?3 ESCAPE '\\')
                 ORDER BY id DESC LIMIT ?4 OFFSET ?5"
            ))?;
            let rows = statement.query_map(
                params![query.status.as_str(), query.article_id, pattern, query.limit, query.offset],
                |row| Ok(QueuedComment { comment: row_to_comment(row)?, approved_before: row.get(COLUMN_COUNT)? }),
            )?;
            rows.collect()
        })
    }

    pub fn counts(&self, article_id: Option<String>) -> Result<Vec<(Status, i64)>, StoreError> {
        self.read(|connection| {
            let mut statement = connection
                .prepare_cached("SELECT status, count(*) FROM comments WHERE ?1 IS NULL OR article_id = ?1 GROUP BY status")?;
            let found: Vec<(String, i64)> =
                statement.query_map(params![article_id], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
            Ok(every_status(&found))
        })
    }

    pub fn set_closed(&self, article_id: String, closed: bool, actor: String, now_ms: i64) -> Result<(), StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if closed {
                transaction.execute(
                    "INSERT INTO closed_articles (article_id, closed_ms, closed_by) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                    params![article_id, now_ms, actor],
                )?;
            } else {
                transaction.execute("DELETE FROM closed_articles WHERE article_id = ?1", params![article_id])?;
            }
            let action = if closed { "close" } else { "reopen" };
            insert_audit(&transaction, &actor, action, None, Some(&format!("article {article_id}")), now_ms)?;
            transaction.commit()?;
            Ok(())
        })
    }

    pub fn is_closed(&self, article_id: String) -> Result<bool, StoreError> {
        self.read(|connection| {
            connection
                .prepare_cached("SELECT 1 FROM closed_articles WHERE article_id = ?1")?
                .query_row(params![article_id], |_| Ok(()))
                .optional()
                .map(|found| found.is_some())
        })
    }

    pub fn closed_articles(&self) -> Result<Vec<String>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached("SELECT article_id FROM closed_articles ORDER BY article_id")?;
            let rows = statement.query_map([], |row| row.get(0))?;
            rows.collect()
        })
    }

    pub fn reserve_wordpress_send(&self, send: WordPressSend) -> Result<Reservation, StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if let Some(key) = &send.idempotency_key {
                let found: Option<(Option<String>, i64)> = transaction
                    .query_row(
                        "SELECT answer, created_ms FROM wordpress_comment_keys WHERE article_id = ?1 AND idempotency_key = ?2",
                        params![send.article_id, key],
                        |row| Ok((row.get(0)?, row.get(1)?)),
                    )
                    .optional()?;
                match found {
                    Some((Some(answer), _)) => return Ok(Reservation::Replayed(answer)),
                    Some((None, created_ms)) if send.now_ms - created_ms < WORDPRESS_RESERVATION_MS => return Ok(Reservation::InProgress),
                    Some((None, _)) => {
                        transaction.execute(
                            "DELETE FROM wordpress_comment_keys WHERE article_id = ?1 AND idempotency_key = ?2",
                            params![send.article_id, key],
                        )?;
                    }
                    None => {}
                }
            }
            if let Some((challenge, expires)) = &send.challenge {
                transaction.execute("DELETE FROM used_challenges WHERE expires < ?1", params![send.now_ms.div_euclid(1000)])?;
                let spent = transaction.execute(
                    "INSERT INTO used_challenges (challenge, expires) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                    params![challenge, i64::try_from(*expires).unwrap_or(i64::MAX)],
                )?;
                if spent == 0 {
                    return Ok(Reservation::ChallengeUsed);
                }
            }
            if let Some(key) = &send.idempotency_key {
                transaction.execute(
                    "INSERT INTO wordpress_comment_keys (article_id, idempotency_key, created_ms) VALUES (?1, ?2, ?3)",
                    params![send.article_id, key, send.now_ms],
                )?;
            }
            transaction.commit()?;
            Ok(Reservation::Reserved)
        })
    }

    pub fn wordpress_answer(&self, article_id: String, key: String) -> Result<Option<String>, StoreError> {
        self.read(|connection| {
            connection
                .query_row(
                    "SELECT answer FROM wordpress_comment_keys WHERE article_id = ?1 AND idempotency_key = ?2 AND answer IS NOT NULL",
                    params![article_id, key],
                    |row| row.get(0),
                )
                .optional()
        })
    }

    pub fn complete_wordpress_send(&self, article_id: String, key: String, wordpress_id: i64, answer: String) -> Result<(), StoreError> {
        self.write(|connection| {
            connection.execute(
                "UPDATE wordpress_comment_keys SET wordpress_id = ?3, answer = ?4 WHERE article_id = ?1 AND idempotency_key = ?2",
                params![article_id, key, wordpress_id, answer],
            )?;
            Ok(())
        })
    }

    pub fn release_wordpress_send(&self, send: WordPressSend) -> Result<(), StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if let Some(key) = &send.idempotency_key {
                transaction.execute(
                    "DELETE FROM wordpress_comment_keys WHERE article_id = ?1 AND idempotency_key = ?2 AND answer IS NULL",
                    params![send.article_id, key],
                )?;
            }
            if let Some((challenge, _)) = &send.challenge {
                transaction.execute("DELETE FROM used_challenges WHERE challenge = ?1", params![challenge])?;
            }
            transaction.commit()?;
            Ok(())
        })
    }

    pub fn import_comments(&self, site: String, comments: Vec<ImportedComment>) -> Result<Vec<Imported>, StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut outcomes = Vec::with_capacity(comments.len());
            for comment in &comments {
                let ours = |wordpress_id: i64| -> rusqlite::Result<Option<i64>> {
                    transaction
                        .query_row(
                            "SELECT comment_id FROM wordpress_imports WHERE site = ?1 AND wordpress_id = ?2",
                            params![site, wordpress_id],
                            |row| row.get(0),
                        )
                        .optional()
                };
                if ours(comment.wordpress_id)?.is_some() {
                    outcomes.push(Imported::AlreadyThere);
                    continue;
                }
                let parent_id = match comment.wordpress_parent {
                    None => None,
                    Some(parent) => match ours(parent)? {
                        Some(id) => Some(id),
                        None => {
                            outcomes.push(Imported::ParentMissing);
                            continue;
                        }
                    },
                };
                transaction.execute(
                    "INSERT INTO comments (article_id, parent_id, author_name, author_email, author_url, text, created_ms, status)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        comment.article_id,
                        parent_id,
                        comment.author_name,
                        comment.author_email,
                        comment.author_url,
                        comment.text,
                        comment.created_ms,
                        comment.status.as_str(),
                    ],
                )?;
                let id = transaction.last_insert_rowid();
                transaction.execute(
                    "INSERT INTO wordpress_imports (site, wordpress_id, comment_id) VALUES (?1, ?2, ?3)",
                    params![site, comment.wordpress_id, id],
                )?;
                outcomes.push(Imported::Added);
            }
            transaction.commit()?;
            Ok(outcomes)
        })
    }

    pub fn ban(&self, kind: BanKind, value: String, actor: String, now_ms: i64) -> Result<bool, StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let added = transaction.execute(
                "INSERT INTO bans (kind, value, created_ms, created_by) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                params![kind.as_str(), value, now_ms, actor],
            )? == 1;
            if added {
                insert_audit(&transaction, &actor, "ban", None, Some(&format!("{} {value}", kind.as_str())), now_ms)?;
            }
            transaction.commit()?;
            Ok(added)
        })
    }

    pub fn unban(&self, kind: BanKind, value: String, actor: String, now_ms: i64) -> Result<bool, StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let removed = transaction.execute("DELETE FROM bans WHERE kind = ?1 AND value = ?2", params![kind.as_str(), value])? == 1;
            if removed {
                insert_audit(&transaction, &actor, "unban", None, Some(&format!("{} {value}", kind.as_str())), now_ms)?;
            }
            transaction.commit()?;
            Ok(removed)
        })
    }

    pub fn bans(&self) -> Result<Vec<Ban>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached("SELECT kind, value, created_ms, created_by FROM bans ORDER BY kind, value")?;
            let rows = statement.query_map([], |row| {
                Ok(Ban {
                    kind: BanKind::parse(&row.get::<_, String>(0)?).unwrap_or(BanKind::Email),
                    value: row.get(1)?,
                    created_ms: row.get(2)?,
                    created_by: row.get(3)?,
                })
            })?;
            rows.collect()
        })
    }

    pub fn is_banned(&self, email: String, url: String) -> Result<bool, StoreError> {
        self.read(|connection| {
            connection
                .prepare_cached("SELECT 1 FROM bans WHERE (kind = 'email' AND value = ?1) OR (kind = 'url' AND value = ?2)")?
                .query_row(params![email, url], |_| Ok(()))
                .optional()
                .map(|found| found.is_some())
        })
    }

    pub fn add_user(&self, user: UserRow) -> Result<bool, StoreError> {
        self.write(|connection| {
            Ok(connection.execute(
                "INSERT INTO users (name, role, password_hash, created_ms) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                params![user.name, user.role, user.password_hash, user.created_ms],
            )? == 1)
        })
    }

    pub fn set_password(&self, name: String, password_hash: String) -> Result<bool, StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let changed = transaction.execute("UPDATE users SET password_hash = ?2 WHERE name = ?1", params![name, password_hash])? == 1;
            transaction.execute("DELETE FROM sessions WHERE user_name = ?1", params![name])?;
            transaction.commit()?;
            Ok(changed)
        })
    }

    pub fn remove_user(&self, name: String) -> Result<bool, StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            transaction.execute("DELETE FROM sessions WHERE user_name = ?1", params![name])?;
            let removed = transaction.execute("DELETE FROM users WHERE name = ?1", params![name])? == 1;
            transaction.commit()?;
            Ok(removed)
        })
    }

    pub fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached("SELECT name, role, password_hash, created_ms FROM users ORDER BY name")?;
            let rows = statement.query_map([], row_to_user)?;
            rows.collect()
        })
    }

    pub fn user(&self, name: String) -> Result<Option<UserRow>, StoreError> {
        self.read(|connection| {
            connection
                .prepare_cached("SELECT name, role, password_hash, created_ms FROM users WHERE name = ?1")?
                .query_row(params![name], row_to_user)
                .optional()
        })
    }

    pub fn create_session(&self, token_hash: String, user_name: String, csrf_token: String, now_ms: i64) -> Result<(), StoreError> {
        self.write(|connection| {
            connection.execute(
                "INSERT INTO sessions (token_hash, user_name, csrf_token, created_ms, last_seen_ms) VALUES (?1, ?2, ?3, ?4, ?4)",
                params![token_hash, user_name, csrf_token, now_ms],
            )?;
            Ok(())
        })
    }

    pub fn session(&self, token_hash: String, now_ms: i64, idle_ms: i64) -> Result<Option<SessionRow>, StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            transaction.execute("DELETE FROM sessions WHERE last_seen_ms < ?1", params![now_ms - idle_ms])?;
            let found = transaction
                .query_row(
                    "SELECT sessions.user_name, users.role, sessions.csrf_token FROM sessions JOIN users ON users.name = sessions.user_name
                     WHERE sessions.token_hash = ?1",
                    params![token_hash],
                    |row| Ok(SessionRow { user_name: row.get(0)?, role: row.get(1)?, csrf_token: row.get(2)? }),
                )
                .optional()?;
            if found.is_some() {
                transaction.execute("UPDATE sessions SET last_seen_ms = ?2 WHERE token_hash = ?1", params![token_hash, now_ms])?;
            }
            transaction.commit()?;
            Ok(found)
        })
    }

    pub fn end_session(&self, token_hash: String) -> Result<(), StoreError> {
        self.write(|connection| {
            connection.execute("DELETE FROM sessions WHERE token_hash = ?1", params![token_hash])?;
            Ok(())
        })
    }

    pub fn failures(&self, subject: String) -> Result<Option<Failures>, StoreError> {
        self.read(|connection| {
            connection
                .prepare_cached("SELECT failures, last_ms FROM sign_in_failures WHERE subject = ?1")?
                .query_row(params![subject], |row| Ok(Failures { count: row.get(0)?, last_ms: row.get(1)? }))
                .optional()
        })
    }

    pub fn record_failure(&self, subject: String, now_ms: i64, forget_before_ms: i64) -> Result<(), StoreError> {
        self.write(|connection| {
            connection.execute("DELETE FROM sign_in_failures WHERE last_ms < ?1", params![forget_before_ms])?;
            connection.execute(
                "INSERT INTO sign_in_failures (subject, failures, last_ms) VALUES (?1, 1, ?2)
                 ON CONFLICT (subject) DO UPDATE SET failures = failures + 1, last_ms = excluded.last_ms",
                params![subject, now_ms],
            )?;
            Ok(())
        })
    }

    pub fn clear_failures(&self, subject: String) -> Result<(), StoreError> {
        self.write(|connection| {
            connection.execute("DELETE FROM sign_in_failures WHERE subject = ?1", params![subject])?;
            Ok(())
        })
    }

    pub fn audit(&self, actor: String, action: String, comment_id: Option<i64>, detail: Option<String>, now_ms: i64) -> Result<(), StoreError> {
        self.write(|connection| Ok(insert_audit(connection, &actor, &action, comment_id, detail.as_deref(), now_ms)?))
    }

    pub fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        self.read(|connection| {
            let mut statement = connection
                .prepare_cached("SELECT id, at_ms, actor, action, comment_id, detail FROM audit_log ORDER BY id DESC LIMIT ?1")?;
            let rows = statement.query_map(params![limit], |row| {
                Ok(AuditEntry {
                    id: row.get(0)?,
                    at_ms: row.get(1)?,
                    actor: row.get(2)?,
                    action: row.get(3)?,
                    comment_id: row.get(4)?,
                    detail: row.get(5)?,
                })
            })?;
            rows.collect()
        })
    }

    pub fn export(&self, email: String) -> Result<Vec<CommentRow>, StoreError> {
        self.read(|connection| {
            let mut statement =
                connection.prepare_cached(&format!("SELECT {COLUMNS} FROM comments WHERE lower(author_email) = ?1 ORDER BY id"))?;
            let rows = statement.query_map(params![email], row_to_comment)?;
            rows.collect()
        })
    }

    pub fn erase(&self, email: String, actor: String, now_ms: i64) -> Result<Vec<i64>, StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let ids: Vec<i64> = transaction
                .prepare("SELECT id FROM comments WHERE lower(author_email) = ?1 ORDER BY id")?
                .query_map(params![email], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in &ids {
                transaction.execute("DELETE FROM comment_versions WHERE comment_id = ?1", params![id])?;
                transaction.execute(
                    "UPDATE comments SET author_name = '', author_email = NULL, author_url = NULL, text = '', status = 'deleted', \
                     voter_hash = NULL, edit_token_hash = NULL WHERE id = ?1",
                    params![id],
                )?;
                // The address itself is not written down: erasing it is the point.
                insert_audit(&transaction, &actor, "erase", Some(*id), None, now_ms)?;
            }
            notifications::erase(&transaction, &email, &ids)?;
            transaction.commit()?;
            Ok(ids)
        })
    }

    pub fn count(&self) -> Result<i64, StoreError> {
        self.read(|connection| connection.query_row("SELECT count(*) FROM comments", [], |row| row.get(0)))
    }

    pub fn take_rate_token(&self, client: &str, now_ms: i64, limit: RateLimit) -> Result<Result<(), u64>, StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Buckets quiet long enough are full again, the same as absent: forget them.
            transaction.execute(
                &format!("DELETE FROM rate_limits WHERE updated_ms < ?1 AND {}", RateScope::of(client).own_buckets()),
                params![now_ms - rate_limit::full_after_ms(limit)],
            )?;
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

fn row_to_user(row: &rusqlite::Row<'_>) -> rusqlite::Result<UserRow> {
    Ok(UserRow { name: row.get(0)?, role: row.get(1)?, password_hash: row.get(2)?, created_ms: row.get(3)? })
}

fn insert_audit(
    connection: &Connection,
    actor: &str,
    action: &str,
    comment_id: Option<i64>,
    detail: Option<&str>,
    now_ms: i64,
) -> rusqlite::Result<()> {
    connection
        .prepare_cached("INSERT INTO audit_log (at_ms, actor, action, comment_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![now_ms, actor, action, comment_id, detail])?;
    Ok(())
}
