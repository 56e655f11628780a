//! Kiosque: an embeddable news-article widget.
//!
//! `model`, `config` and `i18n` are pure Rust and tested natively; `api`, `web` and `components`
//! are the browser side.

pub mod api;
pub mod components;
pub mod config;
pub mod i18n;
pub mod model;
pub mod web;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Marks a host element that already has its widget, so mounting twice does nothing.
const MOUNTED: &str = "data-kiosque-mounted";

/// Turns every `[data-kiosque]` element of the page into its own, independent widget.
pub fn mount_all() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    let Ok(hosts) = document.query_selector_all("[data-kiosque]") else { return };
    let page = web::page_context();
    for index in 0..hosts.length() {
        let Some(host) = hosts.item(index).and_then(|node| node.dyn_into::<web_sys::HtmlElement>().ok()) else {
            continue;
        };
        if host.has_attribute(MOUNTED) {
            continue;
        }
        let _ = host.set_attribute(MOUNTED, "");
        // What the host put inside the element is its fallback for readers without WebAssembly.
        host.set_text_content(None);
        let element: web_sys::Element = host.clone().into();
        let page = page.clone();
        leptos::mount::mount_to(host, move || view! { <components::Widget host=element page=page/> }).forget();
    }
}
