//! One comment and its replies. Comment text is shown as text: paragraphs, line breaks, and
//! http(s) addresses as links; nothing in it is ever read as HTML.
//!
//! Shown threads never change (a new page is appended, a new comment inserted; another order or
//! the comments closing redraws the list): they are written straight into the DOM (see
//! [`super::super::dom`]). The reply buttons and the comments' links
//! share one click listener on the list (see [`list_click`]).

use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::components::dom::{set, Dom};
use crate::i18n::{Key, Lang};
use crate::model::comments::{comment_anchor, paragraphs, Comment, TextPart, Thread};
use crate::web::format_datetime;

/// Links that readers wrote: not endorsed by the site, and not given the page's referrer power.
const UGC_REL: &str = "nofollow ugc noopener";

/// The attribute of a reply button that names the comment it answers.
const REPLY_ATTRIBUTE: &str = "data-reply-to";
/// The attribute of a comment's link that names the comment.
const PERMALINK_ATTRIBUTE: &str = "data-permalink";


/// What a comment's view needs from its section.
#[derive(Clone, Debug, PartialEq)]
pub struct ListContext {
    pub lang: Lang,
    pub locale: String,
    /// False when comments are closed: no reply buttons.
    pub can_reply: bool,
}

/// Replaces what `list` (an `<ol>`) shows with `threads`.
pub fn show_threads(list: &Element, threads: &[Thread<'_>], context: &ListContext) {
    list.set_text_content(None);
    append_threads(list, threads, context);
}

/// Adds `threads` after those `list` shows, which stay as they are (the same elements).
pub fn append_threads(list: &Element, threads: &[Thread<'_>], context: &ListContext) {
    let Some(dom) = Dom::new() else { return };
    let writer = Writer { dom, context };
    for thread in threads {
        writer.thread(list, thread);
    }
}

/// Writes `thread` (the comment the reader just posted) into its place (see
/// [`crate::model::comment_pages::place_of`]): in the replies of the comment `under` (`None`: the
/// list itself), after the comment `after` (`None`: first).
pub fn insert_thread(list: &Element, thread: &Thread<'_>, (under, after): (Option<&str>, Option<&str>), context: &ListContext) {
    let Some(dom) = Dom::new() else { return };
    let container = match under {
        None => list.clone(),
        Some(id) => {
            let items = elements(list, "li");
            let Some(item) = position_of(&items, id).map(|i| &items[i]) else { return };
            let replies = elements(item, ":scope > ol").into_iter().next().or_else(|| dom.child(item, "ol", "kq-comments__replies"));
            let Some(replies) = replies else { return };
            replies
        }
    };
    // Written at the end, then moved after `after` (or first).
    Writer { dom, context }.thread(&container, thread);
    let siblings = elements(&container, ":scope > li");
    let position = after.and_then(|id| position_of(&siblings, id)).map_or(0, |i| i + 1);
    if let (Some(new), Some(before)) = (position_of(&siblings, &thread.comment.id), siblings.get(position)) {
        let _ = container.insert_before(&siblings[new], Some(before));
    }
}

fn elements(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(found) = root.query_selector_all(selector) else { return Vec::new() };
    (0..found.length()).filter_map(|i| found.item(i)?.dyn_into().ok()).collect()
}

/// Where the element of the comment `id` is among `items`.
fn position_of(items: &[Element], id: &str) -> Option<usize> {
    let anchor = comment_anchor(id);
    items.iter().position(|item| item.id() == anchor)
}

/// What a click on the list hit: a reply button, or a comment's link.
pub enum ListClick {
    Reply(String),
    Permalink(String),
}

pub fn list_click(event: &web_sys::Event) -> Option<ListClick> {
    let target: Element = event.target()?.dyn_into().ok()?;
    let named = |attribute: &str| target.closest(&format!("[{attribute}]")).ok().flatten()?.get_attribute(attribute);
    named(REPLY_ATTRIBUTE).map(ListClick::Reply).or_else(|| named(PERMALINK_ATTRIBUTE).map(ListClick::Permalink))
}

struct Writer<'a> {
    dom: Dom,
    context: &'a ListContext,
}

impl Writer<'_> {
    fn link(&self, parent: &Element, href: &str, text: &str) {
        if let Some(link) = self.dom.child_with_text(parent, "a", "", text) {
            set(&link, "href", href);
            set(&link, "rel", UGC_REL);
        }
    }

    fn thread(&self, parent: &Element, thread: &Thread<'_>) {
        let Some(item) = self.dom.child(parent, "li", "kq-comment") else { return };
        set(&item, "id", &comment_anchor(&thread.comment.id));
        set(&item, "tabindex", "-1");
        self.comment(&item, thread.comment);
        if !thread.replies.is_empty() {
            if let Some(replies) = self.dom.child(&item, "ol", "kq-comments__replies") {
                for reply in &thread.replies {
                    self.thread(&replies, reply);
                }
            }
        }
    }

    fn comment(&self, parent: &Element, comment: &Comment) {
        let lang = self.context.lang;
        if comment.deleted {
            if let Some(body) = self.dom.child(parent, "article", "kq-comment__body kq-comment__body--deleted") {
                self.dom.child_with_text(&body, "p", "kq-comment__deleted", lang.text(Key::CommentsDeleted));
            }
            return;
        }
        let class = if comment.pending { "kq-comment__body kq-comment__body--pending" } else { "kq-comment__body" };
        let Some(body) = self.dom.child(parent, "article", class) else { return };
        if let Some(meta) = self.dom.child(&body, "p", "kq-comment__meta") {
            if let Some(author) = self.dom.child(&meta, "span", "kq-comment__author") {
                match &comment.author_url {
                    Some(url) => self.link(&author, &url.url, &comment.author_name),
                    None => self.dom.text(&author, &comment.author_name),
                }
            }
            self.dom.text(&meta, " ");
            let when = format_datetime(&self.context.locale, comment.created.unix_ms);
            if let Some(date) = self.dom.child_with_text(&meta, "time", "kq-comment__date", &when) {
                set(&date, "datetime", &comment.created.rfc3339);
            }
            if comment.pending {
                self.dom.text(&meta, " ");
                self.dom.child_with_text(&meta, "span", "kq-comment__pending", lang.text(Key::CommentsPending));
            } else {
                self.dom.text(&meta, " · ");
                let class = "kq-comment__permalink";
                if let Some(link) = self.dom.child_with_text(&meta, "a", class, lang.text(Key::CommentsPermalink)) {
                    set(&link, "href", &format!("#{}", comment_anchor(&comment.id)));
                    set(&link, "aria-label", &lang.fill(Key::CommentsPermalinkLabel, &[("name", &comment.author_name)]));
                    set(&link, PERMALINK_ATTRIBUTE, &comment.id);
                }
            }
        }
        if let Some(text) = self.dom.child(&body, "div", "kq-comment__text") {
            for parts in paragraphs(&comment.text) {
                let Some(paragraph) = self.dom.child(&text, "p", "") else { continue };
                for part in parts {
                    match part {
                        TextPart::Text(words) => self.dom.text(&paragraph, &words),
                        TextPart::LineBreak => {
                            self.dom.child(&paragraph, "br", "");
                        }
                        TextPart::Link(url) => self.link(&paragraph, &url, &url),
                    }
                }
            }
        }
        if self.context.can_reply && !comment.pending {
            let class = "kq-link-button kq-comment__reply";
            if let Some(button) = self.dom.child_with_text(&body, "button", class, lang.text(Key::CommentsReply)) {
                set(&button, "type", "button");
                set(&button, "aria-label", &lang.fill(Key::CommentsReplyTo, &[("name", &comment.author_name)]));
                set(&button, REPLY_ATTRIBUTE, &comment.id);
            }
        }
    }
}
