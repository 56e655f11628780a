//! Thin glue to the browser: the page's address and languages, dates in the moderator's time
//! zone, downloads, focus.

use wasm_bindgen::{JsCast, JsValue};

/// The `?lang=` of the page's address.
pub fn query_lang() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get("lang")
}

/// The browser's languages, in its order of preference.
pub fn browser_languages() -> Vec<String> {
    let Some(window) = web_sys::window() else { return Vec::new() };
    window.navigator().languages().iter().filter_map(|tag| tag.as_string()).collect()
}

/// An RFC 3339 time of the API as a date and time for `lang`, in the browser's time zone.
pub fn format_time(rfc3339: &str, lang_code: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return rfc3339.to_string();
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(lang_code, &options).as_string().unwrap_or_else(|| rfc3339.to_string())
}

/// Has the browser save `json` as `file_name` (a Blob behind a temporary link).
pub fn download_json(json: &str, file_name: &str) -> bool {
    let save = || -> Option<()> {
        let parts = js_sys::Array::of1(&JsValue::from_str(json));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/json");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        let document = web_sys::window()?.document()?;
        let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
        link.set_href(&url);
        link.set_download(file_name);
        document.body()?.append_child(&link).ok()?;
        link.click();
        link.remove();
        let _ = web_sys::Url::revoke_object_url(&url);
        Some(())
    };
    save().is_some()
}

/// Moves keyboard focus to the element with `id` once it is rendered, scrolled into view.
pub fn focus_when_rendered(id: String) {
    leptos::prelude::request_animation_frame(move || {
        let element = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.get_element_by_id(&id))
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            element.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
}

/// Whether a key typed in `target` is text (a field), not a shortcut.
pub fn is_typing(target: Option<web_sys::EventTarget>) -> bool {
    let Some(element) = target.and_then(|target| target.dyn_into::<web_sys::Element>().ok()) else { return false };
    let tag = element.tag_name().to_ascii_lowercase();
    let checkable = element
        .dyn_ref::<web_sys::HtmlInputElement>()
        .is_some_and(|input| matches!(input.type_().as_str(), "checkbox" | "radio" | "button" | "submit"));
    (matches!(tag.as_str(), "input" | "textarea" | "select") && !checkable) || element.has_attribute("contenteditable")
}
