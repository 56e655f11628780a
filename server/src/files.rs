//! Static files: the built widget (`--static dist`) like a host site serves it, and the end-to-end
//! tests' host pages. Small on purpose: GET and HEAD, a directory's index.html, a fixed table of
//! types, never a file outside the root, and the precompressed `.br` / `.gz` sibling a release
//! build writes next to each widget file (like nginx's `brotli_static` / `gzip_static`) when the
//! browser accepts it: the wasm travels as 189 KB instead of 570.

use std::path::{Component, Path, PathBuf};

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;

use crate::errors::ApiError;

/// The policy the README documents for pages embedding the widget; `examples/` proves it works.
pub const STRICT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|extension| extension.to_str()).unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        // Required for WebAssembly.instantiateStreaming.
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let pair = text.get(index + 1..index + 3)?;
            decoded.push(u8::from_str_radix(pair, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

/// The file a URL path names under `root`, or `None` when the path tries to leave it.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut path = root.to_path_buf();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(segment) => path.push(segment),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(path)
}

/// The precompressed encodings this server looks for, best first: (Content-Encoding, file suffix).
const PRECOMPRESSED: [(&str, &str); 2] = [("br", "br"), ("gzip", "gz")];

/// Whether an `Accept-Encoding` header allows `coding` (a listed name or `*`, without `q=0`).
fn accepts(accept_encoding: &str, coding: &str) -> bool {
    accept_encoding.split(',').any(|entry| {
        let mut parts = entry.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let refused = parts.any(|parameter| {
            parameter.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()).is_some_and(|q| q <= 0.0)
        });
        (name.eq_ignore_ascii_case(coding) || name == "*") && !refused
    })
}

/// The bytes to send for `file` and their Content-Encoding: a precompressed sibling the request
/// accepts when there is one at least as new as the file, else the file itself.
async fn best_representation(file: &Path, request_headers: &HeaderMap) -> Option<(Vec<u8>, Option<&'static str>)> {
    let accept_encoding = request_headers.get(header::ACCEPT_ENCODING).and_then(|value| value.to_str().ok()).unwrap_or_default();
    let modified = |path: &Path| {
        let path = path.to_path_buf();
        async move { tokio::fs::metadata(path).await.and_then(|metadata| metadata.modified()).ok() }
    };
    let original_modified = modified(file).await?;
    for (coding, suffix) in PRECOMPRESSED {
        if !accepts(accept_encoding, coding) {
            continue;
        }
        let mut sibling = file.as_os_str().to_owned();
        sibling.push(".");
        sibling.push(suffix);
        let sibling = PathBuf::from(sibling);
        // A stale sibling (the file was rebuilt without it) would serve old code: skip it.
        if modified(&sibling).await.is_some_and(|time| time >= original_modified) {
            if let Ok(bytes) = tokio::fs::read(&sibling).await {
                return Some((bytes, Some(coding)));
            }
        }
    }
    tokio::fs::read(file).await.ok().map(|bytes| (bytes, None))
}

fn not_found() -> Response {
    axum::response::IntoResponse::into_response(ApiError::not_found("No such file."))
}

/// Serves `url_path` from `root`. `/examples/…` gets the strict CSP header.
pub async fn serve(root: &Path, url_path: &str, method: &Method, request_headers: &HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = axum::response::IntoResponse::into_response(StatusCode::METHOD_NOT_ALLOWED);
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let Some(mut file) = resolve(root, url_path) else { return not_found() };
    let is_directory = tokio::fs::metadata(&file).await.is_ok_and(|metadata| metadata.is_dir());
    if is_directory {
        if !url_path.ends_with('/') {
            // Relative URLs in the index resolve against the directory only with the slash.
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::PERMANENT_REDIRECT;
            if let Ok(location) = HeaderValue::from_str(&format!("{url_path}/")) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            return response;
        }
        file.push("index.html");
    }
    let Some((bytes, encoding)) = best_representation(&file, request_headers).await else { return not_found() };
    let length = bytes.len();
    let mut response = Response::new(if method == Method::HEAD { Body::empty() } else { Body::from(bytes) });
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&file)));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    // Caches must not hand a brotli body to a client that did not ask for it.
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    // Revalidate every time: the widget's files have stable names (no hash), so never stale.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if url_path.starts_with("/examples/") {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(STRICT_CSP));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_under_the_root() {
        let root = Path::new("/srv/dist");
        assert_eq!(resolve(root, "/"), Some(PathBuf::from("/srv/dist")));
        assert_eq!(resolve(root, "/a/./b%20c.js"), Some(PathBuf::from("/srv/dist/a/b c.js")));
        assert_eq!(resolve(root, "/%C3%A9t%C3%A9.json"), Some(PathBuf::from("/srv/dist/été.json")));
        for hostile in ["/../etc/passwd", "/a/../../x", "/%2e%2e/x", "/a%2f..%2f..%2fx", "/a%5c..", "/%00", "/%zz", "/%c3"] {
            assert_eq!(resolve(root, hostile), None, "{hostile}");
        }
    }

    #[test]
    fn accepted_encodings() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip;q=1.0, br;q=0.5", "br"));
        assert!(accepts("*", "gzip"));
        assert!(accepts("BR", "br"));
        assert!(!accepts("gzip, deflate", "br"));
        assert!(!accepts("br;q=0, gzip", "br"));
        assert!(!accepts("*;q=0", "gzip"));
        assert!(!accepts("", "gzip"));
        assert!(!accepts("brotli", "br"));
    }

    #[test]
    fn types() {
        assert_eq!(content_type(Path::new("kiosque_bg.wasm")), "application/wasm");
        assert_eq!(content_type(Path::new("a.js")), "text/javascript; charset=utf-8");
        assert_eq!(content_type(Path::new("noextension")), "application/octet-stream");
    }
}
