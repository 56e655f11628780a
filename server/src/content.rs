//! The articles: every top-level `*.json` of the content directory that passes the widget's own
//! parser, loaded once at start-up, and the related news computed from them.

use std::collections::BTreeMap;
use std::path::Path;

use kiosque::model::{parse_article, Article, Image, Link, RelatedItem};
use serde_json::{json, Value};

/// One article: the document as the publisher wrote it (served as is) and its parsed form.
pub struct Entry {
    pub raw: String,
    pub article: Article,
}

/// A file of the content directory that was not loaded, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub file: String,
    pub reason: String,
}

#[derive(Default)]
pub struct Library {
    articles: BTreeMap<String, Entry>,
}

impl Library {
    /// Loads the directory, in file-name order. Only an unreadable directory is an error; a bad
    /// file is skipped and reported, so one broken article never keeps the others offline.
    pub fn load(directory: &Path) -> std::io::Result<(Library, Vec<Skipped>)> {
        let mut files: Vec<_> = std::fs::read_dir(directory)?
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file() || kind.is_symlink()))
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
            .collect();
        files.sort();
        let mut library = Library::default();
        let mut skipped = Vec::new();
        for path in files {
            let file = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
            let raw = match std::fs::read(&path).map(String::from_utf8) {
                Ok(Ok(raw)) => raw,
                Ok(Err(_)) => {
                    skipped.push(Skipped { file, reason: "not UTF-8 text".into() });
                    continue;
                }
                Err(error) => {
                    skipped.push(Skipped { file, reason: error.to_string() });
                    continue;
                }
            };
            match parse_article(&raw) {
                Err(error) => skipped.push(Skipped { file, reason: error.to_string() }),
                Ok(parsed) if library.articles.contains_key(&parsed.article.id) => {
                    skipped.push(Skipped { file, reason: format!("the id “{}” is already taken by another file", parsed.article.id) });
                }
                Ok(parsed) => {
                    library.articles.insert(parsed.article.id.clone(), Entry { raw, article: parsed.article });
                }
            }
        }
        Ok((library, skipped))
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.articles.get(id)
    }

    /// Every article, by id.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.articles.values()
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// The related news of `article`, every page together (`docs/api.md`): its own related items
    /// when it lists valid ones, else the newest articles of its section.
    pub fn related(&self, article: &Article) -> Vec<Value> {
        let own_items = article.related.as_ref().map(|related| related.items.as_slice()).unwrap_or_default();
        if !own_items.is_empty() {
            return own_items.iter().map(|item| self.listed_item(item)).collect();
        }
        let Some(section) = &article.section else { return Vec::new() };
        let mut same_section: Vec<&Article> = self
            .articles
            .values()
            .map(|entry| &entry.article)
            .filter(|other| other.id != article.id)
            .filter(|other| other.section.as_ref().is_some_and(|s| s.label == section.label))
            .collect();
        // Newest first; the id breaks ties so that pages are stable.
        same_section.sort_by(|a, b| b.published.unix_ms.cmp(&a.published.unix_ms).then_with(|| a.id.cmp(&b.id)));
        same_section.into_iter().map(article_item).collect()
    }

    /// A related item the publisher wrote, pointing at this server's copy when it has the article.
    fn listed_item(&self, item: &RelatedItem) -> Value {
        let src = match &item.id {
            Some(id) if self.articles.contains_key(id) => Some(api_article_path(id)),
            _ => item.src.clone(),
        };
        json!({
            "id": item.id,
            "url": item.url.url,
            "src": src,
            "headline": item.headline,
            "section": item.section.as_ref().map(link_json),
            "image": item.image.as_ref().map(image_json),
            "published": item.published.as_ref().map(|t| t.rfc3339.as_str()),
        })
    }
}

/// An article as a related item (`docs/api.md`).
pub fn article_item(article: &Article) -> Value {
    let url = article.url.as_ref().map(|url| url.url.clone()).unwrap_or_else(|| format!("/articles/{}", encode_segment(&article.id)));
    json!({
        "id": article.id,
        "url": url,
        "src": api_article_path(&article.id),
        "headline": article.headline,
        "section": article.section.as_ref().map(link_json),
        "image": article.image.as_ref().map(image_json),
        "published": article.published.rfc3339,
    })
}

fn link_json(link: &Link) -> Value {
    json!({ "label": link.label, "url": link.href.as_ref().map(|href| href.url.as_str()) })
}

fn image_json(image: &Image) -> Value {
    json!({
        "url": image.src,
        "alt": image.alt,
        "caption": image.caption,
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
    })
}

pub fn api_article_path(id: &str) -> String {
    format!("/api/articles/{}", encode_segment(id))
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so any id is one path segment.
pub fn encode_segment(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::encode_segment;

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(encode_segment("fr-complet_2.v~1"), "fr-complet_2.v~1");
        assert_eq!(encode_segment("a b/c?d#é"), "a%20b%2Fc%3Fd%23%C3%A9");
    }
}
