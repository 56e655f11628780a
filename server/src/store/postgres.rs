//! The PostgreSQL backend: a pool of connections (deadpool), every write in a transaction, ids from
//! `RETURNING`. Several instances may share one database: whatever must hold across them
//! (idempotency keys, spent challenges, rate-limit buckets, the captcha key) is decided by the
//! database's constraints and row locks, never by an instance's memory.

mod notifications;

use std::time::Duration;

use deadpool_postgres::{ClientWrapper, Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime, Timeouts};
use tokio_postgres::error::SqlState;
use tokio_postgres::{NoTls, Row};

use super::{
    every_status, like_pattern, too_new, Action, AuditEntry, Ban, BanKind, CommentRow, Failures, ImportedComment, Imported, Insert, Migration,
    NewRow, QueueQuery, QueuedComment, Reservation, SessionRow, Status, StoreError, TextVersion, UserRow, WordPressSend, COLUMNS, COLUMN_COUNT,
    WORDPRESS_RESERVATION_MS,
};
use crate::captcha::{random_bytes, Secret, SECRET_BYTES};
use crate::cli::RateLimit;
use crate::rate_limit::{self, Bucket, RateScope};
use crate::time::now_ms;
use kiosque::model::comment::hex;

mod reader_actions;

/// Connections per instance: enough for the blocking-free handlers, far under PostgreSQL's default
/// `max_connections` (100) for a handful of instances.
const POOL_SIZE: usize = 16;
/// A request waits this long at most for a connection, so a database that went away gives a 503
/// quickly instead of a hung request.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Any number: what `pg_advisory_xact_lock` takes so that two instances starting together apply
/// the migrations one after the other.
const MIGRATION_LOCK: i64 = 0x6b69_6f73_7175;
const SECRET_SETTING: &str = "captcha_secret";


const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "comments", sql: include_str!("../../migrations/postgres/0001_comments.sql") },
    Migration { version: 2, name: "rate_limits", sql: include_str!("../../migrations/postgres/0002_rate_limits.sql") },
    Migration { version: 3, name: "moderation", sql: include_str!("../../migrations/postgres/0003_moderation.sql") },
    Migration { version: 4, name: "wordpress_comments", sql: include_str!("../../migrations/postgres/0004_wordpress_comments.sql") },
    Migration { version: 5, name: "reader_actions", sql: include_str!("../../migrations/postgres/0005_reader_actions.sql") },
    Migration { version: 6, name: "reply_notifications", sql: include_str!("../../migrations/postgres/0006_reply_notifications.sql") },
];

impl From<tokio_postgres::Error> for StoreError {
    fn from(error: tokio_postgres::Error) -> StoreError {
        let unavailable = match error.code() {
            // No SQLSTATE: the connection itself failed (closed, reset, refused).
            None => true,
            // Class 08: connection exceptions; 57P01–57P03: the server is shutting down or starting.
            Some(code) => {
                code.code().starts_with("08")
                    || [SqlState::ADMIN_SHUTDOWN, SqlState::CRASH_SHUTDOWN, SqlState::CANNOT_CONNECT_NOW].contains(code)
            }
        };
        let detail = error.as_db_error().map_or_else(|| error.to_string(), |db| format!("{} ({})", db.message(), db.code().code()));
        if unavailable {
            StoreError::Unavailable(detail)
        } else {
            StoreError::Failed(detail)
        }
    }
}

impl From<PoolError> for StoreError {
    fn from(error: PoolError) -> StoreError {
        match error {
            PoolError::Backend(error) => error.into(),
            other => StoreError::Unavailable(other.to_string()),
        }
    }
}

fn row_to_comment(row: &Row) -> Result<CommentRow, StoreError> {
    let read = || -> Result<CommentRow, tokio_postgres::Error> {
        Ok(CommentRow {
            id: row.try_get(0)?,
            article_id: row.try_get(1)?,
            parent_id: row.try_get(2)?,
            author_name: row.try_get(3)?,
            author_email: row.try_get(4)?,
            author_url: row.try_get(5)?,
            text: row.try_get(6)?,
            created_ms: row.try_get(7)?,
            status: Status::from_column(row.try_get(8)?),
            score: row.try_get(9)?,
            voter_hash: row.try_get(10)?,
            edit_token_hash: row.try_get(11)?,
            edited_ms: row.try_get(12)?,
        })
    };
    Ok(read()?)
}

fn rows_to_comments(rows: &[Row]) -> Result<Vec<CommentRow>, StoreError> {
    rows.iter().map(row_to_comment).collect()
}

#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
}

impl PostgresStore {
    /// Connects (the URL was checked by `Database::parse`) and brings the schema up to date.
    pub async fn open(url: &str) -> Result<PostgresStore, StoreError> {
        let mut config: tokio_postgres::Config =
            url.parse().map_err(|error: tokio_postgres::Error| StoreError::Failed(format!("the PostgreSQL URL: {error}")))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config.application_name("kiosque-server");
        // Fast: a connection the server closed (a restart) is noticed and replaced, not handed out.
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let timeouts = Timeouts { wait: Some(CONNECT_TIMEOUT), create: Some(CONNECT_TIMEOUT), recycle: Some(CONNECT_TIMEOUT) };
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .timeouts(timeouts)
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|error| StoreError::Failed(error.to_string()))?;
        let store = PostgresStore { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
        transaction
            .batch_execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (
                     version BIGINT PRIMARY KEY,
                     name TEXT NOT NULL,
                     applied_ms BIGINT NOT NULL
                 )",
            )
            .await?;
        let current: i64 = transaction.query_one("SELECT coalesce(max(version), 0) FROM schema_migrations", &[]).await?.try_get(0)?;
        let known = MIGRATIONS.last().map_or(0, |migration| migration.version);
        if current > known {
            return Err(too_new(current, known));
        }
        for migration in MIGRATIONS.iter().filter(|migration| migration.version > current) {
            transaction.batch_execute(migration.sql).await?;
            transaction
                .execute(
                    "INSERT INTO schema_migrations (version, name, applied_ms) VALUES ($1, $2, $3)",
                    &[&migration.version, &migration.name, &now_ms()],
                )
                .await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    pub async fn insert(&self, new: &NewRow) -> Result<Insert, StoreError> {
        let mut client = self.pool.get().await?;
        if let Some(key) = &new.idempotency_key {
            if let Some(existing) = select_by_key(&client, &new.article_id, key).await? {
                return Ok(Insert::Replayed(existing));
            }
        }
        let transaction = client.transaction().await?;
        if let Some(parent) = new.parent_id {
            let found = transaction
                .query_opt("SELECT 1 FROM comments WHERE id = $1 AND article_id = $2 FOR SHARE", &[&parent, &new.article_id])
                .await?;
            if found.is_none() {
                return Ok(Insert::ParentNotFound);
            }
        }
        if let Some((challenge, expires)) = &new.challenge {
            let now_seconds = new.now_ms.div_euclid(1000);
            transaction.execute("DELETE FROM used_challenges WHERE expires < $1", &[&now_seconds]).await?;
            let spent = transaction
                .execute(
                    "INSERT INTO used_challenges (challenge, expires) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    &[challenge, &i64::try_from(*expires).unwrap_or(i64::MAX)],
                )
                .await?;
            if spent == 0 {
                drop(transaction);
                // The same request may have been sent twice at once (a retry racing the first
                // try): the one that spent the challenge also stored the comment under its key.
                return Ok(match &new.idempotency_key {
                    Some(key) => select_by_key(&client, &new.article_id, key).await?.map_or(Insert::ChallengeUsed, Insert::Replayed),
                    None => Insert::ChallengeUsed,
                });
            }
        }
        let comment = &new.comment;
        // ON CONFLICT: a concurrent request with the same key (on this instance or another) waits
        // on the unique index until the first commits, then inserts nothing.
        let inserted = transaction
            .query_opt(
                "INSERT INTO comments (article_id, parent_id, author_name, author_email, author_url, text, created_ms, status, idempotency_key,
                     voter_hash, edit_token_hash)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                 ON CONFLICT (article_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                 RETURNING id",
                &[
                    &new.article_id,
                    &new.parent_id,
                    &comment.author_name,
                    &comment.author_email,
                    &comment.author_url,
                    &comment.text,
                    &new.now_ms,
                    &new.status.as_str(),
                    &new.idempotency_key,
                    &new.voter_hash,
                    &new.edit_token_hash,
                ],
            )
            .await;
        let inserted = match inserted {
            // The parent was deleted between the check and the insert.
            Err(error) if error.code() == Some(&SqlState::FOREIGN_KEY_VIOLATION) => return Ok(Insert::ParentNotFound),
            other => other?,
        };
        match inserted {
            Some(row) => {
                let id: i64 = row.try_get(0)?;
                notifications::after_insert(&transaction, id, new).await?;
                transaction.commit().await?;
                Ok(Insert::Stored(new.stored(id)))
            }
            None => {
                // Rolled back: the challenge stays unspent, as the comment was not stored by this request.
                drop(transaction);
                let key = new.idempotency_key.as_deref().unwrap_or_default();
                match select_by_key(&client, &new.article_id, key).await? {
                    Some(existing) => Ok(Insert::Replayed(existing)),
                    None => Err(StoreError::Failed("an idempotency key conflicted, then its comment was not found".into())),
                }
            }
        }
    }

    pub async fn find_by_key(&self, article_id: &str, key: &str) -> Result<Option<CommentRow>, StoreError> {
        let client = self.pool.get().await?;
        select_by_key(&client, article_id, key).await
    }

    pub async fn comment_exists(&self, article_id: &str, id: i64) -> Result<bool, StoreError> {
        let client = self.pool.get().await?;
        let statement = client.prepare_cached("SELECT 1 FROM comments WHERE id = $1 AND article_id = $2").await?;
        Ok(client.query_opt(&statement, &[&id, &article_id]).await?.is_some())
    }

    pub async fn thread_rows(&self, article_id: String) -> Result<Vec<CommentRow>, StoreError> {
        let client = self.pool.get().await?;
        let statement = client
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM comments WHERE article_id = $1 AND status IN ('approved', 'deleted') ORDER BY id"
            ))
            .await?;
        rows_to_comments(&client.query(&statement, &[&article_id]).await?)
    }

    pub async fn latest_approved(&self, article_id: Option<String>, limit: i64) -> Result<Vec<CommentRow>, StoreError> {
        let client = self.pool.get().await?;
        let statement = client
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM comments WHERE status = 'approved' AND ($1::text IS NULL OR article_id = $1) \
                 ORDER BY created_ms DESC, id DESC LIMIT $2"
            ))
            .await?;
        rows_to_comments(&client.query(&statement, &[&article_id, &limit]).await?)
    }

    pub async fn approved_counts(&self, article_ids: Vec<String>) -> Result<Vec<(String, i64)>, StoreError> {
        let client = self.pool.get().await?;
        let statement = client
            .prepare_cached(
                "SELECT article_id, count(*) FROM comments WHERE status = 'approved' AND article_id = ANY($1) GROUP BY article_id",
            )
            .await?;
        let rows = client.query(&statement, &[&article_ids]).await?;
        Ok(rows.iter().map(|row| Ok((row.try_get(0)?, row.try_get(1)?))).collect::<Result<_, tokio_postgres::Error>>()?)
    }

    pub async fn pending(&self) -> Result<Vec<CommentRow>, StoreError> {
        let client = self.pool.get().await?;
        rows_to_comments(&client.query(&format!("SELECT {COLUMNS} FROM comments WHERE status = 'pending' ORDER BY id"), &[]).await?)
    }

    pub async fn comment(&self, id: i64) -> Result<Option<CommentRow>, StoreError> {
        let client = self.pool.get().await?;
        client.query_opt(&format!("SELECT {COLUMNS} FROM comments WHERE id = $1"), &[&id]).await?.as_ref().map(row_to_comment).transpose()
    }

    pub async fn moderate(&self, ids: Vec<i64>, action: Action, actor: String, now_ms: i64) -> Result<Vec<i64>, StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        let mut changed = Vec::new();
        let update = format!("UPDATE comments SET status = $2 WHERE id = $1 AND {}", action.applies_to());
        for id in ids {
            if transaction.execute(&update, &[&id, &action.status().as_str()]).await? == 1 {
                insert_audit(&transaction, &actor, action.as_str(), Some(id), None, now_ms).await?;
                if action.status() == Status::Approved {
                    notifications::queue_replies(&transaction, id, now_ms).await?;
                }
                changed.push(id);
            }
        }
        transaction.commit().await?;
        Ok(changed)
    }

    pub async fn edit(&self, id: i64, text: String, actor: String, now_ms: i64) -> Result<bool, StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        let Some(previous) = transaction.query_opt("SELECT text FROM comments WHERE id = $1 AND text <> '' FOR UPDATE", &[&id]).await? else {
            return Ok(false);
        };
        let previous: String = previous.try_get(0)?;
        transaction
            .execute(
                "INSERT INTO comment_versions (comment_id, text, replaced_ms, replaced_by) VALUES ($1, $2, $3, $4)",
                &[&id, &previous, &now_ms, &actor],
            )
            .await?;
        transaction.execute("UPDATE comments SET text = $2 WHERE id = $1", &[&id, &text]).await?;
        insert_audit(&transaction, &actor, "edit", Some(id), None, now_ms).await?;
        transaction.commit().await?;
        Ok(true)
    }

    pub async fn versions(&self, id: i64) -> Result<Vec<TextVersion>, StoreError> {
        let client = self.pool.get().await?;
        let rows = client.query("SELECT text, replaced_ms, replaced_by FROM comment_versions WHERE comment_id = $1 ORDER BY id", &[&id]).await?;
        let read = |row: &Row| -> Result<TextVersion, tokio_postgres::Error> {
            Ok(TextVersion { text: row.try_get(0)?, replaced_ms: row.try_get(1)?, replaced_by: row.try_get(2)? })
        };
        Ok(rows.iter().map(read).collect::<Result<_, _>>()?)
    }

    pub async fn queue(&self, query: QueueQuery) -> Result<Vec<QueuedComment>, StoreError> {
        let client = self.pool.get().await?;
        let pattern = query.search.as_deref().map(like_pattern);
        let rows = client
            .query(
                &format!(
                    "SELECT {COLUMNS}, (SELECT count(*) FROM comments AS earlier
                         WHERE earlier.author_email = comments.author_email AND earlier.status = 'approved' AND earlier.id < comments.id)
                     FROM comments
                     WHERE status = $1 AND ($2::TEXT IS NULL OR article_id = $2)
                       AND ($3::TEXT IS NULL OR text ILIKE $3 OR author_name ILIKE $3 OR author_email ILIKE $3)
                     ORDER BY id DESC LIMIT $4 OFFSET $5"
                ),
                &[&query.status.as_str(), &query.article_id, &pattern, &query.limit, &query.offset],
            )
            .await?;
        rows.iter()
            .map(|row| Ok(QueuedComment { comment: row_to_comment(row)?, approved_before: row.try_get(COLUMN_COUNT)? }))
            .collect()
    }

    pub async fn counts(&self, article_id: Option<String>) -> Result<Vec<(Status, i64)>, StoreError> {
        let client = self.pool.get().await?;
        let rows = client
            .query("SELECT status, count(*) FROM comments WHERE $1::TEXT IS NULL OR article_id = $1 GROUP BY status", &[&article_id])
            .await?;
        let found = rows.iter().map(|row| Ok((row.try_get(0)?, row.try_get(1)?))).collect::<Result<Vec<(String, i64)>, tokio_postgres::Error>>()?;
        Ok(every_status(&found))
    }

    pub async fn set_closed(&self, article_id: String, closed: bool, actor: String, now_ms: i64) -> Result<(), StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        if closed {
            transaction
                .execute(
                    "INSERT INTO closed_articles (article_id, closed_ms, closed_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    &[&article_id, &now_ms, &actor],
                )
                .await?;
        } else {
            transaction.execute("DELETE FROM closed_articles WHERE article_id = $1", &[&article_id]).await?;
        }
        let action = if closed { "close" } else { "reopen" };
        insert_audit(&transaction, &actor, action, None, Some(&format!("article {article_id}")), now_ms).await?;
        transaction.commit().await?;
        Ok(())
    }

    pub async fn is_closed(&self, article_id: String) -> Result<bool, StoreError> {
        let client = self.pool.get().await?;
        let statement = client.prepare_cached("SELECT 1 FROM closed_articles WHERE article_id = $1").await?;
        Ok(client.query_opt(&statement, &[&article_id]).await?.is_some())
    }

    pub async fn closed_articles(&self) -> Result<Vec<String>, StoreError> {
        let client = self.pool.get().await?;
        let rows = client.query("SELECT article_id FROM closed_articles ORDER BY article_id", &[]).await?;
        Ok(rows.iter().map(|row| row.try_get(0)).collect::<Result<_, _>>()?)
    }

    pub async fn reserve_wordpress_send(&self, send: WordPressSend) -> Result<Reservation, StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        if let Some(key) = &send.idempotency_key {
            // The row lock makes a concurrent retry with the same key wait for this decision.
            let found = transaction
                .query_opt(
                    "SELECT answer, created_ms FROM wordpress_comment_keys WHERE article_id = $1 AND idempotency_key = $2 FOR UPDATE",
                    &[&send.article_id, key],
                )
                .await?;
            if let Some(row) = found {
                let answer: Option<String> = row.try_get(0)?;
                let created_ms: i64 = row.try_get(1)?;
                match answer {
                    Some(answer) => return Ok(Reservation::Replayed(answer)),
                    None if send.now_ms - created_ms < WORDPRESS_RESERVATION_MS => return Ok(Reservation::InProgress),
                    None => {
                        transaction
                            .execute("DELETE FROM wordpress_comment_keys WHERE article_id = $1 AND idempotency_key = $2", &[&send.article_id, key])
                            .await?;
                    }
                }
            }
        }
        if let Some((challenge, expires)) = &send.challenge {
            transaction.execute("DELETE FROM used_challenges WHERE expires < $1", &[&send.now_ms.div_euclid(1000)]).await?;
            let spent = transaction
                .execute(
                    "INSERT INTO used_challenges (challenge, expires) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    &[challenge, &i64::try_from(*expires).unwrap_or(i64::MAX)],
                )
                .await?;
            if spent == 0 {
                return Ok(Reservation::ChallengeUsed);
            }
        }
        if let Some(key) = &send.idempotency_key {
            let inserted = transaction
                .execute(
                    "INSERT INTO wordpress_comment_keys (article_id, idempotency_key, created_ms) VALUES ($1, $2, $3)
                     ON CONFLICT DO NOTHING",
                    &[&send.article_id, key, &send.now_ms],
                )
                .await?;
            if inserted == 0 {
                // Another instance reserved the same key between the select and this insert.
                return Ok(Reservation::InProgress);
            }
        }
        transaction.commit().await?;
        Ok(Reservation::Reserved)
    }

    pub async fn wordpress_answer(&self, article_id: String, key: String) -> Result<Option<String>, StoreError> {
        let client = self.pool.get().await?;
        let row = client
            .query_opt(
                "SELECT answer FROM wordpress_comment_keys WHERE article_id = $1 AND idempotency_key = $2 AND answer IS NOT NULL",
                &[&article_id, &key],
            )
            .await?;
        Ok(match row {
            Some(row) => row.try_get(0)?,
            None => None,
        })
    }

    pub async fn complete_wordpress_send(&self, article_id: String, key: String, wordpress_id: i64, answer: String) -> Result<(), StoreError> {
        let client = self.pool.get().await?;
        client
            .execute(
                "UPDATE wordpress_comment_keys SET wordpress_id = $3, answer = $4 WHERE article_id = $1 AND idempotency_key = $2",
                &[&article_id, &key, &wordpress_id, &answer],
            )
            .await?;
        Ok(())
    }

    pub async fn release_wordpress_send(&self, send: WordPressSend) -> Result<(), StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        if let Some(key) = &send.idempotency_key {
            transaction
                .execute(
                    "DELETE FROM wordpress_comment_keys WHERE article_id = $1 AND idempotency_key = $2 AND answer IS NULL",
                    &[&send.article_id, key],
                )
                .await?;
        }
        if let Some((challenge, _)) = &send.challenge {
            transaction.execute("DELETE FROM used_challenges WHERE challenge = $1", &[challenge]).await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    pub async fn import_comments(&self, site: String, comments: Vec<ImportedComment>) -> Result<Vec<Imported>, StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        // One import at a time: two runs of the same file would otherwise both find nothing there.
        transaction.execute("LOCK TABLE wordpress_imports IN EXCLUSIVE MODE", &[]).await?;
        let mut outcomes = Vec::with_capacity(comments.len());
        for comment in &comments {
            let lookup = "SELECT comment_id FROM wordpress_imports WHERE site = $1 AND wordpress_id = $2";
            if transaction.query_opt(lookup, &[&site, &comment.wordpress_id]).await?.is_some() {
                outcomes.push(Imported::AlreadyThere);
                continue;
            }
            let parent_id: Option<i64> = match comment.wordpress_parent {
                None => None,
                Some(parent) => match transaction.query_opt(lookup, &[&site, &parent]).await? {
                    Some(row) => Some(row.try_get(0)?),
                    None => {
                        outcomes.push(Imported::ParentMissing);
                        continue;
                    }
                },
            };
            let row = transaction
                .query_one(
                    "INSERT INTO comments (article_id, parent_id, author_name, author_email, author_url, text, created_ms, status)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    &[
                        &comment.article_id,
                        &parent_id,
                        &comment.author_name,
                        &comment.author_email,
                        &comment.author_url,
                        &comment.text,
                        &comment.created_ms,
                        &comment.status.as_str(),
                    ],
                )
                .await?;
            let id: i64 = row.try_get(0)?;
            transaction
                .execute("INSERT INTO wordpress_imports (site, wordpress_id, comment_id) VALUES ($1, $2, $3)", &[&site, &comment.wordpress_id, &id])
                .await?;
            outcomes.push(Imported::Added);
        }
        transaction.commit().await?;
        Ok(outcomes)
    }

    pub async fn ban(&self, kind: BanKind, value: String, actor: String, now_ms: i64) -> Result<bool, StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        let added = transaction
            .execute(
                "INSERT INTO bans (kind, value, created_ms, created_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                &[&kind.as_str(), &value, &now_ms, &actor],
            )
            .await?
            == 1;
        if added {
            insert_audit(&transaction, &actor, "ban", None, Some(&format!("{} {value}", kind.as_str())), now_ms).await?;
        }
        transaction.commit().await?;
        Ok(added)
    }

    pub async fn unban(&self, kind: BanKind, value: String, actor: String, now_ms: i64) -> Result<bool, StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        let removed = transaction.execute("DELETE FROM bans WHERE kind = $1 AND value = $2", &[&kind.as_str(), &value]).await? == 1;
        if removed {
            insert_audit(&transaction, &actor, "unban", None, Some(&format!("{} {value}", kind.as_str())), now_ms).await?;
        }
        transaction.commit().await?;
        Ok(removed)
    }

    pub async fn bans(&self) -> Result<Vec<Ban>, StoreError> {
        let client = self.pool.get().await?;
        let rows = client.query("SELECT kind, value, created_ms, created_by FROM bans ORDER BY kind, value", &[]).await?;
        let read = |row: &Row| -> Result<Ban, tokio_postgres::Error> {
            Ok(Ban {
                kind: BanKind::parse(row.try_get(0)?).unwrap_or(BanKind::Email),
                value: row.try_get(1)?,
                created_ms: row.try_get(2)?,
                created_by: row.try_get(3)?,
            })
        };
        Ok(rows.iter().map(read).collect::<Result<_, _>>()?)
    }

    pub async fn is_banned(&self, email: String, url: String) -> Result<bool, StoreError> {
        let client = self.pool.get().await?;
        let statement =
            client.prepare_cached("SELECT 1 FROM bans WHERE (kind = 'email' AND value = $1) OR (kind = 'url' AND value = $2)").await?;
        Ok(client.query_opt(&statement, &[&email, &url]).await?.is_some())
    }

    pub async fn add_user(&self, user: UserRow) -> Result<bool, StoreError> {
        let client = self.pool.get().await?;
        Ok(client
            .execute(
                "INSERT INTO users (name, role, password_hash, created_ms) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                &[&user.name, &user.role, &user.password_hash, &user.created_ms],
            )
            .await?
            == 1)
    }

    pub async fn set_password(&self, name: String, password_hash: String) -> Result<bool, StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        let changed = transaction.execute("UPDATE users SET password_hash = $2 WHERE name = $1", &[&name, &password_hash]).await? == 1;
        transaction.execute("DELETE FROM sessions WHERE user_name = $1", &[&name]).await?;
        transaction.commit().await?;
        Ok(changed)
    }

    pub async fn remove_user(&self, name: String) -> Result<bool, StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        transaction.execute("DELETE FROM sessions WHERE user_name = $1", &[&name]).await?;
        let removed = transaction.execute("DELETE FROM users WHERE name = $1", &[&name]).await? == 1;
        transaction.commit().await?;
        Ok(removed)
    }

    pub async fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        let client = self.pool.get().await?;
        let rows = client.query("SELECT name, role, password_hash, created_ms FROM users ORDER BY name", &[]).await?;
        Ok(rows.iter().map(row_to_user).collect::<Result<_, _>>()?)
    }

    pub async fn user(&self, name: String) -> Result<Option<UserRow>, StoreError> {
        let client = self.pool.get().await?;
        let row = client.query_opt("SELECT name, role, password_hash, created_ms FROM users WHERE name = $1", &[&name]).await?;
        Ok(row.as_ref().map(row_to_user).transpose()?)
    }

    pub async fn create_session(&self, token_hash: String, user_name: String, csrf_token: String, now_ms: i64) -> Result<(), StoreError> {
        let client = self.pool.get().await?;
        client
            .execute(
                "INSERT INTO sessions (token_hash, user_name, csrf_token, created_ms, last_seen_ms) VALUES ($1, $2, $3, $4, $4)",
                &[&token_hash, &user_name, &csrf_token, &now_ms],
            )
            .await?;
        Ok(())
    }

    pub async fn session(&self, token_hash: String, now_ms: i64, idle_ms: i64) -> Result<Option<SessionRow>, StoreError> {
        let client = self.pool.get().await?;
        client.execute("DELETE FROM sessions WHERE last_seen_ms < $1", &[&(now_ms - idle_ms)]).await?;
        let row = client
            .query_opt(
                "UPDATE sessions SET last_seen_ms = $2 FROM users
                 WHERE sessions.token_hash = $1 AND users.name = sessions.user_name
                 RETURNING sessions.user_name, users.role, sessions.csrf_token",
                &[&token_hash, &now_ms],
            )
            .await?;
        let read = |row: &Row| -> Result<SessionRow, tokio_postgres::Error> {
            Ok(SessionRow { user_name: row.try_get(0)?, role: row.try_get(1)?, csrf_token: row.try_get(2)? })
        };
        Ok(row.as_ref().map(read).transpose()?)
    }

    pub async fn end_session(&self, token_hash: String) -> Result<(), StoreError> {
        let client = self.pool.get().await?;
        client.execute("DELETE FROM sessions WHERE token_hash = $1", &[&token_hash]).await?;
        Ok(())
    }

    pub async fn failures(&self, subject: String) -> Result<Option<Failures>, StoreError> {
        let client = self.pool.get().await?;
        let row = client.query_opt("SELECT failures, last_ms FROM sign_in_failures WHERE subject = $1", &[&subject]).await?;
        let read = |row: &Row| -> Result<Failures, tokio_postgres::Error> { Ok(Failures { count: row.try_get(0)?, last_ms: row.try_get(1)? }) };
        Ok(row.as_ref().map(read).transpose()?)
    }

    pub async fn record_failure(&self, subject: String, now_ms: i64, forget_before_ms: i64) -> Result<(), StoreError> {
        let client = self.pool.get().await?;
        client.execute("DELETE FROM sign_in_failures WHERE last_ms < $1", &[&forget_before_ms]).await?;
        client
            .execute(
                "INSERT INTO sign_in_failures (subject, failures, last_ms) VALUES ($1, 1, $2)
                 ON CONFLICT (subject) DO UPDATE SET failures = sign_in_failures.failures + 1, last_ms = excluded.last_ms",
                &[&subject, &now_ms],
            )
            .await?;
        Ok(())
    }

    pub async fn clear_failures(&self, subject: String) -> Result<(), StoreError> {
        let client = self.pool.get().await?;
        client.execute("DELETE FROM sign_in_failures WHERE subject = $1", &[&subject]).await?;
        Ok(())
    }

    pub async fn audit(&self, actor: String, action: String, comment_id: Option<i64>, detail: Option<String>, now_ms: i64) -> Result<(), StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        insert_audit(&transaction, &actor, &action, comment_id, detail.as_deref(), now_ms).await?;
        transaction.commit().await?;
        Ok(())
    }

    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let client = self.pool.get().await?;
        let rows = client.query("SELECT id, at_ms, actor, action, comment_id, detail FROM audit_log ORDER BY id DESC LIMIT $1", &[&limit]).await?;
        let read = |row: &Row| -> Result<AuditEntry, tokio_postgres::Error> {
            Ok(AuditEntry {
                id: row.try_get(0)?,
                at_ms: row.try_get(1)?,
                actor: row.try_get(2)?,
                action: row.try_get(3)?,
                comment_id: row.try_get(4)?,
                detail: row.try_get(5)?,
            })
        };
        Ok(rows.iter().map(read).collect::<Result<_, _>>()?)
    }

    pub async fn export(&self, email: String) -> Result<Vec<CommentRow>, StoreError> {
        let client = self.pool.get().await?;
        rows_to_comments(&client.query(&format!("SELECT {COLUMNS} FROM comments WHERE lower(author_email) = $1 ORDER BY id"), &[&email]).await?)
    }

    pub async fn erase(&self, email: String, actor: String, now_ms: i64) -> Result<Vec<i64>, StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        let rows = transaction.query("SELECT id FROM comments WHERE lower(author_email) = $1 ORDER BY id FOR UPDATE", &[&email]).await?;
        let ids: Vec<i64> = rows.iter().map(|row| row.try_get(0)).collect::<Result<_, _>>()?;
        for id in &ids {
            transaction.execute("DELETE FROM comment_versions WHERE comment_id = $1", &[id]).await?;
            transaction
                .execute(
                    "UPDATE comments SET author_name = '', author_email = NULL, author_url = NULL, text = '', status = 'deleted', \
                     voter_hash = NULL, edit_token_hash = NULL WHERE id = $1",
                    &[id],
                )
                .await?;
            // The address itself is not written down: erasing it is the point.
            insert_audit(&transaction, &actor, "erase", Some(*id), None, now_ms).await?;
        }
        notifications::erase(&transaction, &email, &ids).await?;
        transaction.commit().await?;
        Ok(ids)
    }

    pub async fn count(&self) -> Result<i64, StoreError> {
        let client = self.pool.get().await?;
        Ok(client.query_one("SELECT count(*) FROM comments", &[]).await?.try_get(0)?)
    }

    pub async fn take_rate_token(&self, client_address: &str, now_ms: i64, limit: RateLimit) -> Result<Result<(), u64>, StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        transaction
            .execute(
                &format!("DELETE FROM rate_limits WHERE updated_ms < $1 AND {}", RateScope::of(client_address).own_buckets()),
                &[&(now_ms - rate_limit::full_after_ms(limit))],
            )
            .await?;
        // A new client's row first, so that FOR UPDATE has a row to lock: two instances taking a
        // token for the same client then run one after the other.
        transaction
            .execute(
                "INSERT INTO rate_limits (client, tokens, updated_ms) VALUES ($1, $2, $3) ON CONFLICT (client) DO NOTHING",
                &[&client_address, &f64::from(limit.burst.max(1)), &now_ms],
            )
            .await?;
        let row = transaction.query_one("SELECT tokens, updated_ms FROM rate_limits WHERE client = $1 FOR UPDATE", &[&client_address]).await?;
        let bucket = Bucket { tokens: row.try_get(0)?, updated_ms: row.try_get(1)? };
        let (bucket, outcome) = rate_limit::take(Some(bucket), now_ms, limit);
        transaction
            .execute("UPDATE rate_limits SET tokens = $2, updated_ms = $3 WHERE client = $1", &[&client_address, &bucket.tokens, &bucket.updated_ms])
            .await?;
        transaction.commit().await?;
        Ok(outcome)
    }

    /// In `settings`, so every instance signs and checks challenges with the same key. The first
    /// instance to ask creates it; the others read that one (ON CONFLICT keeps the first).
    pub async fn captcha_secret(&self) -> Result<Secret, StoreError> {
        let client = self.pool.get().await?;
        let fresh = random_bytes(SECRET_BYTES).map_err(|error| StoreError::Failed(error.to_string()))?;
        client
            .execute("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", &[&SECRET_SETTING, &hex(&fresh)])
            .await?;
        let stored: String = client.query_one("SELECT value FROM settings WHERE name = $1", &[&SECRET_SETTING]).await?.try_get(0)?;
        Secret::from_hex(&stored).ok_or_else(|| StoreError::Failed("the stored captcha secret is not hex".into()))
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        let client = self.pool.get().await?;
        client.simple_query("SELECT 1").await?;
        Ok(())
    }

    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let client = self.pool.get().await?;
        Ok(client.query_one("SELECT coalesce(max(version), 0) FROM schema_migrations", &[]).await?.try_get(0)?)
    }
}

/// On the caller's connection: a request never holds two of the pool's connections at once.
async fn select_by_key(client: &ClientWrapper, article_id: &str, key: &str) -> Result<Option<CommentRow>, StoreError> {
    let statement = client.prepare_cached(&format!("SELECT {COLUMNS} FROM comments WHERE article_id = $1 AND idempotency_key = $2")).await?;
    client.query_opt(&statement, &[&article_id, &key]).await?.as_ref().map(row_to_comment).transpose()
}

fn row_to_user(row: &Row) -> Result<UserRow, tokio_postgres::Error> {
    Ok(UserRow { name: row.try_get(0)?, role: row.try_get(1)?, password_hash: row.try_get(2)?, created_ms: row.try_get(3)? })
}

async fn insert_audit(
    transaction: &deadpool_postgres::Transaction<'_>,
    actor: &str,
    action: &str,
    comment_id: Option<i64>,
    detail: Option<&str>,
    now_ms: i64,
) -> Result<(), StoreError> {
    transaction
        .execute(
            "INSERT INTO audit_log (at_ms, actor, action, comment_id, detail) VALUES ($1, $2, $3, $4, $5)",
            &[&now_ms, &actor, &action, &comment_id, &detail],
        )
        .await?;
    Ok(())
}
