//! A few hundred concurrent POSTs, many repeating an idempotency key: exactly one comment per key,
//! every client of a key gets the same comment, and nothing but 201s.

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use common::{Backend, TestServer};
use serde_json::json;

const THREADS: usize = 24;
const REQUESTS: usize = 360;
/// Every key is sent by 3 requests, spread over different threads.
const DISTINCT_KEYS: usize = 120;
/// And some requests carry no key at all: each of those is its own comment.
const WITHOUT_KEY_EVERY: usize = 9;

fn concurrent_posts_with_repeated_keys_store_exactly_one_comment_per_key(backend: Backend) {
    let server = Arc::new(TestServer::start_on(backend, |_| {}));
    let started = std::time::Instant::now();
    let workers: Vec<_> = (0..THREADS)
        .map(|thread| {
            let server = Arc::clone(&server);
            std::thread::spawn(move || {
                let mut outcomes = Vec::new();
                for request in (thread..REQUESTS).step_by(THREADS) {
                    let key = (request % WITHOUT_KEY_EVERY != 0).then(|| format!("cle-{}", request % DISTINCT_KEYS));
                    let article = if request % 2 == 0 { "ouvert" } else { "eco-1" };
                    // The same key always goes to the same article (keys are per article).
                    let article = key.as_ref().map_or(article, |_| if (request % DISTINCT_KEYS) % 2 == 0 { "ouvert" } else { "eco-1" });
                    let body = json!({ "idempotency_key": key, "text": format!("Commentaire {request}") });
                    let reply = server.post_comment(article, body);
                    let id = reply.json()["comment"]["id"].as_str().map(str::to_string);
                    outcomes.push((reply.status, key, id, reply.body));
                }
                outcomes
            })
        })
        .collect();
    let outcomes: Vec<_> = workers.into_iter().flat_map(|worker| worker.join().expect("worker")).collect();
    assert_eq!(outcomes.len(), REQUESTS);

    let mut ids_by_key: HashMap<String, Vec<String>> = HashMap::new();
    let mut without_key = 0;
    for (status, key, id, body) in &outcomes {
        assert_eq!(*status, 201, "{body}");
        let id = id.clone().expect("an id");
        match key {
            Some(key) => ids_by_key.entry(key.clone()).or_default().push(id),
            None => without_key += 1,
        }
    }
    let keyed_comments = ids_by_key.len();
    for (key, ids) in &ids_by_key {
        assert!(ids.iter().all(|id| id == &ids[0]), "{key}: every request got the first comment, {ids:?}");
    }
    let expected_rows = i64::try_from(keyed_comments + without_key).expect("small");
    assert_eq!(server.count_rows(), expected_rows);
    assert_eq!(keyed_comments, DISTINCT_KEYS);
    // Listing agrees with the table.
    let listed = server.get("/api/articles/ouvert/comments?limit=100").json()["total"].as_i64().unwrap_or(-1)
        + server.get("/api/articles/eco-1/comments?limit=100").json()["total"].as_i64().unwrap_or(-1);
    assert_eq!(listed, expected_rows);
    eprintln!("{backend:?}: {REQUESTS} concurrent POSTs in {:?}", started.elapsed());
}

on_both_backends!(concurrent_posts_with_repeated_keys_store_exactly_one_comment_per_key);
