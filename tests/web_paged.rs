//! Lists loaded a page at a time, in headless Chromium: a later page of comments is added to the
//! threads shown (the same elements stay), the reader's new comment is written into its place, a
//! list that goes away cancels its request, and a viewport watch dropped early never fires.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use kiosque::api::{fetch_page, FetchError};
use kiosque::components::comments::list::{append_threads, insert_thread, show_threads, ListContext};
use kiosque::components::paged::Paged;
use kiosque::i18n::Lang;
use kiosque::model::comment_pages::{place_of, unseen_comments};
use kiosque::model::comments::{build_threads, parse_comments_page, Comment};
use kiosque::model::reader_actions::{CastVotes, OwnComments, ReaderActions};
use leptos::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{AbortController, Element};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/dom.rs"]
mod dom;
use dom::{all, document, host, one, settle};

fn comment(id: &str, parent: Option<&str>) -> String {
    let parent = parent.map_or("null".to_string(), |p| format!("\"{p}\""));
    format!(r#"{{"id": "{id}", "parent": {parent}, "author": {{"name": "A{id}", "url": null}}, "text": "Texte {id}", "created": "2026-11-22T08:30:00Z", "status": "approved"}}"#)
}

fn page(comments: &[(&str, Option<&str>)]) -> Vec<Comment> {
    let items: Vec<String> = comments.iter().map(|(id, parent)| comment(id, *parent)).collect();
    parse_comments_page(&format!(r#"{{"items": [{}], "next": null}}"#, items.join(","))).expect("page").items
}

fn context() -> ListContext {
    ListContext {
        lang: Lang::Fr,
        locale: "fr".into(),
        can_reply: true,
        actions: ReaderActions::default(),
        own: OwnComments::default(),
        votes: CastVotes::default(),
        now_ms: 0,
    }
}

fn new_list() -> Element {
    let list = document().create_element("ol").expect("ol");
    host(&[]).append_child(&list).expect("append");
    list
}

fn shown_ids(list: &Element) -> Vec<String> {
    all(list, "li").iter().map(Element::id).collect()
}

#[wasm_bindgen_test]
fn a_later_page_is_appended_and_the_threads_shown_stay_the_same_elements() {
    let list = new_list();
    let mut items = page(&[("1", None), ("2", Some("1")), ("3", None)]);
    show_threads(&list, &build_threads(&items), &context());
    let first = one(&list, "#kq-comment-1");
    let reply = one(&list, "#kq-comment-2 .kq-comment__text");

    let (fresh, apart) = unseen_comments(&items, page(&[("3", None), ("4", None), ("5", Some("4"))]));
    assert!(apart);
    append_threads(&list, &build_threads(&fresh), &context());
    items.extend(fresh);

    assert!(first.is_connected() && reply.is_connected(), "the first page's elements are still in the list");
    assert!(first.is_same_node(Some(&one(&list, "#kq-comment-1"))), "not a copy written again");
    assert_eq!(shown_ids(&list), ["kq-comment-1", "kq-comment-2", "kq-comment-3", "kq-comment-4", "kq-comment-5"]);
    assert_eq!(all(&list, ":scope > li").len(), 3, "4 is a new thread, 5 is under it");
    // The same as writing everything again.
    let rebuilt = new_list();
    show_threads(&rebuilt, &build_threads(&items), &context());
    assert_eq!(rebuilt.inner_html(), list.inner_html());
}

#[wasm_bindgen_test]
fn the_readers_comment_is_written_into_its_place_alone() {
    let list = new_list();
    let mut items = page(&[("1", None), ("2", Some("1")), ("3", None)]);
    show_threads(&list, &build_threads(&items), &context());
    let before: Vec<Element> = all(&list, "li");
    for (new, on_top) in [(page(&[("n1", Some("3"))]), false), (page(&[("n2", None)]), true), (page(&[("n3", Some("1"))]), false)] {
        let new = new.into_iter().next().expect("comment");
        let id = new.id.clone();
        if on_top {
            items.insert(0, new);
        } else {
            items.push(new);
        }
        let threads = build_threads(&items);
        let place = place_of(&threads, &id).expect("shown");
        let posted = items.iter().find(|c| c.id == id).expect("posted");
        insert_thread(&list, &kiosque::model::comments::Thread { comment: posted, replies: Vec::new() }, place, &context());
    }
    assert!(before.iter().all(|item| item.is_connected()), "nothing shown was written again");
    assert_eq!(one(&list, ":scope > li").id(), "kq-comment-n2", "a new thread on top, newest first");
    assert_eq!(one(&list, "#kq-comment-3 > ol > li").id(), "kq-comment-n1", "a reply gets a replies list");
    let rebuilt = new_list();
    show_threads(&rebuilt, &build_threads(&items), &context());
    assert_eq!(rebuilt.inner_html(), list.inner_html());
}

#[wasm_bindgen_test]
async fn a_cancelled_page_request_gets_no_answer() {
    // The test server answers 404 for a page it does not have: what a request that was not
    // cancelled gets.
    let url = "/kiosque-test-no-such-page.json";
    let controller = AbortController::new().expect("controller");
    assert_eq!(fetch_page(url, 5_000, &controller).await, Err(FetchError::Status(404)));
    let controller = AbortController::new().expect("controller");
    let request = fetch_page(url, 5_000, &controller);
    controller.abort();
    // Given up by the browser (an AbortError, read as "no answer") before any answer.
    assert_eq!(request.await, Err(FetchError::Network));
}

#[wasm_bindgen_test]
async fn a_request_leaves_when_it_is_made_with_its_address_unchanged() {
    // A spy in place of the browser's `fetch`, looked up by the glue at each call.
    let global = js_sys::global();
    let key = |name: &str| wasm_bindgen::JsValue::from_str(name);
    let original = js_sys::Reflect::get(&global, &key("fetch")).expect("fetch");
    js_sys::Reflect::set(&global, &key("kqFetch"), &original).expect("keep fetch");
    js_sys::Reflect::set(&global, &key("kqSeen"), &js_sys::Array::new()).expect("seen");
    let spy = js_sys::Function::new_with_args("request", "kqSeen.push(request.url); return kqFetch(request);");
    js_sys::Reflect::set(&global, &key("fetch"), &spy).expect("spy");
    let controller = AbortController::new().expect("controller");
    let request = fetch_page("/kiosque-test-no-such-page.json?sort=new", 5_000, &controller);
    let seen: Vec<String> =
        js_sys::Array::from(&js_sys::Reflect::get(&global, &key("kqSeen")).expect("seen")).iter().filter_map(|url| url.as_string()).collect();
    js_sys::Reflect::set(&global, &key("fetch"), &original).expect("restore fetch");
    assert_eq!(seen.len(), 1, "sent before its future is polled: {seen:?}");
    // gloo-net's RequestBuilder would have sent `?sort=new&` (gloo issue 498).
    assert!(seen[0].ends_with("/kiosque-test-no-such-page.json?sort=new"), "{seen:?}");
    assert_eq!(request.await, Err(FetchError::Status(404)));
}

#[wasm_bindgen_test]
async fn a_list_that_goes_away_cancels_its_request() {
    // Mounting starts the executor the list spawns its request on.
    leptos::mount::mount_to(host(&[]), || ()).forget();
    let shown = Rc::new(RefCell::new(0));
    for dispose in [false, true] {
        let owner = Owner::new();
        let count = Rc::clone(&shown);
        let signal = owner.with(|| {
            let paged = Paged::new(Some("/kiosque-test-no-such-page.json".to_string()));
            paged.fetch_next("comments", 5_000, Box::new(move |_| {
                *count.borrow_mut() += 1;
                Ok(None)
            }));
            assert!(paged.busy());
            paged.request_signal().expect("a request on its way")
        });
        if dispose {
            owner.cleanup();
        }
        assert_eq!(signal.aborted(), dispose, "cancelled only when the list goes away");
        settle(300).await;
    }
    assert_eq!(*shown.borrow(), 0, "a 404 is no page to show");
}

#[wasm_bindgen_test]
async fn a_viewport_watch_dropped_before_it_started_never_fires() {
    let visible = host(&[("style", "position: fixed; top: 0; left: 0")]);
    visible.set_text_content(Some("visible"));
    for keep in [true, false] {
        let fired = Rc::new(RefCell::new(false));
        let record = Rc::clone(&fired);
        let watch = kiosque::web::when_near_viewport(&visible, "0px", Box::new(move || *record.borrow_mut() = true));
        if !keep {
            drop(watch);
            settle(300).await;
        } else {
            settle(300).await;
            drop(watch);
        }
        assert_eq!(*fired.borrow(), keep, "kept: fires for an element in view; dropped: never");
    }
}
