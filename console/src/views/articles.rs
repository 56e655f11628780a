//! Per article: whether readers may comment, and closing or reopening it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{problem_notice, ConsoleContext, Loaded};
use crate::i18n::{fill, Phrase};
use crate::model::{encode_component, ArticleInfo, Items};

#[component]
pub fn Articles() -> impl IntoView {
    let console = ConsoleContext::get();
    let loaded = RwSignal::new(Loaded::<Vec<ArticleInfo>>::Loading);
    let load = move || {
        let api = console.api;
        spawn_local(async move {
            let outcome = api.get::<Items<ArticleInfo>>("/admin/api/articles").await;
            loaded.try_set(match outcome {
                Ok(list) => Loaded::Ready(list.items),
                Err(problem) => Loaded::Failed(problem),
            });
        });
    };
    load();
    let switch = move |id: String, headline: String, close: bool| {
        let api = console.api;
        spawn_local(async move {
            let path = format!("/admin/api/articles/{}/{}", encode_component(&id), if close { "close" } else { "reopen" });
            match api.send::<serde_json::Value>("POST", &path, serde_json::json!({})).await {
                Ok(_) => {
                    let done = if close { Phrase::DoneClose } else { Phrase::DoneReopen };
                    console.announce(fill(console.lang.get_untracked(), done, &[("article", &headline)]));
                    load();
                }
                Err(problem) => console.announce(problem.message(console.lang.get_untracked())),
            }
        });
    };
    let retry = Callback::new(move |()| load());
    view! {
        <section aria-labelledby="articles-title">
            <h2 id="articles-title">{move || console.t(Phrase::ScreenArticles)}</h2>
            {move || match loaded.get() {
                Loaded::Loading => view! { <p class="loading">{move || console.t(Phrase::Loading)}</p> }.into_any(),
                Loaded::Failed(problem) => problem_notice(problem, retry).into_any(),
                Loaded::Ready(items) => view! {
                    <ul class="rows">
                        {items.into_iter().map(|article| {
                            let headline = article.headline.clone().unwrap_or_else(|| article.id.clone());
                            let (id, name) = (article.id.clone(), headline.clone());
                            let open = article.open;
                            view! {
                                <li class="row">
                                    <span class="row__main">{headline.clone()}" "<span class="row__detail">"("{article.id.clone()}")"</span></span>
                                    <span class=if open { "state state--open" } else { "state state--closed" }>
                                        {move || console.t(if open { Phrase::ArticleOpen } else { Phrase::ArticleClosed })}
                                    </span>
                                    <button type="button" on:click=move |_| switch(id.clone(), name.clone(), open)>
                                        {move || fill(console.lang.get(), if open { Phrase::ActionCloseArticle } else { Phrase::ActionReopenArticle }, &[("article", &headline)])}
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
