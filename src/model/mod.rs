//! The article model: types, parsing, validation and normalization. Pure Rust, no DOM, so all of
//! it is tested natively.

pub mod article;
pub mod comment;
pub mod comment_form;
pub mod comment_pages;
pub mod comments;
pub mod datetime;
pub mod decimal;
pub mod json_split;
pub mod json_write;
pub mod links;
pub mod paged;
pub mod parse;
pub mod reader_actions;
pub mod related;
pub mod repeats;
pub mod structured_data;

pub use article::{Article, Block, CommentsInfo, Embed, Image, Inline, Link, Related, RelatedItem, Span, Table};
pub use datetime::Timestamp;
pub use decimal::Milli;
pub use links::{embed_target, SafeUrl};
pub use parse::{parse_article, parse_related_page, Notice, ParseError, Parsed, Problem};
pub use related::{date_display, lists_others, merge_related, DateDisplay, RelatedPage};
