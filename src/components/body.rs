use leptos::prelude::*;

use super::figure::figure;
use super::inline::{heading, inline};
use crate::i18n::{Key, Lang};
use crate::model::Block;

/// The article body. `headline_level` shifts body headings (contract levels 2–4 sit under a level-1
/// headline) so the outline stays right when the host page asks for a lower headline.
pub fn body(blocks: &[Block], lang: Lang, headline_level: u8) -> AnyView {
    let views = blocks.iter().map(|block| match block {
        Block::Paragraph(text) => view! { <p class="kq-p">{inline(text)}</p> }.into_any(),
        Block::Heading { level, text } => {
            heading((headline_level + level - 1).min(6), "kq-h", None, inline(text))
        }
        Block::Quote { text, cite } => view! {
            <figure class="kq-quote">
                <blockquote class="kq-quote__text"><p>{inline(text)}</p></blockquote>
                {cite.clone().map(|cite| view! { <figcaption class="kq-quote__cite">{cite}</figcaption> })}
            </figure>
        }
        .into_any(),
        Block::List { ordered, items } => {
            let items = items.iter().map(|item| view! { <li>{inline(item)}</li> }).collect_view();
            if *ordered {
                view! { <ol class="kq-list">{items}</ol> }.into_any()
            } else {
                view! { <ul class="kq-list">{items}</ul> }.into_any()
            }
        }
        Block::Image(image) => figure(image, lang, "kq-figure", true),
        Block::Ad { slot } => view! {
            <div class="kq-ad" role="group" aria-label=lang.text(Key::ArticleAd) data-slot=slot.clone()>
                <span class="kq-ad__label" aria-hidden="true">{lang.text(Key::ArticleAd)}</span>
                <div class="kq-ad__slot"></div>
            </div>
        }
        .into_any(),
        Block::Divider => view! { <hr class="kq-divider"/> }.into_any(),
    });
    view! { <div class="kq-body">{views.collect_view()}</div> }.into_any()
}
