//! DOM helpers shared by the headless-Chromium component tests (`tests/web_*.rs`).
#![allow(dead_code)]

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

pub fn document() -> web_sys::Document {
    web_sys::window().expect("window").document().expect("document")
}

/// A fresh element in the page with these attributes, like a host's `[data-kiosque]` element.
pub fn host(attributes: &[(&str, &str)]) -> HtmlElement {
    let element = document().create_element("div").expect("div");
    for (name, value) in attributes {
        element.set_attribute(name, value).expect("attribute");
    }
    document().body().expect("body").append_child(&element).expect("append");
    element.dyn_into().expect("html element")
}

pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("selector");
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into().ok()).collect()
}

pub fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).expect("selector").unwrap_or_else(|| panic!("no {selector}"))
}

pub fn text(root: &Element, selector: &str) -> String {
    one(root, selector).text_content().unwrap_or_default()
}

pub fn texts(root: &Element, selector: &str) -> Vec<String> {
    all(root, selector).iter().map(|e| e.text_content().unwrap_or_default()).collect()
}

/// Lets the browser and the reactive system run for `ms` milliseconds.
pub async fn settle(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}
