//! What the operator sees: `/metrics` (requests by route and status, latency, comments stored and
//! refused, database errors, the allowlist), the `X-Request-Id` header, and the binary's logs —
//! one line per request, in JSON with `--log-format json`, with no personal data.

mod common;

use std::collections::BTreeMap;

use common::{comment, request, start_binary, Backend, PgCluster, Reply, TestServer};
use kiosque_server::store::Database;
use serde_json::{json, Value};

/// One scrape of `/metrics`, read as Prometheus reads it.
struct Scrape {
    text: String,
    /// (metric name, labels) → value.
    samples: Vec<(String, BTreeMap<String, String>, f64)>,
}

impl Scrape {
    fn of(server: &TestServer) -> Scrape {
        let reply = server.get("/metrics");
        assert_eq!(reply.status, 200, "{reply:?}");
        assert!(
            reply.header("content-type").is_some_and(|value| value.starts_with("application/openmetrics-text")),
            "{reply:?}"
        );
        Scrape::parse(&reply.body)
    }

    fn parse(text: &str) -> Scrape {
        assert!(text.ends_with("# EOF\n"), "an OpenMetrics exposition ends with # EOF: {text}");
        let samples = text
            .lines()
            .filter(|line| !line.starts_with('#') && !line.is_empty())
            .map(|line| {
                let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("no value: {line}"));
                let value: f64 = value.parse().unwrap_or_else(|_| panic!("not a number: {line}"));
                let (name, labels) = match series.split_once('{') {
                    Some((name, labels)) => (name, parse_labels(labels.strip_suffix('}').expect("closing brace"))),
                    None => (series, BTreeMap::new()),
                };
                (name.to_string(), labels, value)
            })
            .collect();
        Scrape { text: text.to_string(), samples }
    }

    /// The value of the series with exactly these labels; 0 when it is not there yet.
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        let wanted: BTreeMap<String, String> = labels.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect();
        self.samples.iter().find(|(sample, labels, _)| sample == name && *labels == wanted).map_or(0.0, |(_, _, value)| *value)
    }

    fn requests(&self, method: &str, route: &str, status: &str) -> f64 {
        self.value("kiosque_http_requests_total", &[("method", method), ("route", route), ("status", status)])
    }

    fn rejected(&self, reason: &str) -> f64 {
        self.value("kiosque_comments_rejected_total", &[("reason", reason)])
    }
}

/// `a="x",b="y"` (the values here never hold quotes or commas).
fn parse_labels(text: &str) -> BTreeMap<String, String> {
    text.split("\",")
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once("=\"").unwrap_or_else(|| panic!("not a label: {pair}"));
            (key.to_string(), value.trim_end_matches('"').to_string())
        })
        .collect()
}

fn request_id(reply: &Reply) -> String {
    let id = reply.header("x-request-id").unwrap_or_else(|| panic!("no X-Request-Id: {reply:?}"));
    assert_eq!(id.len(), 36, "a UUID: {id}");
    id.to_string()
}

#[test]
fn metrics_count_each_request_by_route_and_status() {
    let server = TestServer::start(|_| {});
    let first = server.get("/api/articles/ouvert");
    let second = server.get("/api/articles/ouvert");
    let unknown = server.get("/api/articles/inconnu");
    let nowhere = server.get("/nulle-part/42?cle=valeur");
    assert_eq!([first.status, second.status, unknown.status, nowhere.status], [200, 200, 404, 404]);
    let ids: Vec<String> = [&first, &second, &unknown, &nowhere].into_iter().map(request_id).collect();
    let mut distinct = ids.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), ids.len(), "a new id for every request: {ids:?}");

    let scrape = Scrape::of(&server);
    assert!(scrape.text.contains("# TYPE kiosque_http_requests counter"), "{}", scrape.text);
    assert!(scrape.text.contains("# TYPE kiosque_http_request_duration_seconds histogram"), "{}", scrape.text);
    assert_eq!(scrape.requests("GET", "/api/articles/{id}", "200"), 2.0, "{}", scrape.text);
    assert_eq!(scrape.requests("GET", "/api/articles/{id}", "404"), 1.0);
    assert_eq!(scrape.requests("GET", "unmatched", "404"), 1.0);
    let route = [("method", "GET"), ("route", "/api/articles/{id}")];
    assert_eq!(scrape.value("kiosque_http_request_duration_seconds_count", &route), 3.0);
    assert!(scrape.value("kiosque_http_request_duration_seconds_sum", &route) > 0.0);
    let all = [("le", "+Inf"), ("method", "GET"), ("route", "/api/articles/{id}")];
    assert_eq!(scrape.value("kiosque_http_request_duration_seconds_bucket", &all), 3.0);
    for raw in ["ouvert", "inconnu", "nulle-part", "valeur"] {
        assert!(!scrape.text.contains(raw), "no path or query in a label: {raw} in {}", scrape.text);
    }
    // The series exist before anything happens, at 0.
    assert!(scrape.text.contains("kiosque_comments_stored_total 0"), "{}", scrape.text);
    assert!(scrape.text.contains("kiosque_comments_rejected_total{reason=\"spam\"} 0"), "{}", scrape.text);
    assert!(scrape.text.contains("kiosque_database_errors_total 0"), "{}", scrape.text);

    let again = Scrape::of(&server);
    assert_eq!(again.requests("GET", "/metrics", "200"), 1.0, "the first scrape is counted in the second");
}

fn comments_stored_and_refused_are_counted_by_reason(backend: Backend) {
    let server = TestServer::start_on(backend, |_| {});
    let path = "/api/articles/ouvert/comments";
    assert_eq!(server.post_comment("ouvert", json!({})).status, 201);
    assert_eq!(server.post_comment("ouvert", json!({ "idempotency_key": "cle-1" })).status, 201);
    assert_eq!(server.post_comment("ouvert", json!({ "idempotency_key": "cle-1" })).status, 201, "a replay");
    for (overrides, status) in [
        (json!({ "honeypot": "je suis un robot" }), 422),
        (json!({ "elapsed_ms": 10 }), 422),
        (json!({ "text": "" }), 422),
        (json!({ "captcha": null }), 403),
    ] {
        assert_eq!(server.post_comment("ouvert", overrides.clone()).status, status, "{overrides}");
    }
    assert_eq!(server.post_comment("ferme", json!({})).status, 409);
    assert_eq!(server.post_comment("inconnu", json!({})).status, 404);
    let huge = comment(json!({ "text": "x".repeat(17 * 1024) })).to_string();
    assert_eq!(request(server.addr, "POST", path, &[("Content-Type", "application/json")], Some(huge.as_bytes())).status, 413);
    let good = comment(json!({})).to_string();
    assert_eq!(request(server.addr, "POST", path, &[("Content-Type", "text/plain")], Some(good.as_bytes())).status, 415);
    assert_eq!(request(server.addr, "POST", path, &[("Content-Type", "application/json")], Some(b"[1]")).status, 400);

    let scrape = Scrape::of(&server);
    assert_eq!(scrape.value("kiosque_comments_stored_total", &[]), 2.0, "the replay is not a new comment: {}", scrape.text);
    assert_eq!(server.count_rows(), 2);
    for (reason, count) in [
        ("spam", 2.0),
        ("validation", 1.0),
        ("captcha", 1.0),
        ("closed", 1.0),
        ("unknown_article", 1.0),
        ("too_large", 1.0),
        ("malformed", 2.0),
        ("rate_limited", 0.0),
    ] {
        assert_eq!(scrape.rejected(reason), count, "{reason}: {}", scrape.text);
    }
    assert_eq!(scrape.requests("POST", "/api/articles/{id}/comments", "201"), 3.0);
    assert_eq!(scrape.requests("POST", "/api/articles/{id}/comments", "422"), 3.0);

    let limited = TestServer::start_on(backend, |options| {
        options.rate_limit = Some(kiosque_server::cli::RateLimit { burst: 1, per_minute: 1 });
    });
    assert_eq!(limited.post_comment("ouvert", json!({})).status, 201);
    assert_eq!(limited.post_comment("ouvert", json!({})).status, 429);
    let scrape = Scrape::of(&limited);
    assert_eq!((scrape.value("kiosque_comments_stored_total", &[]), scrape.rejected("rate_limited")), (1.0, 1.0), "{}", scrape.text);
}

fn a_failing_database_is_counted(backend: Backend) {
    let server = TestServer::start_on(backend, |_| {});
    assert_eq!(server.get("/api/articles/ouvert/comments").status, 200);
    // A real failure of the real database: its table gone under the server's feet.
    match &server.database {
        Database::Sqlite(path) => {
            let connection = rusqlite::Connection::open(path).expect("open database");
            connection.execute_batch("DROP TABLE comments").expect("drop the table");
        }
        Database::Postgres(url) => {
            PgCluster::sql(url, "DROP TABLE comments CASCADE");
        }
    }
    let failed = server.get("/api/articles/ouvert/comments");
    assert_eq!((failed.status, failed.error()), (500, "internal".to_string()), "{failed:?}");
    request_id(&failed);
    let scrape = Scrape::of(&server);
    assert_eq!(scrape.value("kiosque_database_errors_total", &[]), 1.0, "{}", scrape.text);
    assert_eq!(scrape.requests("GET", "/api/articles/{id}/comments", "500"), 1.0, "{}", scrape.text);
}

on_both_backends!(comments_stored_and_refused_are_counted_by_reason, a_failing_database_is_counted);

#[test]
fn a_database_that_stops_is_counted_and_refuses_nothing() {
    let cluster = PgCluster::start();
    let server = TestServer::start_with(common::site_dir(), Database::Postgres(cluster.url.clone()), |_| {});
    assert_eq!(server.post_comment("ouvert", json!({})).status, 201);
    cluster.stop();
    let statuses = [
        server.post_comment("ouvert", json!({ "idempotency_key": "pendant-la-panne" })).status,
        server.get("/api/articles/ouvert/comments").status,
        server.get("/api/ready").status,
    ];
    assert_eq!(statuses, [503, 503, 503]);
    let scrape = Scrape::of(&server);
    assert_eq!(scrape.value("kiosque_database_errors_total", &[]), 3.0, "{}", scrape.text);
    assert_eq!(scrape.value("kiosque_comments_stored_total", &[]), 1.0);
    let refused: f64 = scrape.samples.iter().filter(|(name, _, _)| name == "kiosque_comments_rejected_total").map(|(_, _, value)| value).sum();
    assert_eq!(refused, 0.0, "the server's failure is not the comment's fault: {}", scrape.text);
    assert_eq!(scrape.requests("GET", "/api/ready", "503"), 1.0);
}

#[test]
fn metrics_are_refused_outside_the_allowlist() {
    let server = TestServer::start(|options| options.metrics_allow = vec!["10.0.0.0/8".parse().expect("network")]);
    let refused = request(server.addr, "GET", "/metrics", &[("X-Forwarded-For", "10.1.2.3")], None);
    assert_eq!((refused.status, refused.error()), (403, "forbidden".to_string()), "a forwarded address is not believed");
    assert!(!refused.body.contains("kiosque_"), "{refused:?}");
    request_id(&refused);
    assert_eq!(server.get("/api/articles/ouvert").status, 200, "the API is open to all as before");

    let server = TestServer::start(|options| {
        options.metrics_allow = vec!["10.0.0.0/8".parse().expect("network"), "127.0.0.1/32".parse().expect("network")];
    });
    assert_eq!(server.get("/metrics").status, 200);
    // From an allowed address, but relayed by a proxy for someone else.
    for forwarded in [("X-Forwarded-For", "203.0.113.9"), ("Forwarded", "for=203.0.113.9")] {
        let relayed = request(server.addr, "GET", "/metrics", &[forwarded], None);
        assert_eq!((relayed.status, relayed.error()), (403, "forbidden".to_string()), "{forwarded:?}");
    }
}

/// The binary with `args`, a few requests, then SIGTERM: each reply, and everything on stderr.
#[cfg(unix)]
fn run_and_collect_logs(args: &[&str], requests: impl FnOnce(std::net::SocketAddr) -> Vec<Reply>) -> (Vec<Reply>, String) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let content = dir.path().join("content");
    common::write_articles(&content);
    let data = dir.path().join("data");
    let mut arguments = vec!["--data", data.to_str().expect("path"), "--content", content.to_str().expect("path")];
    arguments.extend_from_slice(args);
    let mut server = start_binary(&arguments);
    let replies = requests(server.addr);
    let killed = std::process::Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status().expect("kill");
    assert!(killed.success());
    let status = server.child.wait().expect("exits");
    assert!(status.success(), "{status:?}");
    (replies, server.stderr())
}

#[cfg(unix)]
#[test]
fn json_logs_have_one_line_per_request_and_no_personal_data() {
    const EMAIL: &str = "temoin.7f3a@example.org";
    const TEXT: &str = "Phrase témoin 5b9e, qui ne doit jamais paraître au journal.";
    const NAME: &str = "Nom Témoin 3c1d";
    const SECRETS: [&str; 4] = ["requete-temoin-q81", "cookie-temoin-c42", "jeton-temoin-t77", "chemin-temoin-p93"];
    let args = ["--log-format", "json", "--moderation", "off", "--rate-limit", "off"];
    let (replies, stderr) = run_and_collect_logs(&args, |addr| {
        let post = |overrides: Value| {
            let mut body = comment(json!({ "author_email": EMAIL, "author_name": NAME, "text": TEXT }));
            if let (Some(body), Some(overrides)) = (body.as_object_mut(), overrides.as_object()) {
                body.extend(overrides.clone());
            }
            let body = body.to_string();
            request(addr, "POST", "/api/articles/ouvert/comments", &[("Content-Type", "application/json")], Some(body.as_bytes()))
        };
        vec![
            request(addr, "GET", "/api/articles/ouvert?page=2&q=requete-temoin-q81", &[], None),
            request(
                addr,
                "GET",
                "/api/articles/ouvert/comments",
                &[("Cookie", "session=cookie-temoin-c42"), ("Authorization", "Bearer jeton-temoin-t77")],
                None,
            ),
            post(json!({})),
            post(json!({ "honeypot": "rempli" })),
            post(json!({ "author_url": "pas une adresse" })),
            request(addr, "GET", "/chemin-temoin-p93", &[], None),
            request(addr, "GET", "/metrics", &[], None),
        ]
    });
    let statuses: Vec<u16> = replies.iter().map(|reply| reply.status).collect();
    assert_eq!(statuses, [200, 200, 201, 422, 422, 404, 200]);
    let routes = [
        "/api/articles/{id}",
        "/api/articles/{id}/comments",
        "/api/articles/{id}/comments",
        "/api/articles/{id}/comments",
        "/api/articles/{id}/comments",
        "unmatched",
        "/metrics",
    ];

    let events: Vec<Value> = stderr
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap_or_else(|error| panic!("not a JSON line ({error}): {line}\n{stderr}")))
        .collect();
    let lines: Vec<&Value> = events.iter().filter(|event| event["message"] == "request").collect();
    assert_eq!(lines.len(), replies.len(), "one line per request:\n{stderr}");
    for ((reply, route), line) in replies.iter().zip(routes).zip(&lines) {
        assert_eq!(line["request_id"].as_str(), Some(request_id(reply).as_str()), "{line}");
        assert_eq!(line["route"], route, "{line}");
        assert_eq!(line["status"], reply.status, "{line}");
        assert!(line["duration_ms"].as_f64().is_some_and(|ms| ms >= 0.0), "{line}");
        assert!(line["method"].is_string() && line["timestamp"].is_string() && line["level"] == "INFO", "{line}");
    }
    let spam = events.iter().find(|event| event["message"] == "comment rejected as spam").expect("the spam event");
    assert_eq!(spam["span"]["request_id"].as_str(), Some(request_id(&replies[3]).as_str()), "tied to its request: {spam}");
    assert!(events.iter().any(|event| event["message"] == "stopped"), "shutdown in the same format:\n{stderr}");

    for secret in [EMAIL, "temoin.7f3a", TEXT, "5b9e", NAME, "pas une adresse"].into_iter().chain(SECRETS) {
        assert!(!stderr.contains(secret), "{secret} in the log:\n{stderr}");
    }
}

#[cfg(unix)]
#[test]
fn text_logs_name_the_request_by_default() {
    let (replies, stderr) = run_and_collect_logs(&[], |addr| {
        vec![request(addr, "GET", "/api/articles/ouvert", &[], None), request(addr, "BREWCOFFEE", "/api/health", &[], None)]
    });
    let line_of = |reply: &Reply| {
        let id = request_id(reply);
        stderr.lines().find(|line| line.contains(&format!("request_id={id}"))).unwrap_or_else(|| panic!("{id}: {stderr}")).to_string()
    };
    let line = line_of(&replies[0]);
    for field in ["INFO", " request ", "method=GET", "route=/api/articles/{id}", "status=200", "duration_ms="] {
        assert!(line.contains(field), "{field} in {line}");
    }
    let line = line_of(&replies[1]);
    assert!(line.contains("method=other") && line.contains("status=405"), "a made-up method is not written out: {line}");
    assert!(!stderr.contains("BREWCOFFEE"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn log_level_warn_keeps_warnings_and_drops_request_lines() {
    let (replies, stderr) = run_and_collect_logs(&["--log-level", "warn"], |addr| vec![request(addr, "GET", "/api/articles/ouvert", &[], None)]);
    assert_eq!(replies[0].status, 200);
    assert!(stderr.contains("WARN") && stderr.contains("content file skipped file=casse.json"), "{stderr}");
    assert!(!stderr.contains("INFO") && !stderr.contains(&request_id(&replies[0])), "{stderr}");
}
