//! Votes and authors' edits on PostgreSQL (see `store/reader_actions.rs`).

use super::{insert_audit, row_to_comment, PostgresStore};
use crate::reader_actions::{score_change, AUTHOR_ACTOR};
use crate::store::{CommentRow, StoreError, Voted, COLUMNS};

impl PostgresStore {
    pub async fn vote(&self, comment_id: i64, voter_hash: String, value: i8, now_ms: i64) -> Result<Voted, StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        // FOR UPDATE: the votes on one comment, from every instance, are counted one after the other.
        let found = transaction
            .query_opt("SELECT score, voter_hash FROM comments WHERE id = $1 AND status = 'approved' FOR UPDATE", &[&comment_id])
            .await?;
        let Some(found) = found else { return Ok(Voted::NotFound) };
        let (score, author): (i64, Option<String>) = (found.try_get(0)?, found.try_get(1)?);
        if author.as_deref() == Some(voter_hash.as_str()) {
            return Ok(Voted::OwnComment);
        }
        let previous = transaction
            .query_opt("SELECT value FROM votes WHERE comment_id = $1 AND voter_hash = $2", &[&comment_id, &voter_hash])
            .await?
            .map(|row| row.try_get::<_, i16>(0))
            .transpose()?
            .map_or(0, |value| i8::try_from(value).unwrap_or(0));
        let change = score_change(previous, value);
        if change != 0 {
            if value == 0 {
                transaction.execute("DELETE FROM votes WHERE comment_id = $1 AND voter_hash = $2", &[&comment_id, &voter_hash]).await?;
            } else {
                transaction
                    .execute(
                        "INSERT INTO votes (comment_id, voter_hash, value, created_ms) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (comment_id, voter_hash) DO UPDATE SET value = excluded.value, created_ms = excluded.created_ms",
                        &[&comment_id, &voter_hash, &i16::from(value), &now_ms],
                    )
                    .await?;
            }
            transaction.execute("UPDATE comments SET score = score + $2 WHERE id = $1", &[&comment_id, &change]).await?;
        }
        transaction.commit().await?;
        Ok(Voted::Counted { score: score + change, vote: value })
    }

    pub async fn edit_own(&self, id: i64, text: String, now_ms: i64) -> Result<Option<CommentRow>, StoreError> {
        let mut client = self.pool.get().await?;
        let transaction = client.transaction().await?;
        let previous = transaction
            .query_opt("SELECT text FROM comments WHERE id = $1 AND status <> 'deleted' AND text <> '' FOR UPDATE", &[&id])
            .await?;
        let Some(previous) = previous else { return Ok(None) };
        let previous: String = previous.try_get(0)?;
        transaction
            .execute(
                "INSERT INTO comment_versions (comment_id, text, replaced_ms, replaced_by) VALUES ($1, $2, $3, $4)",
                &[&id, &previous, &now_ms, &AUTHOR_ACTOR],
            )
            .await?;
        transaction.execute("UPDATE comments SET text = $2, edited_ms = $3 WHERE id = $1", &[&id, &text, &now_ms]).await?;
        insert_audit(&transaction, AUTHOR_ACTOR, "edit", Some(id), None, now_ms).await?;
        let row = transaction.query_one(&format!("SELECT {COLUMNS} FROM comments WHERE id = $1"), &[&id]).await?;
        let row = row_to_comment(&row)?;
        transaction.commit().await?;
        Ok(Some(row))
    }
}
