//! Reply notifications end to end: the server over real HTTP with `--smtp` pointing at a real SMTP
//! server on loopback (aiosmtpd, tests/common/smtp.rs), whose received mails are parsed back.
//!
//! "Nothing was sent" is checked after a marker: a later comment asks for notifications, and its
//! confirmation mail arriving shows the worker went past everything queued before it.

mod common;

use std::time::{Duration, Instant};

use common::smtp::{free_port, Mail, SmtpSink};
use common::{block_on, request, Backend, Reply, TestServer};
use kiosque::model::comment::EmailPolicy;
use kiosque_server::accounts::hash_password;
use kiosque_server::cli::ServeOptions;
use kiosque_server::notifications::{MailOptions, SmtpUrl};
use kiosque_server::store::UserRow;
use serde_json::{json, Value};

const PUBLIC: &str = "https://k.example";
const WAIT: Duration = Duration::from_secs(30);
const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");
const ADMIN_PASSWORD: &str = "le mot de passe de l'admin";

fn with_mail(options: &mut ServeOptions, port: u16) {
    options.mail = Some(MailOptions {
        smtp: SmtpUrl::parse(&format!("smtp://127.0.0.1:{port}")).expect("smtp url"),
        from: "Kiosque <noreply@news.example>".into(),
    });
    options.public_url = Some(PUBLIC.into());
    // Retries a second apart instead of minutes.
    options.test_mode = true;
}

fn start(backend: Backend, port: u16, configure: impl FnOnce(&mut ServeOptions)) -> TestServer {
    TestServer::start_on(backend, |options| {
        with_mail(options, port);
        configure(options);
    })
}

fn id(reply: &Reply) -> String {
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.json()["comment"]["id"].as_str().expect("an id").to_string()
}

fn token(link: &str) -> String {
    link.split("token=").nth(1).expect("a token in the link").to_string()
}

fn post_form(server: &TestServer, path: &str, body: &str) -> Reply {
    request(server.addr, "POST", path, &[FORM], Some(body.as_bytes()))
}

fn reply_mails(mails: &[Mail]) -> Vec<&Mail> {
    mails.iter().filter(|mail| mail.list_unsubscribe.is_some()).collect()
}

fn is_page(reply: &Reply) {
    assert_eq!(reply.header("content-type"), Some("text/html; charset=utf-8"), "{reply:?}");
    assert!(reply.header("content-security-policy").is_some_and(|csp| csp.starts_with("default-src 'none'")), "{reply:?}");
    assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
    assert!(!reply.body.contains("<script"), "{}", reply.body);
}

/// Posts a comment that asks for notifications from `name@example.org` and waits for its
/// confirmation: every mail queued before it has been dealt with. All the mails so far.
fn marker(server: &TestServer, sink: &SmtpSink, name: &str) -> Vec<Mail> {
    let address = format!("{name}@example.org");
    let posted = server.post_comment("eco-1", json!({ "author_email": address, "notify": true, "text": "Un repère." }));
    assert_eq!(posted.status, 201, "{}", posted.body);
    let started = Instant::now();
    loop {
        let mails = sink.mails();
        if mails.iter().any(|mail| mail.to == address) {
            return mails;
        }
        assert!(started.elapsed() < WAIT, "no confirmation for the marker {name}: {mails:#?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Posts the confirmation mail's token as the page's button does.
fn confirm(server: &TestServer, confirmation: &Mail) {
    let link = confirmation.link(&format!("{PUBLIC}/api/notifications/confirm?token=")).expect("a confirmation link");
    let confirmed = post_form(server, "/api/notifications/confirm", &format!("token={}", token(&link)));
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
}

on_both_backends!(subscribers_confirm_then_hear_of_each_reply_once, a_held_reply_mails_once_when_a_moderator_approves_it);

fn subscribers_confirm_then_hear_of_each_reply_once(backend: Backend) {
    let mail_dir = tempfile::tempdir().expect("mail directory");
    let sink = SmtpSink::start(free_port(), mail_dir.path());
    let server = start(backend, sink.port, |_| {});
    assert_eq!(server.get("/api/config").json()["notifications"], json!(true));
    assert_eq!(server.get("/api/articles/ouvert/comments").json()["reader_actions"]["notify"], json!(true), "the widget reads it from the list");

    let posted = server.post_comment("ouvert", json!({ "notify": true }));
    assert_eq!(posted.json()["notification"], json!("confirmation_sent"), "{}", posted.body);
    let parent = id(&posted);
    let mails = sink.wait_for(1, WAIT);
    let confirmation = &mails[0];
    assert_eq!((confirmation.to.as_str(), confirmation.from.as_str()), ("awa@example.org", "noreply@news.example"));
    assert!(confirmation.content_type.starts_with("text/plain") && confirmation.content_type.to_lowercase().contains("utf-8"), "{confirmation:?}");
    assert_eq!(confirmation.subject, "Confirmez les avis de réponse à votre commentaire");
    assert!(confirmation.body.contains("votre commentaire sur «\u{a0}Titre de ouvert\u{a0}»"), "{}", confirmation.body);
    assert!(confirmation.body.contains("Si ce n’était pas vous, ignorez ce message"));
    assert_eq!(confirmation.list_unsubscribe, None);
    let confirm_link = confirmation.link(&format!("{PUBLIC}/api/notifications/confirm?token=")).expect("a confirmation link");
    let confirm_token = token(&confirm_link);

    // Not confirmed yet: a reply mails nobody.
    let early = server.post_comment("ouvert", json!({ "parent": parent, "author_name": "Moussa", "author_email": "moussa@example.org", "text": "Trop tôt." }));
    id(&early);
    assert_eq!(reply_mails(&marker(&server, &sink, "repere-1")).len(), 0, "nothing before the confirmation");

    // The link's page shows a button and changes nothing (mail scanners open links)…
    let page = server.get(&format!("/api/notifications/confirm?token={confirm_token}"));
    assert_eq!(page.status, 200, "{}", page.body);
    is_page(&page);
    assert!(page.body.contains("<form method=\"post\" action=\"confirm\">") && page.body.contains("Oui, m’avertir des réponses"), "{}", page.body);
    // …the button does (had the GET confirmed, this would say the link was used).
    let confirmed = post_form(&server, "/api/notifications/confirm", &format!("token={confirm_token}"));
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    is_page(&confirmed);
    assert!(confirmed.body.contains("C’est confirmé"), "{}", confirmed.body);
    let used = post_form(&server, "/api/notifications/confirm", &format!("token={confirm_token}"));
    assert_eq!(used.status, 404);
    is_page(&used);
    assert!(used.body.contains("Ce lien n’est plus valable"), "{}", used.body);
    for unknown in ["/api/notifications/confirm?token=inconnu", "/api/notifications/confirm", "/api/notifications/unsubscribe?token=inconnu"] {
        let reply = server.get(unknown);
        assert_eq!(reply.status, 404, "{unknown}");
        is_page(&reply);
    }

    let reply = server.post_comment(
        "ouvert",
        json!({ "parent": parent, "author_name": "Moussa Diop", "author_email": "moussa@example.org", "text": "Je ne suis pas d'accord.\n\n<b>Vraiment</b> pas." }),
    );
    let reply_id = id(&reply);
    // Her own reply does not mail her.
    id(&server.post_comment("ouvert", json!({ "parent": parent, "author_email": "Awa@Example.org", "text": "Merci Moussa." })));
    let mails = marker(&server, &sink, "repere-2");
    let replies = reply_mails(&mails);
    assert_eq!(replies.len(), 1, "{replies:#?}");
    let mail = replies[0];
    assert_eq!(mail.to, "awa@example.org");
    assert_eq!(mail.subject, "Nouvelle réponse à votre commentaire sur «\u{a0}Titre de ouvert\u{a0}»");
    assert!(mail.body.starts_with("Moussa Diop a répondu à votre commentaire sur «\u{a0}Titre de ouvert\u{a0}»\u{a0}:"), "{}", mail.body);
    assert!(mail.body.contains("> Je ne suis pas d'accord.\n>\n> <b>Vraiment</b> pas.\n"), "the reply as its author wrote it: {}", mail.body);
    assert!(mail.body.contains(&format!("https://journal.example/ouvert#kq-comment-{reply_id}")), "{}", mail.body);
    assert_eq!(mail.list_unsubscribe_post.as_deref(), Some("List-Unsubscribe=One-Click"));
    let unsubscribe_link = mail.link(&format!("{PUBLIC}/api/notifications/unsubscribe?token=")).expect("an unsubscribe link");
    assert_eq!(mail.list_unsubscribe.as_deref(), Some(format!("<{unsubscribe_link}>").as_str()));

    // One click in the mail client: a POST to the header's address.
    let path = unsubscribe_link.trim_start_matches(PUBLIC).to_string();
    let page = server.get(&path);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Me désabonner"), "{}", page.body);
    let done = request(server.addr, "POST", &path, &[FORM], Some(b"List-Unsubscribe=One-Click"));
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Vous êtes désabonné"), "{}", done.body);
    id(&server.post_comment("ouvert", json!({ "parent": parent, "author_name": "Moussa", "author_email": "moussa@example.org", "text": "Encore une chose." })));
    assert_eq!(reply_mails(&marker(&server, &sink, "repere-3")).len(), 1, "nothing after unsubscribing");
}

/// A console tab signed in as an admin, sending the Origin of `--public-url`.
struct AdminTab {
    server_addr: std::net::SocketAddr,
    cookie: String,
    csrf: String,
}

impl AdminTab {
    fn sign_in(server: &TestServer) -> AdminTab {
        let user = UserRow { name: "awa-admin".into(), role: "admin".into(), password_hash: hash_password(ADMIN_PASSWORD).expect("hash"), created_ms: 0 };
        assert_eq!(block_on(server.store().add_user(user)), Ok(true));
        let body = json!({ "name": "awa-admin", "password": ADMIN_PASSWORD }).to_string();
        let reply = request(server.addr, "POST", "/admin/api/session", &[("Content-Type", "application/json"), ("Origin", PUBLIC)], Some(body.as_bytes()));
        assert_eq!(reply.status, 200, "{}", reply.body);
        let cookie = reply.header("set-cookie").expect("a session cookie").split(';').next().expect("name=value").to_string();
        let csrf = reply.json()["csrf_token"].as_str().expect("csrf token").to_string();
        AdminTab { server_addr: server.addr, cookie, csrf }
    }

    fn send(&self, path: &str, body: Value) -> Value {
        let body = body.to_string();
        let headers = [("Cookie", self.cookie.as_str()), ("X-CSRF-Token", &self.csrf), ("Origin", PUBLIC), ("Content-Type", "application/json")];
        let reply = request(self.server_addr, "POST", path, &headers, Some(body.as_bytes()));
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json()
    }

    fn act(&self, action: &str, id: &str) -> Value {
        self.send("/admin/api/comments/actions", json!({ "action": action, "ids": [id] }))
    }
}

fn a_held_reply_mails_once_when_a_moderator_approves_it(backend: Backend) {
    let mail_dir = tempfile::tempdir().expect("mail directory");
    let sink = SmtpSink::start(free_port(), mail_dir.path());
    let server = start(backend, sink.port, |options| options.moderation = true);
    let console = AdminTab::sign_in(&server);

    let posted = server.post_comment("ouvert", json!({ "notify": true }));
    assert_eq!(posted.json()["notification"], json!("confirmation_sent"));
    let parent = id(&posted);
    confirm(&server, &sink.wait_for(1, WAIT)[0]);
    console.act("approve", &parent);

    let reply = id(&server.post_comment("ouvert", json!({ "parent": parent, "author_name": "Moussa", "author_email": "moussa@example.org", "text": "En attente." })));
    assert_eq!(reply_mails(&marker(&server, &sink, "repere-1")).len(), 0, "a reply waiting for moderation mails nobody");

    assert_eq!(console.act("approve", &reply)["changed"], json!([reply]));
    let started = Instant::now();
    while reply_mails(&sink.mails()).is_empty() {
        assert!(started.elapsed() < WAIT, "no mail after the approval");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mails = sink.mails();
    assert!(reply_mails(&mails)[0].body.contains("> En attente."));

    // Approved again, deleted and restored: still one mail.
    assert_eq!(console.act("approve", &reply)["changed"], json!([]));
    console.act("delete", &reply);
    console.act("restore", &reply);
    assert_eq!(reply_mails(&marker(&server, &sink, "repere-2")).len(), 1, "one mail per reply, however often it is approved");

    // Erasing the reader takes her subscriptions and their mails.
    assert_eq!(block_on(server.store().export_subscriptions("awa@example.org")).map(|found| found.len()), Ok(1));
    console.send("/admin/api/readers/erase", json!({ "email": "AWA@example.org" }));
    assert_eq!(block_on(server.store().export_subscriptions("awa@example.org")), Ok(vec![]));
    let after = id(&server.post_comment("ouvert", json!({ "parent": parent, "author_name": "Moussa", "author_email": "moussa@example.org", "text": "Après." })));
    console.act("approve", &after);
    assert_eq!(reply_mails(&marker(&server, &sink, "repere-3")).len(), 1, "nothing to an erased address");
}

#[test]
fn english_subscribers_read_english() {
    let mail_dir = tempfile::tempdir().expect("mail directory");
    let sink = SmtpSink::start(free_port(), mail_dir.path());
    let server = start(Backend::Sqlite, sink.port, |_| {});
    let parent = id(&server.post_comment("ouvert", json!({ "notify": true, "lang": "en" })));
    let confirmation = sink.wait_for(1, WAIT)[0].clone();
    assert_eq!(confirmation.subject, "Confirm reply notifications for your comment");
    assert!(confirmation.body.contains("when someone replies to your comment on “Titre de ouvert”"), "{}", confirmation.body);
    assert!(confirmation.body.contains("If it wasn’t you, ignore this message"));
    let link = confirmation.link(&format!("{PUBLIC}/api/notifications/confirm?token=")).expect("link");
    let page = server.get(&link.replace(PUBLIC, ""));
    assert!(page.body.contains("<html lang=\"en\">") && page.body.contains("Yes, notify me of replies"), "{}", page.body);
    confirm(&server, &confirmation);
    id(&server.post_comment("ouvert", json!({ "parent": parent, "author_name": "Moussa", "author_email": "moussa@example.org", "text": "Hello." })));
    let mails = marker(&server, &sink, "marker");
    let replies = reply_mails(&mails);
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].subject, "New reply to your comment on “Titre de ouvert”");
    assert!(replies[0].body.starts_with("Moussa replied to your comment on “Titre de ouvert”:"), "{}", replies[0].body);
    assert!(replies[0].body.contains("Stop these emails for this comment:"));
}

fn metric(server: &TestServer, name: &str) -> f64 {
    let text = server.get("/metrics").body;
    text.lines()
        .find_map(|line| line.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} in {text}"))
}

#[test]
fn a_mail_waits_for_the_smtp_server_to_come_back() {
    let port = free_port();
    let server = start(Backend::Sqlite, port, |_| {});
    id(&server.post_comment("ouvert", json!({ "notify": true })));
    // Nothing listens on the port: the first attempts fail and are retried a second apart.
    let started = Instant::now();
    while metric(&server, "kiosque_mail_failures_total") < 2.0 {
        assert!(started.elapsed() < WAIT, "no failed attempt recorded");
        std::thread::sleep(Duration::from_millis(100));
    }
    let mail_dir = tempfile::tempdir().expect("mail directory");
    let sink = SmtpSink::start(port, mail_dir.path());
    let started = Instant::now();
    let mails = sink.wait_for(1, WAIT);
    println!("delivered {:?} after the SMTP server came back", started.elapsed());
    assert_eq!(mails[0].to, "awa@example.org");
    assert!(mails[0].link(&format!("{PUBLIC}/api/notifications/confirm?token=")).is_some());
    let mails = marker(&server, &sink, "marker");
    assert_eq!(mails.iter().filter(|mail| mail.to == "awa@example.org").count(), 1, "delivered once");
    // The sink has a mail a moment before the server, told by the SMTP answer, counts it.
    let started = Instant::now();
    while metric(&server, "kiosque_mails_sent_total") < 2.0 {
        assert!(started.elapsed() < WAIT, "the two mails were not counted as sent");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(metric(&server, "kiosque_mails_sent_total"), 2.0, "and no more");
}

#[test]
fn asking_for_notifications() {
    let mail_dir = tempfile::tempdir().expect("mail directory");
    let sink = SmtpSink::start(free_port(), mail_dir.path());
    let server = start(Backend::Sqlite, sink.port, |options| options.email = EmailPolicy::Optional);

    let without_email = server.post_comment("ouvert", json!({ "notify": true, "author_email": null }));
    assert_eq!(without_email.status, 422, "{}", without_email.body);
    assert_eq!(without_email.error(), "validation");
    assert_eq!(without_email.json()["fields"], json!({ "author_email": "required" }));
    let bad_lang = server.post_comment("ouvert", json!({ "notify": true, "lang": "de" }));
    assert_eq!(bad_lang.json()["fields"], json!({ "lang": "invalid" }));
    let not_asked = server.post_comment("ouvert", json!({ "notify": false, "author_email": null }));
    assert_eq!(not_asked.status, 201);
    assert_eq!(not_asked.json().get("notification"), None);

    // A replayed request: the same answer, one subscription, one mail.
    let first = server.post_comment("ouvert", json!({ "notify": true, "idempotency_key": "k-notify-1" }));
    let again = server.post_comment("ouvert", json!({ "notify": true, "idempotency_key": "k-notify-1" }));
    assert_eq!(id(&first), id(&again));
    assert_eq!(again.json()["notification"], json!("confirmation_sent"));
    let mails = marker(&server, &sink, "marker");
    assert_eq!(mails.iter().filter(|mail| mail.to == "awa@example.org").count(), 1, "{mails:#?}");
    assert_eq!(block_on(server.store().export_subscriptions("awa@example.org")).map(|found| found.len()), Ok(1));
}

#[test]
fn without_smtp_nothing_is_offered() {
    let server = TestServer::start(|options| options.email = EmailPolicy::Optional);
    assert_eq!(server.get("/api/config").json()["notifications"], json!(false));
    assert_eq!(server.get("/api/articles/ouvert/comments").json()["reader_actions"]["notify"], json!(false));
    let posted = server.post_comment("ouvert", json!({ "notify": true, "author_email": null }));
    assert_eq!(posted.status, 201, "ignored when the server sends no mail: {}", posted.body);
    assert_eq!(posted.json().get("notification"), None);
}
