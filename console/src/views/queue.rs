//! The moderation queues: pending, approved, spam and deleted with their counts, newest first;
//! by article and by search; a page at a time; actions on one comment, on a selection, or from
//! the keyboard (j/k to move, a/s/d to act on the focused comment).

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::comment::{element_id, CardEvents, CommentCard};
use super::{problem_notice, ConsoleContext, Loaded};
use crate::i18n::{fill, Phrase};
use crate::model::{
    focus_after_reload, move_focus, shortcut, ModerationAction, ArticleInfo, Changed, Counts, Items, ModeratedComment, ApiProblem, Queue, QueueFilter,
    QueuePage, Selection, Shortcut,
};
use crate::web;

#[component]
pub fn QueueScreen() -> impl IntoView {
    let console = ConsoleContext::get();
    let filter = RwSignal::new(QueueFilter { page: 1, ..QueueFilter::default() });
    let loaded = RwSignal::new(Loaded::<QueuePage>::Loading);
    let counts = RwSignal::new(None::<Counts>);
    let articles = RwSignal::new(Vec::<ArticleInfo>::new());
    let selection = RwSignal::new(Selection::default());
    let focused = RwSignal::new(None::<usize>);
    let search_draft = RwSignal::new(String::new());
    // An action the server refused or never answered, to say so and offer to try it again.
    let failed_action = RwSignal::new(None::<(ApiProblem, ModerationAction, Vec<String>)>);
    // Each load gets a number; an answer that arrives after a newer load started is dropped.
    let latest = StoredValue::new(0u64);

    let load = move |refocus: bool| {
        latest.update_value(|n| *n += 1);
        let this = latest.get_value();
        let path = filter.get_untracked().path();
        let api = console.api;
        if !refocus {
            loaded.set(Loaded::Loading);
        }
        spawn_local(async move {
            let outcome = api.get::<QueuePage>(&path).await;
            if latest.try_get_value() != Some(this) {
                return;
            }
            match outcome {
                Ok(page) if page.items.is_empty() && page.page > 1 => {
                    // The last comments of this page were just moderated away: the one before.
                    counts.try_set(Some(page.counts));
                    filter.try_update(|filter| filter.page -= 1);
                }
                Ok(page) => {
                    counts.try_set(Some(page.counts));
                    selection.try_update(|selection| selection.keep_only(page.items.iter().map(|item| item.id.as_str())));
                    let next_focus = if refocus { focus_after_reload(focused.get_untracked(), page.items.len()) } else { None };
                    focused.try_set(next_focus);
                    if let Some(index) = next_focus {
                        web::focus_when_rendered(element_id(&page.items[index].id));
                    }
                    loaded.try_set(Loaded::Ready(page));
                }
                Err(problem) => {
                    loaded.try_set(Loaded::Failed(problem));
                }
            }
        });
    };
    Effect::new(move |_| {
        filter.track();
        load(false);
    });
    {
        let api = console.api;
        spawn_local(async move {
            if let Ok(list) = api.get::<Items<ArticleInfo>>("/admin/api/articles").await {
                articles.try_set(list.items);
            }
        });
    }

    let act = Callback::new(move |(action, ids): (ModerationAction, Vec<String>)| {
        if ids.is_empty() {
            return;
        }
        let api = console.api;
        failed_action.set(None);
        spawn_local(async move {
            let body = serde_json::json!({ "action": action.api_name(), "ids": ids.clone() });
            match api.send::<Changed>("POST", "/admin/api/comments/actions", body).await {
                Ok(changed) => {
                    let lang = console.lang.get_untracked();
                    console.announce(fill(lang, action.done_phrase(), &[("count", &changed.changed.len().to_string())]));
                    load(true);
                }
                Err(problem) => {
                    failed_action.try_set(Some((problem, action, ids)));
                }
            }
        });
    });
    let retry_action = Callback::new(move |()| {
        if let Some((_, action, ids)) = failed_action.get_untracked() {
            act.run((action, ids));
        }
    });

    let shown_ids = move || loaded.with(|loaded| match loaded {
        Loaded::Ready(page) => page.items.iter().map(|item| item.id.clone()).collect::<Vec<_>>(),
        _ => Vec::new(),
    });

    // The keyboard: j/k move between comments, a/s/d act on the focused one.
    let keys = window_event_listener(leptos::ev::keydown, move |event| {
        let modifiers = event.ctrl_key() || event.alt_key() || event.meta_key();
        let Some(key) = shortcut(&event.key(), modifiers, web::is_typing(event.target())) else { return };
        let ids = shown_ids();
        match key {
            Shortcut::Next | Shortcut::Previous => {
                event.prevent_default();
                if let Some(index) = move_focus(focused.get_untracked(), ids.len(), key == Shortcut::Next) {
                    focused.set(Some(index));
                    web::focus_when_rendered(element_id(&ids[index]));
                }
            }
            Shortcut::Act(action) => {
                let queue = filter.get_untracked().queue;
                let target = focused.get_untracked().and_then(|index| ids.get(index).cloned());
                if let Some(id) = target.filter(|_| queue.actions().contains(&action)) {
                    event.prevent_default();
                    act.run((action, vec![id]));
                }
            }
        }
    });
    on_cleanup(move || keys.remove());

    let events = CardEvents {
        toggle: Callback::new(move |id: String| selection.update(|selection| selection.toggle(&id))),
        act,
        focused: Callback::new(move |index| focused.set(Some(index))),
        edited: Callback::new(move |()| load(true)),
    };
    let retry = Callback::new(move |()| load(false));

    view! {
        <section class="queue" aria-labelledby="queue-title">
            <h2 id="queue-title" tabindex="-1">{move || console.t(Phrase::ScreenComments)}</h2>
            {queue_tabs(filter, counts)}
            {filters(filter, articles, search_draft)}
            <p class="help" id="shortcuts-help">{move || console.t(Phrase::ShortcutsHelp)}</p>
            {move || failed_action.get().map(|(problem, _, _)| problem_notice(problem, retry_action))}
            {move || match loaded.get() {
                Loaded::Loading => view! { <p class="loading">{move || console.t(Phrase::Loading)}</p> }.into_any(),
                Loaded::Failed(problem) => problem_notice(problem, retry).into_any(),
                Loaded::Ready(page) => page_view(page, filter, selection, focused, events).into_any(),
            }}
        </section>
    }
}

fn queue_tabs(filter: RwSignal<QueueFilter>, counts: RwSignal<Option<Counts>>) -> impl IntoView {
    let console = ConsoleContext::get();
    view! {
        <div class="queues" role="group" aria-label=move || console.t(Phrase::QueuesLabel)>
            {Queue::ALL
                .iter()
                .map(|&queue| {
                    view! {
                        <button
                            type="button"
                            class="queue-tab"
                            aria-pressed=move || (filter.with(|filter| filter.queue) == queue).to_string()
                            on:click=move |_| filter.update(|filter| *filter = filter.with_queue(queue))
                        >
                            {move || console.t(queue.phrase())}
                            " "
                            <span class="count">{move || counts.get().map(|counts| format!("({})", counts.of(queue)))}</span>
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

fn filters(filter: RwSignal<QueueFilter>, articles: RwSignal<Vec<ArticleInfo>>, search_draft: RwSignal<String>) -> impl IntoView {
    let console = ConsoleContext::get();
    let search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = search_draft.get_untracked();
        filter.update(|filter| {
            filter.search = text;
            filter.page = 1;
        });
    };
    view! {
        <form class="filters" role="search" on:submit=search>
            <div class="field">
                <label for="filter-article">{move || console.t(Phrase::FilterArticle)}</label>
                <select
                    id="filter-article"
                    on:change=move |event| {
                        let article = event_target_value(&event);
                        filter.update(|filter| {
                            filter.article = article;
                            filter.page = 1;
                        });
                    }
                >
                    <option value="" selected=move || filter.with(|filter| filter.article.is_empty())>
                        {move || console.t(Phrase::FilterAllArticles)}
                    </option>
                    {move || articles
                        .get()
                        .into_iter()
                        .map(|article| {
                            let id = article.id.clone();
                            let label = article.headline.clone().unwrap_or_else(|| article.id.clone());
                            view! { <option value=article.id selected=move || filter.with(|filter| filter.article == id)>{label}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-search">{move || console.t(Phrase::FilterSearch)}</label>
                <input
                    id="filter-search"
                    type="search"
                    prop:value=move || search_draft.get()
                    on:input=move |event| search_draft.set(event_target_value(&event))
                />
            </div>
            <button type="submit">{move || console.t(Phrase::ActionSearch)}</button>
        </form>
    }
}

fn page_view(
    page: QueuePage,
    filter: RwSignal<QueueFilter>,
    selection: RwSignal<Selection>,
    focused: RwSignal<Option<usize>>,
    events: CardEvents,
) -> impl IntoView {
    let console = ConsoleContext::get();
    let queue = filter.get_untracked().queue;
    let ids: Vec<String> = page.items.iter().map(|item| item.id.clone()).collect();
    let all_ids = StoredValue::new(ids);
    let bulk = move |action: ModerationAction| {
        let ids = selection.get_untracked().ids();
        events.act.run((action, ids));
    };
    let (number, more) = (page.page, page.more);
    let items: Vec<ModeratedComment> = page.items;
    if items.is_empty() {
        return view! { <p class="empty">{move || console.t(Phrase::QueueEmpty)}</p> }.into_any();
    }
    view! {
        <div class="bulk" role="group" aria-label=move || console.t(Phrase::BulkLabel)>
            <label class="bulk__all">
                <input
                    type="checkbox"
                    prop:checked=move || all_ids.with_value(|ids| selection.with(|selection| selection.all_of(ids.iter().map(String::as_str))))
                    on:change=move |_| all_ids.with_value(|ids| selection.update(|selection| selection.toggle_all(ids.iter().map(String::as_str))))
                />
                {move || console.t(Phrase::SelectAll)}
            </label>
            <span class="bulk__count">{move || fill(console.lang.get(), Phrase::SelectedCount, &[("count", &selection.with(Selection::len).to_string())])}</span>
            {queue
                .actions()
                .iter()
                .map(|&action| view! {
                    <button type="button" prop:disabled=move || selection.with(Selection::is_empty) on:click=move |_| bulk(action)>
                        {move || fill(console.lang.get(), Phrase::ActOnSelection, &[("action", crate::i18n::text(console.lang.get(), action.phrase()))])}
                    </button>
                })
                .collect_view()}
        </div>
        <ol class="comments" aria-describedby="shortcuts-help">
            {items
                .into_iter()
                .enumerate()
                .map(|(index, comment)| {
                    let id = comment.id.clone();
                    view! {
                        <li>
                            <CommentCard
                                comment=comment
                                index=index
                                queue=queue
                                selected=Signal::derive(move || selection.with(|selection| selection.contains(&id)))
                                focused=Signal::derive(move || focused.get() == Some(index))
                                events=events
                            />
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        <nav class="pages" aria-label=move || console.t(Phrase::PagesLabel)>
            <button type="button" prop:disabled=number <= 1 on:click=move |_| filter.update(|filter| filter.page = filter.page.saturating_sub(1).max(1))>
                {move || console.t(Phrase::PagePrevious)}
            </button>
            <span>{move || fill(console.lang.get(), Phrase::PageNumber, &[("page", &number.to_string())])}</span>
            <button type="button" prop:disabled=!more on:click=move |_| filter.update(|filter| filter.page += 1)>
                {move || console.t(Phrase::PageNext)}
            </button>
        </nav>
    }
    .into_any()
}

