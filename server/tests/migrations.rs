//! Schema migrations and backups: a database of the first release (which recorded no migrations)
//! is brought up to date without losing a comment, a schema newer than the binary is refused, and
//! `backup` copies a database that is being written to.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use common::{block_on, run_binary, start_binary, try_request, PgCluster, TestServer};
use kiosque_server::store::{Action, Database, Status, Store};
use serde_json::json;

const LEGACY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/legacy-v1/kiosque.sqlite3");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures");

/// A directory with the first release's database (made by it: 4 comments on two of the
/// repository's fixtures, #3 still pending, #2 a reply to #1, keys legacy-key-1 and -2) and those
/// articles.
fn legacy_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    let content = dir.path().join("content");
    std::fs::create_dir_all(dir.path().join("data")).expect("data directory");
    std::fs::create_dir_all(&content).expect("content directory");
    std::fs::copy(LEGACY, dir.path().join("data/kiosque.sqlite3")).expect("copy the legacy database");
    for article in ["fr-complet.json", "en-minimal.json"] {
        std::fs::copy(format!("{FIXTURES}/{article}"), content.join(article)).expect("copy an article");
    }
    dir
}

#[test]
fn a_database_of_the_first_release_migrates_without_loss() {
    let server = TestServer::start_in(legacy_dir(), |options| options.moderation = true);
    let list = server.get("/api/articles/fr-complet/comments").json();
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"][0]["text"], "Merci pour cet article.\n\nDeuxième paragraphe, avec « guillemets » et émojis 🎉.");
    assert_eq!(list["items"][0]["author"], json!({ "name": "Awa Ndiaye", "url": "https://awa.example" }));
    assert_eq!(list["items"][0]["created"], "2026-11-29T15:27:35Z");
    assert_eq!((&list["items"][1]["parent"], &list["items"][1]["text"]), (&json!("1"), &json!("Je ne suis pas d’accord.")));
    assert_eq!(server.get("/api/articles/en-minimal/comments").json()["items"][0]["text"], "An English comment.");

    let store = server.store();
    let pending = block_on(store.pending()).expect("pending");
    assert_eq!(pending.len(), 1);
    assert_eq!((pending[0].id, pending[0].author_email.as_deref(), pending[0].status), (3, Some("fatou@example.org"), Status::Pending));
    assert_eq!(block_on(store.schema_version()), Ok(6));
    // Migration 0005: the old comments have no votes, were never edited by their authors, and
    // no one holds a token to edit them; they take votes like new ones.
    assert_eq!((&list["items"][0]["score"], list["items"][0].get("edited")), (&json!(0), None));
    let voted = server.post_json("/api/comments/1/vote", &json!({ "voter": "lecteur-0123456789abcdef", "value": 1 }));
    assert_eq!((voted.status, voted.json()), (200, json!({ "score": 1, "vote": 1 })));
    let edit = common::request(server.addr, "PATCH", "/api/comments/1", &[("Content-Type", "application/json")], Some(br#"{"edit_token":"x","text":"y"}"#));
    assert_eq!(edit.status, 403);
    // The old idempotency keys still answer with their comment; new comments follow the old ids.
    let replay = server.post_comment("fr-complet", json!({ "idempotency_key": "legacy-key-1", "text": "Renvoyé" }));
    assert_eq!((replay.status, &replay.json()["comment"]["id"]), (201, &json!("1")));
    assert!(replay.json().get("edit_token").is_none(), "a comment stored before 0005 has no token to give");
    assert_eq!(server.post_comment("fr-complet", json!({})).json()["comment"]["id"], "5");
    assert_eq!(server.count_rows(), 5);

    // Migration 0003 rebuilt the table: same ids, the self-reference kept but no cascade any more,
    // and deleting a parent keeps its reply.
    let file = server.data_dir().join("kiosque.sqlite3");
    let connection = rusqlite::Connection::open(&file).expect("open");
    let schema: String = connection.query_row("SELECT sql FROM sqlite_master WHERE name = 'comments'", [], |row| row.get(0)).expect("schema");
    assert!(schema.contains("REFERENCES \"comments\"(id)") && !schema.contains("CASCADE") && schema.contains("'deleted'"), "{schema}");
    let check: String = connection.query_row("PRAGMA foreign_key_check", [], |row| row.get(0)).unwrap_or_else(|_| "ok".into());
    assert_eq!(check, "ok");
    drop(connection);
    assert_eq!(block_on(store.moderate(vec![1], Action::Delete, "test", 0)), Ok(vec![1]));
    let list = server.get("/api/articles/fr-complet/comments").json();
    assert_eq!((list["total"].clone(), list["items"][0]["deleted"].clone(), list["items"][1]["parent"].clone()), (json!(2), json!(true), json!("1")));

    // A second start applies nothing more.
    let dir = server.stop();
    let again = TestServer::start_in(dir, |_| {});
    assert_eq!((again.count_rows(), block_on(again.store().schema_version())), (5, Ok(6)));
}

#[test]
fn a_schema_newer_than_the_binary_is_refused() {
    let dir = legacy_dir();
    let database = Database::in_data_dir(&dir.path().join("data"));
    block_on(Store::open(&database)).expect("migrated");
    let connection = rusqlite::Connection::open(dir.path().join("data/kiosque.sqlite3")).expect("open");
    connection.execute("INSERT INTO schema_migrations (version, name, applied_ms) VALUES (99, 'future', 0)", []).expect("insert");
    drop(connection);
    let data = dir.path().join("data");
    let (code, _, stderr) = run_binary(&["--data", data.to_str().expect("path"), "--content", dir.path().join("content").to_str().expect("path")]);
    assert_eq!(code, 1);
    assert!(stderr.contains("schema is at version 99, newer than this kiosque-server knows (6)"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    let url = PgCluster::shared().new_database();
    block_on(Store::open(&Database::Postgres(url.clone()))).expect("migrated");
    assert_eq!(PgCluster::sql(&url, "SELECT string_agg(version || ':' || name, ',' ORDER BY version) FROM schema_migrations"), "1:comments,2:rate_limits,3:moderation,4:wordpress_comments,5:reader_actions,6:reply_notifications");
    PgCluster::sql(&url, "INSERT INTO schema_migrations (version, name, applied_ms) VALUES (99, 'future', 0)");
    let refused = block_on(Store::open(&Database::Postgres(url.clone()))).err().map(|error| error.to_string()).unwrap_or_default();
    assert!(refused.contains("schema is at version 99, newer than this kiosque-server knows (6)"), "{refused}");
}

#[test]
fn backup_copies_a_database_that_is_being_written() {
    let dir = common::site_dir();
    let content = dir.path().join("content");
    let data = dir.path().join("data");
    let data_arg = data.to_str().expect("path").to_string();
    let server = start_binary(&["--data", &data_arg, "--content", content.to_str().expect("path"), "--moderation", "off", "--rate-limit", "off", "--captcha", "none"]);
    let addr = server.addr;
    let writing = Arc::new(AtomicBool::new(true));
    let writer = {
        let writing = Arc::clone(&writing);
        std::thread::spawn(move || {
            let mut stored = 0;
            while writing.load(Ordering::Relaxed) {
                let body = common::comment(json!({ "text": format!("message {stored}") })).to_string();
                let reply = try_request(addr, "POST", "/api/articles/ouvert/comments", &[("Content-Type", "application/json")], Some(body.as_bytes()));
                assert_eq!(reply.expect("post").status, 201);
                stored += 1;
            }
            stored
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    let copy = dir.path().join("copie.sqlite3");
    let copy_arg = copy.to_str().expect("path");
    let (code, stdout, stderr) = run_binary(&["backup", copy_arg, "--data", &data_arg]);
    writing.store(false, Ordering::Relaxed);
    let written = writer.join().expect("writer");
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("To restore"), "{stdout}");

    // The copy is a whole database: it opens, passes its integrity check and lists what it holds.
    let connection = rusqlite::Connection::open(&copy).expect("open the copy");
    let integrity: String = connection.query_row("PRAGMA integrity_check", [], |row| row.get(0)).expect("check");
    assert_eq!(integrity, "ok");
    let copied: i64 = connection.query_row("SELECT count(*) FROM comments", [], |row| row.get(0)).expect("count");
    assert!(copied >= 1 && copied <= written, "{copied} copied of {written}");
    drop(connection);
    // Restoring, as the README says: the copy in place of the database file, then start.
    let restore_dir = common::site_dir();
    std::fs::create_dir_all(restore_dir.path().join("data")).expect("data directory");
    std::fs::copy(&copy, restore_dir.path().join("data/kiosque.sqlite3")).expect("restore");
    let restored = TestServer::start_in(restore_dir, |_| {});
    assert_eq!(restored.get("/api/articles/ouvert/comments?limit=100").json()["total"], copied);

    let (code, _, stderr) = run_binary(&["backup", copy_arg, "--data", &data_arg]);
    assert_eq!(code, 1);
    assert!(stderr.contains("already exists"), "{stderr}");
    let url = PgCluster::shared().new_database();
    let (code, _, stderr) = run_binary(&["backup", dir.path().join("pg.sql").to_str().expect("path"), "--database", &url]);
    assert_eq!(code, 1);
    assert!(stderr.contains("pg_dump"), "{stderr}");
    assert!(!stderr.contains("kiosque-test"), "never the password: {stderr}");
    let mut server = server;
    let _ = server.child.kill();
    let _ = server.child.wait();
}
