//! One comment and its replies. Comment text is shown as text: paragraphs, line breaks, and
//! http(s) addresses as links; nothing in it is ever read as HTML.

use leptos::prelude::*;

use crate::i18n::{Key, Lang};
use crate::model::comments::{paragraphs, Comment, TextPart, Thread};
use crate::web::format_datetime;

/// Links that readers wrote: not endorsed by the site, and not given the page's referrer power.
const UGC_REL: &str = "nofollow ugc noopener";

pub fn comment_element_id(prefix: &str, comment_id: &str) -> String {
    let safe: String = comment_id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("{prefix}-comment-{safe}")
}

fn text_view(text: &str) -> AnyView {
    paragraphs(text)
        .into_iter()
        .map(|parts| {
            let parts = parts
                .into_iter()
                .map(|part| match part {
                    TextPart::Text(text) => text.into_any(),
                    TextPart::LineBreak => view! { <br/> }.into_any(),
                    TextPart::Link(url) => view! { <a href=url.clone() rel=UGC_REL>{url.clone()}</a> }.into_any(),
                })
                .collect_view();
            view! { <p>{parts}</p> }
        })
        .collect_view()
        .into_any()
}

/// What a comment's view needs from its section.
#[derive(Clone)]
pub struct ListContext {
    pub lang: Lang,
    pub locale: String,
    pub id_prefix: String,
    /// `None` when replying is not possible (comments closed).
    pub on_reply: Option<Callback<(String, String)>>,
}

fn comment_view(comment: &Comment, context: &ListContext) -> AnyView {
    let lang = context.lang;
    let author = match &comment.author_url {
        Some(url) => view! { <a href=url.url.clone() rel=UGC_REL>{comment.author_name.clone()}</a> }.into_any(),
        None => comment.author_name.clone().into_any(),
    };
    let reply = context.on_reply.filter(|_| !comment.pending).map(|on_reply| {
        let target = (comment.id.clone(), comment.author_name.clone());
        view! {
            <button
                type="button"
                class="kq-link-button kq-comment__reply"
                aria-label=lang.fill(Key::CommentsReplyTo, &[("name", &comment.author_name)])
                on:click=move |_| on_reply.run(target.clone())
            >
                {lang.text(Key::CommentsReply)}
            </button>
        }
    });
    view! {
        <article class="kq-comment__body" class:kq-comment__body--pending=comment.pending>
            <p class="kq-comment__meta">
                <span class="kq-comment__author">{author}</span>
                " "
                <time class="kq-comment__date" datetime=comment.created.rfc3339.clone()>
                    {format_datetime(&context.locale, comment.created.unix_ms)}
                </time>
                {comment.pending.then(|| view! { " " <span class="kq-comment__pending">{lang.text(Key::CommentsPending)}</span> })}
            </p>
            <div class="kq-comment__text">{text_view(&comment.text)}</div>
            {reply}
        </article>
    }
    .into_any()
}

pub fn thread_view(thread: &Thread<'_>, context: &ListContext) -> AnyView {
    let replies = (!thread.replies.is_empty()).then(|| {
        view! {
            <ol class="kq-comments__replies">
                {thread.replies.iter().map(|reply| thread_view(reply, context)).collect_view()}
            </ol>
        }
    });
    view! {
        <li class="kq-comment" id=comment_element_id(&context.id_prefix, &thread.comment.id) tabindex="-1">
            {comment_view(thread.comment, context)}
            {replies}
        </li>
    }
    .into_any()
}
