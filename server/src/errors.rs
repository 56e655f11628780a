//! Every error is JSON, `{ "error": code, "message": … }` (`docs/api.md`, "Errors"): the API's own
//! errors are built here, and [`json_errors`] rewrites whatever else fails — axum's rejections,
//! unknown routes, wrong methods, panics — into the same shape.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::store::StoreError;

pub const JSON: &str = "application/json";
/// What a 503 suggests: a database restart or fail-over takes seconds.
const UNAVAILABLE_RETRY_AFTER_SECONDS: u64 = 5;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: Value,
    /// Seconds, for the `Retry-After` header of a 429 or a 503.
    pub retry_after: Option<u64>,
    /// The database failed: the response carries [`DatabaseFailure`] for the metrics.
    pub database_failure: bool,
}

/// Response extension of an answer that failed because the database did; the request middleware
/// counts it (`kiosque_database_errors_total`), since the code that meets the error has no state.
#[derive(Clone, Copy, Debug)]
pub struct DatabaseFailure;

impl ApiError {
    fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError { status, body: json!({ "error": code, "message": message.into() }), retry_after: None, database_failure: false }
    }

    /// An error of the admin API (`unauthorized`, `csrf`, `too_many_attempts`…).
    pub fn with_code(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(status, code, message)
    }

    /// The `error` member of the body: `validation`, `captcha`, `rate_limited`…
    pub fn code(&self) -> &str {
        self.body["error"].as_str().unwrap_or_default()
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn captcha(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "captcha", message)
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// WordPress (`--wordpress`) failed and there is no copy of the answer to serve.
    pub fn upstream(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_GATEWAY, "upstream", message)
    }

    /// WordPress did not answer within `--wordpress-timeout`: nothing is known to be stored.
    pub fn upstream_timeout(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::GATEWAY_TIMEOUT, "upstream", message)
    }

    pub fn closed() -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "closed", "Comments on this article are closed.")
    }

    pub fn too_large(limit_bytes: usize) -> ApiError {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", format!("The request body exceeds {limit_bytes} bytes."))
    }

    pub fn unsupported_media_type() -> ApiError {
        ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "The body must be application/json.")
    }

    pub fn validation(fields: BTreeMap<String, String>) -> ApiError {
        let names: Vec<&str> = fields.keys().map(String::as_str).collect();
        let message = format!("Some fields are not valid: {}.", names.join(", "));
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: json!({ "error": "validation", "fields": fields, "message": message }),
            retry_after: None,
            database_failure: false,
        }
    }

    /// Spam: deliberately the same answer whichever check caught it.
    pub fn rejected() -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "rejected", "The comment was not accepted.")
    }

    /// The site already has this comment (WordPress's duplicate check): the widget says "already sent".
    pub fn duplicate(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "duplicate", message)
    }

    pub fn rate_limited(retry_after: u64) -> ApiError {
        ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            body: json!({
                "error": "rate_limited",
                "retry_after": retry_after,
                "message": format!("Too many comments from this address; try again in {retry_after} s."),
            }),
            retry_after: Some(retry_after),
            database_failure: false,
        }
    }

    /// The database is not answering: nothing was stored, and trying again soon may work.
    pub fn unavailable(detail: impl std::fmt::Display) -> ApiError {
        tracing::error!(detail = %detail, "database unavailable");
        let mut error = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "The database is not answering; nothing was stored. Try again in a moment.",
        );
        error.retry_after = Some(UNAVAILABLE_RETRY_AFTER_SECONDS);
        error.database_failure = true;
        error
    }

    /// A failure of the server itself; the detail goes to the log, not to the client.
    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        tracing::error!(detail = %detail, "internal error");
        ApiError::server_failed()
    }

    /// The database failed: the same answer as [`ApiError::internal`], counted apart.
    pub fn database(detail: impl std::fmt::Display) -> ApiError {
        tracing::error!(detail = %detail, "database error");
        ApiError { database_failure: true, ..ApiError::server_failed() }
    }

    fn server_failed() -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "The server failed; nothing was stored. Try again.")
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::Unavailable(detail) => ApiError::unavailable(detail),
            StoreError::Failed(detail) => ApiError::database(detail),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = json_response(self.status, &self.body);
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.database_failure {
            response.extensions_mut().insert(DatabaseFailure);
        }
        response
    }
}

pub fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    response
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with(JSON))
}

/// Marks a page written for people (the links of the notification mails): its 404 stays the page
/// it is, readable, instead of becoming the API's JSON error.
#[derive(Clone, Copy, Debug)]
pub struct HtmlPage;

/// Middleware: turns every error response that is not JSON yet into the API's error shape,
/// keeping its status and headers (`Allow` on a 405, CORS headers…).
pub async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let kept = is_json(&response) || response.extensions().get::<HtmlPage>().is_some();
    if !(status.is_client_error() || status.is_server_error()) || kept {
        return response;
    }
    let (code, message) = match status {
        StatusCode::BAD_REQUEST => ("bad_request", "The request is malformed."),
        StatusCode::NOT_FOUND => ("not_found", "Nothing here."),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "This method is not allowed here."),
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "The request body is too large."),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "The body must be application/json."),
        status if status.is_server_error() => ("internal", "The server failed."),
        _ => ("error", "The request failed."),
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    let body = json!({ "error": code, "message": message }).to_string();
    Response::from_parts(parts, Body::from(body))
}
