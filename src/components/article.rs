use leptos::prelude::*;

use super::body::body;
use super::figure::figure;
use super::inline::{heading, label};
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

fn date(prefix: Key, when: &Timestamp, p: &Presentation) -> AnyView {
    view! {
        <span class="kq-date">
            {p.lang.text(prefix)} " "
            <time datetime=when.rfc3339.clone()>{format_datetime(&p.locale, when.unix_ms)}</time>
        </span>
    }
    .into_any()
}

/// "Par A, B et C" with each name linked when it has a url.
fn byline(authors: &[Link], lang: Lang) -> AnyView {
    let last = authors.len().saturating_sub(1);
    let names = authors.iter().enumerate().map(|(i, author)| {
        let separator = match i {
            0 => String::new(),
            _ if i == last => format!(" {} ", lang.text(Key::ArticleAnd)),
            _ => String::from(", "),
        };
        view! { {separator}{label(author, Some("kq-byline__author"))} }
    });
    view! { <p class="kq-byline">{lang.text(Key::ArticleBy)} " " {names.collect_view()}</p> }.into_any()
}

fn breadcrumb(items: &[Link], lang: Lang) -> AnyView {
    let last = items.len().saturating_sub(1);
    let items = items.iter().enumerate().map(|(i, item)| {
        let current = (i == last).then_some("page");
        let content = match &item.href {
            Some(href) => view! { <a href=href.url.clone() aria-current=current>{item.label.clone()}</a> }.into_any(),
            None => view! { <span aria-current=current>{item.label.clone()}</span> }.into_any(),
        };
        view! { <li class="kq-breadcrumb__item">{content}</li> }
    });
    view! {
        <nav class="kq-breadcrumb" aria-label=lang.text(Key::ArticleBreadcrumb)>
            <ol class="kq-breadcrumb__list">{items.collect_view()}</ol>
        </nav>
    }
    .into_any()
}

pub fn article_view(article: &Article, p: &Presentation) -> AnyView {
    let lang = p.lang;
    let reading_time = article
        .reading_minutes()
        .map(|minutes| lang.fill(Key::ArticleReadingTime, &[("minutes", &minutes.to_string())]));
    let tags_label_id = format!("{}-tags", p.headline_id);
    view! {
        <article class="kq-article" aria-labelledby=p.headline_id.clone() lang=article.lang.clone()>
            {(!article.breadcrumb.is_empty()).then(|| breadcrumb(&article.breadcrumb, lang))}
            <header class="kq-header">
                {article.section.as_ref().map(|section| view! {
                    <p class="kq-section">{label(section, None)}</p>
                })}
                {heading(p.headline_level, "kq-headline", Some(p.headline_id.clone()), article.headline.clone().into_any())}
                {article.dek.clone().map(|dek| view! { <p class="kq-dek">{dek}</p> })}
                <div class="kq-meta">
                    {(!article.authors.is_empty()).then(|| byline(&article.authors, lang))}
                    {article.source.as_ref().map(|source| view! {
                        <p class="kq-source">{lang.text(Key::ArticleSource)} " " {label(source, None)}</p>
                    })}
                    <p class="kq-dates">
                        {date(Key::ArticlePublished, &article.published, p)}
                        {article.modified.as_ref().map(|when| date(Key::ArticleModified, when, p))}
                        {reading_time.map(|text| view! { <span class="kq-reading-time">{text}</span> })}
                    </p>
                </div>
            </header>
            {article.image.as_ref().map(|image| figure(image, lang, "kq-figure kq-hero", false))}
            {body(&article.body, lang, p.headline_level)}
            {(!article.tags.is_empty()).then(|| view! {
                <footer class="kq-tags">
                    <p class="kq-tags__label" id=tags_label_id.clone()>{lang.text(Key::ArticleTags)}</p>
                    <ul class="kq-tags__list" aria-labelledby=tags_label_id>
                        {article.tags.iter().map(|tag| view! { <li>{label(tag, Some("kq-tag"))}</li> }).collect_view()}
                    </ul>
                </footer>
            })}
        </article>
    }
    .into_any()
}
