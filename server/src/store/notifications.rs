//! Reply notifications in the store (migration 0006): subscriptions, kept with the comment they
//! follow, and the mail queue, which the worker of `crate::notifications` empties.
//!
//! A subscription is written in the comment's own transaction; a reply's mail is queued in the
//! transaction that makes the reply approved (its insert, or a moderator's approve). The queue's
//! UNIQUE (subscription, kind, reply) makes every mail at most one row, however many times or by
//! however many instances a reply is approved. Each mail carries a link token of its own, made
//! when the mail is sent; only its SHA-256 is kept.

use super::{CommentRow, Store, StoreError};
use crate::notifications::strings::{lang_of_code, Lang};
use crate::notifications::subscription::{LinkAction, SubscriptionState};

/// `"notify": true` with a comment: who to ask, in which language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSubscription {
    pub email: String,
    pub lang: Lang,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailKind {
    Confirm,
    Reply,
}

impl MailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Confirm => "confirm",
            MailKind::Reply => "reply",
        }
    }

    pub fn parse(text: &str) -> Option<MailKind> {
        match text {
            "confirm" => Some(MailKind::Confirm),
            "reply" => Some(MailKind::Reply),
            _ => None,
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct SubscriptionRow {
    pub id: i64,
    pub comment_id: i64,
    /// The article of the comment followed.
    pub article_id: String,
    pub email: String,
    pub lang: Lang,
    pub state: SubscriptionState,
}

impl std::fmt::Debug for SubscriptionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // No address in a debug print.
        f.debug_struct("SubscriptionRow").field("id", &self.id).field("comment_id", &self.comment_id).field("state", &self.state).finish_non_exhaustive()
    }
}

/// A mail the worker claimed: leased to it until it says sent or failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimedMail {
    pub id: i64,
    pub kind: MailKind,
    /// This attempt included.
    pub attempts: i64,
    pub subscription: SubscriptionRow,
    /// The reply, for a reply's mail (`None` if it is gone).
    pub reply: Option<CommentRow>,
}

/// What became of a mail that was not sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailFailure {
    /// Try again then (Unix ms).
    Retry { at_ms: i64, error: String },
    /// No more attempts, or no longer wanted (the subscriber left, the reply was removed).
    Abandon { error: String },
}

/// A subscription's line in a reader's export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportedSubscription {
    pub comment_id: i64,
    pub lang: Lang,
    pub state: SubscriptionState,
    pub created_ms: i64,
}

pub(super) fn lang_column(text: &str) -> Lang {
    lang_of_code(text).unwrap_or(Lang::Fr)
}

pub(super) fn state_column(text: &str) -> SubscriptionState {
    SubscriptionState::parse(text).unwrap_or(SubscriptionState::Unsubscribed)
}

/// The `kind` condition of a link's token: only a confirmation mail's link confirms; any mail's
/// link unsubscribes.
pub(super) fn kinds_for(action: LinkAction) -> &'static str {
    match action {
        LinkAction::Confirm => "confirm",
        LinkAction::Unsubscribe => "any",
    }
}

impl Store {
    /// The subscription a link's token opens, if the link may still do `action`.
    pub async fn subscription_for_link(&self, token_hash: String, action: LinkAction) -> Result<Option<SubscriptionRow>, StoreError> {
        dispatch!(self, subscription_for_link(token_hash, action))
    }

    /// Does what the link says (confirm, unsubscribe); the subscription as it is now, or `None`
    /// when the link is unknown or no longer valid.
    pub async fn follow_link(&self, token_hash: String, action: LinkAction, now_ms: i64) -> Result<Option<SubscriptionRow>, StoreError> {
        dispatch!(self, follow_link(token_hash, action, now_ms))
    }

    /// Whether this comment asked for reply notifications (an idempotent replay's answer).
    pub async fn has_subscription(&self, comment_id: i64) -> Result<bool, StoreError> {
        dispatch!(self, has_subscription(comment_id))
    }

    /// Leases the next mail due (to this caller alone, whatever the number of instances) until
    /// `lease_until_ms`, counting one more attempt and keeping the hash of its link's new token.
    pub async fn claim_mail(&self, now_ms: i64, lease_until_ms: i64, token_hash: String) -> Result<Option<ClaimedMail>, StoreError> {
        dispatch!(self, claim_mail(now_ms, lease_until_ms, token_hash))
    }

    pub async fn mail_sent(&self, id: i64, now_ms: i64) -> Result<(), StoreError> {
        dispatch!(self, mail_sent(id, now_ms))
    }

    pub async fn mail_failed(&self, id: i64, failure: MailFailure, now_ms: i64) -> Result<(), StoreError> {
        dispatch!(self, mail_failed(id, failure, now_ms))
    }

    /// The reply subscriptions of an address (compared without case), for its export.
    pub async fn export_subscriptions(&self, email: &str) -> Result<Vec<ExportedSubscription>, StoreError> {
        let email = email.trim().to_lowercase();
        dispatch!(self, export_subscriptions(email))
    }
}
