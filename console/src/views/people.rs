//! The admins' screens: the audit trail, the accounts, and readers' data requests (export and
//! erase by email).

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{problem_notice, time_view, ConsoleContext, Loaded};
use crate::i18n::{fill, Phrase};
use crate::model::{encode_component, export_file_name, Account, AuditLine, Erased, Items, ApiProblem};
use crate::web;

#[component]
pub fn Audit() -> impl IntoView {
    let console = ConsoleContext::get();
    let loaded = RwSignal::new(Loaded::<Vec<AuditLine>>::Loading);
    let load = move || {
        let api = console.api;
        spawn_local(async move {
            let outcome = api.get::<Items<AuditLine>>("/admin/api/audit").await;
            loaded.try_set(match outcome {
                Ok(list) => Loaded::Ready(list.items),
                Err(problem) => Loaded::Failed(problem),
            });
        });
    };
    load();
    let retry = Callback::new(move |()| load());
    view! {
        <section aria-labelledby="audit-title">
            <h2 id="audit-title">{move || console.t(Phrase::ScreenAudit)}</h2>
            {move || match loaded.get() {
                Loaded::Loading => view! { <p class="loading">{move || console.t(Phrase::Loading)}</p> }.into_any(),
                Loaded::Failed(problem) => problem_notice(problem, retry).into_any(),
                Loaded::Ready(items) => view! {
                    <div class="table-scroll" tabindex="0">
                        <table class="audit">
                            <thead>
                                <tr>
                                    <th scope="col">{move || console.t(Phrase::AuditWhen)}</th>
                                    <th scope="col">{move || console.t(Phrase::AuditWho)}</th>
                                    <th scope="col">{move || console.t(Phrase::AuditWhat)}</th>
                                    <th scope="col">{move || console.t(Phrase::AuditComment)}</th>
                                    <th scope="col">{move || console.t(Phrase::AuditDetail)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {items.into_iter().map(|entry| view! {
                                    <tr>
                                        <td>{time_view(entry.at)}</td>
                                        <td>{entry.actor}</td>
                                        <td>{entry.action}</td>
                                        <td>{entry.comment.map(|id| format!("#{id}"))}</td>
                                        <td>{entry.detail}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
pub fn Users() -> impl IntoView {
    let console = ConsoleContext::get();
    let loaded = RwSignal::new(Loaded::<Vec<Account>>::Loading);
    let (name, role, password) = (RwSignal::new(String::new()), RwSignal::new(String::from("moderator")), RwSignal::new(String::new()));
    let problem = RwSignal::new(None::<ApiProblem>);
    let load = move || {
        let api = console.api;
        spawn_local(async move {
            let outcome = api.get::<Items<Account>>("/admin/api/users").await;
            loaded.try_set(match outcome {
                Ok(list) => Loaded::Ready(list.items),
                Err(problem) => Loaded::Failed(problem),
            });
        });
    };
    load();
    let report = move |outcome: Result<serde_json::Value, ApiProblem>, done: String| match outcome {
        Ok(_) => {
            console.announce(done);
            problem.try_set(None);
            load();
            true
        }
        Err(failure) => {
            console.announce(failure.message(console.lang.get_untracked()));
            problem.try_set(Some(failure));
            false
        }
    };
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let api = console.api;
        let (new_name, new_role, new_password) = (name.get_untracked().trim().to_string(), role.get_untracked(), password.get_untracked());
        spawn_local(async move {
            let body = serde_json::json!({ "name": new_name, "role": new_role, "password": new_password });
            let outcome = api.send("POST", "/admin/api/users", body).await;
            if report(outcome, fill(console.lang.get_untracked(), Phrase::DoneUserAdd, &[("name", &new_name)])) {
                name.try_set(String::new());
                password.try_set(String::new());
            }
        });
    };
    let remove = move |who: String| {
        let api = console.api;
        spawn_local(async move {
            let outcome = api.send("DELETE", &format!("/admin/api/users/{}", encode_component(&who)), serde_json::json!({})).await;
            report(outcome, fill(console.lang.get_untracked(), Phrase::DoneUserRemove, &[("name", &who)]));
        });
    };
    let myself = console.api.session.with_untracked(|session| session.as_ref().map(|session| session.user.name.clone()));
    let retry = Callback::new(move |()| load());
    view! {
        <section aria-labelledby="users-title">
            <h2 id="users-title">{move || console.t(Phrase::ScreenUsers)}</h2>
            {move || match loaded.get() {
                Loaded::Loading => view! { <p class="loading">{move || console.t(Phrase::Loading)}</p> }.into_any(),
                Loaded::Failed(problem) => problem_notice(problem, retry).into_any(),
                Loaded::Ready(items) => view! {
                    <ul class="rows">
                        {items.into_iter().map(|account| {
                            let who = account.name.clone();
                            let label = account.name.clone();
                            let is_me = myself.as_deref() == Some(account.name.as_str());
                            view! {
                                <li class="row">
                                    <span class="row__main">{account.name.clone()}</span>
                                    <span class="row__detail">{move || console.t(account.role.phrase())}" · "{time_view(account.created.clone())}</span>
                                    {(!is_me).then(|| view! {
                                        <button type="button" on:click=move |_| remove(who.clone())>
                                            {move || fill(console.lang.get(), Phrase::ActionRemoveUser, &[("name", &label)])}
                                        </button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <h3>{move || console.t(Phrase::UserAddTitle)}</h3>
            <form class="inline-form" on:submit=add>
                <div class="field">
                    <label for="user-name">{move || console.t(Phrase::SignInName)}</label>
                    <input id="user-name" type="text" required autocomplete="off" prop:value=move || name.get() on:input=move |event| name.set(event_target_value(&event))/>
                </div>
                <div class="field">
                    <label for="user-role">{move || console.t(Phrase::UserRole)}</label>
                    <select id="user-role" on:change=move |event| role.set(event_target_value(&event))>
                        <option value="moderator">{move || console.t(Phrase::RoleModerator)}</option>
                        <option value="admin">{move || console.t(Phrase::RoleAdmin)}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="user-password">{move || console.t(Phrase::SignInPassword)}</label>
                    <input id="user-password" type="password" required minlength="12" autocomplete="new-password" aria-describedby="user-password-help"
                        prop:value=move || password.get() on:input=move |event| password.set(event_target_value(&event))/>
                    <p class="help" id="user-password-help">{move || console.t(Phrase::UserPasswordHelp)}</p>
                </div>
                <button type="submit">{move || console.t(Phrase::ActionAddUser)}</button>
            </form>
            {move || problem.get().map(|problem| view! { <p class="problem" role="alert">{problem.message(console.lang.get())}</p> })}
        </section>
    }
}

/// What the erase button is at: asked once, then confirmed.
#[derive(Clone, Copy, PartialEq)]
enum EraseStep {
    Idle,
    Confirming,
}

#[component]
pub fn Readers() -> impl IntoView {
    let console = ConsoleContext::get();
    let email = RwSignal::new(String::new());
    let step = RwSignal::new(EraseStep::Idle);
    let problem = RwSignal::new(None::<ApiProblem>);
    let outcome_text = RwSignal::new(String::new());
    let fail = move |failure: ApiProblem| {
        console.announce(failure.message(console.lang.get_untracked()));
        problem.try_set(Some(failure));
    };
    let export = move |_| {
        let api = console.api;
        let address = email.get_untracked().trim().to_string();
        problem.set(None);
        spawn_local(async move {
            match api.send::<serde_json::Value>("POST", "/admin/api/readers/export", serde_json::json!({ "email": address })).await {
                Ok(json) => {
                    let count = json["comments"].as_array().map_or(0, Vec::len);
                    let pretty = serde_json::to_string_pretty(&json).unwrap_or_default();
                    let lang = console.lang.get_untracked();
                    let done = if web::download_json(&pretty, &export_file_name(&address)) { Phrase::DoneExport } else { Phrase::ErrorDownload };
                    let said = fill(lang, done, &[("count", &count.to_string())]);
                    outcome_text.try_set(said.clone());
                    console.announce(said);
                }
                Err(failure) => fail(failure),
            }
        });
    };
    let erase = move |_| {
        if step.get_untracked() == EraseStep::Idle {
            step.set(EraseStep::Confirming);
            return;
        }
        step.set(EraseStep::Idle);
        let api = console.api;
        let address = email.get_untracked().trim().to_string();
        problem.set(None);
        spawn_local(async move {
            match api.send::<Erased>("POST", "/admin/api/readers/erase", serde_json::json!({ "email": address })).await {
                Ok(erased) => {
                    let said = fill(console.lang.get_untracked(), Phrase::DoneErase, &[("count", &erased.erased.len().to_string())]);
                    outcome_text.try_set(said.clone());
                    console.announce(said);
                }
                Err(failure) => fail(failure),
            }
        });
    };
    let has_email = move || email.with(|email| email.contains('@'));
    view! {
        <section aria-labelledby="readers-title">
            <h2 id="readers-title">{move || console.t(Phrase::ScreenReaders)}</h2>
            <p class="help">{move || console.t(Phrase::ReadersHelp)}</p>
            <form class="inline-form" on:submit=|event: leptos::ev::SubmitEvent| event.prevent_default()>
                <div class="field">
                    <label for="reader-email">{move || console.t(Phrase::ReaderEmail)}</label>
                    <input id="reader-email" type="email" autocomplete="off" prop:value=move || email.get()
                        on:input=move |event| {
                            email.set(event_target_value(&event));
                            step.set(EraseStep::Idle);
                        }/>
                </div>
                <button type="button" prop:disabled=move || !has_email() on:click=export>{move || console.t(Phrase::ActionExport)}</button>
                <button type="button" class="danger" prop:disabled=move || !has_email() on:click=erase>
                    {move || console.t(if step.get() == EraseStep::Confirming { Phrase::ActionEraseConfirm } else { Phrase::ActionErase })}
                </button>
            </form>
            {move || (step.get() == EraseStep::Confirming).then(|| view! {
                <p class="warning" role="alert">{move || fill(console.lang.get(), Phrase::EraseWarning, &[("email", &email.get())])}</p>
                <button type="button" on:click=move |_| step.set(EraseStep::Idle)>{move || console.t(Phrase::ActionCancel)}</button>
            })}
            {move || problem.get().map(|problem| view! { <p class="problem" role="alert">{problem.message(console.lang.get())}</p> })}
            <p class="outcome">{move || outcome_text.get()}</p>
        </section>
    }
}
