//! schema.org `NewsArticle` JSON-LD for the article the widget renders, so that search engines
//! see the article the host page only embeds (`data-structured-data="off"` for hosts that already
//! write their own). Written with the widget's small JSON writer, not serde_json's.

use super::article::{Article, Link};
use super::json_write::JsonObject;

/// An address for a search engine: absolute http(s) as it is, a path joined to the page's
/// origin; anything else (a relative path, another scheme) left out.
fn absolute(address: &str, page_origin: &str) -> Option<String> {
    if address.starts_with("https://") || address.starts_with("http://") {
        Some(address.to_string())
    } else if address.starts_with('/') && !address.starts_with("//") && !page_origin.is_empty() {
        Some(format!("{page_origin}{address}"))
    } else {
        None
    }
}

fn thing(kind: &str, link: &Link, page_origin: &str) -> JsonObject {
    let url = link.href.as_ref().and_then(|href| absolute(&href.url, page_origin));
    let object = JsonObject::new().text("@type", kind).text("name", &link.label);
    match url {
        Some(url) => object.text("url", &url),
        None => object,
    }
}

/// The JSON-LD document of `article`, which has `comment_count` published comments.
pub fn news_article(article: &Article, comment_count: u64, page_origin: &str) -> String {
    let mut object = JsonObject::new()
        .text("@context", "https://schema.org")
        .text("@type", "NewsArticle")
        .text("headline", &article.headline)
        .text("datePublished", &article.published.rfc3339);
    if let Some(modified) = &article.modified {
        object = object.text("dateModified", &modified.rfc3339);
    }
    if let Some(dek) = &article.dek {
        object = object.text("description", dek);
    }
    if let Some(url) = article.url.as_ref().and_then(|url| absolute(&url.url, page_origin)) {
        object = object.text("mainEntityOfPage", &url).text("url", &url);
    }
    if let Some(image) = article.image.as_ref().and_then(|image| absolute(&image.src, page_origin)) {
        object = object.raw("image", &format!("[{}]", JsonObject::quote(&image)));
    }
    if !article.authors.is_empty() {
        let authors: Vec<String> = article.authors.iter().map(|author| thing("Person", author, page_origin).finish()).collect();
        object = object.raw("author", &format!("[{}]", authors.join(",")));
    }
    if let Some(site) = &article.site {
        object = object.optional_object("publisher", Some(thing("Organization", site, page_origin)));
    }
    if let Some(section) = &article.section {
        object = object.text("articleSection", &section.label);
    }
    if let Some(lang) = &article.lang {
        object = object.text("inLanguage", lang);
    }
    object.number("commentCount", comment_count).finish()
}
