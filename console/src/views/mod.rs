//! The console's screens. Each is a small component over [`ConsoleContext`], the context every one of
//! them needs: the language, the API (and through it the session) and the live region.

pub mod app;
pub mod articles;
pub mod bans;
pub mod comment;
pub mod people;
pub mod queue;
pub mod sign_in;

use leptos::prelude::*;

use crate::api::Api;
use crate::i18n::{text, Lang, Phrase};
use crate::model::ApiProblem;

#[derive(Clone, Copy)]
pub struct ConsoleContext {
    pub lang: RwSignal<Lang>,
    pub api: Api,
    /// What the last action did, read out by screen readers (`role="status"`).
    pub announcement: RwSignal<String>,
}

impl ConsoleContext {
    pub fn get() -> ConsoleContext {
        expect_context::<ConsoleContext>()
    }

    pub fn t(&self, phrase: Phrase) -> &'static str {
        text(self.lang.get(), phrase)
    }

    pub fn announce(&self, message: String) {
        self.announcement.set(message);
    }
}

/// A failed request: what went wrong, in the moderator's language, and a button to try again.
pub fn problem_notice(problem: ApiProblem, retry: Callback<()>) -> impl IntoView {
    let console = ConsoleContext::get();
    view! {
        <div class="problem" role="alert">
            <p>{move || problem.message(console.lang.get())}</p>
            <button type="button" on:click=move |_| retry.run(())>{move || console.t(Phrase::ActionRetry)}</button>
        </div>
    }
}

/// A time of the API, shown in the moderator's language and time zone.
pub fn time_view(rfc3339: String) -> impl IntoView {
    let console = ConsoleContext::get();
    let shown = {
        let rfc3339 = rfc3339.clone();
        move || crate::web::format_time(&rfc3339, console.lang.get().code())
    };
    view! { <time datetime=rfc3339>{shown}</time> }
}

/// What a list screen is showing.
#[derive(Clone, Debug, PartialEq)]
pub enum Loaded<T> {
    Loading,
    Ready(T),
    Failed(ApiProblem),
}
