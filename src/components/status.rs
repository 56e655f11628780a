//! What a widget shows when it has no article to show: a skeleton while loading, an error with
//! its reasons and a retry button otherwise.

use leptos::prelude::*;

use crate::i18n::{Key, Lang};

/// Grey bars with the shape of an article, so the page does not jump when the article arrives.
pub fn skeleton() -> AnyView {
    view! {
        <div class="kq-skeleton" aria-hidden="true">
            <div class="kq-skeleton__bar kq-skeleton__bar--section"></div>
            <div class="kq-skeleton__bar kq-skeleton__bar--headline"></div>
            <div class="kq-skeleton__bar kq-skeleton__bar--headline kq-skeleton__bar--short"></div>
            <div class="kq-skeleton__bar kq-skeleton__bar--meta"></div>
            <div class="kq-skeleton__image"></div>
            <div class="kq-skeleton__bar"></div>
            <div class="kq-skeleton__bar"></div>
            <div class="kq-skeleton__bar kq-skeleton__bar--short"></div>
        </div>
    }
    .into_any()
}

/// A failure as the reader sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub title: Key,
    pub hint: Key,
    /// The precise reasons, in the reader's language, behind a disclosure.
    pub reasons: Vec<String>,
}

pub fn error_notice(problem: &Problem, lang: Lang, on_retry: Callback<()>) -> AnyView {
    view! {
        <div class="kq-error" role="alert">
            <p class="kq-error__title">{lang.text(problem.title)}</p>
            <p class="kq-error__hint">{lang.text(problem.hint)}</p>
            <details class="kq-error__details">
                <summary>{lang.text(Key::ActionDetails)}</summary>
                <ul class="kq-error__reasons">
                    {problem.reasons.iter().map(|reason| view! { <li>{reason.clone()}</li> }).collect_view()}
                </ul>
            </details>
            <button type="button" class="kq-button kq-retry" on:click=move |_| on_retry.run(())>
                {lang.text(Key::ActionRetry)}
            </button>
        </div>
    }
    .into_any()
}
