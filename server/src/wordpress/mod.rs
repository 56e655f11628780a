//! Articles from a WordPress site (`--wordpress URL`): its REST API read at `/wp-json/`, or at
//! `?rest_route=` on a site with plain permalinks, each post mapped to our contract
//! ([`mapping`], [`html`]) and checked with the widget's own parser. Answers are kept
//! `--wordpress-ttl` seconds; when WordPress fails, the last good copy is served.

pub mod comment_text;
pub mod comments;
pub mod html;
pub mod mapping;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kiosque::model::parse_article;
use reqwest::{StatusCode, Url};
use serde_json::Value;
use tokio::sync::Mutex as AsyncMutex;

use crate::content::{article_item, Entry};
use crate::errors::ApiError;
use mapping::{Category, Site};

/// Larger answers are refused: a page of posts with their content is a few hundred kilobytes.
const MAX_ANSWER_BYTES: usize = 16 * 1024 * 1024;
/// Related news: at most this many posts of the category, then as many of the newest.
const RELATED_POSTS: usize = 20;
/// WordPress's own limit on `per_page`.
const CATEGORIES_PER_PAGE: usize = 100;

/// A failure to get an answer from WordPress, in words for the log and the 502's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamError {
    pub message: String,
    /// No answer at all (refused, unreachable, time-out), as opposed to a wrong one.
    pub unreachable: bool,
    /// WordPress did not answer in time (`--wordpress-timeout`): a 504 rather than a 502.
    pub timed_out: bool,
}

impl UpstreamError {
    fn new(message: impl Into<String>) -> UpstreamError {
        UpstreamError { message: message.into(), unreachable: false, timed_out: false }
    }
}

impl std::fmt::Display for UpstreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// One post, as served.
pub struct Post {
    pub entry: Entry,
    pub post_id: i64,
    pub category: Option<i64>,
}

struct Cached<T> {
    fetched: Instant,
    value: Arc<T>,
}

/// Where the REST API answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Routes {
    /// `/wp-json/wp/v2/…`
    Pretty,
    /// `/?rest_route=/wp/v2/…`
    Query,
}

pub struct WordPress {
    http: reqwest::Client,
    base: Url,
    routes: Routes,
    pub site: Site,
    lang: String,
    ttl: Duration,
    /// How long one request to WordPress may take, connection included (`--wordpress-timeout`).
    timeout: Duration,
    posts: Mutex<HashMap<String, Cached<Post>>>,
    /// One request to WordPress at a time per post: when a copy expires under load, one reader asks
    /// WordPress and the others get the copy meanwhile (or wait for the answer when there is none).
    fetching: Mutex<HashMap<String, Arc<AsyncMutex<()>>>>,
    related: Mutex<HashMap<i64, Cached<Vec<Value>>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the cache leaves it usable: entries are inserted whole.
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Where a WordPress error is more than "not found": the REST route exists but the post does not.
fn is_missing(status: StatusCode) -> bool {
    matches!(status, StatusCode::NOT_FOUND | StatusCode::GONE | StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
}

impl WordPress {
    /// Finds the REST API of the site at `base` (`/wp-json/`, then `?rest_route=/`) and reads its
    /// name. A site that does not answer, or is not WordPress, is an error that says so.
    pub async fn connect(base: Url, lang: String, ttl: Duration, timeout: Duration) -> Result<WordPress, UpstreamError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .user_agent(concat!("kiosque-server/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| UpstreamError::new(format!("cannot make an HTTP client: {error}")))?;
        let mut base = base;
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        let mut wordpress = WordPress {
            http,
            base: base.clone(),
            routes: Routes::Pretty,
            site: Site { name: String::new(), home: base.to_string(), base: base.clone() },
            lang,
            ttl,
            timeout,
            posts: Mutex::new(HashMap::new()),
            fetching: Mutex::new(HashMap::new()),
            related: Mutex::new(HashMap::new()),
        };
        let mut tried = Vec::new();
        for routes in [Routes::Pretty, Routes::Query] {
            wordpress.routes = routes;
            let url = wordpress.api("", &[]);
            match wordpress.get(&url).await {
                Ok(Some(index)) => {
                    if let Some(site) = mapping::site(&index, &base) {
                        wordpress.site = site;
                        return Ok(wordpress);
                    }
                    tried.push(format!("{url}: JSON, but not a WordPress REST index"));
                }
                Ok(None) => tried.push(format!("{url}: not found")),
                // Nothing answers there: saying so is clearer than "not WordPress".
                Err(error) if error.unreachable => return Err(error),
                Err(error) => tried.push(error.message),
            }
        }
        Err(UpstreamError::new(format!("{base} does not look like a WordPress site with its REST API on ({})", tried.join("; "))))
    }

    /// The address of REST route `route` (`wp/v2/posts`, or "" for the index) with `query`.
    fn api(&self, route: &str, query: &[(&str, String)]) -> Url {
        let mut url = self.base.clone();
        match self.routes {
            Routes::Pretty => url.set_path(&format!("{}wp-json/{route}", self.base.path())),
            Routes::Query => {
                url.query_pairs_mut().append_pair("rest_route", &format!("/{route}"));
            }
        }
        if !query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in query {
                pairs.append_pair(name, value);
            }
        }
        url
    }

    /// A request that got no answer: WordPress is down, or slower than `--wordpress-timeout`.
    /// The site's address in messages, never the query (it is ours, but keep logs short).
    fn unanswered(&self, error: &reqwest::Error) -> UpstreamError {
        let what = if error.is_timeout() {
            format!("did not answer within {} s", self.timeout.as_secs())
        } else {
            format!("cannot be reached ({})", error_chain(error))
        };
        let mut failure = UpstreamError::new(format!("WordPress at {} {what}", self.base));
        failure.unreachable = true;
        failure.timed_out = error.is_timeout();
        failure
    }

    /// A JSON answer; `None` when WordPress says there is nothing there (404 and the like).
    async fn get(&self, url: &Url) -> Result<Option<Value>, UpstreamError> {
        let failed = |what: String| UpstreamError::new(format!("WordPress at {} {what}", self.base));
        let mut response = self.http.get(url.clone()).send().await.map_err(|error| self.unanswered(&error))?;
        let status = response.status();
        if is_missing(status) {
            return Ok(None);
        }
        if !status.is_success() {
            return Err(failed(format!("answered {status}")));
        }
        if response.content_length().is_some_and(|length| length > MAX_ANSWER_BYTES as u64) {
            return Err(failed(format!("sent an answer over {MAX_ANSWER_BYTES} bytes")));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|error| failed(format!("broke off its answer ({})", error_chain(&error))))? {
            if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(failed(format!("sent an answer over {MAX_ANSWER_BYTES} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
        match serde_json::from_slice(&body) {
            Ok(value) => Ok(Some(value)),
            // Plain permalinks: /wp-json/ is the home page, HTML.
            Err(_) if status == StatusCode::OK && body.trim_ascii_start().starts_with(b"<") => Ok(None),
            Err(error) => Err(failed(format!("sent an answer that is not JSON ({error})"))),
        }
    }

    /// Every category of the site (for breadcrumbs), a page of 100 at a time.
    async fn categories(&self) -> Result<Vec<Category>, UpstreamError> {
        let mut all = Vec::new();
        for page in 1..=20 {
            let url = self.api("wp/v2/categories", &[("per_page", CATEGORIES_PER_PAGE.to_string()), ("page", page.to_string())]);
            // Past the last page WordPress answers 400: a short page ends the list, and so does
            // a failure on a later page when the previous one was exactly full.
            let answer = match self.get(&url).await {
                Ok(Some(answer)) => answer,
                Ok(None) | Err(_) if page > 1 => break,
                Ok(None) => break,
                Err(error) => return Err(error),
            };
            let found = mapping::categories(&answer);
            let short = found.len() < CATEGORIES_PER_PAGE;
            all.extend(found);
            if short {
                break;
            }
        }
        Ok(all)
    }

    /// Maps a post and checks it with the widget's parser, as every article is. What the mapping
    /// left out is logged when the post is served as an article, not when it is a related item.
    fn post(&self, post: &Value, categories: &[Category], log_dropped: bool) -> Result<Post, UpstreamError> {
        let mapped = mapping::article(post, &self.site, categories, &self.lang)
            .ok_or_else(|| UpstreamError::new("WordPress sent a post without an id or a date"))?;
        let id = mapped.article["id"].as_str().unwrap_or_default().to_string();
        if log_dropped && !mapped.dropped.is_empty() {
            tracing::info!(article = %id, dropped = %mapped.dropped.join("; "), "WordPress post: content left out");
        }
        let raw = serde_json::to_string(&mapped.article).map_err(|error| UpstreamError::new(format!("cannot write article {id}: {error}")))?;
        let parsed = parse_article(&raw).map_err(|error| UpstreamError::new(format!("the WordPress post {id} does not make a valid article: {error}")))?;
        Ok(Post { entry: Entry { raw, article: parsed.article }, post_id: mapped.post_id, category: mapped.category })
    }

    /// Fetches post `id` (a slug, or a post number): `None` when WordPress has no such published post.
    async fn fetch(&self, id: &str) -> Result<Option<Post>, UpstreamError> {
        let embed = ("_embed", "author,wp:term,wp:featuredmedia".to_string());
        let answer = if !id.is_empty() && id.len() <= 18 && id.bytes().all(|b| b.is_ascii_digit()) {
            self.get(&self.api(&format!("wp/v2/posts/{id}"), &[embed])).await?
        } else {
            let list = self.get(&self.api("wp/v2/posts", &[("slug", id.to_string()), embed])).await?;
            list.and_then(|list| list.as_array().and_then(|posts| posts.first().cloned()))
        };
        let Some(post) = answer else { return Ok(None) };
        let categories = self.categories().await?;
        self.post(&post, &categories, true).map(Some)
    }

    /// Post `id`, from the cache while it is fresh, else from WordPress; when WordPress fails, the
    /// last good copy however old, else a 502.
    pub async fn article(&self, id: &str) -> Result<Arc<Post>, ApiError> {
        let (fresh, stale) = self.cached(id);
        if let Some(post) = fresh {
            return Ok(post);
        }
        let gate = Arc::clone(lock(&self.fetching).entry(id.to_string()).or_default());
        let _turn = match gate.try_lock() {
            Ok(turn) => turn,
            Err(_) => match stale {
                Some(post) => return Ok(post),
                None => gate.lock().await,
            },
        };
        // Another reader's request may have brought it while this one waited.
        if let (Some(post), _) = self.cached(id) {
            return Ok(post);
        }
        let outcome = self.fetch(id).await;
        if !matches!(outcome, Ok(Some(_))) && stale.is_none() {
            // Only posts that exist keep a gate, so unknown ids do not fill the map.
            lock(&self.fetching).remove(id);
        }
        match outcome {
            Ok(Some(post)) => {
                let post = Arc::new(post);
                lock(&self.posts).insert(id.to_string(), Cached { fetched: Instant::now(), value: Arc::clone(&post) });
                Ok(post)
            }
            Ok(None) => {
                lock(&self.posts).remove(id);
                Err(ApiError::not_found(format!("No article with the id “{id}”, here or on WordPress.")))
            }
            Err(error) => {
                let stale = lock(&self.posts).get(id).map(|cached| Arc::clone(&cached.value));
                match stale {
                    Some(post) => {
                        tracing::warn!(article = %id, error = %error, "WordPress failed; serving the last good copy");
                        Ok(post)
                    }
                    None => {
                        tracing::warn!(article = %id, error = %error, "WordPress failed; no copy to serve");
                        Err(ApiError::upstream(error.message))
                    }
                }
            }
        }
    }

    /// The copy of post `id` if it is still fresh, and the copy however old.
    fn cached(&self, id: &str) -> (Option<Arc<Post>>, Option<Arc<Post>>) {
        let posts = lock(&self.posts);
        let Some(cached) = posts.get(id) else { return (None, None) };
        let fresh = (cached.fetched.elapsed() < self.ttl).then(|| Arc::clone(&cached.value));
        (fresh, Some(Arc::clone(&cached.value)))
    }

    /// Related news of `post`, every page together: posts of its category newest first, then the
    /// newest posts, never the post itself. Cached and kept through failures like articles.
    pub async fn related(&self, post: &Post) -> Result<Arc<Vec<Value>>, ApiError> {
        if let Some(cached) = lock(&self.related).get(&post.post_id).filter(|cached| cached.fetched.elapsed() < self.ttl) {
            return Ok(Arc::clone(&cached.value));
        }
        match self.fetch_related(post).await {
            Ok(items) => {
                let items = Arc::new(items);
                lock(&self.related).insert(post.post_id, Cached { fetched: Instant::now(), value: Arc::clone(&items) });
                Ok(items)
            }
            Err(error) => {
                let stale = lock(&self.related).get(&post.post_id).map(|cached| Arc::clone(&cached.value));
                tracing::warn!(article = %post.entry.article.id, error = %error, stale = stale.is_some(), "WordPress failed on related news");
                stale.ok_or_else(|| ApiError::upstream(error.message))
            }
        }
    }

    async fn fetch_related(&self, post: &Post) -> Result<Vec<Value>, UpstreamError> {
        let list = |category: Option<i64>| {
            let mut query = vec![
                ("exclude", post.post_id.to_string()),
                ("per_page", RELATED_POSTS.to_string()),
                ("_embed", "author,wp:term,wp:featuredmedia".to_string()),
            ];
            if let Some(category) = category {
                query.push(("categories", category.to_string()));
            }
            self.api("wp/v2/posts", &query)
        };
        let mut posts: Vec<Value> = Vec::new();
        if post.category.is_some() {
            if let Some(Value::Array(found)) = self.get(&list(post.category)).await? {
                posts.extend(found);
            }
        }
        if let Some(Value::Array(newest)) = self.get(&list(None)).await? {
            for candidate in newest {
                let id = candidate.get("id").and_then(Value::as_i64);
                if !posts.iter().any(|seen| seen.get("id").and_then(Value::as_i64) == id) {
                    posts.push(candidate);
                }
            }
        }
        let categories = self.categories().await?;
        let mut items = Vec::new();
        for candidate in posts.iter().take(RELATED_POSTS) {
            match self.post(candidate, &categories, false) {
                Ok(related) => items.push(article_item(&related.entry.article)),
                Err(error) => tracing::info!(error = %error, "related WordPress post skipped"),
            }
        }
        Ok(items)
    }
}

/// An error with its causes ("error sending request: connection refused"), for messages.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests;
