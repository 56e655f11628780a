//! A WordPress comment's HTML (`content.rendered`, or `comment_content` in an export) as our plain
//! text (`docs/api.md`, "Comment"): paragraphs kept (a blank line between them), `<br>` a line
//! break, a link its http(s) address, every tag removed, entities decoded. Read by a real HTML
//! parser; what a script or a style holds is never text.

use scraper::{ElementRef, Html, Node};

/// Elements whose content is never text for a reader.
const SILENT: &[&str] = &["script", "style", "template", "iframe", "object", "embed", "svg", "math", "noscript", "head", "title"];
/// Elements that stand apart from what surrounds them: a paragraph of their own.
const BLOCKS: &[&str] = &[
    "p", "div", "blockquote", "pre", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "table", "tr",
    "section", "article", "address", "dl", "dt", "dd", "hr",
];

/// The plain text of comment HTML.
pub fn comment_text(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    let mut writer = TextWriter::default();
    writer.children(fragment.root_element());
    writer.finish()
}

/// The plain text of a comment as WordPress stores it (an export's `comment_content`): text with
/// some HTML, whose blank lines are paragraphs and single line breaks are `<br>` once shown
/// (WordPress's `wpautop`, done here before reading it as HTML).
pub fn stored_comment_text(stored: &str) -> String {
    let normalized = stored.replace("\r\n", "\n");
    let paragraphs: Vec<String> = normalized
        .split("\n\n")
        .map(str::trim)
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| format!("<p>{}</p>", paragraph.replace('\n', "<br>\n")))
        .collect();
    comment_text(&paragraphs.concat())
}

#[derive(Default)]
struct TextWriter {
    paragraphs: Vec<String>,
    current: String,
}

impl TextWriter {
    fn children(&mut self, element: ElementRef<'_>) {
        for child in element.children() {
            match child.value() {
                Node::Text(text) => self.text(text),
                Node::Element(_) => {
                    if let Some(child) = ElementRef::wrap(child) {
                        self.element(child);
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, element: ElementRef<'_>) {
        let name = element.value().name();
        if SILENT.contains(&name) {
            return;
        }
        match name {
            "br" => self.current.push('\n'),
            "a" => {
                let label = element.text().collect::<String>();
                match element.value().attr("href").and_then(web_address) {
                    // The address is what a reader can follow; the label is kept when it says more.
                    Some(address) if label.trim().is_empty() || same_address(label.trim(), &address) => self.text(&address),
                    Some(address) => {
                        self.children(element);
                        self.text(&format!(" ({address})"));
                    }
                    None => self.children(element),
                }
            }
            "img" => {
                if let Some(alt) = element.value().attr("alt").filter(|alt| !alt.trim().is_empty()) {
                    self.text(alt);
                }
            }
            _ if BLOCKS.contains(&name) => {
                self.end_paragraph();
                self.children(element);
                self.end_paragraph();
            }
            _ => self.children(element),
        }
    }

    fn text(&mut self, text: &str) {
        // HTML collapses runs of white space; a line break of the source is a space on screen.
        for character in text.chars() {
            if character.is_whitespace() && character != '\u{a0}' {
                if !self.current.is_empty() && !self.current.ends_with([' ', '\n']) {
                    self.current.push(' ');
                }
            } else {
                self.current.push(character);
            }
        }
    }

    fn end_paragraph(&mut self) {
        let lines: Vec<&str> = self.current.split('\n').map(str::trim).collect();
        let paragraph = lines.join("\n").trim_matches('\n').to_string();
        if !paragraph.is_empty() {
            self.paragraphs.push(paragraph);
        }
        self.current.clear();
    }

    fn finish(mut self) -> String {
        self.end_paragraph();
        self.paragraphs.join("\n\n").replace('\u{a0}', " ")
    }
}

/// `href` when it is an absolute http(s) address; anything else (javascript:, data:, relative) is
/// no address for a reader of plain text.
fn web_address(href: &str) -> Option<String> {
    let href = href.trim();
    let url = reqwest::Url::parse(href).ok()?;
    (matches!(url.scheme(), "http" | "https") && url.host().is_some()).then(|| href.to_string())
}

/// Whether a link's label is its own address (WordPress makes links of bare addresses).
fn same_address(label: &str, address: &str) -> bool {
    let bare = |text: &str| text.trim_end_matches('/').trim_start_matches("https://").trim_start_matches("http://").to_lowercase();
    bare(label) == bare(address)
}

#[cfg(test)]
mod tests {
    use super::comment_text;

    #[test]
    fn paragraphs_and_line_breaks_are_kept() {
        assert_eq!(comment_text("<p>Merci.</p>\n<p>Une question&nbsp;: pourquoi ?<br />\nEt quand ?</p>\n"), "Merci.\n\nUne question : pourquoi ?\nEt quand ?");
        assert_eq!(comment_text("Sans paragraphe"), "Sans paragraphe");
        assert_eq!(comment_text(""), "");
        assert_eq!(comment_text("<p>  </p><p>Seul</p>"), "Seul");
    }

    #[test]
    fn links_become_their_address() {
        assert_eq!(comment_text(r#"<p>Lire <a href="https://exemple.sn/dossier" rel="nofollow ugc">le dossier</a>.</p>"#), "Lire le dossier (https://exemple.sn/dossier).");
        assert_eq!(
            comment_text(r#"<p><a href="https://exemple.sn/x" rel="nofollow ugc">https://exemple.sn/x</a></p>"#),
            "https://exemple.sn/x",
            "a bare address is said once"
        );
        assert_eq!(comment_text(r#"<a href="/relative">ici</a> et <a href="mailto:a@b.sn">là</a>"#), "ici et là");
    }

    #[test]
    fn entities_are_decoded_and_tags_removed() {
        assert_eq!(comment_text("<p>L&#8217;été &amp; <strong>la</strong> <em>mer</em> &lt;3</p>"), "L’été & la mer <3");
        assert_eq!(comment_text("<ul><li>un</li><li>deux</li></ul>"), "un\n\ndeux");
        assert_eq!(comment_text("<blockquote>cité</blockquote>réponse"), "cité\n\nréponse");
    }

    #[test]
    fn hostile_markup_gives_no_code() {
        let text = comment_text(
            r#"<p>Avant<script>window.__pwned = 1</script> après <img src="x" onerror="window.__pwned = 2"> <a href="javascript:window.__pwned=3">piège</a> <a href="data:text/html,x">donnée</a><style>body{}</style><iframe src="https://evil.example"></iframe><svg><script>alert(1)</script></svg></p>"#,
        );
        assert_eq!(text, "Avant après piège donnée");
        for forbidden in ["pwned", "javascript", "data:", "evil", "alert", "<", "onerror"] {
            assert!(!text.contains(forbidden), "{forbidden} in {text:?}");
        }
    }

    #[test]
    fn stored_comments_get_their_paragraphs_from_blank_lines() {
        assert_eq!(super::stored_comment_text("Un.\r\nDeux.\r\n\r\n\r\nTrois <b>gras</b>"), "Un.\nDeux.\n\nTrois gras");
        assert_eq!(super::stored_comment_text("<p>déjà</p>"), "déjà");
        assert_eq!(super::stored_comment_text("a < b & c"), "a < b & c");
    }

    #[test]
    fn broken_html_is_read_as_browsers_read_it() {
        assert_eq!(comment_text("<p>ouvert <b>gras <i>et</p> fin"), "ouvert gras et\n\nfin");
        assert_eq!(comment_text("a < b > c"), "a < b > c");
    }
}
