//! The API of docs/api.md over real HTTP on loopback, against a real SQLite file (and, for what
//! touches the database, a real PostgreSQL too): every endpoint and every error code.

mod common;

use std::io::Read;

use common::{comment, request, Backend, TestServer};
use kiosque_server::cli::CaptchaPolicy;
use kiosque_server::content::Library;
use kiosque_server::store::Action;
use serde_json::{json, Value};

fn ids(items: &Value) -> Vec<String> {
    items.as_array().expect("items").iter().map(|item| item["id"].as_str().unwrap_or("?").to_string()).collect()
}

#[test]
fn content_loading_skips_bad_files_by_name_and_reason() {
    let dir = tempfile::tempdir().expect("temporary directory");
    common::write_articles(dir.path());
    let (library, skipped) = Library::load(dir.path()).expect("loads");
    assert_eq!(library.len(), 13);
    let reasons: Vec<(String, String)> = skipped.into_iter().map(|s| (s.file, s.reason)).collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert_eq!(reasons[0].0, "casse.json");
    assert!(reasons[0].1.contains("malformed"), "{reasons:?}");
    assert_eq!(reasons[1].0, "doublon.json");
    assert!(reasons[1].1.contains("“ouvert” is already taken"), "{reasons:?}");
    assert_eq!(reasons[2].0, "sans-titre.json");
    assert!(reasons[2].1.contains("headline"), "{reasons:?}");
    // Only top-level files: the one in a subdirectory is not an article of the site.
    assert!(library.get("cache").is_none());
    assert!(Library::load(&dir.path().join("absent")).is_err());
}

#[test]
fn the_repository_fixtures_all_load() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let (library, skipped) = Library::load(&fixtures).expect("loads");
    assert!(skipped.is_empty(), "{skipped:?}");
    assert!(library.get("fr-complet").is_some(), "a 1.0 document, without version");
    let tables = library.get("fr-tableaux").expect("a 1.1 document");
    assert!(tables.article.body.iter().any(|block| matches!(block, kiosque::model::Block::Table(_))));
    assert!(tables.article.body.iter().any(|block| matches!(block, kiosque::model::Block::Embed(_))));
    assert!(library.len() >= 9);
}

#[test]
fn an_article_is_served_as_written() {
    let server = TestServer::start(|_| {});
    let reply = server.get("/api/articles/ouvert");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("cache-control"), Some("public, max-age=60, stale-while-revalidate=600"));
    let written = std::fs::read_to_string(server.content_dir().join("00.json")).expect("read");
    assert_eq!(reply.body, written);

    let encoded = server.get("/api/articles/l%27%C3%A9t%C3%A9%202026");
    assert_eq!(encoded.status, 200);
    assert_eq!(encoded.json()["id"], "l'été 2026");

    let missing = server.get("/api/articles/nulle-part");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.error(), "not_found");
    assert_eq!(server.get("/api/articles/casse").status, 404, "a broken file is not served");
}

#[test]
fn answers_are_gzipped_for_clients_that_ask() {
    let server = TestServer::start(|_| {});
    let plain = server.get("/api/articles/ouvert");
    assert_eq!(plain.header("content-encoding"), None);
    let gzipped = request(server.addr, "GET", "/api/articles/ouvert", &[("Accept-Encoding", "gzip")], None);
    assert_eq!(gzipped.status, 200);
    assert_eq!(gzipped.header("content-encoding"), Some("gzip"));
    assert!(gzipped.header("vary").is_some_and(|vary| vary.to_ascii_lowercase().contains("accept-encoding")));
    let mut text = String::new();
    flate2::read::GzDecoder::new(gzipped.bytes.as_slice()).read_to_string(&mut text).expect("gzip");
    assert_eq!(text, plain.body);
    // Errors too: they are JSON like the rest.
    let missing = request(server.addr, "GET", "/api/articles/absent", &[("Accept-Encoding", "gzip")], None);
    assert_eq!((missing.status, missing.header("content-encoding")), (404, Some("gzip")));
}

#[test]
fn related_news_from_the_article_itself() {
    let server = TestServer::start(|_| {});
    let reply = server.get("/api/articles/avec-liens/related");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("cache-control"), Some("public, max-age=60, stale-while-revalidate=600"));
    let body = reply.json();
    assert_eq!(body["title"], "À lire aussi");
    assert_eq!(body["next"], Value::Null);
    // The unsafe item and the one without a link are skipped, as the widget skips them.
    assert_eq!(
        body["items"],
        json!([
            {
                "id": "ouvert",
                "url": "https://journal.example/ouvert",
                "src": "/api/articles/ouvert",
                "headline": "Ouvert",
                "section": { "label": "Économie", "url": null },
                "image": null,
                "published": "2026-11-20T08:00:00Z",
            },
            {
                "id": "inconnu",
                "url": "/inconnu",
                "src": "/ailleurs/inconnu.json",
                "headline": "Inconnu",
                "section": null,
                "image": { "url": "/images/inconnu.jpg", "alt": "", "caption": null, "credit": null, "width": null, "height": null },
                "published": null,
            },
        ])
    );
}

#[test]
fn related_news_from_the_section_newest_first_in_pages() {
    let server = TestServer::start(|_| {});
    let first = server.get("/api/articles/ouvert/related").json();
    assert_eq!(first["title"], Value::Null);
    assert_eq!(ids(&first["items"]), ["avec-liens", "ferme", "eco-8", "eco-7", "eco-6", "eco-5"]);
    assert_eq!(first["next"], "/api/articles/ouvert/related?page=2");
    let second = server.get("/api/articles/ouvert/related?page=2").json();
    assert_eq!(ids(&second["items"]), ["eco-4", "eco-3", "eco-2", "eco-1"]);
    assert_eq!(second["next"], Value::Null);
    let past_the_end = server.get("/api/articles/ouvert/related?page=9").json();
    assert_eq!(past_the_end, json!({ "title": null, "items": [], "next": null }));

    let item = &first["items"][2];
    assert_eq!(
        item,
        &json!({
            "id": "eco-8",
            "url": "/articles/eco-8",
            "src": "/api/articles/eco-8",
            "headline": "Titre de eco-8",
            "section": { "label": "Économie", "url": "/rubriques/Économie" },
            "image": null,
            "published": "2026-11-08T12:00:00+01:00",
        })
    );
    // An article's own url wins over /articles/{id}.
    let from_ferme = server.get("/api/articles/ferme/related?limit=2").json();
    assert_eq!(ids(&from_ferme["items"]), ["avec-liens", "ouvert"]);
    assert_eq!(from_ferme["items"][1]["url"], "https://journal.example/ouvert");
    assert_eq!(from_ferme["items"][1]["image"]["width"], 1200);
    assert_eq!(from_ferme["next"], "/api/articles/ferme/related?page=2&limit=2");
    let last = server.get("/api/articles/ferme/related?page=5&limit=2").json();
    assert_eq!(ids(&last["items"]), ["eco-2", "eco-1"]);
    assert_eq!(last["next"], Value::Null);

    // Alone in its section, or without one: nothing related.
    assert_eq!(server.get("/api/articles/sans-rubrique/related").json()["items"], json!([]));
    let alone = server.get("/api/articles/l%27%C3%A9t%C3%A9%202026/related").json();
    assert_eq!(alone, json!({ "title": null, "items": [], "next": null }));
}

#[test]
fn related_news_refuses_bad_pages_and_limits() {
    let server = TestServer::start(|_| {});
    for query in ["page=0", "page=-1", "page=x", "page=", "limit=0", "limit=51", "limit=1.5", "page=99999999999"] {
        let reply = server.get(&format!("/api/articles/ouvert/related?{query}"));
        assert_eq!(reply.status, 400, "{query}");
        assert_eq!(reply.error(), "bad_request");
    }
    assert_eq!(server.get("/api/articles/ouvert/related?limit=50&other=1").status, 200);
    assert_eq!(server.get("/api/articles/nulle-part/related").error(), "not_found");
}

fn a_comment_is_stored_and_listed(backend: Backend) {
    let server = TestServer::start_on(backend, |_| {});
    let reply = server.post_comment("ouvert", json!({ "text": "  <b>Bonjour</b> & merci\n\nDeux lignes.  " }));
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let stored = reply.json()["comment"].clone();
    assert_eq!(stored["id"], "1");
    assert_eq!(stored["parent"], Value::Null);
    assert_eq!(stored["author"], json!({ "name": "Awa Ndiaye", "url": "https://awa.example" }));
    assert_eq!(stored["text"], "<b>Bonjour</b> & merci\n\nDeux lignes.", "text, trimmed, never HTML");
    assert_eq!(stored["status"], "approved");
    let created = stored["created"].as_str().expect("created");
    assert!(kiosque::model::Timestamp::parse(created).is_some() && created.ends_with('Z'), "{created}");
    assert!(!reply.body.contains("awa@example.org"), "never the email");

    let list = server.get("/api/articles/ouvert/comments");
    assert_eq!(list.status, 200);
    assert_eq!(list.header("cache-control"), Some("no-cache"));
    let actions = json!({ "vote": true, "edit_seconds": 900, "notify": false });
    assert_eq!(list.json(), json!({ "items": [stored], "total": 1, "next": null, "reader_actions": actions }));
    assert!(!list.body.contains("awa@example.org"));
    assert_eq!(server.get("/api/articles/ferme/comments").json(), json!({ "items": [], "total": 0, "next": null, "reader_actions": actions }));
    assert_eq!(server.get("/api/articles/nulle-part/comments").error(), "not_found");
    assert_eq!(server.count_rows(), 1);
}

fn threads_are_listed_depth_first_and_paged_by_thread(backend: Backend) {
    let server = TestServer::start_on(backend, |_| {});
    let post = |parent: Option<&str>, text: &str| -> String {
        let reply = server.post_comment("ouvert", json!({ "parent": parent, "text": text }));
        assert_eq!(reply.status, 201, "{}", reply.body);
        reply.json()["comment"]["id"].as_str().expect("id").to_string()
    };
    let a = post(None, "A");
    let b = post(None, "B");
    let a1 = post(Some(&a), "A1");
    let a1x = post(Some(&a1), "A1x");
    let b1 = post(Some(&b), "B1");
    let a2 = post(Some(&a), "A2");
    let c = post(None, "C");

    let texts = |body: &Value| -> Vec<String> {
        body["items"].as_array().expect("items").iter().map(|c| c["text"].as_str().unwrap_or("?").to_string()).collect()
    };
    let all = server.get("/api/articles/ouvert/comments").json();
    assert_eq!(texts(&all), ["A", "A1", "A1x", "A2", "B", "B1", "C"]);
    assert_eq!(all["total"], 7);
    assert_eq!(all["items"][2]["parent"], Value::String(a1.clone()));
    assert_eq!(all["items"][5]["parent"], Value::String(b.clone()));

    let first = server.get("/api/articles/ouvert/comments?limit=1").json();
    assert_eq!(texts(&first), ["A", "A1", "A1x", "A2"]);
    assert_eq!(first["total"], 7);
    assert_eq!(first["next"], "/api/articles/ouvert/comments?page=2&limit=1");
    let second = server.get("/api/articles/ouvert/comments?page=2&limit=1").json();
    assert_eq!(texts(&second), ["B", "B1"]);
    let third = server.get("/api/articles/ouvert/comments?page=3&limit=1").json();
    assert_eq!(texts(&third), ["C"]);
    assert_eq!(third["next"], Value::Null);
    assert_eq!(server.get("/api/articles/ouvert/comments?page=4&limit=1").json()["items"], json!([]));

    // Newest threads first; a thread's replies still in the order they were written.
    let newest = server.get("/api/articles/ouvert/comments?sort=newest&limit=2").json();
    assert_eq!(texts(&newest), ["C", "B", "B1"]);
    assert_eq!(newest["next"], "/api/articles/ouvert/comments?page=2&limit=2&sort=newest");
    let rest = server.get("/api/articles/ouvert/comments?page=2&limit=2&sort=newest").json();
    assert_eq!(texts(&rest), ["A", "A1", "A1x", "A2"]);
    assert_eq!(texts(&server.get("/api/articles/ouvert/comments?sort=oldest").json()), texts(&all));
    for query in ["page=0", "limit=0", "limit=101", "page=a", "sort=best"] {
        assert_eq!(server.get(&format!("/api/articles/ouvert/comments?{query}")).error(), "bad_request", "{query}");
    }
    assert_eq!(ids(&all["items"]), [a.as_str(), &a1, &a1x, &a2, &b, &b1, &c]);
}

fn moderation_holds_comments_until_approved(backend: Backend) {
    let server = TestServer::start_on(backend, |options| options.moderation = true);
    let reply = server.post_comment("ouvert", json!({}));
    assert_eq!(reply.status, 201);
    let pending = reply.json()["comment"].clone();
    assert_eq!(pending["status"], "pending");
    assert_eq!(server.get("/api/articles/ouvert/comments").json()["total"], 0);
    // A reply to a pending comment is accepted but shown only with its parent.
    let reply = server.post_comment("ouvert", json!({ "parent": pending["id"], "text": "Réponse" }));
    assert_eq!(reply.status, 201, "{}", reply.body);
    let reply_id: i64 = reply.json()["comment"]["id"].as_str().and_then(|id| id.parse().ok()).expect("id");

    // Approved through a store of its own, as the moderation commands do while the server runs.
    let store = server.store();
    assert_eq!(common::block_on(store.moderate(vec![reply_id], Action::Approve, "test", 0)), Ok(vec![reply_id]));
    assert_eq!(server.get("/api/articles/ouvert/comments").json()["total"], 0, "parent still pending");
    let parent_id: i64 = pending["id"].as_str().and_then(|id| id.parse().ok()).expect("id");
    assert_eq!(common::block_on(store.moderate(vec![parent_id], Action::Approve, "test", 0)), Ok(vec![parent_id]));
    let list = server.get("/api/articles/ouvert/comments").json();
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"][0]["status"], "approved");
    assert_eq!(list["items"][0]["text"], pending["text"]);
}

fn posting_to_an_unknown_or_closed_article(backend: Backend) {
    let server = TestServer::start_on(backend, |_| {});
    let unknown = server.post_comment("nulle-part", json!({}));
    assert_eq!((unknown.status, unknown.error()), (404, "not_found".to_string()));
    let closed = server.post_comment("ferme", json!({}));
    assert_eq!((closed.status, closed.error()), (409, "closed".to_string()));
    assert_eq!(server.count_rows(), 0);
}

#[test]
fn the_body_must_be_small_json() {
    let server = TestServer::start(|_| {});
    let path = "/api/articles/ouvert/comments";
    let huge = comment(json!({ "text": "x".repeat(17 * 1024) })).to_string();
    let reply = request(server.addr, "POST", path, &[("Content-Type", "application/json")], Some(huge.as_bytes()));
    assert_eq!((reply.status, reply.error()), (413, "too_large".to_string()));

    let good = comment(json!({})).to_string();
    let reply = request(server.addr, "POST", path, &[("Content-Type", "text/plain")], Some(good.as_bytes()));
    assert_eq!((reply.status, reply.error()), (415, "unsupported_media_type".to_string()));
    let reply = request(server.addr, "POST", path, &[], Some(good.as_bytes()));
    assert_eq!(reply.status, 415);
    let reply = request(server.addr, "POST", path, &[("Content-Type", "application/json; charset=utf-8")], Some(good.as_bytes()));
    assert_eq!(reply.status, 201, "parameters of the media type are fine");

    for malformed in ["{", "", "[]", "\"texte\"", "{\"text\": 12}", "{\"elapsed_ms\": \"5000\"}", "{\"parent\": 3}", "{\"captcha\": \"stub\"}"] {
        let reply = request(server.addr, "POST", path, &[("Content-Type", "application/json")], Some(malformed.as_bytes()));
        assert_eq!((reply.status, reply.error()), (400, "bad_request".to_string()), "{malformed}");
    }
    assert_eq!(server.count_rows(), 1);
}

#[test]
fn every_rule_of_the_form_is_checked_again() {
    let server = TestServer::start(|_| {});
    let reply = server.post_comment(
        "ouvert",
        json!({
            "author_name": " \n ",
            "author_email": "awa@",
            "author_url": "javascript:alert(1)",
            "text": "é".repeat(5001),
            "idempotency_key": "pas de blancs",
        }),
    );
    assert_eq!(reply.status, 422);
    assert_eq!(reply.error(), "validation");
    assert_eq!(
        reply.json()["fields"],
        json!({
            "author_name": "required",
            "author_email": "invalid_email",
            "author_url": "invalid_url",
            "text": "too_long",
            "idempotency_key": "invalid",
        })
    );
    let reply = server.post_comment("ouvert", json!({ "author_name": "n".repeat(101), "author_email": null, "text": null }));
    assert_eq!(reply.json()["fields"], json!({ "author_name": "too_long", "author_email": "required", "text": "required" }));
    let reply = server.post_comment("ouvert", json!({ "author_email": format!("{}@example.org", "a".repeat(250)), "author_url": format!("https://a.example/{}", "p".repeat(2000)) }));
    assert_eq!(reply.json()["fields"], json!({ "author_email": "too_long", "author_url": "too_long" }));
    // Limits are characters: 5000 "é" (10 000 bytes) pass.
    assert_eq!(server.post_comment("ouvert", json!({ "text": "é".repeat(5000) })).status, 201);
    assert_eq!(server.count_rows(), 1);
}

#[test]
fn email_can_be_made_optional() {
    let server = TestServer::start(|options| options.email = kiosque::model::comment::EmailPolicy::Optional);
    assert_eq!(server.get("/api/config").json()["email"], "optional");
    assert_eq!(server.post_comment("ouvert", json!({ "author_email": null })).status, 201);
    assert_eq!(server.post_comment("ouvert", json!({ "author_email": "" })).status, 201);
    let reply = server.post_comment("ouvert", json!({ "author_email": "pas-une-adresse" }));
    assert_eq!(reply.json()["fields"], json!({ "author_email": "invalid_email" }));
}

fn a_parent_must_be_a_comment_of_the_same_article(backend: Backend) {
    let server = TestServer::start_on(backend, |_| {});
    let on_other = server.post_comment("eco-1", json!({}));
    let other_id = on_other.json()["comment"]["id"].clone();
    for parent in [other_id, json!("999"), json!("abc"), json!(""), json!("-1")] {
        let reply = server.post_comment("ouvert", json!({ "parent": parent }));
        assert_eq!(reply.status, 422, "{parent}");
        assert_eq!(reply.error(), "validation");
        assert_eq!(reply.json()["fields"], json!({ "parent": "not_found" }), "{parent}");
    }
    // Reported together with the other fields.
    let reply = server.post_comment("ouvert", json!({ "parent": "999", "text": "" }));
    assert_eq!(reply.json()["fields"], json!({ "parent": "not_found", "text": "required" }));
    assert_eq!(server.count_rows(), 1);
}

#[test]
fn spam_is_rejected_without_saying_why() {
    let server = TestServer::start(|_| {});
    let honeypot = server.post_comment("ouvert", json!({ "honeypot": "http://spam.example" }));
    let too_fast = server.post_comment("ouvert", json!({ "elapsed_ms": 2999 }));
    let no_time = server.post_comment("ouvert", json!({ "elapsed_ms": null }));
    let negative = server.post_comment("ouvert", json!({ "elapsed_ms": -5 }));
    // Spam checks come before the fields: a bot learns nothing about the form.
    let both = server.post_comment("ouvert", json!({ "honeypot": "x", "text": "" }));
    for reply in [&honeypot, &too_fast, &no_time, &negative, &both] {
        assert_eq!(reply.status, 422);
        assert_eq!(reply.error(), "rejected");
        assert_eq!(reply.body, honeypot.body, "the same answer whichever check failed");
    }
    assert_eq!(server.post_comment("ouvert", json!({ "elapsed_ms": 3000.5, "honeypot": "   " })).status, 201);
    assert_eq!(server.count_rows(), 1);

    let patient = TestServer::start(|options| options.min_elapsed_ms = 10_000);
    assert_eq!(patient.post_comment("ouvert", json!({ "elapsed_ms": 9999 })).error(), "rejected");
    assert_eq!(patient.post_comment("ouvert", json!({ "elapsed_ms": 10_000 })).status, 201);
}

#[test]
fn stub_captcha_checks_format_and_score() {
    let server = TestServer::start(|_| {});
    for (captcha, message) in [
        (Value::Null, "required"),
        (json!({ "kind": "stub", "token": "stub:1:abc:0.49" }), "score"),
        (json!({ "kind": "stub", "token": "stub:1:abc" }), "malformed"),
        (json!({ "kind": "stub" }), "malformed"),
        (json!({ "kind": "none", "token": "" }), "not accepted"),
        (json!({ "kind": "recaptcha", "token": "x" }), "not accepted"),
    ] {
        let reply = server.post_comment("ouvert", json!({ "captcha": captcha }));
        assert_eq!((reply.status, reply.error()), (403, "captcha".to_string()), "{captcha}");
        assert!(reply.json()["message"].as_str().is_some_and(|m| m.contains(message)), "{captcha}: {}", reply.body);
    }
    assert_eq!(server.post_comment("ouvert", json!({ "captcha": { "kind": "stub", "token": "stub:1:abc:0.5" } })).status, 201);
    assert_eq!(server.count_rows(), 1);
}

#[test]
fn captcha_policies() {
    let pow_only = TestServer::start(|options| options.captcha = CaptchaPolicy::Pow);
    assert_eq!(pow_only.get("/api/config").json()["captcha"], "pow");
    assert_eq!(pow_only.post_comment("ouvert", json!({})).error(), "captcha", "stub refused under --captcha pow");

    let stub_only = TestServer::start(|options| options.captcha = CaptchaPolicy::Stub);
    let pow = json!({ "kind": "pow", "token": "e30=" });
    assert_eq!(stub_only.post_comment("ouvert", json!({ "captcha": pow })).error(), "captcha");
    assert_eq!(stub_only.post_comment("ouvert", json!({})).status, 201);

    let none = TestServer::start(|options| options.captcha = CaptchaPolicy::None);
    assert_eq!(none.post_comment("ouvert", json!({ "captcha": null })).status, 201);
    assert_eq!(none.post_comment("ouvert", json!({ "captcha": { "kind": "none", "token": "" } })).status, 201);
    assert_eq!(none.post_comment("ouvert", json!({ "captcha": { "kind": "stub", "token": "stub:1:a:0" } })).status, 201);
    assert_eq!(none.count_rows(), 3);
}

#[test]
fn config_describes_the_form() {
    let server = TestServer::start(|options| options.moderation = true);
    assert_eq!(
        server.get("/api/config").json(),
        json!({
            "captcha": "any",
            "email": "required",
            "moderation": true,
            "notifications": false,
            "limits": { "author_name": 100, "author_email": 254, "author_url": 2000, "text": 5000 },
            "votes": true,
            "edit_window": 900,
        })
    );
    assert_eq!(server.get("/api/health").json(), json!({ "status": "ok" }));
}

fn idempotency_keys_return_the_first_comment(backend: Backend) {
    let server = TestServer::start_on(backend, |_| {});
    let key = json!({ "idempotency_key": "6f1c2b0e-5d7a-4c36-9a51-0c7d2f3e8b14" });
    let first = server.post_comment("ouvert", key.clone());
    assert_eq!(first.status, 201);
    // Same key, even with other content (a resent request): the first answer, nothing stored.
    let again = server.post_comment("ouvert", json!({ "idempotency_key": key["idempotency_key"], "text": "Autre" }));
    assert_eq!((again.status, &again.body), (201, &first.body));
    // Not even the captcha or spam checks run again.
    let replay = server.post_comment("ouvert", json!({ "idempotency_key": key["idempotency_key"], "captcha": null, "elapsed_ms": 1 }));
    assert_eq!((replay.status, &replay.body), (201, &first.body));
    assert_eq!(server.count_rows(), 1);
    // Keys are per article.
    assert_eq!(server.post_comment("eco-1", key.clone()).json()["comment"]["id"], "2");
    // A request that failed leaves no trace: its key can be used again.
    let failed = server.post_comment("ouvert", json!({ "idempotency_key": "k-2", "text": "" }));
    assert_eq!(failed.status, 422);
    assert_eq!(server.post_comment("ouvert", json!({ "idempotency_key": "k-2" })).status, 201);
    assert_eq!(server.count_rows(), 3);
}

fn rate_limit_answers_429_with_retry_after(backend: Backend) {
    let server = TestServer::start_on(backend, |options| {
        options.rate_limit = Some(kiosque_server::cli::RateLimit { burst: 2, per_minute: 6 });
    });
    assert_eq!(server.post_comment("ouvert", json!({})).status, 201);
    // Every POST counts, whatever its answer.
    assert_eq!(server.post_comment("ouvert", json!({ "text": "" })).status, 422);
    let limited = server.post_comment("ouvert", json!({}));
    assert_eq!((limited.status, limited.error()), (429, "rate_limited".to_string()));
    let retry_after: u64 = limited.header("retry-after").and_then(|v| v.parse().ok()).expect("Retry-After header");
    assert!((1..=10).contains(&retry_after), "{retry_after}");
    assert_eq!(limited.json()["retry_after"], retry_after);
    // Reading is not limited.
    assert_eq!(server.get("/api/articles/ouvert/comments").status, 200);
    assert_eq!(server.count_rows(), 1);
}

#[test]
fn cors_allows_only_listed_origins() {
    let server = TestServer::start(|options| options.allow_origins = vec!["https://news.example".into()]);
    let get = |origin: &str| request(server.addr, "GET", "/api/articles/ouvert", &[("Origin", origin)], None);
    assert_eq!(get("https://news.example").header("access-control-allow-origin"), Some("https://news.example"));
    assert_eq!(get("https://evil.example").header("access-control-allow-origin"), None);
    assert_eq!(get("https://news.example.evil.example").header("access-control-allow-origin"), None);

    let preflight = |origin: &str| {
        request(
            server.addr,
            "OPTIONS",
            "/api/articles/ouvert/comments",
            &[("Origin", origin), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "content-type")],
            None,
        )
    };
    let allowed = preflight("https://news.example");
    assert!(allowed.status < 300, "{allowed:?}");
    assert_eq!(allowed.header("access-control-allow-origin"), Some("https://news.example"));
    assert!(allowed.header("access-control-allow-methods").is_some_and(|m| m.contains("POST")), "{allowed:?}");
    assert!(allowed.header("access-control-allow-headers").is_some_and(|h| h.contains("content-type")), "{allowed:?}");
    let refused = preflight("https://evil.example");
    assert_eq!(refused.header("access-control-allow-origin"), None);

    // Errors carry the CORS headers too, so an allowed page can read why it failed.
    let origin = [("Origin", "https://news.example"), ("Content-Type", "application/json")];
    let error = request(server.addr, "POST", "/api/articles/ferme/comments", &origin, Some(comment(json!({})).to_string().as_bytes()));
    assert_eq!(error.status, 409);
    assert_eq!(error.header("access-control-allow-origin"), Some("https://news.example"));
    assert!(error.header("access-control-expose-headers").is_some_and(|h| h.contains("retry-after")));
}

#[test]
fn every_error_is_json() {
    let server = TestServer::start(|_| {});
    let cases = [
        ("GET", "/api/nothing", 404, "not_found"),
        ("GET", "/", 404, "not_found"),
        ("GET", "/fixtures/fr-complet.json", 404, "not_found"),
        ("DELETE", "/api/articles/ouvert", 405, "method_not_allowed"),
        ("PUT", "/api/articles/ouvert/comments", 405, "method_not_allowed"),
        ("POST", "/api/captcha/challenge", 405, "method_not_allowed"),
        ("GET", "/api/articles/%FF", 400, "bad_request"),
        ("GET", "/test/fault/x", 404, "not_found"),
    ];
    for (method, path, status, code) in cases {
        let reply = request(server.addr, method, path, &[], None);
        assert_eq!((reply.status, reply.error()), (status, code.to_string()), "{method} {path}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    }
}

#[test]
fn static_files_like_a_host_site() {
    let server = TestServer::start(|options| options.static_dir = Some(options.content.join("../dist")));
    let dist = server.dir.path().join("dist");
    std::fs::create_dir_all(dist.join("examples")).expect("dist");
    std::fs::write(dist.join("index.html"), "<!doctype html><title>demo</title>").expect("write");
    std::fs::write(dist.join("kiosque_bg.wasm"), b"\0asm\x01\0\0\0").expect("write");
    std::fs::write(dist.join("kiosque.js"), "export {}").expect("write");
    std::fs::write(dist.join("examples").join("index.html"), "<p>exemple</p>").expect("write");
    std::fs::write(server.dir.path().join("secret.txt"), "outside").expect("write");

    let index = server.get("/");
    assert_eq!((index.status, index.header("content-type")), (200, Some("text/html; charset=utf-8")));
    assert!(index.body.contains("demo"));
    assert_eq!(index.header("content-security-policy"), None);
    assert_eq!(server.get("/kiosque_bg.wasm").header("content-type"), Some("application/wasm"));
    assert_eq!(server.get("/kiosque.js").header("content-type"), Some("text/javascript; charset=utf-8"));
    let example = server.get("/examples/");
    assert_eq!(example.body, "<p>exemple</p>");
    assert_eq!(
        example.header("content-security-policy"),
        Some("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'")
    );
    assert!(server.get("/examples/index.html").header("content-security-policy").is_some());
    let redirect = server.get("/examples");
    assert_eq!((redirect.status, redirect.header("location")), (307, Some("/examples/")));
    let head = request(server.addr, "HEAD", "/kiosque.js", &[], None);
    assert_eq!((head.status, head.body.as_str()), (200, ""));

    // A release build's precompressed siblings go to browsers that accept them.
    std::fs::write(dist.join("kiosque.js.br"), "brotli bytes").expect("write");
    std::fs::write(dist.join("kiosque.js.gz"), "gzip bytes").expect("write");
    let encoded = |accept: &str| {
        let reply = request(server.addr, "GET", "/kiosque.js", &[("accept-encoding", accept)], None);
        assert_eq!(reply.header("content-type"), Some("text/javascript; charset=utf-8"));
        assert_eq!(reply.header("vary"), Some("accept-encoding"));
        (reply.header("content-encoding").map(str::to_string), reply.body)
    };
    assert_eq!(encoded("gzip, deflate, br, zstd"), (Some("br".into()), "brotli bytes".into()));
    assert_eq!(encoded("gzip, deflate"), (Some("gzip".into()), "gzip bytes".into()));
    assert_eq!(encoded("br;q=0, identity"), (None, "export {}".into()));
    assert_eq!(server.get("/kiosque.js").body, "export {}");

    for path in ["/absent.js", "/../secret.txt", "/%2e%2e/secret.txt", "/examples/%2e%2e/%2e%2e/secret.txt", "/api/x"] {
        let reply = server.get(path);
        assert_eq!((reply.status, reply.error()), (404, "not_found".to_string()), "{path}");
    }
    let post = request(server.addr, "POST", "/index.html", &[], Some(b"x"));
    assert_eq!((post.status, post.error()), (405, "method_not_allowed".to_string()));
    // The API still answers alongside.
    assert_eq!(server.get("/api/articles/ouvert").status, 200);
}

#[test]
fn test_mode_faults_and_pages() {
    let server = TestServer::start(|options| {
        options.test_mode = true;
        options.test_pages = Some(options.content.join("../pages"));
    });
    let pages = server.dir.path().join("pages");
    std::fs::create_dir_all(&pages).expect("pages");
    std::fs::write(pages.join("host.html"), "<main></main>").expect("write");
    std::fs::write(server.content_dir().join("fr-complet.json"), server.get("/api/articles/ouvert").body).expect("write");

    let set = |name: &str, fault: Value| {
        let reply = server.post_json(&format!("/test/fault/{name}"), &fault);
        assert_eq!(reply.status, 204, "{}", reply.body);
    };
    // Unset: the default fixture.
    let default = server.get("/test/fault/rien");
    assert_eq!((default.status, default.json()["id"].as_str()), (200, Some("ouvert")));
    assert_eq!(default.header("cache-control"), Some("no-store"));

    set("f", json!({ "mode": "status", "status": 503 }));
    let reply = server.get("/test/fault/f");
    assert_eq!((reply.status, reply.json()), (503, json!({ "error": "fault", "message": "injected 503" })));
    set("f", json!({ "mode": "malformed" }));
    let reply = server.get("/test/fault/f");
    assert_eq!(reply.status, 200);
    assert!(serde_json::from_str::<Value>(&reply.body).is_err());
    set("f", json!({ "mode": "missing" }));
    assert!(server.get("/test/fault/f").json().get("headline").is_none());
    set("f", json!({ "mode": "ok", "fixture": "01.json" }));
    assert_eq!(server.get("/test/fault/f").json()["id"], "ferme");
    set("f", json!({ "mode": "ok", "fixture": "../data/kiosque.sqlite3" }));
    assert_eq!(server.get("/test/fault/f").status, 404);
    set("f", json!({ "mode": "slow", "delayMs": 300, "fixture": "02.json" }));
    let start = std::time::Instant::now();
    assert_eq!(server.get("/test/fault/f").json()["id"], "sans-rubrique");
    assert!(start.elapsed() >= std::time::Duration::from_millis(300));
    // Names are independent.
    assert_eq!(server.get("/test/fault/autre").status, 200);
    assert_eq!(server.post_json("/test/fault/pas%20bien", &json!({})).status, 400);

    let page = server.get("/test/pages/host.html");
    assert_eq!((page.status, page.body.as_str()), (200, "<main></main>"));
    assert_eq!(server.get("/test/pages/../data/secret.key").status, 404);
}

fn test_mode_comment_faults_strike_before_or_after_storing(backend: Backend) {
    let server = TestServer::start_on(backend, |options| options.test_mode = true);
    let comments = |server: &TestServer| server.get("/api/articles/ouvert/comments").json()["total"].as_u64();
    let fault = |after_store: bool| json!({ "fail": 1, "status": 503, "after_store": after_store });
    assert_eq!(server.post_json("/test/comment-fault/ouvert", &fault(false)).status, 204);
    let body = comment(json!({ "idempotency_key": "avant" }));
    let failed = server.post_json("/api/articles/ouvert/comments", &body);
    assert_eq!((failed.status, failed.error().as_str()), (503, "injected"));
    assert_eq!(comments(&server), Some(0), "nothing stored before the failure");
    assert_eq!(server.post_json("/api/articles/ouvert/comments", &body).status, 201, "the fault is used up");

    assert_eq!(server.post_json("/test/comment-fault/ouvert", &fault(true)).status, 204);
    let body = comment(json!({ "idempotency_key": "apres" }));
    assert_eq!(server.post_json("/api/articles/ouvert/comments", &body).status, 503);
    assert_eq!(comments(&server), Some(2), "stored, though the answer was lost");
    let replay = server.post_json("/api/articles/ouvert/comments", &body);
    assert_eq!(replay.status, 201);
    assert_eq!(comments(&server), Some(2), "the retry with the same key stores nothing more");

    let normal = TestServer::start_on(backend, |_| {});
    assert_eq!(normal.post_json("/test/comment-fault/ouvert", &fault(false)).status, 404, "test mode only");
}

fn graceful_shutdown_finishes_requests_in_flight(backend: Backend) {
    let mut server = TestServer::start_on(backend, |options| options.test_mode = true);
    assert_eq!(server.post_json("/test/fault/lent", &json!({ "mode": "slow", "delayMs": 800, "fixture": "00.json" })).status, 204);
    let addr = server.addr;
    let in_flight = std::thread::spawn(move || request(addr, "GET", "/test/fault/lent", &[], None));
    std::thread::sleep(std::time::Duration::from_millis(200));
    server.signal_stop();
    let reply = in_flight.join().expect("request thread");
    assert_eq!((reply.status, reply.json()["id"].as_str()), (200, Some("ouvert")));
    drop(server);
    assert!(common::try_request(addr, "GET", "/api/health", &[], None).is_err(), "stopped");
}

on_both_backends!(
    a_comment_is_stored_and_listed,
    threads_are_listed_depth_first_and_paged_by_thread,
    moderation_holds_comments_until_approved,
    posting_to_an_unknown_or_closed_article,
    a_parent_must_be_a_comment_of_the_same_article,
    idempotency_keys_return_the_first_comment,
    rate_limit_answers_429_with_retry_after,
    test_mode_comment_faults_strike_before_or_after_storing,
    graceful_shutdown_finishes_requests_in_flight,
);
