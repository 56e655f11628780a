//! `kiosque-server import-wxr FILE`: the comments of a WordPress export (WXR, the RSS file of
//! Tools › Export) as comments of our store, under each post's slug. Reading the file is pure
//! ([`read_export`], tested natively); the store adds them in one transaction and remembers each
//! WordPress comment's number, so a second import of the same file adds nothing.

use std::collections::{BTreeMap, HashMap, HashSet};

use roxmltree::{Document, Node, ParsingOptions};

use crate::store::{ImportedComment, Imported, Status};
use crate::wordpress::comment_text::stored_comment_text;
use crate::wordpress::comments::gmt_ms;
use crate::wordpress::mapping::slug_id;

/// The namespaces of WXR 1.0, 1.1 and 1.2 all start so.
const WXR_NAMESPACE: &str = "http://wordpress.org/export/";
/// Name given to a comment whose author left none (WordPress shows « Anonyme » too).
const NO_NAME: &str = "Anonyme";

/// Why a comment of the export is not imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LeftOut {
    Spam,
    Trash,
    Pingback,
    Trackback,
    /// A reply under a comment left out: readers would not see it in WordPress either.
    ReplyToLeftOut,
    NoDate,
    /// Its parent is neither in the file nor imported before.
    ParentMissing,
}

impl LeftOut {
    pub fn label(self) -> &'static str {
        match self {
            LeftOut::Spam => "spam",
            LeftOut::Trash => "trash",
            LeftOut::Pingback => "pingbacks",
            LeftOut::Trackback => "trackbacks",
            LeftOut::ReplyToLeftOut => "replies to a comment left out",
            LeftOut::NoDate => "without a date",
            LeftOut::ParentMissing => "replies whose parent is missing",
        }
    }
}

/// What an export holds, ready to import.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Export {
    /// The site the comment numbers belong to (`wp:base_blog_url`, else the channel's link).
    pub site: String,
    /// Parents before their replies.
    pub comments: Vec<ImportedComment>,
    /// Article id and reason, for each comment left out.
    pub left_out: Vec<(String, LeftOut)>,
}

fn is_wxr(node: &Node<'_, '_>, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace().is_some_and(|ns| ns.starts_with(WXR_NAMESPACE))
}

fn child<'a, 'input>(node: &Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    node.children().find(|child| is_wxr(child, name))
}

fn text(node: &Node<'_, '_>, name: &str) -> String {
    child(node, name).map(|found| found.children().filter_map(|part| part.text()).collect::<String>()).unwrap_or_default().trim().to_string()
}

fn optional(value: String) -> Option<String> {
    Some(value).filter(|value| !value.is_empty())
}

/// Reads a WXR file. An error says, in words, why the file is not a WordPress export.
pub fn read_export(xml: &str) -> Result<Export, String> {
    // WXR files are written by WordPress and never carry a DTD, but some tools add one.
    let options = ParsingOptions { allow_dtd: true, ..ParsingOptions::default() };
    let document = Document::parse_with_options(xml, options).map_err(|error| format!("not well-formed XML: {error}"))?;
    let root = document.root_element();
    let channel = root
        .children()
        .find(|node| node.is_element() && node.tag_name().name() == "channel")
        .filter(|_| root.tag_name().name() == "rss")
        .ok_or("not a WordPress export: no <rss><channel>")?;
    if child(&channel, "wxr_version").is_none() {
        return Err("not a WordPress export: no <wp:wxr_version> (make the file with Tools › Export in wp-admin)".into());
    }
    let link = channel.children().find(|node| node.is_element() && node.tag_name().name() == "link").and_then(|node| node.text());
    let site = optional(text(&channel, "base_blog_url")).or_else(|| link.map(|link| link.trim().to_string())).unwrap_or_default();
    if site.is_empty() {
        return Err("the export names no site (<wp:base_blog_url>)".into());
    }

    let mut export = Export { site, ..Export::default() };
    let mut kept: Vec<ImportedComment> = Vec::new();
    let mut left_out_ids: HashSet<i64> = HashSet::new();
    let mut pending_replies: Vec<(ImportedComment, i64)> = Vec::new();
    for item in channel.children().filter(|node| node.is_element() && node.tag_name().name() == "item") {
        let post_id = text(&item, "post_id");
        let article_id = optional(text(&item, "post_name")).map(|slug| slug_id(&slug)).unwrap_or_else(|| post_id.clone());
        if article_id.is_empty() {
            continue;
        }
        for comment in item.children().filter(|node| is_wxr(node, "comment")) {
            let Ok(wordpress_id) = text(&comment, "comment_id").parse::<i64>() else {
                return Err(format!("a comment of “{article_id}” has no number (<wp:comment_id>)"));
            };
            let reason = match (text(&comment, "comment_type").as_str(), text(&comment, "comment_approved").as_str()) {
                ("pingback", _) => Some(LeftOut::Pingback),
                ("trackback", _) => Some(LeftOut::Trackback),
                (_, "spam") => Some(LeftOut::Spam),
                (_, "trash" | "post-trashed") => Some(LeftOut::Trash),
                _ => None,
            };
            let created_ms = gmt_ms(&text(&comment, "comment_date_gmt")).or_else(|| gmt_ms(&text(&comment, "comment_date")));
            let (reason, created_ms) = match (reason, created_ms) {
                (Some(reason), _) => (Some(reason), 0),
                (None, None) => (Some(LeftOut::NoDate), 0),
                (None, Some(created_ms)) => (None, created_ms),
            };
            if let Some(reason) = reason {
                left_out_ids.insert(wordpress_id);
                export.left_out.push((article_id.clone(), reason));
                continue;
            }
            let name = text(&comment, "comment_author");
            let url = text(&comment, "comment_author_url");
            let imported = ImportedComment {
                article_id: article_id.clone(),
                wordpress_id,
                wordpress_parent: text(&comment, "comment_parent").parse::<i64>().ok().filter(|parent| *parent > 0),
                author_name: if name.is_empty() { NO_NAME.to_string() } else { crate::wordpress::html::text(&name) },
                author_email: optional(text(&comment, "comment_author_email")),
                author_url: Some(url).filter(|url| url.starts_with("https://") || url.starts_with("http://")),
                text: stored_comment_text(&text(&comment, "comment_content")),
                created_ms,
                status: if text(&comment, "comment_approved") == "1" { Status::Approved } else { Status::Pending },
            };
            match imported.wordpress_parent {
                Some(parent) => pending_replies.push((imported, parent)),
                None => kept.push(imported),
            }
        }
    }
    // Replies after their parent, whatever the file's order; a reply under a comment left out is
    // left out too, and one whose parent is nowhere in the file goes last (the store may know it).
    let mut placed: HashSet<i64> = kept.iter().map(|comment| comment.wordpress_id).collect();
    loop {
        let before = pending_replies.len();
        let mut waiting = Vec::new();
        for (reply, parent) in pending_replies {
            if placed.contains(&parent) {
                placed.insert(reply.wordpress_id);
                kept.push(reply);
            } else if left_out_ids.contains(&parent) {
                left_out_ids.insert(reply.wordpress_id);
                export.left_out.push((reply.article_id.clone(), LeftOut::ReplyToLeftOut));
            } else {
                waiting.push((reply, parent));
            }
        }
        pending_replies = waiting;
        if pending_replies.is_empty() || pending_replies.len() == before {
            break;
        }
    }
    kept.extend(pending_replies.into_iter().map(|(reply, _)| reply));
    export.comments = kept;
    Ok(export)
}

/// Per article: how many comments were added, were there already, and were left out and why.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ArticleSummary {
    pub added: usize,
    pub already_there: usize,
    pub left_out: BTreeMap<LeftOut, usize>,
}

/// The import's outcome, by article.
pub fn summarize(export: &Export, outcomes: &[Imported]) -> BTreeMap<String, ArticleSummary> {
    let mut articles: BTreeMap<String, ArticleSummary> = BTreeMap::new();
    for (comment, outcome) in export.comments.iter().zip(outcomes) {
        let summary = articles.entry(comment.article_id.clone()).or_default();
        match outcome {
            Imported::Added => summary.added += 1,
            Imported::AlreadyThere => summary.already_there += 1,
            Imported::ParentMissing => *summary.left_out.entry(LeftOut::ParentMissing).or_default() += 1,
        }
    }
    for (article, reason) in &export.left_out {
        *articles.entry(article.clone()).or_default().left_out.entry(*reason).or_default() += 1;
    }
    articles
}

/// The summary as printed: one line of totals, then one line per article.
pub fn summary_text(articles: &BTreeMap<String, ArticleSummary>) -> String {
    let describe = |added: usize, already: usize, left_out: &BTreeMap<LeftOut, usize>| {
        let mut parts = vec![format!("{added} imported"), format!("{already} already there")];
        let total: usize = left_out.values().sum();
        if total > 0 {
            let reasons: Vec<String> = left_out.iter().map(|(reason, count)| format!("{count} {}", reason.label())).collect();
            parts.push(format!("{total} left out ({})", reasons.join(", ")));
        }
        parts.join(", ")
    };
    let mut totals: HashMap<&str, usize> = HashMap::new();
    let mut all_left_out: BTreeMap<LeftOut, usize> = BTreeMap::new();
    let mut lines = Vec::new();
    for (article, summary) in articles {
        *totals.entry("added").or_default() += summary.added;
        *totals.entry("already").or_default() += summary.already_there;
        for (reason, count) in &summary.left_out {
            *all_left_out.entry(*reason).or_default() += count;
        }
        lines.push(format!("  {article}: {}", describe(summary.added, summary.already_there, &summary.left_out)));
    }
    let head = format!(
        "Comments: {} (in {} articles).",
        describe(totals.get("added").copied().unwrap_or(0), totals.get("already").copied().unwrap_or(0), &all_left_out),
        articles.len()
    );
    std::iter::once(head).chain(lines).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPORT: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Le Courrier</title>
  <link>http://courrier.example</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>http://courrier.example</wp:base_site_url>
  <wp:base_blog_url>http://courrier.example</wp:base_blog_url>
  <item>
    <title>Grève</title>
    <wp:post_id>7</wp:post_id>
    <wp:post_name><![CDATA[greve]]></wp:post_name>
    <wp:comment>
      <wp:comment_id>12</wp:comment_id>
      <wp:comment_author><![CDATA[Moussa]]></wp:comment_author>
      <wp:comment_author_email><![CDATA[moussa@example.sn]]></wp:comment_author_email>
      <wp:comment_author_url>javascript:alert(1)</wp:comment_author_url>
      <wp:comment_date><![CDATA[2026-11-20 11:00:00]]></wp:comment_date>
      <wp:comment_date_gmt><![CDATA[2026-11-20 11:00:00]]></wp:comment_date_gmt>
      <wp:comment_content><![CDATA[Réponse à Awa.]]></wp:comment_content>
      <wp:comment_approved><![CDATA[0]]></wp:comment_approved>
      <wp:comment_type><![CDATA[comment]]></wp:comment_type>
      <wp:comment_parent>11</wp:comment_parent>
    </wp:comment>
    <wp:comment>
      <wp:comment_id>11</wp:comment_id>
      <wp:comment_author><![CDATA[Awa &amp; Co]]></wp:comment_author>
      <wp:comment_author_url>https://awa.example</wp:comment_author_url>
      <wp:comment_date_gmt><![CDATA[2026-11-20 10:00:00]]></wp:comment_date_gmt>
      <wp:comment_content><![CDATA[Premier paragraphe.
Deuxième ligne <a href="https://exemple.sn">lien</a>.

Second <script>alert(1)</script>paragraphe.]]></wp:comment_content>
      <wp:comment_approved><![CDATA[1]]></wp:comment_approved>
      <wp:comment_type><![CDATA[]]></wp:comment_type>
      <wp:comment_parent>0</wp:comment_parent>
    </wp:comment>
    <wp:comment>
      <wp:comment_id>13</wp:comment_id>
      <wp:comment_date_gmt>2026-11-20 12:00:00</wp:comment_date_gmt>
      <wp:comment_content>spam</wp:comment_content>
      <wp:comment_approved>spam</wp:comment_approved>
      <wp:comment_parent>0</wp:comment_parent>
    </wp:comment>
    <wp:comment>
      <wp:comment_id>14</wp:comment_id>
      <wp:comment_date_gmt>2026-11-20 13:00:00</wp:comment_date_gmt>
      <wp:comment_content>sous le spam</wp:comment_content>
      <wp:comment_approved>1</wp:comment_approved>
      <wp:comment_parent>13</wp:comment_parent>
    </wp:comment>
    <wp:comment>
      <wp:comment_id>15</wp:comment_id>
      <wp:comment_date_gmt>2026-11-20 13:00:00</wp:comment_date_gmt>
      <wp:comment_content>Un lien vers nous</wp:comment_content>
      <wp:comment_approved>1</wp:comment_approved>
      <wp:comment_type>pingback</wp:comment_type>
    </wp:comment>
  </item>
  <item>
    <wp:post_id>9</wp:post_id>
    <wp:post_name><![CDATA[%d8%af%d8%a7%d9%83%d8%a7%d8%b1]]></wp:post_name>
    <wp:comment>
      <wp:comment_id>20</wp:comment_id>
      <wp:comment_date_gmt>2026-11-21 10:00:00</wp:comment_date_gmt>
      <wp:comment_content>À la corbeille</wp:comment_content>
      <wp:comment_approved>trash</wp:comment_approved>
    </wp:comment>
  </item>
</channel>
</rss>"#;

    #[test]
    fn an_export_is_read_parents_first_and_left_out_counted() {
        let export = read_export(EXPORT).expect("an export");
        assert_eq!(export.site, "http://courrier.example");
        let ids: Vec<i64> = export.comments.iter().map(|comment| comment.wordpress_id).collect();
        assert_eq!(ids, [11, 12], "the reply after its parent");
        let first = &export.comments[0];
        assert_eq!(first.article_id, "greve");
        assert_eq!(first.author_name, "Awa & Co");
        assert_eq!(first.author_url.as_deref(), Some("https://awa.example"));
        assert_eq!(first.text, "Premier paragraphe.\nDeuxième ligne lien (https://exemple.sn).\n\nSecond paragraphe.");
        assert_eq!(crate::time::rfc3339_utc(first.created_ms), "2026-11-20T10:00:00Z");
        assert_eq!(first.status, Status::Approved);
        let reply = &export.comments[1];
        assert_eq!((reply.wordpress_parent, reply.status), (Some(11), Status::Pending));
        assert_eq!(reply.author_email.as_deref(), Some("moussa@example.sn"));
        assert_eq!(reply.author_url, None, "javascript: is no address");
        let mut left_out = export.left_out.clone();
        left_out.sort();
        assert_eq!(
            left_out,
            [
                ("greve".to_string(), LeftOut::Spam),
                ("greve".to_string(), LeftOut::Pingback),
                ("greve".to_string(), LeftOut::ReplyToLeftOut),
                ("داكار".to_string(), LeftOut::Trash),
            ]
        );
    }

    #[test]
    fn the_summary_says_what_happened_per_article() {
        let export = read_export(EXPORT).expect("an export");
        let articles = summarize(&export, &[Imported::Added, Imported::AlreadyThere]);
        assert_eq!(articles["greve"].added, 1);
        assert_eq!(articles["greve"].already_there, 1);
        assert_eq!(articles["داكار"].left_out[&LeftOut::Trash], 1);
        let text = summary_text(&articles);
        assert!(text.starts_with("Comments: 1 imported, 1 already there, 4 left out (1 spam, 1 trash, 1 pingbacks, 1 replies to a comment left out) (in 2 articles)."), "{text}");
        assert!(text.contains("  greve: 1 imported, 1 already there, 3 left out"), "{text}");
    }

    /// The test site's export, made by WordPress's own `export_wp()` (scripts/wordpress-site.php).
    const CAPTURED: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/wordpress/export.xml"));

    #[test]
    fn the_export_wordpress_made_is_read() {
        let export = read_export(CAPTURED).expect("WordPress's export");
        assert!(export.site.starts_with("http://127.0.0.1:"), "{}", export.site);
        let on = |article: &str| export.comments.iter().filter(|comment| comment.article_id == article).collect::<Vec<_>>();
        let greve = on("greve-au-port-de-dakar");
        let names: Vec<&str> = greve.iter().map(|comment| comment.author_name.as_str()).collect();
        // Threads first, then their replies level by level (parents always before); WordPress leaves
        // spam out of its exports, so the reply under it goes last, its parent unknown.
        assert_eq!(names, ["Awa Ndiaye", "Pirate", "Moussa Diop", "Fatou Sall", "Ibrahima Fall", "En attente", "Sous attente", "Sous spam"]);
        assert_eq!(on("lete-a-dakar").len(), 1);
        let awa = greve[0];
        assert_eq!(awa.text, "Merci pour cet article.\n\nUne question : quand reprend le travail ?");
        assert_eq!((awa.author_email.as_deref(), awa.author_url.as_deref()), (Some("awa@example.sn"), Some("https://awa.example")));
        assert_eq!(crate::time::rfc3339_utc(awa.created_ms), "2026-11-20T10:01:00Z");
        let held = greve.iter().find(|comment| comment.author_name == "En attente").expect("held");
        assert_eq!((held.status, held.wordpress_parent), (Status::Pending, Some(awa.wordpress_id)));
        let pirate = greve.iter().find(|comment| comment.author_name == "Pirate").expect("hostile");
        assert_eq!(pirate.text, "Bonjour cliquez ici fin.");
        assert_eq!(pirate.author_url, None);
        let mut left_out = export.left_out.clone();
        left_out.sort();
        assert_eq!(left_out, [("greve-au-port-de-dakar".to_string(), LeftOut::Trash), ("greve-au-port-de-dakar".to_string(), LeftOut::Pingback)]);
    }

    #[test]
    fn what_is_not_an_export_is_refused_in_words() {
        for (xml, expected) in [
            ("", "not well-formed XML"),
            ("<rss><channel><item>", "not well-formed XML"),
            ("<html><body/></html>", "no <rss><channel>"),
            ("<rss version=\"2.0\"><channel><title>Un flux</title></channel></rss>", "no <wp:wxr_version>"),
            (
                "<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><wp:wxr_version>1.2</wp:wxr_version><item><wp:post_name>x</wp:post_name><wp:comment><wp:comment_id>n</wp:comment_id></wp:comment></item><link>http://a.example</link></channel></rss>",
                "has no number",
            ),
        ] {
            let error = read_export(xml).expect_err(xml);
            assert!(error.contains(expected), "{xml}: {error}");
        }
        let empty = "<rss xmlns:wp=\"http://wordpress.org/export/1.1/\"><channel><link>http://a.example</link><wp:wxr_version>1.1</wp:wxr_version></channel></rss>";
        assert_eq!(read_export(empty).expect("an empty export").comments, []);
    }
}
