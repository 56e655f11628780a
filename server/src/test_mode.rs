//! `--test-mode`: real faults on demand for the widget's end-to-end tests. `POST /test/fault/{name}`
//! with `{"mode": …, "fixture": …, "status": …, "delayMs": …}` sets what `GET /test/fault/{name}`
//! answers from then on: "ok" (the fixture), "status" (that HTTP status with a JSON body),
//! "malformed" (truncated JSON), "missing" (JSON without a headline), "slow" (the fixture after
//! delayMs). Each test uses its own name, so tests run in parallel.
//!
//! `POST /test/comment-fault/{article}` with `{"fail": N, "status": 503, "after_store": false}`
//! makes the next N comment POSTs on that article fail with that status, before anything is stored
//! (a server error) or, with `after_store`, once the comment is committed (a lost response), so the
//! widget's retry and idempotency are tested against the real write path.

use std::sync::{Arc, PoisonError};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::errors::{json_response, ApiError, JSON};
use crate::AppState;

const DEFAULT_FIXTURE: &str = "fr-complet.json";
/// A "slow" fault never holds a connection longer than this, whatever a test asks.
const MAX_DELAY_MS: u64 = 120_000;
/// Distinct fault names kept; a runaway test cannot grow memory without bound.
const MAX_FAULTS: usize = 10_000;

type Shared = Arc<AppState>;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/test/fault/{name}", get(answer).post(set))
        .route("/test/comment-fault/{article}", post(set_comment_fault))
        .route("/test/pages/{*path}", get(page).head(page))
}

fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 200 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

async fn set(State(state): State<Shared>, Path(name): Path<String>, body: Bytes) -> Result<Response, ApiError> {
    if !valid_name(&name) {
        return Err(ApiError::bad_request("A fault name is letters, digits, - and _."));
    }
    let fault: Value = if body.is_empty() {
        json!({})
    } else {
        serde_json::from_slice(&body).map_err(|error| ApiError::bad_request(error.to_string()))?
    };
    if !fault.is_object() {
        return Err(ApiError::bad_request("A fault is a JSON object."));
    }
    let mut faults = state.faults.lock().unwrap_or_else(PoisonError::into_inner);
    if faults.len() >= MAX_FAULTS && !faults.contains_key(&name) {
        faults.clear();
    }
    faults.insert(name, fault);
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn raw_json(status: StatusCode, body: impl Into<Body>) -> Response {
    let mut response = Response::new(body.into());
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    response
}

async fn fixture(state: &AppState, name: &str) -> Response {
    let content = state.options.content.clone();
    match crate::files::serve(&content, &format!("/{name}"), &Method::GET, &HeaderMap::new()).await {
        response if response.status() == StatusCode::OK => response,
        _ => ApiError::not_found(format!("No fixture “{name}” in the content directory.")).into_response(),
    }
}

async fn answer(State(state): State<Shared>, Path(name): Path<String>) -> Response {
    let fault = state.faults.lock().unwrap_or_else(PoisonError::into_inner).get(&name).cloned().unwrap_or_else(|| json!({}));
    let text = |key: &str, default: &str| fault.get(key).and_then(Value::as_str).unwrap_or(default).to_string();
    let mode = text("mode", "ok");
    let file = text("fixture", DEFAULT_FIXTURE);
    let mut response = match mode.as_str() {
        "status" => {
            let code = fault.get("status").and_then(Value::as_u64).unwrap_or(500);
            let status = u16::try_from(code).ok().and_then(|code| StatusCode::from_u16(code).ok()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            json_response(status, &json!({ "error": "fault", "message": format!("injected {}", status.as_u16()) }))
        }
        "malformed" => raw_json(StatusCode::OK, r#"{"id": "cassé", "headline": "Coupé en plein"#),
        "missing" => raw_json(StatusCode::OK, json!({ "id": "x", "published": "2026-11-22T08:00:00Z", "body": [] }).to_string()),
        "slow" => {
            let delay = fault.get("delayMs").and_then(Value::as_u64).unwrap_or(0).min(MAX_DELAY_MS);
            tokio::time::sleep(Duration::from_millis(delay)).await;
            fixture(&state, &file).await
        }
        _ => fixture(&state, &file).await,
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn page(State(state): State<Shared>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    match &state.options.test_pages {
        Some(root) => {
            let path = uri.path().strip_prefix("/test/pages").unwrap_or("/");
            crate::files::serve(root, path, &method, &headers).await
        }
        None => ApiError::not_found("No test pages (--test-pages).").into_response(),
    }
}

/// Where in a comment POST an injected failure strikes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentStage {
    BeforeStore,
    AfterStore,
}

fn comment_fault_key(article: &str) -> String {
    format!("comment-fault:{article}")
}

async fn set_comment_fault(State(state): State<Shared>, Path(article): Path<String>, body: Bytes) -> Result<Response, ApiError> {
    let fault: Value = serde_json::from_slice(&body).map_err(|error| ApiError::bad_request(error.to_string()))?;
    if !fault.is_object() {
        return Err(ApiError::bad_request("A comment fault is a JSON object."));
    }
    state.faults.lock().unwrap_or_else(PoisonError::into_inner).insert(comment_fault_key(&article), fault);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// In test mode, the failure a test asked the next comment POST on `article` to suffer at `stage`
/// (each call that returns one uses it up).
pub fn take_comment_fault(state: &AppState, article: &str, stage: CommentStage) -> Option<ApiError> {
    if !state.options.test_mode {
        return None;
    }
    let mut faults = state.faults.lock().unwrap_or_else(PoisonError::into_inner);
    let fault = faults.get_mut(&comment_fault_key(article))?;
    let after_store = fault.get("after_store").and_then(Value::as_bool).unwrap_or(false);
    let remaining = fault.get("fail").and_then(Value::as_u64).unwrap_or(0);
    if remaining == 0 || after_store != (stage == CommentStage::AfterStore) {
        return None;
    }
    fault["fail"] = json!(remaining - 1);
    let code = fault.get("status").and_then(Value::as_u64).unwrap_or(503);
    let status = u16::try_from(code).ok().and_then(|code| StatusCode::from_u16(code).ok()).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    Some(ApiError { status, body: json!({ "error": "injected", "message": format!("injected {}", status.as_u16()) }), retry_after: None, database_failure: false })
}
