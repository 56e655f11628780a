//! Banned email addresses and sites: new comments from them go to spam.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{problem_notice, time_view, ConsoleContext, Loaded};
use crate::i18n::{fill, Phrase};
use crate::model::{ListedBan, Items};

#[component]
pub fn Bans() -> impl IntoView {
    let console = ConsoleContext::get();
    let loaded = RwSignal::new(Loaded::<Vec<ListedBan>>::Loading);
    let kind = RwSignal::new(String::from("email"));
    let value = RwSignal::new(String::new());
    let problem = RwSignal::new(None);
    let load = move || {
        let api = console.api;
        spawn_local(async move {
            let outcome = api.get::<Items<ListedBan>>("/admin/api/bans").await;
            loaded.try_set(match outcome {
                Ok(list) => Loaded::Ready(list.items),
                Err(problem) => Loaded::Failed(problem),
            });
        });
    };
    load();
    let change = move |method: &'static str, ban_kind: String, ban_value: String| {
        let api = console.api;
        spawn_local(async move {
            let body = serde_json::json!({ "kind": ban_kind, "value": ban_value });
            match api.send::<serde_json::Value>(method, "/admin/api/bans", body).await {
                Ok(_) => {
                    let done = if method == "POST" { Phrase::DoneBan } else { Phrase::DoneUnban };
                    console.announce(fill(console.lang.get_untracked(), done, &[("value", &ban_value)]));
                    problem.try_set(None);
                    if method == "POST" {
                        value.try_set(String::new());
                    }
                    load();
                }
                Err(failure) => {
                    console.announce(failure.message(console.lang.get_untracked()));
                    problem.try_set(Some(failure));
                }
            }
        });
    };
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        change("POST", kind.get_untracked(), value.get_untracked().trim().to_string());
    };
    let retry = Callback::new(move |()| load());
    view! {
        <section aria-labelledby="bans-title">
            <h2 id="bans-title">{move || console.t(Phrase::ScreenBans)}</h2>
            <p class="help">{move || console.t(Phrase::BansHelp)}</p>
            <form class="inline-form" on:submit=add>
                <div class="field">
                    <label for="ban-kind">{move || console.t(Phrase::BanKind)}</label>
                    <select id="ban-kind" on:change=move |event| kind.set(event_target_value(&event))>
                        <option value="email">{move || console.t(Phrase::BanKindEmail)}</option>
                        <option value="url">{move || console.t(Phrase::BanKindUrl)}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="ban-value">{move || console.t(Phrase::BanValue)}</label>
                    <input id="ban-value" type="text" required prop:value=move || value.get() on:input=move |event| value.set(event_target_value(&event))/>
                </div>
                <button type="submit">{move || console.t(Phrase::ActionBan)}</button>
            </form>
            {move || problem.get().map(|problem: crate::model::ApiProblem| view! { <p class="problem" role="alert">{problem.message(console.lang.get())}</p> })}
            {move || match loaded.get() {
                Loaded::Loading => view! { <p class="loading">{move || console.t(Phrase::Loading)}</p> }.into_any(),
                Loaded::Failed(problem) => problem_notice(problem, retry).into_any(),
                Loaded::Ready(items) if items.is_empty() => view! { <p class="empty">{move || console.t(Phrase::BansEmpty)}</p> }.into_any(),
                Loaded::Ready(items) => view! {
                    <ul class="rows">
                        {items.into_iter().map(|ban| {
                            let kind_phrase = if ban.kind == "url" { Phrase::BanKindUrl } else { Phrase::BanKindEmail };
                            let (kind, value) = (ban.kind.clone(), ban.value.clone());
                            let label = ban.value.clone();
                            view! {
                                <li class="row">
                                    <span class="row__main">{ban.value.clone()}</span>
                                    <span class="row__detail">{move || console.t(kind_phrase)}" · "{ban.by.clone().unwrap_or_default()}" · "{time_view(ban.created.clone())}</span>
                                    <button type="button" on:click=move |_| change("DELETE", kind.clone(), value.clone())>
                                        {move || fill(console.lang.get(), Phrase::ActionUnban, &[("value", &label)])}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
