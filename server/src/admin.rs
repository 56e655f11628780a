//! The newsroom's API under `/admin/api/` (`docs/api.md`, "Admin API"): sign-in with a session
//! cookie, moderation queues and actions, closing articles, bans, accounts and the audit trail.
//!
//! Every request is authorized here: `401` without a live session, `403` without the role. A
//! request that changes anything also carries the session's CSRF token (`X-CSRF-Token`) and an
//! `Origin` that is this server's own; the cookie is `SameSite=Strict` besides.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::accounts::{self, Role};
use crate::errors::{json_response, ApiError};
use crate::store::{Action, BanKind, CommentRow, QueueQuery, QueuedComment, SessionRow, Status, UserRow};
use crate::time::{now_ms, rfc3339_utc};
use crate::AppState;

type Shared = Arc<AppState>;

pub const SESSION_COOKIE: &str = "kiosque_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// A session unused this long is over (and deleted).
pub const SESSION_IDLE_MS: i64 = 12 * 3600 * 1000;
/// Failed sign-ins before each new try must wait (1 s, then doubling up to [`MAX_WAIT_MS`]).
const SLOW_AFTER: i64 = 3;
/// Failed sign-ins before the subject is refused for [`LOCKOUT_MS`].
const LOCK_AFTER: i64 = 10;
/// An address has more room: a newsroom behind one NAT shares it.
const ADDRESS_FACTOR: i64 = 3;
const MAX_WAIT_MS: i64 = 60_000;
/// How long a locked account or address is refused; failures older than this are forgotten.
const LOCKOUT_MS: i64 = 15 * 60 * 1000;
const QUEUE_PAGE_SIZE: i64 = 50;
const QUEUE_MAX_LIMIT: i64 = 200;
const AUDIT_LIMIT: i64 = 500;
/// The most comments one action takes (a selection in the console).
const MAX_SELECTION: usize = 500;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/admin/api/session", get(current_session).post(sign_in).delete(sign_out))
        .route("/admin/api/comments", get(queue))
        .route("/admin/api/comments/actions", post(act))
        .route("/admin/api/comments/{id}", get(one_comment).patch(edit))
        .route("/admin/api/articles", get(articles))
        .route("/admin/api/articles/{id}/close", post(close))
        .route("/admin/api/articles/{id}/reopen", post(reopen))
        .route("/admin/api/bans", get(bans).post(ban).delete(unban))
        .route("/admin/api/audit", get(audit))
        .route("/admin/api/users", get(users).post(add_user))
        .route("/admin/api/users/{name}", axum::routing::delete(remove_user))
        .route("/admin/api/readers/export", post(export))
        .route("/admin/api/readers/erase", post(erase))
}

fn unauthorized() -> ApiError {
    ApiError::with_code(StatusCode::UNAUTHORIZED, "unauthorized", "Sign in first (or again: the session is over).")
}

fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
}

/// The origin this server is reached at: `--public-url`'s, else the `Host` the browser used.
fn origin_matches(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|value| value.to_str().ok()) else { return false };
    match &state.options.public_url {
        Some(public) => origin == public_origin(public),
        None => {
            let host = headers.get(header::HOST).and_then(|value| value.to_str().ok()).unwrap_or_default();
            !host.is_empty() && (origin == format!("http://{host}") || origin == format!("https://{host}"))
        }
    }
}

/// `https://news.example/kiosque/` → `https://news.example`.
fn public_origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |at| at + 3);
    match url[after_scheme..].find('/') {
        Some(slash) => &url[..after_scheme + slash],
        None => url,
    }
}

/// Who is asking, refused unless signed in with `role` (an admin has every role); for a request
/// that changes something, the CSRF token and the Origin are checked too.
async fn authorize(state: &AppState, headers: &HeaderMap, method: &Method, role: Role) -> Result<SessionRow, ApiError> {
    let token = session_token(headers).ok_or_else(unauthorized)?;
    let session = state.store.session(accounts::token_hash(&token), now_ms(), SESSION_IDLE_MS).await?.ok_or_else(unauthorized)?;
    if role == Role::Admin && session.role != Role::Admin.as_str() {
        return Err(ApiError::forbidden("This needs an admin account."));
    }
    if !matches!(*method, Method::GET | Method::HEAD) {
        let sent = headers.get(CSRF_HEADER).and_then(|value| value.to_str().ok()).unwrap_or_default();
        if !accounts::same_secret(sent, &session.csrf_token) || !origin_matches(state, headers) {
            return Err(ApiError::with_code(
                StatusCode::FORBIDDEN,
                "csrf",
                "This request needs the session's X-CSRF-Token header and this site's Origin.",
            ));
        }
    }
    Ok(session)
}

/// The JSON body, or a 400/415 that says what is wrong.
fn body<T: DeserializeOwned>(headers: &HeaderMap, bytes: &Bytes) -> Result<T, ApiError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case(crate::errors::JSON));
    if !json {
        return Err(ApiError::unsupported_media_type());
    }
    serde_json::from_slice(bytes).map_err(|error| ApiError::bad_request(format!("The body is not the expected JSON object: {error}.")))
}

fn ok(body: &Value) -> Response {
    json_response(StatusCode::OK, body)
}

/// Whether the browser reached this server over https: `--public-url https://…`, or, with
/// `--trust-proxy` only, a proxy's `X-Forwarded-Proto: https` (anyone can send that header).
fn over_https(state: &AppState, headers: &HeaderMap) -> bool {
    let public = state.options.public_url.as_deref().is_some_and(|url| url.starts_with("https://"));
    let forwarded = state.options.trust_proxy
        && headers
            .get("x-forwarded-proto")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(',').next())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
    public || forwarded
}

fn session_cookie(state: &AppState, headers: &HeaderMap, token: &str, max_age_seconds: i64) -> HeaderValue {
    let secure = over_https(state, headers);
    let cookie = format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/admin; Max-Age={max_age_seconds}{}",
        if secure { "; Secure" } else { "" }
    );
    // Hex tokens and fixed text: always a valid header value.
    HeaderValue::from_str(&cookie).unwrap_or(HeaderValue::from_static("kiosque_session=; Path=/admin; Max-Age=0"))
}

#[derive(Deserialize)]
struct Credentials {
    name: String,
    password: String,
}

/// When `failures` of a subject allow the next try: `Err(seconds to wait)` if not yet.
fn throttle(failures: Option<crate::store::Failures>, factor: i64, now: i64) -> Result<(), u64> {
    let Some(failures) = failures else { return Ok(()) };
    let since = now - failures.last_ms;
    if since >= LOCKOUT_MS {
        return Ok(());
    }
    let wait_ms = if failures.count >= LOCK_AFTER * factor {
        LOCKOUT_MS
    } else if failures.count >= SLOW_AFTER * factor {
        let doublings = u32::try_from((failures.count - SLOW_AFTER * factor).min(16)).unwrap_or(16);
        (1000_i64 << doublings).min(MAX_WAIT_MS)
    } else {
        0
    };
    if since < wait_ms {
        Err(u64::try_from((wait_ms - since + 999) / 1000).unwrap_or(1))
    } else {
        Ok(())
    }
}

fn too_many_attempts(seconds: u64) -> ApiError {
    let mut error = ApiError::with_code(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        format!("Too many failed sign-ins; try again in {seconds} s."),
    );
    error.retry_after = Some(seconds);
    error
}

async fn sign_in(
    State(state): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    // No session yet, so no CSRF token: the Origin alone keeps other sites from signing a
    // browser in to an account of theirs.
    if !origin_matches(&state, &headers) {
        return Err(ApiError::with_code(StatusCode::FORBIDDEN, "csrf", "Sign in from this site's own pages (Origin)."));
    }
    let credentials: Credentials = body(&headers, &bytes)?;
    let now = now_ms();
    let by_user = format!("user:{}", credentials.name);
    let by_address = format!("addr:{}", peer.ip());
    throttle(state.store.failures(by_user.clone()).await?, 1, now).map_err(too_many_attempts)?;
    throttle(state.store.failures(by_address.clone()).await?, ADDRESS_FACTOR, now).map_err(too_many_attempts)?;

    let user = state.store.user(&credentials.name).await?;
    let hash = user.as_ref().map_or_else(|| accounts::decoy_hash().to_string(), |user| user.password_hash.clone());
    let password = credentials.password;
    let matches = tokio::task::spawn_blocking(move || accounts::verify_password(&hash, &password)).await.map_err(ApiError::internal)?;
    let Some(user) = user.filter(|_| matches) else {
        // Failures older than the lockout count for nothing any more (see `throttle`).
        state.store.record_failure(by_user, now, now - LOCKOUT_MS).await?;
        state.store.record_failure(by_address, now, now - LOCKOUT_MS).await?;
        tracing::warn!(peer = %peer.ip(), "failed sign-in");
        return Err(ApiError::with_code(StatusCode::UNAUTHORIZED, "sign_in_failed", "Wrong name or password."));
    };
    state.store.clear_failures(by_user).await?;
    let token = accounts::new_token().map_err(ApiError::internal)?;
    let csrf_token = accounts::new_token().map_err(ApiError::internal)?;
    state.store.create_session(accounts::token_hash(&token), &user.name, csrf_token.clone(), now).await?;
    tracing::info!(user = %user.name, "signed in");
    let mut response = ok(&json!({ "user": { "name": user.name, "role": user.role }, "csrf_token": csrf_token }));
    response.headers_mut().insert(header::SET_COOKIE, session_cookie(&state, &headers, &token, SESSION_IDLE_MS / 1000));
    Ok(response)
}

/// Who is signed in, and the CSRF token (for a console page that was reloaded).
async fn current_session(State(state): State<Shared>, method: Method, headers: HeaderMap) -> Result<Response, ApiError> {
    let session = authorize(&state, &headers, &method, Role::Moderator).await?;
    Ok(ok(&json!({ "user": { "name": session.user_name, "role": session.role }, "csrf_token": session.csrf_token })))
}

async fn sign_out(State(state): State<Shared>, method: Method, headers: HeaderMap) -> Result<Response, ApiError> {
    authorize(&state, &headers, &method, Role::Moderator).await?;
    if let Some(token) = session_token(&headers) {
        state.store.end_session(accounts::token_hash(&token)).await?;
    }
    let mut response = ok(&json!({ "signed_out": true }));
    response.headers_mut().insert(header::SET_COOKIE, session_cookie(&state, &headers, "", 0));
    Ok(response)
}

/// A comment as the console shows it: everything, the email included.
fn moderated_json(state: &AppState, row: &CommentRow, approved_before: Option<i64>) -> Value {
    let article = state.library.get(&row.article_id);
    json!({
        "id": row.id.to_string(),
        "article": {
            "id": row.article_id,
            "headline": article.map(|entry| entry.article.headline.clone()),
        },
        "parent": row.parent_id.map(|parent| parent.to_string()),
        "author": { "name": row.author_name, "email": row.author_email, "url": row.author_url },
        "text": row.text,
        "created": rfc3339_utc(row.created_ms),
        "status": row.status.as_str(),
        "erased": row.text.is_empty(),
        "approved_before": approved_before,
    })
}

#[derive(Deserialize)]
struct QueueParams {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    article: Option<String>,
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    limit: Option<i64>,
}

/// `GET /admin/api/comments?status=pending&article=ID&q=TEXT&page=1&limit=50`.
async fn queue(
    State(state): State<Shared>,
    method: Method,
    headers: HeaderMap,
    params: Result<Query<QueueParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    authorize(&state, &headers, &method, Role::Moderator).await?;
    let Query(params) = params.map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    let status = match params.status.as_deref() {
        None => Status::Pending,
        Some(text) => Status::parse(text)
            .ok_or_else(|| ApiError::bad_request(format!("status: “{text}” should be pending, approved, spam or deleted")))?,
    };
    let page = params.page.unwrap_or(1);
    let limit = params.limit.unwrap_or(QUEUE_PAGE_SIZE);
    if page < 1 || !(1..=QUEUE_MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(format!("page is from 1, limit from 1 to {QUEUE_MAX_LIMIT}")));
    }
    let article = params.article.filter(|article| !article.is_empty());
    let search = params.q.map(|q| q.trim().to_string()).filter(|q| !q.is_empty());
    let counts = state.store.counts(article.clone()).await?;
    // One more than the page, to know whether there is a next one.
    let query = QueueQuery { status, article_id: article, search, limit: limit + 1, offset: (page - 1).saturating_mul(limit) };
    let mut rows: Vec<QueuedComment> = state.store.queue(query).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut item = moderated_json(&state, &row.comment, Some(row.approved_before));
        // A reply is judged with what it answers: the console shows the parent's text above it.
        if let Some(parent_id) = row.comment.parent_id {
            item["parent_text"] = json!(state.store.comment(parent_id).await?.map(|parent| parent.text));
        }
        items.push(item);
    }
    let counts: serde_json::Map<String, Value> = counts.into_iter().map(|(status, count)| (status.as_str().to_string(), json!(count))).collect();
    Ok(ok(&json!({ "items": items, "counts": counts, "page": page, "more": more })))
}

fn comment_id(text: &str) -> Result<i64, ApiError> {
    text.parse().map_err(|_| ApiError::not_found(format!("No comment #{text}.")))
}

/// One comment with its earlier texts.
async fn one_comment(State(state): State<Shared>, method: Method, headers: HeaderMap, Path(id): Path<String>) -> Result<Response, ApiError> {
    authorize(&state, &headers, &method, Role::Moderator).await?;
    let id = comment_id(&id)?;
    let row = state.store.comment(id).await?.ok_or_else(|| ApiError::not_found(format!("No comment #{id}.")))?;
    let versions = state.store.versions(id).await?;
    let mut comment = moderated_json(&state, &row, None);
    comment["versions"] = versions
        .iter()
        .map(|version| json!({ "text": version.text, "replaced": rfc3339_utc(version.replaced_ms), "replaced_by": version.replaced_by }))
        .collect();
    Ok(ok(&json!({ "comment": comment })))
}

#[derive(Deserialize)]
struct ActionRequest {
    action: String,
    ids: Vec<String>,
}

/// `POST /admin/api/comments/actions {"action": "approve"|"spam"|"delete"|"restore", "ids": […]}`.
async fn act(State(state): State<Shared>, method: Method, headers: HeaderMap, bytes: Bytes) -> Result<Response, ApiError> {
    let session = authorize(&state, &headers, &method, Role::Moderator).await?;
    let request: ActionRequest = body(&headers, &bytes)?;
    let action = Action::parse(&request.action)
        .ok_or_else(|| ApiError::bad_request(format!("action: “{}” should be approve, spam, delete or restore", request.action)))?;
    if request.ids.is_empty() || request.ids.len() > MAX_SELECTION {
        return Err(ApiError::bad_request(format!("ids: from 1 to {MAX_SELECTION} comment ids")));
    }
    let ids: Vec<i64> = request
        .ids
        .iter()
        .map(|id| id.parse().map_err(|_| ApiError::bad_request(format!("ids: “{id}” is not a comment id"))))
        .collect::<Result<_, _>>()?;
    let changed = state.store.moderate(ids, action, &session.user_name, now_ms()).await?;
    if let (Some(notifications), Status::Approved) = (&state.notifications, action.status()) {
        // Approving a reply queued its mails in the same transaction.
        notifications.nudge();
    }
    tracing::info!(user = %session.user_name, action = action.as_str(), comments = changed.len(), "moderated");
    Ok(ok(&json!({ "action": action.as_str(), "changed": changed.iter().map(i64::to_string).collect::<Vec<_>>() })))
}

#[derive(Deserialize)]
struct EditRequest {
    text: String,
}

/// `PATCH /admin/api/comments/{id} {"text": …}`: the previous text is kept in `versions`.
async fn edit(
    State(state): State<Shared>,
    method: Method,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let session = authorize(&state, &headers, &method, Role::Moderator).await?;
    let id = comment_id(&id)?;
    let request: EditRequest = body(&headers, &bytes)?;
    let text = request.text.trim().to_string();
    if text.is_empty() || text.chars().count() > kiosque::model::comment::MAX_TEXT_CHARS {
        return Err(ApiError::validation([("text".to_string(), "invalid".to_string())].into()));
    }
    if !state.store.edit(id, text, &session.user_name, now_ms()).await? {
        return Err(ApiError::not_found(format!("No comment #{id} with a text to edit.")));
    }
    one_comment(State(state), Method::GET, headers, Path(id.to_string())).await
}

/// The articles, with whether their comments are open.
async fn articles(State(state): State<Shared>, method: Method, headers: HeaderMap) -> Result<Response, ApiError> {
    authorize(&state, &headers, &method, Role::Moderator).await?;
    let closed = state.store.closed_articles().await?;
    let items: Vec<Value> = state
        .library
        .entries()
        .map(|entry| {
            let by_file = entry.article.comments.as_ref().is_some_and(|comments| !comments.open);
            let by_moderator = closed.contains(&entry.article.id);
            json!({
                "id": entry.article.id,
                "headline": entry.article.headline,
                "open": !(by_file || by_moderator),
                "closed_by_moderator": by_moderator,
            })
        })
        .collect();
    Ok(ok(&json!({ "items": items })))
}

async fn set_closed(state: Shared, method: Method, headers: HeaderMap, id: String, closed: bool) -> Result<Response, ApiError> {
    let session = authorize(&state, &headers, &method, Role::Moderator).await?;
    if state.library.get(&id).is_none() {
        return Err(ApiError::not_found(format!("No article with the id “{id}”.")));
    }
    state.store.set_closed(&id, closed, &session.user_name, now_ms()).await?;
    Ok(ok(&json!({ "id": id, "closed": closed })))
}

async fn close(State(state): State<Shared>, method: Method, headers: HeaderMap, Path(id): Path<String>) -> Result<Response, ApiError> {
    set_closed(state, method, headers, id, true).await
}

async fn reopen(State(state): State<Shared>, method: Method, headers: HeaderMap, Path(id): Path<String>) -> Result<Response, ApiError> {
    set_closed(state, method, headers, id, false).await
}

#[derive(Deserialize)]
struct BanRequest {
    kind: String,
    value: String,
}

impl BanRequest {
    fn read(headers: &HeaderMap, bytes: &Bytes) -> Result<(BanKind, String), ApiError> {
        let request: BanRequest = body(headers, bytes)?;
        let kind = BanKind::parse(&request.kind).ok_or_else(|| ApiError::bad_request("kind: email or url"))?;
        let value = request.value.trim().to_string();
        if value.is_empty() || value.chars().count() > 300 {
            return Err(ApiError::bad_request("value: the email or url to ban (300 characters at most)"));
        }
        Ok((kind, value))
    }
}

async fn bans(State(state): State<Shared>, method: Method, headers: HeaderMap) -> Result<Response, ApiError> {
    authorize(&state, &headers, &method, Role::Moderator).await?;
    let items: Vec<Value> = state
        .store
        .bans()
        .await?
        .iter()
        .map(|ban| json!({ "kind": ban.kind.as_str(), "value": ban.value, "created": rfc3339_utc(ban.created_ms), "by": ban.created_by }))
        .collect();
    Ok(ok(&json!({ "items": items })))
}

async fn ban(State(state): State<Shared>, method: Method, headers: HeaderMap, bytes: Bytes) -> Result<Response, ApiError> {
    let session = authorize(&state, &headers, &method, Role::Moderator).await?;
    let (kind, value) = BanRequest::read(&headers, &bytes)?;
    let added = state.store.ban(kind, &value, &session.user_name, now_ms()).await?;
    Ok(json_response(if added { StatusCode::CREATED } else { StatusCode::OK }, &json!({ "kind": kind.as_str(), "banned": true })))
}

async fn unban(State(state): State<Shared>, method: Method, headers: HeaderMap, bytes: Bytes) -> Result<Response, ApiError> {
    let session = authorize(&state, &headers, &method, Role::Moderator).await?;
    let (kind, value) = BanRequest::read(&headers, &bytes)?;
    if !state.store.unban(kind, &value, &session.user_name, now_ms()).await? {
        return Err(ApiError::not_found("No such ban."));
    }
    Ok(ok(&json!({ "kind": kind.as_str(), "banned": false })))
}

/// The audit trail, newest first (admins).
async fn audit(State(state): State<Shared>, method: Method, headers: HeaderMap) -> Result<Response, ApiError> {
    authorize(&state, &headers, &method, Role::Admin).await?;
    let items: Vec<Value> = state
        .store
        .audit_log(AUDIT_LIMIT)
        .await?
        .iter()
        .map(|entry| {
            json!({
                "at": rfc3339_utc(entry.at_ms),
                "actor": entry.actor,
                "action": entry.action,
                "comment": entry.comment_id.map(|id| id.to_string()),
                "detail": entry.detail,
            })
        })
        .collect();
    Ok(ok(&json!({ "items": items })))
}

async fn users(State(state): State<Shared>, method: Method, headers: HeaderMap) -> Result<Response, ApiError> {
    authorize(&state, &headers, &method, Role::Admin).await?;
    let items: Vec<Value> = state
        .store
        .users()
        .await?
        .iter()
        .map(|user| json!({ "name": user.name, "role": user.role, "created": rfc3339_utc(user.created_ms) }))
        .collect();
    Ok(ok(&json!({ "items": items })))
}

#[derive(Deserialize)]
struct NewUser {
    name: String,
    role: String,
    password: String,
}

async fn add_user(State(state): State<Shared>, method: Method, headers: HeaderMap, bytes: Bytes) -> Result<Response, ApiError> {
    let session = authorize(&state, &headers, &method, Role::Admin).await?;
    let request: NewUser = body(&headers, &bytes)?;
    let role = Role::parse(&request.role).ok_or_else(|| ApiError::bad_request("role: admin or moderator"))?;
    accounts::check_name(&request.name).map_err(ApiError::bad_request)?;
    accounts::check_password(&request.password).map_err(ApiError::bad_request)?;
    let password = request.password;
    let hash = tokio::task::spawn_blocking(move || accounts::hash_password(&password))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let now = now_ms();
    let user = UserRow { name: request.name.clone(), role: role.as_str().to_string(), password_hash: hash, created_ms: now };
    if !state.store.add_user(user).await? {
        return Err(ApiError::with_code(StatusCode::CONFLICT, "exists", format!("An account “{}” already exists.", request.name)));
    }
    state.store.audit(&session.user_name, "user add", None, Some(format!("{} ({})", request.name, role.as_str())), now).await?;
    Ok(json_response(StatusCode::CREATED, &json!({ "name": request.name, "role": role.as_str() })))
}

async fn remove_user(State(state): State<Shared>, method: Method, headers: HeaderMap, Path(name): Path<String>) -> Result<Response, ApiError> {
    let session = authorize(&state, &headers, &method, Role::Admin).await?;
    if name == session.user_name {
        return Err(ApiError::bad_request("An admin cannot remove their own account (another admin can)."));
    }
    if !state.store.remove_user(&name).await? {
        return Err(ApiError::not_found(format!("No account “{name}”.")));
    }
    state.store.audit(&session.user_name, "user remove", None, Some(name.clone()), now_ms()).await?;
    Ok(ok(&json!({ "name": name, "removed": true })))
}

#[derive(Deserialize)]
struct ReaderRequest {
    email: String,
}

/// The comments of one reader, as `kiosque-server export --email` writes them.
pub fn export_json(rows: &[CommentRow]) -> Value {
    let comments: Vec<Value> = rows
        .iter()
        .map(|row| {
            json!({
                "id": row.id.to_string(),
                "article": row.article_id,
                "parent": row.parent_id.map(|parent| parent.to_string()),
                "author": { "name": row.author_name, "email": row.author_email, "url": row.author_url },
                "text": row.text,
                "created": rfc3339_utc(row.created_ms),
                "status": row.status.as_str(),
            })
        })
        .collect();
    json!({ "comments": comments })
}

/// `POST /admin/api/readers/export {"email": …}` (admins; in a body, as an email never goes in a URL).
async fn export(State(state): State<Shared>, method: Method, headers: HeaderMap, bytes: Bytes) -> Result<Response, ApiError> {
    let session = authorize(&state, &headers, &method, Role::Admin).await?;
    let request: ReaderRequest = body(&headers, &bytes)?;
    let rows = state.store.export(&request.email).await?;
    state.store.audit(&session.user_name, "export", None, Some(format!("{} comments", rows.len())), now_ms()).await?;
    let mut exported = export_json(&rows);
    exported["reply_notifications"] = crate::notifications::export_json(&state.store.export_subscriptions(&request.email).await?);
    Ok(ok(&exported))
}

/// `POST /admin/api/readers/erase {"email": …}` (admins).
async fn erase(State(state): State<Shared>, method: Method, headers: HeaderMap, bytes: Bytes) -> Result<Response, ApiError> {
    let session = authorize(&state, &headers, &method, Role::Admin).await?;
    let request: ReaderRequest = body(&headers, &bytes)?;
    if request.email.trim().is_empty() {
        return Err(ApiError::bad_request("email: the reader's address"));
    }
    let erased = state.store.erase(&request.email, &session.user_name, now_ms()).await?;
    Ok(ok(&json!({ "erased": erased.iter().map(i64::to_string).collect::<Vec<_>>() })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Failures;

    #[test]
    fn sign_ins_slow_down_then_stop() {
        let at = |count, ago| Some(Failures { count, last_ms: 1_000_000 - ago });
        assert_eq!(throttle(None, 1, 1_000_000), Ok(()));
        assert_eq!(throttle(at(2, 0), 1, 1_000_000), Ok(()));
        assert_eq!(throttle(at(3, 0), 1, 1_000_000), Err(1));
        assert_eq!(throttle(at(3, 1000), 1, 1_000_000), Ok(()));
        assert_eq!(throttle(at(5, 1000), 1, 1_000_000), Err(3));
        assert_eq!(throttle(at(10, 60_000), 1, 1_000_000), Err(840));
        assert_eq!(throttle(at(10, LOCKOUT_MS), 1, 1_000_000), Ok(()));
        assert_eq!(throttle(at(5, 0), ADDRESS_FACTOR, 1_000_000), Ok(()));
    }

    #[test]
    fn origins() {
        assert_eq!(public_origin("https://news.example/kiosque/"), "https://news.example");
        assert_eq!(public_origin("http://127.0.0.1:8787"), "http://127.0.0.1:8787");
    }
}
