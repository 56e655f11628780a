//! What the related news and the comments share as lists loaded a page at a time, when the reader
//! comes near them: the state (see [`crate::model::paged`]), the request for the next page, the
//! viewport observer, and the retry box. When the list goes away (another article), its observer
//! stops and its request is cancelled, not just ignored.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::AbortController;

use crate::api::ArticleError;
use crate::i18n::{Key, Lang};
use crate::model::paged::PageState;
use crate::web;

/// How far ahead of the viewport a list starts loading: a whole screen, so that it is there when
/// the reader arrives, even scrolling fast, and never pushes what follows while in view.
const PRELOAD_MARGIN: &str = "100% 0px";

/// A list's paging, owned by the component that made it.
#[derive(Clone, Copy)]
pub struct Paged {
    pub state: RwSignal<PageState>,
    /// The request on its way, cancelled when the owner is cleaned up.
    request: StoredValue<Option<AbortController>, LocalStorage>,
}

impl Paged {
    /// `first`: the address of the first page to fetch, if any.
    pub fn new(first: Option<String>) -> Self {
        let request = StoredValue::new_local(None::<AbortController>);
        on_cleanup(move || {
            if let Some(controller) = request.try_update_value(Option::take).flatten() {
                controller.abort();
            }
        });
        Paged { state: RwSignal::new(PageState::new(first)), request }
    }

    pub fn busy(self) -> bool {
        self.state.with(PageState::busy)
    }

    pub fn has_failed(self) -> bool {
        self.state.with(PageState::has_failed)
    }

    pub fn has_next(self) -> bool {
        self.state.with(|state| state.next.is_some())
    }

    pub fn loaded_once(self) -> bool {
        self.state.with(|state| state.loaded_once)
    }

    /// Fetches the next page, unless there is none or one is on its way: `load` sends the request
    /// (with the controller that cancels it), `show` takes the page in and returns the address of
    /// the one after. A failure goes to the console as "Kiosque: {what} from {address}: {reason}".
    pub fn fetch_next<Page, Answer>(
        self,
        what: &'static str,
        load: impl FnOnce(&str, &AbortController) -> Answer,
        show: impl FnOnce(Page) -> Option<String> + 'static,
    ) where
        Answer: Future<Output = Result<Page, ArticleError>> + 'static,
    {
        // Also called by the viewport observer, possibly after this list was replaced.
        let Some(url) = self.state.try_with_untracked(|state| state.next_to_fetch().map(str::to_string)).flatten() else { return };
        let Ok(controller) = AbortController::new() else { return };
        self.state.update(PageState::start);
        let answer = load(&url, &controller);
        self.request.set_value(Some(controller));
        spawn_local(async move {
            let result = answer.await;
            // The reader may have moved to another article meanwhile: this list is gone (and its
            // request was cancelled).
            if self.state.is_disposed() {
                return;
            }
            self.request.set_value(None);
            match result {
                Ok(page) => {
                    let next = show(page);
                    self.state.update(|state| state.loaded(next));
                }
                Err(error) => {
                    web::error(&format!("Kiosque: {what} from {url}: {}", error.console_reason()));
                    self.state.update(PageState::failed);
                }
            }
        });
    }
}

/// Calls `on_near` once, when the element of `node` comes near the viewport; the observer stops
/// when the current owner is cleaned up.
pub fn when_near(node: NodeRef<leptos::html::Section>, on_near: impl Fn() + Copy + 'static) {
    Effect::new(move |_| {
        if let Some(element) = node.get() {
            if let Some(watch) = web::when_near_viewport(&element, PRELOAD_MARGIN, Box::new(on_near)) {
                // Owned by this effect: dropped, which stops the observer, when it is cleaned up.
                StoredValue::new_local(watch);
            }
        }
    });
}

/// "Could not load …" and a retry button, for a list whose last request failed.
pub fn retry_box(class: &'static str, lang: Lang, message: Key, retry: impl Fn() + 'static) -> impl IntoView {
    view! {
        <div class=class role="alert">
            <p>{lang.text(message)}</p>
            <button type="button" class="kq-button kq-button--secondary" on:click=move |_| retry()>
                {lang.text(Key::ActionRetry)}
            </button>
        </div>
    }
}
