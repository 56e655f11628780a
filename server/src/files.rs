//! Static files: the built widget (`--static dist`) like a host site serves it, and the end-to-end
//! tests' host pages. tower-http's `ServeDir` does the serving (GET and HEAD, a directory's
//! index.html with the trailing-slash redirect, never a file outside the root, `Last-Modified` and
//! `304` on `If-Modified-Since`, ranges, and the precompressed `.br` / `.gz` sibling a release
//! build writes next to each widget file when the browser accepts it); this module adds how long
//! each file may be cached, `Vary`, the charset of text files and the strict CSP of `/examples/`.

use std::path::Path;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use crate::errors::ApiError;

/// The policy the README documents for pages embedding the widget; `examples/` proves it works.
pub const STRICT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

/// The loader's stable name: what publishers embed, and the one file that knows the hashed names.
pub const LOADER_FILE: &str = "kiosque-loader.js";

/// A content-hashed name never changes meaning: a new build gives its files new names.
pub const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The loader is cached briefly: a release reaches readers within five minutes, and the loader
/// (a few hundred bytes) is revalidated rather than downloaded again after that.
pub const CACHE_LOADER: &str = "public, max-age=300, must-revalidate";
/// Pages and every other file: kept, but revalidated on every use.
pub const CACHE_REVALIDATE: &str = "no-cache";

/// Hex digits of the content hash in a release build's file names (`kiosque-<hash>.js`), as
/// `scripts/post-build.mjs` writes them.
const HASH_DIGITS: usize = 16;

/// Whether a file name carries its content's hash: `<stem>-<16 lowercase hex digits>.<extension>`.
pub fn is_content_hashed(file_name: &str) -> bool {
    let Some((stem, _extension)) = file_name.split_once('.') else { return false };
    let Some((_, hash)) = stem.rsplit_once('-') else { return false };
    hash.len() == HASH_DIGITS && hash.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
}

/// The `Cache-Control` of a file served at `url_path`.
pub fn cache_control(url_path: &str) -> &'static str {
    let file_name = url_path.rsplit('/').next().unwrap_or_default();
    if is_content_hashed(file_name) {
        CACHE_IMMUTABLE
    } else if file_name == LOADER_FILE {
        CACHE_LOADER
    } else {
        CACHE_REVALIDATE
    }
}

/// `ServeDir` names text types without a charset; every text file here is UTF-8.
fn with_utf8_charset(headers: &mut HeaderMap) {
    let Some(content_type) = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()) else { return };
    if content_type.starts_with("text/") && !content_type.contains("charset") {
        if let Ok(value) = HeaderValue::from_str(&format!("{content_type}; charset=utf-8")) {
            headers.insert(header::CONTENT_TYPE, value);
        }
    }
}

fn not_found() -> Response {
    let mut response = ApiError::not_found("No such file.").into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Serves `url_path` (still percent-encoded, as in the request line) from `root`, answering the
/// conditional, range and encoding headers of `request_headers`.
pub async fn serve(root: &Path, url_path: &str, method: &Method, request_headers: &HeaderMap) -> Response {
    let Ok(uri) = url_path.parse::<Uri>() else { return not_found() };
    let mut request = Request::new(Body::empty());
    *request.method_mut() = method.clone();
    *request.uri_mut() = uri;
    *request.headers_mut() = request_headers.clone();
    let service = ServeDir::new(root).precompressed_br().precompressed_gzip();
    let response = match service.oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    let (mut parts, body) = response.into_parts();
    let status = parts.status;
    if status == StatusCode::NOT_FOUND {
        // ServeDir's empty 404 would become a generic JSON error; say what was missing.
        return not_found();
    }
    let headers = &mut parts.headers;
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control(url_path)));
        // Caches must not hand a brotli body to a client that did not ask for it.
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    } else {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    with_utf8_charset(headers);
    if url_path.starts_with("/examples/") {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(STRICT_CSP));
    }
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names() {
        for name in ["kiosque-0123456789abcdef.js", "kiosque_bg-0123456789abcdef.wasm", "a-b-fedcba9876543210.css", "x-0123456789abcdef.wasm.br"] {
            assert!(is_content_hashed(name), "{name}");
        }
        for name in [
            "kiosque.js",
            "kiosque-loader.js",
            "kiosque-0123456789ABCDEF.js",
            "kiosque-0123456789abcde.js",
            "kiosque-0123456789abcdef0.js",
            "0123456789abcdef.js",
            "kiosque-0123456789abcdef",
            "",
        ] {
            assert!(!is_content_hashed(name), "{name}");
        }
    }

    #[test]
    fn policies() {
        assert_eq!(cache_control("/kiosque_bg-0123456789abcdef.wasm"), CACHE_IMMUTABLE);
        assert_eq!(cache_control("/kiosque/kiosque-0123456789abcdef.css"), CACHE_IMMUTABLE);
        assert_eq!(cache_control("/kiosque-loader.js"), CACHE_LOADER);
        assert_eq!(cache_control("/kiosque/kiosque-loader.js"), CACHE_LOADER);
        for path in ["/", "/index.html", "/examples/", "/kiosque.js", "/demo.css", "/fixtures/fr-complet.json"] {
            assert_eq!(cache_control(path), CACHE_REVALIDATE, "{path}");
        }
    }

    #[test]
    fn text_is_utf8() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript"));
        with_utf8_charset(&mut headers);
        assert_eq!(headers[header::CONTENT_TYPE], "text/javascript; charset=utf-8");
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/wasm"));
        with_utf8_charset(&mut headers);
        assert_eq!(headers[header::CONTENT_TYPE], "application/wasm");
    }
}
