//! Atom feeds of approved comments: one article's (`/api/articles/{id}/comments.atom`) and the
//! site's latest (`/api/comments.atom`), newest first. Written with `atom_syndication`, whose
//! writer escapes every text: a comment is plain text in a feed as it is in the widget.

use std::collections::HashMap;
use std::sync::Arc;

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::api::find;
use crate::cli::CommentsSource;
use crate::content::encode_segment;
use crate::errors::ApiError;
use crate::http_cache::{self, ApiCaching};
use crate::store::CommentRow;
use crate::time::{now_ms, rfc3339_utc};
use crate::AppState;

type Shared = Arc<AppState>;

/// The most entries a feed carries: feed readers poll, they do not page.
pub const FEED_ENTRIES: i64 = 50;
const ATOM: &str = "application/atom+xml; charset=utf-8";

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/comments.atom", get(site_feed))
        .route("/api/articles/{id}/comments.atom", get(article_feed))
}

/// What a feed says about the article a comment belongs to.
#[derive(Clone)]
struct ArticleLine {
    headline: String,
    /// The page of the article, absolute, http(s) only.
    url: Option<String>,
}

/// The feed's words, in the server's language (`--lang`, else the article's).
#[derive(Clone, Copy, PartialEq, Eq)]
enum FeedLang {
    French,
    English,
}

impl FeedLang {
    fn of(tag: &str) -> FeedLang {
        if tag.to_ascii_lowercase().starts_with("en") {
            FeedLang::English
        } else {
            FeedLang::French
        }
    }

    fn article_title(self, headline: &str) -> String {
        match self {
            FeedLang::French => format!("Commentaires : {headline}"),
            FeedLang::English => format!("Comments: {headline}"),
        }
    }

    fn site_title(self, site: &str) -> String {
        match self {
            FeedLang::French => format!("Derniers commentaires — {site}"),
            FeedLang::English => format!("Latest comments — {site}"),
        }
    }

    fn entry_title(self, author: &str, headline: &str) -> String {
        match self {
            FeedLang::French => format!("{author} sur « {headline} »"),
            FeedLang::English => format!("{author} on “{headline}”"),
        }
    }
}

/// Where this server is reached: `--public-url`, else the `Host` the reader used.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    match &state.options.public_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => {
            let host = headers.get(header::HOST).and_then(|value| value.to_str().ok()).unwrap_or("localhost");
            format!("http://{host}")
        }
    }
}

/// An absolute http(s) address for a link of the article, or none.
fn absolute(base: &str, url: &str) -> Option<String> {
    if url.starts_with("https://") || url.starts_with("http://") {
        Some(url.to_string())
    } else if url.starts_with('/') && !url.starts_with("//") {
        Some(format!("{base}{url}"))
    } else {
        None
    }
}

fn date(unix_ms: i64) -> FixedDateTime {
    // rfc3339_utc always writes a valid timestamp; the epoch stands in for the impossible.
    FixedDateTime::parse_from_rfc3339(&rfc3339_utc(unix_ms)).unwrap_or_default()
}

fn entry(row: &CommentRow, article: Option<&ArticleLine>, base: &str, lang: FeedLang) -> Entry {
    let headline = article.map_or(row.article_id.as_str(), |article| article.headline.as_str());
    let author = Person {
        name: row.author_name.clone(),
        // The reader's site, when they gave one; never their email.
        uri: row.author_url.as_deref().and_then(|url| absolute(base, url)),
        ..Person::default()
    };
    let links = article
        .and_then(|article| article.url.as_ref())
        .map(|url| Link {
            href: format!("{url}#kq-comment-{}", row.id),
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Link::default()
        })
        .into_iter()
        .collect();
    Entry {
        id: format!("{base}/api/articles/{}/comments.atom#{}", encode_segment(&row.article_id), row.id),
        title: Text::plain(lang.entry_title(&row.author_name, headline)),
        updated: date(row.created_ms),
        published: Some(date(row.created_ms)),
        authors: vec![author],
        links,
        content: Some(Content { value: Some(row.text.clone()), content_type: Some("text".into()), ..Content::default() }),
        ..Entry::default()
    }
}

fn feed(id: String, title: String, rows: &[CommentRow], articles: &HashMap<String, ArticleLine>, base: &str, lang: FeedLang) -> Feed {
    let updated = rows.iter().map(|row| row.created_ms).max().unwrap_or_else(now_ms);
    Feed {
        title: Text::plain(title),
        links: vec![Link { href: id.clone(), rel: "self".into(), mime_type: Some("application/atom+xml".into()), ..Link::default() }],
        id,
        updated: date(updated),
        lang: Some(match lang {
            FeedLang::French => "fr".into(),
            FeedLang::English => "en".into(),
        }),
        entries: rows.iter().map(|row| entry(row, articles.get(&row.article_id), base, lang)).collect(),
        ..Feed::default()
    }
}

fn atom_response(feed: &Feed) -> Response {
    let mut response = Response::new(axum::body::Body::from(feed.to_string()));
    *response.status_mut() = StatusCode::OK;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(ATOM));
    // Validated like a page of comments: a feed reader's poll costs a 304 when nothing is new.
    http_cache::mark(response, ApiCaching::Revalidated)
}

async fn article_line(state: &AppState, id: &str, base: &str) -> Option<ArticleLine> {
    let found = find(state, id).await.ok()?;
    let article = &found.entry().article;
    Some(ArticleLine { headline: article.headline.clone(), url: article.url.as_ref().and_then(|url| absolute(base, &url.url)) })
}

/// With `--comments wordpress` the comments are WordPress's, and so are their feeds.
pub(crate) fn comments_are_local(state: &AppState) -> Result<(), ApiError> {
    match state.options.comments {
        CommentsSource::Local => Ok(()),
        CommentsSource::Wordpress => Err(ApiError::not_found(
            "The comments live in WordPress (--comments wordpress): its own feeds and counts have them.",
        )),
    }
}

async fn article_feed(State(state): State<Shared>, Path(id): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    comments_are_local(&state)?;
    let found = find(&state, &id).await?;
    let base = base_url(&state, &headers);
    let article = &found.entry().article;
    let line = ArticleLine { headline: article.headline.clone(), url: article.url.as_ref().and_then(|url| absolute(&base, &url.url)) };
    let lang = FeedLang::of(article.lang.as_deref().unwrap_or(&state.options.lang));
    let rows = state.store.latest_approved(Some(id.clone()), FEED_ENTRIES).await?;
    let articles = HashMap::from([(id.clone(), line.clone())]);
    let self_url = format!("{base}/api/articles/{}/comments.atom", encode_segment(&id));
    Ok(atom_response(&feed(self_url, lang.article_title(&line.headline), &rows, &articles, &base, lang)))
}

async fn site_feed(State(state): State<Shared>, headers: HeaderMap) -> Result<Response, ApiError> {
    comments_are_local(&state)?;
    let base = base_url(&state, &headers);
    let rows = state.store.latest_approved(None, FEED_ENTRIES).await?;
    let mut articles = HashMap::new();
    for row in &rows {
        if !articles.contains_key(&row.article_id) {
            if let Some(line) = article_line(&state, &row.article_id, &base).await {
                articles.insert(row.article_id.clone(), line);
            }
        }
    }
    let site = state
        .wordpress
        .as_ref()
        .map(|wordpress| wordpress.site.name.clone())
        .or_else(|| state.library.entries().find_map(|entry| entry.article.site.as_ref().map(|site| site.label.clone())))
        .unwrap_or_else(|| "Kiosque".into());
    let lang = FeedLang::of(&state.options.lang);
    Ok(atom_response(&feed(format!("{base}/api/comments.atom"), lang.site_title(&site), &rows, &articles, &base, lang)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Status;

    fn row(id: i64, text: &str) -> CommentRow {
        CommentRow {
            id,
            article_id: "fr-complet".into(),
            parent_id: None,
            author_name: "Awa <b>Ndiaye</b>".into(),
            author_email: Some("awa@example.org".into()),
            author_url: Some("javascript:alert(1)".into()),
            text: text.into(),
            created_ms: 1_795_336_200_000,
            status: Status::Approved,
            score: 0,
            voter_hash: None,
            edit_token_hash: None,
            edited_ms: None,
        }
    }

    #[test]
    fn hostile_text_is_escaped_and_comes_back_as_written() {
        let hostile = "<script>alert('x')</script> & ]]> <img src=x onerror=alert(1)>";
        let articles = HashMap::from([(
            "fr-complet".to_string(),
            ArticleLine { headline: "Titre & « guillemets »".into(), url: Some("https://news.example/a".into()) },
        )]);
        let written = feed("https://k.example/api/comments.atom".into(), "T".into(), &[row(7, hostile)], &articles, "https://k.example", FeedLang::French)
            .to_string();
        assert!(!written.contains("<script>"), "{written}");
        assert!(!written.contains("<img"), "{written}");
        assert!(!written.contains("awa@example.org"), "the email stays out of feeds: {written}");
        assert!(!written.contains("javascript:"), "{written}");
        let read: Feed = written.parse().expect("the feed reads back");
        let entry = &read.entries()[0];
        assert_eq!(entry.content().and_then(|content| content.value()), Some(hostile));
        assert_eq!(entry.title().as_str(), "Awa <b>Ndiaye</b> sur « Titre & « guillemets » »");
        assert_eq!(entry.links()[0].href(), "https://news.example/a#kq-comment-7");
    }

    #[test]
    fn only_http_links_and_paths_become_absolute_links() {
        assert_eq!(absolute("https://k.example", "/a/b"), Some("https://k.example/a/b".into()));
        assert_eq!(absolute("https://k.example", "https://x.example/"), Some("https://x.example/".into()));
        assert_eq!(absolute("https://k.example", "//evil.example/"), None);
        assert_eq!(absolute("https://k.example", "mailto:a@b"), None);
        assert_eq!(absolute("https://k.example", "javascript:alert(1)"), None);
    }

    #[test]
    fn english_only_for_english_tags() {
        assert!(FeedLang::of("en-GB") == FeedLang::English);
        assert!(FeedLang::of("fr-SN") == FeedLang::French);
        assert!(FeedLang::of("wo") == FeedLang::French);
    }
}
