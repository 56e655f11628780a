//! A WordPress post (an answer of `/wp/v2/posts?_embed`) → an article of our contract
//! (`docs/article-contract.md`). Pure functions: the client fetches, this maps.

use kiosque::model::parse::CONTRACT_VERSION;
use reqwest::Url;
use serde_json::{json, Value};

use super::html;
use crate::content::api_article_path;

/// What the REST index says about the site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    pub name: String,
    /// The site's home page.
    pub home: String,
    /// Where relative links and images of posts point to.
    pub base: Url,
}

/// A category, for breadcrumbs: its parents are looked up by id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    pub id: i64,
    pub name: String,
    pub link: Option<String>,
    /// 0 for a top-level category.
    pub parent: i64,
}

/// A post mapped: the article's JSON, the ids related news needs, and what was left out.
#[derive(Debug, PartialEq)]
pub struct Mapped {
    pub article: Value,
    pub post_id: i64,
    /// The primary category's id.
    pub category: Option<i64>,
    pub dropped: Vec<String>,
}

/// The site's name and home page from the REST index (`/wp-json/`), or `None` when the answer is
/// not a WordPress REST index with the `wp/v2` routes.
pub fn site(index: &Value, base: &Url) -> Option<Site> {
    let namespaces = index.get("namespaces")?.as_array()?;
    if !namespaces.iter().any(|namespace| namespace == "wp/v2") {
        return None;
    }
    let name = index.get("name").and_then(Value::as_str).map(html::text).filter(|name| !name.is_empty());
    let home = index.get("home").or_else(|| index.get("url")).and_then(Value::as_str).unwrap_or(base.as_str()).to_string();
    Some(Site { name: name.unwrap_or_else(|| base.host_str().unwrap_or("WordPress").to_string()), home, base: base.clone() })
}

/// The categories of a `/wp/v2/categories` answer.
pub fn categories(answer: &Value) -> Vec<Category> {
    answer
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|category| {
                    Some(Category {
                        id: category.get("id")?.as_i64()?,
                        name: html::text(category.get("name")?.as_str()?),
                        link: category.get("link").and_then(Value::as_str).map(str::to_string),
                        parent: category.get("parent").and_then(Value::as_i64).unwrap_or(0),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

fn rendered<'a>(post: &'a Value, field: &str) -> &'a str {
    post.get(field).and_then(|value| value.get("rendered")).and_then(Value::as_str).unwrap_or_default()
}

fn protected(post: &Value, field: &str) -> bool {
    post.get(field).and_then(|value| value.get("protected")).and_then(Value::as_bool).unwrap_or(false)
}

/// `2026-11-20T09:30:00` (WordPress's GMT dates carry no offset) → `2026-11-20T09:30:00Z`.
fn gmt(post: &Value, field: &str) -> Option<String> {
    let date = post.get(field)?.as_str()?;
    let has_offset = date.ends_with('Z') || date.ends_with('z') || date.get(19..).is_some_and(|rest| rest.contains(['+', '-']));
    Some(if has_offset { date.to_string() } else { format!("{date}Z") })
}

fn labelled(label: String, url: Option<&str>) -> Value {
    match url {
        Some(url) => json!({ "label": label, "url": url }),
        None => json!({ "label": label }),
    }
}

fn embedded<'a>(post: &'a Value, name: &str) -> &'a [Value] {
    post.get("_embedded").and_then(|embedded| embedded.get(name)).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
}

/// Embedded terms of one taxonomy (`category`, `post_tag`); errors (a private term) left out.
fn terms<'a>(post: &'a Value, taxonomy: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    embedded(post, "wp:term")
        .iter()
        .filter_map(Value::as_array)
        .flatten()
        .filter(move |term| term.get("taxonomy").and_then(Value::as_str) == Some(taxonomy))
}

/// What a reader sees instead of a password-protected post's body.
fn protected_note(lang: &str, url: Option<&str>) -> Value {
    let (text, link) = if lang.starts_with("en") {
        ("This article is password-protected. ", "Read it on the publisher's site.")
    } else {
        ("Cet article est protégé par un mot de passe. ", "Le lire sur le site de l’éditeur.")
    };
    match url {
        Some(url) => json!({ "type": "paragraph", "text": [{ "text": text }, { "text": link, "href": url }] }),
        None => json!({ "type": "paragraph", "text": text.trim_end() }),
    }
}

/// The breadcrumb's categories, top-level first, ending with `primary`. A loop in the parents
/// (a broken site) is cut.
fn ancestry<'a>(primary: &'a Category, categories: &'a [Category]) -> Vec<&'a Category> {
    let mut chain = vec![primary];
    let mut current = primary;
    while current.parent != 0 && chain.len() < 16 {
        let Some(parent) = categories.iter().find(|category| category.id == current.parent) else { break };
        if chain.iter().any(|seen| seen.id == parent.id) {
            break;
        }
        chain.push(parent);
        current = parent;
    }
    chain.reverse();
    chain
}

/// The article id of a post's slug. WordPress keeps a slug with non-ASCII letters percent-encoded
/// (`%d8%af%d8%a7%d9%83%d8%a7%d8%b1` for « داكار »); the id is the text itself, which a reader's
/// URL carries percent-encoded once (`/api/articles/%D8%AF…`), as every id is.
pub fn slug_id(slug: &str) -> String {
    match percent_encoding::percent_decode_str(slug).decode_utf8() {
        Ok(decoded) => decoded.into_owned(),
        Err(_) => slug.to_string(),
    }
}

/// One post as an article. `categories` is every category of the site (for parents); `lang` is
/// `--lang`. The article's id is the post's slug; its comments and related news are ours.
pub fn article(post: &Value, site: &Site, categories: &[Category], lang: &str) -> Option<Mapped> {
    let post_id = post.get("id")?.as_i64()?;
    let slug = post.get("slug").and_then(Value::as_str).filter(|slug| !slug.trim().is_empty()).map(slug_id);
    let id = slug.unwrap_or_else(|| post_id.to_string());
    let url = post.get("link").and_then(Value::as_str);
    let headline = Some(html::text(rendered(post, "title"))).filter(|title| !title.is_empty()).unwrap_or_else(|| id.clone());
    let published = gmt(post, "date_gmt").or_else(|| gmt(post, "date"))?;

    let mut dropped = Vec::new();
    let body = if protected(post, "content") {
        vec![protected_note(lang, url)]
    } else {
        let converted = html::blocks(rendered(post, "content"), &site.base);
        dropped = converted.dropped;
        converted.blocks
    };

    let mut article = json!({
        // The body may hold tables and embeds, which contract 1.1 added.
        "version": CONTRACT_VERSION,
        "id": id,
        "lang": lang,
        "site": { "name": site.name, "url": site.home },
        "headline": headline,
        "published": published,
        "body": body,
        "related": { "url": format!("{}/related", api_article_path(&id)) },
        "comments": {
            "url": format!("{}/comments", crate::content::api_article_path(&id)),
            "open": post.get("comment_status").and_then(Value::as_str) == Some("open"),
        },
    });
    if let Some(url) = url {
        article["url"] = json!(url);
    }
    if let Some(modified) = gmt(post, "modified_gmt") {
        article["modified"] = json!(modified);
    }
    if !protected(post, "excerpt") {
        let dek = html::text(rendered(post, "excerpt"));
        if !dek.is_empty() {
            article["dek"] = json!(dek);
        }
    }
    let authors: Vec<Value> = embedded(post, "author")
        .iter()
        .filter_map(|author| {
            let name = html::text(author.get("name")?.as_str()?);
            (!name.is_empty()).then(|| json!({ "name": name, "url": author.get("link").and_then(Value::as_str) }))
        })
        .collect();
    if !authors.is_empty() {
        article["authors"] = json!(authors);
    }

    // The primary category: the first of the post's own list that the site knows, else the first
    // embedded one.
    let own: Vec<i64> = post.get("categories").and_then(Value::as_array).map(|ids| ids.iter().filter_map(Value::as_i64).collect()).unwrap_or_default();
    let embedded_categories: Vec<Category> = terms(post, "category")
        .filter_map(|term| {
            Some(Category {
                id: term.get("id")?.as_i64()?,
                name: html::text(term.get("name")?.as_str()?),
                link: term.get("link").and_then(Value::as_str).map(str::to_string),
                parent: 0,
            })
        })
        .collect();
    let primary = own
        .iter()
        .find_map(|id| categories.iter().find(|category| category.id == *id))
        .or_else(|| embedded_categories.first().and_then(|first| categories.iter().find(|category| category.id == first.id)))
        .or_else(|| embedded_categories.first());
    if let Some(primary) = primary {
        article["section"] = labelled(primary.name.clone(), primary.link.as_deref());
        let mut breadcrumb = vec![labelled(site.name.clone(), Some(&site.home))];
        breadcrumb.extend(ancestry(primary, categories).into_iter().map(|category| labelled(category.name.clone(), category.link.as_deref())));
        article["breadcrumb"] = json!(breadcrumb);
    }

    let tags: Vec<Value> = terms(post, "post_tag")
        .filter_map(|term| {
            let name = html::text(term.get("name")?.as_str()?);
            (!name.is_empty()).then(|| labelled(name, term.get("link").and_then(Value::as_str)))
        })
        .collect();
    if !tags.is_empty() {
        article["tags"] = json!(tags);
    }

    if let Some(media) = embedded(post, "wp:featuredmedia").first() {
        if let Some(image) = featured_image(media, &site.base) {
            article["image"] = image;
        }
    }
    Some(Mapped { article, post_id, category: primary.map(|category| category.id), dropped })
}

/// The featured media as an Image; `None` for an error object (a private attachment) or a media
/// that is not an http(s) image.
fn featured_image(media: &Value, base: &Url) -> Option<Value> {
    let source = media.get("source_url")?.as_str()?;
    let url = base.join(source).ok().filter(|url| matches!(url.scheme(), "http" | "https"))?;
    let mut image = json!({ "url": url.as_str() });
    if let Some(alt) = media.get("alt_text").and_then(Value::as_str).map(html::text).filter(|alt| !alt.is_empty()) {
        image["alt"] = json!(alt);
    }
    let caption = html::text(rendered(media, "caption"));
    if !caption.is_empty() {
        image["caption"] = json!(caption);
    }
    let details = media.get("media_details");
    let size = |name: &str| details.and_then(|details| details.get(name)).and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok());
    if let (Some(width), Some(height)) = (size("width"), size("height")) {
        image["width"] = json!(width);
        image["height"] = json!(height);
    }
    Some(image)
}
