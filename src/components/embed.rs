//! The contract's `embed` block: a card linking to the content where it is hosted. Never a frame
//! and never the provider's script: the reader chooses to go there, and sees where it goes (the
//! host of the address, whatever the provider's name says).

use web_sys::Element;

use super::dom::{set, Dom};
use crate::i18n::{Key, Lang};
use crate::model::Embed;

pub fn write_embed(dom: &Dom, parent: &Element, embed: &Embed, lang: Lang) {
    let Some(card) = dom.child(parent, "div", "kq-embed") else { return };
    let Some(link) = dom.child(&card, "a", "kq-embed__link") else { return };
    set(&link, "href", &embed.url);
    set(&link, "rel", "noopener noreferrer");
    let provider = [("provider", embed.provider.as_str())];
    let title = match &embed.title {
        Some(title) => title.clone(),
        None => lang.fill(Key::ArticleEmbedUntitled, &provider),
    };
    dom.child_with_text(&link, "span", "kq-embed__title", &title);
    // The spaces keep the link's accessible name in words: "Title Opens on X · host".
    dom.text(&link, " ");
    dom.child_with_text(&link, "span", "kq-embed__opens", &lang.fill(Key::ArticleEmbedOpens, &provider));
    dom.text(&link, " ");
    dom.child_with_text(&link, "span", "kq-embed__host", &embed.host);
}
