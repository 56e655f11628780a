//! Several instances on one PostgreSQL behave as one server: idempotency keys, a `kill -9` in the
//! middle of a burst, the rate limit and the captcha hold across them. And a database that goes
//! away gives 503s, never a crash, until it comes back.

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{start_binary, try_request, Binary, PgCluster, Reply, TestServer};
use kiosque::model::comment::{altcha_solve, AltchaPayload};
use kiosque_server::cli::{CaptchaPolicy, RateLimit};
use kiosque_server::store::Database;
use serde_json::json;

const JSON_HEADER: [(&str, &str); 1] = [("Content-Type", "application/json")];

/// Two real server processes on one new database.
fn two_instances(extra: &[&str]) -> (tempfile::TempDir, String, Binary, Binary) {
    let dir = common::site_dir();
    let content = dir.path().join("content");
    let url = PgCluster::shared().new_database();
    let mut args = vec!["--database", url.as_str(), "--content", common::arg(&content), "--moderation", "off", "--captcha", "none"];
    args.extend_from_slice(extra);
    let first = start_binary(&args);
    let second = start_binary(&args);
    (dir, url, first, second)
}

fn post(addr: SocketAddr, article: &str, overrides: serde_json::Value) -> std::io::Result<Reply> {
    let body = common::comment(overrides).to_string();
    try_request(addr, "POST", &format!("/api/articles/{article}/comments"), &JSON_HEADER, Some(body.as_bytes()))
}

fn stop(mut binary: Binary) {
    let _ = binary.child.kill();
    let _ = binary.child.wait();
}

#[test]
fn concurrent_posts_across_two_instances_store_one_comment_per_key() {
    let (_dir, url, first, second) = two_instances(&["--rate-limit", "off"]);
    let addrs = [first.addr, second.addr];
    const THREADS: usize = 16;
    const REQUESTS: usize = 320;
    const DISTINCT_KEYS: usize = 80;
    let workers: Vec<_> = (0..THREADS)
        .map(|thread| {
            std::thread::spawn(move || {
                let mut outcomes = Vec::new();
                for request in (thread..REQUESTS).step_by(THREADS) {
                    // Each key is sent four times, to both instances.
                    let key = format!("cle-{}", request % DISTINCT_KEYS);
                    let addr = addrs[request % 2];
                    let reply = post(addr, "ouvert", json!({ "idempotency_key": key, "text": format!("Commentaire {request}") }))
                        .expect("answered");
                    assert_eq!(reply.status, 201, "{key} on {addr}: {}", reply.body);
                    outcomes.push((key, reply.status, reply.json()["comment"]["id"].as_str().map(str::to_string)));
                }
                outcomes
            })
        })
        .collect();
    let mut ids_by_key: HashMap<String, Vec<String>> = HashMap::new();
    for (key, status, id) in workers.into_iter().flat_map(|worker| worker.join().expect("worker")) {
        assert_eq!(status, 201, "{key}");
        ids_by_key.entry(key).or_default().push(id.expect("an id"));
    }
    assert_eq!(ids_by_key.len(), DISTINCT_KEYS);
    for (key, ids) in &ids_by_key {
        assert_eq!(ids.len(), REQUESTS / DISTINCT_KEYS);
        assert!(ids.iter().all(|id| id == &ids[0]), "{key}: every request got the same comment, {ids:?}");
    }
    let rows: usize = PgCluster::sql(&url, "SELECT count(*) FROM comments").parse().expect("count");
    assert_eq!(rows, DISTINCT_KEYS, "exactly one row per key");
    let listed = try_request(second.addr, "GET", "/api/articles/ouvert/comments?limit=100", &[], None).expect("list");
    assert_eq!(listed.json()["total"], DISTINCT_KEYS);
    stop(first);
    stop(second);
}

#[test]
fn kill_9_of_one_instance_loses_no_acknowledged_comment() {
    let (_dir, url, victim, survivor) = two_instances(&["--rate-limit", "off"]);
    let addrs = [victim.addr, survivor.addr];
    let acknowledged: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let stop_writing = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..8)
        .map(|writer| {
            let (acknowledged, stop_writing) = (Arc::clone(&acknowledged), Arc::clone(&stop_writing));
            std::thread::spawn(move || {
                let mut refused_by_victim = false;
                for n in 0..2000 {
                    if stop_writing.load(Ordering::Relaxed) {
                        break;
                    }
                    let text = format!("écrivain {writer}, message {n}");
                    // Half the writers on each instance; those of the killed one move to the other.
                    let addr = if writer % 2 == 0 && !refused_by_victim { addrs[0] } else { addrs[1] };
                    match post(addr, "ouvert", json!({ "text": text, "idempotency_key": format!("w{writer}-{n}") })) {
                        Ok(reply) if reply.status == 201 => {
                            let id = reply.json()["comment"]["id"].as_str().unwrap_or_default().to_string();
                            acknowledged.lock().expect("lock").push((id, text));
                        }
                        Ok(reply) => panic!("unexpected answer: {reply:?}"),
                        Err(_) if addr == addrs[0] => refused_by_victim = true,
                        Err(error) => panic!("the surviving instance failed: {error}"),
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    while acknowledged.lock().expect("lock").len() < 200 && started.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut victim = victim;
    victim.child.kill().expect("SIGKILL");
    let _ = victim.child.wait();
    // The other instance goes on taking comments after the kill.
    let at_kill = acknowledged.lock().expect("lock").len();
    while acknowledged.lock().expect("lock").len() < at_kill + 50 && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(5));
    }
    stop_writing.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.join().expect("writer");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(at_kill >= 10 && acknowledged.len() >= at_kill + 50, "{at_kill} before the kill, {} in all", acknowledged.len());
    let stored: HashMap<String, String> = PgCluster::sql(&url, "SELECT id || ' ' || text FROM comments")
        .lines()
        .filter_map(|line| line.split_once(' '))
        .map(|(id, text)| (id.to_string(), text.to_string()))
        .collect();
    for (id, text) in &acknowledged {
        assert_eq!(stored.get(id), Some(text), "acknowledged comment {id}");
    }
    eprintln!("{} acknowledged ({at_kill} before kill -9 of one instance), all stored", acknowledged.len());
    stop(survivor);
}

#[test]
fn the_rate_limit_and_the_captcha_hold_across_instances() {
    let (_dir, _url, first, second) = two_instances(&["--rate-burst", "2", "--rate-per-minute", "6"]);
    assert_eq!(post(first.addr, "ouvert", json!({})).expect("post").status, 201);
    assert_eq!(post(second.addr, "ouvert", json!({})).expect("post").status, 201);
    let limited = post(first.addr, "ouvert", json!({})).expect("post");
    assert_eq!((limited.status, limited.error()), (429, "rate_limited".to_string()), "the two posts counted together");
    assert!(limited.header("retry-after").is_some_and(|seconds| seconds.parse::<u64>().is_ok_and(|s| (1..=10).contains(&s))));
    assert_eq!(post(second.addr, "ouvert", json!({})).expect("post").status, 429);
    stop(first);
    stop(second);

    // A challenge one instance issued is solved and spent on the other, then refused by the first.
    let database = Database::Postgres(PgCluster::shared().new_database());
    let issuer = TestServer::start_with(common::site_dir(), database.clone(), |options| options.captcha = CaptchaPolicy::Pow);
    let verifier = TestServer::start_with(common::site_dir(), database, |options| options.captcha = CaptchaPolicy::Pow);
    let challenge = issuer.get("/api/captcha/challenge").json();
    let text = |name: &str| challenge[name].as_str().expect(name).to_string();
    let number = altcha_solve(&text("salt"), &text("challenge"), challenge["maxnumber"].as_u64().expect("max")).expect("solvable");
    let payload = AltchaPayload {
        algorithm: text("algorithm"),
        challenge: text("challenge"),
        number,
        salt: text("salt"),
        signature: text("signature"),
        took: None,
    };
    use base64::Engine;
    let token = base64::engine::general_purpose::STANDARD.encode(payload.to_json());
    let captcha = json!({ "captcha": { "kind": "pow", "token": token } });
    assert_eq!(verifier.post_comment("ouvert", captcha.clone()).status, 201, "the same key on both instances");
    let replay = issuer.post_comment("ouvert", captcha);
    assert_eq!((replay.status, replay.error()), (403, "captcha".to_string()), "spent once, for every instance");
}

#[test]
fn a_database_that_goes_away_gives_503_then_the_server_recovers() {
    let cluster = PgCluster::start();
    let server = TestServer::start_with(common::site_dir(), Database::Postgres(cluster.url.clone()), |options| {
        options.rate_limit = Some(RateLimit { burst: 100, per_minute: 100 });
    });
    assert_eq!(server.post_comment("ouvert", json!({ "text": "Avant la panne" })).status, 201);
    assert_eq!(server.get("/api/ready").json(), json!({ "status": "ready" }));

    cluster.stop();
    let posted = server.post_comment("ouvert", json!({ "text": "Pendant la panne", "idempotency_key": "panne-1" }));
    assert_eq!((posted.status, posted.error()), (503, "unavailable".to_string()), "{posted:?}");
    assert!(posted.header("retry-after").is_some());
    let listed = server.get("/api/articles/ouvert/comments");
    assert_eq!((listed.status, listed.error()), (503, "unavailable".to_string()));
    let ready = server.get("/api/ready");
    assert_eq!((ready.status, ready.error()), (503, "unavailable".to_string()));
    assert_eq!(server.get("/api/health").status, 200, "the process itself is alive");
    assert_eq!(server.get("/api/articles/ouvert").status, 200, "articles do not need the database");

    cluster.restart();
    let started = Instant::now();
    while server.get("/api/ready").status != 200 {
        assert!(started.elapsed() < Duration::from_secs(30), "the server did not reconnect");
        std::thread::sleep(Duration::from_millis(200));
    }
    let retried = server.post_comment("ouvert", json!({ "text": "Pendant la panne", "idempotency_key": "panne-1" }));
    assert_eq!(retried.status, 201, "the retry of the refused comment is stored: {retried:?}");
    let texts: Vec<String> = server.get("/api/articles/ouvert/comments").json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["text"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(texts, ["Avant la panne", "Pendant la panne"]);
}
