//! Votes and the reader's own comments: what the device keeps for them (its voter id, its votes,
//! the edit tokens of its comments) and the requests behind the list's vote and delete buttons.
//! Editing goes through the form (see [`super::form`]); the rules are in
//! `src/model/reader_actions.rs`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::Element;

use super::list::{ask_delete_confirmation, remove_comment, rewrite_comment, ListContext, OWN_ACTIONS_ATTRIBUTE};
use crate::api::{send_json, FetchError};
use crate::i18n::{Key, Lang};
use crate::model::comments::Comment;
use crate::model::json_write::JsonObject;
use crate::model::reader_actions::{action_outcome, comment_url, is_voter_id, next_vote, vote_body, ActionOutcome, CastVotes, OwnComment, OwnComments};
use crate::web::{self, storage};

const VOTER_KEY: &str = "kiosque:voter";
const VOTES_KEY: &str = "kiosque:votes";
const OWN_KEY: &str = "kiosque:own-comments";

/// What this device keeps about the reader's part in the comments, shared by every widget of
/// the page through storage.
#[derive(Clone, Copy)]
pub struct ReaderDevice {
    // Not signals: nothing redraws when they change (the list rewrites the one comment).
    pub own: StoredValue<OwnComments>,
    pub votes: StoredValue<CastVotes>,
}

impl ReaderDevice {
    pub fn load() -> ReaderDevice {
        let now = web::now_ms();
        let own = storage::get(OWN_KEY).map(|json| OwnComments::from_json(&json, now)).unwrap_or_default();
        let votes = storage::get(VOTES_KEY).map(|json| CastVotes::from_json(&json)).unwrap_or_default();
        ReaderDevice { own: StoredValue::new(own), votes: StoredValue::new(votes) }
    }

    /// The device's random voter id, made the first time it is needed.
    pub fn voter() -> String {
        if let Some(id) = storage::get(VOTER_KEY).filter(|id| is_voter_id(id)) {
            return id;
        }
        let id = web::random_uuid();
        storage::set(VOTER_KEY, &id);
        id
    }

    pub fn remember_own(&self, own: OwnComment) {
        self.own.update_value(|list| list.add(own));
        self.own.with_value(|list| storage::set(OWN_KEY, &list.to_json()));
    }

    pub fn forget_own(&self, id: &str) {
        self.own.update_value(|list| list.remove(id));
        self.own.with_value(|list| storage::set(OWN_KEY, &list.to_json()));
    }

    fn record_vote(&self, id: &str, vote: i8) {
        self.votes.update_value(|votes| votes.set(id, vote));
        self.votes.with_value(|votes| storage::set(VOTES_KEY, &votes.to_json()));
    }
}

/// What the list's buttons act on.
#[derive(Clone, Copy)]
pub struct CommentActions {
    pub device: ReaderDevice,
    pub lang: Lang,
    pub timeout_ms: u32,
    /// The article's comments address; a comment's own address is beside it.
    pub comments_url: StoredValue<String>,
    pub items: RwSignal<Vec<Comment>>,
    pub total: RwSignal<u64>,
    pub list: NodeRef<leptos::html::Ol>,
    pub list_context: Callback<(), ListContext>,
    /// Said to screen readers, and shown, under the list.
    pub announcement: RwSignal<String>,
}

impl CommentActions {
    fn say(&self, text: String) {
        self.announcement.try_set(text);
    }

    fn failed(&self, key: Key, error: &FetchError) {
        let reason = error.message(self.lang);
        self.say(self.lang.fill(key, &[("reason", reason.trim_end_matches('.'))]));
    }

    fn too_many(&self, retry_after_s: u64) {
        self.say(self.lang.fill(Key::CommentsTooMany, &[("seconds", &retry_after_s.to_string())]));
    }

    /// Shows `comment` as it is now, in place.
    pub fn show_changed(&self, comment: Comment) {
        if let Some(list) = self.list.get_untracked() {
            rewrite_comment(&list, &comment, &self.list_context.run(()));
        }
        self.items.update_untracked(|items| {
            if let Some(item) = items.iter_mut().find(|item| item.id == comment.id) {
                *item = comment;
            }
        });
    }

    // The vote and the deletion each await their own request: one helper taking the answer's
    // handler cost the wasm 136 bytes (a generic closure) or 346 (a boxed one), brotli, measured.

    /// A vote button: the same button again takes the vote back.
    pub fn vote(self, id: String, clicked: i8) {
        let value = next_vote(self.device.votes.with_value(|votes| votes.get(&id)), clicked);
        let Some(url) = self.comments_url.with_value(|url| comment_url(url, &id)) else { return };
        let request = send_json("POST", &format!("{url}/vote"), vote_body(&ReaderDevice::voter(), value), self.timeout_ms);
        spawn_local(async move {
            let answer = request.await;
            if self.items.is_disposed() {
                return;
            }
            let outcome = match answer {
                Ok(answer) => action_outcome(answer.status, &answer.body, answer.retry_after.as_deref()),
                Err(error) => return self.failed(Key::CommentsVoteFailed, &error),
            };
            match outcome {
                ActionOutcome::Voted { score, vote } => {
                    self.device.record_vote(&id, vote);
                    let changed = self.items.with_untracked(|items| items.iter().find(|item| item.id == id).cloned());
                    if let Some(mut comment) = changed {
                        comment.score = score;
                        self.show_changed(comment);
                    }
                    let key = if vote == 0 { Key::CommentsVoteWithdrawn } else { Key::CommentsVoteCounted };
                    self.say(self.lang.fill(key, &[("score", &score.to_string())]));
                    // The button was redrawn: the reader's focus goes back to its new self.
                    let selector = format!("[data-comment=\"{id}\"][data-vote=\"{clicked}\"]");
                    if let Some(list) = self.list.get_untracked() {
                        focus_in(&list, &selector);
                    }
                }
                ActionOutcome::OwnComment => self.say(self.lang.text(Key::CommentsVoteOwn).into()),
                ActionOutcome::Gone => self.say(self.lang.text(Key::CommentsVoteGone).into()),
                ActionOutcome::RateLimited { retry_after_s } => self.too_many(retry_after_s),
                ActionOutcome::Failed { status } => self.failed(Key::CommentsVoteFailed, &FetchError::Status(status)),
                _ => self.failed(Key::CommentsVoteFailed, &FetchError::Status(403)),
            }
        });
    }

    /// The delete button: the first press asks for confirmation, the second deletes.
    pub fn delete(self, id: String, confirmed: bool, button: Element) {
        if !confirmed {
            ask_delete_confirmation(&button, self.lang);
            self.say(self.lang.text(Key::CommentsDeleteAsk).into());
            return;
        }
        let own = self.device.own.with_value(|own| own.editable(&id, web::now_ms()).cloned());
        let (Some(own), Some(url)) = (own, self.comments_url.with_value(|url| comment_url(url, &id))) else {
            self.too_late(&id);
            return;
        };
        let body = JsonObject::new().text("edit_token", &own.token).finish();
        let request = send_json("DELETE", &url, body, self.timeout_ms);
        spawn_local(async move {
            let answer = request.await;
            if self.items.is_disposed() {
                return;
            }
            let outcome = match answer {
                Ok(answer) => action_outcome(answer.status, &answer.body, answer.retry_after.as_deref()),
                Err(error) => return self.failed(Key::CommentsDeleteFailed, &error),
            };
            match outcome {
                ActionOutcome::Deleted | ActionOutcome::Gone => self.deleted(&id),
                ActionOutcome::WindowClosed | ActionOutcome::Forbidden => self.too_late(&id),
                ActionOutcome::RateLimited { retry_after_s } => self.too_many(retry_after_s),
                ActionOutcome::Failed { status } => self.failed(Key::CommentsDeleteFailed, &FetchError::Status(status)),
                _ => self.failed(Key::CommentsDeleteFailed, &FetchError::Status(500)),
            }
        });
    }

    /// Gone for readers: a placeholder while replies hang under it, else nothing.
    fn deleted(&self, id: &str) {
        self.device.forget_own(id);
        let (has_replies, comment) = self.items.with_untracked(|items| {
            (items.iter().any(|item| item.parent.as_deref() == Some(id)), items.iter().find(|item| item.id == id).cloned())
        });
        if comment.as_ref().is_some_and(|comment| !comment.pending) {
            self.total.update(|total| *total = total.saturating_sub(1));
        }
        match comment {
            Some(mut comment) if has_replies => {
                comment.deleted = true;
                comment.text.clear();
                comment.author_name.clear();
                self.show_changed(comment);
            }
            _ => {
                if let Some(list) = self.list.get_untracked() {
                    remove_comment(&list, id);
                }
                self.items.update_untracked(|items| items.retain(|item| item.id != id));
            }
        }
        self.say(self.lang.text(Key::CommentsDeletedOwn).into());
    }

    /// The time to change the comment is over: its buttons go.
    fn too_late(&self, id: &str) {
        self.device.forget_own(id);
        remove_own_actions(self.list.get_untracked(), id);
        self.say(self.lang.text(Key::CommentsDeleteTooLate).into());
    }
}

/// Removes the edit and delete buttons of comment `id`.
pub fn remove_own_actions(list: Option<impl AsRef<Element>>, id: &str) {
    let selector = format!("[{OWN_ACTIONS_ATTRIBUTE}=\"{id}\"]");
    if let Some(element) = list.and_then(|list| list.as_ref().query_selector(&selector).ok().flatten()) {
        element.remove();
    }
}

fn focus_in(list: &Element, selector: &str) {
    use wasm_bindgen::JsCast;
    if let Some(element) = list.query_selector(selector).ok().flatten().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// The edit and delete buttons of `own` go when its time is over, even if nobody presses them.
pub fn expire_own_actions(list: NodeRef<leptos::html::Ol>, own: &OwnComment) {
    // The browser's timers take at most 2^31 - 1 ms: a later end (an edit window of weeks) is
    // left to the next visit, which draws no buttons once it has passed.
    let Ok(delay) = u32::try_from((own.until_ms - web::now_ms()).clamp(0, i64::from(i32::MAX) + 1)) else { return };
    if own.token.is_empty() || delay > i32::MAX as u32 {
        return;
    }
    let id = own.id.clone();
    gloo_timers::callback::Timeout::new(delay, move || {
        let list = list.try_get_untracked().flatten();
        remove_own_actions(list, &id);
    })
    .forget();
}
