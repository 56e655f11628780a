//! How a new page of comments, or the comment the reader just posted, joins the threads already
//! shown: written into its place rather than the whole list redrawn, with the same result as
//! [`build_threads`](super::comments::build_threads) over every comment.

use std::collections::HashSet;

use super::comments::{Comment, Thread};

/// The comments of `page` that are not shown yet (a comment the reader just posted may come back
/// in a later page), and whether they can be added as threads after the shown ones. They cannot
/// when a new comment answers a shown one, or a shown one answers a new one: the threads must then
/// be built again. The reference server pages by whole threads, so that happens only with other
/// sources.
pub fn unseen_comments(shown: &[Comment], page: Vec<Comment>) -> (Vec<Comment>, bool) {
    // Borrowed ids: a thread of 5 000 arrives a page at a time.
    let known = ids(shown);
    let fresh: Vec<Comment> = page.into_iter().filter(|c| !known.contains(c.id.as_str())).collect();
    let new = ids(&fresh);
    let parent_in = |ids: &HashSet<&str>, comment: &Comment| comment.parent.as_deref().is_some_and(|parent| ids.contains(parent));
    let apart = !fresh.iter().any(|c| parent_in(&known, c)) && !shown.iter().any(|c| parent_in(&new, c));
    (fresh, apart)
}

fn ids(comments: &[Comment]) -> HashSet<&str> {
    comments.iter().map(|c| c.id.as_str()).collect()
}

/// Where the comment `id` is in `threads`: in the replies of which comment (`None`: a thread of
/// its own), and after which one there (`None`: first).
pub fn place_of<'a>(threads: &[Thread<'a>], id: &str) -> Option<(Option<&'a str>, Option<&'a str>)> {
    fn find<'a>(list: &[Thread<'a>], under: Option<&'a str>, id: &str) -> Option<(Option<&'a str>, Option<&'a str>)> {
        let mut before = None;
        for thread in list {
            if thread.comment.id == id {
                return Some((under, before));
            }
            if let Some(found) = find(&thread.replies, Some(thread.comment.id.as_str()), id) {
                return Some(found);
            }
            before = Some(thread.comment.id.as_str());
        }
        None
    }
    find(threads, None, id)
}
