//! Article JSON → [`Article`], with a precise, localizable reason when the document breaks the
//! contract, and a list of [`Notice`]s for what was repaired or ignored on the way.

use std::fmt;

use serde_json::{Map, Value};

use super::article::{Article, Block, CommentsInfo, Embed, Image, Inline, Link, Related, RelatedItem, Span, Table};
use super::related::RelatedPage;
use super::datetime::Timestamp;
use super::json_split::{array_elements, object_members};
use super::links::{embed_target, safe_href, safe_image_src, SafeUrl};
use super::repeats::collapse_repeated_runs;
use crate::i18n::{Key, Lang};

/// The contract version this model reads (`docs/article-contract.md`), which producers such as the
/// reference server write in a document's `version`.
pub const CONTRACT_VERSION: &str = "1.1";
/// The most rows a table may have, header rows included, and the most cells in one row: far more
/// than a reader scrolls through on a phone, and a bound on what one block costs to lay out.
pub const MAX_TABLE_ROWS: usize = 1000;
pub const MAX_TABLE_CELLS: usize = 50;

/// Why a document cannot be shown, and where in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// A JSON path such as `body[3].level`; empty for the whole document.
    pub path: String,
    pub problem: Problem,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    Malformed { line: usize, column: usize },
    NotAnObject,
    Missing,
    WrongType(Expected),
    Invalid(Rule),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    String,
    Integer,
    Boolean,
    Array,
    Object,
    Inline,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    Rfc3339,
    HeadingLevel,
    BlockType,
    TableSize,
}

impl Expected {
    fn key(self) -> Key {
        match self {
            Expected::String => Key::TypeString,
            Expected::Integer => Key::TypeInteger,
            Expected::Boolean => Key::TypeBoolean,
            Expected::Array => Key::TypeArray,
            Expected::Object => Key::TypeObject,
            Expected::Inline => Key::TypeInline,
        }
    }
}

impl Rule {
    fn key(self) -> Key {
        match self {
            Rule::Rfc3339 => Key::ValueRfc3339,
            Rule::HeadingLevel => Key::ValueHeadingLevel,
            Rule::BlockType => Key::ValueBlockType,
            Rule::TableSize => Key::ValueTableSize,
        }
    }
}

impl ParseError {
    pub(crate) fn at(path: &str, problem: Problem) -> ParseError {
        ParseError { path: path.to_string(), problem }
    }

    /// The reason in the reader's language, for the error's disclosure.
    pub fn message(&self, lang: Lang) -> String {
        let path = self.path.as_str();
        match self.problem {
            Problem::Malformed { line, column } => lang.fill(
                Key::ReasonMalformedJson,
                &[("line", &line.to_string()), ("column", &column.to_string())],
            ),
            Problem::NotAnObject => lang.text(Key::ReasonNotAnObject).to_string(),
            Problem::Missing => lang.fill(Key::ReasonMissingField, &[("path", path)]),
            Problem::WrongType(expected) => {
                lang.fill(Key::ReasonWrongType, &[("path", path), ("expected", lang.text(expected.key()))])
            }
            Problem::Invalid(rule) => {
                lang.fill(Key::ReasonInvalidValue, &[("path", path), ("expected", lang.text(rule.key()))])
            }
        }
    }
}

impl fmt::Display for ParseError {
    /// The developer-facing form, for the console.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message(Lang::En))
    }
}

/// Something the widget repaired or ignored in a document it could show; logged to the console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Block types this version does not know, with how many blocks of each were left out.
    UnknownBlockTypes(Vec<(String, usize)>),
    /// `paragraphs` paragraphs starting at body index `at` were repeated `extra_copies` more times.
    RepeatedRun { at: usize, paragraphs: usize, extra_copies: usize },
    UnsafeUrlDropped { path: String },
    EmptyBlockSkipped { path: String },
    RelatedItemSkipped { path: String, reason: String },
    /// An embed whose address is not an absolute http(s) URL; the block is left out.
    EmbedSkipped { path: String },
    /// A `version` other than the 1.x this model reads (quoted as the document wrote it, or "(not a
    /// text)"); the document is read all the same.
    UnknownVersion(String),
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notice::UnknownBlockTypes(types) => {
                let list: Vec<String> = types.iter().map(|(t, n)| format!("\"{t}\" ×{n}")).collect();
                write!(f, "Kiosque: unknown block types ignored: {}", list.join(", "))
            }
            Notice::RepeatedRun { at, paragraphs, extra_copies } => write!(
                f,
                "Kiosque: {paragraphs} paragraphs starting at body[{at}] were repeated {extra_copies} more time(s); shown once"
            ),
            Notice::UnsafeUrlDropped { path } => {
                write!(f, "Kiosque: {path}: URL refused (only http, https, mailto and relative URLs are allowed)")
            }
            Notice::EmptyBlockSkipped { path } => write!(f, "Kiosque: {path}: empty block skipped"),
            Notice::RelatedItemSkipped { path, reason } => write!(f, "Kiosque: {path}: related item skipped ({reason})"),
            Notice::EmbedSkipped { path } => write!(f, "Kiosque: {path}: embed skipped (only absolute http and https addresses are shown)"),
            Notice::UnknownVersion(version) => write!(
                f,
                "Kiosque: contract version {version} is not one this widget knows (1.0 to {CONTRACT_VERSION}); what it does not know is skipped"
            ),
        }
    }
}

/// A document the widget can show, and what it had to change to show it.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub article: Article,
    pub notices: Vec<Notice>,
}

/// The top-level object of a JSON document from the network, or why there is none.
pub(crate) fn json_object(json: &str) -> Result<Map<String, Value>, ParseError> {
    match serde_json::from_str(json) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ParseError::at("", Problem::NotAnObject)),
        Err(e) => Err(ParseError::at("", Problem::Malformed { line: e.line(), column: e.column() })),
    }
}

/// The top-level object of a JSON document from the network, each member read except `kept`,
/// whose text is returned as it is, to be read a piece at a time (see [`super::json_split`]).
/// Every member is read, known or not, so that broken JSON anywhere is refused; as in a `Value`,
/// the last of two members with the same name counts.
pub(crate) fn object_keeping<'a>(json: &'a str, kept: &str) -> Result<(Map<String, Value>, Option<&'a str>), ParseError> {
    // Not an object, or not JSON: reading the whole document says which, and where.
    let members = object_members(json).ok_or_else(|| json_object(json).err().unwrap_or_else(|| ParseError::at("", Problem::NotAnObject)))?;
    let (mut map, mut kept_text) = (Map::new(), None);
    for (key, raw) in members {
        let Value::String(name) = json_part(json, key)? else { continue };
        if name == kept {
            if let Some(earlier) = kept_text.replace(raw) {
                json_part(json, earlier)?;
            }
        } else {
            map.insert(name, json_part(json, raw)?);
        }
    }
    Ok((map, kept_text))
}

/// `part` (a slice of `document`, see [`super::json_split`]) read as JSON; if it is broken, the
/// error says where in the whole document.
pub(crate) fn json_part(document: &str, part: &str) -> Result<Value, ParseError> {
    serde_json::from_str(part).map_err(|e| {
        // serde_json counts lines from 1, and columns as bytes from the start of the line.
        let line_start = match e.line() {
            0 | 1 => 0,
            line => part.match_indices('\n').nth(line - 2).map_or(0, |(i, _)| i + 1),
        };
        let offset = (part.as_ptr() as usize).saturating_sub(document.as_ptr() as usize);
        let at = (offset + line_start + e.column()).min(document.len());
        let before = &document.as_bytes()[..at];
        let line = 1 + before.iter().filter(|&&byte| byte == b'\n').count();
        let column = at - before.iter().rposition(|&byte| byte == b'\n').map_or(0, |i| i + 1);
        ParseError::at("", Problem::Malformed { line, column })
    })
}

/// Reads an article. Its body is read a block at a time from the raw text (see
/// [`super::json_split`]): a 3 000-block article is 0.6 MB of JSON but 4.2 MB as one `Value`
/// tree, and the wasm's memory keeps its peak for good. The errors are those of reading the whole
/// document at once, in the same order: broken JSON anywhere first, then the fields in the order
/// [`read_article`] reads them.
pub fn parse_article(json: &str) -> Result<Parsed, ParseError> {
    let (map, body) = object_keeping(json, "body")?;
    let mut notices = Vec::new();
    let body = read_body(json, body, &mut notices)?;
    let root = Obj { map: &map, path: String::new() };
    let mut article = read_article(&root, body, &mut notices)?;
    article.body = collapse_repeated_runs(std::mem::take(&mut article.body), &mut notices);
    Ok(Parsed { article, notices })
}

/// The body's blocks, each read from its own text. Broken JSON is returned at once (`Err`); a
/// block that breaks the contract is kept (`Ok(Err(..))`) for [`read_article`] to report in its
/// turn, after the fields it checks first.
fn read_body(json: &str, raw: Option<&str>, notices: &mut Vec<Notice>) -> Result<Result<Vec<Block>, ParseError>, ParseError> {
    let elements = match raw.map(|raw| (raw, array_elements(raw))) {
        None | Some(("null", _)) => return Ok(Err(ParseError::at("body", Problem::Missing))),
        Some((_, Some(elements))) => elements,
        Some((raw, None)) => {
            json_part(json, raw)?;
            return Ok(Err(ParseError::at("body", Problem::WrongType(Expected::Array))));
        }
    };
    let (mut blocks, mut unknown) = (Vec::with_capacity(elements.len()), Vec::new());
    let outcome = read_elements(json, elements, &mut |i, value| {
        blocks.extend(read_block(value, format!("body[{i}]"), &mut unknown, notices)?);
        Ok(())
    })?;
    if !unknown.is_empty() && outcome.is_ok() {
        notices.push(Notice::UnknownBlockTypes(unknown));
    }
    Ok(outcome.map(|()| blocks))
}

/// Reads the elements of an array (see [`super::json_split`]) one at a time with `read`. Broken
/// JSON in any element is the error (`Err`), as when reading the whole document; otherwise the
/// first element `read` refuses (`Ok(Err(..))`), after which it is not called again. Not generic:
/// one copy in the wasm serves the body and the comments.
pub(crate) fn read_elements(
    json: &str,
    elements: Vec<&str>,
    read: &mut dyn FnMut(usize, &Value) -> Result<(), ParseError>,
) -> Result<Result<(), ParseError>, ParseError> {
    let mut outcome = Ok(());
    for (i, element) in elements.into_iter().enumerate() {
        let value = json_part(json, element)?;
        if outcome.is_ok() {
            outcome = read(i, &value);
        }
    }
    Ok(outcome)
}

/// A page of related news as the reference server answers `GET /api/articles/{id}/related`
/// (`docs/api.md`): `{ title, items, next }`. Broken items are skipped like inline ones.
pub fn parse_related_page(json: &str) -> Result<(RelatedPage, Vec<Notice>), ParseError> {
    let map = json_object(json)?;
    let mut notices = Vec::new();
    let root = Obj { map: &map, path: String::new() };
    let items = root
        .array("items")?
        .into_iter()
        .filter_map(|(path, value)| read_related_item(value, path, &mut notices))
        .collect();
    let page = RelatedPage { title: root.text("title")?, items, next: root.endpoint("next", &mut notices)? };
    Ok((page, notices))
}

/// One JSON object and its path, with typed accessors that treat `null` as absent.
struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

fn as_object<'a>(value: &'a Value, path: String) -> Result<Obj<'a>, ParseError> {
    match value {
        Value::Object(map) => Ok(Obj { map, path }),
        _ => Err(ParseError { path, problem: Problem::WrongType(Expected::Object) }),
    }
}

fn as_text(value: &Value, path: &str) -> Result<Option<String>, ParseError> {
    match value {
        Value::String(text) => {
            let text = text.trim();
            Ok((!text.is_empty()).then(|| text.to_string()))
        }
        _ => Err(ParseError::at(path, Problem::WrongType(Expected::String))),
    }
}

impl<'a> Obj<'a> {
    fn path_of(&self, name: &str) -> String {
        join(&self.path, name)
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|value| !value.is_null())
    }

    fn text(&self, name: &str) -> Result<Option<String>, ParseError> {
        self.get(name).map_or(Ok(None), |value| as_text(value, &self.path_of(name)))
    }

    fn required_text(&self, name: &str) -> Result<String, ParseError> {
        self.text(name)?.ok_or_else(|| ParseError::at(&self.path_of(name), Problem::Missing))
    }

    fn boolean(&self, name: &str) -> Result<Option<bool>, ParseError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(_) => Err(ParseError::at(&self.path_of(name), Problem::WrongType(Expected::Boolean))),
        }
    }

    fn count(&self, name: &str) -> Result<Option<u32>, ParseError> {
        match self.get(name) {
            None => Ok(None),
            Some(value) => value
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| ParseError::at(&self.path_of(name), Problem::WrongType(Expected::Integer))),
        }
    }

    fn object(&self, name: &str) -> Result<Option<Obj<'a>>, ParseError> {
        self.get(name).map(|value| as_object(value, self.path_of(name))).transpose()
    }

    /// The elements of an array field with their paths; an absent field is an empty array.
    fn array(&self, name: &str) -> Result<Vec<(String, &'a Value)>, ParseError> {
        match self.get(name) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => {
                let path = self.path_of(name);
                Ok(items.iter().enumerate().map(|(i, item)| (format!("{path}[{i}]"), item)).collect())
            }
            Some(_) => Err(ParseError::at(&self.path_of(name), Problem::WrongType(Expected::Array))),
        }
    }

    fn required_array(&self, name: &str) -> Result<Vec<(String, &'a Value)>, ParseError> {
        if self.get(name).is_none() {
            return Err(ParseError::at(&self.path_of(name), Problem::Missing));
        }
        self.array(name)
    }

    fn timestamp(&self, name: &str) -> Result<Option<Timestamp>, ParseError> {
        self.text(name)?
            .map(|text| Timestamp::parse(&text).ok_or_else(|| ParseError::at(&self.path_of(name), Problem::Invalid(Rule::Rfc3339))))
            .transpose()
    }

    /// A URL field passed through `vet`; one it refuses is dropped (and noticed), so the text or
    /// the rest of the object still shows.
    fn vetted<T>(&self, name: &str, vet: fn(&str) -> Option<T>, notices: &mut Vec<Notice>) -> Result<Option<T>, ParseError> {
        Ok(self.text(name)?.and_then(|raw| {
            let safe = vet(&raw);
            if safe.is_none() {
                notices.push(Notice::UnsafeUrlDropped { path: self.path_of(name) });
            }
            safe
        }))
    }

    /// A link target: http(s), mailto or relative.
    fn href(&self, name: &str, notices: &mut Vec<Notice>) -> Result<Option<SafeUrl>, ParseError> {
        self.vetted(name, safe_href, notices)
    }

    /// An address the widget itself fetches: http(s) or relative only.
    fn endpoint(&self, name: &str, notices: &mut Vec<Notice>) -> Result<Option<String>, ParseError> {
        self.vetted(name, safe_image_src, notices)
    }
}

fn read_link(obj: &Obj, label_field: &str, notices: &mut Vec<Notice>) -> Result<Link, ParseError> {
    Ok(Link { label: obj.required_text(label_field)?, href: obj.href("url", notices)? })
}

fn read_optional_link(parent: &Obj, name: &str, label_field: &str, notices: &mut Vec<Notice>) -> Result<Option<Link>, ParseError> {
    parent.object(name)?.map(|obj| read_link(&obj, label_field, notices)).transpose()
}

fn read_links(parent: &Obj, name: &str, label_field: &str, notices: &mut Vec<Notice>) -> Result<Vec<Link>, ParseError> {
    parent
        .array(name)?
        .into_iter()
        .map(|(path, value)| read_link(&as_object(value, path)?, label_field, notices))
        .collect()
}

/// An image; `None` (noticed) when its URL is not one the widget may load.
fn read_image(obj: &Obj, notices: &mut Vec<Notice>) -> Result<Option<Image>, ParseError> {
    let raw = obj.required_text("url")?;
    let caption = obj.text("caption")?;
    let credit = obj.text("credit")?;
    let alt = obj.text("alt")?.unwrap_or_default();
    let positive = |n: Option<u32>| n.filter(|n| *n > 0);
    let width = positive(obj.count("width")?);
    let height = positive(obj.count("height")?);
    let Some(src) = safe_image_src(&raw) else {
        notices.push(Notice::UnsafeUrlDropped { path: obj.path_of("url") });
        return Ok(None);
    };
    Ok(Some(Image { src, alt, caption, credit, width, height }))
}

fn read_inline(value: &Value, path: &str, notices: &mut Vec<Notice>) -> Result<Inline, ParseError> {
    match value {
        Value::String(text) => Ok(Inline::plain(text.as_str())),
        Value::Array(parts) => parts
            .iter()
            .enumerate()
            .map(|(i, part)| {
                let obj = as_object(part, format!("{path}[{i}]"))?;
                let text = match obj.get("text") {
                    Some(Value::String(text)) => text.clone(),
                    Some(_) => return Err(ParseError::at(&obj.path_of("text"), Problem::WrongType(Expected::String))),
                    None => return Err(ParseError::at(&obj.path_of("text"), Problem::Missing)),
                };
                let mut span = Span { text, href: obj.href("href", notices)?, ..Span::default() };
                for (mark_path, mark) in obj.array("marks")? {
                    match as_text(mark, &mark_path)?.as_deref() {
                        Some("strong") => span.strong = true,
                        Some("em") => span.em = true,
                        Some("code") => span.code = true,
                        // Marks added by later versions of the contract are ignored, as block types are.
                        _ => {}
                    }
                }
                Ok(span)
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Inline),
        _ => Err(ParseError::at(path, Problem::WrongType(Expected::Inline))),
    }
}

fn required_inline(obj: &Obj, name: &str, notices: &mut Vec<Notice>) -> Result<Inline, ParseError> {
    let path = obj.path_of(name);
    let value = obj.get(name).ok_or_else(|| ParseError::at(&path, Problem::Missing))?;
    read_inline(value, &path, notices)
}

/// One body block, `None` when it is skipped (unknown type, empty, unsafe image).
fn read_block(
    value: &Value,
    path: String,
    unknown: &mut Vec<(String, usize)>,
    notices: &mut Vec<Notice>,
) -> Result<Option<Block>, ParseError> {
    let obj = as_object(value, path)?;
    let kind = match obj.get("type") {
        Some(Value::String(kind)) => kind.as_str(),
        Some(_) => return Err(ParseError::at(&obj.path_of("type"), Problem::Invalid(Rule::BlockType))),
        None => return Err(ParseError::at(&obj.path_of("type"), Problem::Missing)),
    };
    let block = match kind {
        "paragraph" => Block::Paragraph(required_inline(&obj, "text", notices)?),
        "heading" => {
            let level = match obj.get("level") {
                None => return Err(ParseError::at(&obj.path_of("level"), Problem::Missing)),
                Some(value) => value
                    .as_u64()
                    .filter(|n| (2..=4).contains(n))
                    .ok_or_else(|| ParseError::at(&obj.path_of("level"), Problem::Invalid(Rule::HeadingLevel)))?,
            };
            Block::Heading { level: level as u8, text: required_inline(&obj, "text", notices)? }
        }
        "quote" => Block::Quote { text: required_inline(&obj, "text", notices)?, cite: obj.text("cite")? },
        "list" => {
            let ordered = obj.boolean("ordered")?.unwrap_or(false);
            let items = obj
                .required_array("items")?
                .into_iter()
                .map(|(path, item)| read_inline(item, &path, notices))
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .filter(|item| !item.is_blank())
                .collect();
            Block::List { ordered, items }
        }
        "image" => match read_image(&obj, notices)? {
            Some(image) => Block::Image(image),
            None => return Ok(None),
        },
        "ad" => Block::Ad { slot: obj.required_text("slot")? },
        "divider" => Block::Divider,
        "table" => {
            let head = read_rows(&obj, "head", false, notices)?;
            let rows = read_rows(&obj, "rows", true, notices)?;
            if head.len() + rows.len() > MAX_TABLE_ROWS {
                return Err(ParseError::at(&obj.path_of("rows"), Problem::Invalid(Rule::TableSize)));
            }
            Block::Table(Table { caption: obj.text("caption")?, head, rows })
        }
        "embed" => {
            let provider = obj.required_text("provider")?;
            let raw = obj.required_text("url")?;
            let title = obj.text("title")?;
            let Some((url, host)) = embed_target(&raw) else {
                notices.push(Notice::EmbedSkipped { path: obj.path_of("url") });
                return Ok(None);
            };
            Block::Embed(Embed { provider, url, host, title })
        }
        other => {
            match unknown.iter_mut().find(|(name, _)| name == other) {
                Some((_, count)) => *count += 1,
                None => unknown.push((other.to_string(), 1)),
            }
            return Ok(None);
        }
    };
    let empty = match &block {
        Block::Paragraph(text) | Block::Heading { text, .. } | Block::Quote { text, .. } => text.is_blank(),
        Block::List { items, .. } => items.is_empty(),
        Block::Table(table) => table.cells().all(Inline::is_blank),
        Block::Image(_) | Block::Ad { .. } | Block::Divider | Block::Embed(_) => false,
    };
    if empty {
        notices.push(Notice::EmptyBlockSkipped { path: obj.path });
        return Ok(None);
    }
    Ok(Some(block))
}

/// A table's header rows (`head`, optional) or body rows (`rows`, required): arrays of cells, each
/// an Inline. Sizes are checked before any cell is read. Rows without cells are left out.
fn read_rows(obj: &Obj, name: &str, required: bool, notices: &mut Vec<Notice>) -> Result<Vec<Vec<Inline>>, ParseError> {
    let rows = if required { obj.required_array(name)? } else { obj.array(name)? };
    if rows.len() > MAX_TABLE_ROWS {
        return Err(ParseError::at(&obj.path_of(name), Problem::Invalid(Rule::TableSize)));
    }
    let mut read = Vec::with_capacity(rows.len());
    for (path, row) in rows {
        let Value::Array(cells) = row else {
            return Err(ParseError::at(&path, Problem::WrongType(Expected::Array)));
        };
        if cells.len() > MAX_TABLE_CELLS {
            return Err(ParseError::at(&path, Problem::Invalid(Rule::TableSize)));
        }
        if !cells.is_empty() {
            let mut inlines = Vec::with_capacity(cells.len());
            for (i, cell) in cells.iter().enumerate() {
                inlines.push(read_inline(cell, &format!("{path}[{i}]"), notices)?);
            }
            read.push(inlines);
        }
    }
    Ok(read)
}

/// A related item; a broken one is skipped rather than failing the article around it.
fn read_related_item(value: &Value, path: String, notices: &mut Vec<Notice>) -> Option<RelatedItem> {
    let item = (|| -> Result<Option<RelatedItem>, ParseError> {
        let obj = as_object(value, path.clone())?;
        let headline = obj.required_text("headline")?;
        let Some(url) = obj.href("url", notices)? else {
            return Err(ParseError::at(&obj.path_of("url"), Problem::Missing));
        };
        let image = obj.object("image")?.map(|image| read_image(&image, notices)).transpose()?.flatten();
        Ok(Some(RelatedItem {
            id: obj.text("id")?,
            url,
            src: obj.endpoint("src", notices)?,
            headline,
            section: read_optional_link(&obj, "section", "label", notices)?,
            image,
            published: obj.timestamp("published")?,
        }))
    })();
    match item {
        Ok(item) => item,
        Err(error) => {
            notices.push(Notice::RelatedItemSkipped { path, reason: error.to_string() });
            None
        }
    }
}

/// `1.0` or `1.1` (trimmed, like every text field), the versions this model reads in full.
fn is_known_version(version: &str) -> bool {
    matches!(version.trim(), "1.0" | "1.1")
}

fn read_article(root: &Obj, body: Result<Vec<Block>, ParseError>, notices: &mut Vec<Notice>) -> Result<Article, ParseError> {
    let id = root.required_text("id")?;
    let headline = root.required_text("headline")?;
    let published = root
        .timestamp("published")?
        .ok_or_else(|| ParseError::at("published", Problem::Missing))?;
    let body = body?;
    let related = match root.object("related")? {
        None => None,
        Some(obj) => Some(Related {
            title: obj.text("title")?,
            items: obj
                .array("items")?
                .into_iter()
                .filter_map(|(path, value)| read_related_item(value, path, notices))
                .collect(),
            url: obj.endpoint("url", notices)?,
        }),
    };
    let comments = match root.object("comments")? {
        None => None,
        Some(obj) => Some(CommentsInfo {
            url: obj.endpoint("url", notices)?,
            open: obj.boolean("open")?.unwrap_or(true),
            count: obj.count("count")?.unwrap_or(0),
        }),
    };
    match root.get("version") {
        Some(Value::String(version)) if is_known_version(version) => {}
        Some(Value::String(version)) => notices.push(Notice::UnknownVersion(format!("\"{version}\""))),
        // Not serde_json's writer, which would bring float formatting into the wasm for a notice.
        Some(_) => notices.push(Notice::UnknownVersion("(not a text)".into())),
        None => {}
    }
    Ok(Article {
        id,
        url: root.href("url", notices)?,
        lang: root.text("lang")?,
        site: read_optional_link(root, "site", "name", notices)?,
        breadcrumb: read_links(root, "breadcrumb", "label", notices)?,
        section: read_optional_link(root, "section", "label", notices)?,
        headline,
        dek: root.text("dek")?,
        authors: read_links(root, "authors", "name", notices)?,
        source: read_optional_link(root, "source", "name", notices)?,
        published,
        modified: root.timestamp("modified")?,
        image: root.object("image")?.map(|obj| read_image(&obj, notices)).transpose()?.flatten(),
        tags: read_links(root, "tags", "label", notices)?,
        body,
        related,
        comments,
    })
}
