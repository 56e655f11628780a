//! Votes and authors' edits on SQLite (see `store/reader_actions.rs`).

use rusqlite::{params, OptionalExtension, TransactionBehavior};

use super::{insert_audit, row_to_comment, SqliteStore};
use crate::reader_actions::{score_change, AUTHOR_ACTOR};
use crate::store::{CommentRow, StoreError, Voted, COLUMNS};

impl SqliteStore {
    pub fn vote(&self, comment_id: i64, voter_hash: String, value: i8, now_ms: i64) -> Result<Voted, StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let found: Option<(i64, Option<String>)> = transaction
                .query_row("SELECT score, voter_hash FROM comments WHERE id = ?1 AND status = 'approved'", params![comment_id], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
                .optional()?;
            let Some((score, author)) = found else { return Ok(Voted::NotFound) };
            if author.as_deref() == Some(voter_hash.as_str()) {
                return Ok(Voted::OwnComment);
            }
            let previous: i8 = transaction
                .query_row("SELECT value FROM votes WHERE comment_id = ?1 AND voter_hash = ?2", params![comment_id, voter_hash], |row| row.get(0))
                .optional()?
                .unwrap_or(0);
            let change = score_change(previous, value);
            if change != 0 {
                if value == 0 {
                    transaction.execute("DELETE FROM votes WHERE comment_id = ?1 AND voter_hash = ?2", params![comment_id, voter_hash])?;
                } else {
                    transaction.execute(
                        "INSERT INTO votes (comment_id, voter_hash, value, created_ms) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (comment_id, voter_hash) DO UPDATE SET value = excluded.value, created_ms = excluded.created_ms",
                        params![comment_id, voter_hash, value, now_ms],
                    )?;
                }
                transaction.execute("UPDATE comments SET score = score + ?2 WHERE id = ?1", params![comment_id, change])?;
            }
            transaction.commit()?;
            Ok(Voted::Counted { score: score + change, vote: value })
        })
    }

    pub fn edit_own(&self, id: i64, text: String, now_ms: i64) -> Result<Option<CommentRow>, StoreError> {
        self.write(|connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let previous: Option<String> = transaction
                .query_row("SELECT text FROM comments WHERE id = ?1 AND status <> 'deleted' AND text <> ''", params![id], |row| row.get(0))
                .optional()?;
            let Some(previous) = previous else { return Ok(None) };
            transaction.execute(
                "INSERT INTO comment_versions (comment_id, text, replaced_ms, replaced_by) VALUES (?1, ?2, ?3, ?4)",
                params![id, previous, now_ms, AUTHOR_ACTOR],
            )?;
            transaction.execute("UPDATE comments SET text = ?2, edited_ms = ?3 WHERE id = ?1", params![id, text, now_ms])?;
            insert_audit(&transaction, AUTHOR_ACTOR, "edit", Some(id), None, now_ms)?;
            let row = transaction.query_row(&format!("SELECT {COLUMNS} FROM comments WHERE id = ?1"), params![id], row_to_comment)?;
            transaction.commit()?;
            Ok(Some(row))
        })
    }
}
