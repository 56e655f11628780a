//! One widget: reads its configuration, loads its article, and shows the skeleton, the article or
//! an error with a retry button.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::article::{article_view, Presentation};
use super::status::{error_notice, skeleton, Problem};
use crate::api::{fetch_article, ArticleError, FetchError};
use crate::config::{Config, ConfigError, PageContext, Theme};
use crate::i18n::{choose_lang, intl_locale, Key, Lang};
use crate::model::Article;
use crate::web;

/// Numbers the widgets on a page, for element ids that must be unique.
static INSTANCES: AtomicUsize = AtomicUsize::new(0);

#[derive(Clone)]
enum Phase {
    Loading,
    Ready(Arc<(Article, Presentation)>),
    Failed(Arc<Problem>),
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

    let load = move |focus_when_ready: bool| {
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
        theme.set(config.theme);
        let message_lang = choose_lang(config.lang, None, page_lang.as_deref());
        lang.set(message_lang);
        phase.set(Phase::Loading);
        spawn_local(async move {
            let result = fetch_article(&config.src, config.timeout_ms).await;
            if latest_load.get_value() != this_load {
                return;
            }
            match result {
                Ok(parsed) => {
                    for notice in &parsed.notices {
                        web::warn(&notice.to_string());
                    }
                    let article = parsed.article;
                    let article_lang = choose_lang(config.lang, article.lang.as_deref(), page_lang.as_deref());
                    let presentation = Presentation {
                        lang: article_lang,
                        locale: intl_locale(
                            article_lang,
                            &[config.lang_tag.as_deref(), article.lang.as_deref(), page_lang.as_deref()],
                        ),
                        headline_level: config.heading_level,
                        headline_id: headline_id.get_value(),
                    };
                    lang.set(article_lang);
                    phase.set(Phase::Ready(Arc::new((article, presentation))));
                    if focus_when_ready {
                        web::focus_when_rendered(headline_id.get_value());
                    }
                }
                Err(error) => {
                    let reason = match &error {
                        ArticleError::Fetch(fetch) => fetch.message(Lang::En),
                        ArticleError::Invalid(invalid) => invalid.to_string(),
                    };
                    web::error(&format!("Kiosque: cannot display {}: {reason}", config.src));
                    phase.set(Phase::Failed(Arc::new(article_problem(&error, message_lang))));
                }
            }
        });
    };
    load(false);
    let retry = Callback::new(move |()| load(true));

    view! {
        <div class="kq" data-kq-theme=move || theme.get().name() lang=move || lang.get().code()>
            <p class="kq-visually-hidden" role="status">
                {move || matches!(phase.get(), Phase::Loading).then(|| lang.get().text(Key::LoadingArticle))}
            </p>
            {move || match phase.get() {
                Phase::Loading => skeleton(),
                Phase::Ready(ready) => article_view(&ready.0, &ready.1),
                Phase::Failed(problem) => error_notice(&problem, lang.get_untracked(), retry),
            }}
        </div>
    }
}
