//! The task that empties the mail queue, spawned by the server beside its listener: it claims one
//! due mail at a time (leased, so instances sharing a database never send the same one), sends it,
//! and records the outcome; a failure is retried later as [`super::Schedule`] says. It wakes when
//! nudged by a commit that queued mail, and every few seconds anyway (another instance or the
//! command line may have queued some). It stops between two mails when the server stops.

use std::sync::Arc;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::{AsyncTransport, Message};
use tokio::sync::watch;

use super::mail::{self, MailText, CONFIRM_PATH, UNSUBSCRIBE_PATH};
use super::subscription::{new_token, notifies, SubscriptionState};
use super::Notifications;
use crate::store::{ClaimedMail, MailFailure, MailKind, Status, StoreError};
use crate::time::now_ms;
use crate::AppState;

const LIST_UNSUBSCRIBE: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe");
const LIST_UNSUBSCRIBE_POST: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe-Post");
/// RFC 3834: an automatic mail, which vacation responders do not answer.
const AUTO_SUBMITTED: HeaderName = HeaderName::new_from_ascii_str("Auto-Submitted");

/// Why a claimed mail was not sent.
enum Undelivered {
    /// Worth another attempt: the SMTP server did not take it.
    Failed(String),
    /// Never to be sent: the subscriber left, the reply is no longer published, the address is
    /// not one mail can go to.
    Unwanted(&'static str),
}

/// Runs until `stopping` turns true (the server's shutdown).
pub async fn run(state: Arc<AppState>, mut stopping: watch::Receiver<bool>) {
    let Some(notifications) = state.notifications.as_ref() else { return };
    loop {
        while !*stopping.borrow() {
            match send_next(&state, notifications).await {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => {
                    tracing::warn!(error = %error, "the mail queue cannot be read; trying again later");
                    break;
                }
            }
        }
        tokio::select! {
            _ = stopping.wait_for(|stopping| *stopping) => return,
            () = notifications.nudge.notified() => {}
            () = tokio::time::sleep(notifications.schedule.poll) => {}
        }
    }
}

/// Sends the next due mail, if any: `false` when there was none.
async fn send_next(state: &AppState, notifications: &Notifications) -> Result<bool, StoreError> {
    let (token, token_hash) = new_token().map_err(|error| StoreError::Failed(format!("no random bytes for a link token: {error}")))?;
    let now = now_ms();
    let lease_ms = i64::try_from(notifications.schedule.lease.as_millis()).unwrap_or(i64::MAX);
    let Some(mail) = state.store.claim_mail(now, now.saturating_add(lease_ms), token_hash).await? else { return Ok(false) };
    match deliver(state, notifications, &mail, &token).await {
        Ok(()) => {
            state.store.mail_sent(mail.id, now_ms()).await?;
            state.metrics.mail_sent();
            tracing::info!(mail = mail.id, kind = mail.kind.as_str(), attempts = mail.attempts, "mail sent");
        }
        Err(Undelivered::Unwanted(reason)) => {
            state.store.mail_failed(mail.id, MailFailure::Abandon { error: reason.to_string() }, now_ms()).await?;
            tracing::info!(mail = mail.id, kind = mail.kind.as_str(), reason, "mail no longer wanted");
        }
        Err(Undelivered::Failed(error)) => {
            state.metrics.mail_failed();
            let failure = match notifications.schedule.next_attempt_ms(mail.attempts, now_ms()) {
                Some(at_ms) => MailFailure::Retry { at_ms, error: error.clone() },
                None => MailFailure::Abandon { error: format!("given up after {} attempts: {error}", mail.attempts) },
            };
            let giving_up = matches!(failure, MailFailure::Abandon { .. });
            state.store.mail_failed(mail.id, failure, now_ms()).await?;
            tracing::warn!(mail = mail.id, kind = mail.kind.as_str(), attempts = mail.attempts, giving_up, error = %error, "mail not sent");
        }
    }
    Ok(true)
}

async fn deliver(state: &AppState, notifications: &Notifications, mail: &ClaimedMail, token: &str) -> Result<(), Undelivered> {
    let subscription = &mail.subscription;
    let to: Mailbox = subscription.email.parse().map_err(|_| Undelivered::Unwanted("the address is not one mail can go to"))?;
    let article = crate::api::find(state, &subscription.article_id).await.ok();
    let title = article.as_ref().map(|found| found.entry().article.headline.clone()).unwrap_or_default();
    let public_url = &notifications.public_url;
    let unsubscribe_link = mail::token_link(public_url, UNSUBSCRIBE_PATH, token);
    let (text, one_click): (MailText, bool) = match mail.kind {
        MailKind::Confirm => {
            if subscription.state != SubscriptionState::Pending {
                return Err(Undelivered::Unwanted("the subscription is no longer waiting for its confirmation"));
            }
            (mail::confirmation(subscription.lang, &title, &mail::token_link(public_url, CONFIRM_PATH, token)), false)
        }
        MailKind::Reply => {
            let Some(reply) = mail.reply.as_ref().filter(|reply| reply.status == Status::Approved && !reply.text.is_empty()) else {
                return Err(Undelivered::Unwanted("the reply is no longer published"));
            };
            if !notifies(subscription.state, &subscription.email, reply.author_email.as_deref()) {
                return Err(Undelivered::Unwanted("the subscriber unsubscribed"));
            }
            let article_url = article.as_ref().and_then(|found| found.entry().article.url.as_ref()).map(|url| url.url.as_str());
            let reply_link = mail::reply_link(article_url, public_url, reply.id);
            (mail::reply(subscription.lang, &reply.author_name, &title, &reply.text, &reply_link, &unsubscribe_link), true)
        }
    };
    let mut builder = Message::builder()
        .from(notifications.from.clone())
        .to(to)
        .subject(text.subject)
        .message_id(None)
        .header(ContentType::TEXT_PLAIN)
        .raw_header(HeaderValue::new(AUTO_SUBMITTED, "auto-generated".to_string()));
    if one_click {
        builder = builder
            .raw_header(HeaderValue::new(LIST_UNSUBSCRIBE, mail::list_unsubscribe(&unsubscribe_link)))
            .raw_header(HeaderValue::new(LIST_UNSUBSCRIBE_POST, mail::LIST_UNSUBSCRIBE_POST.to_string()));
    }
    let message = builder.body(text.body).map_err(|_| Undelivered::Unwanted("the mail could not be built"))?;
    notifications.transport.send(message).await.map(|_| ()).map_err(|error| Undelivered::Failed(without_addresses(&error.to_string())))
}

/// An SMTP error as it may be logged and kept: servers quote the recipient (`550 <awa@…>: no
/// such user`), and addresses stay out of logs.
fn without_addresses(error: &str) -> String {
    error
        .split(' ')
        .map(|word| if word.contains('@') { "[address]" } else { word })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_lose_their_addresses() {
        assert_eq!(
            without_addresses("permanent error (550): 5.1.1 <awa@example.org>: Recipient address rejected"),
            "permanent error (550): 5.1.1 [address] Recipient address rejected"
        );
        assert_eq!(without_addresses("Connection error: Connection refused (os error 111)"), "Connection error: Connection refused (os error 111)");
    }
}
