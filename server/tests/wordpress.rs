//! `--wordpress`: the server over real HTTP, reading a real WordPress (scripts/wordpress.sh) whose
//! site has plain permalinks, so its REST API answers at `?rest_route=` only.

mod common;

use std::time::Instant;

use common::wordpress::WordPressSite;
use common::{arg, block_on, run_binary, TestServer};
use kiosque::model::parse_article;
use kiosque_server::cli::ServeOptions;
use serde_json::{json, Value};

fn with_wordpress(site: &WordPressSite) -> impl FnOnce(&mut ServeOptions) + '_ {
    move |options: &mut ServeOptions| options.wordpress = Some(site.url.parse().expect("url"))
}

fn related_ids(reply: &Value) -> Vec<String> {
    reply["items"].as_array().expect("items").iter().map(|item| item["id"].as_str().unwrap_or_default().to_string()).collect()
}

#[test]
fn posts_are_served_by_slug_and_by_number() {
    let site = WordPressSite::shared();
    let server = TestServer::start(with_wordpress(site));
    let started = Instant::now();
    let reply = server.get("/api/articles/greve-au-port-de-dakar");
    eprintln!("first answer (uncached) in {} ms", started.elapsed().as_millis());
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.header("content-type").is_some_and(|t| t.starts_with("application/json")));
    let article = reply.json();
    assert_eq!(article["headline"], "Grève au port : l’heure du choix & des comptes");
    assert_eq!(article["site"]["name"], "Le Courrier de Test");
    assert_eq!(article["section"]["label"], "Sénégal");
    assert_eq!(article["lang"], "fr");
    assert_eq!(article["image"]["width"], 120);
    assert!(article["image"]["url"].as_str().is_some_and(|url| url.starts_with(&site.url)), "absolute: {}", article["image"]);
    let types: Vec<&str> = article["body"].as_array().expect("body").iter().map(|block| block["type"].as_str().unwrap_or_default()).collect();
    for kind in ["paragraph", "heading", "list", "quote", "image", "divider", "table", "embed"] {
        assert!(types.contains(&kind), "{kind} in {types:?}");
    }
    assert_eq!(article["version"], "1.1", "a body with tables and embeds is contract 1.1");
    let table = article["body"].as_array().and_then(|body| body.iter().find(|block| block["type"] == "table")).expect("a table");
    assert_eq!(table["caption"], "Navires à quai, lundi");
    assert_eq!(table["head"], serde_json::json!([[[{ "text": "Quai" }], [{ "text": "Navires" }]]]));
    assert_eq!(table["rows"].as_array().map(Vec::len), Some(2));
    let embed = article["body"].as_array().and_then(|body| body.iter().find(|block| block["type"] == "embed")).expect("an embed");
    assert_eq!(embed["provider"], "YouTube");
    assert_eq!(embed["url"], "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
    // What the widget is sent, it can show.
    assert!(parse_article(&reply.body).is_ok());

    let id = site.post_id("greve-au-port-de-dakar");
    let by_number = server.get(&format!("/api/articles/{id}"));
    assert_eq!(by_number.status, 200, "{}", by_number.body);
    assert_eq!(by_number.json()["id"], "greve-au-port-de-dakar", "the slug is the article's id");
    assert_eq!(by_number.json()["headline"], article["headline"]);

    // Cached by browsers and CDNs like a local article, and revalidated for a 304.
    assert!(reply.header("cache-control").is_some_and(|value| value.starts_with("public, max-age=")), "{reply:?}");
    let etag = reply.header("etag").expect("an ETag").to_string();
    let again = common::request(server.addr, "GET", "/api/articles/greve-au-port-de-dakar", &[("If-None-Match", &etag)], None);
    assert_eq!(again.status, 304);
}

#[test]
fn hostile_and_protected_posts_are_served_safely() {
    let site = WordPressSite::shared();
    let server = TestServer::start(with_wordpress(site));
    let hostile = server.get("/api/articles/contenu-hostile");
    assert_eq!(hostile.status, 200, "{}", hostile.body);
    for forbidden in ["<script", "alert", "javascript:", "data:", "evil.example", "onclick", "onerror"] {
        assert!(!hostile.body.contains(forbidden), "{forbidden} in {}", hostile.body);
    }
    assert!(hostile.body.contains("Avant le script.") && hostile.body.contains("un lien sain"), "{}", hostile.body);
    assert_eq!(hostile.json()["comments"]["open"], false);

    let protected = server.get("/api/articles/reserve-aux-abonnes");
    assert_eq!(protected.status, 200, "{}", protected.body);
    let article = protected.json();
    assert_eq!(article["headline"], "Réservé aux abonnés");
    assert!(article["body"][0]["text"][0]["text"].as_str().is_some_and(|text| text.contains("protégé par un mot de passe")), "{article}");
    assert!(!protected.body.contains("secret"));
}

#[test]
fn unknown_posts_are_404() {
    let site = WordPressSite::shared();
    let server = TestServer::start(with_wordpress(site));
    for path in ["/api/articles/n-existe-pas", "/api/articles/999999", "/api/articles/n-existe-pas/related"] {
        let reply = server.get(path);
        assert_eq!((reply.status, reply.error().as_str()), (404, "not_found"), "{path}: {}", reply.body);
    }
}

#[test]
fn a_local_file_wins_and_local_articles_stay() {
    let site = WordPressSite::shared();
    let dir = common::site_dir();
    let local = json!({
        "id": "greve-au-port-de-dakar", "headline": "La version locale", "published": "2026-11-20T09:30:00Z",
        "body": [{ "type": "paragraph", "text": "Écrite à la main." }],
    });
    std::fs::write(dir.path().join("content/greve-locale.json"), local.to_string()).expect("write");
    let server = TestServer::start_in(dir, with_wordpress(site));
    assert_eq!(server.get("/api/articles/greve-au-port-de-dakar").json()["headline"], "La version locale");
    assert_eq!(server.get("/api/articles/ouvert").json()["headline"], "Titre de ouvert", "the content directory's articles");
    assert_eq!(server.get("/api/articles/thies-coupure-samedi").json()["headline"], "Coupure d’électricité samedi à Thiès");
}

#[test]
fn related_news_is_the_category_newest_first_then_the_newest_posts() {
    let site = WordPressSite::shared();
    let server = TestServer::start(with_wordpress(site));
    let first = server.get("/api/articles/greve-au-port-de-dakar/related?limit=4");
    assert_eq!(first.status, 200, "{}", first.body);
    let first = first.json();
    // Sénégal, newest first, without the post itself…
    assert_eq!(related_ids(&first), ["reserve-aux-abonnes", "contenu-hostile", "thies-coupure-samedi", "saint-louis-pont"]);
    assert_eq!(first["next"], "/api/articles/greve-au-port-de-dakar/related?page=2&limit=4");
    let item = &first["items"][2];
    assert_eq!(item["src"], "/api/articles/thies-coupure-samedi");
    assert_eq!(item["section"]["label"], "Sénégal");
    assert_eq!(item["published"], "2026-11-17T10:00:00Z");
    // …then the newest posts of the site.
    let second = server.get("/api/articles/greve-au-port-de-dakar/related?page=2&limit=4").json();
    assert_eq!(related_ids(&second), ["lete-a-dakar", "داكار", "marathon-dakar", "lutte-arene"]);
    let third = server.get("/api/articles/greve-au-port-de-dakar/related?page=3&limit=4").json();
    assert_eq!(related_ids(&third), ["lions-qualifies"]);
    assert_eq!(third["next"], Value::Null);
}

#[test]
fn a_site_that_is_not_wordpress_is_refused_at_start() {
    // Another Kiosque server: it answers JSON, but not WordPress's.
    let other = TestServer::start(|_| {});
    let options = ServeOptions { wordpress: Some(format!("http://{}/", other.addr).parse().expect("url")), ..ServeOptions::default() };
    let dir = common::site_dir();
    let options = ServeOptions { data: dir.path().join("data"), content: dir.path().join("content"), ..options };
    let error = match block_on(kiosque_server::prepare(options)) {
        Ok(_) => panic!("a Kiosque server taken for WordPress"),
        Err(error) => error.to_string(),
    };
    assert!(error.contains("does not look like a WordPress site"), "{error}");

    // Nothing listening: the binary says so and exits.
    let unused = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("address");
    let (data, content) = (dir.path().join("data"), dir.path().join("content"));
    let wordpress = format!("http://{unused}");
    let (code, _, stderr) = run_binary(&["--addr", "127.0.0.1:0", "--data", arg(&data), "--content", arg(&content), "--wordpress", &wordpress]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("--wordpress") && stderr.contains("cannot be reached"), "{stderr}");
    assert!(!stderr.contains("does not look like"), "down is not “not WordPress”: {stderr}");
}

#[test]
fn when_wordpress_is_slow_or_stops_the_last_good_copy_is_served_else_502() {
    // Its own WordPress: the shared one keeps running for the other tests.
    let site = WordPressSite::start();
    let server = TestServer::start(|options| {
        options.wordpress = Some(site.url.parse().expect("url"));
        // Every request asks WordPress again, so the copy below is served because WordPress failed.
        options.wordpress_ttl = 0;
        options.wordpress_timeout = 1;
    });
    let before = server.get("/api/articles/greve-au-port-de-dakar");
    assert_eq!(before.status, 200, "{}", before.body);
    let related_before = server.get("/api/articles/greve-au-port-de-dakar/related");
    assert_eq!(related_before.status, 200);

    // Slow: PHP frozen, connections accepted, no answer.
    site.signal_php("-STOP");
    let started = Instant::now();
    let slow = server.get("/api/articles/greve-au-port-de-dakar");
    eprintln!("last good copy served {} ms after asking a frozen WordPress", started.elapsed().as_millis());
    assert_eq!((slow.status, slow.body.as_str()), (200, before.body.as_str()), "the last good copy");
    let uncached = server.get("/api/articles/saint-louis-pont");
    assert_eq!((uncached.status, uncached.error().as_str()), (502, "upstream"), "{}", uncached.body);
    assert!(uncached.body.contains("did not answer within 1 s"), "{}", uncached.body);
    site.signal_php("-CONT");
    assert_eq!(server.get("/api/articles/saint-louis-pont").status, 200, "WordPress back, the post is served");

    site.stop();
    let after = server.get("/api/articles/greve-au-port-de-dakar");
    assert_eq!(after.status, 200, "{}", after.body);
    assert_eq!(after.body, before.body, "the last good copy");
    assert_eq!(server.get("/api/articles/greve-au-port-de-dakar/related").body, related_before.body);

    let uncached = server.get("/api/articles/thies-coupure-samedi");
    assert_eq!((uncached.status, uncached.error().as_str()), (502, "upstream"), "{}", uncached.body);
    let message = uncached.json()["message"].as_str().unwrap_or_default().to_string();
    assert!(message.contains("WordPress") && message.contains("cannot be reached"), "{message}");
    assert_eq!(uncached.header("cache-control"), Some("no-store"), "an outage is never cached downstream");
    // The content directory does not depend on WordPress.
    assert_eq!(server.get("/api/articles/ouvert").status, 200);
}

#[test]
fn readers_arriving_together_cost_wordpress_one_request() {
    let site = WordPressSite::shared();
    let server = TestServer::start(with_wordpress(site));
    // No other test asks for this post by its slug; PHP's log has a line per request.
    let asked = || std::fs::read_to_string(site.dir.join("php.log")).unwrap_or_default().matches("slug=lions-qualifies").count();
    let before = asked();
    let addr = server.addr;
    let readers: Vec<_> = (0..12)
        .map(|_| std::thread::spawn(move || common::request(addr, "GET", "/api/articles/lions-qualifies", &[], None)))
        .collect();
    for reader in readers {
        let reply = reader.join().expect("reader");
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.json()["headline"], "Les Lions qualifiés");
    }
    assert_eq!(asked() - before, 1, "12 readers at once, one request to WordPress");
}

#[test]
fn what_is_left_out_of_a_post_is_logged() {
    let site = WordPressSite::shared();
    let dir = common::site_dir();
    let (data, content) = (dir.path().join("data"), dir.path().join("content"));
    let mut binary = common::start_binary(&["--data", arg(&data), "--content", arg(&content), "--wordpress", &site.url, "--log-format", "json"]);
    let reply = common::request(binary.addr, "GET", "/api/articles/contenu-hostile", &[], None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    binary.child.kill().expect("kill");
    let _ = binary.child.wait();
    let log = binary.stderr();
    let line = log.lines().find(|line| line.contains("content left out")).unwrap_or_else(|| panic!("no line about what was left out: {log}"));
    let event: Value = serde_json::from_str(line).expect("a JSON log line");
    assert_eq!(event["article"], "contenu-hostile", "{line}");
    let dropped = event["dropped"].as_str().unwrap_or_default();
    for reported in ["<script>", "<iframe>", "<svg>", "javascript:", "onclick"] {
        assert!(dropped.contains(reported), "{reported} in {dropped}");
    }
    assert!(log.contains("articles from WordPress") && log.contains("Le Courrier de Test"), "{log}");
}
