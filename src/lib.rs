//! Kiosque: an embeddable news-article widget.
//!
//! `model`, `config` and `i18n` are pure Rust and tested natively (and shared with the reference
//! server); `api`, `web` and `components` are the browser side, behind the default `web` feature.

pub mod config;
pub mod i18n;
pub mod model;

#[cfg(feature = "web")]
pub mod api;
#[cfg(feature = "web")]
pub mod components;
#[cfg(feature = "web")]
pub mod web;

#[cfg(feature = "web")]
use wasm_bindgen::JsCast;

#[cfg(feature = "web")]
/// Marks a host element that already has its widget, so mounting twice does nothing.
const MOUNTED: &str = "data-kiosque-mounted";

#[cfg(feature = "web")]
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
        components::mount_widget(host, page.clone());
    }
}
