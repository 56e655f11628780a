//! `kill -9` in the middle of a burst of writes, then a restart on the same data: every comment
//! that was acknowledged with 201 is there, and the database is intact.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{start_binary, try_request, Backend, PgCluster};
use serde_json::json;

const WRITERS: usize = 8;
/// Kill once this many comments were acknowledged (or after KILL_AFTER, whichever comes first).
const ACKNOWLEDGED_BEFORE_KILL: usize = 200;
const KILL_AFTER: Duration = Duration::from_secs(10);
const MAX_POSTS_PER_WRITER: usize = 2000;

fn acknowledged_comments_survive_kill_9(backend: Backend) {
    let dir = common::site_dir();
    let content = dir.path().join("content");
    let database = common::database_for(backend, dir.path()).as_flag();
    let args = [
        "--database", database.as_str(),
        "--content", content.to_str().expect("utf-8 path"),
        "--moderation", "off",
        "--rate-limit", "off",
        "--captcha", "none",
    ];
    let mut server = start_binary(&args);
    let addr = server.addr;
    let acknowledged: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let (acknowledged, stop) = (Arc::clone(&acknowledged), Arc::clone(&stop));
            std::thread::spawn(move || {
                for n in 0..MAX_POSTS_PER_WRITER {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let text = format!("écrivain {writer}, message {n}");
                    let body = common::comment(json!({ "text": text, "idempotency_key": format!("w{writer}-{n}") })).to_string();
                    let headers = [("Content-Type", "application/json")];
                    match try_request(addr, "POST", "/api/articles/ouvert/comments", &headers, Some(body.as_bytes())) {
                        Ok(reply) if reply.status == 201 => {
                            let id = reply.json()["comment"]["id"].as_str().unwrap_or_default().to_string();
                            acknowledged.lock().expect("lock").push((id, text));
                        }
                        Ok(reply) => panic!("unexpected answer before the kill: {reply:?}"),
                        // The server is gone: that request was never acknowledged.
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    while acknowledged.lock().expect("lock").len() < ACKNOWLEDGED_BEFORE_KILL && started.elapsed() < KILL_AFTER {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.child.kill().expect("SIGKILL");
    let _ = server.child.wait();
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.join().expect("writer");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(acknowledged.len() >= ACKNOWLEDGED_BEFORE_KILL.min(10), "the burst was under way: {}", acknowledged.len());

    // Restart on the same data: everything acknowledged is there, and nothing is corrupt.
    let restarted = start_binary(&args);
    let by_id = stored_texts(backend, &database);
    for (id, text) in &acknowledged {
        let stored = by_id.get(&id.parse::<i64>().expect("numeric id"));
        assert_eq!(stored, Some(text), "acknowledged comment {id}");
    }
    let listed = try_request(restarted.addr, "GET", "/api/articles/ouvert/comments?limit=100", &[], None).expect("list");
    let total = listed.json()["total"].as_u64().expect("total");
    assert!(total >= acknowledged.len() as u64, "{total} listed, {} acknowledged", acknowledged.len());
    // And the restarted server takes new comments.
    let body = common::comment(json!({})).to_string();
    let reply = try_request(restarted.addr, "POST", "/api/articles/ouvert/comments", &[("Content-Type", "application/json")], Some(body.as_bytes()))
        .expect("post");
    assert_eq!(reply.status, 201);
    let mut restarted = restarted;
    let _ = restarted.child.kill();
    let _ = restarted.child.wait();
    eprintln!("{backend:?}: {} comments acknowledged before kill -9, all found after restart", acknowledged.len());
}

/// Every comment's text by id, read straight from the database after checking it is intact.
fn stored_texts(backend: Backend, database: &str) -> HashMap<i64, String> {
    match backend {
        Backend::Sqlite => {
            let path = database.strip_prefix("sqlite:").expect("a SQLite database");
            let connection = rusqlite::Connection::open(path).expect("open");
            let integrity: String = connection.query_row("PRAGMA integrity_check", [], |row| row.get(0)).expect("integrity_check");
            assert_eq!(integrity, "ok");
            let mut statement = connection.prepare("SELECT id, text FROM comments").expect("select");
            let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).expect("query");
            rows.collect::<Result<_, _>>().expect("rows")
        }
        Backend::Postgres => PgCluster::sql(database, "SELECT id || ' ' || text FROM comments")
            .lines()
            .filter_map(|line| line.split_once(' '))
            .map(|(id, text)| (id.parse().expect("id"), text.to_string()))
            .collect(),
    }
}

on_both_backends!(acknowledged_comments_survive_kill_9);
