//! The sign-in screen: a name and a password; a wrong one of the two, or too many tries (with the
//! wait), said without saying which.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::ConsoleContext;
use crate::i18n::Phrase;
use crate::model::ApiProblem;

#[component]
pub fn SignIn() -> impl IntoView {
    let console = ConsoleContext::get();
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<ApiProblem>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        let api = console.api;
        let (given_name, given_password) = (name.get_untracked(), password.get_untracked());
        spawn_local(async move {
            let outcome = api.sign_in(&given_name, &given_password).await;
            busy.try_set(false);
            match outcome {
                Ok(session) => {
                    password.try_set(String::new());
                    api.session.try_set(Some(session));
                    // The form is gone: focus goes to what replaced it, not to the page's top.
                    crate::web::focus_when_rendered(String::from("queue-title"));
                }
                Err(failure) => {
                    problem.try_set(Some(failure));
                }
            }
        });
    };
    view! {
        <main id="main" class="sign-in">
            <h1>{move || console.t(Phrase::ConsoleTitle)}</h1>
            <form class="sign-in__form" on:submit=submit>
                <h2>{move || console.t(Phrase::SignInTitle)}</h2>
                <label for="sign-in-name">{move || console.t(Phrase::SignInName)}</label>
                <input
                    id="sign-in-name"
                    type="text"
                    autocomplete="username"
                    required
                    prop:value=move || name.get()
                    on:input=move |event| name.set(event_target_value(&event))
                />
                <label for="sign-in-password">{move || console.t(Phrase::SignInPassword)}</label>
                <input
                    id="sign-in-password"
                    type="password"
                    autocomplete="current-password"
                    required
                    prop:value=move || password.get()
                    on:input=move |event| password.set(event_target_value(&event))
                />
                <div role="alert" class="sign-in__problem">
                    {move || problem.get().map(|problem| view! { <p class="problem">{problem.message(console.lang.get())}</p> })}
                </div>
                <button type="submit" class="primary" prop:disabled=move || busy.get()>
                    {move || console.t(Phrase::SignInSubmit)}
                </button>
            </form>
        </main>
    }
}
