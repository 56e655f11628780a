//! Reply notifications on SQLite: the writer connection serializes claims, so one
//! `UPDATE … RETURNING` leases a mail to one worker.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{row_to_comment, SqliteStore};
use crate::notifications::subscription::{follow, notifies, LinkAction};
use crate::store::notifications::{
    kinds_for, lang_column, state_column, ClaimedMail, ExportedSubscription, MailFailure, MailKind, NewSubscription, SubscriptionRow,
};
use crate::store::{NewRow, Status, StoreError, COLUMNS};

const SUBSCRIPTION_COLUMNS: &str = "s.id, s.comment_id, c.article_id, s.email, s.lang, s.state";

fn row_to_subscription(row: &rusqlite::Row<'_>) -> rusqlite::Result<SubscriptionRow> {
    Ok(SubscriptionRow {
        id: row.get(0)?,
        comment_id: row.get(1)?,
        article_id: row.get(2)?,
        email: row.get(3)?,
        lang: lang_column(&row.get::<_, String>(4)?),
        state: state_column(&row.get::<_, String>(5)?),
    })
}

/// In a new comment's transaction: its subscription and confirmation mail, and the mails of the
/// reply it is, when it is published at once.
pub(super) fn after_insert(connection: &Connection, id: i64, new: &NewRow) -> rusqlite::Result<()> {
    if let Some(subscription) = &new.notify {
        subscribe(connection, id, subscription, new.now_ms)?;
    }
    if new.status == Status::Approved && new.parent_id.is_some() {
        queue_replies(connection, id, new.now_ms)?;
    }
    Ok(())
}

fn subscribe(connection: &Connection, comment_id: i64, subscription: &NewSubscription, now_ms: i64) -> rusqlite::Result<()> {
    connection.execute(
        "INSERT INTO reply_subscriptions (comment_id, email, lang, state, created_ms) VALUES (?1, ?2, ?3, 'pending', ?4)",
        params![comment_id, subscription.email, subscription.lang.code(), now_ms],
    )?;
    connection.execute(
        "INSERT INTO mail_queue (kind, subscription_id, next_attempt_ms, created_ms) VALUES ('confirm', ?1, ?2, ?2)",
        params![connection.last_insert_rowid(), now_ms],
    )?;
    Ok(())
}

/// Queues a mail to each subscriber of the comment `reply_id` answers (who wants it); a mail
/// queued before is not queued again. In the transaction that made the reply approved.
pub(super) fn queue_replies(connection: &Connection, reply_id: i64, now_ms: i64) -> rusqlite::Result<usize> {
    let mut statement = connection.prepare_cached(
        "SELECT s.id, s.email, s.state, reply.author_email FROM comments AS reply
         JOIN reply_subscriptions AS s ON s.comment_id = reply.parent_id
         WHERE reply.id = ?1 AND reply.status = 'approved'",
    )?;
    let candidates = statement
        .query_map(params![reply_id], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?, row.get::<_, Option<String>>(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut queued = 0;
    for (subscription_id, email, state, author_email) in candidates {
        if notifies(state_column(&state), &email, author_email.as_deref()) {
            queued += connection.execute(
                "INSERT INTO mail_queue (kind, subscription_id, reply_id, next_attempt_ms, created_ms) VALUES ('reply', ?1, ?2, ?3, ?3)
                 ON CONFLICT DO NOTHING",
                params![subscription_id, reply_id, now_ms],
            )?;
        }
    }
    Ok(queued)
}

/// In `erase`'s transaction: the address's subscriptions and their mails, and the mails about the
/// erased comments.
pub(super) fn erase(connection: &Connection, email: &str, erased: &[i64]) -> rusqlite::Result<()> {
    connection.execute(
        "DELETE FROM mail_queue WHERE subscription_id IN (SELECT id FROM reply_subscriptions WHERE lower(email) = ?1)",
        params![email],
    )?;
    for id in erased {
        connection.execute("DELETE FROM mail_queue WHERE reply_id = ?1", params![id])?;
        connection.execute("DELETE FROM mail_queue WHERE subscription_id IN (SELECT id FROM reply_subscriptions WHERE comment_id = ?1)", params![id])?;
        connection.execute("DELETE FROM reply_subscriptions WHERE comment_id = ?1", params![id])?;
    }
    connection.execute("DELETE FROM reply_subscriptions WHERE lower(email) = ?1", params![email])?;
    Ok(())
}

fn subscription_for_link(connection: &Connection, token_hash: &str, action: LinkAction) -> rusqlite::Result<Option<SubscriptionRow>> {
    connection
        .prepare_cached(&format!(
            "SELECT {SUBSCRIPTION_COLUMNS} FROM mail_queue AS q
             JOIN reply_subscriptions AS s ON s.id = q.subscription_id JOIN comments AS c ON c.id = s.comment_id
             WHERE q.token_hash = ?1 AND (?2 = 'any' OR q.kind = ?2)"
        ))?
        .query_row(params![token_hash, kinds_for(action)], row_to_subscription)
        .optional()
}

impl SqliteStore {
    pub fn subscription_for_link(&self, token_hash: String, action: LinkAction) -> Result<Option<SubscriptionRow>, StoreError> {
        self.read(|connection| {
            let found = subscription_for_link(connection, &token_hash, action)?;
            Ok(found.filter(|subscription| follow(subscription.state, action).is_some()))
        })
    }

    pub fn follow_link(&self, token_hash: String, action: LinkAction, now_ms: i64) -> Result<Option<SubscriptionRow>, StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(mut subscription) = subscription_for_link(&transaction, &token_hash, action)? else { return Ok(None) };
            let Some(state) = follow(subscription.state, action) else { return Ok(None) };
            let time_column = match action {
                LinkAction::Confirm => "confirmed_ms",
                LinkAction::Unsubscribe => "unsubscribed_ms",
            };
            transaction.execute(
                &format!("UPDATE reply_subscriptions SET state = ?2, {time_column} = ?3 WHERE id = ?1"),
                params![subscription.id, state.as_str(), now_ms],
            )?;
            transaction.commit()?;
            subscription.state = state;
            Ok(Some(subscription))
        })
    }

    pub fn has_subscription(&self, comment_id: i64) -> Result<bool, StoreError> {
        self.read(|connection| {
            connection
                .prepare_cached("SELECT 1 FROM reply_subscriptions WHERE comment_id = ?1")?
                .query_row(params![comment_id], |_| Ok(()))
                .optional()
                .map(|found| found.is_some())
        })
    }

    pub fn claim_mail(&self, now_ms: i64, lease_until_ms: i64, token_hash: String) -> Result<Option<ClaimedMail>, StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let claimed = transaction
                .query_row(
                    "UPDATE mail_queue SET attempts = attempts + 1, locked_until_ms = ?2, token_hash = ?3
                     WHERE id = (SELECT id FROM mail_queue
                                 WHERE sent_ms IS NULL AND abandoned_ms IS NULL AND next_attempt_ms <= ?1
                                   AND (locked_until_ms IS NULL OR locked_until_ms <= ?1)
                                 ORDER BY next_attempt_ms, id LIMIT 1)
                     RETURNING id, kind, attempts, subscription_id, reply_id",
                    params![now_ms, lease_until_ms, token_hash],
                    |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, i64>(2)?, row.get::<_, i64>(3)?, row.get::<_, Option<i64>>(4)?)),
                )
                .optional()?;
            let Some((id, kind, attempts, subscription_id, reply_id)) = claimed else { return Ok(None) };
            let subscription = transaction.query_row(
                &format!("SELECT {SUBSCRIPTION_COLUMNS} FROM reply_subscriptions AS s JOIN comments AS c ON c.id = s.comment_id WHERE s.id = ?1"),
                params![subscription_id],
                row_to_subscription,
            )?;
            let reply = match reply_id {
                Some(reply_id) => transaction
                    .query_row(&format!("SELECT {COLUMNS} FROM comments WHERE id = ?1"), params![reply_id], row_to_comment)
                    .optional()?,
                None => None,
            };
            transaction.commit()?;
            let kind = MailKind::parse(&kind).unwrap_or(MailKind::Reply);
            Ok(Some(ClaimedMail { id, kind, attempts, subscription, reply }))
        })
    }

    pub fn mail_sent(&self, id: i64, now_ms: i64) -> Result<(), StoreError> {
        self.write(|connection| {
            connection.execute("UPDATE mail_queue SET sent_ms = ?2, locked_until_ms = NULL, last_error = NULL WHERE id = ?1", params![id, now_ms])?;
            Ok(())
        })
    }

    pub fn mail_failed(&self, id: i64, failure: MailFailure, now_ms: i64) -> Result<(), StoreError> {
        self.write(|connection| {
            match failure {
                MailFailure::Retry { at_ms, error } => connection.execute(
                    "UPDATE mail_queue SET next_attempt_ms = ?2, locked_until_ms = NULL, last_error = ?3 WHERE id = ?1",
                    params![id, at_ms, error],
                )?,
                MailFailure::Abandon { error } => connection.execute(
                    "UPDATE mail_queue SET abandoned_ms = ?2, locked_until_ms = NULL, last_error = ?3 WHERE id = ?1",
                    params![id, now_ms, error],
                )?,
            };
            Ok(())
        })
    }

    pub fn export_subscriptions(&self, email: String) -> Result<Vec<ExportedSubscription>, StoreError> {
        self.read(|connection| {
            let mut statement = connection
                .prepare_cached("SELECT comment_id, lang, state, created_ms FROM reply_subscriptions WHERE lower(email) = ?1 ORDER BY id")?;
            let rows = statement.query_map(params![email], |row| {
                Ok(ExportedSubscription {
                    comment_id: row.get(0)?,
                    lang: lang_column(&row.get::<_, String>(1)?),
                    state: state_column(&row.get::<_, String>(2)?),
                    created_ms: row.get(3)?,
                })
            })?;
            rows.collect()
        })
    }
}
