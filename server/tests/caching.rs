//! HTTP caching over real HTTP: how long each static file and each API answer may be kept, their
//! validators and the `304`s they earn, the precompressed copies, and that the file server stays
//! inside its root.

mod common;

use std::io::Read;

use common::{request, Backend, Reply, TestServer};
use serde_json::json;
use kiosque_server::store::Action;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const LOADER: &str = "public, max-age=300, must-revalidate";
const ARTICLE: &str = "public, max-age=60, stale-while-revalidate=600";
const GLUE: &str = "/kiosque-0123456789abcdef.js";
const WASM: &str = "/kiosque_bg-fedcba9876543210.wasm";
const STYLESHEET: &str = "/kiosque-00112233445566ff.css";

/// A server with a release build's layout in `<dir>/dist`: hashed widget files (the glue with
/// precompressed copies), the loader, pages, and a file outside the root that must stay there.
fn static_server(configure: impl FnOnce(&mut kiosque_server::cli::ServeOptions)) -> TestServer {
    let server = TestServer::start(|options| {
        options.static_dir = Some(options.content.join("../dist"));
        configure(options);
    });
    let dist = server.dir.path().join("dist");
    std::fs::create_dir_all(dist.join("examples")).expect("dist");
    let write = |path: &str, bytes: &[u8]| std::fs::write(dist.join(path.trim_start_matches('/')), bytes).expect("write");
    write("index.html", b"<!doctype html><title>demo</title>");
    write("examples/index.html", b"<p>exemple</p>");
    write(GLUE, b"export default function init() {}");
    write(&format!("{GLUE}.br"), b"brotli bytes");
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gzip, b"export default function init() {}").expect("gzip");
    write(&format!("{GLUE}.gz"), &gzip.finish().expect("gzip"));
    write(WASM, b"\0asm\x01\0\0\0");
    write(STYLESHEET, b".kq { color: black }");
    write("/kiosque-loader.js", b"import('./kiosque-0123456789abcdef.js')");
    std::fs::write(server.dir.path().join("secret.txt"), "outside").expect("write");
    server
}

fn get(server: &TestServer, path: &str, headers: &[(&str, &str)]) -> Reply {
    request(server.addr, "GET", path, headers, None)
}

#[test]
fn hashed_files_are_immutable_the_loader_short_lived_the_rest_revalidated() {
    let server = static_server(|_| {});
    for (path, cache_control, content_type) in [
        (GLUE, IMMUTABLE, "text/javascript; charset=utf-8"),
        (WASM, IMMUTABLE, "application/wasm"),
        (STYLESHEET, IMMUTABLE, "text/css; charset=utf-8"),
        ("/kiosque-loader.js", LOADER, "text/javascript; charset=utf-8"),
        ("/", "no-cache", "text/html; charset=utf-8"),
        ("/index.html", "no-cache", "text/html; charset=utf-8"),
        ("/examples/", "no-cache", "text/html; charset=utf-8"),
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("cache-control"), Some(cache_control), "{path}");
        assert_eq!(reply.header("content-type"), Some(content_type), "{path}");
        assert!(reply.header("last-modified").is_some(), "{path}: every static file has a validator");
        assert_eq!(reply.header("vary"), Some("accept-encoding"), "{path}");
    }
    let head = request(server.addr, "HEAD", WASM, &[], None);
    assert_eq!((head.status, head.body.as_str(), head.header("content-length")), (200, "", Some("8")));
    assert_eq!(head.header("cache-control"), Some(IMMUTABLE));
}

#[test]
fn static_files_answer_304_to_if_modified_since() {
    let server = static_server(|_| {});
    for (path, accept_encoding, cache_control) in [
        (WASM, "identity", IMMUTABLE),
        (GLUE, "gzip, deflate, br", IMMUTABLE),
        ("/kiosque-loader.js", "gzip, br", LOADER),
        ("/", "gzip", "no-cache"),
    ] {
        let first = get(&server, path, &[("accept-encoding", accept_encoding)]);
        let last_modified = first.header("last-modified").expect("Last-Modified").to_string();
        let again = get(&server, path, &[("accept-encoding", accept_encoding), ("if-modified-since", &last_modified)]);
        assert_eq!((again.status, again.body.as_str()), (304, ""), "{path}");
        assert_eq!(again.header("cache-control"), Some(cache_control), "{path}");
        let older = "Mon, 01 Jan 2001 00:00:00 GMT";
        let changed = get(&server, path, &[("accept-encoding", accept_encoding), ("if-modified-since", older)]);
        assert_eq!(changed.status, 200, "{path}: a file newer than the browser's copy is sent again");
        assert!(!changed.bytes.is_empty(), "{path}");
    }
}

#[test]
fn precompressed_copies_go_to_browsers_that_accept_them() {
    let server = static_server(|_| {});
    let brotli = get(&server, GLUE, &[("accept-encoding", "gzip, deflate, br, zstd")]);
    assert_eq!((brotli.header("content-encoding"), brotli.body.as_str()), (Some("br"), "brotli bytes"));
    assert_eq!(brotli.header("content-length"), Some("12"));
    assert_eq!(brotli.header("content-type"), Some("text/javascript; charset=utf-8"));
    assert_eq!(brotli.header("vary"), Some("accept-encoding"));
    assert_eq!(brotli.header("cache-control"), Some(IMMUTABLE));

    let gzip = get(&server, GLUE, &[("accept-encoding", "gzip, deflate")]);
    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    let mut decoded = String::new();
    flate2::read::GzDecoder::new(gzip.bytes.as_slice()).read_to_string(&mut decoded).expect("gzip body");
    assert_eq!(decoded, "export default function init() {}");

    for accept in ["identity", "br;q=0, identity", ""] {
        let plain = get(&server, GLUE, &[("accept-encoding", accept)]);
        assert_eq!((plain.header("content-encoding"), plain.body.as_str()), (None, "export default function init() {}"), "{accept:?}");
    }
}

#[test]
fn the_file_server_stays_inside_its_root() {
    let server = static_server(|_| {});
    assert_eq!(server.get("/kiosque-loader.js").status, 200);
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/examples/%2e%2e/%2e%2e/secret.txt",
        "/examples/..%2f..%2fsecret.txt",
        "/a%2f..%2f..%2fsecret.txt",
        "/%00",
        "/kiosque-loader.js%00.txt",
        "/%zz",
        "/%c3",
        "/absent.js",
    ] {
        let reply = server.get(path);
        assert_eq!((reply.status, reply.error()), (404, "not_found".to_string()), "{path}");
        assert!(!reply.body.contains("outside"), "{path}");
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{path}: an error is never cached");
    }
    let post = request(server.addr, "POST", GLUE, &[], Some(b"x"));
    assert_eq!((post.status, post.error()), (405, "method_not_allowed".to_string()));
}

#[test]
fn examples_get_the_strict_csp_and_directories_their_index() {
    let server = static_server(|_| {});
    let csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
    let example = server.get("/examples/");
    assert_eq!((example.status, example.body.as_str()), (200, "<p>exemple</p>"));
    assert_eq!(example.header("content-security-policy"), Some(csp));
    assert_eq!(server.get("/examples/index.html").header("content-security-policy"), Some(csp));
    assert_eq!(server.get("/").header("content-security-policy"), None);
    let redirect = server.get("/examples");
    assert_eq!((redirect.status, redirect.header("location")), (307, Some("/examples/")));
}

/// The `ETag` of an answer, after checking it is a weak one.
fn weak_etag(reply: &Reply) -> String {
    let etag = reply.header("etag").unwrap_or_else(|| panic!("no ETag: {reply:?}"));
    assert!(etag.starts_with("W/\"") && etag.ends_with('"'), "{etag}");
    etag.to_string()
}

#[test]
fn articles_and_related_lists_are_cached_and_revalidated_by_etag() {
    let server = TestServer::start(|options| options.allow_origins = vec!["https://news.example".into()]);
    for path in ["/api/articles/ouvert", "/api/articles/avec-liens/related", "/api/articles/eco-1/related?page=2&limit=2"] {
        let first = server.get(path);
        assert_eq!((first.status, first.header("cache-control")), (200, Some(ARTICLE)), "{path}");
        assert_eq!(first.header("vary"), Some("accept-encoding"), "{path}");
        let etag = weak_etag(&first);
        let strong = etag.trim_start_matches("W/");
        for if_none_match in [etag.as_str(), strong, "*", &format!("\"other\", {etag}"), &format!("W/\"a\",W/\"b\" , {strong}")] {
            let again = get(&server, path, &[("if-none-match", if_none_match)]);
            assert_eq!((again.status, again.body.as_str()), (304, ""), "{path} {if_none_match}");
            assert_eq!(again.header("etag"), Some(etag.as_str()), "{path}");
            assert_eq!(again.header("cache-control"), Some(ARTICLE), "{path}");
            assert_eq!(again.header("content-length").unwrap_or("0"), "0", "{path}");
        }
        for if_none_match in ["W/\"other\"", "\"\"", "garbage"] {
            let changed = get(&server, path, &[("if-none-match", if_none_match)]);
            assert_eq!((changed.status, changed.body.as_str()), (200, first.body.as_str()), "{path} {if_none_match}");
        }
    }
    // Compressed or not, the same answer has the same (weak) tag, and a 304 either way; a page on
    // an allowed origin can read it.
    let plain = server.get("/api/articles/ouvert");
    let gzipped = get(&server, "/api/articles/ouvert", &[("accept-encoding", "gzip")]);
    assert_eq!(gzipped.header("content-encoding"), Some("gzip"));
    assert_eq!(weak_etag(&gzipped), weak_etag(&plain));
    let etag = weak_etag(&plain);
    let from_page = get(
        &server,
        "/api/articles/ouvert",
        &[("accept-encoding", "gzip"), ("if-none-match", &etag), ("origin", "https://news.example")],
    );
    assert_eq!((from_page.status, from_page.body.as_str()), (304, ""));
    assert_eq!(from_page.header("content-encoding"), None);
    assert_eq!(from_page.header("access-control-allow-origin"), Some("https://news.example"));
    // Another article has another tag.
    assert_ne!(weak_etag(&server.get("/api/articles/ferme")), etag);
    let head = request(server.addr, "HEAD", "/api/articles/ouvert", &[("if-none-match", &etag)], None);
    assert_eq!(head.status, 304);
}

#[test]
fn the_article_cache_flags_change_the_policy() {
    let server = TestServer::start(|options| {
        options.article_max_age = 5;
        options.article_stale_while_revalidate = 30;
    });
    assert_eq!(server.get("/api/articles/ouvert").header("cache-control"), Some("public, max-age=5, stale-while-revalidate=30"));
    let server = TestServer::start(|options| options.article_stale_while_revalidate = 0);
    assert_eq!(server.get("/api/articles/avec-liens/related").header("cache-control"), Some("public, max-age=60"));
}

fn a_new_comment_changes_the_comments_etag_at_once(backend: Backend) {
    let server = TestServer::start_on(backend, |_| {});
    let path = "/api/articles/ouvert/comments";
    let empty = server.get(path);
    assert_eq!((empty.status, empty.header("cache-control")), (200, Some("no-cache")));
    let before = weak_etag(&empty);
    let unchanged = get(&server, path, &[("if-none-match", &before)]);
    assert_eq!((unchanged.status, unchanged.body.as_str(), unchanged.header("cache-control")), (304, "", Some("no-cache")));

    let posted = server.post_comment("ouvert", json!({ "text": "Un nouveau commentaire." }));
    assert_eq!((posted.status, posted.header("cache-control")), (201, Some("no-store")));
    assert_eq!(posted.header("etag"), None);
    let after = get(&server, path, &[("if-none-match", &before)]);
    assert_eq!(after.status, 200, "the browser's copy is out of date: the new page comes at once");
    assert_eq!(after.json()["items"][0]["text"], "Un nouveau commentaire.");
    let new_tag = weak_etag(&after);
    assert_ne!(new_tag, before);
    assert_eq!(get(&server, path, &[("if-none-match", &new_tag)]).status, 304);
    // Each page of a thread list has its own tag.
    assert_ne!(weak_etag(&server.get(&format!("{path}?page=2"))), new_tag);
}

fn a_comment_held_for_moderation_changes_nothing_until_approved(backend: Backend) {
    let server = TestServer::start_on(backend, |options| options.moderation = true);
    let path = "/api/articles/ouvert/comments";
    let before = weak_etag(&server.get(path));
    let posted = server.post_comment("ouvert", json!({}));
    assert_eq!(posted.json()["comment"]["status"], "pending");
    assert_eq!(get(&server, path, &[("if-none-match", &before)]).status, 304);
    // Approved by a moderator (a store of its own, as the moderation commands): a new page.
    let id: i64 = posted.json()["comment"]["id"].as_str().and_then(|id| id.parse().ok()).expect("comment id");
    assert_eq!(common::block_on(server.store().moderate(vec![id], Action::Approve, "test", 0)), Ok(vec![id]));
    let approved = get(&server, path, &[("if-none-match", &before)]);
    assert_eq!(approved.status, 200);
    assert_ne!(weak_etag(&approved), before);
}

#[test]
fn everything_else_under_api_is_never_stored() {
    let server = TestServer::start(|_| {});
    for path in [
        "/api/health",
        "/api/config",
        "/api/captcha/challenge",
        "/api/articles/nulle-part",
        "/api/articles/nulle-part/related",
        "/api/articles/nulle-part/comments",
        "/api/articles/ouvert/related?page=0",
        "/api/nothing",
    ] {
        let reply = get(&server, path, &[("if-none-match", "*")]);
        assert_ne!(reply.status, 304, "{path}");
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{path}");
        assert_eq!(reply.header("etag"), None, "{path}");
    }
    let refused = server.post_comment("ouvert", json!({ "text": "" }));
    assert_eq!((refused.status, refused.header("cache-control")), (422, Some("no-store")));
}

#[test]
fn static_files_of_the_test_pages_are_revalidated_too() {
    let server = TestServer::start(|options| {
        options.test_mode = true;
        options.test_pages = Some(options.content.join("../pages"));
    });
    let pages = server.dir.path().join("pages");
    std::fs::create_dir_all(&pages).expect("pages");
    std::fs::write(pages.join("host.html"), "<main></main>").expect("write");
    let page = server.get("/test/pages/host.html");
    assert_eq!((page.status, page.header("cache-control")), (200, Some("no-cache")));
    let last_modified = page.header("last-modified").expect("Last-Modified").to_string();
    assert_eq!(get(&server, "/test/pages/host.html", &[("if-modified-since", &last_modified)]).status, 304);
}

on_both_backends!(a_new_comment_changes_the_comments_etag_at_once, a_comment_held_for_moderation_changes_nothing_until_approved);
