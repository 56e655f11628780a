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

pub use notifications::{ClaimedMail, ExportedSubscription, MailFailure, MailKind, NewSubscription, SubscriptionRow};
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
pub(crate) fn redact(url: &str) -> String {
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
    Spam,
    /// Hidden by a moderator, or erased at its author's request: kept so that its replies keep
    /// their place (readers see a "comment deleted" placeholder), and restorable unless erased.
    Deleted,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Pending, Status::Approved, Status::Spam, Status::Deleted];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Approved => "approved",
            Status::Pending => "pending",
            Status::Spam => "spam",
            Status::Deleted => "deleted",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.as_str() == text)
    }

    fn from_column(text: &str) -> Status {
        Status::parse(text).unwrap_or(Status::Pending)
    }
}

/// What a moderator does to comments; each is one line of the audit trail per comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Approve,
    Spam,
    Delete,
    /// A deleted or spam comment published again (an erased one cannot be: its text is gone).
    Restore,
}

impl Action {
    pub fn parse(text: &str) -> Option<Action> {
        match text {
            "approve" => Some(Action::Approve),
            "spam" => Some(Action::Spam),
            "delete" => Some(Action::Delete),
            "restore" => Some(Action::Restore),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Spam => "spam",
            Action::Delete => "delete",
            Action::Restore => "restore",
        }
    }

    /// The status the comment ends in.
    pub fn status(self) -> Status {
        match self {
            Action::Approve | Action::Restore => Status::Approved,
            Action::Spam => Status::Spam,
            Action::Delete => Status::Deleted,
        }
    }

    /// The `WHERE` condition (on both backends) a comment must meet for the action to apply.
    fn applies_to(self) -> &'static str {
        match self {
            Action::Approve => "status <> 'approved' AND text <> ''",
            Action::Spam => "status <> 'spam'",
            Action::Delete => "status <> 'deleted'",
            Action::Restore => "status IN ('deleted', 'spam') AND text <> ''",
        }
    }
}

/// A moderator's queue: one status, newest first, maybe one article, maybe a search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueQuery {
    pub status: Status,
    pub article_id: Option<String>,
    /// Found in the text, the author's name or email (case-insensitive for ASCII).
    pub search: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// A comment as moderators see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedComment {
    pub comment: CommentRow,
    /// Comments of the same email approved before this one: a regular, or a stranger.
    pub approved_before: i64,
}

/// An earlier text of an edited comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextVersion {
    pub text: String,
    pub replaced_ms: i64,
    pub replaced_by: String,
}

/// One line of the audit trail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub comment_id: Option<i64>,
    pub detail: Option<String>,
}

/// What is banned: new comments with this email or site url go to spam.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BanKind {
    Email,
    Url,
}

impl BanKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BanKind::Email => "email",
            BanKind::Url => "url",
        }
    }

    pub fn parse(text: &str) -> Option<BanKind> {
        match text {
            "email" => Some(BanKind::Email),
            "url" => Some(BanKind::Url),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ban {
    pub kind: BanKind,
    pub value: String,
    pub created_ms: i64,
    pub created_by: String,
}

/// A newsroom account; `password_hash` is an argon2id PHC string.
#[derive(Clone, PartialEq, Eq)]
pub struct UserRow {
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub created_ms: i64,
}

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow").field("name", &self.name).field("role", &self.role).finish_non_exhaustive()
    }
}

/// A live session: who, with which role, and the CSRF token its state-changing requests carry.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub user_name: String,
    pub role: String,
    pub csrf_token: String,
}

/// Failed sign-ins of one subject (`user:NAME` or `addr:IP`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failures {
    pub count: i64,
    pub last_ms: i64,
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
    /// Up votes minus down votes.
    pub score: i64,
    /// SHA-256 (hex) of the voter id its author posted it with: they may not vote on it.
    pub voter_hash: Option<String>,
    /// SHA-256 (hex) of the edit token its author was given (never the token).
    pub edit_token_hash: Option<String>,
    /// When its author last edited it (a moderator's edit does not count).
    pub edited_ms: Option<i64>,
}

const COLUMNS: &str = "id, article_id, parent_id, author_name, author_email, author_url, text, created_ms, status, score, voter_hash, edit_token_hash, edited_ms";
/// How many columns [`COLUMNS`] has: a query's own columns come after them.
const COLUMN_COUNT: usize = 13;

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
    /// SHA-256 (hex) of the author's voter id, if they gave one.
    pub voter_hash: Option<String>,
    /// SHA-256 (hex) of the edit token given in the 201, if one is.
    pub edit_token_hash: Option<String>,
    /// `"notify": true`: a reply subscription, stored with the comment.
    pub notify: Option<NewSubscription>,
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
            score: 0,
            voter_hash: self.voter_hash.clone(),
            edit_token_hash: self.edit_token_hash.clone(),
            edited_ms: None,
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

/// `--comments wordpress`: a new comment about to be sent to WordPress, its key and challenge.
#[derive(Clone, Debug)]
pub struct WordPressSend {
    pub article_id: String,
    pub idempotency_key: Option<String>,
    pub challenge: Option<(String, u64)>,
    pub now_ms: i64,
}

/// What [`Store::reserve_wordpress_send`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Reservation {
    /// Go ahead: the challenge is spent and the key (if any) marked as under way.
    Reserved,
    /// This key already created a comment: the first answer's comment (JSON), to give again.
    Replayed(String),
    /// A request with this key is being sent to WordPress right now.
    InProgress,
    ChallengeUsed,
}

/// A reservation older than this is a request that never finished (the server stopped meanwhile):
/// a retry takes it over.
pub const WORDPRESS_RESERVATION_MS: i64 = 10 * 60 * 1000;

/// A comment of a WordPress export, ready to store (`import-wxr`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedComment {
    pub article_id: String,
    pub wordpress_id: i64,
    pub wordpress_parent: Option<i64>,
    pub author_name: String,
    pub author_email: Option<String>,
    pub author_url: Option<String>,
    pub text: String,
    pub created_ms: i64,
    pub status: Status,
}

/// What became of one [`ImportedComment`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Imported {
    Added,
    /// Imported by an earlier run (same site, same WordPress comment).
    AlreadyThere,
    /// Its parent is neither in this import nor imported before.
    ParentMissing,
}

/// `%text%` for LIKE, the text's own `%`, `_` and `\\` taken literally (`ESCAPE '\\'`).
fn like_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for character in text.chars() {
        if matches!(character, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(character);
    }
    pattern.push('%');
    pattern
}

/// Every status with its count, in [`Status::ALL`]'s order, zeros included.
fn every_status(found: &[(String, i64)]) -> Vec<(Status, i64)> {
    Status::ALL
        .into_iter()
        .map(|status| (status, found.iter().find(|(name, _)| name == status.as_str()).map_or(0, |(_, count)| *count)))
        .collect()
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

/// Calls the backend's method of the same name; on SQLite, off the async threads (the arguments,
/// owned, move into the blocking task).
macro_rules! dispatch {
    ($self:ident, $method:ident ( $($arg:ident),* )) => {
        match $self {
            Store::Sqlite(store) => store.run(move |store| store.$method($($arg),*)).await,
            Store::Postgres(store) => store.$method($($arg),*).await,
        }
    };
}

mod reader_actions;
pub use reader_actions::Voted;
// After `dispatch!`, which it uses.
mod notifications;

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

    /// What readers see of an article, oldest first: its approved comments and its deleted ones
    /// (the API shows a deleted comment as a placeholder when replies hang under it).
    pub async fn thread_rows(&self, article_id: &str) -> Result<Vec<CommentRow>, StoreError> {
        let article_id = article_id.to_string();
        dispatch!(self, thread_rows(article_id))
    }

    /// The newest approved comments, of one article or of all, newest first (the feeds).
    pub async fn latest_approved(&self, article_id: Option<String>, limit: i64) -> Result<Vec<CommentRow>, StoreError> {
        dispatch!(self, latest_approved(article_id, limit))
    }

    /// How many approved comments each of these articles has (those with none are left out).
    pub async fn approved_counts(&self, article_ids: Vec<String>) -> Result<Vec<(String, i64)>, StoreError> {
        dispatch!(self, approved_counts(article_ids))
    }

    /// Every comment waiting for moderation, oldest first.
    pub async fn pending(&self) -> Result<Vec<CommentRow>, StoreError> {
        dispatch!(self, pending())
    }

    pub async fn comment(&self, id: i64) -> Result<Option<CommentRow>, StoreError> {
        dispatch!(self, comment(id))
    }

    /// Applies `action` to those of `ids` it applies to, each with a line in the audit trail, in
    /// one transaction; returns the ids changed.
    pub async fn moderate(&self, ids: Vec<i64>, action: Action, actor: &str, now_ms: i64) -> Result<Vec<i64>, StoreError> {
        let actor = actor.to_string();
        dispatch!(self, moderate(ids, action, actor, now_ms))
    }

    /// Replaces a comment's text, keeping the previous one in its versions; `false` when there is
    /// no such comment (or it was erased).
    pub async fn edit(&self, id: i64, text: String, actor: &str, now_ms: i64) -> Result<bool, StoreError> {
        let actor = actor.to_string();
        dispatch!(self, edit(id, text, actor, now_ms))
    }

    /// A comment's earlier texts, oldest first.
    pub async fn versions(&self, id: i64) -> Result<Vec<TextVersion>, StoreError> {
        dispatch!(self, versions(id))
    }

    pub async fn queue(&self, query: QueueQuery) -> Result<Vec<QueuedComment>, StoreError> {
        dispatch!(self, queue(query))
    }

    /// How many comments each status has (every status listed, zeros included).
    pub async fn counts(&self, article_id: Option<String>) -> Result<Vec<(Status, i64)>, StoreError> {
        dispatch!(self, counts(article_id))
    }

    /// Closes (or reopens) an article's comments, with a line in the audit trail.
    pub async fn set_closed(&self, article_id: &str, closed: bool, actor: &str, now_ms: i64) -> Result<(), StoreError> {
        let (article_id, actor) = (article_id.to_string(), actor.to_string());
        dispatch!(self, set_closed(article_id, closed, actor, now_ms))
    }

    /// Whether a moderator closed this article's comments.
    pub async fn is_closed(&self, article_id: &str) -> Result<bool, StoreError> {
        let article_id = article_id.to_string();
        dispatch!(self, is_closed(article_id))
    }

    pub async fn closed_articles(&self) -> Result<Vec<String>, StoreError> {
        dispatch!(self, closed_articles())
    }

    /// Bans an email or a site url (stored lowercased); `false` when it already was.
    pub async fn ban(&self, kind: BanKind, value: &str, actor: &str, now_ms: i64) -> Result<bool, StoreError> {
        let (value, actor) = (value.trim().to_lowercase(), actor.to_string());
        dispatch!(self, ban(kind, value, actor, now_ms))
    }

    pub async fn unban(&self, kind: BanKind, value: &str, actor: &str, now_ms: i64) -> Result<bool, StoreError> {
        let (value, actor) = (value.trim().to_lowercase(), actor.to_string());
        dispatch!(self, unban(kind, value, actor, now_ms))
    }

    pub async fn bans(&self) -> Result<Vec<Ban>, StoreError> {
        dispatch!(self, bans())
    }

    /// Whether a new comment with this email or url must go to spam.
    pub async fn is_banned(&self, email: Option<&str>, url: Option<&str>) -> Result<bool, StoreError> {
        let email = email.map(|email| email.trim().to_lowercase()).unwrap_or_default();
        let url = url.map(|url| url.trim().to_lowercase()).unwrap_or_default();
        dispatch!(self, is_banned(email, url))
    }

    /// `false` when the name is taken.
    pub async fn add_user(&self, user: UserRow) -> Result<bool, StoreError> {
        dispatch!(self, add_user(user))
    }

    /// Changes a password and ends that account's sessions; `false` when there is no such account.
    pub async fn set_password(&self, name: &str, password_hash: String) -> Result<bool, StoreError> {
        let name = name.to_string();
        dispatch!(self, set_password(name, password_hash))
    }

    /// Removes an account and its sessions; `false` when there is none.
    pub async fn remove_user(&self, name: &str) -> Result<bool, StoreError> {
        let name = name.to_string();
        dispatch!(self, remove_user(name))
    }

    pub async fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        dispatch!(self, users())
    }

    pub async fn user(&self, name: &str) -> Result<Option<UserRow>, StoreError> {
        let name = name.to_string();
        dispatch!(self, user(name))
    }

    pub async fn create_session(&self, token_hash: String, user_name: &str, csrf_token: String, now_ms: i64) -> Result<(), StoreError> {
        let user_name = user_name.to_string();
        dispatch!(self, create_session(token_hash, user_name, csrf_token, now_ms))
    }

    /// The session of this token if it was used in the last `idle_ms` (which it now is); expired
    /// sessions are deleted on the way.
    pub async fn session(&self, token_hash: String, now_ms: i64, idle_ms: i64) -> Result<Option<SessionRow>, StoreError> {
        dispatch!(self, session(token_hash, now_ms, idle_ms))
    }

    pub async fn end_session(&self, token_hash: String) -> Result<(), StoreError> {
        dispatch!(self, end_session(token_hash))
    }

    pub async fn failures(&self, subject: String) -> Result<Option<Failures>, StoreError> {
        dispatch!(self, failures(subject))
    }

    /// Counts one more failed sign-in for `subject`; rows untouched since `forget_before_ms` go
    /// (names invented by someone guessing would otherwise pile up).
    pub async fn record_failure(&self, subject: String, now_ms: i64, forget_before_ms: i64) -> Result<(), StoreError> {
        dispatch!(self, record_failure(subject, now_ms, forget_before_ms))
    }

    pub async fn clear_failures(&self, subject: String) -> Result<(), StoreError> {
        dispatch!(self, clear_failures(subject))
    }

    /// One line in the audit trail.
    pub async fn audit(&self, actor: &str, action: &str, comment_id: Option<i64>, detail: Option<String>, now_ms: i64) -> Result<(), StoreError> {
        let (actor, action) = (actor.to_string(), action.to_string());
        dispatch!(self, audit(actor, action, comment_id, detail, now_ms))
    }

    /// The audit trail, newest first.
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        dispatch!(self, audit_log(limit))
    }

    /// Every comment with this email (compared case-insensitively), oldest first.
    pub async fn export(&self, email: &str) -> Result<Vec<CommentRow>, StoreError> {
        let email = email.trim().to_lowercase();
        dispatch!(self, export(email))
    }

    /// Removes the name, email, url and text of every comment with this email, and their earlier
    /// versions; they stay as "deleted" placeholders. Returns their ids.
    pub async fn erase(&self, email: &str, actor: &str, now_ms: i64) -> Result<Vec<i64>, StoreError> {
        let (email, actor) = (email.trim().to_lowercase(), actor.to_string());
        dispatch!(self, erase(email, actor, now_ms))
    }

    /// Spends the challenge and marks the key as under way, in one transaction; or says what an
    /// earlier request with the same key did.
    pub async fn reserve_wordpress_send(&self, send: WordPressSend) -> Result<Reservation, StoreError> {
        dispatch!(self, reserve_wordpress_send(send))
    }

    /// The answer given for the comment this key created in WordPress, if any.
    pub async fn wordpress_answer(&self, article_id: &str, key: &str) -> Result<Option<String>, StoreError> {
        let (article_id, key) = (article_id.to_string(), key.to_string());
        dispatch!(self, wordpress_answer(article_id, key))
    }

    /// Keeps the comment WordPress created under the key, for retries.
    pub async fn complete_wordpress_send(&self, article_id: String, key: String, wordpress_id: i64, answer: String) -> Result<(), StoreError> {
        dispatch!(self, complete_wordpress_send(article_id, key, wordpress_id, answer))
    }

    /// WordPress created nothing: the key and the challenge may be used again.
    pub async fn release_wordpress_send(&self, send: WordPressSend) -> Result<(), StoreError> {
        dispatch!(self, release_wordpress_send(send))
    }

    /// Stores comments of a WordPress export of `site`, parents before replies, all or nothing.
    pub async fn import_comments(&self, site: String, comments: Vec<ImportedComment>) -> Result<Vec<Imported>, StoreError> {
        dispatch!(self, import_comments(site, comments))
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
    fn searches_take_wildcards_literally() {
        assert_eq!(like_pattern("100%"), "%100\\%%");
        assert_eq!(like_pattern("a_b\\c"), "%a\\_b\\\\c%");
        assert_eq!(every_status(&[("spam".into(), 2)]), vec![(Status::Pending, 0), (Status::Approved, 0), (Status::Spam, 2), (Status::Deleted, 0)]);
    }

    #[test]
    fn passwords_are_never_displayed() {
        let database = Database::parse("postgres://kiosque:s3cr3t@db.example:5432/news?sslmode=disable").expect("url");
        assert_eq!(database.to_string(), "postgres://kiosque:***@db.example:5432/news?sslmode=disable");
        assert_eq!(redact("postgres://db.example/news"), "postgres://db.example/news");
        assert_eq!(format!("{:?}", Database::Sqlite(PathBuf::from("a.db"))), "sqlite:a.db");
    }
}
