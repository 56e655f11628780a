//! "Autres articles": the list under the article, loaded only when the reader comes near it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::inline::label;
use crate::api::fetch_related;
use crate::config::RelatedMode;
use crate::i18n::{Key, Lang};
use crate::model::{date_display, merge_related, Article, DateDisplay, RelatedItem};
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fetching {
    Idle,
    Busy,
    Failed,
}

/// How far ahead of the viewport the list starts loading: a whole screen, so that it is there when
/// the reader arrives, even scrolling fast, and never pushes what follows while in view.
const PRELOAD_MARGIN: &str = "100% 0px";

fn item_date(item: &RelatedItem, settings: &RelatedSettings) -> Option<AnyView> {
    let published = item.published.as_ref()?;
    let text = match date_display(published.unix_ms, web::now_ms()) {
        DateDisplay::Relative { amount, unit } => web::format_relative(&settings.locale, amount, unit.intl_name()),
        DateDisplay::Absolute => web::format_date(&settings.locale, published.unix_ms),
    };
    Some(view! { <time class="kq-card__date" datetime=published.rfc3339.clone()>{text}</time> }.into_any())
}

/// A plain left click (no modifier, main button) that inline mode may take over; anything else
/// keeps the browser's behaviour (new tab, new window, download).
fn is_plain_click(event: &web_sys::MouseEvent) -> bool {
    event.button() == 0 && !(event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key())
}

fn item_view(item: &RelatedItem, index: usize, settings: &RelatedSettings, on_open: Callback<String>) -> AnyView {
    let inline_src = (settings.mode == RelatedMode::Inline).then(|| item.src.clone()).flatten();
    let on_click = move |event: web_sys::MouseEvent| {
        if let Some(src) = inline_src.clone() {
            if is_plain_click(&event) {
                event.prevent_default();
                on_open.run(src);
            }
        }
    };
    let thumbnail = item.image.as_ref().map(|image| {
        view! {
            <img
                class="kq-card__img"
                src=image.src.clone()
                alt=""
                width=image.width
                height=image.height
                loading="lazy"
                decoding="async"
            />
        }
    });
    view! {
        <li class="kq-card">
            {thumbnail}
            <div class="kq-card__text">
                {item.section.as_ref().map(|section| view! { <p class="kq-card__section">{label(section, None)}</p> })}
                <p class="kq-card__headline">
                    <a
                        id=format!("{}-related-{index}", settings.id_prefix)
                        href=item.url.url.clone()
                        rel=item.url.external.then_some("noopener")
                        on:click=on_click
                    >
                        {item.headline.clone()}
                    </a>
                </p>
                {item_date(item, settings)}
            </div>
        </li>
    }
    .into_any()
}

/// The related list of `article`. `on_open` receives an item's article address when inline mode
/// takes over a click.
#[component]
pub fn RelatedNews(article: std::sync::Arc<Article>, settings: RelatedSettings, on_open: Callback<String>) -> impl IntoView {
    let Some(related) = article.related.clone() else { return ().into_any() };
    let lang = settings.lang;
    let mut initial = Vec::new();
    merge_related(&mut initial, related.items, &article.id, article.url.as_ref().map(|u| u.url.as_str()));
    if initial.is_empty() && related.url.is_none() {
        return ().into_any();
    }
    let items = RwSignal::new(initial);
    let shown = RwSignal::new(settings.limit);
    // The next address to fetch: `related.url` until it has been fetched, then each page's `next`.
    let next = RwSignal::new(related.url);
    let fetching = RwSignal::new(Fetching::Idle);
    let fetched_title = RwSignal::new(None::<String>);
    let settings = StoredValue::new(settings);
    let article_id = StoredValue::new(article.id.clone());
    let article_url = StoredValue::new(article.url.as_ref().map(|u| u.url.clone()));
    let section = NodeRef::<leptos::html::Section>::new();

    // Fetches the next page; `reveal` also shows one more batch (the "more" button).
    let fetch_next = move |reveal: bool| {
        // Also called by the viewport observer, possibly after this list was replaced.
        let Some(url) = next.try_get_untracked().flatten() else { return };
        if fetching.try_get_untracked().is_none_or(|state| state == Fetching::Busy) {
            return;
        }
        fetching.set(Fetching::Busy);
        let timeout_ms = settings.with_value(|s| s.timeout_ms);
        spawn_local(async move {
            let result = fetch_related(&url, timeout_ms).await;
            // The reader may have moved to another article meanwhile: this list is gone.
            if items.is_disposed() {
                return;
            }
            match result {
                Ok((page, notices)) => {
                    for notice in &notices {
                        web::warn(&notice.to_string());
                    }
                    let before = items.with_untracked(Vec::len);
                    items.update(|list| {
                        merge_related(list, page.items, &article_id.get_value(), article_url.get_value().as_deref())
                    });
                    if fetched_title.get_untracked().is_none() {
                        fetched_title.set(page.title);
                    }
                    next.set(page.next);
                    fetching.set(Fetching::Idle);
                    if reveal {
                        shown.update(|n| *n += settings.with_value(|s| s.limit));
                        focus_item(before, settings);
                    }
                }
                Err(error) => {
                    let reason = error.console_reason();
                    web::error(&format!("Kiosque: related news from {url}: {reason}"));
                    fetching.set(Fetching::Failed);
                }
            }
        });
    };

    Effect::new(move |_| {
        if let Some(element) = section.get() {
            if next.get_untracked().is_some() {
                web::when_near_viewport(&element, PRELOAD_MARGIN, move || fetch_next(false));
            }
        }
    });

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

    let heading_id = settings.with_value(|s| format!("{}-related", s.id_prefix));
    let labelled_by = heading_id.clone();
    let title = related.title.clone();
    let title = move || title.clone().or_else(|| fetched_title.get()).unwrap_or_else(|| lang.text(Key::RelatedTitle).to_string());
    let title = StoredValue::new(title);
    let title = move || title.with_value(|title| title());
    let has_content = move || items.with(|list| !list.is_empty());
    let has_more = move || items.with(Vec::len) > shown.get() || next.get().is_some();
    let waiting = move || !has_content() && next.with(Option::is_some) && fetching.get() != Fetching::Failed;

    view! {
        <section
            class="kq-related"
            class:kq-related--empty=move || !has_content() && !waiting() && fetching.get() != Fetching::Failed
            aria-labelledby=labelled_by
            aria-busy=move || (fetching.get() == Fetching::Busy).then_some("true")
            node_ref=section
        >
            <Show when=move || has_content() || waiting() || fetching.get() == Fetching::Failed>
                {super::inline::heading(
                    settings.with_value(|s| s.heading_level),
                    "kq-related__title",
                    Some(heading_id.clone()),
                    title.into_any(),
                )}
            </Show>
            <Show when=waiting>
                <div class="kq-related__placeholder" aria-hidden="true"></div>
            </Show>
            <ul class="kq-related__list">
                {move || {
                    let visible = shown.get();
                    items.with(|list| {
                        settings.with_value(|s| {
                            list.iter().take(visible).enumerate().map(|(i, item)| item_view(item, i, s, on_open)).collect_view()
                        })
                    })
                }}
            </ul>
            <p class="kq-visually-hidden" role="status">
                {move || (fetching.get() == Fetching::Busy).then(|| lang.text(Key::RelatedLoading))}
            </p>
            <Show when=move || fetching.get() == Fetching::Failed>
                <div class="kq-related__error" role="alert">
                    <p>{lang.text(Key::RelatedError)}</p>
                    <button type="button" class="kq-button kq-button--secondary" on:click=move |_| fetch_next(false)>
                        {lang.text(Key::ActionRetry)}
                    </button>
                </div>
            </Show>
            <Show when=move || has_content() && has_more() && fetching.get() != Fetching::Failed>
                <button
                    type="button"
                    class="kq-button kq-button--secondary kq-related__more"
                    disabled=move || fetching.get() == Fetching::Busy
                    on:click=more
                >
                    {lang.text(Key::RelatedMore)}
                </button>
            </Show>
        </section>
    }
    .into_any()
}

/// After "more", keyboard focus goes to the first new item, where the reader continues.
fn focus_item(index: usize, settings: StoredValue<RelatedSettings>) {
    web::focus_when_rendered(settings.with_value(|s| format!("{}-related-{index}", s.id_prefix)));
}
