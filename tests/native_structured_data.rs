//! The article's schema.org JSON-LD (src/model/structured_data.rs).
// Tests run natively, where the wasm's size rules (clippy.toml) do not apply.
#![allow(clippy::disallowed_macros, clippy::disallowed_methods, clippy::disallowed_types)]

use kiosque::model::parse_article;
use kiosque::model::structured_data::news_article;
use serde_json::{json, Value};

#[test]
fn an_article_becomes_news_article_json_ld() {
    let raw = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/fr-complet.json")).expect("fixture");
    let article = parse_article(&raw).expect("a valid article").article;
    let written: Value = serde_json::from_str(&news_article(&article, 7, "https://host.example")).expect("JSON");
    assert_eq!(written["@type"], "NewsArticle");
    assert_eq!(written["headline"], article.headline);
    assert_eq!(written["commentCount"], 7);
    assert_eq!(written["image"], json!(["https://host.example/fixtures/images/dakar-port.svg"]));
    assert_eq!(written["author"][2], json!({ "@type": "Person", "name": "Fatou Diouf (stagiaire)" }));
    assert_eq!(written["publisher"]["@type"], "Organization");
}

#[test]
fn hostile_text_is_escaped_and_unusable_addresses_are_left_out() {
    let raw = json!({
        "id": "x",
        "headline": "</script><script>alert(1)</script> \"quoted\" \\ \u{2028}",
        "published": "2026-11-22T08:30:00Z",
        "body": [],
        "image": { "url": "relative/photo.jpg", "alt": "" },
        "authors": [{ "name": "A", "url": "//evil.example/" }],
    });
    let article = parse_article(&raw.to_string()).expect("a valid article").article;
    let text = news_article(&article, 0, "https://host.example");
    let written: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(written["headline"], article.headline);
    assert!(written.get("image").is_none(), "{text}");
    assert!(written["author"][0].get("url").is_none(), "{text}");
    assert!(written.get("dateModified").is_none());
}
