//! What readers do to comments besides writing them (`docs/api.md`, "Votes" and "Editing or
//! deleting one's own comment"): `POST /api/comments/{id}/vote`, `PATCH` and `DELETE
//! /api/comments/{id}` with the edit token of the comment's `201`. Off under `--comments
//! wordpress` (WordPress keeps those comments; its own rules apply).
//!
//! A voter is a random id the widget keeps on the device; the database holds only its SHA-256. An
//! edit token is secret: derived from the server's key, the article and the idempotency key when
//! the comment has one (so that a replay answers the same token), random otherwise; the database
//! holds only its SHA-256.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{patch, post};
use axum::Router;
use base64::Engine;
use kiosque::model::comment::{validate, Code, EmailPolicy, Field, NewComment};
use serde_json::{json, Value};

use crate::accounts::{same_secret, token_hash};
use crate::api::{comment_for_its_author, is_json_request, BODY_LIMIT_BYTES};
use crate::captcha::{random_bytes, Secret};
use crate::cli::{CommentsSource, ServeOptions};
use crate::errors::{json_response, ApiError};
use crate::rate_limit::{RateScope, VOTE_LIMIT};
use crate::store::{Action, CommentRow, Status, Voted};
use crate::time::{now_ms, rfc3339_utc};
use crate::AppState;

/// Who the audit trail and the text versions name when a comment's author edits or deletes it.
pub const AUTHOR_ACTOR: &str = "author";
const VOTER_MIN_CHARS: usize = 16;
const VOTER_MAX_CHARS: usize = 64;
/// 256 bits, whether derived (HMAC-SHA256) or random.
const EDIT_TOKEN_BYTES: usize = 32;
const EDIT_TOKEN_PURPOSE: &[u8] = b"kiosque edit token\0";

type Shared = Arc<AppState>;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/comments/{id}/vote", post(vote))
        .route("/api/comments/{id}", patch(edit).delete(delete))
}

/// Votes and authors' edits work on the comments Kiosque keeps, i.e. unless `--comments wordpress`.
pub fn enabled(options: &ServeOptions) -> bool {
    options.comments != CommentsSource::Wordpress
}

/// `--edit-window` in seconds, 0 when authors may not edit (off, or `--comments wordpress`).
pub fn edit_window_seconds(options: &ServeOptions) -> u64 {
    if enabled(options) {
        options.edit_window
    } else {
        0
    }
}

/// What a page of comments tells the widget readers may do there (the same as `/api/config`
/// says, where the widget, which reads only the list, does not look).
pub fn list_flags(options: &ServeOptions) -> Value {
    json!({ "vote": enabled(options), "edit_seconds": edit_window_seconds(options) })
}

/// 16 to 64 characters `A-Z a-z 0-9 - _`: a random id, nothing a reader would type.
pub fn valid_voter(voter: &str) -> bool {
    (VOTER_MIN_CHARS..=VOTER_MAX_CHARS).contains(&voter.len()) && voter.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}

fn encode_token(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The token of the comment stored under this article and idempotency key: the same at every
/// replay (and on every instance, which share the key), guessable by nobody without the key.
pub fn derived_edit_token(secret: &Secret, article_id: &str, idempotency_key: &str) -> String {
    // The idempotency key holds no NUL, so the two parts cannot be cut elsewhere.
    let message = [EDIT_TOKEN_PURPOSE, idempotency_key.as_bytes(), b"\0", article_id.as_bytes()].concat();
    encode_token(&secret.derive(&message))
}

fn random_edit_token() -> std::io::Result<String> {
    random_bytes(EDIT_TOKEN_BYTES).map(|bytes| encode_token(&bytes))
}

/// Whether `token` is the one whose hash was stored; in constant time, so that answering reveals
/// nothing of how close a guess came.
pub fn token_matches(token: &str, stored_hash: Option<&str>) -> bool {
    stored_hash.is_some_and(|stored| same_secret(&token_hash(token), stored))
}

/// Until when (Unix ms, excluded) its author may edit a comment written at `created_ms`.
pub fn editable_until_ms(created_ms: i64, window_seconds: u64) -> i64 {
    created_ms.saturating_add(i64::try_from(window_seconds).unwrap_or(i64::MAX).saturating_mul(1000))
}

/// Whether the window is still open at `now_ms` (on the server's clock); never when it is 0.
pub fn edit_window_open(created_ms: i64, window_seconds: u64, now_ms: i64) -> bool {
    window_seconds > 0 && now_ms < editable_until_ms(created_ms, window_seconds)
}

/// How much a comment's score changes when a voter's vote goes from `previous` to `requested`
/// (each −1, 0 for none, or 1): the same vote twice changes nothing, 1 after −1 changes it by 2.
pub fn score_change(previous: i8, requested: i8) -> i64 {
    i64::from(requested) - i64::from(previous)
}

/// The token to give with a new comment, `None` when authors may not edit.
pub fn new_edit_token(state: &AppState, article_id: &str, idempotency_key: Option<&str>) -> Result<Option<String>, ApiError> {
    if edit_window_seconds(&state.options) == 0 {
        return Ok(None);
    }
    let token = match idempotency_key {
        Some(key) => derived_edit_token(&state.secret, article_id, key),
        None => random_edit_token().map_err(ApiError::internal)?,
    };
    Ok(Some(token))
}

/// The token to give again when a comment's key is replayed: the derived one, if it is indeed the
/// comment's (a comment stored while editing was off has none).
pub fn replayed_edit_token(state: &AppState, row: &CommentRow, idempotency_key: &str) -> Option<String> {
    if edit_window_seconds(&state.options) == 0 {
        return None;
    }
    let token = derived_edit_token(&state.secret, &row.article_id, idempotency_key);
    token_matches(&token, row.edit_token_hash.as_deref()).then_some(token)
}

/// The `201` of a new comment (or of its replay): the comment, and for its author the edit token
/// and until when it works.
pub fn created_body(state: &AppState, comment: Value, created_ms: i64, edit_token: Option<String>) -> Value {
    let mut body = json!({ "comment": comment });
    if let Some(token) = edit_token {
        body["edit_token"] = json!(token);
        body["editable_until"] = json!(rfc3339_utc(editable_until_ms(created_ms, edit_window_seconds(&state.options))));
    }
    body
}

/// A new comment's text checked by the same rule as in the comment form (`validate`), which
/// checks every field at once: the other fields are given good values and their answers ignored.
pub fn checked_text(text: &str) -> Result<String, Code> {
    let input = NewComment { author_name: "-".into(), author_email: None, author_url: None, text: text.to_string() };
    match validate(&input, EmailPolicy::Optional) {
        Ok(valid) => Ok(valid.text),
        Err(errors) => Err(errors.into_iter().find(|(field, _)| *field == Field::Text).map_or(Code::Required, |(_, code)| code)),
    }
}

fn no_such_comment() -> ApiError {
    ApiError::not_found("No such comment.")
}

/// A comment's id from the path; anything but a number is no comment.
fn comment_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(no_such_comment)
}

/// The request's JSON object (415 when it says it is something else, 400 when it is not an object).
fn json_object(headers: &HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Value, ApiError> {
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(ApiError::too_large(BODY_LIMIT_BYTES)),
        Err(rejection) => return Err(ApiError::bad_request(rejection.body_text())),
    };
    if !is_json_request(headers) {
        return Err(ApiError::unsupported_media_type());
    }
    let value: Value =
        serde_json::from_slice(&body).map_err(|error| ApiError::bad_request(format!("The body is not the expected JSON object: {error}.")))?;
    if !value.is_object() {
        return Err(ApiError::bad_request("The body must be a JSON object."));
    }
    Ok(value)
}

async fn take_token(state: &AppState, peer: SocketAddr, scope: RateScope) -> Result<(), ApiError> {
    let Some(comment_limit) = state.options.rate_limit else { return Ok(()) };
    let limit = match scope {
        RateScope::Comments => comment_limit,
        RateScope::Votes => VOTE_LIMIT,
    };
    let key = scope.key(&peer.ip().to_string());
    state.store.take_rate_token(&key, now_ms(), limit).await?.map_err(|seconds| {
        let mut error = ApiError::rate_limited(seconds);
        if scope == RateScope::Votes {
            error.body["message"] = json!(format!("Too many votes from this address; try again in {seconds} s."));
        }
        error
    })
}

async fn vote(
    State(state): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    if !enabled(&state.options) {
        return Err(no_such_comment());
    }
    take_token(&state, peer, RateScope::Votes).await?;
    let id = comment_id(&id)?;
    let request = json_object(&headers, body)?;
    let voter = request.get("voter").and_then(Value::as_str).filter(|voter| valid_voter(voter));
    let value = request.get("value").and_then(Value::as_i64).and_then(|value| i8::try_from(value).ok()).filter(|value| (-1..=1).contains(value));
    let (Some(voter), Some(value)) = (voter, value) else {
        let mut fields = BTreeMap::new();
        if voter.is_none() {
            fields.insert("voter".to_string(), "invalid".to_string());
        }
        if value.is_none() {
            fields.insert("value".to_string(), "invalid".to_string());
        }
        return Err(ApiError::validation(fields));
    };
    match state.store.vote(id, token_hash(voter), value, now_ms()).await? {
        Voted::Counted { score, vote } => Ok(json_response(StatusCode::OK, &json!({ "score": score, "vote": vote }))),
        Voted::NotFound => Err(no_such_comment()),
        Voted::OwnComment => Err(ApiError::with_code(StatusCode::FORBIDDEN, "own_comment", "Nobody votes on their own comment.")),
    }
}

/// The comment its author wants to change, once the window and the token allow it, and the body.
async fn authorized(
    state: &AppState,
    peer: SocketAddr,
    id: &str,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(CommentRow, Value), ApiError> {
    if !enabled(&state.options) {
        return Err(no_such_comment());
    }
    take_token(state, peer, RateScope::Comments).await?;
    let id = comment_id(id)?;
    let request = json_object(headers, body)?;
    let row = state.store.comment(id).await?.ok_or_else(no_such_comment)?;
    if !edit_window_open(row.created_ms, edit_window_seconds(&state.options), now_ms()) {
        return Err(ApiError::with_code(
            StatusCode::FORBIDDEN,
            "edit_window_closed",
            "This comment can no longer be edited or deleted by its author.",
        ));
    }
    let token = request.get("edit_token").and_then(Value::as_str).unwrap_or_default();
    if !token_matches(token, row.edit_token_hash.as_deref()) {
        return Err(ApiError::forbidden("This edit token is not this comment's."));
    }
    Ok((row, request))
}

async fn edit(
    State(state): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (row, request) = authorized(&state, peer, &id, &headers, body).await?;
    if row.status == Status::Deleted {
        return Err(no_such_comment());
    }
    let text = request.get("text").and_then(Value::as_str).unwrap_or_default();
    let text = checked_text(text)
        .map_err(|code| ApiError::validation(BTreeMap::from([(Field::Text.name().to_string(), code.as_str().to_string())])))?;
    let edited = state.store.edit_own(row.id, text, now_ms()).await?.ok_or_else(no_such_comment)?;
    Ok(json_response(StatusCode::OK, &json!({ "comment": comment_for_its_author(&edited) })))
}

async fn delete(
    State(state): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (row, _) = authorized(&state, peer, &id, &headers, body).await?;
    // Already deleted (by its author or a moderator): nothing more to do, and the same answer.
    state.store.moderate(vec![row.id], Action::Delete, AUTHOR_ACTOR, now_ms()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_under_wordpress_comments_and_with_a_zero_window() {
        let mut options = ServeOptions::default();
        assert_eq!((enabled(&options), edit_window_seconds(&options)), (true, 900));
        assert_eq!(list_flags(&options), json!({ "vote": true, "edit_seconds": 900 }));
        options.edit_window = 0;
        assert_eq!((enabled(&options), edit_window_seconds(&options)), (true, 0));
        options.edit_window = 60;
        options.comments = CommentsSource::Wordpress;
        assert_eq!(list_flags(&options), json!({ "vote": false, "edit_seconds": 0 }));
    }

    #[test]
    fn voter_ids() {
        assert!(valid_voter("abcdefghijklmnop"));
        assert!(valid_voter(&"A-_9".repeat(16)));
        assert!(!valid_voter("abcdefghijklmno"), "15 characters");
        assert!(!valid_voter(&"a".repeat(65)));
        for bad in ["abcdefghijklmnop ", "abcdefghijklmnop/", "abcdéfghijklmnop", "abcdefghijklmno=", ""] {
            assert!(!valid_voter(bad), "{bad:?}");
        }
    }

    #[test]
    fn tokens_are_derived_again_and_only_their_hash_is_kept() {
        let secret = Secret::from_bytes(vec![7; 32]);
        let token = derived_edit_token(&secret, "ouvert", "cle-1");
        assert_eq!(token, derived_edit_token(&secret, "ouvert", "cle-1"), "a replay answers the same token");
        assert_eq!(token.len(), 43, "256 bits in base64url without padding");
        assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{token}");
        assert_ne!(token, derived_edit_token(&secret, "ouvert", "cle-2"));
        assert_ne!(token, derived_edit_token(&secret, "autre", "cle-1"));
        assert_ne!(token, derived_edit_token(&Secret::from_bytes(vec![8; 32]), "ouvert", "cle-1"));
        // The key and the article cannot trade characters to give the same token.
        assert_ne!(derived_edit_token(&secret, "b", "a"), derived_edit_token(&secret, "", "a\0b"));

        let stored = token_hash(&token);
        assert_eq!(stored.len(), 64);
        assert!(!stored.contains(&token));
        assert!(token_matches(&token, Some(&stored)));
        assert!(!token_matches(&derived_edit_token(&secret, "ouvert", "cle-2"), Some(&stored)));
        assert!(!token_matches("", Some(&stored)));
        assert!(!token_matches(&token, None), "a comment without a token is nobody's to edit");
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

        let random = random_edit_token().expect("random");
        assert_eq!(random.len(), 43);
        assert_ne!(random, random_edit_token().expect("random"));
    }

    #[test]
    fn the_window_closes_on_time_and_never_opens_at_zero() {
        let created = 1_795_336_200_500;
        assert!(edit_window_open(created, 900, created));
        assert!(edit_window_open(created, 900, created + 899_999));
        assert!(!edit_window_open(created, 900, created + 900_000));
        assert!(!edit_window_open(created, 0, created));
        assert_eq!(editable_until_ms(created, 900), created + 900_000);
        assert_eq!(editable_until_ms(created, u64::MAX), i64::MAX);
    }

    #[test]
    fn vote_transitions() {
        assert_eq!(score_change(0, 1), 1, "a first up vote");
        assert_eq!(score_change(0, -1), -1);
        assert_eq!(score_change(1, 1), 0, "the same vote twice counts once");
        assert_eq!(score_change(1, 0), -1, "taken back");
        assert_eq!(score_change(-1, 0), 1);
        assert_eq!(score_change(-1, 1), 2, "switched");
        assert_eq!(score_change(1, -1), -2);
        assert_eq!(score_change(0, 0), 0, "taking back a vote never given");
    }

    #[test]
    fn an_edited_text_follows_the_new_comment_rule() {
        assert_eq!(checked_text("  Corrigé.  "), Ok("Corrigé.".to_string()));
        assert_eq!(checked_text("   "), Err(Code::Required));
        assert_eq!(checked_text(&"é".repeat(5001)), Err(Code::TooLong));
        assert_eq!(checked_text(&"é".repeat(5000)).map(|text| text.chars().count()), Ok(5000));
    }
}
