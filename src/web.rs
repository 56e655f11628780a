//! Thin glue to the browser: console, `Intl`, the page around the widget. Kept apart from the
//! model so that everything that can be decided in pure Rust is.

use js_sys::Intl::{DateTimeFormat, DateTimeFormatOptions, DateTimeStyle};
use wasm_bindgen::{JsCast, JsValue};

use crate::config::{parse_query, PageContext};

pub fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(message));
}

pub fn error(message: &str) {
    web_sys::console::error_1(&JsValue::from_str(message));
}

/// A date and time in the reader's time zone, formatted by the browser for `locale` (which must
/// come from `i18n::intl_locale`, so `Intl` cannot throw on it).
pub fn format_datetime(locale: &str, unix_ms: i64) -> String {
    let options = DateTimeFormatOptions::new();
    options.set_date_style(DateTimeStyle::Long);
    options.set_time_style(DateTimeStyle::Short);
    let format = DateTimeFormat::new(&js_sys::Array::of1(&JsValue::from_str(locale)), &options);
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

/// Moves keyboard focus to the element with `id`, once it has been rendered.
pub fn focus_when_rendered(id: String) {
    leptos::prelude::request_animation_frame(move || {
        let element = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.get_element_by_id(&id))
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    });
}
