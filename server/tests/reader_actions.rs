//! What readers do to comments besides writing them, over real HTTP on both backends: votes (one
//! per voter and comment, taken back, switched, never on one's own comment, rate limited), the
//! "most voted" order, and editing or deleting one's own comment with the token of its 201 while
//! `--edit-window` lasts.

mod common;

use std::time::Duration;

use common::{block_on, request, Backend, Reply, TestServer};
use kiosque_server::cli::RateLimit;
use kiosque_server::store::Action;
use serde_json::{json, Value};

const READER: &str = "lecteur-0123456789abcdef";
const OTHER: &str = "autre_lecteur_0123456789";
const AUTHOR: &str = "autrice-AAAAAAAAAAAAAAAA";

fn send(server: &TestServer, method: &str, path: &str, body: &Value) -> Reply {
    let body = body.to_string();
    request(server.addr, method, path, &[("Content-Type", "application/json")], Some(body.as_bytes()))
}

fn vote(server: &TestServer, id: &str, voter: &str, value: i64) -> Reply {
    send(server, "POST", &format!("/api/comments/{id}/vote"), &json!({ "voter": voter, "value": value }))
}

/// Posts a comment; its id and the whole 201.
fn post(server: &TestServer, overrides: Value) -> (String, Value) {
    let reply = server.post_comment("ouvert", overrides);
    assert_eq!(reply.status, 201, "{}", reply.body);
    let body = reply.json();
    (body["comment"]["id"].as_str().expect("id").to_string(), body)
}

fn list(server: &TestServer, query: &str) -> Value {
    let reply = server.get(&format!("/api/articles/ouvert/comments{query}"));
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()
}

fn listed<'a>(page: &'a Value, id: &str) -> &'a Value {
    page["items"].as_array().and_then(|items| items.iter().find(|item| item["id"] == id)).unwrap_or_else(|| panic!("{id} in {page}"))
}

fn texts(page: &Value) -> Vec<String> {
    page["items"].as_array().expect("items").iter().map(|item| item["text"].as_str().unwrap_or("[deleted]").to_string()).collect()
}

fn votes_count_once_switch_and_are_taken_back(backend: Backend) {
    let server = TestServer::start_on(backend, |_| {});
    let (id, created) = post(&server, json!({ "voter": AUTHOR }));
    assert_eq!(created["comment"]["score"], 0);
    assert_eq!(listed(&list(&server, ""), &id)["score"], 0);

    let up = vote(&server, &id, READER, 1);
    assert_eq!((up.status, up.json()), (200, json!({ "score": 1, "vote": 1 })));
    assert_eq!(vote(&server, &id, READER, 1).json(), json!({ "score": 1, "vote": 1 }), "the same vote twice counts once");
    assert_eq!(vote(&server, &id, OTHER, 1).json(), json!({ "score": 2, "vote": 1 }));
    assert_eq!(listed(&list(&server, ""), &id)["score"], 2);
    assert_eq!(vote(&server, &id, READER, -1).json(), json!({ "score": 0, "vote": -1 }), "switched: -2");
    assert_eq!(vote(&server, &id, READER, 0).json(), json!({ "score": 1, "vote": 0 }), "taken back");
    assert_eq!(vote(&server, &id, READER, 0).json(), json!({ "score": 1, "vote": 0 }), "taking back twice changes nothing");
    assert_eq!(vote(&server, &id, OTHER, -1).json(), json!({ "score": -1, "vote": -1 }));
    assert_eq!(listed(&list(&server, ""), &id)["score"], -1);

    // The author's own voter id is refused, whatever the value.
    for value in [1, -1, 0] {
        let own = vote(&server, &id, AUTHOR, value);
        assert_eq!((own.status, own.error()), (403, "own_comment".to_string()));
    }
    assert_eq!(listed(&list(&server, ""), &id)["score"], -1);
}

fn votes_on_what_readers_cannot_see_or_malformed_are_refused(backend: Backend) {
    let server = TestServer::start_on(backend, |options| options.moderation = true);
    let (pending, _) = post(&server, json!({}));
    let refused = vote(&server, &pending, READER, 1);
    assert_eq!((refused.status, refused.error()), (404, "not_found".to_string()), "pending");
    for unknown in ["999999", "abc", "-1"] {
        let refused = vote(&server, unknown, READER, 1);
        assert_eq!((refused.status, refused.error()), (404, "not_found".to_string()), "{unknown}");
    }
    let id: i64 = pending.parse().expect("id");
    assert_eq!(block_on(server.store().moderate(vec![id], Action::Approve, "test", 0)), Ok(vec![id]));
    assert_eq!(vote(&server, &pending, READER, 1).status, 200);
    assert_eq!(block_on(server.store().moderate(vec![id], Action::Delete, "test", 0)), Ok(vec![id]));
    assert_eq!(vote(&server, &pending, OTHER, 1).status, 404, "deleted");
    assert_eq!(block_on(server.store().moderate(vec![id], Action::Restore, "test", 0)), Ok(vec![id]));

    for (body, fields) in [
        (json!({ "voter": "court", "value": 1 }), json!({ "voter": "invalid" })),
        (json!({ "voter": "lecteur 0123456789abcdef", "value": 1 }), json!({ "voter": "invalid" })),
        (json!({ "value": 1 }), json!({ "voter": "invalid" })),
        (json!({ "voter": READER, "value": 2 }), json!({ "value": "invalid" })),
        (json!({ "voter": READER, "value": "1" }), json!({ "value": "invalid" })),
        (json!({ "voter": 12, "value": 0.5 }), json!({ "voter": "invalid", "value": "invalid" })),
    ] {
        let refused = send(&server, "POST", &format!("/api/comments/{pending}/vote"), &body);
        assert_eq!((refused.status, refused.error()), (422, "validation".to_string()), "{body}");
        assert_eq!(refused.json()["fields"], fields, "{body}");
    }
    let not_json = request(server.addr, "POST", &format!("/api/comments/{pending}/vote"), &[("Content-Type", "text/plain")], Some(b"x"));
    assert_eq!(not_json.status, 415);
    assert_eq!(list(&server, "")["items"][0]["score"], 1, "nothing refused was counted");

    // A comment posted with a malformed voter id is refused like any invalid field.
    let refused = server.post_comment("ouvert", json!({ "voter": "x" }));
    assert_eq!((refused.status, refused.json()["fields"].clone()), (422, json!({ "voter": "invalid" })));
}

fn votes_have_their_own_rate_limit(backend: Backend) {
    let server = TestServer::start_on(backend, |options| options.rate_limit = Some(RateLimit { burst: 2, per_minute: 1 }));
    let (id, _) = post(&server, json!({}));
    // 30 votes at once pass (the comment bucket, 1 left, is not touched), the 31st waits.
    for n in 0..30 {
        let voter = format!("lecteur-{n:016}");
        assert_eq!(vote(&server, &id, &voter, 1).status, 200, "vote {n}");
    }
    let limited = vote(&server, &id, READER, 1);
    assert_eq!((limited.status, limited.error()), (429, "rate_limited".to_string()));
    let wait: u64 = limited.header("retry-after").and_then(|value| value.parse().ok()).expect("Retry-After");
    assert!((1..=2).contains(&wait), "one vote every 2 s: {wait}");
    assert!(limited.json()["message"].as_str().is_some_and(|message| message.contains("votes")));
    assert_eq!(list(&server, "")["items"][0]["score"], 30);
    assert_eq!(server.post_comment("ouvert", json!({ "text": "Encore" })).status, 201, "commenting is a bucket of its own");
}

fn most_voted_threads_first(backend: Backend) {
    let server = TestServer::start_on(backend, |_| {});
    let (a, _) = post(&server, json!({ "text": "A" }));
    post(&server, json!({ "text": "A1", "parent": a }));
    let (b, _) = post(&server, json!({ "text": "B" }));
    let (b1, _) = post(&server, json!({ "text": "B1", "parent": b }));
    let (b2, _) = post(&server, json!({ "text": "B2", "parent": b }));
    let (c, _) = post(&server, json!({ "text": "C" }));
    post(&server, json!({ "text": "D" }));
    for voter in [READER, OTHER] {
        assert_eq!(vote(&server, &c, voter, 1).status, 200);
    }
    assert_eq!(vote(&server, &b, READER, 1).status, 200);
    // A reply's votes do not move its thread, nor its place in it.
    for voter in [READER, OTHER, AUTHOR] {
        assert_eq!(vote(&server, &b2, voter, 1).status, 200);
    }
    assert_eq!(vote(&server, &b1, READER, -1).status, 200);
    assert_eq!(vote(&server, &a, READER, -1).status, 200);

    let all = list(&server, "?sort=votes");
    assert_eq!(texts(&all), ["C", "B", "B1", "B2", "D", "A", "A1"], "scores 2, 1, 0 (oldest of the ties is D… only one), -1");
    assert_eq!(all["next"], Value::Null);
    let first = list(&server, "?sort=votes&limit=2");
    assert_eq!(texts(&first), ["C", "B", "B1", "B2"]);
    assert_eq!(first["next"], "/api/articles/ouvert/comments?page=2&limit=2&sort=votes");
    let second = list(&server, "?page=2&limit=2&sort=votes");
    assert_eq!(texts(&second), ["D", "A", "A1"]);
    assert_eq!(second["next"], Value::Null);

    // Ties keep the oldest first.
    assert_eq!(vote(&server, &a, READER, 1).status, 200);
    assert_eq!(vote(&server, &a, OTHER, 1).status, 200);
    assert_eq!(texts(&list(&server, "?sort=votes")), ["A", "A1", "C", "B", "B1", "B2", "D"]);
    assert_eq!(server.get("/api/articles/ouvert/comments?sort=sideways").error(), "bad_request");
    assert_eq!(list(&server, "")["total"], 7);
}

fn a_201_carries_a_token_and_a_replay_the_same(backend: Backend) {
    let server = TestServer::start_on(backend, |_| {});
    let before = time_now_seconds();
    let (_, first) = post(&server, json!({ "idempotency_key": "cle-1" }));
    let token = first["edit_token"].as_str().expect("a token").to_string();
    assert!(token.len() >= 22 && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{token}");
    let until = kiosque::model::Timestamp::parse(first["editable_until"].as_str().expect("until")).expect("RFC 3339").unix_ms / 1000;
    assert!((before + 899..=before + 901).contains(&until), "{until} vs {before}");

    let replay = server.post_comment("ouvert", json!({ "idempotency_key": "cle-1", "text": "Renvoyé" })).json();
    assert_eq!((&replay["comment"], &replay["edit_token"], &replay["editable_until"]), (&first["comment"], &first["edit_token"], &first["editable_until"]));
    let (_, other) = post(&server, json!({ "idempotency_key": "cle-2" }));
    let (_, unkeyed) = post(&server, json!({}));
    let tokens = [&token, other["edit_token"].as_str().expect("token"), unkeyed["edit_token"].as_str().expect("token")];
    assert!(tokens[0] != tokens[1] && tokens[1] != tokens[2] && tokens[0] != tokens[2], "{tokens:?}");
    // The database has no token, only hashes.
    let raw = stored_hashes(&server);
    assert_eq!(raw.len(), 3);
    assert!(raw.iter().all(|hash| hash.len() == 64 && !tokens.iter().any(|token| hash.contains(*token))), "{raw:?}");
}

fn time_now_seconds() -> i64 {
    kiosque_server::time::now_ms() / 1000
}

/// Every `edit_token_hash` as stored, through SQL.
fn stored_hashes(server: &TestServer) -> Vec<String> {
    match &server.database {
        kiosque_server::store::Database::Sqlite(path) => {
            let connection = rusqlite::Connection::open(path).expect("open");
            let mut statement = connection.prepare("SELECT edit_token_hash FROM comments ORDER BY id").expect("prepare");
            statement.query_map([], |row| row.get(0)).expect("query").collect::<Result<_, _>>().expect("rows")
        }
        kiosque_server::store::Database::Postgres(url) => {
            common::PgCluster::sql(url, "SELECT string_agg(edit_token_hash, ',' ORDER BY id) FROM comments").split(',').map(String::from).collect()
        }
    }
}

fn authors_edit_their_comment_with_its_token(backend: Backend) {
    let server = TestServer::start_on(backend, |_| {});
    let (id, created) = post(&server, json!({ "text": "Premier jet" }));
    let token = created["edit_token"].as_str().expect("token");
    let path = format!("/api/comments/{id}");

    let wrong = send(&server, "PATCH", &path, &json!({ "edit_token": "A".repeat(43), "text": "Piraté" }));
    assert_eq!((wrong.status, wrong.error()), (403, "forbidden".to_string()));
    let missing = send(&server, "PATCH", &path, &json!({ "text": "Piraté" }));
    assert_eq!((missing.status, missing.error()), (403, "forbidden".to_string()));
    let (_, other) = post(&server, json!({ "text": "Autre" }));
    let borrowed = send(&server, "PATCH", &path, &json!({ "edit_token": other["edit_token"], "text": "Piraté" }));
    assert_eq!(borrowed.status, 403, "another comment's token");
    for (text, code) in [(json!("   "), "required"), (json!("é".repeat(5001)), "too_long"), (Value::Null, "required")] {
        let refused = send(&server, "PATCH", &path, &json!({ "edit_token": token, "text": text }));
        assert_eq!((refused.status, refused.error()), (422, "validation".to_string()));
        assert_eq!(refused.json()["fields"], json!({ "text": code }));
    }
    let unknown = send(&server, "PATCH", "/api/comments/999999", &json!({ "edit_token": token, "text": "x" }));
    assert_eq!((unknown.status, unknown.error()), (404, "not_found".to_string()));
    assert_eq!(listed(&list(&server, ""), &id)["text"], "Premier jet");
    assert!(listed(&list(&server, ""), &id).get("edited").is_none());

    let edited = send(&server, "PATCH", &path, &json!({ "edit_token": token, "text": "  Version corrigée  " }));
    assert_eq!(edited.status, 200, "{}", edited.body);
    let comment = edited.json()["comment"].clone();
    assert_eq!((&comment["id"], &comment["text"], &comment["status"]), (&json!(id), &json!("Version corrigée"), &json!("approved")));
    assert!(comment["edited"].as_str().is_some_and(|edited| kiosque::model::Timestamp::parse(edited).is_some()), "{comment}");
    let shown = list(&server, "");
    assert_eq!((&listed(&shown, &id)["text"], &listed(&shown, &id)["edited"]), (&json!("Version corrigée"), &comment["edited"]));
    assert_eq!(shown["total"], 2);

    // The newsroom keeps what was there before, and who changed it.
    let store = server.store();
    let numeric: i64 = id.parse().expect("id");
    let versions = block_on(store.versions(numeric)).expect("versions");
    assert_eq!(versions.iter().map(|version| (version.text.as_str(), version.replaced_by.as_str())).collect::<Vec<_>>(), [("Premier jet", "author")]);
    let log = block_on(store.audit_log(10)).expect("audit");
    assert!(log.iter().any(|entry| entry.actor == "author" && entry.action == "edit" && entry.comment_id == Some(numeric)), "{log:?}");

    // A pending comment stays pending when edited.
    let held = TestServer::start_on(backend, |options| options.moderation = true);
    let (held_id, held_created) = post(&held, json!({ "text": "En attente" }));
    let edited = send(&held, "PATCH", &format!("/api/comments/{held_id}"), &json!({ "edit_token": held_created["edit_token"], "text": "Toujours" }));
    assert_eq!((edited.status, &edited.json()["comment"]["status"]), (200, &json!("pending")));
    assert_eq!(block_on(held.store().pending()).expect("pending")[0].text, "Toujours");
}

fn authors_delete_their_comment(backend: Backend) {
    let server = TestServer::start_on(backend, |_| {});
    let (alone, alone_created) = post(&server, json!({ "text": "Seul" }));
    let (parent, parent_created) = post(&server, json!({ "text": "Parent" }));
    post(&server, json!({ "text": "Réponse", "parent": parent }));
    assert_eq!(list(&server, "")["total"], 3);

    let wrong = send(&server, "DELETE", &format!("/api/comments/{alone}"), &json!({ "edit_token": parent_created["edit_token"] }));
    assert_eq!((wrong.status, wrong.error()), (403, "forbidden".to_string()));
    let deleted = send(&server, "DELETE", &format!("/api/comments/{alone}"), &json!({ "edit_token": alone_created["edit_token"] }));
    assert_eq!((deleted.status, deleted.body.as_str()), (204, ""));
    let again = send(&server, "DELETE", &format!("/api/comments/{alone}"), &json!({ "edit_token": alone_created["edit_token"] }));
    assert_eq!(again.status, 204, "deleting twice");
    assert_eq!(texts(&list(&server, "")), ["Parent", "Réponse"], "without replies, it is gone");
    assert_eq!(list(&server, "")["total"], 2);

    assert_eq!(send(&server, "DELETE", &format!("/api/comments/{parent}"), &json!({ "edit_token": parent_created["edit_token"] })).status, 204);
    let shown = list(&server, "");
    assert_eq!(texts(&shown), ["[deleted]", "Réponse"], "a placeholder keeps the reply's place");
    assert_eq!(listed(&shown, &parent)["deleted"], true);
    assert!(listed(&shown, &parent).get("text").is_none() && listed(&shown, &parent).get("score").is_none());
    assert_eq!(shown["total"], 2);
    assert_eq!(server.get("/api/counts?ids=ouvert").json()["counts"]["ouvert"], 1, "a deleted comment is not counted");
    let edit_deleted = send(&server, "PATCH", &format!("/api/comments/{parent}"), &json!({ "edit_token": parent_created["edit_token"], "text": "x" }));
    assert_eq!(edit_deleted.status, 404);
    assert_eq!(vote(&server, &parent, READER, 1).status, 404);

    // The newsroom sees who deleted it and may restore it.
    let store = server.store();
    let numeric: i64 = parent.parse().expect("id");
    let log = block_on(store.audit_log(10)).expect("audit");
    assert!(log.iter().any(|entry| entry.actor == "author" && entry.action == "delete" && entry.comment_id == Some(numeric)), "{log:?}");
    assert_eq!(block_on(store.moderate(vec![numeric], Action::Restore, "test", 0)), Ok(vec![numeric]));
    assert_eq!(texts(&list(&server, "")), ["Parent", "Réponse"]);
}

fn the_window_closes(backend: Backend) {
    let server = TestServer::start_on(backend, |options| options.edit_window = 1);
    let (id, created) = post(&server, json!({}));
    let token = created["edit_token"].clone();
    std::thread::sleep(Duration::from_millis(1100));
    for (method, body) in [("PATCH", json!({ "edit_token": token, "text": "Trop tard" })), ("DELETE", json!({ "edit_token": token }))] {
        let late = send(&server, method, &format!("/api/comments/{id}"), &body);
        assert_eq!((late.status, late.error()), (403, "edit_window_closed".to_string()), "{method}");
    }
    assert_eq!(list(&server, "")["items"][0]["text"], "Merci pour cet article.");

    let off = TestServer::start_on(backend, |options| options.edit_window = 0);
    let (id, created) = post(&off, json!({ "idempotency_key": "cle" }));
    assert!(created.get("edit_token").is_none() && created.get("editable_until").is_none(), "{created}");
    for (method, body) in [("PATCH", json!({ "edit_token": "x", "text": "Non" })), ("DELETE", json!({ "edit_token": "x" }))] {
        let refused = send(&off, method, &format!("/api/comments/{id}"), &body);
        assert_eq!((refused.status, refused.error()), (403, "edit_window_closed".to_string()), "{method}");
    }
    let config = off.get("/api/config").json();
    assert_eq!((&config["votes"], &config["edit_window"]), (&json!(true), &json!(0)));
    assert_eq!(list(&off, "")["reader_actions"], json!({ "vote": true, "edit_seconds": 0, "notify": false }));
}

fn edits_share_the_comment_rate_limit(backend: Backend) {
    let server = TestServer::start_on(backend, |options| options.rate_limit = Some(RateLimit { burst: 2, per_minute: 1 }));
    let (id, created) = post(&server, json!({}));
    let body = json!({ "edit_token": created["edit_token"], "text": "Corrigé" });
    assert_eq!(send(&server, "PATCH", &format!("/api/comments/{id}"), &body).status, 200);
    let limited = send(&server, "PATCH", &format!("/api/comments/{id}"), &body);
    assert_eq!((limited.status, limited.error()), (429, "rate_limited".to_string()));
    assert!(limited.header("retry-after").is_some());
    assert_eq!(send(&server, "DELETE", &format!("/api/comments/{id}"), &json!({ "edit_token": created["edit_token"] })).status, 429);
}

fn config_and_cors(backend: Backend) {
    let server = TestServer::start_on(backend, |options| options.allow_origins = vec!["https://journal.example".into()]);
    let config = server.get("/api/config").json();
    assert_eq!((&config["votes"], &config["edit_window"]), (&json!(true), &json!(900)));
    assert_eq!(list(&server, "")["reader_actions"], json!({ "vote": true, "edit_seconds": 900, "notify": false }), "also in every page of comments");
    for method in ["PATCH", "DELETE"] {
        let preflight = request(
            server.addr,
            "OPTIONS",
            "/api/comments/1",
            &[("Origin", "https://journal.example"), ("Access-Control-Request-Method", method), ("Access-Control-Request-Headers", "content-type")],
            None,
        );
        assert_eq!(preflight.status, 200);
        let allowed = preflight.header("access-control-allow-methods").unwrap_or_default();
        assert!(allowed.contains(method), "{allowed}");
    }
}

on_both_backends!(
    votes_count_once_switch_and_are_taken_back,
    votes_on_what_readers_cannot_see_or_malformed_are_refused,
    votes_have_their_own_rate_limit,
    most_voted_threads_first,
    a_201_carries_a_token_and_a_replay_the_same,
    authors_edit_their_comment_with_its_token,
    authors_delete_their_comment,
    the_window_closes,
    edits_share_the_comment_rate_limit,
    config_and_cors,
);
