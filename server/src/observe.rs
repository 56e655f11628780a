//! What the server tells its operator: log events on stderr (text or JSON, `--log-format`) and,
//! for every request, one log line and the request metrics.
//!
//! A request's line holds its id (also sent back in `X-Request-Id`), method, route template,
//! status and duration — never the path itself, the query string, a header or the body, so no
//! email address, comment text, cookie or token reaches the log. Events raised while a request
//! is handled (an internal error, a spam rejection) carry the same id through the request's span.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::level_filters::LevelFilter;
use tracing::Instrument;

use crate::cli::LogFormat;
use crate::errors::DatabaseFailure;
use crate::{AppState, StartError};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Installs the process's log subscriber: events of `level` and more severe, on stderr.
pub fn init_logs(format: LogFormat, level: LevelFilter) -> Result<(), StartError> {
    let builder = tracing_subscriber::fmt().with_writer(std::io::stderr).with_max_level(level);
    let installed = match format {
        LogFormat::Text => builder.try_init(),
        // The event's fields at the top level, and the request's (id, route) under "span".
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(true).with_span_list(false).try_init(),
    };
    installed.map_err(|error| StartError(format!("cannot set up logging: {error}")))?;
    // A panic is caught and answered 500 (CatchPanicLayer); its report goes to the log in the
    // log's format instead of a bare line in the middle of JSON.
    std::panic::set_hook(Box::new(|panic| {
        let payload = panic.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("(no message)");
        let location = panic.location().map(|location| format!("{}:{}", location.file(), location.line())).unwrap_or_default();
        tracing::error!(location, "panic: {message}");
    }));
    Ok(())
}

/// A fresh id for every request. The client's own `X-Request-Id` is not taken: what a client
/// chooses does not go into the log.
fn request_id() -> String {
    static SEQUENCE: AtomicU64 = AtomicU64::new(0);
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // Never seen on Linux; the ids are then at least distinct within this process.
        bytes[..8].copy_from_slice(&SEQUENCE.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    }
    uuid::Builder::from_random_bytes(bytes).into_uuid().hyphenated().to_string()
}

/// The `route` of logs and metrics: the matched route's template, `static` for the files of
/// `--static`, `unmatched` for the rest (any path a client invents would be a new series).
fn route(state: &AppState, request: &Request) -> String {
    match request.extensions().get::<MatchedPath>() {
        Some(template) => template.as_str().to_string(),
        None if crate::serves_static(state, request.uri().path()).is_some() => "static".to_string(),
        None => "unmatched".to_string(),
    }
}

/// Middleware, outermost: times the request, counts it, logs its line, and sends its id back.
pub async fn observe(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request_id();
    // Methods by name only when usual ones: a client can send any token there, of any length.
    let method = crate::metrics::method_label(request.method());
    let route = route(&state, &request);
    let span = tracing::info_span!("request", request_id = %id, method = %method, route = %route);
    let mut response = next.run(request).instrument(span).await;
    let elapsed = started.elapsed();
    let status = response.status();
    state.metrics.request(method, &route, status, elapsed);
    if response.extensions().get::<DatabaseFailure>().is_some() {
        state.metrics.database_error();
    }
    tracing::info!(
        request_id = %id,
        method = %method,
        route = %route,
        status = status.as_u16(),
        // Whole microseconds, so that the figure reads 0.316 rather than 0.31665000000000004.
        duration_ms = elapsed.as_micros() as f64 / 1000.0,
        "request"
    );
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}
