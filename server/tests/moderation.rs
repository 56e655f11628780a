//! The newsroom's side over real HTTP: accounts, sign-in and its throttling, the session cookie,
//! CSRF and roles, every moderation action (deleting keeps the replies), the audit trail, readers'
//! data requests, and the `user`, `export` and `erase` commands.

mod common;

use std::io::Write;
use std::net::SocketAddr;
use std::process::{Command, Stdio};

use common::{block_on, request, run_binary, start_binary, Backend, Reply, TestServer};
use kiosque_server::accounts::hash_password;
use kiosque_server::store::{Database, Store, UserRow};
use serde_json::{json, Value};

const ADMIN_PASSWORD: &str = "le mot de passe de l'admin";
const MODERATOR_PASSWORD: &str = "celui de la modératrice";

/// An account made through the store, as `user add` does.
fn add_user(store: &Store, name: &str, role: &str, password: &str) {
    let user = UserRow { name: name.into(), role: role.into(), password_hash: hash_password(password).expect("hash"), created_ms: 0 };
    assert_eq!(block_on(store.add_user(user)), Ok(true));
}

/// A browser tab of the console: the session cookie and the CSRF token it was given.
struct Console {
    addr: SocketAddr,
    cookie: String,
    csrf: String,
}

fn origin(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

fn sign_in_reply(addr: SocketAddr, name: &str, password: &str) -> Reply {
    let body = json!({ "name": name, "password": password }).to_string();
    let origin = origin(addr);
    request(addr, "POST", "/admin/api/session", &[("Content-Type", "application/json"), ("Origin", &origin)], Some(body.as_bytes()))
}

impl Console {
    fn sign_in(addr: SocketAddr, name: &str, password: &str) -> Console {
        let reply = sign_in_reply(addr, name, password);
        assert_eq!(reply.status, 200, "{}", reply.body);
        let cookie = reply.header("set-cookie").expect("a session cookie").split(';').next().expect("name=value").to_string();
        let csrf = reply.json()["csrf_token"].as_str().expect("csrf token").to_string();
        Console { addr, cookie, csrf }
    }

    fn get(&self, path: &str) -> Reply {
        request(self.addr, "GET", path, &[("Cookie", &self.cookie)], None)
    }

    fn send(&self, method: &str, path: &str, body: Value) -> Reply {
        let origin = origin(self.addr);
        let body = body.to_string();
        request(
            self.addr,
            method,
            path,
            &[("Cookie", &self.cookie), ("X-CSRF-Token", &self.csrf), ("Origin", &origin), ("Content-Type", "application/json")],
            Some(body.as_bytes()),
        )
    }

    fn act(&self, action: &str, ids: &[&str]) -> Value {
        let reply = self.send("POST", "/admin/api/comments/actions", json!({ "action": action, "ids": ids }));
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json()
    }

    fn queue(&self, query: &str) -> Value {
        let reply = self.get(&format!("/admin/api/comments?{query}"));
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json()
    }
}

fn posted_id(reply: &Reply) -> String {
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.json()["comment"]["id"].as_str().expect("id").to_string()
}

fn ids(list: &Value) -> Vec<String> {
    list["items"].as_array().expect("items").iter().map(|item| item["id"].as_str().expect("id").to_string()).collect()
}

fn moderated_server(backend: Backend) -> (TestServer, Store) {
    let server = TestServer::start_on(backend, |options| options.moderation = true);
    let store = server.store();
    add_user(&store, "admin", "admin", ADMIN_PASSWORD);
    add_user(&store, "fatou", "moderator", MODERATOR_PASSWORD);
    (server, store)
}

fn sign_in_cookie_and_sign_out(backend: Backend) {
    let (server, _store) = moderated_server(backend);
    let wrong_password = sign_in_reply(server.addr, "fatou", "pas le bon mot de passe");
    let unknown_user = sign_in_reply(server.addr, "personne", MODERATOR_PASSWORD);
    assert_eq!((wrong_password.status, unknown_user.status), (401, 401));
    assert_eq!(wrong_password.json(), unknown_user.json(), "the answer never says which of the name or the password was wrong");
    assert!(wrong_password.header("set-cookie").is_none());

    let reply = sign_in_reply(server.addr, "fatou", MODERATOR_PASSWORD);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["user"], json!({ "name": "fatou", "role": "moderator" }));
    let cookie = reply.header("set-cookie").expect("cookie");
    for attribute in ["kiosque_session=", "HttpOnly", "SameSite=Strict", "Path=/admin", "Max-Age=43200"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");

    let console = Console::sign_in(server.addr, "fatou", MODERATOR_PASSWORD);
    assert_eq!(console.get("/admin/api/session").json()["user"]["name"], "fatou");
    assert_eq!(request(server.addr, "GET", "/admin/api/session", &[], None).status, 401);
    assert_eq!(request(server.addr, "GET", "/admin/api/comments", &[("Cookie", "kiosque_session=0123")], None).error(), "unauthorized");
    // Signing out ends the session on the server: the same cookie no longer works.
    let out = console.send("DELETE", "/admin/api/session", json!({}));
    assert_eq!(out.status, 200, "{}", out.body);
    assert!(out.header("set-cookie").is_some_and(|cookie| cookie.contains("Max-Age=0")));
    assert_eq!(console.get("/admin/api/comments").status, 401);

    // Over https the cookie is Secure, and the Origin must be the public one.
    let secure = TestServer::start_on(backend, |options| options.public_url = Some("https://news.example".into()));
    add_user(&secure.store(), "admin", "admin", ADMIN_PASSWORD);
    assert_eq!(sign_in_reply(secure.addr, "admin", ADMIN_PASSWORD).status, 403, "Origin http://127.0.0.1 is not https://news.example");
    let body = json!({ "name": "admin", "password": ADMIN_PASSWORD }).to_string();
    let reply = request(
        secure.addr,
        "POST",
        "/admin/api/session",
        &[("Content-Type", "application/json"), ("Origin", "https://news.example")],
        Some(body.as_bytes()),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.header("set-cookie").is_some_and(|cookie| cookie.contains("; Secure")), "{:?}", reply.headers);
}

fn failed_sign_ins_are_slowed_then_refused(backend: Backend) {
    let (server, _store) = moderated_server(backend);
    for _ in 0..3 {
        assert_eq!(sign_in_reply(server.addr, "fatou", "mauvais mot de passe").status, 401);
    }
    // Even the right password waits now, with the same answer for any name.
    let refused = sign_in_reply(server.addr, "fatou", MODERATOR_PASSWORD);
    assert_eq!((refused.status, refused.error().as_str()), (429, "too_many_attempts"));
    assert!(refused.header("retry-after").is_some_and(|seconds| seconds.parse::<u64>().is_ok_and(|s| s >= 1)));
    // Kept in the database: a second instance on it refuses too.
    let dir = common::site_dir();
    let other = TestServer::start_with(dir, server.database.clone(), |options| options.moderation = true);
    assert_eq!(sign_in_reply(other.addr, "fatou", MODERATOR_PASSWORD).status, 429);
    // Once the wait is over, the right password works (and clears the account's failures).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(sign_in_reply(server.addr, "fatou", MODERATOR_PASSWORD).status, 200);

    // Per address: many names tried from one address slow that address down too.
    let (fresh, _store) = moderated_server(backend);
    for attempt in 0..9 {
        assert_eq!(sign_in_reply(fresh.addr, &format!("essai{attempt}"), "mauvais mot de passe").status, 401);
    }
    assert_eq!(sign_in_reply(fresh.addr, "admin", ADMIN_PASSWORD).status, 429);
}

fn csrf_roles_and_expiry(backend: Backend) {
    let (server, _store) = moderated_server(backend);
    let id = posted_id(&server.post_comment("ouvert", json!({})));
    let moderator = Console::sign_in(server.addr, "fatou", MODERATOR_PASSWORD);
    let action = json!({ "action": "approve", "ids": [id] }).to_string();
    let origin = origin(server.addr);
    let attempts: [(&str, Vec<(&str, &str)>); 4] = [
        ("no CSRF token", vec![("Cookie", &moderator.cookie), ("Origin", &origin)]),
        ("a wrong CSRF token", vec![("Cookie", &moderator.cookie), ("Origin", &origin), ("X-CSRF-Token", "0000")]),
        ("no Origin", vec![("Cookie", &moderator.cookie), ("X-CSRF-Token", &moderator.csrf)]),
        ("another site's Origin", vec![("Cookie", &moderator.cookie), ("X-CSRF-Token", &moderator.csrf), ("Origin", "https://evil.example")]),
    ];
    for (what, mut headers) in attempts {
        headers.push(("Content-Type", "application/json"));
        let reply = request(server.addr, "POST", "/admin/api/comments/actions", &headers, Some(action.as_bytes()));
        assert_eq!((reply.status, reply.error().as_str()), (403, "csrf"), "{what}");
    }
    assert_eq!(moderator.queue("status=pending")["counts"]["pending"], 1, "nothing was approved");
    let no_session = request(server.addr, "POST", "/admin/api/comments/actions", &[("Content-Type", "application/json")], Some(action.as_bytes()));
    assert_eq!((no_session.status, no_session.error().as_str()), (401, "unauthorized"));

    // Moderators moderate; accounts, the audit trail and readers' data are for admins.
    for path in ["/admin/api/audit", "/admin/api/users"] {
        let reply = moderator.get(path);
        assert_eq!((reply.status, reply.error().as_str()), (403, "forbidden"), "{path}");
    }
    let export = moderator.send("POST", "/admin/api/readers/export", json!({ "email": "awa@example.org" }));
    assert_eq!(export.status, 403);
    let add = moderator.send("POST", "/admin/api/users", json!({ "name": "intrus", "role": "admin", "password": "un mot de passe long" }));
    assert_eq!(add.status, 403);
    assert_eq!(moderator.act("approve", &[&id])["changed"], json!([id]));

    // A session unused for 12 hours is over.
    match &server.database {
        Database::Sqlite(path) => {
            let connection = rusqlite::Connection::open(path).expect("open");
            connection.execute("UPDATE sessions SET last_seen_ms = last_seen_ms - 13 * 3600 * 1000", []).expect("age the sessions");
        }
        Database::Postgres(url) => {
            common::PgCluster::sql(url, "UPDATE sessions SET last_seen_ms = last_seen_ms - 13 * 3600 * 1000");
        }
    }
    assert_eq!(moderator.get("/admin/api/comments").status, 401);
}

fn moderation_actions(backend: Backend) {
    let (server, _store) = moderated_server(backend);
    let console = Console::sign_in(server.addr, "fatou", MODERATOR_PASSWORD);
    let parent = posted_id(&server.post_comment("ouvert", json!({ "text": "Le premier commentaire." })));
    let reply = posted_id(&server.post_comment("ouvert", json!({ "parent": parent, "author_name": "Bintou", "author_email": "bintou@example.org", "text": "Une réponse." })));
    let other = posted_id(&server.post_comment("eco-1", json!({ "author_name": "Chérif", "author_email": "cherif@example.org", "text": "Achetez mes montres" })));

    let pending = console.queue("status=pending");
    assert_eq!(ids(&pending), [other.as_str(), reply.as_str(), parent.as_str()], "newest first");
    assert_eq!(pending["counts"], json!({ "pending": 3, "approved": 0, "spam": 0, "deleted": 0 }));
    let first = &pending["items"][2];
    assert_eq!(first["author"], json!({ "name": "Awa Ndiaye", "email": "awa@example.org", "url": "https://awa.example" }));
    assert_eq!((&first["article"]["id"], &first["article"]["headline"]), (&json!("ouvert"), &json!("Titre de ouvert")));
    assert_eq!(pending["items"][1]["parent"], json!(parent));
    assert_eq!(pending["items"][1]["parent_text"], "Le premier commentaire.", "a reply comes with what it answers");
    assert_eq!(ids(&console.queue("status=pending&article=eco-1")), [other.as_str()]);
    assert_eq!(ids(&console.queue("status=pending&q=BINTOU")), [reply.as_str()], "by name, any case");
    assert_eq!(ids(&console.queue("status=pending&q=cherif%40example")), [other.as_str()], "by email");
    assert_eq!(ids(&console.queue("status=pending&q=montres")), [other.as_str()], "by text");
    assert!(ids(&console.queue("status=pending&q=%25")).is_empty(), "a % is searched for, not a wildcard");
    assert_eq!(console.get("/admin/api/comments?status=lost").status, 400);

    // Approving a selection publishes it.
    assert_eq!(console.act("approve", &[&parent, &reply])["changed"], json!([parent, reply]));
    assert_eq!(server.get("/api/articles/ouvert/comments").json()["total"], 2);
    assert_eq!(console.act("spam", &[&other])["changed"], json!([other]));
    assert_eq!(console.queue("status=spam")["counts"], json!({ "pending": 0, "approved": 2, "spam": 1, "deleted": 0 }));
    // A later comment of the same email shows how many were approved before.
    let again = posted_id(&server.post_comment("eco-2", json!({ "text": "Encore moi." })));
    assert_eq!(console.queue("status=pending")["items"][0]["approved_before"], 1);
    assert_eq!(console.act("delete", &[&again])["changed"], json!([again]));

    // Deleting the parent keeps its reply visible, under a placeholder saying nothing of it.
    console.act("delete", &[&parent]);
    let public = server.get("/api/articles/ouvert/comments").json();
    assert_eq!(public["total"], 2);
    let placeholder = &public["items"][0];
    assert_eq!(placeholder, &json!({ "id": parent, "parent": null, "deleted": true, "created": placeholder["created"], "status": "deleted" }));
    assert_eq!((&public["items"][1]["id"], &public["items"][1]["text"]), (&json!(reply), &json!("Une réponse.")));
    // A deleted comment without visible replies is not shown at all.
    assert_eq!(server.get("/api/articles/eco-2/comments").json()["total"], 0);
    assert_eq!(console.act("restore", &[&parent])["changed"], json!([parent]));
    assert_eq!(server.get("/api/articles/ouvert/comments").json()["items"][0]["text"], "Le premier commentaire.");
    assert_eq!(console.act("restore", &[&parent])["changed"], json!([]), "nothing to restore twice");

    // Editing keeps the previous versions.
    let edited = console.send("PATCH", &format!("/admin/api/comments/{reply}"), json!({ "text": "Une réponse, corrigée." }));
    assert_eq!(edited.status, 200, "{}", edited.body);
    console.send("PATCH", &format!("/admin/api/comments/{reply}"), json!({ "text": "Une réponse, corrigée deux fois." }));
    let history = console.get(&format!("/admin/api/comments/{reply}")).json()["comment"].clone();
    assert_eq!(history["text"], "Une réponse, corrigée deux fois.");
    let versions: Vec<&str> = history["versions"].as_array().expect("versions").iter().map(|v| v["text"].as_str().expect("text")).collect();
    assert_eq!(versions, ["Une réponse.", "Une réponse, corrigée."]);
    assert_eq!(history["versions"][0]["replaced_by"], "fatou");
    assert_eq!(server.get("/api/articles/ouvert/comments").json()["items"][1]["text"], "Une réponse, corrigée deux fois.");

    // Closing an article: the public POST answers 409 and the article says comments are closed
    // (a new document, so a new ETag: a cache revalidating gets it).
    let before = server.get("/api/articles/ouvert");
    let etag = before.header("etag").expect("an ETag").to_string();
    assert_eq!(console.send("POST", "/admin/api/articles/ouvert/close", json!({})).status, 200);
    let revalidated = request(server.addr, "GET", "/api/articles/ouvert", &[("If-None-Match", &etag)], None);
    assert_eq!((revalidated.status, revalidated.json()["comments"]["open"].clone()), (200, json!(false)));
    let refused = server.post_comment("ouvert", json!({}));
    assert_eq!((refused.status, refused.error().as_str()), (409, "closed"));
    assert_eq!(server.get("/api/articles/ouvert").json()["comments"]["open"], false);
    let listed = console.get("/admin/api/articles").json();
    let ouvert = listed["items"].as_array().expect("items").iter().find(|item| item["id"] == "ouvert").expect("ouvert").clone();
    assert_eq!((ouvert["open"].clone(), ouvert["closed_by_moderator"].clone()), (json!(false), json!(true)));
    assert_eq!(console.send("POST", "/admin/api/articles/ouvert/reopen", json!({})).status, 200);
    assert_eq!(server.get("/api/articles/ouvert").json()["comments"]["open"], true);
    assert_eq!(server.post_comment("ouvert", json!({})).status, 201);
    assert_eq!(console.send("POST", "/admin/api/articles/inconnu/close", json!({})).status, 404);

    // A banned email or site: new comments go to spam (their author is told "pending").
    assert_eq!(console.send("POST", "/admin/api/bans", json!({ "kind": "email", "value": "Cherif@Example.org" })).status, 201);
    assert_eq!(console.send("POST", "/admin/api/bans", json!({ "kind": "url", "value": "https://montres.example" })).status, 201);
    let banned = server.post_comment("eco-1", json!({ "author_email": "cherif@example.org", "text": "Encore des montres" }));
    assert_eq!(banned.json()["comment"]["status"], "pending");
    let by_url = server.post_comment("eco-1", json!({ "author_email": "x@example.org", "author_url": "https://montres.example", "text": "Et ici" }));
    let spam = ids(&console.queue("status=spam"));
    assert!(spam.contains(&posted_id(&banned)) && spam.contains(&posted_id(&by_url)), "{spam:?}");
    assert_eq!(console.get("/admin/api/bans").json()["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(console.send("DELETE", "/admin/api/bans", json!({ "kind": "url", "value": "https://montres.example" })).status, 200);

    // The audit trail: who did what to which comment.
    let admin = Console::sign_in(server.addr, "admin", ADMIN_PASSWORD);
    let trail = admin.get("/admin/api/audit").json();
    let lines: Vec<(String, String, String)> = trail["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| (item["actor"].as_str().unwrap_or_default().into(), item["action"].as_str().unwrap_or_default().into(), item["comment"].as_str().unwrap_or_default().into()))
        .collect();
    for expected in [("fatou", "approve", parent.as_str()), ("fatou", "spam", &other), ("fatou", "delete", &parent), ("fatou", "restore", &parent), ("fatou", "edit", &reply), ("fatou", "close", ""), ("fatou", "ban", "")] {
        let expected = (expected.0.to_string(), expected.1.to_string(), expected.2.to_string());
        assert!(lines.contains(&expected), "{expected:?} in {lines:?}");
    }
    assert!(trail["items"][0]["at"].as_str().is_some_and(|at| at.ends_with('Z')));
}

fn accounts_through_the_api(backend: Backend) {
    let (server, _store) = moderated_server(backend);
    let admin = Console::sign_in(server.addr, "admin", ADMIN_PASSWORD);
    let added = admin.send("POST", "/admin/api/users", json!({ "name": "moussa", "role": "moderator", "password": "un mot de passe long" }));
    assert_eq!(added.status, 201, "{}", added.body);
    assert_eq!(admin.send("POST", "/admin/api/users", json!({ "name": "moussa", "role": "moderator", "password": "un autre mot de passe" })).status, 409);
    assert_eq!(admin.send("POST", "/admin/api/users", json!({ "name": "court", "role": "moderator", "password": "court" })).status, 400);
    let names: Vec<String> = ids_by(&admin.get("/admin/api/users").json(), "name");
    assert_eq!(names, ["admin", "fatou", "moussa"]);
    let moussa = Console::sign_in(server.addr, "moussa", "un mot de passe long");
    assert_eq!(admin.send("DELETE", "/admin/api/users/moussa", json!({})).status, 200);
    assert_eq!(moussa.get("/admin/api/comments").status, 401, "a removed account's sessions end");
    assert_eq!(admin.send("DELETE", "/admin/api/users/admin", json!({})).status, 400, "not oneself");
    let trail = admin.get("/admin/api/audit").json();
    assert_eq!((trail["items"][0]["action"].clone(), trail["items"][0]["detail"].clone()), (json!("user remove"), json!("moussa")));
}

fn ids_by(list: &Value, key: &str) -> Vec<String> {
    list["items"].as_array().expect("items").iter().map(|item| item[key].as_str().expect(key).to_string()).collect()
}

fn readers_data_export_and_erase(backend: Backend) {
    let (server, _store) = moderated_server(backend);
    let admin = Console::sign_in(server.addr, "admin", ADMIN_PASSWORD);
    let parent = posted_id(&server.post_comment("ouvert", json!({ "author_email": "Awa@Example.org", "text": "Mon avis." })));
    let reply = posted_id(&server.post_comment("ouvert", json!({ "parent": parent, "author_name": "Bintou", "author_email": "bintou@example.org", "text": "Le mien." })));
    let second = posted_id(&server.post_comment("eco-1", json!({ "text": "Un autre avis." })));
    admin.act("approve", &[&parent, &reply, &second]);
    admin.send("PATCH", &format!("/admin/api/comments/{parent}"), json!({ "text": "Mon avis, corrigé." }));

    let export = admin.send("POST", "/admin/api/readers/export", json!({ "email": "awa@example.org" }));
    assert_eq!(export.status, 200, "{}", export.body);
    assert_eq!(ids(&json!({ "items": export.json()["comments"] })), [parent.as_str(), second.as_str()]);
    assert_eq!(export.json()["comments"][0]["author"]["email"], "Awa@Example.org");

    // The CLI writes the same JSON.
    let data = server.data_dir();
    let storage = match &server.database {
        Database::Sqlite(_) => vec!["--data".to_string(), data.to_str().expect("path").to_string()],
        Database::Postgres(url) => vec!["--database".to_string(), url.clone()],
    };
    let mut args = vec!["export", "--email", "awa@example.org"];
    args.extend(storage.iter().map(String::as_str));
    let (code, stdout, stderr) = run_binary(&args);
    assert_eq!(code, 0, "{stderr}");
    let exported: Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    assert_eq!(exported["comments"].as_array().map(Vec::len), Some(2));
    assert_eq!(exported["comments"][1]["text"], "Un autre avis.");

    let erased = admin.send("POST", "/admin/api/readers/erase", json!({ "email": "awa@example.org" }));
    assert_eq!(erased.json()["erased"], json!([parent, second]));
    let public = server.get("/api/articles/ouvert/comments").json();
    assert_eq!(public["items"][0]["deleted"], true, "the thread keeps a placeholder");
    assert!(public["items"][0].get("author").is_none() && public["items"][0].get("text").is_none());
    assert_eq!(public["items"][1]["text"], "Le mien.");
    assert_eq!(server.get("/api/articles/eco-1/comments").json()["total"], 0);
    let gone = admin.get(&format!("/admin/api/comments/{parent}")).json()["comment"].clone();
    assert_eq!((gone["author"].clone(), gone["text"].clone(), gone["versions"].clone()), (json!({ "name": "", "email": null, "url": null }), json!(""), json!([])));
    assert_eq!(admin.act("restore", &[&parent])["changed"], json!([]), "an erased comment has nothing to restore");
    let (code, stdout, _) = run_binary(&args);
    assert_eq!(code, 0);
    assert_eq!(serde_json::from_str::<Value>(&stdout).expect("JSON")["comments"], json!([]));

    // The CLI erases too; both requests are in the audit trail, without the address.
    let mut erase = vec!["erase", "--email", "bintou@example.org"];
    erase.extend(storage.iter().map(String::as_str));
    let (code, stdout, _) = run_binary(&erase);
    assert_eq!((code, stdout.starts_with("1 comments erased")), (0, true), "{stdout}");
    let trail = admin.get("/admin/api/audit").json();
    let actions: Vec<(String, String)> = trail["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| (item["actor"].as_str().unwrap_or_default().into(), item["action"].as_str().unwrap_or_default().into()))
        .collect();
    for expected in [("admin", "export"), ("admin", "erase"), ("command line", "export"), ("command line", "erase")] {
        assert!(actions.contains(&(expected.0.into(), expected.1.into())), "{expected:?} in {actions:?}");
    }
    assert!(!trail.to_string().contains("example.org"), "{trail}");
}

/// A comment deleted or marked as spam while it was still pending is published by `restore`, as
/// the console's Restore button promises, and it shows in the reader's thread.
fn restore_publishes_what_was_pending(backend: Backend) {
    let (server, _store) = moderated_server(backend);
    let console = Console::sign_in(server.addr, "fatou", MODERATOR_PASSWORD);
    let deleted = posted_id(&server.post_comment("ouvert", json!({ "text": "Supprimé avant d'être lu." })));
    let spam = posted_id(&server.post_comment("ouvert", json!({ "text": "Pris pour du spam." })));
    assert_eq!(console.act("delete", &[&deleted])["changed"], json!([deleted]));
    assert_eq!(console.act("spam", &[&spam])["changed"], json!([spam]));
    assert_eq!(server.get("/api/articles/ouvert/comments").json()["total"], 0);
    assert_eq!(console.act("restore", &[&deleted, &spam])["changed"], json!([deleted, spam]));
    let public = server.get("/api/articles/ouvert/comments").json();
    let texts: Vec<&str> = public["items"].as_array().expect("items").iter().filter_map(|item| item["text"].as_str()).collect();
    assert_eq!(texts, ["Supprimé avant d'être lu.", "Pris pour du spam."]);
    assert_eq!(console.queue("status=approved")["counts"], json!({ "pending": 0, "approved": 2, "spam": 0, "deleted": 0 }));
}

fn sign_in_with(addr: SocketAddr, headers: &[(&str, &str)]) -> Reply {
    let body = json!({ "name": "admin", "password": ADMIN_PASSWORD }).to_string();
    let origin = origin(addr);
    let mut all = vec![("Content-Type", "application/json"), ("Origin", origin.as_str())];
    all.extend_from_slice(headers);
    request(addr, "POST", "/admin/api/session", &all, Some(body.as_bytes()))
}

/// Behind a proxy that ends TLS, `--trust-proxy` makes the cookie `Secure` when the proxy says
/// https; without the flag the header is anyone's to send, and is ignored.
#[test]
fn secure_cookie_behind_a_trusted_proxy() {
    let trusting = TestServer::start(|options| options.trust_proxy = true);
    add_user(&trusting.store(), "admin", "admin", ADMIN_PASSWORD);
    let cookie = |reply: &Reply| reply.header("set-cookie").expect("a session cookie").to_string();
    let over_https = sign_in_with(trusting.addr, &[("X-Forwarded-Proto", "https")]);
    assert_eq!(over_https.status, 200, "{}", over_https.body);
    assert!(cookie(&over_https).contains("; Secure"), "{}", cookie(&over_https));
    let over_http = sign_in_with(trusting.addr, &[("X-Forwarded-Proto", "http")]);
    assert!(!cookie(&over_http).contains("Secure"), "{}", cookie(&over_http));

    let not_trusting = TestServer::start(|_| {});
    add_user(&not_trusting.store(), "admin", "admin", ADMIN_PASSWORD);
    let forged = sign_in_with(not_trusting.addr, &[("X-Forwarded-Proto", "https")]);
    assert_eq!(forged.status, 200, "{}", forged.body);
    assert!(!cookie(&forged).contains("Secure"), "{}", cookie(&forged));
}

/// `--console DIR` serves the console at /admin/ with a CSP that allows trunk's inline start-up
/// script by its hash (never 'unsafe-inline'), no framing, no referrer; hashed files are kept a
/// year, the page is revalidated; /admin/api/ stays the API.
#[test]
fn console_is_served_under_a_strict_policy() {
    use base64::Engine as _;
    use sha2::Digest as _;

    let build = tempfile::tempdir().expect("temporary directory");
    let start_up = r#"import init from '/admin/kiosque-console-0123456789abcdef.js';init('/admin/kiosque-console-0123456789abcdef_bg.wasm');"#;
    let page = format!(r#"<!doctype html><html lang="fr"><head><title>Console</title><script type="module">{start_up}</script></head><body></body></html>"#);
    std::fs::write(build.path().join("index.html"), &page).expect("index");
    std::fs::write(build.path().join("kiosque-console-0123456789abcdef.js"), "export default function init() {}").expect("glue");
    let dir = build.path().to_path_buf();
    let server = TestServer::start(move |options| options.console_dir = Some(dir));

    let index = request(server.addr, "GET", "/admin/", &[], None);
    assert_eq!(index.status, 200, "{}", index.body);
    assert_eq!(index.body, page);
    let policy = index.header("content-security-policy").expect("a CSP").to_string();
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(start_up.as_bytes()));
    assert!(policy.contains(&format!("script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}'")), "{policy}");
    for directive in ["default-src 'none'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"] {
        assert!(policy.contains(directive), "{directive} in {policy}");
    }
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert_eq!(index.header("x-frame-options"), Some("DENY"));
    assert_eq!(index.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(index.header("cache-control"), Some("no-cache"));

    let glue = request(server.addr, "GET", "/admin/kiosque-console-0123456789abcdef.js", &[], None);
    assert_eq!(glue.status, 200);
    assert_eq!(glue.header("cache-control"), Some("public, max-age=31536000, immutable"));
    assert!(glue.header("content-security-policy").is_some_and(|policy| !policy.contains("unsafe-inline")));
    assert_eq!(request(server.addr, "GET", "/admin", &[], None).header("location"), Some("/admin/"));
    assert_eq!(request(server.addr, "GET", "/admin/nothing.js", &[], None).status, 404);
    let api = request(server.addr, "GET", "/admin/api/session", &[], None);
    assert_eq!((api.status, api.error()), (401, "unauthorized".to_string()));

    // Without --console there is no page at /admin/.
    let without = TestServer::start(|_| {});
    assert_eq!(request(without.addr, "GET", "/admin/", &[], None).status, 404);
}

on_both_backends!(
    restore_publishes_what_was_pending,
    sign_in_cookie_and_sign_out,
    failed_sign_ins_are_slowed_then_refused,
    csrf_roles_and_expiry,
    moderation_actions,
    accounts_through_the_api,
    readers_data_export_and_erase,
);

/// Runs the binary with `input` on its standard input (a pipe, as a script would).
fn run_with_input(args: &[&str], input: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kiosque-server"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kiosque-server");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write the password");
    let output = child.wait_with_output().expect("wait");
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn user_commands_read_passwords_from_standard_input_and_logs_keep_secrets() {
    let dir = common::site_dir();
    let data = dir.path().join("data");
    let data = data.to_str().expect("path").to_string();
    let content = dir.path().join("content");
    // The first account, as the README says: the server made the database once.
    let mut server = start_binary(&["--data", &data, "--content", content.to_str().expect("path"), "--captcha", "none", "--rate-limit", "off"]);
    let (code, stdout, _) = run_binary(&["user", "list", "--data", &data]);
    assert_eq!((code, stdout.contains("No accounts")), (0, true), "{stdout}");
    let (code, stdout, stderr) = run_with_input(&["user", "add", "awa", "--role", "admin", "--data", &data], &format!("{ADMIN_PASSWORD}\n"));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Account awa (admin) created"), "{stdout}");
    let (code, _, stderr) = run_with_input(&["user", "add", "awa", "--role", "moderator", "--data", &data], "un autre mot de passe\n");
    assert_eq!((code, stderr.contains("already exists")), (1, true), "{stderr}");
    let (code, _, stderr) = run_with_input(&["user", "add", "court", "--role", "moderator", "--data", &data], "court\n");
    assert_eq!((code, stderr.contains("too short")), (1, true), "{stderr}");
    let (code, _, _) = run_with_input(&["user", "add", "fatou", "--role", "moderator", "--data", &data], &format!("{MODERATOR_PASSWORD}\n"));
    assert_eq!(code, 0);
    let (_, listing, _) = run_binary(&["user", "list", "--data", &data]);
    assert!(listing.contains("awa  admin") && listing.contains("fatou  moderator") && !listing.contains("court"), "{listing}");
    assert!(!listing.contains("argon2"), "never the hashes: {listing}");

    let console = Console::sign_in(server.addr, "fatou", MODERATOR_PASSWORD);
    let body = common::comment(json!({ "author_email": "secret-reader@example.org", "text": "Un texte à ne pas journaliser" })).to_string();
    request(server.addr, "POST", "/api/articles/ouvert/comments", &[("Content-Type", "application/json")], Some(body.as_bytes()));
    console.queue("status=pending&q=secret-reader");
    assert_eq!(sign_in_reply(server.addr, "fatou", "un mauvais mot de passe").status, 401);
    // A new password ends the account's sessions.
    let (code, _, stderr) = run_with_input(&["user", "password", "fatou", "--data", &data], "un nouveau mot de passe\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(console.get("/admin/api/session").status, 401);
    assert_eq!(sign_in_reply(server.addr, "fatou", MODERATOR_PASSWORD).status, 401);
    let again = Console::sign_in(server.addr, "fatou", "un nouveau mot de passe");
    let (code, _, _) = run_binary(&["user", "remove", "fatou", "--data", &data]);
    assert_eq!(code, 0);
    assert_eq!(again.get("/admin/api/session").status, 401);
    let (code, _, stderr) = run_binary(&["user", "remove", "fatou", "--data", &data]);
    assert_eq!((code, stderr.contains("no account")), (1, true));

    let _ = server.child.kill();
    let _ = server.child.wait();
    let logs = server.stderr();
    assert!(logs.contains("signed in") && logs.contains("failed sign-in"), "{logs}");
    for secret in [MODERATOR_PASSWORD, "un mauvais mot de passe", "un nouveau mot de passe", &console.csrf, &console.cookie[16..], "secret-reader", "journaliser"] {
        assert!(!logs.contains(secret), "{secret:?} in the logs:\n{logs}");
    }
}
