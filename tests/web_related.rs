//! The related list mounted in headless Chromium. Links that a test follows are fragments, so
//! that following them does not unload the test page.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;
use std::sync::{Arc, Mutex};

use kiosque::components::related::{mount_related_section, RelatedSettings};
use kiosque::config::RelatedMode;
use kiosque::i18n::Lang;
use kiosque::model::parse_article;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/dom.rs"]
mod dom;
use dom::{all, document, host, settle, texts};

const ARTICLE: &str = r##"{
  "id": "self", "headline": "L’article lu", "published": "2026-11-20T09:15:00Z", "body": [],
  "related": {"items": [
    {"id": "a", "url": "#a", "src": "/api/articles/a", "headline": "Premier", "section": {"label": "Bénin", "url": "/benin"},
     "image": {"url": "/a.svg", "width": 400, "height": 225}, "published": "2026-11-19T10:30:00Z"},
    {"id": "self", "url": "/self", "headline": "L’article lu lui-même"},
    {"id": "b", "url": "https://ailleurs.example/b", "headline": "Deuxième", "section": {"label": "Niger"}},
    {"id": "a", "url": "#a", "headline": "Premier, en double"},
    {"id": "c", "url": "#c", "headline": "Troisième"}
  ]}
}"##;

fn settings(limit: usize, mode: RelatedMode, lang: Lang) -> RelatedSettings {
    RelatedSettings {
        limit,
        mode,
        timeout_ms: 2000,
        id_prefix: format!("t{limit}{}", mode as u8),
        heading_level: 2,
        lang,
        locale: lang.code().into(),
    }
}

/// The related news mounted as the widget mounts them: into the placeholder's section, after its
/// heading.
fn mount(json: &'static str, settings: RelatedSettings, on_open: Rc<dyn Fn(String)>) -> HtmlElement {
    let root = host(&[]);
    let section = document().create_element("section").expect("section");
    section.set_class_name("kq-related");
    let heading = document().create_element("h2").expect("h2");
    heading.set_class_name("kq-related__title");
    section.append_child(&heading).expect("append");
    root.append_child(&section).expect("append");
    let article = Arc::new(parse_article(json).expect("parses").article);
    let mounted = mount_related_section(section.dyn_into().expect("element"), article, settings, on_open).expect("mounted");
    std::mem::forget(mounted);
    root
}

#[wasm_bindgen_test]
async fn inline_items_show_without_the_current_article_or_duplicates() {
    let root = mount(ARTICLE, settings(6, RelatedMode::Link, Lang::Fr), Rc::new(|_| {}));
    // The heading's text comes with the section's first effects.
    settle(50).await;
    assert_eq!(texts(&root, "h2.kq-related__title"), ["Autres articles"]);
    assert_eq!(texts(&root, ".kq-card__headline"), ["Premier", "Deuxième", "Troisième"]);
    assert_eq!(texts(&root, ".kq-card__section"), ["Bénin", "Niger"]);
    let links = all(&root, ".kq-card__headline a");
    assert_eq!(links[0].get_attribute("href").as_deref(), Some("#a"));
    assert_eq!(links[1].get_attribute("rel").as_deref(), Some("noopener"));
    let image = &all(&root, ".kq-card__img")[0];
    assert_eq!(image.get_attribute("loading").as_deref(), Some("lazy"));
    assert_eq!(image.get_attribute("width").as_deref(), Some("400"));
    let time = &all(&root, ".kq-card__date")[0];
    assert_eq!(time.get_attribute("datetime").as_deref(), Some("2026-11-19T10:30:00Z"));
    assert!(root.query_selector(".kq-related__more").expect("selector").is_none(), "nothing more to show");
}

#[wasm_bindgen_test]
async fn more_reveals_the_next_batch_and_moves_focus_to_it() {
    let root = mount(ARTICLE, settings(2, RelatedMode::Link, Lang::En), Rc::new(|_| {}));
    assert_eq!(texts(&root, ".kq-card__headline"), ["Premier", "Deuxième"]);
    let more: HtmlElement = root.query_selector(".kq-related__more").expect("selector").expect("more button").dyn_into().expect("button");
    assert_eq!(more.text_content().as_deref(), Some("More stories"));
    more.click();
    settle(50).await;
    assert_eq!(texts(&root, ".kq-card__headline"), ["Premier", "Deuxième", "Troisième"]);
    let focused = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
    assert_eq!(focused.and_then(|e| e.text_content()).as_deref(), Some("Troisième"));
    assert!(root.query_selector(".kq-related__more").expect("selector").is_none());
}

#[wasm_bindgen_test]
fn inline_mode_hands_plain_clicks_to_the_widget() {
    let opened = Arc::new(Mutex::new(Vec::<String>::new()));
    let record = Arc::clone(&opened);
    let root = mount(ARTICLE, settings(6, RelatedMode::Inline, Lang::Fr), Rc::new(move |src| {
        record.lock().expect("lock").push(src);
    }));
    let first: HtmlElement = all(&root, ".kq-card__headline a")[0].clone().dyn_into().expect("link");
    first.click();
    // An item without `src` stays a plain link even in inline mode (a fragment here, so that
    // following it does not unload the test page).
    let third: HtmlElement = all(&root, ".kq-card__headline a")[2].clone().dyn_into().expect("link");
    third.click();
    assert_eq!(*opened.lock().expect("lock"), ["/api/articles/a"]);
}

#[wasm_bindgen_test]
fn link_mode_leaves_clicks_to_the_browser() {
    let opened = Arc::new(Mutex::new(0));
    let record = Arc::clone(&opened);
    let root = mount(ARTICLE, settings(6, RelatedMode::Link, Lang::Fr), Rc::new(move |_| *record.lock().expect("lock") += 1));
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &{
        let init = web_sys::MouseEventInit::new();
        init.set_cancelable(true);
        init
    })
    .expect("event");
    let _ = all(&root, ".kq-card__headline a")[0].dispatch_event(&event);
    assert!(!event.default_prevented());
    assert_eq!(*opened.lock().expect("lock"), 0);
}

#[wasm_bindgen_test]
fn mounted_without_related_news_the_section_hides() {
    let json = r#"{"id": "x", "headline": "Seul", "published": "2026-11-20T09:15:00Z", "body": [], "related": {"items": [{"id": "x", "url": "/x", "headline": "Soi-même"}]}}"#;
    let root = mount(json, settings(6, RelatedMode::Link, Lang::Fr), Rc::new(|_| {}));
    // The widget writes no place for such an article (e2e/related.spec.ts, "no empty heading");
    // mounted anyway, the section hides.
    assert!(root.query_selector(".kq-related.kq-related--empty").expect("selector").is_some());
    assert!(root.query_selector(".kq-card").expect("selector").is_none());
}
