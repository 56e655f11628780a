//! One comment of a queue: what it answers, who wrote it (name, email, site, how many of theirs
//! were approved before), when, its text; its checkbox and actions; editing with the earlier
//! versions. Everything from the server is text, never HTML.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{problem_notice, time_view, ConsoleContext, Loaded};
use crate::i18n::{fill, Phrase};
use crate::model::{author_link, ModerationAction, ModeratedComment, OneComment, ApiProblem, Queue};

/// What a card reports to its queue.
#[derive(Clone, Copy)]
pub struct CardEvents {
    pub toggle: Callback<String>,
    pub act: Callback<(ModerationAction, Vec<String>)>,
    pub focused: Callback<usize>,
    /// The text was edited: the queue reloads.
    pub edited: Callback<()>,
}

pub fn element_id(comment_id: &str) -> String {
    format!("comment-{comment_id}")
}

#[component]
pub fn CommentCard(
    comment: ModeratedComment,
    index: usize,
    queue: Queue,
    #[prop(into)] selected: Signal<bool>,
    #[prop(into)] focused: Signal<bool>,
    events: CardEvents,
) -> impl IntoView {
    let console = ConsoleContext::get();
    let id = comment.id.clone();
    let title_id = format!("{}-title", element_id(&id));
    let editing = RwSignal::new(false);
    let author = comment.author.clone();
    let headline = comment.article.headline.clone().unwrap_or_else(|| comment.article.id.clone());
    let parent_text = comment.parent.as_ref().map(|_| comment.parent_text.clone().unwrap_or_default());
    let approved_before = comment.approved_before;
    let erased = comment.erased;
    let site = author.url.clone().filter(|url| !url.is_empty()).map(|url| match author_link(&url) {
        Some(href) => view! { <a href=href rel="noopener noreferrer nofollow ugc" target="_blank">{url}</a> }.into_any(),
        None => view! { <span>{url}</span> }.into_any(),
    });
    let check_id = format!("{}-check", element_id(&id));
    let toggle_id = id.clone();
    let author_name = author.name.clone();
    let edit_id = id.clone();
    let heading_id = title_id.clone();
    view! {
        <article
            id=element_id(&id)
            class="comment"
            class:is-focused=move || focused.get()
            class:is-selected=move || selected.get()
            tabindex="-1"
            aria-labelledby=title_id.clone()
            on:focusin=move |_| events.focused.run(index)
        >
            <div class="comment__head">
                <input
                    id=check_id.clone()
                    type="checkbox"
                    class="comment__check"
                    prop:checked=move || selected.get()
                    on:change=move |_| events.toggle.run(toggle_id.clone())
                />
                <label for=check_id class="visually-hidden">
                    {move || fill(console.lang.get(), Phrase::SelectComment, &[("name", &author_name)])}
                </label>
                <h3 id=heading_id class="comment__title">
                    {author.name.clone()}" "
                    <span class="comment__article">{move || console.t(Phrase::OnArticle)}" "{headline.clone()}</span>
                </h3>
            </div>
            <dl class="comment__meta">
                <div><dt>{move || console.t(Phrase::FieldEmail)}</dt><dd>{author.email.clone().unwrap_or_default()}</dd></div>
                {site.map(|site| view! { <div><dt>{move || console.t(Phrase::FieldSite)}</dt><dd>{site}</dd></div> })}
                <div><dt>{move || console.t(Phrase::FieldTime)}</dt><dd>{time_view(comment.created.clone())}</dd></div>
                {approved_before.map(|count| view! {
                    <div>
                        <dt>{move || console.t(Phrase::FieldApprovedBefore)}</dt>
                        <dd class="comment__approved-before">{count}</dd>
                    </div>
                })}
            </dl>
            {parent_text.map(|parent| view! {
                <blockquote class="comment__parent">
                    <p class="comment__parent-label">{move || console.t(Phrase::InReplyTo)}</p>
                    <p class="comment__text">{parent}</p>
                </blockquote>
            })}
            {move || if editing.get() {
                view! { <Editor id=edit_id.clone() text=comment.text.clone() editing=editing edited=events.edited/> }.into_any()
            } else if erased {
                view! { <p class="comment__text comment__text--erased">{move || console.t(Phrase::ErasedText)}</p> }.into_any()
            } else {
                view! { <p class="comment__text">{comment.text.clone()}</p> }.into_any()
            }}
            <div class="comment__actions">
                {queue
                    .actions()
                    .iter()
                    .filter(|action| !(erased && **action == ModerationAction::Restore))
                    .map(|&action| {
                        let ids = vec![id.clone()];
                        view! {
                            <button type="button" class=format!("action action--{}", action.api_name()) on:click=move |_| events.act.run((action, ids.clone()))>
                                {move || console.t(action.phrase())}
                            </button>
                        }
                    })
                    .collect_view()}
                {(!erased).then(|| view! {
                    <button type="button" class="action" aria-expanded=move || editing.get().to_string() on:click=move |_| editing.update(|open| *open = !*open)>
                        {move || console.t(Phrase::ActionEdit)}
                    </button>
                })}
            </div>
        </article>
    }
}

/// The text in a field, and the comment's earlier versions below it.
#[component]
fn Editor(id: String, text: String, editing: RwSignal<bool>, edited: Callback<()>) -> impl IntoView {
    let console = ConsoleContext::get();
    let draft = RwSignal::new(text);
    let history = RwSignal::new(Loaded::Loading);
    let saving = RwSignal::new(None::<ApiProblem>);
    let path = format!("/admin/api/comments/{id}");
    let load = {
        let path = path.clone();
        move || {
            history.set(Loaded::Loading);
            let path = path.clone();
            let api = console.api;
            spawn_local(async move {
                let loaded = match api.get::<OneComment>(&path).await {
                    Ok(one) => Loaded::Ready(one.comment.versions),
                    Err(problem) => Loaded::Failed(problem),
                };
                history.try_set(loaded);
            });
        }
    };
    load();
    let field_id = format!("{}-edit", super::comment::element_id(&id));
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let api = console.api;
        let path = path.clone();
        let text = draft.get_untracked();
        spawn_local(async move {
            match api.send::<serde_json::Value>("PATCH", &path, serde_json::json!({ "text": text })).await {
                Ok(_) => {
                    console.announce(console.t(Phrase::DoneEdit).to_string());
                    editing.try_set(false);
                    edited.run(());
                }
                Err(problem) => {
                    saving.try_set(Some(problem));
                }
            }
        });
    };
    let retry = Callback::new(move |()| load());
    view! {
        <form class="editor" on:submit=save>
            <label for=field_id.clone()>{move || console.t(Phrase::EditLabel)}</label>
            <textarea id=field_id rows="4" prop:value=move || draft.get() on:input=move |event| draft.set(event_target_value(&event))></textarea>
            {move || saving.get().map(|problem| view! { <p class="problem" role="alert">{problem.message(console.lang.get())}</p> })}
            <div class="editor__buttons">
                <button type="submit" class="primary">{move || console.t(Phrase::ActionSave)}</button>
                <button type="button" on:click=move |_| editing.set(false)>{move || console.t(Phrase::ActionCancel)}</button>
            </div>
            <section class="history">
                <h4>{move || console.t(Phrase::HistoryTitle)}</h4>
                {move || match history.get() {
                    Loaded::Loading => view! { <p>{move || console.t(Phrase::Loading)}</p> }.into_any(),
                    Loaded::Failed(problem) => problem_notice(problem, retry).into_any(),
                    Loaded::Ready(versions) if versions.is_empty() => view! { <p>{move || console.t(Phrase::HistoryEmpty)}</p> }.into_any(),
                    Loaded::Ready(versions) => view! {
                        <ol class="history__list">
                            {versions.into_iter().map(|version| {
                                let by = version.replaced_by.clone().unwrap_or_default();
                                view! {
                                    <li>
                                        <p class="comment__text">{version.text}</p>
                                        <p class="history__when">
                                            {move || fill(console.lang.get(), Phrase::HistoryReplaced, &[("name", &by)])}" "
                                            {time_view(version.replaced)}
                                        </p>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                }}
            </section>
        </form>
    }
}
