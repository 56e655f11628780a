//! One widget: reads its configuration, loads its article, and shows the skeleton, the article or
//! an error with a retry button.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::article::{article_view, Presentation};
use super::comments::CommentsSettings;
use super::on_demand::{CommentsOnDemand, RelatedOnDemand};
use super::related::RelatedSettings;
use super::status::{error_notice, skeleton, Problem};
use crate::api::{fetch_article, ArticleError, FetchError, Freshness};
use crate::config::{Config, ConfigError, PageContext, Theme};
use crate::i18n::{choose_lang, intl_locale, Key, Lang};
use crate::model::structured_data::news_article;
use crate::model::Article;
use crate::web;

/// Numbers the widgets on a page, for element ids that must be unique.
static INSTANCES: AtomicUsize = AtomicUsize::new(0);

/// An article ready to show, with everything needed to show it.
struct Ready {
    article: Arc<Article>,
    presentation: Presentation,
    related: RelatedSettings,
    comments: CommentsSettings,
    /// The page's origin, for the article's schema.org JSON-LD; `None` with `data-structured-data="off"`.
    structured_data_origin: Option<String>,
}

#[derive(Clone)]
enum Phase {
    Loading,
    Ready(Arc<Ready>),
    Failed(Arc<Problem>),
}

/// How a load came about, which decides where focus and scroll go once it is done.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Cause {
    /// The page opened: focus stays where the reader is.
    PageLoad,
    /// The reader pressed Retry: focus goes to the headline.
    Retry,
    /// The reader opened a related article: focus to the headline, the widget's top into view.
    Navigation,
    /// Back or Forward: the page's scroll position as it was when the reader left this entry.
    History { scroll: Option<f64> },
}

fn config_problem(errors: &[ConfigError], lang: Lang) -> Problem {
    Problem {
        title: Key::ErrorConfigTitle,
        hint: Key::ErrorConfigHint,
        reasons: errors.iter().map(|error| error.message(lang)).collect(),
    }
}

fn article_problem(error: &ArticleError, lang: Lang) -> Problem {
    match error {
        ArticleError::Fetch(fetch) => Problem {
            title: match fetch {
                FetchError::Status(404 | 410) => Key::ErrorLoadNotFound,
                _ => Key::ErrorLoadTitle,
            },
            hint: Key::ErrorLoadHint,
            reasons: vec![fetch.message(lang)],
        },
        ArticleError::Invalid(invalid) => Problem {
            title: Key::ErrorInvalidTitle,
            hint: Key::ErrorInvalidHint,
            reasons: vec![invalid.message(lang)],
        },
    }
}

/// `host` is the page's `[data-kiosque]` element: its attributes are read again on every retry,
/// so a host page that fixes them late is picked up.
#[component]
pub fn Widget(host: web_sys::Element, page: PageContext) -> impl IntoView {
    let instance = INSTANCES.fetch_add(1, Ordering::Relaxed);
    let headline_id = StoredValue::new(format!("kq-{instance}-headline"));
    let host = StoredValue::new_local(host);
    let page = StoredValue::new(page);
    let phase = RwSignal::new(Phase::Loading);
    let lang = RwSignal::new(choose_lang(None, None, page.with_value(|p| p.lang.clone()).as_deref()));
    let theme = RwSignal::new(Theme::default());
    // Each load gets a number; a response that arrives after a newer load started is dropped.
    let latest_load = StoredValue::new(0u64);

    // The article on show; `None` until the first successful configuration read.
    let current_src = StoredValue::new(None::<String>);
    let initial_src = StoredValue::new(None::<String>);
    let src_param = StoredValue::new(None::<String>);
    let widget_key = host.with_value(|element| {
        Some(element.id()).filter(|id| !id.is_empty()).unwrap_or_else(|| format!("kq-{instance}"))
    });
    let widget_key = StoredValue::new(widget_key);

    // `src`: an article to show instead of the configured one (inline navigation, history).
    let load = move |src: Option<String>, cause: Cause| {
        latest_load.update_value(|n| *n += 1);
        let this_load = latest_load.get_value();
        let page_lang = page.with_value(|p| p.lang.clone());
        let config = host.with_value(|element| page.with_value(|page| Config::read(|name| element.get_attribute(name), page)));
        let config = match config {
            Ok(config) => config,
            Err(errors) => {
                for error in &errors {
                    web::error(&format!("Kiosque: {}", error.message(Lang::En)));
                }
                let message_lang = choose_lang(None, None, page_lang.as_deref());
                lang.set(message_lang);
                phase.set(Phase::Failed(Arc::new(config_problem(&errors, message_lang))));
                return;
            }
        };
        if initial_src.with_value(Option::is_none) {
            initial_src.set_value(Some(config.src.clone()));
        }
        src_param.set_value(config.src_param.clone());
        let src = src.unwrap_or_else(|| config.src.clone());
        current_src.set_value(Some(src.clone()));
        theme.set(config.theme);
        let message_lang = choose_lang(config.lang, None, page_lang.as_deref());
        lang.set(message_lang);
        phase.set(Phase::Loading);
        let freshness = if cause == Cause::Retry { Freshness::FromServer } else { Freshness::Usual };
        // Sent now, before this widget builds its first view (the skeleton): the answer is read
        // sooner on the way to the headline.
        let request = fetch_article(&src, config.timeout_ms, freshness);
        spawn_local(async move {
            let result = request.await;
            if latest_load.try_get_value() != Some(this_load) {
                return;
            }
            match result {
                Ok(parsed) => {
                    for notice in &parsed.notices {
                        web::warn(&notice.to_string());
                    }
                    let article = parsed.article;
                    let article_lang = choose_lang(config.lang, article.lang.as_deref(), page_lang.as_deref());
                    let locale = intl_locale(
                        article_lang,
                        &[config.lang_tag.as_deref(), article.lang.as_deref(), page_lang.as_deref()],
                    );
                    let related = RelatedSettings {
                        limit: config.related_limit,
                        mode: config.related_mode,
                        timeout_ms: config.timeout_ms,
                        id_prefix: format!("kq-{instance}"),
                        heading_level: (config.heading_level + 1).min(6),
                        lang: article_lang,
                        locale: locale.clone(),
                    };
                    let comments = CommentsSettings {
                        lang: article_lang,
                        locale: locale.clone(),
                        id_prefix: format!("kq-{instance}"),
                        heading_level: (config.heading_level + 1).min(6),
                        timeout_ms: config.timeout_ms,
                        form: config.comments.clone(),
                    };
                    let presentation = Presentation {
                        lang: article_lang,
                        locale,
                        headline_level: config.heading_level,
                        headline_id: headline_id.get_value(),
                    };
                    let structured_data_origin = config.structured_data.then(|| page.with_value(|page| page.origin.clone()));
                    lang.set(article_lang);
                    let ready = Ready { article: Arc::new(article), presentation, related, comments, structured_data_origin };
                    phase.set(Phase::Ready(Arc::new(ready)));
                    match cause {
                        Cause::PageLoad => {}
                        Cause::Retry => web::focus_when_rendered(headline_id.get_value()),
                        Cause::Navigation => {
                            web::scroll_to_top_of(&headline_id.get_value());
                            web::focus_when_rendered(headline_id.get_value());
                        }
                        Cause::History { scroll } => {
                            // Once the whole article is there: the view is built after this function
                            // returns, and the end of its body one paint later (components::body).
                            if let Some(y) = scroll {
                                web::after_next_paint(move || web::after_next_paint(move || web::history::scroll_to(y)));
                            }
                        }
                    }
                }
                Err(error) => {
                    let reason = error.console_reason();
                    web::error(&format!("Kiosque: cannot display {src}: {reason}"));
                    phase.set(Phase::Failed(Arc::new(article_problem(&error, message_lang))));
                }
            }
        });
    };
    // After a reload the browser keeps the entry's state: show the article the reader was on.
    load(web::history::article_in(&web::history::current(), &widget_key.get_value()), Cause::PageLoad);
    let retry = Callback::new(move |()| load(current_src.get_value(), Cause::Retry));
    let open_related = Callback::new(move |src: String| {
        web::history::push_article(&widget_key.get_value(), &src, src_param.get_value().as_deref());
        load(Some(src), Cause::Navigation);
    });
    web::history::on_change(move |state| {
        let target = web::history::article_in(&state, &widget_key.get_value()).or_else(|| initial_src.get_value());
        if target.is_some() && target != current_src.get_value() {
            load(target, Cause::History { scroll: web::history::scroll_in(&state) });
        }
    });

    view! {
        <div class="kq" data-kq-theme=move || theme.get().name() lang=move || lang.get().code()>
            <p class="kq-visually-hidden" role="status">
                {move || matches!(phase.get(), Phase::Loading).then(|| lang.get().text(Key::LoadingArticle))}
            </p>
            {move || match phase.get() {
                Phase::Loading => skeleton(),
                Phase::Ready(ready) => {
                    // The headline's frame first: the related news and the comments (and the first
                    // compilation of their code) come in the frame after it.
                    let below = RwSignal::new(false);
                    web::after_next_paint(move || {
                        below.try_set(true);
                    });
                    view! {
                        {article_view(&ready.article, &ready.presentation)}
                        {move || if below.get() {
                            // A data block, written as text: the browser never runs it. After the
                            // headline's frame too: search engines wait for it, readers should not.
                            let structured_data = ready.structured_data_origin.as_ref().map(|origin| {
                                let count = ready.article.comments.as_ref().map_or(0, |info| u64::from(info.count));
                                let json = news_article(&ready.article, count, origin);
                                view! { <script type="application/ld+json">{json}</script> }
                            });
                            view! {
                                {structured_data}
                                <RelatedOnDemand article=Arc::clone(&ready.article) settings=ready.related.clone() on_open=open_related/>
                                <CommentsOnDemand article=Arc::clone(&ready.article) settings=ready.comments.clone()/>
                            }
                            .into_any()
                        } else {
                            ().into_any()
                        }}
                    }
                    .into_any()
                }
                Phase::Failed(problem) => error_notice(&problem, lang.get_untracked(), retry),
            }}
        </div>
    }
}
