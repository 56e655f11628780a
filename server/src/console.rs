//! The newsroom console (`--console DIR`, trunk's build of `console/`) at `/admin/`, under a strict
//! Content-Security-Policy: scripts from this server only, plus trunk's one inline start-up script,
//! allowed by its SHA-256 (computed here from the page as served, so a new build needs no
//! configuration); no framing, no referrer. `/admin/api/` is the admin API, never a file.

use std::path::Path;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::errors::ApiError;
use crate::files;

/// Where the console is served.
pub const PREFIX: &str = "/admin";
const INDEX: &str = "index.html";

/// The policy of every console answer; `script_hashes` are the page's inline scripts.
pub fn content_security_policy(script_hashes: &[String]) -> String {
    let inline: String = script_hashes.iter().map(|hash| format!(" 'sha256-{hash}'")).collect();
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'{inline}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The base64 SHA-256 of the text of each inline `<script>` of `page` (one without `src`), as CSP
/// hashes name them.
pub fn inline_script_hashes(page: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(page);
    let Ok(scripts) = scraper::Selector::parse("script:not([src])") else { return Vec::new() };
    document
        .select(&scripts)
        .map(|script| {
            let text: String = script.text().collect();
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
        })
        .collect()
}

/// Trunk's content-hashed names: `kiosque-console-<hex>_bg.wasm`, `kiosque-console-<hex>.js`,
/// `console-<hex>.css` (the hash a seahash in hex, so 1 to 16 digits; 8 at least in practice).
pub fn is_trunk_hashed(file_name: &str) -> bool {
    let Some((stem, _extension)) = file_name.split_once('.') else { return false };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let Some((_, hash)) = stem.rsplit_once('-') else { return false };
    (8..=16).contains(&hash.len()) && hash.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
}

fn secure_headers(headers: &mut HeaderMap, policy: &str) {
    if let Ok(value) = HeaderValue::from_str(policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
}

/// The page, read on every request (a few KB) so that a rebuild is served at once, with the CSP
/// that allows its own inline script.
async fn index(root: &Path, method: &Method) -> Response {
    let page = match tokio::fs::read_to_string(root.join(INDEX)).await {
        Ok(page) => page,
        Err(error) => {
            tracing::error!(dir = %root.display(), %error, "the console's index.html cannot be read");
            let mut response = ApiError::not_found("The console is not built (console/dist/index.html).").into_response();
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            return response;
        }
    };
    let policy = content_security_policy(&inline_script_hashes(&page));
    let body = if *method == Method::HEAD { Body::empty() } else { Body::from(page) };
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(files::CACHE_REVALIDATE));
    secure_headers(headers, &policy);
    response
}

/// Answers `path` (under [`PREFIX`], not the API) from the console's build in `root`.
pub async fn serve(root: &Path, path: &str, method: &Method, request_headers: &HeaderMap) -> Response {
    if !matches!(*method, Method::GET | Method::HEAD) {
        return ApiError::with_code(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "The console's files are read with GET.")
            .into_response();
    }
    let inner = path.strip_prefix(PREFIX).unwrap_or(path);
    if inner.is_empty() {
        return Redirect::permanent("/admin/").into_response();
    }
    // The console is one page: its screens are in the page's state, not in paths.
    if inner == "/" || inner == "/index.html" {
        return index(root, method).await;
    }
    let mut response = files::serve(root, inner, method, request_headers).await;
    let file_name = inner.rsplit('/').next().unwrap_or_default();
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let cache = if is_trunk_hashed(file_name) { files::CACHE_IMMUTABLE } else { files::CACHE_REVALIDATE };
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    secure_headers(response.headers_mut(), &content_security_policy(&[]));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed() {
        let page = r#"<html><head><script type="module">import init from "/admin/a.js";init();</script>
            <script src="/admin/b.js"></script></head></html>"#;
        let hashes = inline_script_hashes(page);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(br#"import init from "/admin/a.js";init();"#));
        assert_eq!(hashes, vec![expected]);
        let policy = content_security_policy(&hashes);
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    }

    #[test]
    fn trunk_hashed_names() {
        for name in ["kiosque-console-3f2a9b0c1d4e5f60_bg.wasm", "kiosque-console-3f2a9b0c1d4e5f60.js", "console-0badcafe.css"] {
            assert!(is_trunk_hashed(name), "{name}");
        }
        for name in ["index.html", "kiosque-console.js", "favicon.svg", "console-XYZ12345.css", "a-1234.js"] {
            assert!(!is_trunk_hashed(name), "{name}");
        }
    }
}
