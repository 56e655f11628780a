//! A post's `content.rendered` (HTML) → the contract's blocks, with a real HTML parser (html5ever,
//! through scraper). Nothing is passed on as HTML: text, marks and safe links only. What cannot be
//! shown (scripts, styles, frames, objects, SVG, event handlers, unsafe links and images) is left
//! out and named in [`Converted::dropped`], keeping whatever text a reader should still see.

use ego_tree::NodeRef;
use kiosque::model::embed_target;
use kiosque::model::parse::{MAX_TABLE_CELLS, MAX_TABLE_ROWS};
use reqwest::Url;
use scraper::{ElementRef, Html, Node};
use serde_json::{json, Map, Value};

/// Larger content is cut here (at a character boundary) before parsing: a news post is a few tens
/// of kilobytes; this bounds the parser's time and memory on a broken or hostile one.
pub const MAX_HTML_BYTES: usize = 2 * 1024 * 1024;
/// Elements nested deeper than this are left out, so a pathological tree never exhausts the stack.
const MAX_DEPTH: usize = 64;
/// More blocks than a reader would scroll through are left out.
const MAX_BLOCKS: usize = 5000;
/// The parser's time grows with the square of the nesting (it searches its stack of open
/// elements), 26 s for 15 000 levels in a debug build: the source is cut where its tags nest deeper
/// than this, estimated before parsing.
const MAX_SOURCE_DEPTH: usize = 1000;
/// Elements without an end tag, which do not nest.
const VOID: &[&str] = &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// Elements whose content is never shown, not even their text.
const DROPPED: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "svg", "math", "template", "noscript", "link", "meta", "base", "canvas",
    "form", "input", "button", "select", "textarea", "head", "title", "param", "source", "track", "embed", "applet",
];
/// Elements not shown whose fallback content (text for readers without the plugin) is kept.
const UNWRAPPED: &[&str] = &["object", "video", "audio", "picture"];

/// The blocks of a post, and what was left out of it.
#[derive(Debug, Default, PartialEq)]
pub struct Converted {
    pub blocks: Vec<Value>,
    pub dropped: Vec<String>,
}

/// A run of text with its marks; merged with its neighbour when they are alike.
#[derive(Clone, Debug, Default, PartialEq)]
struct Fragment {
    text: String,
    strong: bool,
    em: bool,
    code: bool,
    href: Option<String>,
}

impl Fragment {
    fn same_look(&self, other: &Fragment) -> bool {
        (self.strong, self.em, self.code, &self.href) == (other.strong, other.em, other.code, &other.href)
    }
}

/// Marks and link in force where a text node is.
#[derive(Clone, Default)]
struct InlineContext {
    strong: bool,
    em: bool,
    code: bool,
    href: Option<String>,
}

struct Converter<'a> {
    base: &'a Url,
    blocks: Vec<Value>,
    dropped: Vec<String>,
    /// Inline content met outside any paragraph, waiting to become one.
    loose: Vec<Fragment>,
}

/// `html` as blocks. Links and images are made absolute against `base` (the WordPress site), since
/// the widget runs on another origin.
pub fn blocks(html: &str, base: &Url) -> Converted {
    let mut converter = Converter { base, blocks: Vec::new(), dropped: Vec::new(), loose: Vec::new() };
    let html = if html.len() > MAX_HTML_BYTES {
        let mut end = MAX_HTML_BYTES;
        while !html.is_char_boundary(end) {
            end -= 1;
        }
        converter.dropped.push(format!("the content after its first {MAX_HTML_BYTES} bytes (of {})", html.len()));
        &html[..end]
    } else {
        html
    };
    let html = match too_deep_at(html) {
        Some(at) => {
            converter.dropped.push(format!("the content after byte {at}, where it nests more than {MAX_SOURCE_DEPTH} elements deep"));
            &html[..at]
        }
        None => html,
    };
    let document = Html::parse_fragment(html);
    converter.walk(*document.root_element(), 0);
    converter.flush();
    if converter.blocks.len() > MAX_BLOCKS {
        converter.dropped.push(format!("{} blocks after the first {MAX_BLOCKS}", converter.blocks.len() - MAX_BLOCKS));
        converter.blocks.truncate(MAX_BLOCKS);
    }
    Converted { blocks: converter.blocks, dropped: converter.dropped }
}

/// Where the tags of `html` first nest deeper than [`MAX_SOURCE_DEPTH`], counting start tags up
/// and end tags down: an estimate (unclosed `<p>` count as open) that only has to be cheap and
/// never lower than the parser's real depth by much.
fn too_deep_at(html: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut depth: usize = 0;
    let mut index = 0;
    while let Some(offset) = bytes[index..].iter().position(|&byte| byte == b'<') {
        let start = index + offset;
        index = start + 1;
        let closing = bytes.get(index) == Some(&b'/');
        let name_start = if closing { index + 1 } else { index };
        let name_end = bytes[name_start..].iter().position(|byte| !byte.is_ascii_alphanumeric()).map_or(bytes.len(), |end| name_start + end);
        if name_end == name_start || !bytes[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = html[name_start..name_end].to_ascii_lowercase();
        if closing {
            depth = depth.saturating_sub(1);
        } else if !VOID.contains(&name.as_str()) {
            // A tag's end is looked for nearby only, so that text full of `<` stays linear.
            let self_closed = bytes[name_end..]
                .iter()
                .take(4096)
                .position(|&byte| byte == b'>')
                .is_some_and(|end| end > 0 && bytes[name_end + end - 1] == b'/');
            if !self_closed {
                depth += 1;
                if depth > MAX_SOURCE_DEPTH {
                    return Some(start);
                }
            }
        }
    }
    None
}

/// The text of a bit of HTML (a title, an excerpt, a caption): tags removed, entities decoded,
/// whitespace collapsed; scripts and the like contribute nothing.
pub fn text(html: &str) -> String {
    let document = Html::parse_fragment(html);
    let mut out = String::new();
    collect_text(*document.root_element(), &mut out, 0);
    collapse(&out)
}

fn collect_text(node: NodeRef<'_, Node>, out: &mut String, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for child in node.children() {
        match child.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(element) if DROPPED.contains(&element.name()) => {}
            Node::Element(element) => {
                if matches!(element.name(), "br" | "p" | "div" | "li") {
                    out.push(' ');
                }
                collect_text(child, out, depth + 1);
            }
            _ => {}
        }
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr" | "b" | "bdi" | "bdo" | "br" | "cite" | "code" | "data" | "del" | "dfn" | "em" | "i" | "ins" | "kbd" | "mark"
            | "q" | "s" | "samp" | "small" | "span" | "strong" | "sub" | "sup" | "time" | "tt" | "u" | "var" | "wbr" | "font"
    )
}

fn inline_json(fragments: &[Fragment]) -> Value {
    Value::Array(
        fragments
            .iter()
            .map(|fragment| {
                let mut object = Map::new();
                object.insert("text".into(), Value::String(fragment.text.clone()));
                let marks: Vec<&str> = [(fragment.strong, "strong"), (fragment.em, "em"), (fragment.code, "code")]
                    .into_iter()
                    .filter_map(|(on, mark)| on.then_some(mark))
                    .collect();
                if !marks.is_empty() {
                    object.insert("marks".into(), json!(marks));
                }
                if let Some(href) = &fragment.href {
                    object.insert("href".into(), Value::String(href.clone()));
                }
                Value::Object(object)
            })
            .collect(),
    )
}

/// Fragments with whitespace collapsed inside and trimmed at both ends; empty ones removed.
fn tidy(fragments: Vec<Fragment>) -> Vec<Fragment> {
    let mut out: Vec<Fragment> = Vec::new();
    for mut fragment in fragments {
        let mut collapsed = String::with_capacity(fragment.text.len());
        let mut last_space = out.last().is_none_or(|previous: &Fragment| previous.text.ends_with(' '));
        for c in fragment.text.chars() {
            if c.is_whitespace() {
                if !last_space {
                    collapsed.push(' ');
                }
                last_space = true;
            } else {
                collapsed.push(c);
                last_space = false;
            }
        }
        fragment.text = collapsed;
        if fragment.text.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(previous) if previous.same_look(&fragment) => previous.text.push_str(&fragment.text),
            _ => out.push(fragment),
        }
    }
    if let Some(last) = out.last_mut() {
        let trimmed = last.text.trim_end().len();
        last.text.truncate(trimmed);
    }
    out.retain(|fragment| !fragment.text.is_empty());
    out
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" | "h2" => Some(2),
        "h3" => Some(3),
        "h4" | "h5" | "h6" => Some(4),
        _ => None,
    }
}

fn has_class(element: &ElementRef<'_>, class: &str) -> bool {
    element.value().classes().any(|name| name == class)
}

impl Converter<'_> {
    /// A link the widget may follow: http(s) or mailto once made absolute, or an in-page anchor.
    fn link(&mut self, raw: &str) -> Option<String> {
        let cleaned: String = raw.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
        let cleaned = cleaned.trim();
        if cleaned.starts_with('#') {
            return Some(cleaned.to_string());
        }
        match self.base.join(cleaned) {
            Ok(url) if matches!(url.scheme(), "http" | "https" | "mailto") => Some(url.to_string()),
            _ => {
                let scheme = cleaned.split(':').next().unwrap_or_default().to_ascii_lowercase();
                self.dropped.push(format!("a {scheme}: link (its text is kept)"));
                None
            }
        }
    }

    /// An image the widget may fetch: http(s) once made absolute.
    fn image_src(&mut self, raw: &str) -> Option<String> {
        match self.base.join(raw.trim()) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => Some(url.to_string()),
            _ => {
                let scheme = raw.trim().split(':').next().unwrap_or_default().to_ascii_lowercase();
                self.dropped.push(format!("an image with a {scheme}: address"));
                None
            }
        }
    }

    fn note_handlers(&mut self, element: &ElementRef<'_>) {
        for (name, _) in element.value().attrs() {
            if name.len() > 2 && name[..2].eq_ignore_ascii_case("on") {
                self.dropped.push(format!("the {name} attribute of <{}>", element.value().name()));
            }
        }
    }

    fn push(&mut self, block: Value) {
        self.blocks.push(block);
    }

    fn flush(&mut self) {
        let loose = tidy(std::mem::take(&mut self.loose));
        if !loose.is_empty() {
            self.push(json!({ "type": "paragraph", "text": inline_json(&loose) }));
        }
    }

    fn too_deep(&mut self, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            self.dropped.push(format!("content nested more than {MAX_DEPTH} elements deep"));
            return true;
        }
        false
    }

    /// Block-level content: each element becomes zero or more blocks.
    fn walk(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        if self.too_deep(depth) {
            return;
        }
        for child in node.children() {
            match child.value() {
                Node::Text(text) => self.loose.push(Fragment { text: text.to_string(), ..Fragment::default() }),
                Node::Element(_) => {
                    if let Some(element) = ElementRef::wrap(child) {
                        self.element(element, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, element: ElementRef<'_>, depth: usize) {
        let name = element.value().name();
        self.note_handlers(&element);
        if DROPPED.contains(&name) {
            self.dropped.push(format!("<{name}>"));
            return;
        }
        if is_inline(name) {
            let mut fragments = std::mem::take(&mut self.loose);
            let mut hoisted = Vec::new();
            self.inline_element(element, &InlineContext::default(), &mut fragments, &mut hoisted, depth);
            self.loose = fragments;
            for image in hoisted {
                self.flush();
                self.push(image);
            }
            return;
        }
        self.flush();
        if let Some(level) = heading_level(name) {
            let text = self.inline(*element, depth);
            if !text.is_empty() {
                self.push(json!({ "type": "heading", "level": level, "text": inline_json(&text) }));
            }
            return;
        }
        match name {
            "p" | "pre" | "address" => {
                let style = InlineContext { code: name == "pre", ..InlineContext::default() };
                let mut fragments = Vec::new();
                let mut hoisted = Vec::new();
                self.inline_children(*element, &style, &mut fragments, &mut hoisted, depth);
                let fragments = tidy(fragments);
                if !fragments.is_empty() {
                    self.push(json!({ "type": "paragraph", "text": inline_json(&fragments) }));
                }
                for image in hoisted {
                    self.push(image);
                }
            }
            "ul" | "ol" => {
                let mut items = Vec::new();
                for item in element.children().filter_map(ElementRef::wrap) {
                    self.note_handlers(&item);
                    let text = self.inline(*item, depth + 1);
                    if !text.is_empty() {
                        items.push(inline_json(&text));
                    }
                }
                if !items.is_empty() {
                    self.push(json!({ "type": "list", "ordered": name == "ol", "items": items }));
                }
            }
            "blockquote" => {
                let mut fragments = Vec::new();
                let mut hoisted = Vec::new();
                let mut cite = None;
                for child in element.children() {
                    match ElementRef::wrap(child) {
                        Some(inner) if inner.value().name() == "cite" => cite = Some(collapse(&inner.text().collect::<String>())),
                        Some(inner) if !is_inline(inner.value().name()) && !fragments.is_empty() => {
                            // Paragraphs of a quotation, one after the other.
                            fragments.push(Fragment { text: " ".into(), ..Fragment::default() });
                            self.inline_element(inner, &InlineContext::default(), &mut fragments, &mut hoisted, depth + 1);
                        }
                        Some(inner) => self.inline_element(inner, &InlineContext::default(), &mut fragments, &mut hoisted, depth + 1),
                        None => {
                            if let Node::Text(text) = child.value() {
                                fragments.push(Fragment { text: text.to_string(), ..Fragment::default() });
                            }
                        }
                    }
                }
                let fragments = tidy(fragments);
                if !fragments.is_empty() {
                    let mut quote = json!({ "type": "quote", "text": inline_json(&fragments) });
                    if let Some(cite) = cite.filter(|cite| !cite.is_empty()) {
                        quote["cite"] = Value::String(cite);
                    }
                    self.push(quote);
                }
                for image in hoisted {
                    self.push(image);
                }
            }
            "hr" => self.push(json!({ "type": "divider" })),
            "img" => {
                if let Some(image) = self.image(element, None) {
                    self.push(image);
                }
            }
            "figure" if has_class(&element, "wp-block-embed") => self.embed(element),
            "figure" if child_table(element).is_some() => {
                // The block editor's table: the figure's caption is the table's.
                for inner in element.descendants().filter_map(ElementRef::wrap) {
                    self.note_handlers(&inner);
                }
                if let Some(table) = child_table(element) {
                    self.table(table, figure_caption(element), depth);
                }
            }
            "table" => self.table(element, None, depth),
            "figure" => self.figure(element, depth),
            name if UNWRAPPED.contains(&name) => {
                self.dropped.push(format!("<{name}> (its fallback text is kept)"));
                self.walk(*element, depth);
            }
            _ => self.walk(*element, depth),
        }
    }

    /// A figure: an image with its caption, a table, or anything else walked as blocks.
    fn figure(&mut self, figure: ElementRef<'_>, depth: usize) {
        let caption = figure_caption(figure);
        let images: Vec<ElementRef<'_>> = figure.descendants().filter_map(ElementRef::wrap).filter(|e| e.value().name() == "img").collect();
        if images.len() == 1 && !figure.descendants().filter_map(ElementRef::wrap).any(|e| e.value().name() == "table") {
            for element in figure.descendants().filter_map(ElementRef::wrap) {
                self.note_handlers(&element);
            }
            if let Some(image) = self.image(images[0], caption) {
                self.push(image);
            }
            return;
        }
        for child in figure.children() {
            match ElementRef::wrap(child) {
                Some(element) if element.value().name() == "figcaption" => {
                    let text = self.inline(*element, depth + 1);
                    if !text.is_empty() {
                        self.push(json!({ "type": "paragraph", "text": inline_json(&text) }));
                    }
                }
                Some(element) => self.element(element, depth + 1),
                None => {}
            }
        }
        self.flush();
    }

    fn image(&mut self, img: ElementRef<'_>, caption: Option<String>) -> Option<Value> {
        let src = img.value().attr("src").or_else(|| img.value().attr("data-src"))?;
        let url = self.image_src(src)?;
        let mut image = json!({ "type": "image", "url": url });
        let alt = img.value().attr("alt").map(collapse).filter(|alt| !alt.is_empty());
        if let Some(alt) = alt {
            image["alt"] = Value::String(alt);
        }
        if let Some(caption) = caption {
            image["caption"] = Value::String(caption);
        }
        let size = |name: &str| img.value().attr(name).and_then(|value| value.trim().parse::<u32>().ok()).filter(|n| *n > 0);
        if let (Some(width), Some(height)) = (size("width"), size("height")) {
            image["width"] = json!(width);
            image["height"] = json!(height);
        }
        Some(image)
    }

    /// A table block: `thead` rows (or a first row of `th` only, when there is no `thead`) as
    /// header rows, `tbody` and `tfoot` rows as rows, each cell's inline content kept. Spanning
    /// cells (`colspan`, `rowspan`) count as one. Beyond the contract's limits, rows and cells are
    /// left out (noted), so the article stays valid.
    fn table(&mut self, table: ElementRef<'_>, figure_caption: Option<String>, depth: usize) {
        let caption = table
            .children()
            .filter_map(ElementRef::wrap)
            .find(|child| child.value().name() == "caption")
            .map(|caption| collapse(&caption.text().collect::<String>()))
            .filter(|caption| !caption.is_empty())
            .or(figure_caption);
        let mut head: Vec<Value> = Vec::new();
        let mut rows: Vec<Value> = Vec::new();
        let (mut cut_rows, mut cut_cells) = (0, 0);
        let has_thead = table.children().filter_map(ElementRef::wrap).any(|section| section.value().name() == "thead");
        for row in table_rows(table) {
            let in_head = row.parent().and_then(ElementRef::wrap).is_some_and(|section| section.value().name() == "thead");
            let cells: Vec<ElementRef<'_>> = row.children().filter_map(ElementRef::wrap).filter(|cell| matches!(cell.value().name(), "td" | "th")).collect();
            if cells.is_empty() {
                continue;
            }
            let headers_only = head.is_empty() && rows.is_empty() && cells.iter().all(|cell| cell.value().name() == "th");
            if head.len() + rows.len() == MAX_TABLE_ROWS {
                cut_rows += 1;
                continue;
            }
            cut_cells += cells.len().saturating_sub(MAX_TABLE_CELLS);
            let values: Vec<Value> = cells.into_iter().take(MAX_TABLE_CELLS).map(|cell| {
                self.note_handlers(&cell);
                inline_json(&self.inline(*cell, depth + 3))
            }).collect();
            if in_head || (headers_only && !has_thead) {
                head.push(Value::Array(values));
            } else {
                rows.push(Value::Array(values));
            }
        }
        if cut_rows > 0 {
            self.dropped.push(format!("{cut_rows} table row(s) after the first {MAX_TABLE_ROWS}"));
        }
        if cut_cells > 0 {
            self.dropped.push(format!("{cut_cells} table cell(s) past the {MAX_TABLE_CELLS}th of their row"));
        }
        let all_blank = head.iter().chain(&rows).filter_map(Value::as_array).flatten().all(|cell| cell.as_array().is_none_or(Vec::is_empty));
        if all_blank {
            return;
        }
        let mut block = json!({ "type": "table", "rows": rows });
        if !head.is_empty() {
            block["head"] = Value::Array(head);
        }
        if let Some(caption) = caption {
            block["caption"] = Value::String(caption);
        }
        self.push(block);
    }

    /// An embed block: the provider from the figure's class, the address WordPress keeps in the
    /// wrapper's text (else a frame's or a link's), the caption as its title. Never a frame.
    fn embed(&mut self, figure: ElementRef<'_>) {
        let provider_slug = figure
            .value()
            .classes()
            .find_map(|class| class.strip_prefix("is-provider-").or_else(|| class.strip_prefix("wp-block-embed-")))
            .filter(|slug| !slug.is_empty());
        let caption = figure_caption(figure);
        let wrapper_text = collapse(&figure.text().collect::<String>());
        let from_text = wrapper_text.split(' ').find(|word| word.starts_with("https://") || word.starts_with("http://")).map(str::to_string);
        let from_element = figure.descendants().filter_map(ElementRef::wrap).find_map(|element| match element.value().name() {
            "iframe" => element.value().attr("src").map(str::to_string),
            "a" => element.value().attr("href").map(str::to_string),
            _ => None,
        });
        for element in figure.descendants().filter_map(ElementRef::wrap) {
            self.note_handlers(&element);
            if element.value().name() == "iframe" {
                self.dropped.push("<iframe> of an embed (shown as a link card)".into());
            }
        }
        let target = from_text.or(from_element).and_then(|raw| self.base.join(raw.trim()).ok()).and_then(|url| embed_target(url.as_str()));
        let Some((url, host)) = target else {
            self.dropped.push("an embed without an http(s) address".into());
            return;
        };
        let provider = provider_slug.map_or_else(|| host.strip_prefix("www.").unwrap_or(&host).to_string(), provider_name);
        let mut block = json!({ "type": "embed", "provider": provider, "url": url });
        if let Some(caption) = caption {
            block["title"] = Value::String(caption);
        }
        self.push(block);
    }

    /// The inline content of `node`, tidied; images in it are left out (noted).
    fn inline(&mut self, node: NodeRef<'_, Node>, depth: usize) -> Vec<Fragment> {
        let mut fragments = Vec::new();
        let mut hoisted = Vec::new();
        self.inline_children(node, &InlineContext::default(), &mut fragments, &mut hoisted, depth);
        if !hoisted.is_empty() {
            self.dropped.push(format!("{} image(s) inside a heading, list item, caption or table cell", hoisted.len()));
        }
        tidy(fragments)
    }

    fn inline_children(&mut self, node: NodeRef<'_, Node>, style: &InlineContext, out: &mut Vec<Fragment>, hoisted: &mut Vec<Value>, depth: usize) {
        if self.too_deep(depth) {
            return;
        }
        for child in node.children() {
            match child.value() {
                Node::Text(text) => out.push(Fragment {
                    text: text.to_string(),
                    strong: style.strong,
                    em: style.em,
                    code: style.code,
                    href: style.href.clone(),
                }),
                Node::Element(_) => {
                    if let Some(element) = ElementRef::wrap(child) {
                        self.inline_element(element, style, out, hoisted, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    fn inline_element(&mut self, element: ElementRef<'_>, style: &InlineContext, out: &mut Vec<Fragment>, hoisted: &mut Vec<Value>, depth: usize) {
        let name = element.value().name();
        self.note_handlers(&element);
        if DROPPED.contains(&name) {
            self.dropped.push(format!("<{name}>"));
            return;
        }
        let mut inner = style.clone();
        match name {
            "strong" | "b" => inner.strong = true,
            "em" | "i" => inner.em = true,
            "code" | "kbd" | "samp" | "tt" => inner.code = true,
            "a" => inner.href = element.value().attr("href").and_then(|href| self.link(href)),
            "br" => {
                out.push(Fragment { text: " ".into(), ..Fragment::default() });
                return;
            }
            "img" => {
                if let Some(image) = self.image(element, None) {
                    hoisted.push(image);
                }
                return;
            }
            _ => {}
        }
        if UNWRAPPED.contains(&name) {
            self.dropped.push(format!("<{name}> (its fallback text is kept)"));
        }
        self.inline_children(*element, &inner, out, hoisted, depth);
    }
}

/// The text of a figure's own `figcaption`, when it says something.
fn figure_caption(figure: ElementRef<'_>) -> Option<String> {
    figure
        .children()
        .filter_map(ElementRef::wrap)
        .find(|child| child.value().name() == "figcaption")
        .map(|caption| collapse(&caption.text().collect::<String>()))
        .filter(|caption| !caption.is_empty())
}

/// The table a figure holds (the block editor's `figure.wp-block-table`), if it is one.
fn child_table(figure: ElementRef<'_>) -> Option<ElementRef<'_>> {
    figure.children().filter_map(ElementRef::wrap).find(|child| child.value().name() == "table")
}

/// The rows of `table` in order (`thead`, `tbody`, `tfoot`, or rows directly in the table), not
/// those of a table nested in a cell.
fn table_rows(table: ElementRef<'_>) -> impl Iterator<Item = ElementRef<'_>> {
    table.children().filter_map(ElementRef::wrap).flat_map(|child| {
        let rows: Vec<ElementRef<'_>> = match child.value().name() {
            "thead" | "tbody" | "tfoot" => child.children().filter_map(ElementRef::wrap).filter(|row| row.value().name() == "tr").collect(),
            "tr" => vec![child],
            _ => Vec::new(),
        };
        rows
    })
}

/// A provider's name as its brand writes it, from WordPress's slug (`youtube`, `wordpress-tv`).
fn provider_name(slug: &str) -> String {
    match slug {
        "youtube" => "YouTube".into(),
        "twitter" => "X (Twitter)".into(),
        "tiktok" => "TikTok".into(),
        "soundcloud" => "SoundCloud".into(),
        "wordpress-tv" => "WordPress.tv".into(),
        "dailymotion" => "Dailymotion".into(),
        other => other
            .split('-')
            .filter(|word| !word.is_empty())
            .map(|word| {
                let mut chars = word.chars();
                chars.next().map(|first| first.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}
