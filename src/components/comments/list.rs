//! One comment and its replies. Comment text is shown as text: paragraphs, line breaks, and
//! http(s) addresses as links; nothing in it is ever read as HTML.
//!
//! Shown threads never change (a new page or a new comment redraws the list), so they are written
//! straight into the DOM instead of through Leptos views, which keep a copy of every text and
//! attribute and a boxed state per node to update them: for 5 000 comments that was 23 MB of
//! WebAssembly memory and twice the DOM nodes (a marker per list). The reply buttons share one
//! click listener on the list (see [`reply_target`]).

use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use crate::i18n::{Key, Lang};
use crate::model::comments::{paragraphs, Comment, TextPart, Thread};
use crate::web::format_datetime;

/// Links that readers wrote: not endorsed by the site, and not given the page's referrer power.
const UGC_REL: &str = "nofollow ugc noopener";

/// The attribute of a reply button that names the comment it answers.
const REPLY_ATTRIBUTE: &str = "data-reply-to";

pub fn comment_element_id(prefix: &str, comment_id: &str) -> String {
    let safe: String = comment_id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("{prefix}-comment-{safe}")
}

/// What a comment's view needs from its section.
#[derive(Clone, Debug, PartialEq)]
pub struct ListContext {
    pub lang: Lang,
    pub locale: String,
    pub id_prefix: String,
    /// False when comments are closed: no reply buttons.
    pub can_reply: bool,
}

/// Replaces what `list` (an `<ol>`) shows with `threads`.
pub fn show_threads(list: &Element, threads: &[Thread<'_>], context: &ListContext) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    let writer = Writer { document, context };
    list.set_text_content(None);
    for thread in threads {
        writer.thread(list, thread);
    }
}

/// The id of the comment whose reply button a click on the list hit, if it hit one.
pub fn reply_target(event: &web_sys::Event) -> Option<String> {
    let target: Element = event.target()?.dyn_into().ok()?;
    target.closest(&format!("[{REPLY_ATTRIBUTE}]")).ok()??.get_attribute(REPLY_ATTRIBUTE)
}

struct Writer<'a> {
    document: Document,
    context: &'a ListContext,
}

impl Writer<'_> {
    /// A new element with its class, appended to `parent`. Creating elements cannot fail for these
    /// fixed tag names; if the browser refuses anyway, the piece is left out rather than panicking.
    fn child(&self, parent: &Element, tag: &str, class: &str) -> Option<Element> {
        let element = self.document.create_element(tag).ok()?;
        if !class.is_empty() {
            let _ = element.set_attribute("class", class);
        }
        parent.append_child(&element).ok()?;
        Some(element)
    }

    fn text(&self, parent: &Element, text: &str) {
        let _ = parent.append_child(&self.document.create_text_node(text));
    }

    fn link(&self, parent: &Element, href: &str, text: &str) {
        if let Some(link) = self.child(parent, "a", "") {
            let _ = link.set_attribute("href", href);
            let _ = link.set_attribute("rel", UGC_REL);
            self.text(&link, text);
        }
    }

    fn thread(&self, parent: &Element, thread: &Thread<'_>) {
        let Some(item) = self.child(parent, "li", "kq-comment") else { return };
        let _ = item.set_attribute("id", &comment_element_id(&self.context.id_prefix, &thread.comment.id));
        let _ = item.set_attribute("tabindex", "-1");
        self.comment(&item, thread.comment);
        if !thread.replies.is_empty() {
            if let Some(replies) = self.child(&item, "ol", "kq-comments__replies") {
                for reply in &thread.replies {
                    self.thread(&replies, reply);
                }
            }
        }
    }

    fn comment(&self, parent: &Element, comment: &Comment) {
        let lang = self.context.lang;
        let class = if comment.pending { "kq-comment__body kq-comment__body--pending" } else { "kq-comment__body" };
        let Some(body) = self.child(parent, "article", class) else { return };
        if let Some(meta) = self.child(&body, "p", "kq-comment__meta") {
            if let Some(author) = self.child(&meta, "span", "kq-comment__author") {
                match &comment.author_url {
                    Some(url) => self.link(&author, &url.url, &comment.author_name),
                    None => {
                        self.text(&author, &comment.author_name);
                    }
                }
            }
            self.text(&meta, " ");
            if let Some(date) = self.child(&meta, "time", "kq-comment__date") {
                let _ = date.set_attribute("datetime", &comment.created.rfc3339);
                self.text(&date, &format_datetime(&self.context.locale, comment.created.unix_ms));
            }
            if comment.pending {
                self.text(&meta, " ");
                if let Some(note) = self.child(&meta, "span", "kq-comment__pending") {
                    self.text(&note, lang.text(Key::CommentsPending));
                }
            }
        }
        if let Some(text) = self.child(&body, "div", "kq-comment__text") {
            for parts in paragraphs(&comment.text) {
                let Some(paragraph) = self.child(&text, "p", "") else { continue };
                for part in parts {
                    match part {
                        TextPart::Text(words) => {
                            self.text(&paragraph, &words);
                        }
                        TextPart::LineBreak => {
                            self.child(&paragraph, "br", "");
                        }
                        TextPart::Link(url) => self.link(&paragraph, &url, &url),
                    }
                }
            }
        }
        if self.context.can_reply && !comment.pending {
            if let Some(button) = self.child(&body, "button", "kq-link-button kq-comment__reply") {
                let _ = button.set_attribute("type", "button");
                let _ = button.set_attribute("aria-label", &lang.fill(Key::CommentsReplyTo, &[("name", &comment.author_name)]));
                let _ = button.set_attribute(REPLY_ATTRIBUTE, &comment.id);
                self.text(&button, lang.text(Key::CommentsReply));
            }
        }
    }
}
