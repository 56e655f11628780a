//! Where comments and the state every instance must share (idempotency keys, spent captcha
//! challenges, rate-limit buckets) are kept: one interface over two backends.
//! - SQLite (`sqlite.rs`): the default, embedded; one file, WAL, each comment fsynced before its 201.
//! - PostgreSQL (`postgres.rs`): a pool, for several instances behind a load balancer.
//!
//! Both apply their numbered migrations (`server/migrations/<backend>/NNNN_name.sql`) at start, in
//! one transaction, and record them in `schema_migrations`; a database whose schema is newer than
//! this binary knows is refused. No backend type leaves its module.

mod postgres;
mod sqlite;

use std::path::{Path, PathBuf};

use kiosque::model::comment::ValidComment;

use crate::captcha::Secret;
use crate::cli::RateLimit;

pub use postgres::PostgresStore;
pub use sqlite::{SqliteStore, DATABASE_FILE};

/// `--database`: which backend, and where.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// The SQLite file (its directory also holds the captcha secret).
    Sqlite(PathBuf),
    /// A `postgres://user:password@host:port/db` URL.
    Postgres(String),
}

impl Database {
    /// `sqlite:PATH` or `postgres://…` (also `postgresql://…`).
    pub fn parse(text: &str) -> Result<Database, String> {
        if let Some(path) = text.strip_prefix("sqlite:") {
            if path.is_empty() {
                return Err("sqlite: needs the database file's path, e.g. sqlite:./data/kiosque.sqlite3".into());
            }
            return Ok(Database::Sqlite(PathBuf::from(path)));
        }
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            text.parse::<tokio_postgres::Config>()
                .map_err(|error| format!("“{}” is not a PostgreSQL URL: {error}", redact(text)))?;
            return Ok(Database::Postgres(text.to_string()));
        }
        Err(format!("“{}” should be sqlite:PATH or postgres://user:password@host:port/database", redact(text)))
    }

    /// What `--database` takes to name this database: the password included, so never for logs.
    pub fn as_flag(&self) -> String {
        match self {
            Database::Sqlite(path) => format!("sqlite:{}", path.display()),
            Database::Postgres(url) => url.clone(),
        }
    }

    /// The default: `kiosque.sqlite3` in the data directory.
    pub fn in_data_dir(data: &Path) -> Database {
        Database::Sqlite(data.join(DATABASE_FILE))
    }
}

/// Without the password: what may be printed or logged.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => {
            let user = rest[..at].split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{}", &rest[at + 1..])
        }
        None => url.to_string(),
    }
}

impl std::fmt::Display for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            Database::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

/// Why the store could not do what it was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The database is not answering (stopped, unreachable, locked for too long): the API says 503
    /// and the client may try again; nothing was stored.
    Unavailable(String),
    /// Any other failure.
    Failed(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Unavailable(detail) => write!(f, "the database is unavailable: {detail}"),
            StoreError::Failed(detail) => write!(f, "database error: {detail}"),
        }
    }
}

impl std::error::Error for StoreError {}

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

/// A comment ready to store: validated, its captcha checked.
#[derive(Clone, Debug)]
pub struct NewRow {
    pub article_id: String,
    pub parent_id: Option<i64>,
    pub comment: ValidComment,
    pub status: Status,
    pub idempotency_key: Option<String>,
    /// A proof-of-work challenge to spend with this comment, and when it expires (Unix seconds).
    pub challenge: Option<(String, u64)>,
    pub now_ms: i64,
}

impl NewRow {
    fn stored(&self, id: i64) -> CommentRow {
        CommentRow {
            id,
            article_id: self.article_id.clone(),
            parent_id: self.parent_id,
            author_name: self.comment.author_name.clone(),
            author_email: self.comment.author_email.clone(),
            author_url: self.comment.author_url.clone(),
            text: self.comment.text.clone(),
            created_ms: self.now_ms,
            status: self.status,
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Insert {
    Stored(CommentRow),
    /// The idempotency key was already used for this article: the comment stored then.
    Replayed(CommentRow),
    ParentNotFound,
    ChallengeUsed,
}

/// A numbered migration: `server/migrations/<backend>/NNNN_name.sql`.
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// The refusal to run on a schema from a newer release.
fn too_new(found: i64, known: i64) -> StoreError {
    StoreError::Failed(format!(
        "the database's schema is at version {found}, newer than this kiosque-server knows ({known}): \
         run the release that wrote it (or newer), or restore a backup made before the upgrade"
    ))
}

#[derive(Clone)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Store {
    /// Connects, creating an empty SQLite file if needed, and brings the schema up to date.
    pub async fn open(database: &Database) -> Result<Store, StoreError> {
        match database {
            Database::Sqlite(path) => {
                let path = path.clone();
                let store = tokio::task::spawn_blocking(move || SqliteStore::open(&path))
                    .await
                    .map_err(|error| StoreError::Failed(error.to_string()))??;
                Ok(Store::Sqlite(store))
            }
            Database::Postgres(url) => Ok(Store::Postgres(PostgresStore::open(url).await?)),
        }
    }

    pub async fn insert(&self, new: NewRow) -> Result<Insert, StoreError> {
        match self {
            Store::Sqlite(store) => store.run(move |store| store.insert(&new)).await,
            Store::Postgres(store) => store.insert(&new).await,
        }
    }

    pub async fn find_by_key(&self, article_id: &str, key: &str) -> Result<Option<CommentRow>, StoreError> {
        match self {
            Store::Sqlite(store) => {
                let (article_id, key) = (article_id.to_string(), key.to_string());
                store.run(move |store| store.find_by_key(&article_id, &key)).await
            }
            Store::Postgres(store) => store.find_by_key(article_id, key).await,
        }
    }

    pub async fn comment_exists(&self, article_id: &str, id: i64) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(store) => {
                let article_id = article_id.to_string();
                store.run(move |store| store.comment_exists(&article_id, id)).await
            }
            Store::Postgres(store) => store.comment_exists(article_id, id).await,
        }
    }

    /// The article's approved comments, oldest first.
    pub async fn approved(&self, article_id: &str) -> Result<Vec<CommentRow>, StoreError> {
        match self {
            Store::Sqlite(store) => {
                let article_id = article_id.to_string();
                store.run(move |store| store.approved(&article_id)).await
            }
            Store::Postgres(store) => store.approved(article_id).await,
        }
    }

    /// Every comment waiting for moderation, oldest first.
    pub async fn pending(&self) -> Result<Vec<CommentRow>, StoreError> {
        match self {
            Store::Sqlite(store) => store.run(|store| store.pending()).await,
            Store::Postgres(store) => store.pending().await,
        }
    }

    /// Publishes a comment; `false` when there is no such comment.
    pub async fn approve(&self, id: i64) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(store) => store.run(move |store| store.approve(id)).await,
            Store::Postgres(store) => store.approve(id).await,
        }
    }

    /// Deletes a comment and its replies; returns how many went.
    pub async fn delete(&self, id: i64) -> Result<u64, StoreError> {
        match self {
            Store::Sqlite(store) => store.run(move |store| store.delete(id)).await,
            Store::Postgres(store) => store.delete(id).await,
        }
    }

    /// How many comments there are, in every state (for tests and operators).
    pub async fn count(&self) -> Result<i64, StoreError> {
        match self {
            Store::Sqlite(store) => store.run(|store| store.count()).await,
            Store::Postgres(store) => store.count().await,
        }
    }

    /// Takes one token from `client`'s bucket, atomically for every instance; `Err(seconds)`
    /// (inside `Ok`) when there is none, saying when the next one will be there.
    pub async fn take_rate_token(&self, client: &str, now_ms: i64, limit: RateLimit) -> Result<Result<(), u64>, StoreError> {
        match self {
            Store::Sqlite(store) => {
                let client = client.to_string();
                store.run(move |store| store.take_rate_token(&client, now_ms, limit)).await
            }
            Store::Postgres(store) => store.take_rate_token(client, now_ms, limit).await,
        }
    }

    /// The captcha's signing key, the same for every instance: created on first use.
    pub async fn captcha_secret(&self) -> Result<Secret, StoreError> {
        match self {
            Store::Sqlite(store) => store.run(|store| store.captcha_secret()).await,
            Store::Postgres(store) => store.captcha_secret().await,
        }
    }

    /// Whether the database answers now (`/api/ready`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(store) => store.run(|store| store.ping()).await,
            Store::Postgres(store) => store.ping().await,
        }
    }

    /// The newest migration applied.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        match self {
            Store::Sqlite(store) => store.run(|store| store.schema_version()).await,
            Store::Postgres(store) => store.schema_version().await,
        }
    }

    /// An online, consistent copy of the database into a new file (SQLite only; PostgreSQL has
    /// pg_dump).
    pub async fn backup(&self, to: &Path) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(store) => {
                let to = to.to_path_buf();
                store.run(move |store| store.backup(&to)).await
            }
            Store::Postgres(_) => Err(StoreError::Failed(
                "kiosque-server backup copies SQLite databases; for PostgreSQL use pg_dump (see the README)".into(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls() {
        assert_eq!(Database::parse("sqlite:/var/lib/k.db"), Ok(Database::Sqlite(PathBuf::from("/var/lib/k.db"))));
        assert!(matches!(Database::parse("postgres://k:secret@127.0.0.1:5432/k"), Ok(Database::Postgres(_))));
        assert!(matches!(Database::parse("postgresql://k@db/k"), Ok(Database::Postgres(_))));
        for bad in ["sqlite:", "mysql://x", "/var/lib/k.db", "postgres://k:secret@host:notaport/k"] {
            let error = Database::parse(bad).expect_err(bad);
            assert!(!error.contains("secret"), "the password is never repeated: {error}");
        }
    }

    #[test]
    fn passwords_are_never_displayed() {
        let database = Database::parse("postgres://kiosque:s3cr3t@db.example:5432/news?sslmode=disable").expect("url");
        assert_eq!(database.to_string(), "postgres://kiosque:***@db.example:5432/news?sslmode=disable");
        assert_eq!(redact("postgres://db.example/news"), "postgres://db.example/news");
        assert_eq!(format!("{:?}", Database::Sqlite(PathBuf::from("a.db"))), "sqlite:a.db");
    }
}
