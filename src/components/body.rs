use leptos::prelude::*;

use super::figure::figure;
use super::inline::{heading, inline};
use crate::i18n::{Key, Lang};
use crate::model::Block;
use crate::web;

/// How many blocks are built with the headline. The rest follow once the browser has painted
/// those: the reader sees the article sooner and no single task blocks the page for long. Eight
/// blocks under the header and the lead image fill more than a tall screen, so what the rest
/// pushes down (tags, related news, comments) is still out of sight when it moves.
const FIRST_PAINT_BLOCKS: usize = 8;

/// The article body. `headline_level` shifts body headings (contract levels 2–4 sit under a level-1
/// headline) so the outline stays right when the host page asks for a lower headline.
pub fn body(blocks: &[Block], lang: Lang, headline_level: u8) -> AnyView {
    let (first, rest) = blocks.split_at(blocks.len().min(FIRST_PAINT_BLOCKS));
    if rest.is_empty() {
        return view! { <div class="kq-body">{blocks_view(first, lang, headline_level)}</div> }.into_any();
    }
    let rest = rest.to_vec();
    let painted = RwSignal::new(false);
    web::after_next_paint(move || _ = painted.try_set(true));
    view! {
        <div class="kq-body">
            {blocks_view(first, lang, headline_level)}
            {move || painted.get().then(|| blocks_view(&rest, lang, headline_level))}
        </div>
    }
    .into_any()
}

fn blocks_view(blocks: &[Block], lang: Lang, headline_level: u8) -> AnyView {
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
    views.collect_view().into_any()
}
