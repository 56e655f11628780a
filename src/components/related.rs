//! "Autres articles": the list under the article, loaded only when the reader comes near it.

use leptos::callback::UnsyncCallback;
use leptos::prelude::*;

use wasm_bindgen::JsCast;
use web_sys::Element;

use super::dom::{set, Dom};
use super::figure::write_img;
use super::inline::{write_label, write_link};
use super::paged::{retry_box, Paged};
use crate::model::paged::PageState;
use crate::config::RelatedMode;
use crate::i18n::{Key, Lang};
use crate::model::{date_display, merge_related, parse_related_page, Article, DateDisplay, RelatedItem};
use crate::web;

/// What the related list needs to know of its widget.
#[derive(Clone, Debug, PartialEq)]
pub struct RelatedSettings {
    pub limit: usize,
    pub mode: RelatedMode,
    pub timeout_ms: u32,
    /// Prefix for the element ids of this widget.
    pub id_prefix: String,
    /// The level of the list's heading (one below the headline).
    pub heading_level: u8,
    pub lang: Lang,
    pub locale: String,
}

/// A plain left click (no modifier, main button) that inline mode may take over; anything else
/// keeps the browser's behaviour (new tab, new window, download).
fn is_plain_click(event: &web_sys::MouseEvent) -> bool {
    event.button() == 0 && !(event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key())
}

fn card_id(id_prefix: &str, index: usize) -> String {
    format!("{id_prefix}-related-{index}")
}

/// The index of the card whose link a click on the list hit, if it hit one.
fn clicked_card(event: &web_sys::Event, id_prefix: &str) -> Option<usize> {
    let target: Element = event.target()?.dyn_into().ok()?;
    let link = target.closest(".kq-card__headline a").ok()??;
    link.id().strip_prefix(id_prefix)?.strip_prefix("-related-")?.parse().ok()
}

/// The cards, written into their list (see [`super::dom`]): when it is created, and again, whole,
/// when another batch is shown. One click listener on the list serves them all.
fn write_cards(list: Element, (items, settings): (Vec<RelatedItem>, RelatedSettings)) {
    let Some(dom) = Dom::new() else { return };
    list.set_text_content(None);
    for (index, item) in items.iter().enumerate() {
        write_card(&dom, &list, item, index, &settings);
    }
}

fn write_card(dom: &Dom, list: &Element, item: &RelatedItem, index: usize, settings: &RelatedSettings) {
    let Some(card) = dom.child(list, "li", "kq-card") else { return };
    if let Some(image) = &item.image {
        // The headline beside it names the article: the thumbnail is decorative.
        write_img(dom, &card, "kq-card__img", image, "", true);
    }
    let Some(text) = dom.child(&card, "div", "kq-card__text") else { return };
    if let Some(section) = &item.section {
        if let Some(paragraph) = dom.child(&text, "p", "kq-card__section") {
            write_label(dom, &paragraph, section, "");
        }
    }
    if let Some(link) = dom.child(&text, "p", "kq-card__headline").and_then(|headline| write_link(dom, &headline, &item.url, "")) {
        set(&link, "id", &card_id(&settings.id_prefix, index));
        dom.text(&link, &item.headline);
    }
    if let Some(published) = &item.published {
        let when = match date_display(published.unix_ms, web::now_ms()) {
            DateDisplay::Relative { amount, unit } => web::format_relative(&settings.locale, amount, unit.intl_name()),
            DateDisplay::Absolute => web::format_date(&settings.locale, published.unix_ms),
        };
        if let Some(time) = dom.child_with_text(&text, "time", "kq-card__date", &when) {
            set(&time, "datetime", &published.rfc3339);
        }
    }
}

/// Mounts the related news into `section` (their placeholder's), from the wasm part that holds
/// their code (as
/// [`super::comments::mount_comment_section`], which says why).
#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(related, fallible, wasm_split_path = ::leptos::wasm_split))]
pub fn mount_related_section(
    section: web_sys::HtmlElement,
    article: std::sync::Arc<Article>,
    settings: RelatedSettings,
    on_open: std::rc::Rc<dyn Fn(String)>,
) -> Result<super::on_demand::MountedSection, leptos::wasm_split::SplitLoaderError> {
    let heading = super::on_demand::keep_heading(&section);
    let element: Element = section.clone().into();
    let on_open = UnsyncCallback::new(move |src: String| on_open(src));
    Ok(Box::new(leptos::mount::mount_to(section, move || {
        view! { <RelatedNews article=article settings=settings on_open=on_open section=element heading=heading/> }
    })))
}

/// The related list of `article`. `on_open` receives an item's article address when inline mode
/// takes over a click. `section` is the placeholder's `section.kq-related` and `heading` its
/// heading, kept: this keeps the heading's text up to date and hides the section when there is
/// nothing to show.
#[component]
pub fn RelatedNews(
    article: std::sync::Arc<Article>,
    settings: RelatedSettings,
    on_open: UnsyncCallback<String>,
    section: Element,
    heading: Option<Element>,
) -> impl IntoView {
    let Some(related) = article.related.clone() else { return ().into_any() };
    let lang = settings.lang;
    let mut initial = Vec::new();
    merge_related(&mut initial, related.items, &article.id, article.url.as_ref().map(|u| u.url.as_str()));
    if initial.is_empty() && related.url.is_none() {
        let _ = section.class_list().add_1("kq-related--empty");
        return ().into_any();
    }
    let items = RwSignal::new(initial);
    let shown = RwSignal::new(settings.limit);
    // The next address to fetch: `related.url` until it has been fetched, then each page's `next`.
    let paged = Paged::new(related.url);
    let fetched_title = RwSignal::new(None::<String>);
    let settings = StoredValue::new(settings);
    let article_id = StoredValue::new(article.id.clone());
    let article_url = StoredValue::new(article.url.as_ref().map(|u| u.url.clone()));

    // Fetches the next page; `reveal` also shows one more batch (the "more" button).
    let fetch_next = move |reveal: bool| {
        paged.fetch_next(
            "related news",
            settings.with_value(|s| s.timeout_ms),
            Box::new(move |body| {
                let (page, notices) = parse_related_page(body)?;
                for notice in &notices {
                    web::warn(&notice.to_string());
                }
                let before = items.with_untracked(Vec::len);
                items.update(|list| merge_related(list, page.items, &article_id.get_value(), article_url.get_value().as_deref()));
                if fetched_title.get_untracked().is_none() {
                    fetched_title.set(page.title);
                }
                if reveal {
                    shown.update(|n| *n += settings.with_value(|s| s.limit));
                    focus_item(before, settings);
                }
                Ok(page.next)
            }),
        );
    };

    if paged.state.with_untracked(PageState::has_next) {
        paged.when_near(&section, std::rc::Rc::new(move || fetch_next(false)));
    }

    let more = move |_| {
        let (listed, limit) = (items.with_untracked(Vec::len), settings.with_value(|s| s.limit));
        let visible = shown.get_untracked();
        if listed > visible {
            shown.set(visible + limit);
            focus_item(visible, settings);
        } else {
            fetch_next(true);
        }
    };

    let open_clicked = move |event: web_sys::MouseEvent| {
        let (inline, prefix) = settings.with_value(|s| (s.mode == RelatedMode::Inline, s.id_prefix.clone()));
        if !inline || !is_plain_click(&event) {
            return;
        }
        let Some(index) = clicked_card(&event, &prefix) else { return };
        if let Some(src) = items.with_untracked(|list| list.get(index).and_then(|item| item.src.clone())) {
            event.prevent_default();
            on_open.run(src);
        }
    };

    let title = related.title.clone();
    let title = move || title.clone().or_else(|| fetched_title.get()).unwrap_or_else(|| lang.text(Key::RelatedTitle).to_string());
    let title = StoredValue::new(title);
    let title = move || title.with_value(|title| title());
    let has_content = move || items.with(|list| !list.is_empty());
    let has_more = move || items.with(Vec::len) > shown.get() || paged.has_next();
    let waiting = move || !has_content() && paged.has_next() && !paged.has_failed();

    // The section and its heading are the placeholder's (see super::on_demand::keep_heading).
    Effect::new(move |_| {
        let shown = has_content() || waiting() || paged.has_failed();
        let _ = section.class_list().toggle_with_force("kq-related--empty", !shown);
        match paged.busy() {
            true => set(&section, "aria-busy", "true"),
            false => {
                let _ = section.remove_attribute("aria-busy");
            }
        }
        if let Some(heading) = &heading {
            heading.set_text_content(Some(&title()));
        }
    });

    view! {
            <Show when=waiting>
                <div class="kq-related__placeholder" aria-hidden="true"></div>
            </Show>
            {move || {
                let cards = (items.with(|list| list.iter().take(shown.get()).cloned().collect::<Vec<_>>()), settings.get_value());
                view! { <ul class="kq-related__list" on:click=open_clicked use:write_cards=cards></ul> }
            }}
            <p class="kq-visually-hidden" role="status">
                {move || (paged.busy()).then(|| lang.text(Key::RelatedLoading))}
            </p>
            <Show when=move || paged.has_failed()>
                {retry_box("kq-related__error", lang, Key::RelatedError, Box::new(move || fetch_next(false)))}
            </Show>
            <Show when=move || has_content() && has_more() && !paged.has_failed()>
                <button
                    type="button"
                    class="kq-button kq-button--secondary kq-related__more"
                    disabled=move || paged.busy()
                    on:click=more
                >
                    {lang.text(Key::RelatedMore)}
                </button>
            </Show>
    }
    .into_any()
}

/// After "more", keyboard focus goes to the first new item, where the reader continues.
fn focus_item(index: usize, settings: StoredValue<RelatedSettings>) {
    web::focus_when_rendered(settings.with_value(|s| card_id(&s.id_prefix, index)));
}
