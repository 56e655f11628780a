//! Atom feeds of comments and the listing pages' comment counts, over real HTTP, on both
//! backends; the feeds are read with feed-rs, a real feed reader's parser.

mod common;

use common::{Backend, TestServer};
use kiosque_server::store::Action;
use serde_json::json;

fn parse(body: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(body.as_bytes()).expect("a feed reader reads it")
}

fn approved_and_withheld_comments_in_feeds(backend: Backend) {
    let server = TestServer::start_on(backend, |_| {});
    let hostile = "<script>alert(1)</script> & <b>gras</b> ]]>";
    let first = server.post_comment("ouvert", json!({ "text": "Premier.", "idempotency_key": "k-feed-1" }));
    assert_eq!(first.status, 201, "{}", first.body);
    let second = server.post_comment("ouvert", json!({ "text": hostile, "author_email": "secret@example.org", "idempotency_key": "k-feed-2" }));
    assert_eq!(second.status, 201, "{}", second.body);
    let elsewhere = server.post_comment("avec-liens", json!({ "text": "Ailleurs.", "idempotency_key": "k-feed-3" }));
    assert_eq!(elsewhere.status, 201, "{}", elsewhere.body);
    let spam = server.post_comment("ouvert", json!({ "text": "Achetez.", "idempotency_key": "k-feed-4" }));
    assert_eq!(spam.status, 201, "{}", spam.body);
    let spam_id: i64 = spam.json()["comment"]["id"].as_str().and_then(|id| id.parse().ok()).expect("id");
    common::block_on(server.store().moderate(vec![spam_id], Action::Spam, "test", 1)).expect("spam");

    let reply = server.get("/api/articles/ouvert/comments.atom");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.header("content-type"), Some("application/atom+xml; charset=utf-8"));
    assert!(reply.header("etag").is_some());
    assert!(!reply.body.contains("<script>"), "{}", reply.body);
    assert!(!reply.body.contains("secret@example.org"), "no email in a feed");
    let feed = parse(&reply.body);
    assert_eq!(feed.title.as_ref().map(|title| title.content.as_str()), Some("Commentaires : Titre de ouvert"));
    let texts: Vec<String> = feed.entries.iter().filter_map(|entry| entry.content.as_ref().and_then(|c| c.body.clone())).collect();
    // Newest first, approved only: the spam is not there.
    assert_eq!(texts, vec![hostile.to_string(), "Premier.".to_string()]);
    assert_eq!(feed.entries[0].authors[0].name, "Awa Ndiaye");
    assert!(feed.entries[0].links[0].href.starts_with("https://journal.example/ouvert#kq-comment-"));

    let site = parse(&server.get("/api/comments.atom").body);
    assert_eq!(site.entries.len(), 3);
    let titles: Vec<String> = site.entries.iter().filter_map(|entry| entry.title.as_ref().map(|t| t.content.clone())).collect();
    assert!(titles.iter().any(|title| title == "Awa Ndiaye sur « Titre de ouvert »"), "{titles:?}");

    let unknown = server.get("/api/articles/nulle-part/comments.atom");
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["error"], "not_found");
}

fn counts_answer_every_id_at_once(backend: Backend) {
    let server = TestServer::start_on(backend, |_| {});
    for (n, article) in ["ouvert", "ouvert", "l%27%C3%A9t%C3%A9%202026"].iter().enumerate() {
        let reply = server.post_comment(article, json!({ "idempotency_key": format!("k-count-{n}") }));
        assert_eq!(reply.status, 201, "{}", reply.body);
    }
    let reply = server.get("/api/counts?ids=ouvert,l%27%C3%A9t%C3%A9%202026,avec-liens,nulle-part");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json(), json!({ "counts": { "ouvert": 2, "l'été 2026": 1, "avec-liens": 0, "nulle-part": 0 } }));

    let missing = server.get("/api/counts");
    assert_eq!(missing.status, 400);
    assert_eq!(missing.json()["error"], "bad_request");
    let many = (0..101).map(|n| n.to_string()).collect::<Vec<_>>().join(",");
    assert_eq!(server.get(&format!("/api/counts?ids={many}")).status, 400);
}

on_both_backends!(approved_and_withheld_comments_in_feeds, counts_answer_every_id_at_once);
