//! The PostgreSQL backend: a pool of connections (deadpool), every write in a transaction, ids from
//! `RETURNING`. Several instances may share one database: whatever must hold across them
//! (idempotency keys, spent challenges, rate-limit buckets, the captcha key) is decided by the
//! database's constraints and row locks, never by an instance's memory.

use std::time::Duration;

use deadpool_postgres::{ClientWrapper, Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime, Timeouts};
use tokio_postgres::error::SqlState;
use tokio_postgres::{NoTls, Row};

use super::{too_new, CommentRow, Insert, Migration, NewRow, Status, StoreError, COLUMNS};
use crate::captcha::{random_bytes, Secret, SECRET_BYTES};
use crate::cli::RateLimit;
use crate::rate_limit::{self, Bucket};
use crate::time::now_ms;
use kiosque::model::comment::hex;

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
                "INSERT INTO comments (article_id, parent_id, author_name, author_email, author_url, text, created_ms, status, idempotency_key)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
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

    pub async fn approved(&self, article_id: &str) -> Result<Vec<CommentRow>, StoreError> {
        let client = self.pool.get().await?;
        let statement = client
            .prepare_cached(&format!("SELECT {COLUMNS} FROM comments WHERE article_id = $1 AND status = 'approved' ORDER BY id"))
            .await?;
        rows_to_comments(&client.query(&statement, &[&article_id]).await?)
    }

    pub async fn pending(&self) -> Result<Vec<CommentRow>, StoreError> {
        let client = self.pool.get().await?;
        rows_to_comments(&client.query(&format!("SELECT {COLUMNS} FROM comments WHERE status = 'pending' ORDER BY id"), &[]).await?)
    }

    pub async fn approve(&self, id: i64) -> Result<bool, StoreError> {
        let client = self.pool.get().await?;
        Ok(client.execute("UPDATE comments SET status = 'approved' WHERE id = $1", &[&id]).await? == 1)
    }

    pub async fn delete(&self, id: i64) -> Result<u64, StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        // The replies go through ON DELETE CASCADE; count the whole subtree first, under lock.
        let count: i64 = transaction
            .query_one(
                "WITH RECURSIVE subtree(id) AS (
                     SELECT id FROM comments WHERE id = $1
                     UNION ALL SELECT comments.id FROM comments JOIN subtree ON comments.parent_id = subtree.id
                 )
                 SELECT count(*) FROM subtree",
                &[&id],
            )
            .await?
            .try_get(0)?;
        transaction.execute("DELETE FROM comments WHERE id = $1", &[&id]).await?;
        transaction.commit().await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    pub async fn count(&self) -> Result<i64, StoreError> {
        let client = self.pool.get().await?;
        Ok(client.query_one("SELECT count(*) FROM comments", &[]).await?.try_get(0)?)
    }

    pub async fn take_rate_token(&self, client_address: &str, now_ms: i64, limit: RateLimit) -> Result<Result<(), u64>, StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        transaction
            .execute("DELETE FROM rate_limits WHERE updated_ms < $1", &[&(now_ms - rate_limit::full_after_ms(limit))])
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
