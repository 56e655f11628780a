//! What a widget shows when it has no article to show: a skeleton while loading, an error with
//! its reasons and a retry button otherwise. Written into the DOM (see [`super::dom`]): they are
//! on the way to the headline, where the main wasm has no Leptos.

use web_sys::Element;

use super::dom::{set, Dom};
use crate::i18n::{Key, Lang};

/// Grey bars with the shape of an article, so the page does not jump when the article arrives.
pub fn write_skeleton(dom: &Dom, parent: &Element) {
    let Some(skeleton) = dom.child(parent, "div", "kq-skeleton") else { return };
    set(&skeleton, "aria-hidden", "true");
    for class in [
        "kq-skeleton__bar kq-skeleton__bar--section",
        "kq-skeleton__bar kq-skeleton__bar--headline",
        "kq-skeleton__bar kq-skeleton__bar--headline kq-skeleton__bar--short",
        "kq-skeleton__bar kq-skeleton__bar--meta",
        "kq-skeleton__image",
        "kq-skeleton__bar",
        "kq-skeleton__bar",
        "kq-skeleton__bar kq-skeleton__bar--short",
    ] {
        dom.child(&skeleton, "div", class);
    }
}

/// A failure as the reader sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub title: Key,
    pub hint: Key,
    /// The precise reasons, in the reader's language, behind a disclosure.
    pub reasons: Vec<String>,
}

/// The error and its Retry button (`button.kq-retry`), whose press the widget's own click
/// listener takes.
pub fn write_error_notice(dom: &Dom, parent: &Element, problem: &Problem, lang: Lang) {
    let Some(notice) = dom.child(parent, "div", "kq-error") else { return };
    set(&notice, "role", "alert");
    dom.child_with_text(&notice, "p", "kq-error__title", lang.text(problem.title));
    dom.child_with_text(&notice, "p", "kq-error__hint", lang.text(problem.hint));
    if let Some(details) = dom.child(&notice, "details", "kq-error__details") {
        dom.child_with_text(&details, "summary", "", lang.text(Key::ActionDetails));
        if let Some(list) = dom.child(&details, "ul", "kq-error__reasons") {
            for reason in &problem.reasons {
                dom.child_with_text(&list, "li", "", reason);
            }
        }
    }
    write_button(dom, &notice, "kq-button kq-retry", lang.text(Key::ActionRetry));
}

/// "Could not load …" and a retry button (`button.kq-button`), for a section whose download failed.
pub fn write_retry_box(dom: &Dom, parent: &Element, class: &str, lang: Lang, message: Key) -> Option<Element> {
    let retry_box = dom.child(parent, "div", class)?;
    set(&retry_box, "role", "alert");
    dom.child_with_text(&retry_box, "p", "", lang.text(message));
    write_button(dom, &retry_box, "kq-button kq-button--secondary", lang.text(Key::ActionRetry))
}

pub fn write_button(dom: &Dom, parent: &Element, class: &str, label: &str) -> Option<Element> {
    let button = dom.child_with_text(parent, "button", class, label)?;
    set(&button, "type", "button");
    Some(button)
}
