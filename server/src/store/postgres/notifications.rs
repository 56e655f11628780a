//! Reply notifications on PostgreSQL: several instances' workers share the queue, each claim
//! skipping the rows another holds (`FOR UPDATE SKIP LOCKED`) and leasing the one it takes.

use deadpool_postgres::Transaction;
use tokio_postgres::Row;

use super::{row_to_comment, PostgresStore};
use crate::notifications::subscription::{follow, notifies, LinkAction};
use crate::store::notifications::{
    kinds_for, lang_column, state_column, ClaimedMail, ExportedSubscription, MailFailure, MailKind, SubscriptionRow,
};
use crate::store::{NewRow, Status, StoreError, COLUMNS};

const SUBSCRIPTION_COLUMNS: &str = "s.id, s.comment_id, c.article_id, s.email, s.lang, s.state";

fn row_to_subscription(row: &Row) -> Result<SubscriptionRow, tokio_postgres::Error> {
    Ok(SubscriptionRow {
        id: row.try_get(0)?,
        comment_id: row.try_get(1)?,
        article_id: row.try_get(2)?,
        email: row.try_get(3)?,
        lang: lang_column(row.try_get(4)?),
        state: state_column(row.try_get(5)?),
    })
}

/// In a new comment's transaction: its subscription and confirmation mail, and the mails of the
/// reply it is, when it is published at once.
pub(super) async fn after_insert(transaction: &Transaction<'_>, id: i64, new: &NewRow) -> Result<(), StoreError> {
    if let Some(subscription) = &new.notify {
        transaction
            .execute(
                "WITH subscribed AS (
                     INSERT INTO reply_subscriptions (comment_id, email, lang, state, created_ms) VALUES ($1, $2, $3, 'pending', $4) RETURNING id
                 )
                 INSERT INTO mail_queue (kind, subscription_id, next_attempt_ms, created_ms) SELECT 'confirm', id, $4, $4 FROM subscribed",
                &[&id, &subscription.email, &subscription.lang.code(), &new.now_ms],
            )
            .await?;
    }
    if new.status == Status::Approved && new.parent_id.is_some() {
        queue_replies(transaction, id, new.now_ms).await?;
    }
    Ok(())
}

/// Queues a mail to each subscriber of the comment `reply_id` answers (who wants it); a mail
/// queued before is not queued again. In the transaction that made the reply approved.
pub(super) async fn queue_replies(transaction: &Transaction<'_>, reply_id: i64, now_ms: i64) -> Result<u64, StoreError> {
    let candidates = transaction
        .query(
            "SELECT s.id, s.email, s.state, reply.author_email FROM comments AS reply
             JOIN reply_subscriptions AS s ON s.comment_id = reply.parent_id
             WHERE reply.id = $1 AND reply.status = 'approved'",
            &[&reply_id],
        )
        .await?;
    let mut queued = 0;
    for row in candidates {
        let (subscription_id, email, state, author_email): (i64, String, String, Option<String>) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?);
        if notifies(state_column(&state), &email, author_email.as_deref()) {
            queued += transaction
                .execute(
                    "INSERT INTO mail_queue (kind, subscription_id, reply_id, next_attempt_ms, created_ms) VALUES ('reply', $1, $2, $3, $3)
                     ON CONFLICT DO NOTHING",
                    &[&subscription_id, &reply_id, &now_ms],
                )
                .await?;
        }
    }
    Ok(queued)
}

/// In `erase`'s transaction: the address's subscriptions and their mails, and the mails about the
/// erased comments.
pub(super) async fn erase(transaction: &Transaction<'_>, email: &str, erased: &[i64]) -> Result<(), StoreError> {
    let erased = erased.to_vec();
    transaction
        .execute(
            "DELETE FROM mail_queue WHERE reply_id = ANY($2) OR subscription_id IN
                 (SELECT id FROM reply_subscriptions WHERE lower(email) = $1 OR comment_id = ANY($2))",
            &[&email, &erased],
        )
        .await?;
    transaction.execute("DELETE FROM reply_subscriptions WHERE lower(email) = $1 OR comment_id = ANY($2)", &[&email, &erased]).await?;
    Ok(())
}

fn link_query(lock: bool) -> String {
    format!(
        "SELECT {SUBSCRIPTION_COLUMNS} FROM mail_queue AS q
         JOIN reply_subscriptions AS s ON s.id = q.subscription_id JOIN comments AS c ON c.id = s.comment_id
         WHERE q.token_hash = $1 AND ($2 = 'any' OR q.kind = $2){}",
        if lock { " FOR UPDATE OF s" } else { "" }
    )
}

impl PostgresStore {
    pub async fn subscription_for_link(&self, token_hash: String, action: LinkAction) -> Result<Option<SubscriptionRow>, StoreError> {
        let client = self.pool.get().await?;
        let found = client.query_opt(&link_query(false), &[&token_hash, &kinds_for(action)]).await?;
        let subscription = found.as_ref().map(row_to_subscription).transpose()?;
        Ok(subscription.filter(|subscription| follow(subscription.state, action).is_some()))
    }

    pub async fn follow_link(&self, token_hash: String, action: LinkAction, now_ms: i64) -> Result<Option<SubscriptionRow>, StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        let found = transaction.query_opt(&link_query(true), &[&token_hash, &kinds_for(action)]).await?;
        let Some(mut subscription) = found.as_ref().map(row_to_subscription).transpose()? else { return Ok(None) };
        let Some(state) = follow(subscription.state, action) else { return Ok(None) };
        let time_column = match action {
            LinkAction::Confirm => "confirmed_ms",
            LinkAction::Unsubscribe => "unsubscribed_ms",
        };
        transaction
            .execute(&format!("UPDATE reply_subscriptions SET state = $2, {time_column} = $3 WHERE id = $1"), &[&subscription.id, &state.as_str(), &now_ms])
            .await?;
        transaction.commit().await?;
        subscription.state = state;
        Ok(Some(subscription))
    }

    pub async fn has_subscription(&self, comment_id: i64) -> Result<bool, StoreError> {
        let client = self.pool.get().await?;
        Ok(client.query_opt("SELECT 1 FROM reply_subscriptions WHERE comment_id = $1 LIMIT 1", &[&comment_id]).await?.is_some())
    }

    pub async fn claim_mail(&self, now_ms: i64, lease_until_ms: i64, token_hash: String) -> Result<Option<ClaimedMail>, StoreError> {
        let client = self.pool.get().await?;
        let claimed = client
            .query_opt(
                "UPDATE mail_queue SET attempts = attempts + 1, locked_until_ms = $2, token_hash = $3
                 WHERE id = (SELECT id FROM mail_queue
                             WHERE sent_ms IS NULL AND abandoned_ms IS NULL AND next_attempt_ms <= $1
                               AND (locked_until_ms IS NULL OR locked_until_ms <= $1)
                             ORDER BY next_attempt_ms, id LIMIT 1
                             FOR UPDATE SKIP LOCKED)
                 RETURNING id, kind, attempts, subscription_id, reply_id",
                &[&now_ms, &lease_until_ms, &token_hash],
            )
            .await?;
        let Some(claimed) = claimed else { return Ok(None) };
        let (id, kind, attempts, subscription_id, reply_id): (i64, String, i64, i64, Option<i64>) =
            (claimed.try_get(0)?, claimed.try_get(1)?, claimed.try_get(2)?, claimed.try_get(3)?, claimed.try_get(4)?);
        let subscription = client
            .query_one(
                &format!("SELECT {SUBSCRIPTION_COLUMNS} FROM reply_subscriptions AS s JOIN comments AS c ON c.id = s.comment_id WHERE s.id = $1"),
                &[&subscription_id],
            )
            .await?;
        let subscription = row_to_subscription(&subscription)?;
        let reply = match reply_id {
            Some(reply_id) => {
                client.query_opt(&format!("SELECT {COLUMNS} FROM comments WHERE id = $1"), &[&reply_id]).await?.as_ref().map(row_to_comment).transpose()?
            }
            None => None,
        };
        let kind = MailKind::parse(&kind).unwrap_or(MailKind::Reply);
        Ok(Some(ClaimedMail { id, kind, attempts, subscription, reply }))
    }

    pub async fn mail_sent(&self, id: i64, now_ms: i64) -> Result<(), StoreError> {
        let client = self.pool.get().await?;
        client.execute("UPDATE mail_queue SET sent_ms = $2, locked_until_ms = NULL, last_error = NULL WHERE id = $1", &[&id, &now_ms]).await?;
        Ok(())
    }

    pub async fn mail_failed(&self, id: i64, failure: MailFailure, now_ms: i64) -> Result<(), StoreError> {
        let client = self.pool.get().await?;
        match failure {
            MailFailure::Retry { at_ms, error } => {
                client
                    .execute("UPDATE mail_queue SET next_attempt_ms = $2, locked_until_ms = NULL, last_error = $3 WHERE id = $1", &[&id, &at_ms, &error])
                    .await?
            }
            MailFailure::Abandon { error } => {
                client
                    .execute("UPDATE mail_queue SET abandoned_ms = $2, locked_until_ms = NULL, last_error = $3 WHERE id = $1", &[&id, &now_ms, &error])
                    .await?
            }
        };
        Ok(())
    }

    pub async fn export_subscriptions(&self, email: String) -> Result<Vec<ExportedSubscription>, StoreError> {
        let client = self.pool.get().await?;
        let rows = client.query("SELECT comment_id, lang, state, created_ms FROM reply_subscriptions WHERE lower(email) = $1 ORDER BY id", &[&email]).await?;
        let read = |row: &Row| -> Result<ExportedSubscription, tokio_postgres::Error> {
            Ok(ExportedSubscription {
                comment_id: row.try_get(0)?,
                lang: lang_column(row.try_get(1)?),
                state: state_column(row.try_get(2)?),
                created_ms: row.try_get(3)?,
            })
        };
        Ok(rows.iter().map(read).collect::<Result<_, _>>()?)
    }
}
