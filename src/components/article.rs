use std::sync::Arc;

use web_sys::Element;

use super::body::write_body;
use super::dom::{set, Dom};
use super::figure::write_figure;
use super::inline::{write_heading, write_label};
use crate::i18n::{Key, Lang};
use crate::model::{Article, Link, Timestamp};
use crate::web::format_datetime;

/// How an article is shown: in which language, with which date conventions, under which heading.
#[derive(Clone, Debug, PartialEq)]
pub struct Presentation {
    pub lang: Lang,
    /// The locale for `Intl` dates, e.g. `fr-SN`.
    pub locale: String,
    pub headline_level: u8,
    /// The headline's element id, unique on the page.
    pub headline_id: String,
}

/// Writes the article into its new `<article>` element (it never changes afterwards; another
/// article gets another element; see [`super::dom`]).
pub fn write_article(element: &Element, article: &Arc<Article>, p: &Presentation) {
    let Some(dom) = Dom::new() else { return };
    set(element, "aria-labelledby", &p.headline_id);
    if let Some(lang) = &article.lang {
        set(element, "lang", lang);
    }
    let lang = p.lang;
    if !article.breadcrumb.is_empty() {
        write_breadcrumb(&dom, element, &article.breadcrumb, lang);
    }
    write_header(&dom, element, article, p);
    if let Some(image) = &article.image {
        write_figure(&dom, element, image, lang, "kq-figure kq-hero", false);
    }
    write_body(&dom, element, article, lang, p.headline_level);
    if !article.tags.is_empty() {
        write_tags(&dom, element, &article.tags, lang, &format!("{}-tags", p.headline_id));
    }
}

fn write_header(dom: &Dom, parent: &Element, article: &Article, p: &Presentation) {
    let lang = p.lang;
    let Some(header) = dom.child(parent, "header", "kq-header") else { return };
    if let Some(section) = &article.section {
        if let Some(paragraph) = dom.child(&header, "p", "kq-section") {
            write_label(dom, &paragraph, section, "");
        }
    }
    // Also where focus goes after a retry or a navigation.
    if let Some(headline) = write_heading(dom, &header, p.headline_level, "kq-headline") {
        set(&headline, "id", &p.headline_id);
        set(&headline, "tabindex", "-1");
        dom.text(&headline, &article.headline);
    }
    if let Some(dek) = &article.dek {
        dom.child_with_text(&header, "p", "kq-dek", dek);
    }
    let Some(meta) = dom.child(&header, "div", "kq-meta") else { return };
    if !article.authors.is_empty() {
        write_byline(dom, &meta, &article.authors, lang);
    }
    if let Some(source) = &article.source {
        if let Some(paragraph) = dom.child_with_text(&meta, "p", "kq-source", &format!("{} ", lang.text(Key::ArticleSource))) {
            write_label(dom, &paragraph, source, "");
        }
    }
    let Some(dates) = dom.child(&meta, "p", "kq-dates") else { return };
    write_date(dom, &dates, Key::ArticlePublished, &article.published, p);
    if let Some(when) = &article.modified {
        write_date(dom, &dates, Key::ArticleModified, when, p);
    }
    if let Some(minutes) = article.reading_minutes() {
        let text = lang.fill(Key::ArticleReadingTime, &[("minutes", &minutes.to_string())]);
        dom.child_with_text(&dates, "span", "kq-reading-time", &text);
    }
}

fn write_date(dom: &Dom, parent: &Element, prefix: Key, when: &Timestamp, p: &Presentation) {
    let Some(date) = dom.child_with_text(parent, "span", "kq-date", &format!("{} ", p.lang.text(prefix))) else { return };
    if let Some(time) = dom.child_with_text(&date, "time", "", &format_datetime(&p.locale, when.unix_ms)) {
        set(&time, "datetime", &when.rfc3339);
    }
}

/// "Par A, B et C" with each name linked when it has a url.
fn write_byline(dom: &Dom, parent: &Element, authors: &[Link], lang: Lang) {
    let Some(byline) = dom.child_with_text(parent, "p", "kq-byline", &format!("{} ", lang.text(Key::ArticleBy))) else { return };
    let last = authors.len().saturating_sub(1);
    for (i, author) in authors.iter().enumerate() {
        match i {
            0 => {}
            _ if i == last => dom.text(&byline, &format!(" {} ", lang.text(Key::ArticleAnd))),
            _ => dom.text(&byline, ", "),
        }
        write_label(dom, &byline, author, "kq-byline__author");
    }
}

fn write_breadcrumb(dom: &Dom, parent: &Element, items: &[Link], lang: Lang) {
    let Some(nav) = dom.child(parent, "nav", "kq-breadcrumb") else { return };
    set(&nav, "aria-label", lang.text(Key::ArticleBreadcrumb));
    let Some(list) = dom.child(&nav, "ol", "kq-breadcrumb__list") else { return };
    let last = items.len().saturating_sub(1);
    for (i, item) in items.iter().enumerate() {
        let Some(entry) = dom.child(&list, "li", "kq-breadcrumb__item") else { continue };
        let element = match &item.href {
            Some(href) => dom.child(&entry, "a", "").inspect(|link| set(link, "href", &href.url)),
            None => dom.child(&entry, "span", ""),
        };
        if let Some(element) = element {
            if i == last {
                set(&element, "aria-current", "page");
            }
            dom.text(&element, &item.label);
        }
    }
}

fn write_tags(dom: &Dom, parent: &Element, tags: &[Link], lang: Lang, label_id: &str) {
    let Some(footer) = dom.child(parent, "footer", "kq-tags") else { return };
    if let Some(label) = dom.child_with_text(&footer, "p", "kq-tags__label", lang.text(Key::ArticleTags)) {
        set(&label, "id", label_id);
    }
    let Some(list) = dom.child(&footer, "ul", "kq-tags__list") else { return };
    set(&list, "aria-labelledby", label_id);
    for tag in tags {
        if let Some(item) = dom.child(&list, "li", "") {
            write_label(dom, &item, tag, "kq-tag");
        }
    }
}
