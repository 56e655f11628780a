//! Rich text and links. Text only ever becomes text nodes; links only carry vetted URLs.

use leptos::prelude::*;

use crate::model::{Inline, SafeUrl, Span};

/// A link to a vetted URL; other sites' links get `rel="noopener"`.
pub fn link(href: &SafeUrl, class: Option<&'static str>, content: AnyView) -> AnyView {
    view! { <a href=href.url.clone() class=class rel=href.external.then_some("noopener")>{content}</a> }.into_any()
}

/// A label that is a link when it has a target, plain text otherwise.
pub fn label(target: &crate::model::Link, class: Option<&'static str>) -> AnyView {
    match &target.href {
        Some(href) => link(href, class, target.label.clone().into_any()),
        None => view! { <span class=class>{target.label.clone()}</span> }.into_any(),
    }
}

fn span(span: &Span) -> AnyView {
    let mut content = span.text.clone().into_any();
    if span.code {
        content = view! { <code>{content}</code> }.into_any();
    }
    if span.em {
        content = view! { <em>{content}</em> }.into_any();
    }
    if span.strong {
        content = view! { <strong>{content}</strong> }.into_any();
    }
    match &span.href {
        Some(href) => link(href, None, content),
        None => content,
    }
}

pub fn inline(text: &Inline) -> AnyView {
    text.0.iter().map(span).collect_view().into_any()
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
