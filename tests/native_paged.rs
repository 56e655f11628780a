//! Lists loaded a page at a time: when the next page may be fetched, and how a new page or a new
//! comment joins the threads already shown (the same threads as building them all again).
#![cfg(not(target_arch = "wasm32"))]

use kiosque::model::comment_pages::{place_of, unseen_comments};
use kiosque::model::comments::{build_threads, Comment, Thread};
use kiosque::model::paged::{Fetching, PageState};

#[path = "support/threads.rs"]
mod threads;
use threads::{comment, shape};

#[test]
fn a_list_without_a_next_page_fetches_nothing() {
    let state = PageState::new(None);
    assert_eq!(state.next_to_fetch(), None);
    assert!(!state.loaded_once);
}

#[test]
fn no_second_request_while_one_is_on_its_way() {
    let mut state = PageState::new(Some("/p1".into()));
    assert_eq!(state.next_to_fetch(), Some("/p1"));
    state.start();
    assert!(state.busy());
    assert_eq!(state.next_to_fetch(), None, "busy: the viewport observer and the button must not send it twice");
}

#[test]
fn a_page_moves_to_the_next_and_the_last_ends_the_list() {
    let mut state = PageState::new(Some("/p1".into()));
    state.start();
    state.loaded(Some("/p2".into()));
    assert_eq!(state.fetching, Fetching::Idle);
    assert!(state.loaded_once);
    assert_eq!(state.next_to_fetch(), Some("/p2"));
    state.start();
    state.loaded(None);
    assert_eq!(state.next_to_fetch(), None);
    assert!(state.loaded_once);
}

#[test]
fn a_failure_keeps_the_same_page_for_the_retry() {
    let mut state = PageState::new(Some("/p1".into()));
    state.start();
    state.failed();
    assert!(state.has_failed());
    assert!(!state.loaded_once, "nothing came: the list still waits for its first page");
    assert_eq!(state.next_to_fetch(), Some("/p1"));
    state.start();
    assert!(!state.has_failed() && state.busy());
}

#[test]
fn another_order_starts_again_from_its_first_page() {
    let mut state = PageState::new(Some("/p1".into()));
    state.start();
    state.loaded(None);
    state.restart("/p1?sort=newest".into());
    assert_eq!(state.next_to_fetch(), Some("/p1?sort=newest"));
    assert!(state.loaded_once);
}

fn ids(comments: &[Comment]) -> Vec<&str> {
    comments.iter().map(|c| c.id.as_str()).collect()
}

#[test]
fn whole_threads_on_a_later_page_are_appended_as_they_would_be_built() {
    let first = vec![comment("1", None), comment("2", Some("1")), comment("3", None)];
    // The reader's own comment "9" came back in the later page.
    let mut shown = first.clone();
    shown.push(comment("9", Some("3")));
    let page = vec![comment("4", None), comment("5", Some("4")), comment("6", Some("5")), comment("9", Some("3"))];
    let (fresh, apart) = unseen_comments(&shown, page);
    assert_eq!(ids(&fresh), ["4", "5", "6"], "what is shown is not shown twice");
    assert!(apart);
    let appended = format!("{} {}", shape(&build_threads(&shown)), shape(&build_threads(&fresh)));
    let mut all = shown.clone();
    all.extend(fresh);
    assert_eq!(appended, shape(&build_threads(&all)));
    assert_eq!(appended, "1(2) 3(9) 4(5(6))");
}

#[test]
fn a_page_that_answers_a_shown_comment_is_not_appended_apart() {
    let shown = vec![comment("1", None), comment("2", None)];
    let (fresh, apart) = unseen_comments(&shown, vec![comment("3", Some("1"))]);
    assert_eq!(ids(&fresh), ["3"]);
    assert!(!apart, "3 goes under 1, not after 2");
}

#[test]
fn a_page_with_the_parent_of_a_shown_comment_is_not_appended_apart() {
    let shown = vec![comment("2", Some("1"))];
    let (_, apart) = unseen_comments(&shown, vec![comment("1", None)]);
    assert!(!apart, "2 moves under 1");
}

/// The shown threads as a tree of ids, into which one comment is inserted the way
/// `components::comments::list::insert_thread` does it.
#[derive(Debug)]
struct Shown {
    id: String,
    replies: Vec<Shown>,
}

fn shown_tree(threads: &[Thread]) -> Vec<Shown> {
    threads.iter().map(|t| Shown { id: t.comment.id.clone(), replies: shown_tree(&t.replies) }).collect()
}

fn tree_shape(list: &[Shown]) -> String {
    list.iter()
        .map(|s| if s.replies.is_empty() { s.id.clone() } else { format!("{}({})", s.id, tree_shape(&s.replies)) })
        .collect::<Vec<_>>()
        .join(" ")
}

fn find_mut<'a>(list: &'a mut [Shown], id: &str) -> Option<&'a mut Shown> {
    for item in list {
        if item.id == id {
            return Some(item);
        }
        if let Some(found) = find_mut(&mut item.replies, id) {
            return Some(found);
        }
    }
    None
}

fn insert(tree: &mut Vec<Shown>, id: &str, (under, after): (Option<&str>, Option<&str>)) {
    let container = match under {
        None => tree,
        Some(parent) => &mut find_mut(tree, parent).expect("parent shown").replies,
    };
    let index = match after {
        None => 0,
        Some(previous) => container.iter().position(|s| s.id == previous).expect("previous shown") + 1,
    };
    container.insert(index, Shown { id: id.into(), replies: Vec::new() });
}

/// Posts `new` into `before` (at the top when `on_top`, as the newest-first order does, else at the
/// end) and checks that inserting it where `place_of` says gives the threads built again.
fn posting_matches_a_rebuild(before: Vec<Comment>, new: Comment, on_top: bool) -> String {
    let mut tree = shown_tree(&build_threads(&before));
    let id = new.id.clone();
    let mut after = before;
    if on_top {
        after.insert(0, new);
    } else {
        after.push(new);
    }
    let threads = build_threads(&after);
    let place = place_of(&threads, &id).expect("the new comment is shown");
    insert(&mut tree, &id, place);
    assert_eq!(tree_shape(&tree), shape(&threads));
    shape(&threads)
}

#[test]
fn a_new_comment_is_inserted_where_the_threads_built_again_put_it() {
    let thread = || vec![comment("1", None), comment("2", Some("1")), comment("3", Some("2")), comment("4", Some("3")), comment("5", None)];
    // A new thread, oldest first (at the end) and newest first (on top).
    assert_eq!(posting_matches_a_rebuild(thread(), comment("n", None), false), "1(2(3 4)) 5 n");
    assert_eq!(posting_matches_a_rebuild(thread(), comment("n", None), true), "n 1(2(3 4)) 5");
    // A reply to a comment without replies yet: its replies list is made.
    assert_eq!(posting_matches_a_rebuild(thread(), comment("n", Some("5")), false), "1(2(3 4)) 5(n)");
    // A reply at the second level, after the replies there.
    assert_eq!(posting_matches_a_rebuild(thread(), comment("n", Some("1")), false), "1(2(3 4) n) 5");
    // A reply to a comment at the last level: after it and what answers it, side by side.
    assert_eq!(posting_matches_a_rebuild(thread(), comment("n", Some("3")), false), "1(2(3 4 n)) 5");
    let mut deep = thread();
    deep.push(comment("6", Some("2")));
    assert_eq!(posting_matches_a_rebuild(deep, comment("n", Some("3")), false), "1(2(3 4 n 6)) 5");
}

#[test]
fn a_comment_not_in_the_threads_has_no_place() {
    let items = vec![comment("1", None)];
    assert_eq!(place_of(&build_threads(&items), "2"), None);
}
