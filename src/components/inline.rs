//! Rich text and links. Text only ever becomes text nodes; links only carry vetted URLs.
//!
//! Two forms of each: Leptos views, for the widget's own reactive parts (section titles that count,
//! the form), and writers into the DOM for the article and related cards (see [`super::dom`]).

use leptos::prelude::*;
use web_sys::Element;

use super::dom::{set, Dom};
use crate::model::{Inline, Link, SafeUrl};

/// A label that is a link when it has a target, plain text otherwise.
pub fn label(target: &Link, class: Option<&'static str>) -> AnyView {
    match &target.href {
        Some(href) => view! {
            <a href=href.url.clone() class=class rel=href.external.then_some("noopener")>{target.label.clone()}</a>
        }
        .into_any(),
        None => view! { <span class=class>{target.label.clone()}</span> }.into_any(),
    }
}

/// A heading at a level known only at run time (the host page chooses the headline's level).
pub fn heading(level: u8, class: &'static str, id: Option<String>, content: AnyView) -> AnyView {
    // Only the headline has an id; it is also where focus goes after a retry or a navigation.
    let tabindex = id.is_some().then_some("-1");
    match level {
        1 => view! { <h1 class=class id=id tabindex=tabindex>{content}</h1> }.into_any(),
        2 => view! { <h2 class=class id=id tabindex=tabindex>{content}</h2> }.into_any(),
        3 => view! { <h3 class=class id=id tabindex=tabindex>{content}</h3> }.into_any(),
        4 => view! { <h4 class=class id=id tabindex=tabindex>{content}</h4> }.into_any(),
        5 => view! { <h5 class=class id=id tabindex=tabindex>{content}</h5> }.into_any(),
        _ => view! { <h6 class=class id=id tabindex=tabindex>{content}</h6> }.into_any(),
    }
}

/// A link to a vetted URL; other sites' links get `rel="noopener"`.
pub fn write_link(dom: &Dom, parent: &Element, href: &SafeUrl, class: &str) -> Option<Element> {
    let link = dom.child(parent, "a", class)?;
    set(&link, "href", &href.url);
    if href.external {
        set(&link, "rel", "noopener");
    }
    Some(link)
}

/// [`label`], written into `parent`.
pub fn write_label(dom: &Dom, parent: &Element, target: &Link, class: &str) {
    let element = match &target.href {
        Some(href) => write_link(dom, parent, href, class),
        None => dom.child(parent, "span", class),
    };
    if let Some(element) = element {
        dom.text(&element, &target.label);
    }
}

/// Rich text: each span in its `<code>`, `<em>`, `<strong>` and link, innermost first.
pub fn write_inline(dom: &Dom, parent: &Element, text: &Inline) {
    for span in &text.0 {
        let mut container = parent.clone();
        if let Some(href) = &span.href {
            container = write_link(dom, &container, href, "").unwrap_or(container);
        }
        for (on, tag) in [(span.strong, "strong"), (span.em, "em"), (span.code, "code")] {
            if on {
                container = dom.child(&container, tag, "").unwrap_or(container);
            }
        }
        dom.text(&container, &span.text);
    }
}

/// [`heading`], written into `parent`; levels above 6 are written as 6.
pub fn write_heading(dom: &Dom, parent: &Element, level: u8, class: &str) -> Option<Element> {
    let tag = ["h1", "h2", "h3", "h4", "h5", "h6"][usize::from(level.clamp(1, 6)) - 1];
    dom.child(parent, tag, class)
}
