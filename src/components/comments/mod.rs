//! The comments under an article: the count, the threads (loaded when the reader comes near
//! them), "more comments", and the form, or a note when comments are closed.

mod actions;
mod captcha;
pub mod form;
pub mod list;

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use self::actions::{expire_own_actions, CommentActions, ReaderDevice};
use self::form::{CommentForm, FormContext};
use self::list::{append_threads, insert_thread, list_click, show_threads, ListClick, ListContext};
use super::paged::{retry_box, Paged};
use crate::config::CommentSettings;
use crate::i18n::{Key, Lang};
use crate::model::comment_pages::{place_of, unseen_comments};
use crate::model::comments::{build_threads, comment_anchor, parse_comments_page, permalink, permalink_target, Comment, CreatedComment, Thread};
use crate::model::reader_actions::{sorted_comments_url, OwnComment, ReaderActions, Sort};
use crate::model::Article;
use crate::web;

/// What the comments need to know of their widget.
#[derive(Clone, Debug, PartialEq)]
pub struct CommentsSettings {
    pub lang: Lang,
    pub locale: String,
    pub id_prefix: String,
    /// The level of the section's heading (one below the headline).
    pub heading_level: u8,
    pub timeout_ms: u32,
    pub form: CommentSettings,
}

const SORT_KEY: &str = "kiosque:comments-sort";

/// Mounts the comment section into `section` (its placeholder's), from the wasm part that holds
/// its code. In a release
/// build (feature `split`, scripts/build-widget.sh) this function and everything only it reaches
/// (the list, the form, the captcha, the proof of work, votes and editing, and the Leptos runtime
/// the sections share) are cut from the main wasm into parts downloaded the first time it is
/// called: readers who never come near the comments never download them. The error is that
/// download's failure; a later call downloads again.
#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(comments, fallible, wasm_split_path = ::leptos::wasm_split))]
pub fn mount_comment_section(
    section: web_sys::HtmlElement,
    article: Arc<Article>,
    settings: CommentsSettings,
) -> Result<super::on_demand::MountedSection, leptos::wasm_split::SplitLoaderError> {
    let heading = super::on_demand::keep_heading(&section);
    let element: web_sys::Element = section.clone().into();
    Ok(Box::new(leptos::mount::mount_to(section, move || view! { <Comments article=article settings=settings section=element heading=heading/> })))
}

/// The section's content, after its heading: `section` is the placeholder's `section.kq-comments`
/// and `heading` its heading, kept, whose count this keeps up to date.
#[component]
pub fn Comments(article: Arc<Article>, settings: CommentsSettings, section: web_sys::Element, heading: Option<web_sys::Element>) -> impl IntoView {
    let Some(info) = article.comments.clone() else { return ().into_any() };
    let Some(url) = info.url.clone() else { return ().into_any() };
    let lang = settings.lang;
    let items = RwSignal::new(Vec::<Comment>::new());
    let total = RwSignal::new(u64::from(info.count));
    // The reader's order, kept on the device for every article.
    let sort = RwSignal::new(web::storage::get(SORT_KEY).map_or(Sort::Oldest, |stored| Sort::parse(&stored)));
    let paged = Paged::new(Some(sorted_comments_url(&url, sort.get_untracked())));
    // What the server lets readers do here, from its first page; nothing until then.
    let reader_actions = RwSignal::new(ReaderActions::default());
    let device = ReaderDevice::load();
    let open = RwSignal::new(info.open);
    let reply_to = RwSignal::new(None::<(String, String)>);
    let list = NodeRef::<leptos::html::Ol>::new();
    let timeout_ms = settings.timeout_ms;
    let prefix = settings.id_prefix.clone();
    let locale = StoredValue::new(settings.locale.clone());
    // What the list is drawn with; the device's votes and own comments as they are now (a change
    // to them redraws one comment, never the list).
    let list_context = Callback::new(move |()| ListContext {
        lang,
        locale: locale.get_value(),
        can_reply: open.get_untracked(),
        actions: reader_actions.get_untracked(),
        own: device.own.get_value(),
        votes: device.votes.get_value(),
        now_ms: web::now_ms(),
    });

    let fetch_next = move || {
        paged.fetch_next(
            "comments",
            timeout_ms,
            Box::new(move |body| {
                let page = parse_comments_page(body)?;
                let (fresh, apart) = items.with_untracked(|shown| unseen_comments(shown, page.items));
                let before = items.with_untracked(Vec::len);
                items.update(|shown| shown.extend(fresh));
                // Other reader actions (the first page's, usually) redraw the list with them.
                let same_actions = reader_actions.get_untracked() == page.actions;
                if !same_actions {
                    reader_actions.set(page.actions);
                }
                // The shown threads stay; only when the page answers them are they written again.
                if let Some(element) = list.get_untracked().filter(|_| same_actions) {
                    items.with_untracked(|all| match apart {
                        true => append_threads(&element, &build_threads(&all[before..]), &list_context.run(())),
                        false => show_threads(&element, &build_threads(all), &list_context.run(())),
                    });
                }
                total.set(u64::from(page.total));
                Ok(page.next)
            }),
        );
    };

    // A link to a comment (`#kq-comment-12`): load pages until it is there, then show it.
    let wanted = StoredValue::new(permalink_target(&web::location().1).map(str::to_string));
    Effect::new(move |_| {
        let Some(id) = wanted.get_value() else { return };
        if paged.busy() || (paged.loaded_once() && paged.has_failed()) {
            return;
        }
        if items.with(|list| list.iter().any(|comment| comment.id == id)) {
            wanted.set_value(None);
            web::reveal_when_rendered(comment_anchor(&id), "kq-comment--target");
        } else if paged.has_next() {
            fetch_next();
        } else {
            // Not (or no longer) among the published comments: the page stays where it is.
            wanted.set_value(None);
        }
    });

    // The form is built when the reader comes near the comments, not with the article: it is the
    // largest part of the widget (its code compiles on first use), and building it at once made the
    // article's first render the page's longest task.
    let near = RwSignal::new(false);
    paged.when_near(
        &section,
        std::rc::Rc::new(move || {
            near.try_set(true);
            fetch_next();
        }),
    );

    let on_created = Callback::new(move |created: CreatedComment| {
        let CreatedComment { comment, own, .. } = created;
        if let Some(own) = own {
            expire_own_actions(list, &own);
            device.remember_own(own);
        }
        let element_id = comment_anchor(&comment.id);
        if !comment.pending {
            total.update(|n| *n += 1);
        }
        // Newest first, a new thread goes on top; a reply finds its thread wherever it is.
        let on_top = sort.get_untracked() == Sort::Newest && comment.parent.is_none();
        let id = comment.id.clone();
        items.update(|list| if on_top { list.insert(0, comment) } else { list.push(comment) });
        if let Some(element) = list.get_untracked() {
            items.with_untracked(|comments| {
                let threads = build_threads(comments);
                let place = place_of(&threads, &id);
                let new = comments.iter().find(|comment| comment.id == id);
                if let (Some(place), Some(comment)) = (place, new) {
                    insert_thread(&element, &Thread { comment, replies: Vec::new() }, place, &list_context.run(()));
                }
            });
        }
        web::focus_when_rendered(element_id);
    });
    // Closed while the reader was writing: the form stays (with the reader's text and the
    // server's answer) under the closed note, so nothing typed disappears.
    let closed_while_writing = RwSignal::new(false);
    let on_closed = Callback::new(move |()| {
        open.set(false);
        closed_while_writing.set(true);
    });
    let form_prefix = prefix.clone();
    let on_reply = Callback::new(move |target: (String, String)| {
        reply_to.set(Some(target));
        web::scroll_to_top_of(&format!("{form_prefix}-form-title"));
        web::focus_when_rendered(format!("{form_prefix}-text"));
    });

    // Written whole when the list is mounted, when the comments close (no reply buttons) and when
    // the server says what readers may do; pages and new comments are written in as they come.
    Effect::new(move |_| {
        let Some(element) = list.get() else { return };
        open.track();
        reader_actions.track();
        let context = list_context.run(());
        items.with_untracked(|comments| show_threads(&element, &build_threads(comments), &context));
    });
    // The edit and delete buttons of comments written earlier on this device go when their time does.
    device.own.with_value(|own| own.iter().for_each(|own| expire_own_actions(list, own)));
    let announcement = RwSignal::new(String::new());
    let actions = CommentActions {
        device,
        lang,
        timeout_ms,
        comments_url: StoredValue::new(url.clone()),
        items,
        total,
        list,
        list_context,
        announcement,
    };
    // "Modifier" hands the comment to the form.
    let edit_request = RwSignal::new(None::<(OwnComment, String)>);
    let list_clicked = move |event: leptos::ev::MouseEvent| match list_click(&event) {
        Some(ListClick::Reply(id)) => {
            let target = items.with_untracked(|comments| {
                comments.iter().find(|comment| comment.id == id).map(|comment| (comment.id.clone(), comment.author_name.clone()))
            });
            if let Some(target) = target {
                on_reply.run(target);
            }
        }
        Some(ListClick::Vote(id, vote)) => actions.vote(id, vote),
        Some(ListClick::Delete { id, confirmed, button }) => actions.delete(id, confirmed, button),
        Some(ListClick::Edit(id)) => {
            let own = device.own.with_value(|own| own.editable(&id, web::now_ms()).cloned());
            let text = items.with_untracked(|comments| comments.iter().find(|comment| comment.id == id).map(|comment| comment.text.clone()));
            if let (Some(own), Some(text)) = (own, text) {
                edit_request.set(Some((own, text)));
            }
        }
        Some(ListClick::Permalink(id)) => {
            // Copied rather than followed: a reader sharing a comment wants its address.
            event.prevent_default();
            let address = permalink(&web::location().0, &id);
            spawn_local(async move {
                let copied = web::copy_text(&address).await;
                let text = if copied {
                    lang.text(Key::CommentsLinkCopied).to_string()
                } else {
                    lang.fill(Key::CommentsLinkNotCopied, &[("url", &address)])
                };
                announcement.try_set(text);
            });
        }
        None => {}
    };
    let sort_url = StoredValue::new(url.clone());
    let sort_changed = move |event: leptos::ev::Event| {
        let chosen = Sort::parse(&event_target_value(&event));
        web::storage::set(SORT_KEY, chosen.as_str());
        sort.set(chosen);
        items.set(Vec::new());
        if let Some(element) = list.get_untracked() {
            element.set_text_content(None);
        }
        paged.state.update(|state| state.restart(sort_url.with_value(|url| sorted_comments_url(url, chosen))));
        fetch_next();
    };
    let sort_id = format!("{prefix}-sort");
    let form_context = FormContext {
        lang,
        id_prefix: prefix.clone(),
        heading_level: (settings.heading_level + 1).min(6),
        article_id: article.id.clone(),
        post_url: url,
        timeout_ms,
        settings: settings.form.clone(),
        site: article.site.clone(),
        reply_to,
        on_created,
        on_closed,
        edit_request,
        on_edited: Callback::new(move |comment: Comment| actions.show_changed(comment)),
        reader_actions: reader_actions.into(),
        voter: ReaderDevice::voter,
    };
    if let Some(heading) = heading {
        Effect::new(move |_| heading.set_text_content(Some(&lang.count(total.get(), Key::CommentsTitleOne, Key::CommentsTitleOther))));
    }

    view! {
            <p class="kq-comments__sort" hidden=move || total.get() < 2>
                <label for=sort_id.clone()>{lang.text(Key::CommentsSort)}</label>
                    " "
                    <select id=sort_id.clone() on:change=sort_changed disabled=move || paged.busy()>
                        // Chosen as the page is built; the reader's change needs no help after.
                        <option value="oldest">{lang.text(Key::CommentsSortOldest)}</option>
                        <option value="newest" selected={sort.get_untracked() == Sort::Newest}>{lang.text(Key::CommentsSortNewest)}</option>
                        <option
                            value="votes"
                            selected={sort.get_untracked() == Sort::Votes}
                            hidden=move || !reader_actions.with(|actions| actions.vote)
                        >
                            {lang.text(Key::CommentsSortVotes)}
                        </option>
                    </select>
            </p>
            <ol
                class="kq-comments__list"
                aria-busy=move || (paged.busy()).then_some("true")
                node_ref=list
                on:click=list_clicked
            ></ol>
            <Show when=move || paged.loaded_once() && items.with(Vec::is_empty)>
                <p class="kq-comments__empty">{lang.text(Key::CommentsEmpty)}</p>
            </Show>
            <Show when=move || !paged.loaded_once() && !paged.has_failed() && (total.get() != 0)>
                <div class="kq-comments__placeholder" aria-hidden="true"></div>
            </Show>
            <p class="kq-visually-hidden" role="status">
                {move || (paged.busy()).then(|| lang.text(Key::CommentsLoading))}
            </p>
            // Always there, so that screen readers announce what is written into it.
            <p class="kq-comments__announcement" role="status">{move || announcement.get()}</p>
            <Show when=move || paged.has_failed()>
                {retry_box("kq-comments__error", lang, Key::CommentsError, Box::new(fetch_next))}
            </Show>
            <Show when=move || paged.loaded_once() && paged.has_next() && !paged.has_failed()>
                <button
                    type="button"
                    class="kq-button kq-button--secondary kq-comments__more"
                    disabled=move || paged.busy()
                    on:click=move |_| fetch_next()
                >
                    {lang.text(Key::CommentsMore)}
                </button>
            </Show>
            <Show when=move || !open.get()>
                <p class="kq-comments__closed">{lang.text(Key::CommentsClosed)}</p>
            </Show>
            <Show when=move || near.get() && (open.get() || closed_while_writing.get())>
                <CommentForm context=form_context.clone()/>
            </Show>
    }
    .into_any()
}
