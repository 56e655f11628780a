//! Related news: merging, exclusion, de-duplication, limits, page parsing and date choice.
#![cfg(not(target_arch = "wasm32"))]

use kiosque::config::{Config, ConfigError, PageContext, RelatedMode};
use kiosque::model::links::safe_href;
use kiosque::model::related::{RelativeUnit, DEFAULT_RELATED_LIMIT};
use kiosque::model::{date_display, lists_others, merge_related, parse_article, parse_related_page, DateDisplay, Notice, RelatedItem};

fn item(id: Option<&str>, url: &str) -> RelatedItem {
    RelatedItem {
        id: id.map(str::to_string),
        url: safe_href(url).expect("safe url"),
        src: None,
        headline: format!("Titre {url}"),
        section: None,
        image: None,
        published: None,
    }
}

fn ids(list: &[RelatedItem]) -> Vec<&str> {
    list.iter().map(|i| i.id.as_deref().unwrap_or(i.url.url.as_str())).collect()
}

#[test]
fn merging_keeps_order_and_drops_the_current_article_and_duplicates() {
    let mut list = Vec::new();
    merge_related(&mut list, vec![item(Some("a"), "/a"), item(Some("self"), "/self"), item(Some("b"), "/b")], "self", Some("/self"));
    assert_eq!(ids(&list), ["a", "b"]);
    // The server's page repeats "b", lists the article itself by its address, and adds "c".
    merge_related(&mut list, vec![item(Some("b"), "/b"), item(None, "/self"), item(Some("c"), "/c"), item(None, "/a")], "self", Some("/self"));
    assert_eq!(ids(&list), ["a", "b", "c"], "an item without id is a duplicate of one with the same address");
}

#[test]
fn a_list_naming_only_the_current_article_lists_no_other() {
    // The widget writes no place for the related news then (src/components/on_demand.rs).
    assert!(!lists_others(&[], "self", Some("/self")));
    assert!(!lists_others(&[item(Some("self"), "/x"), item(None, "/self")], "self", Some("/self")));
    assert!(lists_others(&[item(Some("self"), "/self"), item(Some("a"), "/a")], "self", Some("/self")));
    assert!(lists_others(&[item(None, "/a")], "self", None));
}

#[test]
fn a_related_page_parses_and_skips_broken_items() {
    let json = r#"{"title": "À lire aussi", "next": "/api/articles/x/related?page=2", "items": [
        {"id": "a", "url": "/a", "src": "/api/articles/a", "headline": "A", "published": "2026-11-21T10:00:00Z",
         "section": {"label": "Bénin", "url": "/benin"}, "image": {"url": "/a.svg", "width": 400, "height": 225}},
        {"id": "b", "headline": "Sans adresse"},
        {"id": "c", "url": "javascript:alert(1)", "headline": "Piège"},
        {"id": "d", "url": "/d", "src": "javascript:alert(2)", "headline": "D"}
    ]}"#;
    let (page, notices) = parse_related_page(json).expect("parses");
    assert_eq!(page.title.as_deref(), Some("À lire aussi"));
    assert_eq!(page.next.as_deref(), Some("/api/articles/x/related?page=2"));
    assert_eq!(ids(&page.items), ["a", "d"]);
    assert_eq!(page.items[0].section.as_ref().map(|s| s.label.as_str()), Some("Bénin"));
    assert_eq!(page.items[1].src, None, "an unsafe src is dropped, the item stays a plain link");
    assert_eq!(notices.iter().filter(|n| matches!(n, Notice::RelatedItemSkipped { .. })).count(), 2);
}

#[test]
fn an_empty_last_page_and_broken_pages() {
    let (page, _) = parse_related_page(r#"{"title": null, "items": [], "next": null}"#).expect("parses");
    assert!(page.items.is_empty() && page.next.is_none() && page.title.is_none());
    assert!(parse_related_page("<html>").is_err());
    assert!(parse_related_page(r#"{"items": "x"}"#).is_err());
}

#[test]
fn inline_related_items_come_from_the_article() {
    let article = parse_article(include_str!("../fixtures/fr-complet.json")).expect("parses").article;
    let related = article.related.expect("related");
    assert_eq!(related.url.as_deref(), Some("/api/articles/fr-complet/related"));
    assert!(related.items.iter().all(|i| i.src.as_deref().is_some_and(|s| s.starts_with("/api/articles/"))));
}

const HOUR: i64 = 3_600_000;

#[test]
fn recent_dates_read_relative_and_older_ones_absolute() {
    let now = 1_795_336_200_000;
    let relative = |amount, unit| DateDisplay::Relative { amount, unit };
    assert_eq!(date_display(now - 30_000, now), relative(0, RelativeUnit::Minute));
    assert_eq!(date_display(now - 5 * 60_000, now), relative(-5, RelativeUnit::Minute));
    assert_eq!(date_display(now - 3 * HOUR, now), relative(-3, RelativeUnit::Hour));
    assert_eq!(date_display(now - 23 * HOUR - 59 * 60_000, now), relative(-23, RelativeUnit::Hour));
    assert_eq!(date_display(now - 24 * HOUR, now), relative(-1, RelativeUnit::Day));
    assert_eq!(date_display(now - 6 * 24 * HOUR, now), relative(-6, RelativeUnit::Day));
    assert_eq!(date_display(now - 7 * 24 * HOUR, now), DateDisplay::Absolute);
    assert_eq!(date_display(now + 2 * 60_000, now), relative(0, RelativeUnit::Minute), "small clock skew");
    assert_eq!(date_display(now + 2 * HOUR, now), DateDisplay::Absolute, "a date in the future");
}

fn page() -> PageContext {
    PageContext { lang: None, origin: "https://journal.example".into(), query: vec![] }
}

#[test]
fn related_attributes_are_read_and_checked() {
    let read = |attributes: &'static [(&'static str, &'static str)]| {
        Config::read(|name| attributes.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()), &page())
    };
    let defaults = read(&[("data-src", "/a.json")]).expect("valid");
    assert_eq!((defaults.related_limit, defaults.related_mode), (DEFAULT_RELATED_LIMIT, RelatedMode::Link));
    let set = read(&[("data-src", "/a.json"), ("data-related-limit", "3"), ("data-related-mode", "inline")]).expect("valid");
    assert_eq!((set.related_limit, set.related_mode), (3, RelatedMode::Inline));
    let errors = read(&[("data-src", "/a.json"), ("data-related-limit", "0"), ("data-related-mode", "popup")]).expect_err("invalid");
    assert!(matches!(&errors[..], [ConfigError::Invalid { attribute: "data-related-limit", .. }, ConfigError::Invalid { attribute: "data-related-mode", .. }]));
}
