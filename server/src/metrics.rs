//! `/metrics`: what the server counts, in the OpenMetrics text format that Prometheus scrapes.
//! Each server has its own registry (no global), so servers in one process — the tests — count
//! apart. Only the peers of `--metrics-allow` may read it, judged by the connection's own address:
//! `X-Forwarded-For` is whatever the client wrote.
//!
//! A request that came through a proxy is refused too: behind a reverse proxy on the same
//! machine every reader's connection is loopback, which the default allows.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

use crate::errors::ApiError;
use crate::AppState;

/// What Prometheus asks for first in its `Accept` header.
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";
/// Seconds: from half a millisecond (an article served from memory) to the 10 s shutdown grace.
const LATENCY_BUCKETS: [f64; 14] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RejectionLabels {
    reason: Rejection,
}

/// Why a comment was not stored: the `reason` label of `kiosque_comments_rejected_total`.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub enum Rejection {
    /// Not a JSON object, or not sent as JSON.
    Malformed,
    UnknownArticle,
    RateLimited,
    TooLarge,
    Closed,
    /// Honeypot filled or sent too fast.
    Spam,
    Validation,
    Captcha,
}

impl Rejection {
    const ALL: [Rejection; 8] = [
        Rejection::Malformed,
        Rejection::UnknownArticle,
        Rejection::RateLimited,
        Rejection::TooLarge,
        Rejection::Closed,
        Rejection::Spam,
        Rejection::Validation,
        Rejection::Captcha,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Rejection::Malformed => "malformed",
            Rejection::UnknownArticle => "unknown_article",
            Rejection::RateLimited => "rate_limited",
            Rejection::TooLarge => "too_large",
            Rejection::Closed => "closed",
            Rejection::Spam => "spam",
            Rejection::Validation => "validation",
            Rejection::Captcha => "captcha",
        }
    }

    /// The rejection an error answer to a comment stands for; `None` for the server's own
    /// failures (counted as errors, not as rejections).
    pub fn of(error: &ApiError) -> Option<Rejection> {
        match error.code() {
            "bad_request" | "unsupported_media_type" => Some(Rejection::Malformed),
            "not_found" => Some(Rejection::UnknownArticle),
            "rate_limited" => Some(Rejection::RateLimited),
            "too_large" => Some(Rejection::TooLarge),
            "closed" => Some(Rejection::Closed),
            "rejected" => Some(Rejection::Spam),
            "validation" => Some(Rejection::Validation),
            "captcha" => Some(Rejection::Captcha),
            _ => None,
        }
    }
}

impl EncodeLabelValue for Rejection {
    fn encode(&self, encoder: &mut LabelValueEncoder) -> std::fmt::Result {
        encoder.write_str(self.name())
    }
}

/// The `method` label: the usual methods by name, anything else as `other`, so that a client
/// inventing methods cannot make new series.
pub fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::OPTIONS => "OPTIONS",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    comments_stored: Counter,
    comments_rejected: Family<RejectionLabels, Counter>,
    database_errors: Counter,
    mails_sent: Counter,
    mail_failures: Counter,
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("kiosque");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered, by method, route template and status", requests.clone());
        let latency: Family<RouteLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(|| Histogram::new(LATENCY_BUCKETS));
        registry.register_with_unit(
            "http_request_duration",
            "Time from a request's arrival to its response head, by method and route template",
            Unit::Seconds,
            latency.clone(),
        );
        let comments_stored = Counter::default();
        registry.register("comments_stored", "Comments written to the database (a replayed idempotency key is not counted)", comments_stored.clone());
        let comments_rejected = Family::<RejectionLabels, Counter>::default();
        registry.register("comments_rejected", "Comments refused, by reason", comments_rejected.clone());
        // Every reason from the start, at 0: a rate over a series that appears late misses its first count.
        for reason in Rejection::ALL {
            let _ = comments_rejected.get_or_create(&RejectionLabels { reason });
        }
        let database_errors = Counter::default();
        registry.register("database_errors", "Answers that failed because the database did (500, or 503 while it does not answer)", database_errors.clone());
        let mails_sent = Counter::default();
        registry.register("mails_sent", "Reply notification mails the SMTP server accepted", mails_sent.clone());
        let mail_failures = Counter::default();
        registry.register("mail_failures", "Attempts to send a reply notification mail that failed (each is retried, up to a limit)", mail_failures.clone());
        Metrics { registry, requests, latency, comments_stored, comments_rejected, database_errors, mails_sent, mail_failures }
    }

    /// One answered request: `method` as [`method_label`] names it, `route` the route's template.
    pub fn request(&self, method: &'static str, route: &str, status: StatusCode, elapsed: Duration) {
        self.requests.get_or_create(&RequestLabels { method, route: route.to_string(), status: status.as_u16() }).inc();
        self.latency.get_or_create(&RouteLabels { method, route: route.to_string() }).observe(elapsed.as_secs_f64());
    }

    pub fn comment_stored(&self) {
        self.comments_stored.inc();
    }

    pub fn comment_rejected(&self, reason: Rejection) {
        self.comments_rejected.get_or_create(&RejectionLabels { reason }).inc();
    }

    pub fn database_error(&self) {
        self.database_errors.inc();
    }

    pub fn mail_sent(&self) {
        self.mails_sent.inc();
    }

    pub fn mail_failed(&self) {
        self.mail_failures.inc();
    }

    /// Everything counted so far, in the OpenMetrics text format.
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

/// `GET /metrics`, for the addresses of `--metrics-allow` (default: loopback); 403 for the others.
pub async fn serve(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    // A dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d; the allowlist speaks IPv4.
    let address = peer.ip().to_canonical();
    if !state.options.metrics_allow.iter().any(|network| network.contains(&address)) {
        return Err(ApiError::forbidden("The metrics are not open to this address (see --metrics-allow)."));
    }
    if [header::FORWARDED.as_str(), "x-forwarded-for"].iter().any(|name| headers.contains_key(*name)) {
        return Err(ApiError::forbidden("The metrics are not served through a proxy; scrape the server's own address."));
    }
    let text = state.metrics.encode().map_err(ApiError::internal)?;
    let mut response = Response::new(axum::body::Body::from(text));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(OPENMETRICS));
    Ok(response)
}
