//! The article as the widget renders it: the JSON contract of `docs/article-contract.md`, parsed,
//! checked and cleaned (unsafe URLs already removed).

use super::datetime::Timestamp;
use super::links::SafeUrl;

#[derive(Clone, Debug, PartialEq)]
pub struct Article {
    pub id: String,
    pub url: Option<SafeUrl>,
    /// The content's language as the document states it (BCP 47), used for `lang` attributes.
    pub lang: Option<String>,
    pub site: Option<Link>,
    pub breadcrumb: Vec<Link>,
    pub section: Option<Link>,
    pub headline: String,
    pub dek: Option<String>,
    pub authors: Vec<Link>,
    pub source: Option<Link>,
    pub published: Timestamp,
    pub modified: Option<Timestamp>,
    pub image: Option<Image>,
    pub tags: Vec<Link>,
    pub body: Vec<Block>,
    pub related: Option<Related>,
    pub comments: Option<CommentsInfo>,
}

/// A label with an optional target: breadcrumb items, sections, authors, sources, tags, the site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub label: String,
    pub href: Option<SafeUrl>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    pub src: String,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Paragraph(Inline),
    /// Level 2 to 4, relative to a headline at level 1.
    Heading { level: u8, text: Inline },
    Quote { text: Inline, cite: Option<String> },
    List { ordered: bool, items: Vec<Inline> },
    Image(Image),
    Ad { slot: String },
    Divider,
    Table(Table),
    Embed(Embed),
}

/// A table of rich-text cells (contract 1.1). Rows may have different lengths, as in HTML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub caption: Option<String>,
    /// Header rows, shown as column headers.
    pub head: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Inline>>,
}

impl Table {
    /// Every cell, header rows first.
    pub fn cells(&self) -> impl Iterator<Item = &Inline> {
        self.head.iter().chain(&self.rows).flatten()
    }
}

/// Content hosted elsewhere (a video, a post), shown as a link card to it, never loaded in a frame
/// (contract 1.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Embed {
    /// Who hosts it, as the document names it (`YouTube`).
    pub provider: String,
    /// An absolute http(s) URL.
    pub url: String,
    /// The host of `url`, shown on the card so that a reader sees where the link goes whatever the
    /// provider's name says.
    pub host: String,
    pub title: Option<String>,
}

/// Rich text: runs of text, each with its own marks and optional link.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inline(pub Vec<Span>);

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub strong: bool,
    pub em: bool,
    pub code: bool,
    pub href: Option<SafeUrl>,
}

impl Inline {
    pub fn plain(text: impl Into<String>) -> Inline {
        Inline(vec![Span { text: text.into(), ..Span::default() }])
    }

    pub fn is_blank(&self) -> bool {
        self.0.iter().all(|span| span.text.trim().is_empty())
    }

    pub fn word_count(&self) -> usize {
        // Spans can split a word ("<em>wid</em>get"), so count over the joined text.
        self.0.iter().map(|span| span.text.as_str()).collect::<String>().split_whitespace().count()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub title: Option<String>,
    pub items: Vec<RelatedItem>,
    pub url: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RelatedItem {
    pub id: Option<String>,
    pub url: SafeUrl,
    pub src: Option<String>,
    pub headline: String,
    pub section: Option<Link>,
    pub image: Option<Image>,
    pub published: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentsInfo {
    pub url: Option<String>,
    pub open: bool,
    pub count: u32,
}

/// Words per minute used for the reading-time estimate; a common figure for news prose.
const READING_WORDS_PER_MINUTE: usize = 230;

impl Article {
    pub fn word_count(&self) -> usize {
        self.body
            .iter()
            .map(|block| match block {
                Block::Paragraph(text) | Block::Heading { text, .. } | Block::Quote { text, .. } => text.word_count(),
                Block::List { items, .. } => items.iter().map(Inline::word_count).sum(),
                Block::Table(table) => table.cells().map(Inline::word_count).sum(),
                Block::Image(_) | Block::Ad { .. } | Block::Divider | Block::Embed(_) => 0,
            })
            .sum()
    }

    /// Estimated reading time in whole minutes (at least one), or `None` for an empty body.
    pub fn reading_minutes(&self) -> Option<usize> {
        let words = self.word_count();
        (words > 0).then(|| words.div_ceil(READING_WORDS_PER_MINUTE))
    }
}
