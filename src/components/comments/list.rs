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
use crate::model::reader_actions::{CastVotes, OwnComments, ReaderActions};
use crate::web::format_datetime;

/// Links that readers wrote: not endorsed by the site, and not given the page's referrer power.
const UGC_REL: &str = "nofollow ugc noopener";

/// The attribute of a reply button that names the comment it answers.
const REPLY_ATTRIBUTE: &str = "data-reply-to";
/// The attribute of a comment's link that names the comment.
const PERMALINK_ATTRIBUTE: &str = "data-permalink";
/// The attribute of a vote button: the vote it casts (`1`, `-1`), beside the comment's id.
const VOTE_ATTRIBUTE: &str = "data-vote";
const COMMENT_ATTRIBUTE: &str = "data-comment";
/// The attributes of the edit and delete buttons of the reader's own comment.
const EDIT_ATTRIBUTE: &str = "data-edit";
const DELETE_ATTRIBUTE: &str = "data-delete";
/// On the element holding the edit and delete buttons, which go when the time to use them ends.
pub const OWN_ACTIONS_ATTRIBUTE: &str = "data-own-actions";


/// What a comment's view needs from its section.
#[derive(Clone, Debug, PartialEq)]
pub struct ListContext {
    pub lang: Lang,
    pub locale: String,
    /// False when comments are closed: no reply buttons.
    pub can_reply: bool,
    pub actions: ReaderActions,
    /// This device's comments that it may still change, and its votes.
    pub own: OwnComments,
    pub votes: CastVotes,
    pub now_ms: i64,
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
    let shown = |id: &str| list.query_selector(&format!("#{}", comment_anchor(id))).ok().flatten();
    let container = match under {
        None => list.clone(),
        Some(id) => {
            let Some(item) = shown(id) else { return };
            let replies = item.query_selector(":scope > ol").ok().flatten().or_else(|| dom.child(&item, "ol", "kq-comments__replies"));
            let Some(replies) = replies else { return };
            replies
        }
    };
    let Some(scratch) = dom.detached("ol") else { return };
    Writer { dom, context }.thread(&scratch, thread);
    let Some(new) = scratch.first_element_child() else { return };
    let before = match after {
        Some(id) => shown(id).and_then(|item| item.next_element_sibling()),
        None => container.first_element_child(),
    };
    let _ = container.insert_before(&new, before.as_ref().map(AsRef::as_ref));
}

/// Writes `comment` again in place of its shown form (after its author changed or deleted it, or
/// a vote): the element keeps its place, its replies and its id.
pub fn rewrite_comment(list: &Element, comment: &Comment, context: &ListContext) {
    let Some(dom) = Dom::new() else { return };
    let Some(item) = list.query_selector(&format!("#{}", comment_anchor(&comment.id))).ok().flatten() else { return };
    let Some(old) = item.first_element_child() else { return };
    let Some(scratch) = dom.detached("li") else { return };
    Writer { dom, context }.comment(&scratch, comment);
    if let Some(new) = scratch.first_element_child() {
        let _ = item.replace_child(&new, &old);
    }
}

/// Takes a comment without replies out of the list.
pub fn remove_comment(list: &Element, comment_id: &str) {
    if let Some(item) = list.query_selector(&format!("#{}", comment_anchor(comment_id))).ok().flatten() {
        item.remove();
    }
}

/// What a click on the list hit.
pub enum ListClick {
    Reply(String),
    Permalink(String),
    /// A vote button: the comment, and the vote the button stands for.
    Vote(String, i8),
    Edit(String),
    /// The delete button, and whether it was already asking for confirmation.
    Delete { id: String, confirmed: bool, button: Element },
}

pub fn list_click(event: &web_sys::Event) -> Option<ListClick> {
    let target: Element = event.target()?.dyn_into().ok()?;
    let hit = |attribute: &str| target.closest(&format!("[{attribute}]")).ok().flatten();
    let named = |attribute: &str| hit(attribute)?.get_attribute(attribute);
    if let Some(button) = hit(VOTE_ATTRIBUTE) {
        let vote = if button.get_attribute(VOTE_ATTRIBUTE).as_deref() == Some("-1") { -1 } else { 1 };
        return button.get_attribute(COMMENT_ATTRIBUTE).map(|id| ListClick::Vote(id, vote));
    }
    if let Some(button) = hit(DELETE_ATTRIBUTE) {
        let id = button.get_attribute(DELETE_ATTRIBUTE)?;
        let confirmed = button.has_attribute("data-confirm");
        return Some(ListClick::Delete { id, confirmed, button });
    }
    named(REPLY_ATTRIBUTE)
        .map(ListClick::Reply)
        .or_else(|| named(PERMALINK_ATTRIBUTE).map(ListClick::Permalink))
        .or_else(|| named(EDIT_ATTRIBUTE).map(ListClick::Edit))
}

/// The delete button's second state: the next press deletes.
pub fn ask_delete_confirmation(button: &Element, lang: Lang) {
    set(button, "data-confirm", "");
    button.set_text_content(Some(lang.text(Key::CommentsDeleteConfirm)));
    set(button, "aria-label", lang.text(Key::CommentsDeleteConfirm));
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
            if comment.edited {
                self.dom.text(&meta, " · ");
                self.dom.child_with_text(&meta, "span", "kq-comment__edited", lang.text(Key::CommentsEdited));
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
        if self.context.actions.vote && !comment.pending {
            self.votes(&body, comment);
        }
        if let Some(own) = self.context.own.editable(&comment.id, self.context.now_ms) {
            if let Some(actions) = self.dom.child(&body, "span", "kq-comment__own") {
                set(&actions, OWN_ACTIONS_ATTRIBUTE, &own.id);
                for (attribute, key, label) in
                    [(EDIT_ATTRIBUTE, Key::CommentsEdit, Key::CommentsEditLabel), (DELETE_ATTRIBUTE, Key::CommentsDelete, Key::CommentsDeleteLabel)]
                {
                    if let Some(button) = self.dom.child_with_text(&actions, "button", "kq-link-button", lang.text(key)) {
                        set(&button, "type", "button");
                        set(&button, "aria-label", lang.text(label));
                        set(&button, attribute, &own.id);
                    }
                }
            }
        }
    }

    /// The score, and the buttons that vote up or down (not on the reader's own comment).
    fn votes(&self, body: &Element, comment: &Comment) {
        let lang = self.context.lang;
        let Some(group) = self.dom.child(body, "span", "kq-votes") else { return };
        let own = self.context.own.contains(&comment.id);
        let cast = self.context.votes.get(&comment.id);
        let button = |vote: i8, symbol: &str, label: Key| {
            if own {
                return;
            }
            let class = if vote > 0 { "kq-vote kq-vote--up" } else { "kq-vote kq-vote--down" };
            if let Some(button) = self.dom.child_with_text(&group, "button", class, symbol) {
                set(&button, "type", "button");
                set(&button, VOTE_ATTRIBUTE, if vote > 0 { "1" } else { "-1" });
                set(&button, COMMENT_ATTRIBUTE, &comment.id);
                set(&button, "aria-pressed", if cast == vote { "true" } else { "false" });
                set(&button, "aria-label", &lang.fill(label, &[("name", &comment.author_name)]));
            }
        };
        button(1, "▲", Key::CommentsVoteUp);
        if let Some(score) = self.dom.child(&group, "span", "kq-votes__score") {
            self.dom.child_with_text(&score, "span", "kq-visually-hidden", lang.text(Key::CommentsScore));
            self.dom.text(&score, &comment.score.to_string());
        }
        button(-1, "▼", Key::CommentsVoteDown);
    }
}
