//! The widget's components mounted in a real browser (headless Chromium), asserting the DOM a
//! reader gets.
#![cfg(target_arch = "wasm32")]
// Test code, not the widget's wasm: the size rules (clippy.toml) do not apply.
#![allow(clippy::disallowed_macros, clippy::disallowed_methods, clippy::disallowed_types)]

use kiosque::components::{write_article, Presentation};
use kiosque::config::PageContext;
use kiosque::i18n::Lang;
use kiosque::model::{parse_article, Article};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/dom.rs"]
mod dom;
use dom::{all, host, one, settle, text, texts};

/// The `<article>` element the widget writes an article into, in a new host.
fn article_element(root: &HtmlElement) -> Element {
    let element = web_sys::window().and_then(|w| w.document()).expect("document").create_element("article").expect("article");
    element.set_class_name("kq-article");
    root.append_child(&element).expect("append");
    element
}

fn mount_article(article: Article, lang: Lang, headline_level: u8) -> HtmlElement {
    let root = host(&[]);
    let presentation = Presentation { lang, locale: lang.code().to_string(), headline_level, headline_id: "t-headline".into() };
    write_article(&article_element(&root), &std::sync::Arc::new(article), &presentation);
    root
}

fn attr(element: &Element, name: &str) -> Option<String> {
    element.get_attribute(name)
}

const COMPLETE: &str = include_str!("../fixtures/fr-complet.json");
const HOSTILE: &str = include_str!("../fixtures/fr-hostile.json");

const SMALL: &str = r#"{
  "id": "small", "lang": "fr-SN", "headline": "La pirogue solaire traverse le fleuve",
  "dek": "Un prototype construit à Saint-Louis.",
  "breadcrumb": [{"label": "Accueil", "url": "/"}, {"label": "Sciences", "url": "/sciences"}, {"label": "La pirogue solaire"}],
  "section": {"label": "Sciences", "url": "/sciences"},
  "authors": [{"name": "Awa Ndiaye", "url": "/auteurs/awa"}, {"name": "Jean Mensah"}, {"name": "Inès Koné", "url": "https://ines.example"}],
  "source": {"name": "Agence fictive", "url": "https://agence.example"},
  "published": "2026-11-20T09:15:00Z", "modified": "2026-11-21T18:00:00+01:00",
  "image": {"url": "/img/hero.svg", "alt": "La pirogue sur l’eau", "caption": "Au départ.", "credit": "Studio Fleuve", "width": 1200, "height": 675},
  "tags": [{"label": "Énergie", "url": "/tags/energie"}, {"label": "Fleuve"}],
  "body": [
    {"type": "paragraph", "text": [{"text": "Première "}, {"text": "importante", "marks": ["strong"]}, {"text": " et "}, {"text": "lien", "href": "https://ailleurs.example"}, {"text": " puis "}, {"text": "piège", "href": "javascript:alert(1)"}, {"text": " et "}, {"text": "local", "href": "/local"}]},
    {"type": "heading", "level": 2, "text": "Un moteur discret"},
    {"type": "heading", "level": 3, "text": "Sous-partie"},
    {"type": "image", "url": "/img/a.svg", "alt": "Le moteur", "width": 800, "height": 600},
    {"type": "image", "url": "/img/b.svg", "alt": "Sans dimensions"},
    {"type": "ad", "slot": "milieu"},
    {"type": "quote", "text": "Nous avons gagné du temps.", "cite": "Un pêcheur"},
    {"type": "list", "ordered": true, "items": ["un", "deux"]},
    {"type": "divider"}
  ]
}"#;

fn small() -> Article {
    parse_article(SMALL).expect("test article parses").article
}

#[wasm_bindgen_test]
fn breadcrumb_marks_the_current_page_last() {
    let root = mount_article(small(), Lang::Fr, 1);
    let nav = one(&root, "nav.kq-breadcrumb");
    assert_eq!(attr(&nav, "aria-label").as_deref(), Some("Fil d’Ariane"));
    let items = all(&nav, "li");
    assert_eq!(items.len(), 3);
    let current = all(&nav, "[aria-current]");
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].text_content().as_deref(), Some("La pirogue solaire"));
    assert!(items[0].query_selector("a[href='/']").expect("selector").is_some());
}

#[wasm_bindgen_test]
fn header_shows_section_headline_dek_byline_source_and_dates() {
    let root = mount_article(small(), Lang::Fr, 1);
    assert_eq!(text(&root, ".kq-section a"), "Sciences");
    let headline = one(&root, "h1.kq-headline");
    assert_eq!(headline.text_content().as_deref(), Some("La pirogue solaire traverse le fleuve"));
    assert_eq!(attr(&headline, "id").as_deref(), Some("t-headline"));
    assert_eq!(attr(&one(&root, "article"), "aria-labelledby").as_deref(), Some("t-headline"));
    assert_eq!(text(&root, ".kq-dek"), "Un prototype construit à Saint-Louis.");
    assert_eq!(text(&root, ".kq-byline"), "Par Awa Ndiaye, Jean Mensah et Inès Koné");
    assert_eq!(all(&root, ".kq-byline a").len(), 2);
    assert_eq!(text(&root, ".kq-source"), "Source : Agence fictive");
    let times = all(&root, ".kq-dates time");
    assert_eq!(times.len(), 2);
    assert_eq!(attr(&times[0], "datetime").as_deref(), Some("2026-11-20T09:15:00Z"));
    assert!(times[0].text_content().unwrap_or_default().contains("novembre 2026"), "French date");
    assert!(text(&root, ".kq-dates").contains("Mis à jour le"));
    assert_eq!(text(&root, ".kq-reading-time"), "1 min de lecture");
}

#[wasm_bindgen_test]
fn english_presentation_translates_every_label() {
    let root = mount_article(small(), Lang::En, 1);
    assert_eq!(text(&root, ".kq-byline"), "By Awa Ndiaye, Jean Mensah and Inès Koné");
    assert!(text(&root, ".kq-dates").contains("Published"));
    assert!(one(&root, "time").text_content().unwrap_or_default().contains("November"));
    assert_eq!(attr(&one(&root, ".kq-ad"), "aria-label").as_deref(), Some("Advertisement"));
    assert_eq!(text(&root, ".kq-tags__label"), "Tags");
    assert_eq!(text(&root, ".kq-reading-time"), "1 min read");
}

#[wasm_bindgen_test]
fn links_are_vetted_and_external_ones_get_noopener() {
    let root = mount_article(small(), Lang::Fr, 1);
    let paragraph = one(&root, ".kq-body p.kq-p");
    assert_eq!(paragraph.text_content().as_deref(), Some("Première importante et lien puis piège et local"));
    assert_eq!(text(&paragraph, "strong"), "importante");
    let links = all(&paragraph, "a");
    assert_eq!(links.len(), 2, "the javascript: link is dropped");
    assert_eq!(attr(&links[0], "rel").as_deref(), Some("noopener"));
    assert_eq!(attr(&links[1], "href").as_deref(), Some("/local"));
    assert_eq!(attr(&links[1], "rel"), None);
}

#[wasm_bindgen_test]
fn images_reserve_their_space_and_body_images_load_lazily() {
    let root = mount_article(small(), Lang::Fr, 1);
    let hero = one(&root, ".kq-hero img");
    assert_eq!((attr(&hero, "width").as_deref(), attr(&hero, "height").as_deref()), (Some("1200"), Some("675")));
    assert_eq!(attr(&hero, "loading"), None, "the hero image is not lazy");
    assert_eq!(text(&root, ".kq-hero figcaption"), "Au départ. Crédit : Studio Fleuve");
    let body_images = all(&root, ".kq-body img");
    assert_eq!(body_images.len(), 2);
    assert!(body_images.iter().all(|img| attr(img, "loading").as_deref() == Some("lazy")));
    assert!(body_images[1].class_list().contains("kq-figure__img--unsized"));
}

fn body_tags(root: &Element) -> Vec<String> {
    let body = one(root, ".kq-body");
    (0..body.child_element_count()).filter_map(|i| body.children().item(i)).map(|child| child.tag_name().to_lowercase()).collect()
}

#[wasm_bindgen_test]
async fn the_first_eight_blocks_come_with_the_headline_and_the_rest_after_the_first_paint() {
    let root = mount_article(small(), Lang::Fr, 1);
    assert_eq!(text(&root, "h1"), "La pirogue solaire traverse le fleuve");
    assert_eq!(body_tags(&root), ["p", "h2", "h3", "figure", "figure", "div", "figure", "ol"]);
    settle(100).await;
    assert_eq!(body_tags(&root), ["p", "h2", "h3", "figure", "figure", "div", "figure", "ol", "hr"]);
}

#[wasm_bindgen_test]
async fn every_block_type_renders_in_order() {
    let root = mount_article(small(), Lang::Fr, 1);
    settle(100).await;
    assert_eq!(body_tags(&root), ["p", "h2", "h3", "figure", "figure", "div", "figure", "ol", "hr"]);
    let ad = one(&root, ".kq-ad");
    assert_eq!(attr(&ad, "data-slot").as_deref(), Some("milieu"));
    assert_eq!(attr(&ad, "aria-label").as_deref(), Some("Publicité"));
    assert_eq!(text(&root, ".kq-ad__slot"), "", "the host fills the slot; the widget loads no ad");
    assert_eq!(text(&root, ".kq-quote__cite"), "Un pêcheur");
    assert_eq!(all(&root, "ol.kq-list li").len(), 2);
}

#[wasm_bindgen_test]
fn a_lower_headline_level_shifts_the_body_headings() {
    let root = mount_article(small(), Lang::Fr, 2);
    assert!(root.query_selector("h1").expect("selector").is_none());
    assert_eq!(text(&root, "h2.kq-headline"), "La pirogue solaire traverse le fleuve");
    assert_eq!(text(&root, ".kq-body h3"), "Un moteur discret");
    assert_eq!(text(&root, ".kq-body h4"), "Sous-partie");
}

#[wasm_bindgen_test]
async fn the_complete_fixture_renders_every_part() {
    let article = parse_article(COMPLETE).expect("fixture parses").article;
    let headline = article.headline.clone();
    let root = mount_article(article, Lang::Fr, 1);
    settle(100).await;
    assert_eq!(text(&root, "h1"), headline);
    for selector in ["nav.kq-breadcrumb", ".kq-section", ".kq-dek", ".kq-byline", ".kq-source", ".kq-hero", ".kq-quote", "ul.kq-list", "ol.kq-list", ".kq-ad", "hr.kq-divider", ".kq-tags", ".kq-body h2", ".kq-body code", ".kq-body em", "a[href^='mailto:']"] {
        assert!(root.query_selector(selector).expect("selector").is_some(), "missing {selector}");
    }
    assert_eq!(all(&root, ".kq-ad").len(), 2);
}

#[wasm_bindgen_test]
fn hostile_content_stays_text() {
    let article = parse_article(HOSTILE).expect("fixture parses").article;
    let headline = article.headline.clone();
    let root = mount_article(article, Lang::Fr, 1);
    assert_eq!(text(&root, "h1"), headline, "markup in the headline is shown literally");
    assert!(root.query_selector("script, svg, iframe, object, embed").expect("selector").is_none());
    assert!(root.query_selector("[onerror], [onload], [onclick]").expect("selector").is_none());
    for link in all(&root, "a") {
        let href = attr(&link, "href").unwrap_or_default();
        assert!(href.starts_with("https://") || href.starts_with('/') || href.starts_with("mailto:"), "{href}");
    }
}

async fn until(what: &str, mut condition: impl FnMut() -> bool) {
    for _ in 0..100 {
        if condition() {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(50).await;
    }
    panic!("timed out waiting for {what}");
}

fn page(lang: &str) -> PageContext {
    PageContext { lang: Some(lang.into()), origin: String::new(), query: vec![] }
}

fn mount_widget(attributes: &[(&str, &str)], lang: &str) -> HtmlElement {
    let root = host(attributes);
    kiosque::components::mount_widget(root.clone(), page(lang));
    root
}

#[wasm_bindgen_test]
async fn bad_attributes_show_every_problem_and_retry_rereads_them() {
    let root = mount_widget(&[("data-theme", "violet"), ("data-heading-level", "9")], "fr");
    until("the configuration error", || root.query_selector(".kq-error").ok().flatten().is_some()).await;
    assert_eq!(text(&root, ".kq-error__title"), "Ce widget est mal configuré.");
    let reasons = all(&root, ".kq-error__reasons li");
    assert_eq!(reasons.len(), 3, "theme, heading level and the missing source");
    assert_eq!(attr(&one(&root, ".kq-error"), "role").as_deref(), Some("alert"));

    // The host fixes its attributes; the source it names does not exist on this test server.
    root.set_attribute("data-theme", "dark").expect("attribute");
    root.set_attribute("data-heading-level", "2").expect("attribute");
    root.set_attribute("data-src", "/kiosque-no-such-article.json").expect("attribute");
    one(&root, "button.kq-retry").dyn_into::<HtmlElement>().expect("button").click();
    // The skeleton shows first (no error on the page meanwhile), then the new error.
    let title = |root: &HtmlElement| root.query_selector(".kq-error__title").ok().flatten().and_then(|title| title.text_content());
    until("the load error", || title(&root).as_deref() == Some("Cet article est introuvable.")).await;
    assert_eq!(attr(&one(&root, ".kq"), "data-kq-theme").as_deref(), Some("dark"));
    assert!(text(&root, ".kq-error__reasons").contains("404"));
}

#[wasm_bindgen_test]
async fn messages_follow_the_page_language_before_the_article_is_known() {
    let root = mount_widget(&[("data-src", "/kiosque-missing.json")], "en");
    let status = one(&root, "[role=status]");
    assert_eq!(status.text_content().as_deref(), Some("Loading the article…"));
    assert!(root.query_selector(".kq-skeleton[aria-hidden=true]").expect("selector").is_some());
    until("the error", || root.query_selector(".kq-error").ok().flatten().is_some()).await;
    assert_eq!(text(&root, ".kq-error__title"), "This article could not be found.");
    assert_eq!(text(&root, "button.kq-retry"), "Try again");
    assert_eq!(status.text_content().as_deref(), Some(""));
}

const BLOCKS: &str = r#"{
  "version": "1.1", "id": "blocks", "headline": "Tableaux et vidéos", "published": "2026-11-20T09:15:00Z",
  "body": [
    {"type": "table", "caption": "Navires par quai", "head": [["Quai", "Navires"]],
     "rows": [[[{"text": "Nord", "marks": ["strong"]}], [{"text": "12", "href": "https://port.example/nord"}]], ["Sud", [{"text": "piège", "href": "javascript:alert(1)"}]]]},
    {"type": "table", "rows": [["Lundi", "6 h"]]},
    {"type": "embed", "provider": "YouTube", "url": "https://www.youtube.com/watch?v=x", "title": "Le reportage <script>"},
    {"type": "embed", "provider": "Vimeo", "url": "https://user@vimeo.com/1"}
  ]
}"#;

fn blocks() -> Article {
    parse_article(BLOCKS).expect("test article parses").article
}

#[wasm_bindgen_test]
fn a_table_is_a_named_focusable_region_with_header_cells() {
    let root = mount_article(blocks(), Lang::Fr, 1);
    let regions = all(&root, ".kq-body > .kq-table > .kq-table__scroll");
    assert_eq!(regions.len(), 2);
    for region in &regions {
        assert_eq!(attr(region, "role").as_deref(), Some("region"));
        assert_eq!(attr(region, "tabindex").as_deref(), Some("0"));
    }
    assert_eq!(attr(&regions[0], "aria-label").as_deref(), Some("Navires par quai"), "named by its caption");
    assert_eq!(attr(&regions[1], "aria-label").as_deref(), Some("Tableau"), "or by the localized word");
    assert_eq!(text(&regions[0], "table > caption"), "Navires par quai");
    assert_eq!(all(&regions[1], "caption").len(), 0);
    let shown = all(&root, ".kq-table > p.kq-table__caption");
    assert_eq!(shown.len(), 1, "the caption a reader sees sits above the scrolling region");
    assert_eq!(shown[0].text_content().as_deref(), Some("Navires par quai"));
    assert_eq!(attr(&shown[0], "aria-hidden").as_deref(), Some("true"), "read once, from the table's own caption");
    assert_eq!(texts(&regions[0], "thead th[scope=col]"), ["Quai", "Navires"]);
    assert_eq!(texts(&regions[0], "tbody tr td"), ["Nord", "12", "Sud", "piège"]);
    assert_eq!(text(&regions[0], "tbody td strong"), "Nord");
    let link = one(&regions[0], "tbody td a");
    assert_eq!(attr(&link, "href").as_deref(), Some("https://port.example/nord"));
    assert_eq!(all(&regions[0], "a").len(), 1, "the javascript: link is dropped, its text stays");
    assert_eq!(all(&regions[1], "thead").len(), 0, "no header rows, no thead");
    let english = mount_article(blocks(), Lang::En, 1);
    assert_eq!(attr(&all(&english, ".kq-table__scroll")[1], "aria-label").as_deref(), Some("Table"));
}

#[wasm_bindgen_test]
fn an_embed_is_a_link_card_to_the_provider_never_a_frame() {
    let root = mount_article(blocks(), Lang::Fr, 1);
    let cards = all(&root, ".kq-body > .kq-embed");
    assert_eq!(cards.len(), 2);
    let link = one(&cards[0], "a.kq-embed__link");
    assert_eq!(attr(&link, "href").as_deref(), Some("https://www.youtube.com/watch?v=x"));
    assert_eq!(attr(&link, "rel").as_deref(), Some("noopener noreferrer"));
    assert_eq!(attr(&link, "target"), None, "it opens where the reader chooses");
    assert_eq!(link.text_content().as_deref(), Some("Le reportage <script> S’ouvre sur YouTube www.youtube.com"), "words apart in its accessible name");
    assert_eq!(text(&cards[1], ".kq-embed__title"), "Contenu Vimeo", "a card without a title names its provider");
    assert_eq!(text(&cards[1], ".kq-embed__host"), "vimeo.com", "the real host, without user information");
    assert_eq!(all(&root, "iframe, script, object, embed").len(), 0);
    let english = mount_article(blocks(), Lang::En, 1);
    assert_eq!(texts(&english, ".kq-embed__opens"), ["Opens on YouTube", "Opens on Vimeo"]);
    assert_eq!(texts(&english, ".kq-embed__title")[1], "Vimeo content");
}
