//! Content that never changes once shown (the article, related cards, comment threads) is written
//! straight into the DOM rather than through Leptos views: a view keeps, for every node, a boxed
//! state and a copy of its text and attributes to update them later, which static content never
//! needs. For 5 000 comments that was 23 MB of WebAssembly memory and twice the DOM nodes; for the
//! article, most of the time between its arrival and its headline on screen. Text only ever
//! becomes text nodes here; nothing is parsed as HTML.

use web_sys::{Document, Element, Node};

pub struct Dom {
    document: Document,
}

impl Dom {
    pub fn new() -> Option<Dom> {
        web_sys::window()?.document().map(|document| Dom { document })
    }

    /// A new element (with `class` unless it is empty) appended to `parent`. `None` only if the
    /// browser refuses to create it, which it does not for these fixed names: the piece is then
    /// left out rather than panicking.
    pub fn child(&self, parent: &Element, tag: &str, class: &str) -> Option<Element> {
        let element = self.document.create_element(tag).ok()?;
        if !class.is_empty() {
            set(&element, "class", class);
        }
        parent.append_child(&element).ok()?;
        Some(element)
    }

    /// A new element outside the document, to write into before it takes another's place.
    pub fn detached(&self, tag: &str) -> Option<Element> {
        self.document.create_element(tag).ok()
    }

    pub fn text(&self, parent: &Element, text: &str) {
        let _ = parent.append_child(&self.document.create_text_node(text));
    }

    /// A new element holding `text`.
    pub fn child_with_text(&self, parent: &Element, tag: &str, class: &str, text: &str) -> Option<Element> {
        let element = self.child(parent, tag, class)?;
        self.text(&element, text);
        Some(element)
    }
}

/// Removes `parent`'s children after `kept` (all of them when `kept` is `None`).
pub fn remove_children_after(parent: &Element, kept: Option<&Node>) {
    while let Some(last) = parent.last_child().filter(|last| !last.is_same_node(kept)) {
        let _ = parent.remove_child(&last);
    }
}

/// Sets an attribute; a name the browser refuses (none of ours) leaves the element without it.
pub fn set(element: &Element, name: &str, value: &str) {
    let _ = element.set_attribute(name, value);
}
