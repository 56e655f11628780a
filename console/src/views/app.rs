//! The console's frame: the session check on start, the sign-in screen or the header (screens,
//! language, sign-out) and the screen chosen, and the live region.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::articles::Articles;
use super::bans::Bans;
use super::people::{Audit, Readers, Users};
use super::queue::QueueScreen;
use super::sign_in::SignIn;
use super::{problem_notice, ConsoleContext};
use crate::api::Api;
use crate::i18n::{choose_lang, text, Lang, Phrase};
use crate::model::{ApiProblem, AccountRole};
use crate::web;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Screen {
    Comments,
    Articles,
    Bans,
    Audit,
    Users,
    Readers,
}

impl Screen {
    fn phrase(self) -> Phrase {
        match self {
            Screen::Comments => Phrase::ScreenComments,
            Screen::Articles => Phrase::ScreenArticles,
            Screen::Bans => Phrase::ScreenBans,
            Screen::Audit => Phrase::ScreenAudit,
            Screen::Users => Phrase::ScreenUsers,
            Screen::Readers => Phrase::ScreenReaders,
        }
    }

    fn for_role(role: AccountRole) -> &'static [Screen] {
        match role {
            AccountRole::Moderator => &[Screen::Comments, Screen::Articles, Screen::Bans],
            AccountRole::Admin => &[Screen::Comments, Screen::Articles, Screen::Bans, Screen::Audit, Screen::Users, Screen::Readers],
        }
    }
}

/// Whether the page knows yet if someone is signed in.
#[derive(Clone, PartialEq)]
enum Start {
    Checking,
    Known,
    Failed(ApiProblem),
}

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(choose_lang(web::query_lang().as_deref(), &web::browser_languages()));
    let api = Api { session: RwSignal::new(None) };
    let console = ConsoleContext { lang, api, announcement: RwSignal::new(String::new()) };
    provide_context(console);
    let start = RwSignal::new(Start::Checking);
    let screen = RwSignal::new(Screen::Comments);

    // The page's own language and title follow the switcher (screen readers, axe).
    Effect::new(move |_| {
        let lang = lang.get();
        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            if let Some(html) = document.document_element() {
                let _ = html.set_attribute("lang", lang.code());
            }
            document.set_title(text(lang, Phrase::PageTitle));
        }
    });

    let check = move || {
        start.set(Start::Checking);
        spawn_local(async move {
            match api.current_session().await {
                Ok(session) => {
                    api.session.try_set(session);
                    start.try_set(Start::Known);
                }
                Err(problem) => {
                    start.try_set(Start::Failed(problem));
                }
            }
        });
    };
    check();

    view! {
        <p class="visually-hidden" role="status" aria-live="polite">{move || console.announcement.get()}</p>
        {move || match start.get() {
            Start::Checking => view! { <p class="loading">{move || console.t(Phrase::Loading)}</p> }.into_any(),
            Start::Failed(problem) => view! { <main>{problem_notice(problem, Callback::new(move |()| check()))}</main> }.into_any(),
            Start::Known => {
                view! {
                    {move || match api.session.get().map(|session| session.user) {
                        None => view! { <SignIn/> }.into_any(),
                        Some(user) => {
                            let screens = Screen::for_role(user.role);
                            if !screens.contains(&screen.get_untracked()) {
                                screen.set(Screen::Comments);
                            }
                            view! {
                                {header(user.name.clone(), user.role, screens, screen)}
                                <main id="main" class="main">
                                    {move || match screen.get() {
                                        Screen::Comments => view! { <QueueScreen/> }.into_any(),
                                        Screen::Articles => view! { <Articles/> }.into_any(),
                                        Screen::Bans => view! { <Bans/> }.into_any(),
                                        Screen::Audit => view! { <Audit/> }.into_any(),
                                        Screen::Users => view! { <Users/> }.into_any(),
                                        Screen::Readers => view! { <Readers/> }.into_any(),
                                    }}
                                </main>
                            }
                            .into_any()
                        }
                    }}
                }
                .into_any()
            }
        }}
    }
}

fn header(name: String, role: AccountRole, screens: &'static [Screen], screen: RwSignal<Screen>) -> impl IntoView {
    let console = ConsoleContext::get();
    let sign_out = move |_| {
        let api = console.api;
        spawn_local(async move {
            // Ended on the server; signed out here whatever it answers (a 401 already was).
            let _ = api.send::<serde_json::Value>("DELETE", "/admin/api/session", serde_json::json!({})).await;
            api.session.set(None);
            web::focus_when_rendered(String::from("sign-in-name"));
        });
    };
    let switch_lang = move |event: leptos::ev::Event| {
        let chosen = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .and_then(|select| Lang::from_tag(&select.value()));
        if let Some(chosen) = chosen {
            console.lang.set(chosen);
        }
    };
    view! {
        <header class="top">
            <h1 class="top__title">{move || console.t(Phrase::ConsoleTitle)}</h1>
            <p class="top__user">
                {name}" · "{move || console.t(role.phrase())}
            </p>
            <div class="top__tools">
                <label class="lang">
                    <span>{move || console.t(Phrase::LanguageLabel)}</span>
                    <select on:change=switch_lang prop:value=move || console.lang.get().code()>
                        <option value="fr">"Français"</option>
                        <option value="en">"English"</option>
                    </select>
                </label>
                <button type="button" class="sign-out" on:click=sign_out>{move || console.t(Phrase::SignOut)}</button>
            </div>
            <nav class="tabs" aria-label=move || console.t(Phrase::ScreensLabel)>
                {screens
                    .iter()
                    .map(|&each| {
                        view! {
                            <button
                                type="button"
                                class="tab"
                                aria-current=move || (screen.get() == each).then_some("page")
                                on:click=move |_| screen.set(each)
                            >
                                {move || console.t(each.phrase())}
                            </button>
                        }
                    })
                    .collect_view()}
            </nav>
        </header>
    }
}
