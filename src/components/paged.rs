//! What the related news and the comments share as lists loaded a page at a time, when the reader
//! comes near them: the state (see [`crate::model::paged`]), the request for the next page, the
//! viewport observer, and the retry box. When the list goes away (another article), its observer
//! stops and its request is cancelled, not just ignored.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::AbortController;

use crate::api::{fetch_page, ArticleError};
use crate::i18n::{Key, Lang};
use crate::model::paged::PageState;
use crate::model::ParseError;
use crate::web;

/// How far ahead of the viewport a list starts loading: a whole screen, so that it is there when
/// the reader arrives, even scrolling fast, and never pushes what follows while in view.
const PRELOAD_MARGIN: &str = "100% 0px";

/// A list's paging, owned by the component that made it.
#[derive(Clone, Copy)]
pub struct Paged {
    pub state: RwSignal<PageState>,
    live: StoredValue<Live, LocalStorage>,
}

/// What a list holds in the browser while it is shown; dropped with its owner, which cancels the
/// request on its way and stops the viewport observer.
#[derive(Default)]
struct Live {
    request: Option<AbortController>,
    watch: Option<web::NearWatch>,
}

impl Drop for Live {
    fn drop(&mut self) {
        if let Some(request) = self.request.take() {
            request.abort();
        }
    }
}

impl Paged {
    /// `first`: the address of the first page to fetch, if any.
    pub fn new(first: Option<String>) -> Self {
        Paged { state: RwSignal::new(PageState::new(first)), live: StoredValue::new_local(Live::default()) }
    }

    /// Calls `on_near` once, when `element` comes near the viewport; the observer stops when the
    /// list goes away.
    pub fn when_near(self, element: &web_sys::Element, on_near: Rc<dyn Fn()>) {
        let watch = web::when_near_viewport(element, PRELOAD_MARGIN, Box::new(move || on_near()));
        self.live.update_value(|live| live.watch = watch);
    }

    /// Reads the state, tracked. A function pointer, not a closure: one copy for every question.
    fn read(self, question: fn(&PageState) -> bool) -> bool {
        self.state.with(question)
    }

    pub fn busy(self) -> bool {
        self.read(PageState::busy)
    }

    pub fn has_failed(self) -> bool {
        self.read(PageState::has_failed)
    }

    pub fn has_next(self) -> bool {
        self.read(PageState::has_next)
    }

    pub fn loaded_once(self) -> bool {
        self.read(|state| state.loaded_once)
    }

    /// Fetches the next page, unless there is none or one is on its way; `show` reads it (if the
    /// list is still there), takes it in and returns the address of the one after. A failure goes
    /// to the console as "Kiosque: {what} from {address}: {reason}". Not generic: one copy serves
    /// both lists.
    pub fn fetch_next(self, what: &'static str, timeout_ms: u32, show: ShowPage) {
        // Also called by the viewport observer, possibly after this list was replaced.
        let Some(url) = self.state.try_with_untracked(|state| state.next_to_fetch().map(str::to_string)).flatten() else { return };
        let Ok(controller) = AbortController::new() else { return };
        self.state.update(PageState::start);
        let answer = fetch_page(&url, timeout_ms, &controller);
        self.live.update_value(|live| live.request = Some(controller));
        spawn_local(async move {
            let answer = answer.await;
            // The reader may have moved to another article meanwhile: this list is gone (and its
            // request was cancelled).
            if self.state.is_disposed() {
                return;
            }
            self.live.update_value(|live| live.request = None);
            match answer.map_err(ArticleError::Fetch).and_then(|body| show(&body).map_err(ArticleError::Invalid)) {
                Ok(next) => self.state.update(|state| state.loaded(next)),
                Err(error) => {
                    web::error(&format!("Kiosque: {what} from {url}: {}", error.console_reason()));
                    self.state.update(PageState::failed);
                }
            }
        });
    }

    /// The signal of the request on its way, for the tests.
    pub fn request_signal(self) -> Option<web_sys::AbortSignal> {
        self.live.try_with_value(|live| live.request.as_ref().map(AbortController::signal)).flatten()
    }
}

/// Reads a page, takes it into its list and returns the address of the next.
pub type ShowPage = Box<dyn FnOnce(&str) -> Result<Option<String>, ParseError>>;

/// "Could not load …" and a retry button, for a list whose last request failed.
pub fn retry_box(class: &'static str, lang: Lang, message: Key, retry: Box<dyn Fn()>) -> AnyView {
    view! {
        <div class=class role="alert">
            <p>{lang.text(message)}</p>
            <button type="button" class="kq-button kq-button--secondary" on:click=move |_| retry()>
                {lang.text(Key::ActionRetry)}
            </button>
        </div>
    }
    .into_any()
}
