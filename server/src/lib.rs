//! Kiosque's reference server: the API of `docs/api.md` (articles, related news, comments,
//! captcha) on SQLite, optionally the built widget too. `main.rs` is the command line; everything
//! else is here so the integration tests can run the real application in-process.

pub mod accounts;
pub mod admin;
pub mod api;
pub mod captcha;
pub mod cli;
pub mod comment_order;
pub mod console;
pub mod content;
pub mod counts;
pub mod errors;
pub mod feeds;
pub mod files;
pub mod http_cache;
pub mod metrics;
pub mod notifications;
pub mod observe;
pub mod rate_limit;
pub mod reader_actions;
pub mod store;
pub mod test_mode;
pub mod time;
pub mod wordpress;
pub mod wxr;

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{middleware, Router};
use serde_json::Value;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::captcha::Secret;
use crate::cli::{CommentsSource, ServeOptions};
use crate::content::Library;
use crate::errors::ApiError;
use crate::metrics::Metrics;
use crate::notifications::Notifications;
use crate::store::Store;
use crate::wordpress::WordPress;

/// How long a graceful shutdown waits for requests in flight before giving up on them.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// How long browsers may cache a CORS preflight answer.
const CORS_MAX_AGE: Duration = Duration::from_secs(600);

/// Everything the handlers share.
pub struct AppState {
    pub options: ServeOptions,
    pub library: Library,
    pub store: Store,
    pub secret: Secret,
    pub metrics: Metrics,
    /// `--test-mode`'s faults, by name.
    pub faults: Mutex<HashMap<String, Value>>,
    /// `--wordpress`: articles the content directory does not have.
    pub wordpress: Option<WordPress>,
    /// `--smtp`: reply notifications by email.
    pub notifications: Option<Notifications>,
}

/// Why the server cannot start; said on stderr before exiting with status 1.
#[derive(Debug)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Opens the database (creating an empty SQLite one, applying migrations), reads the captcha
/// secret and loads the content. Files of the content directory that do not load are logged and
/// skipped.
pub async fn prepare(options: ServeOptions) -> Result<AppState, StartError> {
    let database = options.database();
    let store = Store::open(&database).await.map_err(|error| StartError(format!("cannot open the database {database}: {error}")))?;
    let secret = store.captcha_secret().await.map_err(|error| StartError(format!("cannot read or create the captcha secret: {error}")))?;
    let (library, skipped) = Library::load(&options.content)
        .map_err(|error| StartError(format!("cannot read the content directory {}: {error}", options.content.display())))?;
    for file in &skipped {
        tracing::warn!(file = %file.file, reason = %file.reason, "content file skipped");
    }
    let notifications = Notifications::from_options(&options)?;
    if options.comments == CommentsSource::Wordpress && options.wordpress.is_none() {
        return Err(StartError("--comments wordpress keeps comments in a WordPress site: give its address with --wordpress URL".into()));
    }
    let wordpress = match &options.wordpress {
        None => None,
        Some(url) => {
            let ttl = Duration::from_secs(options.wordpress_ttl);
            let timeout = Duration::from_secs(options.wordpress_timeout);
            let site = WordPress::connect(url.clone(), options.lang.clone(), ttl, timeout)
                .await
                .map_err(|error| StartError(format!("--wordpress {url}: {error}")))?;
            tracing::info!(site = %site.site.name, url = %url, "articles from WordPress");
            if options.comments == CommentsSource::Wordpress {
                check_anonymous_comments(&site, url).await?;
            }
            Some(site)
        }
    };
    Ok(AppState { options, library, store, secret, metrics: Metrics::new(), faults: Mutex::new(HashMap::new()), wordpress, notifications })
}

/// `--comments wordpress` creates comments as an anonymous visitor of the REST API, which
/// WordPress refuses unless the site allows it: said at start, in plain words, rather than on the
/// first reader's comment.
async fn check_anonymous_comments(site: &WordPress, url: &reqwest::Url) -> Result<(), StartError> {
    match site.anonymous_comments_allowed().await {
        Ok(true) => Ok(()),
        Ok(false) => Err(StartError(format!(
            "--comments wordpress: {url} does not let Kiosque create comments (WordPress answers rest_comment_login_required). \
             Add this line to a file in wp-content/mu-plugins/ (a must-use plugin, see the README), \
             or start with --comments local:\n    <?php {}\n\
             (Also check Settings › Discussion: « Users must be registered and logged in to comment » must be off.)",
            wordpress::comments::ANONYMOUS_COMMENTS_FILTER
        ))),
        Err(error) => Err(StartError(format!("--comments wordpress {url}: {error}"))),
    }
}

/// The static directory that answers `path`, if any: every path outside `/api/` when `--static`.
pub fn serves_static<'a>(state: &'a AppState, path: &str) -> Option<&'a Path> {
    state.options.static_dir.as_deref().filter(|_| !path.starts_with("/api/") && !path.starts_with("/admin/api/"))
}

/// The console's build that answers `path`, if any: `/admin` and `/admin/…` but the API, when `--console`.
pub fn serves_console<'a>(state: &'a AppState, path: &str) -> Option<&'a Path> {
    let console_path = path == console::PREFIX || (path.starts_with("/admin/") && !path.starts_with("/admin/api/"));
    state.options.console_dir.as_deref().filter(|_| console_path)
}

/// Everything that is not an API route: the static directory when there is one, else 404.
async fn fallback(State(state): State<Arc<AppState>>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if let Some(root) = serves_console(&state, uri.path()) {
        return console::serve(root, uri.path(), &method, &headers).await;
    }
    match serves_static(&state, uri.path()) {
        Some(root) => files::serve(root, uri.path(), &method, &headers).await,
        None => {
            let mut response = ApiError::not_found(format!("Nothing at {}.", uri.path())).into_response();
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
    }
}

async fn nosniff(mut response: Response) -> Response {
    response.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

fn cors(options: &ServeOptions) -> CorsLayer {
    let origins: Vec<HeaderValue> = options.allow_origins.iter().filter_map(|origin| HeaderValue::from_str(origin).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
        .allow_headers([header::CONTENT_TYPE])
        .expose_headers([header::RETRY_AFTER])
        .max_age(CORS_MAX_AGE)
}

pub fn router(state: Arc<AppState>) -> Router {
    let mut app = api::routes()
        .merge(admin::routes())
        .merge(feeds::routes())
        .merge(counts::routes())
        .merge(reader_actions::routes())
        .merge(notifications::routes::routes())
        .route("/metrics", get(metrics::serve))
        .layer(middleware::from_fn_with_state(Arc::clone(&state), http_cache::api_answers));
    if state.options.test_mode {
        app = app.merge(test_mode::routes());
    }
    let cors = cors(&state.options);
    app.fallback(fallback)
        .layer(DefaultBodyLimit::max(api::BODY_LIMIT_BYTES))
        // Inner to outer: a panic becomes a 500, every error becomes JSON, and CORS headers go on
        // errors too, so that a page on an allowed origin can read why its request failed.
        .layer(CatchPanicLayer::new())
        .layer(middleware::map_response(errors::json_errors))
        .layer(middleware::map_response(nosniff))
        // JSON (articles, pages of comments) and pages gzipped for clients that ask: a page of
        // comments shrinks several times over. The widget's own files are already compressed
        // (files.rs sends their .br or .gz), which the layer leaves as they are.
        .layer(CompressionLayer::new())
        .layer(cors)
        // Outermost, so that its time and status are the client's.
        .layer(middleware::from_fn_with_state(state.clone(), observe::observe))
        .with_state(state)
}

/// Serves until `shutdown` resolves, then lets requests in flight finish (at most
/// [`SHUTDOWN_GRACE`]). The database is closed when the last handler lets go of it.
pub async fn run(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = Arc::new(state);
    let (stopping, mut stopping_seen) = tokio::sync::watch::channel(false);
    let mailer = tokio::spawn(notifications::worker::run(Arc::clone(&state), stopping.subscribe()));
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let signal = async move {
        shutdown.await;
        let _ = stopping.send(true);
    };
    let server = axum::serve(listener, app).with_graceful_shutdown(signal);
    let deadline = async move {
        let _ = stopping_seen.wait_for(|stopping| *stopping).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    let served = tokio::select! {
        result = server => result,
        () = deadline => {
            tracing::warn!(grace_s = SHUTDOWN_GRACE.as_secs(), "requests still running after the grace period; stopping anyway");
            Ok(())
        }
    };
    // The mail worker stops between two mails; one being sent gets a grace period of its own, after
    // which it is cut off and its lease lets a later run send it again.
    let abort = mailer.abort_handle();
    if tokio::time::timeout(SHUTDOWN_GRACE, mailer).await.is_err() {
        abort.abort();
        tracing::warn!("a mail was still being sent at shutdown; it will be sent again");
    }
    served
}
