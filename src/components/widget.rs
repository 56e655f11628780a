//! One widget: reads its configuration, loads its article, and shows the skeleton, the article or
//! an error with a retry button.
//!
//! Written into the DOM, without Leptos (issue 18): in a release build this is the main wasm, the
//! part every reader downloads before the headline, and Leptos's runtime and views were a third of
//! it. The sections under the article (related news, comments) are Leptos components in wasm parts
//! of their own, mounted into their places when the reader comes near (see [`super::on_demand`]).

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, HtmlElement};

use super::article::{write_article, Presentation};
use super::comments::CommentsSettings;
use super::dom::{remove_children_after, set, Dom};
use super::on_demand::{write_comments_on_demand, write_related_on_demand, SectionParts};
use super::related::RelatedSettings;
use super::status::{write_error_notice, write_skeleton, Problem};
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

/// Where the widget's history stands; each load gets a number, and a response that arrives after a
/// newer load started is dropped.
#[derive(Default)]
struct Loads {
    latest: u64,
    /// The article on show; `None` until the first successful configuration read.
    current_src: Option<String>,
    initial_src: Option<String>,
    src_param: Option<String>,
}

struct Widget {
    instance: usize,
    /// The page's `[data-kiosque]` element: its attributes are read again on every load, so a host
    /// page that fixes them late is picked up.
    host: Element,
    page: PageContext,
    /// `div.kq`: the theme and the language, the status line, then what the phase shows.
    root: Element,
    status: Element,
    key: String,
    loads: RefCell<Loads>,
    /// The sections under the article, waiting for their code or mounted; dropped (unmounted)
    /// with it.
    parts: RefCell<SectionParts>,
}

/// Turns `host` into a widget: it stays for the page's lifetime.
pub fn mount_widget(host: HtmlElement, page: PageContext) {
    let Some(dom) = Dom::new() else { return };
    let instance = INSTANCES.fetch_add(1, Ordering::Relaxed);
    let host: Element = host.into();
    let Some(root) = dom.child(&host, "div", "kq") else { return };
    set(&root, "data-kq-theme", Theme::default().name());
    let Some(status) = dom.child(&root, "p", "kq-visually-hidden") else { return };
    set(&status, "role", "status");
    let key = Some(host.id()).filter(|id| !id.is_empty()).unwrap_or_else(|| format!("kq-{instance}"));
    set(&root, "lang", choose_lang(None, None, page.lang.as_deref()).code());
    let widget = Rc::new(Widget {
        instance,
        host,
        page,
        root,
        status,
        key,
        loads: RefCell::default(),
        parts: RefCell::default(),
    });
    widget.listen_for_retry();
    // After a reload the browser keeps the entry's state: show the article the reader was on.
    widget.load(web::history::article_in(&web::history::current(), &widget.key), Cause::PageLoad);
    let on_history = Rc::clone(&widget);
    web::history::on_change(move |state| {
        let target = web::history::article_in(&state, &on_history.key).or_else(|| on_history.loads.borrow().initial_src.clone());
        if target.is_some() && target != on_history.loads.borrow().current_src {
            on_history.load(target, Cause::History { scroll: web::history::scroll_in(&state) });
        }
    });
}

impl Widget {
    fn headline_id(&self) -> String {
        format!("kq-{}-headline", self.instance)
    }

    /// One listener for the error notice's Retry button, whichever notice is on show.
    fn listen_for_retry(self: &Rc<Self>) {
        let widget = Rc::clone(self);
        let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            let target = event.target().and_then(|target| target.dyn_into::<Element>().ok());
            if target.and_then(|target| target.closest(".kq-error button.kq-retry").ok().flatten()).is_some() {
                let src = widget.loads.borrow().current_src.clone();
                widget.load(src, Cause::Retry);
            }
        });
        if self.root.add_event_listener_with_callback("click", listener.as_ref().unchecked_ref()).is_ok() {
            // Listens for the page's lifetime, like the widget itself.
            listener.forget();
        }
    }

    /// Removes what the last phase showed (its sections unmounted first), keeping the status line,
    /// which then says `status`.
    fn clear(&self, lang: Lang, status: Option<&str>) -> Option<Dom> {
        self.parts.borrow_mut().clear();
        set(&self.root, "lang", lang.code());
        self.status.set_text_content(status);
        remove_children_after(&self.root, Some(self.status.as_ref()));
        Dom::new()
    }

    fn show_failed(&self, problem: &Problem, lang: Lang) {
        if let Some(dom) = self.clear(lang, None) {
            write_error_notice(&dom, &self.root, problem, lang);
        }
    }

    /// `src`: an article to show instead of the configured one (inline navigation, history).
    fn load(self: &Rc<Self>, src: Option<String>, cause: Cause) {
        let this_load = {
            let mut loads = self.loads.borrow_mut();
            loads.latest += 1;
            loads.latest
        };
        let page_lang = self.page.lang.clone();
        let config = match Config::read(|name| self.host.get_attribute(name), &self.page) {
            Ok(config) => config,
            Err(errors) => {
                for error in &errors {
                    web::error(&format!("Kiosque: {}", error.message(Lang::En)));
                }
                let message_lang = choose_lang(None, None, page_lang.as_deref());
                self.show_failed(&config_problem(&errors, message_lang), message_lang);
                return;
            }
        };
        let src = {
            let mut loads = self.loads.borrow_mut();
            if loads.initial_src.is_none() {
                loads.initial_src = Some(config.src.clone());
            }
            loads.src_param = config.src_param.clone();
            let src = src.unwrap_or_else(|| config.src.clone());
            loads.current_src = Some(src.clone());
            src
        };
        set(&self.root, "data-kq-theme", config.theme.name());
        let message_lang = choose_lang(config.lang, None, page_lang.as_deref());
        let freshness = if cause == Cause::Retry { Freshness::FromServer } else { Freshness::Usual };
        // Sent now, before the skeleton is written: the answer is read sooner on the way to the
        // headline.
        let request = fetch_article(&src, config.timeout_ms, freshness);
        if let Some(dom) = self.clear(message_lang, Some(message_lang.text(Key::LoadingArticle))) {
            write_skeleton(&dom, &self.root);
        }
        let widget = Rc::clone(self);
        spawn_local(async move {
            let result = request.await;
            if widget.loads.borrow().latest != this_load {
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
                    let id_prefix = format!("kq-{}", widget.instance);
                    let section_level = (config.heading_level + 1).min(6);
                    let ready = Ready {
                        related: RelatedSettings {
                            limit: config.related_limit,
                            mode: config.related_mode,
                            timeout_ms: config.timeout_ms,
                            id_prefix: id_prefix.clone(),
                            heading_level: section_level,
                            lang: article_lang,
                            locale: locale.clone(),
                        },
                        comments: CommentsSettings {
                            lang: article_lang,
                            locale: locale.clone(),
                            id_prefix,
                            heading_level: section_level,
                            timeout_ms: config.timeout_ms,
                            form: config.comments.clone(),
                        },
                        presentation: Presentation {
                            lang: article_lang,
                            locale,
                            headline_level: config.heading_level,
                            headline_id: widget.headline_id(),
                        },
                        structured_data_origin: config.structured_data.then(|| widget.page.origin.clone()),
                        article: Arc::new(article),
                    };
                    widget.show_ready(ready, this_load);
                    widget.after_load(cause);
                }
                Err(error) => {
                    let reason = error.console_reason();
                    web::error(&format!("Kiosque: cannot display {src}: {reason}"));
                    widget.show_failed(&article_problem(&error, message_lang), message_lang);
                }
            }
        });
    }

    fn show_ready(self: &Rc<Self>, ready: Ready, this_load: u64) {
        let Some(dom) = self.clear(ready.presentation.lang, None) else { return };
        if let Some(article) = dom.child(&self.root, "article", "kq-article") {
            write_article(&article, &ready.article, &ready.presentation);
        }
        // The headline's frame first: the related news and the comments come in the frame after it.
        let widget = Rc::clone(self);
        web::after_next_paint(move || {
            if widget.loads.borrow().latest != this_load {
                return;
            }
            let Some(dom) = Dom::new() else { return };
            // A data block, written as text: the browser never runs it. After the headline's frame
            // too: search engines wait for it, readers should not.
            if let Some(origin) = &ready.structured_data_origin {
                let count = ready.article.comments.as_ref().map_or(0, |info| u64::from(info.count));
                // Typed before it is in the document, or the browser would run it as JavaScript.
                if let Some(script) = dom.detached("script") {
                    set(&script, "type", "application/ld+json");
                    script.set_text_content(Some(&news_article(&ready.article, count, origin)));
                    let _ = widget.root.append_child(&script);
                }
            }
            let opener = Rc::clone(&widget);
            let on_open: Rc<dyn Fn(String)> = Rc::new(move |src: String| {
                let src_param = opener.loads.borrow().src_param.clone();
                web::history::push_article(&opener.key, &src, src_param.as_deref());
                opener.load(Some(src), Cause::Navigation);
            });
            let mut parts = widget.parts.borrow_mut();
            write_related_on_demand(&dom, &widget.root, &mut parts, Arc::clone(&ready.article), ready.related, on_open);
            write_comments_on_demand(&dom, &widget.root, &mut parts, ready.article, ready.comments);
        });
    }

    fn after_load(&self, cause: Cause) {
        match cause {
            Cause::PageLoad => {}
            Cause::Retry => web::focus_when_rendered(self.headline_id()),
            Cause::Navigation => {
                web::scroll_to_top_of(&self.headline_id());
                web::focus_when_rendered(self.headline_id());
            }
            Cause::History { scroll } => {
                // Once the whole article is there: the end of its body comes one paint later
                // (components::body).
                if let Some(y) = scroll {
                    web::after_next_paint(move || web::after_next_paint(move || web::history::scroll_to(y)));
                }
            }
        }
    }
}
