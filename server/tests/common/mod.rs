//! What the server's integration tests share: a real server on a loopback port with a real SQLite
//! file in a temporary directory, test articles written there, and a small blocking HTTP client.
#![allow(dead_code)] // Each test file uses its own part of this.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use kiosque_server::cli::ServeOptions;
use kiosque_server::store::{Database, Store};
use serde_json::{json, Value};

/// Every socket operation gives up after this, so a hung server fails a test instead of hanging it.
pub const IO_TIMEOUT: Duration = Duration::from_secs(20);

pub mod postgres;
pub mod service;
pub mod smtp;
pub mod wordpress;

pub use postgres::PgCluster;

/// Which database a test server runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    /// A fresh database on the test binary's shared cluster.
    Postgres,
}

/// Runs the same test body on both backends: `on_both_backends!(name, …)` makes `sqlite::name`
/// and `postgres::name`, each calling `name(Backend)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $name() { super::$name(super::common::Backend::Sqlite) })*
        }
        mod postgres {
            $(#[test] fn $name() { super::$name(super::common::Backend::Postgres) })*
        }
    };
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
    pub database: Database,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Where a new test server of `backend` keeps its data.
pub fn database_for(backend: Backend, dir: &Path) -> Database {
    match backend {
        Backend::Sqlite => Database::in_data_dir(&dir.join("data")),
        Backend::Postgres => Database::Postgres(PgCluster::shared().new_database()),
    }
}

/// A temporary directory with the test articles in `content/` (and room for `data/`).
pub fn site_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    write_articles(&dir.path().join("content"));
    dir
}

/// A path as a command-line argument.
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// Runs one store call to completion, from a test's plain thread.
pub fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(future)
}

impl TestServer {
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn content_dir(&self) -> PathBuf {
        self.dir.path().join("content")
    }

    /// The test articles on SQLite, moderation off, no rate limit, then whatever `configure` changes.
    pub fn start(configure: impl FnOnce(&mut ServeOptions)) -> TestServer {
        TestServer::start_on(Backend::Sqlite, configure)
    }

    /// The same, on `backend`.
    pub fn start_on(backend: Backend, configure: impl FnOnce(&mut ServeOptions)) -> TestServer {
        let dir = site_dir();
        let database = database_for(backend, dir.path());
        TestServer::start_with(dir, database, configure)
    }

    /// Starts on an existing SQLite directory (holding `content/`, maybe `data/` from a previous run).
    pub fn start_in(dir: tempfile::TempDir, configure: impl FnOnce(&mut ServeOptions)) -> TestServer {
        let database = Database::in_data_dir(&dir.path().join("data"));
        TestServer::start_with(dir, database, configure)
    }

    /// Starts on `dir` (holding `content/`) and `database`.
    pub fn start_with(dir: tempfile::TempDir, database: Database, configure: impl FnOnce(&mut ServeOptions)) -> TestServer {
        let mut options = ServeOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data: dir.path().join("data"),
            database: Some(database.clone()),
            content: dir.path().join("content"),
            moderation: false,
            rate_limit: None,
            pow_max: 1000,
            ..ServeOptions::default()
        };
        configure(&mut options);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready, bound) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
            runtime.block_on(async move {
                let state = kiosque_server::prepare(options).await.expect("server prepares");
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
                ready.send(listener.local_addr().expect("address")).expect("report address");
                let shutdown = async move {
                    let _ = stopped.await;
                };
                kiosque_server::run(state, listener, shutdown).await.expect("server runs");
            });
        });
        let addr = bound.recv_timeout(IO_TIMEOUT).expect("server started");
        TestServer { addr, dir, database, stop: Some(stop), thread: Some(thread) }
    }

    /// Asks for a graceful shutdown and waits for it; returns the directory for a restart.
    pub fn stop(mut self) -> tempfile::TempDir {
        self.shutdown();
        let placeholder = tempfile::tempdir().expect("temporary directory");
        std::mem::replace(&mut self.dir, placeholder)
    }

    /// Sends the shutdown signal without waiting (for the graceful-shutdown test).
    pub fn signal_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    fn shutdown(&mut self) {
        self.signal_stop();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    pub fn get(&self, path: &str) -> Reply {
        request(self.addr, "GET", path, &[], None)
    }

    pub fn post_json(&self, path: &str, body: &Value) -> Reply {
        request(self.addr, "POST", path, &[("Content-Type", "application/json")], Some(body.to_string().as_bytes()))
    }

    pub fn post_comment(&self, article: &str, overrides: Value) -> Reply {
        self.post_json(&format!("/api/articles/{article}/comments"), &comment(overrides))
    }

    /// A second connection to this server's database, as the CLI or another instance has.
    pub fn store(&self) -> Store {
        block_on(Store::open(&self.database)).expect("open the store")
    }

    /// Comments in the database, in every state.
    pub fn count_rows(&self) -> i64 {
        count_rows(&self.database)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

pub fn count_rows(database: &Database) -> i64 {
    block_on(async { Store::open(database).await?.count().await }).expect("count the comments")
}

/// A good comment body with `overrides` applied (a `null` override removes the field).
pub fn comment(overrides: Value) -> Value {
    let mut body = json!({
        "parent": null,
        "author_name": "Awa Ndiaye",
        "author_email": "awa@example.org",
        "author_url": "https://awa.example",
        "text": "Merci pour cet article.",
        "captcha": { "kind": "stub", "token": "stub:1763800200000:abc123:0.9" },
        "honeypot": "",
        "elapsed_ms": 5000,
        "idempotency_key": null,
    });
    if let (Some(body), Some(overrides)) = (body.as_object_mut(), overrides.as_object()) {
        for (key, value) in overrides {
            if value.is_null() {
                body.remove(key);
            } else {
                body.insert(key.clone(), value.clone());
            }
        }
    }
    body
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy: a compressed body is read from `bytes`).
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|error| panic!("not JSON ({error}): {:?}", self.body))
    }

    /// The `error` code of a JSON error body, after checking it is one.
    pub fn error(&self) -> String {
        assert!(self.header("content-type").is_some_and(|t| t.starts_with("application/json")), "{self:?}");
        let body = self.json();
        assert!(body["message"].is_string(), "every error has a message: {body}");
        body["error"].as_str().unwrap_or_else(|| panic!("no error code: {body}")).to_string()
    }
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`), read to the end.
pub fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Reply {
    try_request(addr, method, path, headers, body).unwrap_or_else(|error| panic!("{method} {path}: {error}"))
}

pub fn try_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect_timeout(&addr, IO_TIMEOUT)?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(body) = body {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if let Some(body) = body {
        stream.write_all(body)?;
    }
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_reply(&raw).ok_or_else(|| std::io::Error::other(format!("unreadable reply: {:?}", String::from_utf8_lossy(&raw))))
}

fn parse_reply(raw: &[u8]) -> Option<Reply> {
    let split = raw.windows(4).position(|window| window == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers.iter().any(|(name, value)| name == "transfer-encoding" && value.contains("chunked")) {
        body = dechunk(&body)?;
    }
    Some(Reply { status, headers, body: String::from_utf8_lossy(&body).into_owned(), bytes: body })
}

fn dechunk(mut raw: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|window| window == b"\r\n")?;
        let size = usize::from_str_radix(std::str::from_utf8(&raw[..line_end]).ok()?.split(';').next()?.trim(), 16).ok()?;
        raw = &raw[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(raw.get(..size)?);
        raw = raw.get(size + 2..)?;
    }
}

fn article(id: &str, section: Option<&str>, published: &str, extra: Value) -> Value {
    let mut article = json!({
        "id": id,
        "headline": format!("Titre de {id}"),
        "published": published,
        "body": [{ "type": "paragraph", "text": "Texte." }],
    });
    if let Some(label) = section {
        article["section"] = json!({ "label": label, "url": format!("/rubriques/{label}") });
    }
    if let (Some(article), Some(extra)) = (article.as_object_mut(), extra.as_object()) {
        article.extend(extra.clone());
    }
    article
}

/// The test articles (never the repository's fixtures, which evolve with the widget):
/// - `ouvert`: comments open; `ferme`: closed (`comments.open: false`); both in "Économie";
/// - `eco-1` … `eco-8`: "Économie", published on days 1 … 8 (so `eco-8` is the newest);
/// - `avec-liens`: its own related items (one valid to `ouvert`, one to an unknown id, one unsafe);
/// - `sans-rubrique`: no section; `l'été 2026`: an id that needs percent-encoding;
/// - broken files (`casse.json`, `sans-titre.json`, `doublon.json`) and files that are not articles.
pub fn write_articles(dir: &Path) {
    std::fs::create_dir_all(dir.join("sous-dossier")).expect("content directory");
    let mut articles = vec![
        article("ouvert", Some("Économie"), "2026-11-20T08:00:00Z", json!({
            "url": "https://journal.example/ouvert",
            "image": { "url": "/images/ouvert.jpg", "alt": "Une image.", "width": 1200, "height": 675 },
            "comments": { "open": true, "count": 0 },
        })),
        article("ferme", Some("Économie"), "2026-11-09T08:00:00Z", json!({ "comments": { "open": false, "count": 12 } })),
        article("sans-rubrique", None, "2026-11-21T08:00:00Z", json!({})),
        article("l'été 2026", Some("Culture"), "2026-11-21T08:00:00Z", json!({})),
        article("avec-liens", Some("Économie"), "2026-11-22T08:00:00Z", json!({
            "related": {
                "title": "À lire aussi",
                "items": [
                    { "id": "ouvert", "url": "https://journal.example/ouvert", "src": "/ailleurs/ouvert.json", "headline": "Ouvert",
                      "section": { "label": "Économie" }, "published": "2026-11-20T08:00:00Z" },
                    { "url": "javascript:alert(1)", "headline": "Piégé" },
                    { "id": "inconnu", "url": "/inconnu", "src": "/ailleurs/inconnu.json", "headline": "Inconnu",
                      "image": { "url": "/images/inconnu.jpg", "alt": "" } },
                    { "headline": "Sans lien" },
                ],
            },
        })),
    ];
    for day in 1..=8 {
        articles.push(article(&format!("eco-{day}"), Some("Économie"), &format!("2026-11-0{day}T12:00:00+01:00"), json!({})));
    }
    for (index, article) in articles.iter().enumerate() {
        std::fs::write(dir.join(format!("{index:02}.json")), article.to_string()).expect("write article");
    }
    std::fs::write(dir.join("casse.json"), "{\"id\": \"casse\",").expect("write");
    std::fs::write(dir.join("sans-titre.json"), json!({ "id": "x", "published": "2026-11-22T08:00:00Z", "body": [] }).to_string())
        .expect("write");
    std::fs::write(dir.join("doublon.json"), article("ouvert", None, "2026-11-22T08:00:00Z", json!({})).to_string()).expect("write");
    std::fs::write(dir.join("notes.txt"), "pas un article").expect("write");
    std::fs::write(dir.join("sous-dossier").join("cache.json"), article("cache", None, "2026-11-22T08:00:00Z", json!({})).to_string())
        .expect("write");
}

/// The real binary, started on port 0; the port is read from its "listening on" line.
pub struct Binary {
    pub child: Child,
    pub addr: SocketAddr,
    pub stdout: BufReader<ChildStdout>,
    /// Reads stderr all along: the server logs a line per request, and a pipe nobody empties
    /// fills up (64 KiB) and blocks the server in the middle of a burst.
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Binary {
    /// Everything the binary wrote on stderr; waits for it to exit (kill or signal it first).
    pub fn stderr(&mut self) -> String {
        self.stderr.take().map(|reader| reader.join().expect("stderr reader")).unwrap_or_default()
    }
}

pub fn start_binary(args: &[&str]) -> Binary {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kiosque-server"))
        .args(["--addr", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start kiosque-server");
    let mut pipe = child.stderr.take().expect("stderr");
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    });
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("read the listening line");
    let addr: Option<SocketAddr> =
        line.split("http://").nth(1).and_then(|rest| rest.split_whitespace().next()).and_then(|addr| addr.parse().ok());
    let Some(addr) = addr else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("no listening line: {line:?}; stderr: {}", stderr.join().unwrap_or_default())
    };
    Binary { child, addr, stdout, stderr: Some(stderr) }
}

/// Runs the binary to completion (the moderation commands).
pub fn run_binary(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_kiosque-server")).args(args).output().expect("run kiosque-server");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
