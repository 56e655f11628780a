//! How long the API's answers may be cached, and their validators. Articles and related lists
//! change only when the server restarts with new content: browsers and shared caches (a CDN) keep
//! them `--article-max-age` seconds and may serve them stale for `--article-stale-while-revalidate`
//! more while they revalidate. A page of comments changes with every new comment: it is kept but
//! revalidated on every use (`no-cache`), so a new comment shows at once and an unchanged page
//! costs a `304` without a body. Everything else under `/api` (writes, configuration, captcha
//! challenges, errors) is `no-store`.
//!
//! The validator is a weak `ETag` (a hash of the JSON before compression): the `CompressionLayer`
//! outside this middleware sends the same answer gzipped or not, which a strong tag would have to
//! tell apart. Instances behind a load balancer give the same tag for the same answer.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::errors::ApiError;
use crate::AppState;

/// How a handler's successful answer may be cached; the handler puts it in the response's
/// extensions and [`api_answers`] turns it into headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiCaching {
    /// The same for every reader and rarely changing: articles and related lists.
    Shared,
    /// Kept but revalidated on every use: pages of comments.
    Revalidated,
}

/// Marks `response` as cacheable the way `caching` says (only a `200` is ever cached).
pub fn mark(mut response: Response, caching: ApiCaching) -> Response {
    response.extensions_mut().insert(caching);
    response
}

/// `Cache-Control` of the shared answers, from `--article-max-age` and
/// `--article-stale-while-revalidate` (left out at 0).
pub fn shared_cache_control(max_age: u64, stale_while_revalidate: u64) -> String {
    if stale_while_revalidate == 0 {
        format!("public, max-age={max_age}")
    } else {
        format!("public, max-age={max_age}, stale-while-revalidate={stale_while_revalidate}")
    }
}

/// A weak entity tag for `body`: 128 bits of its SHA-256, base64url.
pub fn weak_etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("W/\"{}\"", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16]))
}

/// The opaque part of an entity tag (`"…"` without its `W/`), which weak comparison looks at.
fn opaque_tag(etag: &str) -> &str {
    etag.strip_prefix("W/").unwrap_or(etag)
}

/// Whether one `If-None-Match` field value (`*`, or a list of entity tags, weak or strong) matches
/// `etag` by the weak comparison of RFC 9110 §8.8.3.2. A malformed rest of a list never matches.
pub fn none_match_hits(field: &str, etag: &str) -> bool {
    const SPACE: [char; 2] = [' ', '\t'];
    let wanted = opaque_tag(etag);
    let field = field.trim_matches(SPACE);
    if field == "*" {
        return true;
    }
    // A list may hold empty elements (RFC 9110 §5.6.1): skip commas between tags.
    let mut rest = field.trim_start_matches([' ', '\t', ',']);
    loop {
        let tag_start = rest.strip_prefix("W/").unwrap_or(rest);
        let Some(quoted) = tag_start.strip_prefix('"') else { return false };
        let Some(end) = quoted.find('"') else { return false };
        // `end + 2` covers both quotes: the tag with its quotes, as `wanted` has them.
        if tag_start[..end + 2] == *wanted {
            return true;
        }
        rest = quoted[end + 1..].trim_start_matches(SPACE);
        let Some(next) = rest.strip_prefix(',') else { return false };
        rest = next.trim_start_matches([' ', '\t', ',']);
    }
}

/// Whether any of a request's `If-None-Match` fields matches `etag`.
fn request_matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|field| none_match_hits(field, etag))
}

fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Middleware for `/api`: a marked `200` to a GET or HEAD gets its `ETag` and `Cache-Control`, or
/// becomes a `304` when the request already has that tag; every other answer is `no-store`.
pub async fn api_answers(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let conditional = request.headers().clone();
    let readable = request.method() == Method::GET || request.method() == Method::HEAD;
    let response = next.run(request).await;
    let caching = response.extensions().get::<ApiCaching>().copied();
    let Some(caching) = caching.filter(|_| readable && response.status() == StatusCode::OK) else {
        return no_store(response);
    };
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => return no_store(ApiError::internal(format!("reading an answer to tag it: {error}")).into_response()),
    };
    let etag = weak_etag(&bytes);
    let cache_control = match caching {
        ApiCaching::Shared => {
            shared_cache_control(state.options.article_max_age, state.options.article_stale_while_revalidate)
        }
        ApiCaching::Revalidated => "no-cache".to_string(),
    };
    let (Ok(etag_value), Ok(cache_control)) = (HeaderValue::from_str(&etag), HeaderValue::from_str(&cache_control)) else {
        return no_store(ApiError::internal("an ETag or Cache-Control that is not a header value").into_response());
    };
    let validators = [
        (header::ETAG, etag_value),
        (header::CACHE_CONTROL, cache_control),
        // The CompressionLayer outside sends gzip to clients that accept it.
        (header::VARY, HeaderValue::from_static("accept-encoding")),
    ];
    if request_matches(&conditional, &etag) {
        let mut not_modified = Response::new(Body::empty());
        *not_modified.status_mut() = StatusCode::NOT_MODIFIED;
        not_modified.headers_mut().extend(validators.map(|(name, value)| (name, value)));
        return not_modified;
    }
    parts.headers.extend(validators.map(|(name, value)| (name, value)));
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAG: &str = "W/\"abc\"";

    #[test]
    fn if_none_match_by_weak_comparison() {
        for field in [
            "W/\"abc\"",
            "\"abc\"",
            "*",
            " * ",
            "\"x\", W/\"abc\"",
            "\"x\",W/\"abc\",\"y\"",
            "\"a,b\", \"abc\"",
            "\t\"abc\"\t",
        ] {
            assert!(none_match_hits(field, TAG), "{field}");
        }
        for field in [
            "",
            "W/\"abd\"",
            "\"ab\"",
            "abc",
            "w/\"abc\"",
            "\"x\", abc",
            "\"a,\"abc\"",
            "\"abc",
            "W/",
            "*x",
            "\"x\" \"abc\"x",
        ] {
            assert!(!none_match_hits(field, TAG), "{field}");
        }
        // A strong tag compares the same way.
        assert!(none_match_hits("W/\"abc\"", "\"abc\""));
    }

    #[test]
    fn weak_etags_are_stable_and_quoted() {
        let tag = weak_etag(b"{\"id\":\"a\"}");
        assert_eq!(tag, weak_etag(b"{\"id\":\"a\"}"));
        assert_ne!(tag, weak_etag(b"{\"id\":\"b\"}"));
        assert!(tag.starts_with("W/\"") && tag.ends_with('"') && tag.len() == 4 + 22, "{tag}");
        assert!(HeaderValue::from_str(&tag).is_ok());
        assert!(none_match_hits(&tag, &tag));
    }

    #[test]
    fn shared_policy() {
        assert_eq!(shared_cache_control(60, 600), "public, max-age=60, stale-while-revalidate=600");
        assert_eq!(shared_cache_control(0, 0), "public, max-age=0");
    }
}
