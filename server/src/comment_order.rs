//! `sort` of a page of comments: the order of an article's threads. The replies inside a thread
//! are always in the order they were written, whatever the sort.

use crate::store::{CommentRow, Status};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentSort {
    /// The default.
    Oldest,
    Newest,
    /// "Most voted": by the first comment's score, highest first; ties oldest first.
    Votes,
}

impl CommentSort {
    /// The `sort` of a query string (`oldest` when absent), or the message of a 400.
    pub fn read(raw_query: Option<&str>) -> Result<CommentSort, String> {
        let given = raw_query.unwrap_or_default().split('&').find_map(|pair| pair.strip_prefix("sort="));
        match given {
            None | Some("oldest") => Ok(CommentSort::Oldest),
            Some("newest") => Ok(CommentSort::Newest),
            Some("votes") => Ok(CommentSort::Votes),
            Some(other) => Err(format!("sort: “{other}” should be oldest, newest or votes")),
        }
    }

    /// What `next` repeats of it (nothing for the default).
    pub fn query(self) -> Option<&'static str> {
        match self {
            CommentSort::Oldest => None,
            CommentSort::Newest => Some("sort=newest"),
            CommentSort::Votes => Some("sort=votes"),
        }
    }

    /// Puts `threads`, given oldest first (each a first comment and its replies), in this order.
    pub fn arrange(self, threads: &mut [Vec<&CommentRow>]) {
        match self {
            CommentSort::Oldest => {}
            CommentSort::Newest => threads.reverse(),
            // Stable: threads of the same score keep their oldest-first order.
            CommentSort::Votes => threads.sort_by_key(|thread| std::cmp::Reverse(thread.first().map_or(0, |first| shown_score(first)))),
        }
    }
}

/// A deleted comment's score is not shown (nothing of it is): its thread ranks as unvoted.
fn shown_score(row: &CommentRow) -> i64 {
    if row.status == Status::Deleted {
        0
    } else {
        row.score
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, parent: Option<i64>, score: i64, status: Status) -> CommentRow {
        CommentRow {
            id,
            article_id: "a".into(),
            parent_id: parent,
            author_name: "n".into(),
            author_email: None,
            author_url: None,
            text: "t".into(),
            created_ms: id * 1000,
            status,
            score,
            voter_hash: None,
            edit_token_hash: None,
            edited_ms: None,
        }
    }

    fn ids(threads: &[Vec<&CommentRow>]) -> Vec<Vec<i64>> {
        threads.iter().map(|thread| thread.iter().map(|row| row.id).collect()).collect()
    }

    #[test]
    fn sorts_are_read_and_repeated() {
        assert_eq!(CommentSort::read(None), Ok(CommentSort::Oldest));
        assert_eq!(CommentSort::read(Some("page=2")), Ok(CommentSort::Oldest));
        assert_eq!(CommentSort::read(Some("page=2&sort=votes")), Ok(CommentSort::Votes));
        assert_eq!(CommentSort::read(Some("sort=newest&limit=3")), Ok(CommentSort::Newest));
        assert_eq!(CommentSort::read(Some("sort=oldest")), Ok(CommentSort::Oldest));
        assert!(CommentSort::read(Some("sort=score")).is_err_and(|message| message.contains("votes")));
        assert_eq!(CommentSort::Votes.query(), Some("sort=votes"));
        assert_eq!(CommentSort::Oldest.query(), None);
    }

    #[test]
    fn most_voted_threads_first_ties_oldest_first_replies_untouched() {
        let rows = [
            row(1, None, 2, Status::Approved),
            row(2, Some(1), 9, Status::Approved),
            row(3, None, 5, Status::Approved),
            row(4, None, 2, Status::Approved),
            row(5, Some(4), 1, Status::Approved),
            row(6, Some(4), 7, Status::Approved),
            row(7, None, -3, Status::Approved),
            row(8, None, 4, Status::Deleted),
            row(9, Some(8), 0, Status::Approved),
        ];
        let oldest = vec![vec![&rows[0], &rows[1]], vec![&rows[2]], vec![&rows[3], &rows[4], &rows[5]], vec![&rows[6]], vec![&rows[7], &rows[8]]];

        let mut threads = oldest.clone();
        CommentSort::Votes.arrange(&mut threads);
        assert_eq!(ids(&threads), vec![vec![3], vec![1, 2], vec![4, 5, 6], vec![8, 9], vec![7]]);

        let mut threads = oldest.clone();
        CommentSort::Newest.arrange(&mut threads);
        assert_eq!(ids(&threads), vec![vec![8, 9], vec![7], vec![4, 5, 6], vec![3], vec![1, 2]]);

        let mut threads = oldest.clone();
        CommentSort::Oldest.arrange(&mut threads);
        assert_eq!(ids(&threads), ids(&oldest));
    }
}
