//! The store's side of what readers do to comments besides writing them: votes, and editing one's
//! own comment (deleting it is a moderator's delete, by [`Store::moderate`], with `author` as actor).

use super::{CommentRow, Store, StoreError};

/// What became of a vote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Voted {
    /// Counted (or taken back, or unchanged): the comment's score and the voter's vote now.
    Counted { score: i64, vote: i8 },
    /// No approved comment has this id.
    NotFound,
    /// The voter posted this comment.
    OwnComment,
}

impl Store {
    /// Sets `voter_hash`'s vote on an approved comment to `value` (−1, 1, or 0 to take it back),
    /// and its score with it, in one transaction.
    pub async fn vote(&self, comment_id: i64, voter_hash: String, value: i8, now_ms: i64) -> Result<Voted, StoreError> {
        dispatch!(self, vote(comment_id, voter_hash, value, now_ms))
    }

    /// Its author's new text for a comment that is not deleted: the previous text kept in its
    /// versions (replaced by `author`), the comment marked edited, a line in the audit trail; its
    /// status unchanged. `None` when there is no such comment.
    pub async fn edit_own(&self, id: i64, text: String, now_ms: i64) -> Result<Option<CommentRow>, StoreError> {
        dispatch!(self, edit_own(id, text, now_ms))
    }
}
