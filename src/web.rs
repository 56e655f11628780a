//! Thin glue to the browser: console, `Intl`, the page around the widget. Kept apart from the
//! model so that everything that can be decided in pure Rust is.

use js_sys::Intl::DateTimeFormat;
use wasm_bindgen::{JsCast, JsValue};

use crate::config::{parse_query, PageContext};

pub fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(message));
}

pub fn error(message: &str) {
    web_sys::console::error_1(&JsValue::from_str(message));
}

/// The `Intl` formatters made so far, by style and locale: making one costs far more than using
/// it (the browser loads its locale data), and a thread of 5 000 comments formats 5 000 dates.
mod formatters {
    use std::cell::RefCell;

    use js_sys::Intl::{DateTimeFormat, DateTimeFormatOptions, DateTimeStyle, RelativeTimeFormat};
    use js_sys::{Array, Object, Reflect};
    use wasm_bindgen::JsValue;

    #[derive(Clone, Copy, PartialEq, Eq)]
    pub enum Style {
        DateTime,
        Date,
        Relative,
    }

    thread_local! {
        // A handful at most (three styles, a language or two): a list is enough.
        static MADE: RefCell<Vec<(Style, String, Object)>> = const { RefCell::new(Vec::new()) };
    }

    /// The formatter for `style` and `locale` (which must come from `i18n::intl_locale`, so `Intl`
    /// cannot throw on it).
    pub fn get(style: Style, locale: &str) -> Object {
        let found = MADE.with_borrow(|made| {
            made.iter().find(|(s, l, _)| *s == style && l == locale).map(|(_, _, formatter)| formatter.clone())
        });
        if let Some(formatter) = found {
            return formatter;
        }
        let locales = Array::of1(&JsValue::from_str(locale));
        let made: Object = match style {
            Style::DateTime | Style::Date => {
                let options = DateTimeFormatOptions::new();
                if style == Style::DateTime {
                    options.set_date_style(DateTimeStyle::Long);
                    options.set_time_style(DateTimeStyle::Short);
                } else {
                    options.set_date_style(DateTimeStyle::Medium);
                }
                DateTimeFormat::new(&locales, &options).into()
            }
            Style::Relative => {
                // `numeric: "auto"` gives the natural words: "hier", "yesterday".
                let options = Object::new();
                let _ = Reflect::set(&options, &JsValue::from_str("numeric"), &JsValue::from_str("auto"));
                RelativeTimeFormat::new(&locales, &options).into()
            }
        };
        MADE.with_borrow_mut(|cache| cache.push((style, locale.to_string(), made.clone())));
        made
    }
}

/// A date and time in the reader's time zone, formatted by the browser for `locale`.
pub fn format_datetime(locale: &str, unix_ms: i64) -> String {
    intl_format(formatters::Style::DateTime, locale, unix_ms)
}

/// A date without the time ("21 nov. 2026"), for lists.
pub fn format_date(locale: &str, unix_ms: i64) -> String {
    intl_format(formatters::Style::Date, locale, unix_ms)
}

fn intl_format(style: formatters::Style, locale: &str, unix_ms: i64) -> String {
    let format: DateTimeFormat = formatters::get(style, locale).unchecked_into();
    let date = js_sys::Date::new(&JsValue::from_f64(unix_ms as f64));
    format
        .format()
        .call1(&format, &date)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| String::from(date.to_iso_string()))
}

pub fn page_context() -> PageContext {
    let Some(window) = web_sys::window() else { return PageContext::default() };
    let location = window.location();
    PageContext {
        lang: window
            .document()
            .and_then(|document| document.document_element())
            .and_then(|html| html.get_attribute("lang")),
        origin: location.origin().unwrap_or_default(),
        query: parse_query(&location.search().unwrap_or_default()),
    }
}

/// Runs `then` just after the browser's next paint: a frame callback runs just before the paint,
/// and a time-out set from it runs after. What the reader sees first is built first; the rest (the
/// end of the body, the lazy lists' observers) follows without delaying that paint.
pub fn after_next_paint(then: impl FnOnce() + 'static) {
    before_next_paint(move || {
        let Some(window) = web_sys::window() else { return };
        let then = wasm_bindgen::closure::Closure::once_into_js(then);
        let _ = window.set_timeout_with_callback(then.unchecked_ref());
    });
}

/// Runs `then` in the browser's next frame, before it paints. (The browser's own calls, not
/// Leptos's: these run on the way to the headline, where the main wasm has no Leptos.)
pub fn before_next_paint(then: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else { return };
    let then = wasm_bindgen::closure::Closure::once_into_js(then);
    let _ = window.request_animation_frame(then.unchecked_ref());
}

/// Moves keyboard focus to the element with `id`, once it has been rendered.
pub fn focus_when_rendered(id: String) {
    before_next_paint(move || {
        let element = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.get_element_by_id(&id))
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    });
}

/// Focuses the element with `id` once rendered (which brings it into view) and marks it with
/// `class` (the comment a link pointed at).
pub fn reveal_when_rendered(id: String, class: &'static str) {
    before_next_paint(move || {
        let element = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.get_element_by_id(&id))
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.class_list().add_1(class);
            let _ = element.focus();
        }
    });
}

/// The page's address and its fragment (`#…`), as the browser has them now.
pub fn location() -> (String, String) {
    let Some(location) = web_sys::window().map(|window| window.location()) else { return Default::default() };
    (location.href().unwrap_or_default(), location.hash().unwrap_or_default())
}

/// Puts `text` on the clipboard; false when the browser refuses (no permission, not https).
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// "il y a 3 heures", "hier", "3 hours ago".
pub fn format_relative(locale: &str, amount: i64, unit: &str) -> String {
    let format: js_sys::Intl::RelativeTimeFormat = formatters::get(formatters::Style::Relative, locale).unchecked_into();
    String::from(format.format(amount as f64, unit))
}

/// What a [`NearWatch`] calls, until it has.
type Pending = std::rc::Rc<std::cell::RefCell<Option<Box<dyn FnOnce()>>>>;

/// The watch set by [`when_near_viewport`]; dropping it stops the observer and frees its callback.
pub struct NearWatch {
    observer: web_sys::IntersectionObserver,
    pending: Pending,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>,
}

impl Drop for NearWatch {
    fn drop(&mut self) {
        // Also keeps the observer from starting, should the paint it waits for come later.
        self.pending.borrow_mut().take();
        self.observer.disconnect();
    }
}

/// Calls `on_near` once, the first time `element` comes within `margin` of the viewport, so that
/// what sits below the fold costs nothing to readers who never scroll there. Watches until the
/// answer is dropped; `None` when it could not watch and called `on_near` at once.
pub fn when_near_viewport(element: &web_sys::Element, margin: &str, on_near: Box<dyn FnOnce()>) -> Option<NearWatch> {
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;

    let pending: Pending = Rc::new(RefCell::new(Some(on_near)));
    let run_once = {
        let pending = Rc::clone(&pending);
        move || {
            // Taken before the call, which may drop this watch.
            let on_near = pending.borrow_mut().take();
            if let Some(on_near) = on_near {
                on_near();
            }
        }
    };
    let callback = {
        let run_once = run_once.clone();
        Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new(
            move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
                let near = entries.iter().any(|entry| {
                    entry.dyn_into::<web_sys::IntersectionObserverEntry>().is_ok_and(|e| e.is_intersecting())
                });
                if near {
                    observer.disconnect();
                    run_once();
                }
            },
        )
    };
    let options = web_sys::IntersectionObserverInit::new();
    options.set_root_margin(margin);
    match web_sys::IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options) {
        Ok(observer) => {
            // Only after the next paint: the article's body is complete then (components::body
            // builds its first blocks first), and a list observed before would seem near, and load
            // for nothing.
            let (element, waiting, watcher) = (element.clone(), Rc::clone(&pending), observer.clone());
            after_next_paint(move || {
                if waiting.borrow().is_some() {
                    watcher.observe(&element);
                }
            });
            Some(NearWatch { observer, pending, _callback: callback })
        }
        // No IntersectionObserver (a very old browser): load now rather than never.
        Err(_) => {
            run_once();
            None
        }
    }
}

/// Scrolls the page so that the element with `id` starts at the top of the viewport.
pub fn scroll_to_top_of(id: &str) {
    let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    if let Some(element) = element {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Start);
        element.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

/// Browser history for inline navigation between articles. Each entry's state carries, under
/// `kiosque`, the article address of every widget that navigated (by widget key) and the page's
/// scroll position when the entry was left; the host page's own state fields are kept as they are.
pub mod history {
    use js_sys::{Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    const STATE_KEY: &str = "kiosque";
    const SCROLL_KEY: &str = "kiosqueScroll";

    fn history() -> Option<web_sys::History> {
        web_sys::window()?.history().ok()
    }

    /// A copy of the current state (an object), so the host's fields survive our writes.
    fn current_state() -> Object {
        let copy = Object::new();
        if let Some(state) = history().and_then(|h| h.state().ok()).filter(|s| s.is_object()) {
            Object::assign(&copy, state.unchecked_ref());
        }
        copy
    }

    fn articles_of(state: &JsValue) -> Object {
        let copy = Object::new();
        if let Ok(map) = Reflect::get(state, &JsValue::from_str(STATE_KEY)) {
            if map.is_object() {
                Object::assign(&copy, map.unchecked_ref());
            }
        }
        copy
    }

    /// The current entry's state: after a reload the browser keeps it, with the article shown.
    pub fn current() -> JsValue {
        history().and_then(|h| h.state().ok()).unwrap_or(JsValue::NULL)
    }

    /// The address this widget showed in the history entry `state`, if it navigated there.
    pub fn article_in(state: &JsValue, widget: &str) -> Option<String> {
        Reflect::get(&articles_of(state), &JsValue::from_str(widget)).ok()?.as_string()
    }

    pub fn scroll_in(state: &JsValue) -> Option<f64> {
        Reflect::get(state, &JsValue::from_str(SCROLL_KEY)).ok()?.as_f64()
    }

    /// Records a new entry where `widget` shows `src`. When the host page keeps the article address
    /// in a query parameter (`data-src-param`), the address bar follows, so a reload shows it too.
    pub fn push_article(widget: &str, src: &str, src_param: Option<&str>) {
        let Some(window) = web_sys::window() else { return };
        let Some(history) = history() else { return };
        let leaving = current_state();
        let _ = Reflect::set(&leaving, &JsValue::from_str(SCROLL_KEY), &JsValue::from_f64(window.scroll_y().unwrap_or(0.0)));
        let _ = history.replace_state(&leaving, "");

        let entering = current_state();
        let _ = Reflect::delete_property(&entering, &JsValue::from_str(SCROLL_KEY));
        let articles = articles_of(&entering);
        let _ = Reflect::set(&articles, &JsValue::from_str(widget), &JsValue::from_str(src));
        let _ = Reflect::set(&entering, &JsValue::from_str(STATE_KEY), &articles);
        let url = src_param.and_then(|param| {
            let url = web_sys::Url::new(&window.location().href().ok()?).ok()?;
            url.search_params().set(param, src);
            Some(url.href())
        });
        let _ = history.push_state_with_url(&entering, "", url.as_deref());
    }

    /// Calls `on_change` with the state of each history entry the reader goes back or forward to.
    pub fn on_change(on_change: impl Fn(JsValue) + 'static) {
        use wasm_bindgen::closure::Closure;
        let Some(window) = web_sys::window() else { return };
        let listener = Closure::<dyn Fn(web_sys::PopStateEvent)>::new(move |event: web_sys::PopStateEvent| {
            on_change(event.state());
        });
        if window.add_event_listener_with_callback("popstate", listener.as_ref().unchecked_ref()).is_ok() {
            // Listens for the page's lifetime, like the widget itself.
            listener.forget();
        }
    }

    pub fn scroll_to(y: f64) {
        if let Some(window) = web_sys::window() {
            window.scroll_to_with_x_and_y(0.0, y);
        }
    }
}

/// The browser's storage for drafts. Any failure (private mode, quota, storage disabled) is
/// reported once to the console and otherwise ignored: the form keeps working without it.
pub mod storage {
    fn local() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn get(key: &str) -> Option<String> {
        local()?.get_item(key).ok().flatten()
    }

    pub fn set(key: &str, value: &str) {
        let saved = local().map(|storage| storage.set_item(key, value).is_ok());
        if saved != Some(true) {
            super::warn("Kiosque: the browser refused to keep the draft (storage full or disabled)");
        }
    }

    pub fn remove(key: &str) {
        if let Some(storage) = local() {
            let _ = storage.remove_item(key);
        }
    }
}

/// A random UUID from the browser's cryptography, for idempotency keys.
pub fn random_uuid() -> String {
    web_sys::window()
        .and_then(|window| window.crypto().ok())
        .map(|crypto| crypto.random_uuid())
        // Without `crypto.randomUUID` (very old browsers, insecure contexts): time and randomness.
        .unwrap_or_else(|| format!("kq-{}-{}", now_ms(), (js_sys::Math::random() * 1e12) as u64))
}

/// Base64 of an ASCII string (the proof-of-work payload).
pub fn base64(ascii: &str) -> Option<String> {
    web_sys::window()?.btoa(ascii).ok()
}

/// Lets the browser paint and handle input before the next slice of work.
pub async fn yield_to_browser() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

pub async fn sleep_ms(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}
