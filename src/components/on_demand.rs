//! Sections under the article whose code is a wasm part of its own in a release build (feature
//! `split`): the related news and the comments. Until a section's code is there, its placeholder
//! holds its place (the heading and a grey block, as the section itself starts); the code is
//! requested when the placeholder comes near the viewport, the same trigger that loads the
//! section's list, so a reader who never scrolls there never downloads it. A failed download
//! shows the section's error with Retry.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::SplitLoaderError;

use super::comments::{comment_section, CommentsSettings};
use super::paged::{retry_box, PRELOAD_MARGIN};
use super::related::{related_section, RelatedSettings};
use crate::i18n::Key;
use crate::model::comments::permalink_target;
use crate::model::Article;
use crate::web;

/// Where a section's code is, as its placeholder shows it.
#[derive(Clone, Copy, PartialEq)]
pub enum PartState {
    Waiting,
    Loading,
    Failed,
    Ready,
}

pub type BuiltSection = Pin<Box<dyn Future<Output = Result<AnyView, SplitLoaderError>>>>;

/// `placeholder` draws the section until its code is there: it must put `node` on its outermost
/// element (watched for the viewport) and may offer `retry` once the download has failed. `now`
/// requests the code at once (an address that names a comment).
pub fn on_demand(
    now: bool,
    build: impl Fn() -> BuiltSection + 'static,
    placeholder: impl Fn(PartState, NodeRef<leptos::html::Section>, Callback<()>) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    let state = RwSignal::new(PartState::Waiting);
    // The section the code built, taken once by the view below.
    let built = StoredValue::new_local(None::<AnyView>);
    let build = StoredValue::new_local(build);
    let load = Callback::new(move |()| {
        if matches!(state.get_untracked(), PartState::Loading | PartState::Ready) {
            return;
        }
        let Some(section) = build.try_with_value(|build| build()) else { return };
        state.set(PartState::Loading);
        spawn_local(async move {
            match section.await {
                Ok(section) => {
                    built.try_set_value(Some(section));
                    state.try_set(PartState::Ready);
                }
                Err(error) => {
                    web::error(&format!("Kiosque: {error}"));
                    state.try_set(PartState::Failed);
                }
            }
        });
    });
    let node = NodeRef::<leptos::html::Section>::new();
    // Kept while the placeholder is: dropping it stops the observer.
    let watch = StoredValue::new_local(None::<web::NearWatch>);
    if now {
        load.run(());
    } else {
        Effect::new(move |_| {
            if let Some(element) = node.get() {
                watch.set_value(web::when_near_viewport(&element, PRELOAD_MARGIN, Box::new(move || load.run(()))));
            }
        });
    }
    (move || match state.get() {
        PartState::Ready => built.try_update_value(Option::take).flatten().unwrap_or_else(|| ().into_any()),
        waiting => placeholder(waiting, node, load),
    })
    .into_any()
}

/// The section's code, as [`on_demand`] awaits it: fetched first in a split build, at hand otherwise.
macro_rules! part {
    ($section:expr) => {{
        #[cfg(feature = "split")]
        let built: BuiltSection = Box::pin($section);
        #[cfg(not(feature = "split"))]
        let built: BuiltSection = Box::pin(std::future::ready($section));
        built
    }};
}

/// The related news under `article`, once their code is there.
#[component]
pub fn RelatedOnDemand(article: Arc<Article>, settings: RelatedSettings, on_open: Callback<String>) -> impl IntoView {
    let Some(related) = article.related.as_ref() else { return ().into_any() };
    if related.items.is_empty() && related.url.is_none() {
        return ().into_any();
    }
    let (lang, level) = (settings.lang, settings.heading_level);
    let heading_id = format!("{}-related", settings.id_prefix);
    let title = related.title.clone().unwrap_or_else(|| lang.text(Key::RelatedTitle).to_string());
    let inputs = StoredValue::new((article, settings));
    on_demand(
        false,
        move || {
            let (article, settings) = inputs.get_value();
            part!(related_section(article, settings, on_open))
        },
        move |state, node, retry| {
            view! {
                <section class="kq-related" aria-labelledby=heading_id.clone() node_ref=node>
                    {super::inline::heading(level, "kq-related__title", Some(heading_id.clone()), title.clone().into_any())}
                    {match state {
                        PartState::Failed => retry_box("kq-related__error", lang, Key::RelatedError, Box::new(move || retry.run(()))),
                        _ => view! { <div class="kq-related__placeholder" aria-hidden="true"></div> }.into_any(),
                    }}
                </section>
            }
            .into_any()
        },
    )
}

/// The comments under `article`, once their code is there: at once when the address names a
/// comment, so that the page can go to it.
#[component]
pub fn CommentsOnDemand(article: Arc<Article>, settings: CommentsSettings) -> impl IntoView {
    let Some(info) = article.comments.clone().filter(|info| info.url.is_some()) else { return ().into_any() };
    let (lang, level) = (settings.lang, settings.heading_level);
    let heading_id = format!("{}-comments", settings.id_prefix);
    let title = lang.count(u64::from(info.count), Key::CommentsTitleOne, Key::CommentsTitleOther);
    let inputs = StoredValue::new((article, settings));
    on_demand(
        permalink_target(&web::location().1).is_some(),
        move || {
            let (article, settings) = inputs.get_value();
            part!(comment_section(article, settings))
        },
        move |state, node, retry| {
            view! {
                <section class="kq-comments" aria-labelledby=heading_id.clone() node_ref=node>
                    {super::inline::heading(level, "kq-comments__title", Some(heading_id.clone()), title.clone().into_any())}
                    {match state {
                        PartState::Failed => retry_box("kq-comments__error", lang, Key::CommentsError, Box::new(move || retry.run(()))),
                        _ if info.count != 0 => view! { <div class="kq-comments__placeholder" aria-hidden="true"></div> }.into_any(),
                        _ => ().into_any(),
                    }}
                    <p class="kq-visually-hidden" role="status">{(state == PartState::Loading).then(|| lang.text(Key::CommentsLoading))}</p>
                    {(!info.open).then(|| view! { <p class="kq-comments__closed">{lang.text(Key::CommentsClosed)}</p> })}
                </section>
            }
            .into_any()
        },
    )
}
