//! Which URLs from the network may become links or image sources.

/// A URL that passed [`safe_href`]: http(s), mailto, or relative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SafeUrl {
    pub url: String,
    /// Points to another site (absolute http(s) or protocol-relative), so it gets `rel="noopener"`.
    pub external: bool,
}

/// Browsers drop tabs and newlines anywhere in a URL and ignore leading and trailing control
/// characters and spaces, so `java\tscript:` is `javascript:` to them: strip the same way first.
fn as_browser_reads_it(raw: &str) -> String {
    raw.chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_matches(|c: char| c <= ' ')
        .to_string()
}

/// The scheme of `url` in lower case, or `None` for a relative URL.
fn scheme(url: &str) -> Option<String> {
    let end = url.find([':', '/', '?', '#'])?;
    if !url[end..].starts_with(':') {
        return None;
    }
    let candidate = &url[..end];
    let mut chars = candidate.chars();
    let well_formed = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // "a:b" with an ill-formed scheme is still not relative to a browser: refuse it below.
    Some(if well_formed { candidate.to_ascii_lowercase() } else { String::from("?") })
}

/// A link target for text from the network: http(s), mailto and relative URLs only; anything else
/// (`javascript:`, `data:`, `vbscript:`, …) is refused.
pub fn safe_href(raw: &str) -> Option<SafeUrl> {
    let url = as_browser_reads_it(raw);
    if url.is_empty() || url.contains('\\') && url.starts_with(['\\', '/']) {
        // Browsers read `\\host` and `/\host` as `//host`; nobody writes those on purpose.
        return None;
    }
    match scheme(&url).as_deref() {
        None => {
            let external = url.starts_with("//");
            Some(SafeUrl { url, external })
        }
        Some("http" | "https") => Some(SafeUrl { url, external: true }),
        Some("mailto") => Some(SafeUrl { url, external: false }),
        Some(_) => None,
    }
}

/// An image source: http(s) or relative only (no `data:`, no `javascript:`, no `mailto:`).
pub fn safe_image_src(raw: &str) -> Option<String> {
    let url = as_browser_reads_it(raw);
    match scheme(&url).as_deref() {
        None if !url.is_empty() && !url.contains('\\') => Some(url),
        Some("http" | "https") => Some(url),
        _ => None,
    }
}

/// The article address a widget may load when it comes from the page's query string, which anyone
/// can craft: a relative URL or one on the page's own origin, never another site.
pub fn same_origin_src(raw: &str, page_origin: &str) -> Option<String> {
    let candidate = safe_image_src(raw)?;
    let relative = scheme(&candidate).is_none() && !candidate.starts_with("//");
    let same_origin = candidate
        .strip_prefix(page_origin)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']));
    (relative || same_origin).then_some(candidate)
}

/// An embed's address and the host it leads to: absolute `http://` or `https://` URLs only (a card
/// shows where it goes, which a relative address cannot say). The host is lower case, without user
/// information or port (ASCII letters lowered), so that `https://youtube.com@evil.example/` shows `evil.example`.
pub fn embed_target(raw: &str) -> Option<(String, String)> {
    let url = as_browser_reads_it(raw);
    if url.contains('\\') || !matches!(scheme(&url).as_deref(), Some("http" | "https")) {
        return None;
    }
    let after_scheme = &url[url.find(':')? + 1..];
    let authority = after_scheme.strip_prefix("//")?;
    let authority = &authority[..authority.find(['/', '?', '#']).unwrap_or(authority.len())];
    let host_and_port = &authority[authority.rfind('@').map_or(0, |at| at + 1)..];
    let host = match host_and_port.strip_prefix('[') {
        Some(bracketed) => &host_and_port[..bracketed.find(']')? + 2],
        None => &host_and_port[..host_and_port.find(':').unwrap_or(host_and_port.len())],
    };
    let acceptable = !host.is_empty() && !host.chars().any(|c| c <= ' ' || matches!(c, '%' | '<' | '>' | '^' | '|' | '"' | '`' | '{' | '}'));
    // ASCII only: Unicode case tables would cost the wasm kilobytes for hosts that browsers punycode anyway.
    acceptable.then(|| (url.clone(), host.to_ascii_lowercase()))
}
