//! Kiosque's newsroom console: moderation in the browser, over the reference server's admin API.
//!
//! `model` and `i18n` are pure Rust, tested natively; `api`, `web` and `views` are the browser
//! side, behind the default `web` feature (as in the widget).

pub mod i18n;
pub mod model;

#[cfg(feature = "web")]
pub mod api;
#[cfg(feature = "web")]
pub mod views;
#[cfg(feature = "web")]
pub mod web;

/// Starts the console in the page's `<body>`.
#[cfg(feature = "web")]
pub fn start() {
    leptos::mount::mount_to_body(views::app::App);
}
