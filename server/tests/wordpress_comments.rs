//! Comments of WordPress posts against a real WordPress (scripts/wordpress.sh): `--comments
//! wordpress` (read from and created in WordPress, checked there with its own PHP functions) and
//! `import-wxr` of the export WordPress itself made of the test site.

mod common;

use std::time::Instant;

use common::wordpress::WordPressSite;
use common::{arg, block_on, comment, run_binary, Backend, TestServer};
use kiosque_server::cli::{CommentsSource, ServeOptions};
use serde_json::{json, Value};

fn in_wordpress(site: &WordPressSite) -> impl FnOnce(&mut ServeOptions) + '_ {
    move |options: &mut ServeOptions| {
        options.wordpress = Some(site.url.parse().expect("url"));
        options.comments = CommentsSource::Wordpress;
    }
}

fn field<'a>(items: &'a [Value], name: &str) -> Vec<&'a str> {
    items.iter().map(|item| item[name].as_str().unwrap_or_default()).collect()
}

/// A comment's fields as WordPress holds them (author, content, status, post), via its own PHP.
fn in_wordpress_db(site: &WordPressSite, id: &str) -> Value {
    let id: i64 = id.parse().expect("a WordPress comment number");
    let printed = site.php(&format!(
        "$c = get_comment({id}); echo json_encode($c ? ['author' => $c->comment_author, 'email' => $c->comment_author_email, \
         'content' => $c->comment_content, 'approved' => $c->comment_approved, 'post' => (int) $c->comment_post_ID, \
         'parent' => (int) $c->comment_parent] : null);"
    ));
    serde_json::from_str(&printed).unwrap_or_else(|error| panic!("{error}: {printed}"))
}

/// How many comments of post `post_id` WordPress holds whose text contains `needle`.
fn count_in_wordpress(site: &WordPressSite, post_id: i64, needle: &str) -> usize {
    let printed = site.php(&format!(
        "echo count(array_filter(get_comments(['post_id' => {post_id}, 'status' => 'all']), fn($c) => str_contains($c->comment_content, {})));",
        serde_json::to_string(needle).expect("json")
    ));
    printed.trim().parse().unwrap_or_else(|_| panic!("a count: {printed}"))
}

#[test]
fn the_list_is_wordpresss_approved_comments_in_threads() {
    let site = WordPressSite::shared();
    let server = TestServer::start(in_wordpress(site));
    let started = Instant::now();
    let reply = server.get("/api/articles/greve-au-port-de-dakar/comments");
    eprintln!("comments read from WordPress in {} ms", started.elapsed().as_millis());
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.header("cache-control"), Some("no-cache"), "comment lists are revalidated");
    let list = reply.json();
    let items = list["items"].as_array().expect("items");
    // Approved only; replies under a held or spam comment are not shown; pingbacks are no comments.
    assert_eq!(field(items, "text").len(), 5, "{list}");
    let names: Vec<&str> = items.iter().map(|item| item["author"]["name"].as_str().unwrap_or_default()).collect();
    assert_eq!(names, ["Awa Ndiaye", "Moussa Diop", "Fatou Sall", "Ibrahima Fall", "Pirate"]);
    assert_eq!(list["total"], 5);
    // Threads through `parent`, three replies deep.
    let ids = field(items, "id");
    assert_eq!(items[0]["parent"], Value::Null);
    assert_eq!((items[1]["parent"].as_str(), items[2]["parent"].as_str(), items[3]["parent"].as_str()), (Some(ids[0]), Some(ids[1]), Some(ids[2])));
    assert_eq!(items[0]["text"], "Merci pour cet article.\n\nUne question : quand reprend le travail ?");
    assert_eq!(items[0]["author"]["url"], "https://awa.example");
    assert_eq!(items[0]["created"], "2026-11-20T10:01:00Z");
    assert_eq!(items[1]["text"], "Lundi, selon le communiqué (https://syndicat.example/communique).");
    // Hostile HTML in WordPress is text here, and nothing of the code is left.
    let hostile = &items[4];
    assert_eq!(hostile["text"], "Bonjour cliquez ici fin.");
    assert_eq!(hostile["author"]["url"], Value::Null);
    assert!(!reply.body.contains("pwned") && !reply.body.contains("<script") && !reply.body.contains("javascript:"), "{}", reply.body);
    // What the widget reads, it accepts.
    assert!(kiosque::model::comments::parse_comments_page(&reply.body).is_ok(), "{}", reply.body);

    // Every comment of an article WordPress shows none of: an empty list.
    let empty = server.get("/api/articles/lions-qualifies/comments").json();
    assert_eq!((empty["items"].as_array().map(Vec::len), empty["total"].as_i64()), (Some(0), Some(0)));
    assert_eq!(server.get("/api/articles/n-existe-pas/comments").status, 404);
}

/// WordPress keeps these comments and its own rules: no votes, no editing through Kiosque (nor on
/// the comments of the content directory's articles, which the widget cannot tell apart).
#[test]
fn wordpress_comments_have_neither_votes_nor_edits() {
    let site = WordPressSite::shared();
    let server = TestServer::start(in_wordpress(site));
    let config = server.get("/api/config").json();
    assert_eq!((&config["votes"], &config["edit_window"]), (&json!(false), &json!(0)));
    let page = server.get("/api/articles/greve-au-port-de-dakar/comments").json();
    assert_eq!(page["reader_actions"], json!({ "vote": false, "edit_seconds": 0, "notify": false }));
    let created = server.post_comment("ouvert", json!({ "text": "Sans jeton.", "voter": "lecteur-0123456789abcdef" }));
    assert_eq!(created.status, 201, "{}", created.body);
    let created = created.json();
    assert!(created.get("edit_token").is_none() && created.get("editable_until").is_none(), "{created}");
    let id = created["comment"]["id"].as_str().expect("id");
    let send = |method: &str, path: &str, body: Value| {
        let body = body.to_string();
        common::request(server.addr, method, path, &[("Content-Type", "application/json")], Some(body.as_bytes()))
    };
    let vote = send("POST", &format!("/api/comments/{id}/vote"), json!({ "voter": "autre-lecteur-0123456789", "value": 1 }));
    assert_eq!((vote.status, vote.error()), (404, "not_found".to_string()));
    assert_eq!(send("PATCH", &format!("/api/comments/{id}"), json!({ "edit_token": "x", "text": "y" })).status, 404);
    assert_eq!(send("DELETE", &format!("/api/comments/{id}"), json!({ "edit_token": "x" })).status, 404);
}

#[test]
fn every_page_of_wordpress_comments_is_read() {
    let site = WordPressSite::shared();
    let post_id = site.post_id("lutte-arene");
    // 230 approved comments: three pages of WordPress's 100, each a thread with one reply.
    site.php(&format!(
        "for ($i = 1; $i <= 115; $i++) {{ \
           $d = gmdate('Y-m-d H:i:s', strtotime('2026-11-22 19:00:00 UTC') + 120 * $i); \
           $c = wp_insert_comment(['comment_post_ID' => {post_id}, 'comment_author' => \"Lecteur $i\", 'comment_content' => \"Avis numéro $i\", \
             'comment_approved' => 1, 'comment_date' => $d, 'comment_date_gmt' => $d]); \
           $r = gmdate('Y-m-d H:i:s', strtotime($d . ' UTC') + 60); \
           wp_insert_comment(['comment_post_ID' => {post_id}, 'comment_author' => 'Réponse', 'comment_content' => \"Réponse à $i\", \
             'comment_approved' => 1, 'comment_parent' => $c, 'comment_date' => $r, 'comment_date_gmt' => $r]); }}"
    ));
    let server = TestServer::start(in_wordpress(site));
    let first = server.get("/api/articles/lutte-arene/comments?limit=100").json();
    assert_eq!(first["total"], 230, "every page of WordPress's");
    let items = first["items"].as_array().expect("items");
    assert_eq!(items.len(), 200, "100 threads of two");
    assert_eq!((items[0]["text"].as_str(), items[1]["text"].as_str()), (Some("Avis numéro 1"), Some("Réponse à 1")));
    assert_eq!(items[1]["parent"], items[0]["id"]);
    assert_eq!(first["next"], "/api/articles/lutte-arene/comments?page=2&limit=100");
    let last = server.get("/api/articles/lutte-arene/comments?page=2&limit=100").json();
    let items = last["items"].as_array().expect("items");
    assert_eq!((items.len(), items[29]["text"].as_str()), (30, Some("Réponse à 115")));
}

#[test]
fn a_non_ascii_slug_is_an_article_and_has_comments() {
    let site = WordPressSite::shared();
    let server = TestServer::start(in_wordpress(site));
    // « داكار »: WordPress's slug is %d8%af…; a reader's URL carries the id percent-encoded once.
    for path in ["/api/articles/%D8%AF%D8%A7%D9%83%D8%A7%D8%B1", "/api/articles/%d8%af%d8%a7%d9%83%d8%a7%d8%b1"] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        assert_eq!(reply.json()["id"], "داكار");
        assert_eq!(reply.json()["headline"], "داكار");
    }
    // Related items link to it with that URL.
    let related = server.get("/api/articles/saint-louis-pont/related?limit=50").json();
    let srcs: Vec<&str> = related["items"].as_array().expect("items").iter().filter_map(|item| item["src"].as_str()).collect();
    assert!(srcs.contains(&"/api/articles/%D8%AF%D8%A7%D9%83%D8%A7%D8%B1"), "{srcs:?}");
    // « L’été à Dakar »: WordPress transliterates the accents.
    let summer = server.get("/api/articles/lete-a-dakar");
    assert_eq!((summer.status, summer.json()["headline"].as_str()), (200, Some("L’été à Dakar")));
    let comments = server.get("/api/articles/lete-a-dakar/comments").json();
    assert_eq!(comments["items"][0]["text"], "Vivement la pluie.");
    assert_eq!(server.get("/api/articles/%D8%AF%D8%A7%D9%83%D8%A7%D8%B1/comments").status, 200);
}

#[test]
fn a_comment_is_created_in_wordpress_after_kiosques_checks() {
    let site = WordPressSite::shared();
    let server = TestServer::start(in_wordpress(site));
    let post_id = site.post_id("thies-coupure-samedi");
    let article = "/api/articles/thies-coupure-samedi/comments";

    // Kiosque's own checks first: nothing reaches WordPress.
    let refused = [
        (comment(json!({ "text": "Pot de miel rempli", "honeypot": "moi" })), 422, "rejected"),
        (comment(json!({ "text": "Trop rapide", "elapsed_ms": 10 })), 422, "rejected"),
        (comment(json!({ "text": "Sans nom", "author_name": "" })), 422, "validation"),
        (comment(json!({ "text": "Mauvais captcha", "captcha": { "kind": "stub", "token": "stub:1:a:0.1" } })), 403, "captcha"),
    ];
    for (body, status, code) in refused {
        let reply = server.post_json(article, &body);
        assert_eq!((reply.status, reply.error().as_str()), (status, code), "{}", reply.body);
        assert_eq!(count_in_wordpress(site, post_id, body["text"].as_str().unwrap_or_default()), 0, "{body}");
    }

    // Someone WordPress already approved once is approved again (its "previously approved" rule).
    let text = "Coupure confirmée à Thiès <b>aussi</b> & ailleurs.\n\nDeuxième paragraphe.";
    let started = Instant::now();
    let reply = server.post_json(article, &comment(json!({ "author_name": "Awa Ndiaye", "author_email": "awa@example.sn", "text": text })));
    eprintln!("comment created in WordPress in {} ms", started.elapsed().as_millis());
    assert_eq!(reply.status, 201, "{}", reply.body);
    let created = reply.json()["comment"].clone();
    assert_eq!(created["status"], "approved");
    assert_eq!(created["text"], text, "the reader's text, as typed");
    let id = created["id"].as_str().expect("an id").to_string();
    let stored = in_wordpress_db(site, &id);
    assert_eq!(stored["post"], post_id);
    assert_eq!((stored["author"].as_str(), stored["email"].as_str(), stored["approved"].as_str()), (Some("Awa Ndiaye"), Some("awa@example.sn"), Some("1")));
    assert!(stored["content"].as_str().is_some_and(|content| content.contains("&lt;b&gt;aussi&lt;/b&gt; &amp; ailleurs")), "text, never markup: {stored}");
    let list = server.get(article).json();
    let shown = list["items"].as_array().expect("items").iter().find(|item| item["id"] == id.as_str()).cloned().expect("listed");
    assert_eq!(shown["text"], text, "read back as the same text");

    // A reply to it; a newcomer is held by WordPress (pending), and not listed.
    let reply = server.post_json(article, &comment(json!({ "author_name": "Nouveau Lecteur", "author_email": "nouveau@example.sn", "parent": id, "text": "Une réponse en attente." })));
    assert_eq!(reply.status, 201, "{}", reply.body);
    let held = reply.json()["comment"].clone();
    assert_eq!((held["status"].as_str(), held["parent"].as_str()), (Some("pending"), Some(id.as_str())));
    let stored = in_wordpress_db(site, held["id"].as_str().expect("id"));
    assert_eq!((stored["approved"].as_str(), stored["parent"].to_string()), (Some("0"), id.clone()));
    assert!(!server.get(article).body.contains("Une réponse en attente."));

    // A parent of another post is no parent here.
    let other = server.get("/api/articles/greve-au-port-de-dakar/comments").json()["items"][0]["id"].as_str().expect("id").to_string();
    let reply = server.post_json(article, &comment(json!({ "parent": other, "text": "Mauvais parent" })));
    assert_eq!((reply.status, reply.json()["fields"]["parent"].as_str()), (422, Some("not_found")), "{}", reply.body);
}

fn retry_with_the_same_key_creates_one_comment(backend: Backend) {
    let site = WordPressSite::shared();
    let server = TestServer::start_on(backend, in_wordpress(site));
    let post_id = site.post_id("saint-louis-pont");
    let text = format!("Une seule fois ({backend:?}), même en réessayant.");
    let body = comment(json!({ "text": text, "idempotency_key": format!("cle-unique-{backend:?}") }));
    let first = server.post_json("/api/articles/saint-louis-pont/comments", &body);
    assert_eq!(first.status, 201, "{}", first.body);
    let again = server.post_json("/api/articles/saint-louis-pont/comments", &body);
    assert_eq!((again.status, again.json()), (201, first.json()), "the same answer");
    // Several retries at once, the captcha left out as a client that lost the answer might.
    let addr = server.addr;
    let retries: Vec<_> = (0..4)
        .map(|_| {
            let body = comment(json!({ "text": text, "idempotency_key": format!("cle-unique-{backend:?}"), "captcha": null }));
            std::thread::spawn(move || common::request(addr, "POST", "/api/articles/saint-louis-pont/comments", &[("Content-Type", "application/json")], Some(body.to_string().as_bytes())))
        })
        .collect();
    for retry in retries {
        let reply = retry.join().expect("retry");
        assert_eq!(reply.status, 201, "{}", reply.body);
        assert_eq!(reply.json(), first.json());
    }
    assert_eq!(count_in_wordpress(site, post_id, &text), 1, "one comment in WordPress");

    // A new key with the same text is WordPress's duplicate: not accepted, and said why.
    let duplicate = server.post_json("/api/articles/saint-louis-pont/comments", &comment(json!({ "text": text, "idempotency_key": format!("autre-cle-{backend:?}") })));
    assert_eq!((duplicate.status, duplicate.error().as_str()), (422, "duplicate"), "{}", duplicate.body);
    assert!(duplicate.json()["message"].as_str().is_some_and(|message| message.contains("already")), "{}", duplicate.body);
    assert_eq!(count_in_wordpress(site, post_id, &text), 1);
}


#[test]
fn comments_closed_in_wordpress_are_409() {
    let site = WordPressSite::shared();
    let server = TestServer::start(in_wordpress(site));
    // The article is read (and kept) while its comments are open…
    let article = server.get("/api/articles/marathon-dakar").json();
    assert_eq!(article["comments"]["open"], true, "{article}");
    // …then the newsroom closes them in wp-admin.
    let post_id = site.post_id("marathon-dakar");
    site.php(&format!("wp_update_post(['ID' => {post_id}, 'comment_status' => 'closed']);"));
    let reply = server.post_json("/api/articles/marathon-dakar/comments", &comment(json!({ "text": "Trop tard ?" })));
    assert_eq!((reply.status, reply.error().as_str()), (409, "closed"), "{}", reply.body);
    // The hostile post is closed in WordPress from the start: our own check answers.
    let reply = server.post_json("/api/articles/contenu-hostile/comments", &comment(json!({ "text": "Fermé" })));
    assert_eq!((reply.status, reply.error().as_str()), (409, "closed"));
}

#[test]
fn wordpress_comments_need_wordpress() {
    let dir = common::site_dir();
    let options = ServeOptions {
        data: dir.path().join("data"),
        content: dir.path().join("content"),
        comments: CommentsSource::Wordpress,
        ..ServeOptions::default()
    };
    let error = block_on(kiosque_server::prepare(options)).err().map(|error| error.to_string()).unwrap_or_default();
    assert!(error.contains("--comments wordpress") && error.contains("--wordpress URL"), "{error}");
}

#[test]
fn the_start_check_flood_and_outages() {
    // Its own site: its plugins change, and it is stopped.
    let site = WordPressSite::start();
    std::fs::remove_file(site.mu_plugin("kiosque-comments.php")).expect("remove the plugin");
    std::fs::remove_file(site.mu_plugin("kiosque-test-no-flood.php")).expect("remove the plugin");
    let post_id = site.post_id("greve-au-port-de-dakar");
    let before = count_in_wordpress(&site, post_id, "");

    // Without the filter: the server does not start, and says what to add.
    let dir = common::site_dir();
    let (data, content) = (dir.path().join("data"), dir.path().join("content"));
    let (code, _, stderr) = run_binary(&["--addr", "127.0.0.1:0", "--data", arg(&data), "--content", arg(&content), "--wordpress", &site.url, "--comments", "wordpress"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("add_filter( 'rest_allow_anonymous_comments', '__return_true' );") && stderr.contains("mu-plugins"), "{stderr}");
    assert_eq!(count_in_wordpress(&site, post_id, ""), before, "the check created nothing");
    // With --comments local the same site is fine.
    let local = TestServer::start(|options| options.wordpress = Some(site.url.parse().expect("url")));
    assert_eq!(local.get("/api/articles/greve-au-port-de-dakar/comments").status, 200);

    std::fs::write(site.mu_plugin("kiosque-comments.php"), "<?php\nadd_filter( 'rest_allow_anonymous_comments', '__return_true' );\n").expect("write");
    let server = TestServer::start(|options| {
        in_wordpress(&site)(options);
        options.wordpress_timeout = 1;
    });
    // WordPress's flood throttle: every comment comes from Kiosque's address.
    let first = server.post_comment("greve-au-port-de-dakar", json!({ "text": "Premier envoi rapide." }));
    assert_eq!(first.status, 201, "{}", first.body);
    let second = server.post_comment("greve-au-port-de-dakar", json!({ "author_name": "Autre", "author_email": "autre@example.sn", "text": "Second envoi rapide." }));
    assert_eq!((second.status, second.error().as_str()), (429, "rate_limited"), "{}", second.body);
    assert_eq!(second.header("retry-after"), Some("15"));

    // Slow: PHP frozen. The list and a new comment answer 504, JSON, in about the timeout.
    site.signal_php("-STOP");
    let started = Instant::now();
    let slow = server.post_comment("greve-au-port-de-dakar", json!({ "text": "Envoyé pendant le gel.", "idempotency_key": "gel-1" }));
    eprintln!("a frozen WordPress answered by a {} after {} ms", slow.status, started.elapsed().as_millis());
    assert_eq!((slow.status, slow.error().as_str()), (504, "upstream"), "{}", slow.body);
    let slow_list = server.get("/api/articles/greve-au-port-de-dakar/comments");
    assert_eq!((slow_list.status, slow_list.error().as_str()), (504, "upstream"), "{}", slow_list.body);
    site.signal_php("-CONT");

    // Down: 502 JSON for both (the article itself is served from the last good copy).
    site.stop();
    let down = server.get("/api/articles/greve-au-port-de-dakar/comments");
    assert_eq!((down.status, down.error().as_str()), (502, "upstream"), "{}", down.body);
    assert!(down.header("content-type").is_some_and(|value| value.starts_with("application/json")));
    let post = server.post_comment("greve-au-port-de-dakar", json!({ "text": "Envoyé pendant la panne.", "idempotency_key": "panne-1" }));
    assert_eq!((post.status, post.error().as_str()), (502, "upstream"), "{}", post.body);
    assert_eq!(server.get("/api/articles/greve-au-port-de-dakar").status, 200);
}

fn import(args: &[&str]) -> (i32, String, String) {
    run_binary(&[&["import-wxr"], args].concat())
}

fn import_wxr_brings_wordpresss_comments(backend: Backend) {
    let site = WordPressSite::shared();
    let dir = common::site_dir();
    let database = common::database_for(backend, dir.path());
    let flag = database.as_flag();
    let export = site.export_path();

    // A file that is not an export: a clear error, nothing stored.
    let broken = dir.path().join("broken.xml");
    let xml = std::fs::read_to_string(&export).expect("the export");
    std::fs::write(&broken, &xml[..xml.len() / 2]).expect("write");
    let (code, _, stderr) = import(&[arg(&broken), "--database", &flag]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("broken.xml") && stderr.contains("not well-formed XML"), "{stderr}");

    let started = Instant::now();
    let (code, stdout, stderr) = import(&[arg(&export), "--database", &flag]);
    eprintln!("import-wxr of the test site in {} ms", started.elapsed().as_millis());
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Comments: 8 imported, 0 already there, 3 left out (1 trash, 1 pingbacks, 1 replies whose parent is missing) (in 2 articles)."),
        "{stdout}"
    );
    assert!(stdout.contains("  greve-au-port-de-dakar: 7 imported") && stdout.contains("  lete-a-dakar: 1 imported"), "{stdout}");
    assert_eq!(common::count_rows(&database), 8);

    // Twice: nothing more.
    let (code, stdout, _) = import(&[arg(&export), "--database", &flag]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Comments: 0 imported, 8 already there"), "{stdout}");
    assert_eq!(common::count_rows(&database), 8);

    // Readers see them under the post's slug, as WordPress showed them.
    let server = TestServer::start_with(dir, database, |options| options.wordpress = Some(site.url.parse().expect("url")));
    let reply = server.get("/api/articles/greve-au-port-de-dakar/comments");
    assert_eq!(reply.status, 200, "{}", reply.body);
    let items = reply.json()["items"].as_array().expect("items").clone();
    let names: Vec<&str> = items.iter().map(|item| item["author"]["name"].as_str().unwrap_or_default()).collect();
    assert_eq!(names, ["Awa Ndiaye", "Moussa Diop", "Fatou Sall", "Ibrahima Fall", "Pirate"], "the held one and its reply wait");
    let ids = field(&items, "id");
    assert_eq!((items[1]["parent"].as_str(), items[2]["parent"].as_str(), items[3]["parent"].as_str()), (Some(ids[0]), Some(ids[1]), Some(ids[2])));
    assert_eq!(items[0]["text"], "Merci pour cet article.\n\nUne question : quand reprend le travail ?");
    assert_eq!(items[0]["created"], "2026-11-20T10:01:00Z");
    assert_eq!(items[0]["author"]["url"], "https://awa.example");
    assert_eq!(items[1]["text"], "Lundi, selon le communiqué (https://syndicat.example/communique).");
    assert_eq!(items[4]["text"], "Bonjour cliquez ici fin.");
    assert_eq!(items[4]["author"]["url"], Value::Null);
    assert!(!reply.body.contains("pwned") && !reply.body.contains("<script"), "{}", reply.body);
    // The held comment is pending, with its email, for the moderators.
    let pending = block_on(server.store().pending()).expect("pending");
    let held: Vec<(&str, Option<&str>)> = pending.iter().map(|row| (row.author_name.as_str(), row.author_email.as_deref())).collect();
    assert_eq!(held, [("En attente", Some("lecteur@example.sn"))]);
    assert_eq!(server.get("/api/articles/lete-a-dakar/comments").json()["items"][0]["text"], "Vivement la pluie.");
    // A reader can answer an imported comment.
    let answer = server.post_comment("greve-au-port-de-dakar", json!({ "parent": ids[3], "text": "Réponse à un commentaire importé." }));
    assert_eq!(answer.status, 201, "{}", answer.body);
}

on_both_backends!(retry_with_the_same_key_creates_one_comment, import_wxr_brings_wordpresss_comments);
