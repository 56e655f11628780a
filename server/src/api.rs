//! The `/api` routes of `docs/api.md`.

use crate::test_mode::{take_comment_fault, CommentStage};
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use kiosque::model::comment::{validate, NewComment, StubToken, MAX_EMAIL_CHARS, MAX_NAME_CHARS, MAX_TEXT_CHARS, MAX_URL_CHARS};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::cli::{CaptchaPolicy, CommentsSource};
use crate::comment_order::CommentSort;
use crate::reader_actions;
use crate::content::{encode_segment, Entry};
use crate::errors::{json_response, ApiError, JSON};
use crate::http_cache::{self, ApiCaching};
use crate::metrics::Rejection;
use crate::store::{CommentRow, Insert, NewRow, NewSubscription, Reservation, Status, WordPressSend};
use crate::time::{now_ms, rfc3339_utc};
use crate::wordpress::comments::{self as wordpress_comments, CommentForWordPress};
use crate::wordpress::{Post, WordPress};
use crate::AppState;

/// Largest request body, JSON included: a 5000-character comment in a 4-byte script is 20 000
/// bytes, but nobody writes that; 16 KiB is ample for real comments and cheap to refuse.
pub const BODY_LIMIT_BYTES: usize = 16 * 1024;
const RELATED_PAGE_SIZE: usize = 6;
const RELATED_MAX_LIMIT: usize = 50;
const COMMENT_THREADS_PAGE_SIZE: usize = 50;
const COMMENT_THREADS_MAX_LIMIT: usize = 100;
const IDEMPOTENCY_KEY_MAX_CHARS: usize = 100;

type Shared = Arc<AppState>;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/health", get(|| async { json_response(StatusCode::OK, &json!({ "status": "ok" })) }))
        .route("/api/ready", get(ready))
        .route("/api/config", get(config))
        .route("/api/captcha/challenge", get(challenge))
        .route("/api/articles/{id}", get(article))
        .route("/api/articles/{id}/related", get(related))
        .route("/api/articles/{id}/comments", get(comments).post(post_comment))
}

fn ok_json(body: &Value) -> Response {
    json_response(StatusCode::OK, body)
}

fn unknown_article(id: &str) -> ApiError {
    ApiError::not_found(format!("No article with the id “{id}”."))
}

/// Readiness, for load balancers: the process is up (`/api/health`) and its database answers.
async fn ready(State(state): State<Shared>) -> Result<Response, ApiError> {
    state.store.ping().await?;
    Ok(ok_json(&json!({ "status": "ready" })))
}

async fn config(State(state): State<Shared>) -> Response {
    let options = &state.options;
    ok_json(&json!({
        "captcha": options.captcha.name(),
        "email": match options.email {
            kiosque::model::comment::EmailPolicy::Required => "required",
            kiosque::model::comment::EmailPolicy::Optional => "optional",
        },
        "moderation": options.moderation,
        "notifications": state.notifications.is_some(),
        "limits": { "author_name": MAX_NAME_CHARS, "author_email": MAX_EMAIL_CHARS, "author_url": MAX_URL_CHARS, "text": MAX_TEXT_CHARS },
        "votes": reader_actions::enabled(options),
        "edit_window": reader_actions::edit_window_seconds(options),
    }))
}

async fn challenge(State(state): State<Shared>) -> Result<Response, ApiError> {
    let now_seconds = u64::try_from(now_ms() / 1000).unwrap_or(0);
    let body = state.secret.challenge(state.options.pow_max, now_seconds).map_err(ApiError::internal)?;
    Ok(ok_json(&body))
}

/// Where an article comes from: the content directory (it wins), else WordPress.
pub(crate) enum Found<'a> {
    Local(&'a Entry),
    WordPress(Arc<Post>),
}

impl Found<'_> {
    pub(crate) fn entry(&self) -> &Entry {
        match self {
            Found::Local(entry) => entry,
            Found::WordPress(post) => &post.entry,
        }
    }
}

pub(crate) async fn find<'a>(state: &'a AppState, id: &str) -> Result<Found<'a>, ApiError> {
    if let Some(entry) = state.library.get(id) {
        return Ok(Found::Local(entry));
    }
    match &state.wordpress {
        Some(wordpress) => wordpress.article(id).await.map(Found::WordPress),
        None => Err(unknown_article(id)),
    }
}

async fn article(State(state): State<Shared>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let found = find(&state, &id).await?;
    let entry = found.entry();
    // Articles are served even while the database is away (the comments then answer 503).
    let closed = match state.store.is_closed(&id).await {
        Ok(closed) => closed,
        Err(error) => {
            tracing::warn!(detail = %error, "cannot tell whether a moderator closed the comments; the article is served as written");
            false
        }
    };
    let raw = if closed { closed_document(&entry.raw) } else { entry.raw.clone() };
    let mut response = Response::new(axum::body::Body::from(raw));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    Ok(http_cache::mark(response, ApiCaching::Shared))
}

/// The article's document with `comments.open: false` (a moderator closed them), the rest as the
/// publisher wrote it.
fn closed_document(raw: &str) -> String {
    let Ok(mut document) = serde_json::from_str::<Value>(raw) else { return raw.to_string() };
    if let Some(article) = document.as_object_mut() {
        let comments = article.entry("comments").or_insert_with(|| json!({}));
        if !comments.is_object() {
            *comments = json!({});
        }
        comments["open"] = Value::Bool(false);
    }
    document.to_string()
}

/// `page` and `limit` of a list request.
struct PageQuery {
    page: usize,
    limit: usize,
    /// Repeated in `next` only when the client chose it.
    limit_given: bool,
}

impl PageQuery {
    fn read(raw: Option<&str>, default_limit: usize, max_limit: usize) -> Result<PageQuery, ApiError> {
        let mut query = PageQuery { page: 1, limit: default_limit, limit_given: false };
        for pair in raw.unwrap_or_default().split('&').filter(|pair| !pair.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let number = || -> Option<usize> {
                (!value.is_empty() && value.len() <= 9 && value.bytes().all(|b| b.is_ascii_digit())).then(|| value.parse().ok()).flatten()
            };
            match name {
                "page" => {
                    query.page = number()
                        .filter(|page| *page >= 1)
                        .ok_or_else(|| ApiError::bad_request(format!("page: “{value}” should be a whole number from 1")))?;
                }
                "limit" => {
                    query.limit = number().filter(|limit| (1..=max_limit).contains(limit)).ok_or_else(|| {
                        ApiError::bad_request(format!("limit: “{value}” should be a whole number from 1 to {max_limit}"))
                    })?;
                    query.limit_given = true;
                }
                _ => {}
            }
        }
        Ok(query)
    }

    /// The items of this page, out of `total`.
    fn range(&self, total: usize) -> std::ops::Range<usize> {
        let start = (self.page - 1).saturating_mul(self.limit).min(total);
        start..start.saturating_add(self.limit).min(total)
    }

    fn next(&self, path: &str, total: usize) -> Value {
        if self.page.saturating_mul(self.limit) >= total {
            return Value::Null;
        }
        let limit = if self.limit_given { format!("&limit={}", self.limit) } else { String::new() };
        Value::String(format!("{path}?page={}{limit}", self.page + 1))
    }
}

async fn related(State(state): State<Shared>, Path(id): Path<String>, RawQuery(query): RawQuery) -> Result<Response, ApiError> {
    let found = find(&state, &id).await?;
    let query = PageQuery::read(query.as_deref(), RELATED_PAGE_SIZE, RELATED_MAX_LIMIT)?;
    let items = match &found {
        Found::Local(entry) => Arc::new(state.library.related(&entry.article)),
        Found::WordPress(post) => match &state.wordpress {
            Some(wordpress) => wordpress.related(post).await?,
            None => Arc::new(Vec::new()),
        },
    };
    let path = format!("/api/articles/{}/related", encode_segment(&id));
    let body = json!({
        "title": found.entry().article.related.as_ref().and_then(|related| related.title.as_deref()),
        "items": &items[query.range(items.len())],
        "next": query.next(&path, items.len()),
    });
    Ok(http_cache::mark(ok_json(&body), ApiCaching::Shared))
}

pub fn comment_json(row: &CommentRow) -> Value {
    if row.status == Status::Deleted {
        // A placeholder keeping its replies' place: nothing of what was said, nor by whom.
        return json!({
            "id": row.id.to_string(),
            "parent": row.parent_id.map(|parent| parent.to_string()),
            "deleted": true,
            "created": rfc3339_utc(row.created_ms),
            "status": row.status.as_str(),
        });
    }
    let mut comment = json!({
        "id": row.id.to_string(),
        "parent": row.parent_id.map(|parent| parent.to_string()),
        "author": { "name": row.author_name, "url": row.author_url },
        "text": row.text,
        "created": rfc3339_utc(row.created_ms),
        "status": row.status.as_str(),
        "score": row.score,
    });
    if let Some(edited_ms) = row.edited_ms {
        comment["edited"] = json!(rfc3339_utc(edited_ms));
    }
    comment
}

/// Approved comments as threads: each top-level comment followed by its replies depth-first,
/// oldest first at every level. Replies under a comment that is not shown are not shown either.
/// A deleted comment is shown (as a placeholder) only when an approved comment hangs under it.
fn threads(rows: &[CommentRow]) -> Vec<Vec<&CommentRow>> {
    let mut children: HashMap<i64, Vec<&CommentRow>> = HashMap::new();
    for row in rows {
        if let Some(parent) = row.parent_id {
            children.entry(parent).or_default().push(row);
        }
    }
    // Every comment has one parent that is older, so these walk a tree: no cycle to guard.
    fn shows_something(row: &CommentRow, children: &HashMap<i64, Vec<&CommentRow>>) -> bool {
        row.status == Status::Approved
            || children.get(&row.id).is_some_and(|replies| replies.iter().any(|reply| shows_something(reply, children)))
    }
    rows.iter()
        .filter(|row| row.parent_id.is_none() && shows_something(row, &children))
        .map(|root| {
            let mut thread = Vec::new();
            let mut stack = vec![root];
            while let Some(comment) = stack.pop() {
                thread.push(comment);
                if let Some(replies) = children.get(&comment.id) {
                    stack.extend(replies.iter().rev().filter(|reply| shows_something(reply, &children)));
                }
            }
            thread
        })
        .collect()
}

/// The WordPress site and post whose comments live in WordPress (`--comments wordpress`); `None`
/// when they live in our store (local articles, or `--comments local`).
fn in_wordpress<'a>(state: &'a AppState, found: &Found<'_>) -> Option<(&'a WordPress, i64)> {
    match (found, &state.wordpress, state.options.comments) {
        (Found::WordPress(post), Some(wordpress), CommentsSource::Wordpress) => Some((wordpress, post.post_id)),
        _ => None,
    }
}

async fn comments(State(state): State<Shared>, Path(id): Path<String>, RawQuery(query): RawQuery) -> Result<Response, ApiError> {
    let found = find(&state, &id).await?;
    let sort = CommentSort::read(query.as_deref()).map_err(ApiError::bad_request)?;
    let query = PageQuery::read(query.as_deref(), COMMENT_THREADS_PAGE_SIZE, COMMENT_THREADS_MAX_LIMIT)?;
    let rows = match in_wordpress(&state, &found) {
        Some((wordpress, post_id)) => wordpress.comments(post_id, &id).await.map_err(|error| {
            tracing::warn!(article = %id, error = %error, "WordPress failed on comments");
            wordpress_comments::upstream(error)
        })?,
        None => state.store.thread_rows(&id).await?,
    };
    let mut threads = threads(&rows);
    sort.arrange(&mut threads);
    let total: usize = threads.iter().map(Vec::len).sum();
    let items: Vec<Value> = threads[query.range(threads.len())].iter().flatten().map(|row| comment_json(row)).collect();
    let path = format!("/api/articles/{}/comments", encode_segment(&id));
    let mut next = query.next(&path, threads.len());
    if let (Some(sort), Value::String(address)) = (sort.query(), &mut next) {
        address.push('&');
        address.push_str(sort);
    }
    let mut body = json!({ "items": items, "total": total, "next": next });
    body["reader_actions"] = reader_actions::list_flags(&state.options);
    body["reader_actions"]["notify"] = json!(state.notifications.is_some());
    Ok(http_cache::mark(ok_json(&body), ApiCaching::Revalidated))
}

/// The POST body; every field optional here so that absent fields get the API's own answers
/// (422 with a field code, spam, captcha) rather than a generic decoding error.
#[derive(Deserialize)]
struct CommentRequest {
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    author_name: Option<String>,
    #[serde(default)]
    author_email: Option<String>,
    #[serde(default)]
    author_url: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    captcha: Option<CaptchaRequest>,
    #[serde(default)]
    honeypot: Option<String>,
    /// A number: browsers measure time in fractional milliseconds.
    #[serde(default)]
    elapsed_ms: Option<f64>,
    #[serde(default)]
    idempotency_key: Option<String>,
    /// The device's voter id: its owner may not vote on this comment.
    #[serde(default)]
    voter: Option<String>,
    /// Email me when someone replies (with `--smtp`).
    #[serde(default)]
    notify: Option<bool>,
    /// The language of those emails: `fr` or `en` (default: `--lang`'s).
    #[serde(default)]
    lang: Option<String>,
}

#[derive(Deserialize)]
struct CaptchaRequest {
    kind: String,
    #[serde(default)]
    token: Option<String>,
}

pub(crate) fn is_json_request(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case(JSON))
}

fn valid_idempotency_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= IDEMPOTENCY_KEY_MAX_CHARS
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// A comment as its author sees it: a spam one is held like any comment awaiting moderation (its
/// author is not told it was put aside, or banned).
pub fn comment_for_its_author(row: &CommentRow) -> Value {
    let mut comment = comment_json(row);
    if row.status == Status::Spam {
        comment["status"] = json!(Status::Pending.as_str());
    }
    comment
}

/// `subscribed`: the comment asked for reply notifications, and the confirmation mail is queued.
fn created(state: &AppState, row: &CommentRow, edit_token: Option<String>, subscribed: bool) -> Response {
    let mut body = reader_actions::created_body(state, comment_for_its_author(row), row.created_ms, edit_token);
    if subscribed {
        body["notification"] = json!("confirmation_sent");
    }
    json_response(StatusCode::CREATED, &body)
}

/// Whether a stored comment's answer says its confirmation mail is on its way (a replay's too).
async fn subscribed(state: &AppState, row: &CommentRow) -> Result<bool, ApiError> {
    Ok(state.notifications.is_some() && state.store.has_subscription(row.id).await?)
}

/// Counts the comments refused, by reason (those stored are counted where they are written).
async fn post_comment(
    state: State<Shared>,
    peer: ConnectInfo<SocketAddr>,
    id: Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let metrics_state = Arc::clone(&state.0);
    let outcome = receive_comment(state, peer, id, headers, body).await;
    if let Some(reason) = outcome.as_ref().err().and_then(Rejection::of) {
        metrics_state.metrics.comment_rejected(reason);
    }
    outcome
}

async fn receive_comment(
    State(state): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let found = find(&state, &id).await?;
    let entry = found.entry();
    let wordpress = in_wordpress(&state, &found);
    if let Some(limit) = state.options.rate_limit {
        state.store.take_rate_token(&peer.ip().to_string(), now_ms(), limit).await?.map_err(ApiError::rate_limited)?;
    }
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return Err(ApiError::too_large(BODY_LIMIT_BYTES));
        }
        Err(rejection) => return Err(ApiError::bad_request(rejection.body_text())),
    };
    if !is_json_request(&headers) {
        return Err(ApiError::unsupported_media_type());
    }
    let malformed = |error: serde_json::Error| ApiError::bad_request(format!("The body is not the expected JSON object: {error}."));
    let value: Value = serde_json::from_slice(&body).map_err(malformed)?;
    if !value.is_object() {
        // serde would read a struct from an array too; the API takes objects only.
        return Err(ApiError::bad_request("The body must be a JSON object."));
    }
    let request: CommentRequest = serde_json::from_value(value).map_err(malformed)?;
    if entry.article.comments.as_ref().is_some_and(|comments| !comments.open) || state.store.is_closed(&id).await? {
        return Err(ApiError::closed());
    }

    if let Some(fault) = take_comment_fault(&state, &id, CommentStage::BeforeStore) {
        return Err(fault);
    }
    let key = request.idempotency_key.as_deref().filter(|key| valid_idempotency_key(key)).map(str::to_string);
    if let Some(key) = &key {
        if wordpress.is_some() {
            if let Some(answer) = state.store.wordpress_answer(&id, key).await? {
                return Ok(replayed(&answer));
            }
        } else if let Some(existing) = state.store.find_by_key(&id, key).await? {
            let edit_token = reader_actions::replayed_edit_token(&state, &existing, key);
            return Ok(created(&state, &existing, edit_token, subscribed(&state, &existing).await?));
        }
    }

    let honeypot_filled = request.honeypot.as_deref().is_some_and(|text| !text.trim().is_empty());
    let too_fast = request.elapsed_ms.is_none_or(|ms| ms < state.options.min_elapsed_ms as f64);
    if honeypot_filled || too_fast {
        // Logged for the operator; the client gets the same answer either way.
        let reason = if honeypot_filled { "honeypot filled" } else { "sent too fast" };
        tracing::info!(article = %id, peer = %peer.ip(), reason, "comment rejected as spam");
        return Err(ApiError::rejected());
    }

    let input = NewComment {
        author_name: request.author_name.unwrap_or_default(),
        author_email: request.author_email,
        author_url: request.author_url,
        text: request.text.unwrap_or_default(),
    };
    let mut fields: BTreeMap<String, String> = BTreeMap::new();
    let valid = match validate(&input, state.options.email) {
        Ok(valid) => Some(valid),
        Err(errors) => {
            fields.extend(errors.into_iter().map(|(field, code)| (field.name().to_string(), code.as_str().to_string())));
            None
        }
    };
    if request.idempotency_key.is_some() && key.is_none() {
        fields.insert("idempotency_key".into(), "invalid".into());
    }
    if request.voter.as_deref().is_some_and(|voter| !reader_actions::valid_voter(voter)) {
        fields.insert("voter".into(), "invalid".into());
    }
    let notifications_lang = state.notifications.as_ref().map(|notifications| notifications.default_lang).filter(|_| wordpress.is_none());
    let (notify_lang, notify_errors) =
        crate::notifications::requested(notifications_lang, request.notify, request.lang.as_deref(), input.author_email.as_deref());
    for (field, code) in notify_errors {
        fields.entry(field.to_string()).or_insert_with(|| code.to_string());
    }
    let parent_id = match request.parent.as_deref() {
        None => None,
        Some(parent) => {
            let parsed = parent.parse::<i64>().ok();
            let exists = match (parsed, wordpress) {
                (Some(parent_id), Some((wordpress, post_id))) => {
                    wordpress.comment_on_post(parent_id, post_id).await.map_err(wordpress_comments::upstream)?
                }
                (Some(parent_id), None) => state.store.comment_exists(&id, parent_id).await?,
                (None, _) => false,
            };
            if !exists {
                fields.insert("parent".into(), "not_found".into());
            }
            parsed
        }
    };
    let valid = match valid {
        Some(valid) if fields.is_empty() => valid,
        _ => return Err(ApiError::validation(fields)),
    };

    let now = now_ms();
    let challenge = check_captcha(&state, request.captcha.as_ref(), now)?;
    if let Some((wordpress, post_id)) = wordpress {
        let challenge = challenge.map(|solved| (solved.challenge, solved.expires));
        let send = WordPressSend { article_id: id.clone(), idempotency_key: key, challenge, now_ms: now };
        let comment = CommentForWordPress {
            post_id,
            parent: parent_id,
            author_name: &valid.author_name,
            author_email: valid.author_email.as_deref(),
            author_url: valid.author_url.as_deref(),
            text: &valid.text,
        };
        return send_to_wordpress(&state, wordpress, send, &comment).await;
    }
    let banned = state.store.is_banned(valid.author_email.as_deref(), valid.author_url.as_deref()).await?;
    let status = match (banned, state.options.moderation) {
        (true, _) => Status::Spam,
        (false, true) => Status::Pending,
        (false, false) => Status::Approved,
    };
    let edit_token = reader_actions::new_edit_token(&state, &id, key.as_deref())?;
    let notify = notify_lang.zip(valid.author_email.clone()).map(|(lang, email)| NewSubscription { email, lang });
    let asked_to_notify = notify.is_some();
    let outcome = state
        .store
        .insert(NewRow {
            article_id: id.clone(),
            parent_id,
            comment: valid,
            status,
            idempotency_key: key.clone(),
            challenge: challenge.map(|solved| (solved.challenge, solved.expires)),
            now_ms: now,
            voter_hash: request.voter.as_deref().map(crate::accounts::token_hash),
            edit_token_hash: edit_token.as_deref().map(crate::accounts::token_hash),
            notify,
        })
        .await?;
    if let Insert::Stored(_) = &outcome {
        state.metrics.comment_stored();
        // The comment may have queued its confirmation, or mails about the reply it is.
        if let Some(notifications) = &state.notifications {
            notifications.nudge();
        }
    }
    let edit_token = match (&outcome, key.as_deref()) {
        (Insert::Replayed(row), Some(key)) => reader_actions::replayed_edit_token(&state, row, key),
        _ => edit_token,
    };
    match outcome {
        Insert::Stored(row) => match take_comment_fault(&state, &id, CommentStage::AfterStore) {
            Some(fault) => Err(fault),
            None => Ok(created(&state, &row, edit_token, asked_to_notify)),
        },
        Insert::Replayed(row) => match take_comment_fault(&state, &id, CommentStage::AfterStore) {
            Some(fault) => Err(fault),
            None => Ok(created(&state, &row, edit_token, subscribed(&state, &row).await?)),
        },
        Insert::ParentNotFound => Err(ApiError::validation(BTreeMap::from([("parent".into(), "not_found".into())]))),
        Insert::ChallengeUsed => Err(ApiError::captcha("This challenge was already used; fetch a new one.")),
    }
}

/// The 201 given for a key's first comment, given again.
fn replayed(answer: &str) -> Response {
    let comment: Value = serde_json::from_str(answer).unwrap_or(Value::Null);
    json_response(StatusCode::CREATED, &json!({ "comment": comment }))
}

/// `--comments wordpress`: the comment, checked, created in WordPress. The key is reserved first
/// (its challenge spent), so that a retry arriving meanwhile does not create a second comment, and
/// kept with WordPress's comment afterwards; when WordPress creates nothing, both are released.
async fn send_to_wordpress(
    state: &AppState,
    wordpress: &WordPress,
    send: WordPressSend,
    comment: &CommentForWordPress<'_>,
) -> Result<Response, ApiError> {
    match state.store.reserve_wordpress_send(send.clone()).await? {
        Reservation::Reserved => {}
        Reservation::Replayed(answer) => return Ok(replayed(&answer)),
        Reservation::InProgress => {
            let mut error = ApiError::with_code(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "This comment is being sent to WordPress; try again in a moment.",
            );
            error.retry_after = Some(2);
            return Err(error);
        }
        Reservation::ChallengeUsed => return Err(ApiError::captcha("This challenge was already used; fetch a new one.")),
    }
    let row = match wordpress.create_comment(comment, &send.article_id).await {
        Ok(row) => row,
        Err(error) => {
            if let Err(release) = state.store.release_wordpress_send(send.clone()).await {
                tracing::error!(error = %release, "cannot release an idempotency key after WordPress refused its comment");
            }
            tracing::info!(article = %send.article_id, status = error.status.as_u16(), code = error.code(), "WordPress did not create the comment");
            return Err(error);
        }
    };
    state.metrics.comment_stored();
    let answer = comment_json(&row);
    if let Some(key) = &send.idempotency_key {
        // WordPress has the comment: failing to remember the key must not lose the reader's answer.
        if let Err(error) = state.store.complete_wordpress_send(send.article_id.clone(), key.clone(), row.id, answer.to_string()).await {
            tracing::error!(error = %error, wordpress_id = row.id, "cannot keep the idempotency key of a comment created in WordPress");
        }
    }
    Ok(json_response(StatusCode::CREATED, &json!({ "comment": answer })))
}

/// Checks the captcha as `--captcha` says; a proof of work comes back to be spent with the comment.
fn check_captcha(
    state: &AppState,
    captcha: Option<&CaptchaRequest>,
    now_ms: i64,
) -> Result<Option<crate::captcha::Solved>, ApiError> {
    let policy = state.options.captcha;
    if policy == CaptchaPolicy::None {
        return Ok(None);
    }
    let Some(captcha) = captcha else { return Err(ApiError::captcha("A captcha is required.")) };
    let token = captcha.token.as_deref().unwrap_or_default();
    match (captcha.kind.as_str(), policy) {
        ("stub", CaptchaPolicy::Any | CaptchaPolicy::Stub) => match StubToken::parse(token) {
            None => Err(ApiError::captcha("The stub token is malformed.")),
            Some(stub) if !stub.passes() => Err(ApiError::captcha("The captcha score is too low.")),
            Some(_) => Ok(None),
        },
        ("pow", CaptchaPolicy::Any | CaptchaPolicy::Pow) => {
            let now_seconds = u64::try_from(now_ms / 1000).unwrap_or(0);
            state.secret.verify(token, now_seconds).map(Some).map_err(|error| ApiError::captcha(error.message()))
        }
        (kind, _) => Err(ApiError::captcha(format!(
            "The captcha kind “{kind}” is not accepted here (accepted: {}).",
            match policy {
                CaptchaPolicy::Any => "pow, stub",
                other => other.name(),
            }
        ))),
    }
}
