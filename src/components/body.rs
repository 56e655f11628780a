use std::sync::Arc;

use web_sys::Element;

use super::dom::{set, Dom};
use super::embed::write_embed;
use super::figure::write_figure;
use super::inline::{write_heading, write_inline};
use super::table::write_table;
use crate::i18n::{Key, Lang};
use crate::model::{Article, Block};
use crate::web;

/// How many blocks are written with the headline. The rest follow once the browser has painted
/// those: the reader sees the article sooner and no single task blocks the page for long. Eight
/// blocks under the header and the lead image fill more than a tall screen, so what the rest
/// pushes down (tags, related news, comments) is still out of sight when it moves.
const FIRST_PAINT_BLOCKS: usize = 8;

/// The article body. `headline_level` shifts body headings (contract levels 2–4 sit under a level-1
/// headline) so the outline stays right when the host page asks for a lower headline.
pub fn write_body(dom: &Dom, parent: &Element, article: &Arc<Article>, lang: Lang, headline_level: u8) {
    let Some(body) = dom.child(parent, "div", "kq-body") else { return };
    let first = article.body.len().min(FIRST_PAINT_BLOCKS);
    write_blocks(dom, &body, &article.body[..first], lang, headline_level);
    if first < article.body.len() {
        let article = Arc::clone(article);
        web::after_next_paint(move || {
            if let Some(dom) = Dom::new() {
                write_blocks(&dom, &body, &article.body[first..], lang, headline_level);
            }
        });
    }
}

fn write_blocks(dom: &Dom, body: &Element, blocks: &[Block], lang: Lang, headline_level: u8) {
    for block in blocks {
        match block {
            Block::Paragraph(text) => {
                if let Some(paragraph) = dom.child(body, "p", "kq-p") {
                    write_inline(dom, &paragraph, text);
                }
            }
            Block::Heading { level, text } => {
                if let Some(heading) = write_heading(dom, body, (headline_level + level - 1).min(6), "kq-h") {
                    write_inline(dom, &heading, text);
                }
            }
            Block::Quote { text, cite } => {
                let Some(figure) = dom.child(body, "figure", "kq-quote") else { continue };
                if let Some(paragraph) = dom.child(&figure, "blockquote", "kq-quote__text").and_then(|quote| dom.child(&quote, "p", "")) {
                    write_inline(dom, &paragraph, text);
                }
                if let Some(cite) = cite {
                    dom.child_with_text(&figure, "figcaption", "kq-quote__cite", cite);
                }
            }
            Block::List { ordered, items } => {
                let Some(list) = dom.child(body, if *ordered { "ol" } else { "ul" }, "kq-list") else { continue };
                for item in items {
                    if let Some(element) = dom.child(&list, "li", "") {
                        write_inline(dom, &element, item);
                    }
                }
            }
            Block::Image(image) => write_figure(dom, body, image, lang, "kq-figure", true),
            Block::Ad { slot } => {
                let Some(ad) = dom.child(body, "div", "kq-ad") else { continue };
                set(&ad, "role", "group");
                set(&ad, "aria-label", lang.text(Key::ArticleAd));
                set(&ad, "data-slot", slot);
                if let Some(label) = dom.child_with_text(&ad, "span", "kq-ad__label", lang.text(Key::ArticleAd)) {
                    set(&label, "aria-hidden", "true");
                }
                dom.child(&ad, "div", "kq-ad__slot");
            }
            Block::Divider => {
                dom.child(body, "hr", "kq-divider");
            }
            Block::Table(table) => write_table(dom, body, table, lang),
            Block::Embed(embed) => write_embed(dom, body, embed, lang),
        }
    }
}
