//! The comments as the widget shows them: the list's pages and threads, comment text made into
//! paragraphs and links, the answer to a submission, and the draft kept while the reader writes.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::comment::web_address;
use super::json_split::array_elements;
use super::json_write::JsonObject;
use super::datetime::Timestamp;
use super::links::{safe_href, SafeUrl};
use super::reader_actions::{OwnComment, ReaderActions};
use super::parse::{json_part, object_keeping, read_elements, Expected, ParseError, Problem};

/// A published (or, for its author, pending) comment, as `docs/api.md` describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub id: String,
    pub parent: Option<String>,
    pub author_name: String,
    pub author_url: Option<SafeUrl>,
    pub text: String,
    pub created: Timestamp,
    /// Held for moderation: only its author sees it, right after sending it.
    pub pending: bool,
    /// Deleted by the newsroom or its author: a placeholder (no author, no text) that keeps its
    /// replies' place.
    pub deleted: bool,
    /// Votes up minus votes down.
    pub score: i64,
    /// Changed by its author after it was published.
    pub edited: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CommentsPage {
    pub items: Vec<Comment>,
    /// Every comment on every page, replies included ("12 commentaires").
    pub total: u32,
    pub next: Option<String>,
    /// What readers may do with these comments besides writing one.
    pub actions: ReaderActions,
}

fn wrong(path: &str, expected: Expected) -> ParseError {
    ParseError { path: path.to_string(), problem: Problem::WrongType(expected) }
}

fn text_field(map: &Map<String, Value>, path: &str, name: &str) -> Result<Option<String>, ParseError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        // Servers that number their comments (WordPress's REST API does): whole numbers only,
        // written without going through float formatting.
        Some(Value::Number(number)) if name == "id" || name == "parent" => match number.as_u64() {
            Some(whole) => Ok(Some(whole.to_string())),
            None => Err(wrong(&format!("{path}.{name}"), Expected::String)),
        },
        Some(_) => Err(wrong(&format!("{path}.{name}"), Expected::String)),
    }
}

/// One comment object; `None` (skipped) when it lacks what the list needs to show it.
pub fn read_comment(value: &Value, path: &str) -> Result<Option<Comment>, ParseError> {
    let Value::Object(map) = value else { return Err(wrong(path, Expected::Object)) };
    let author = match map.get("author") {
        Some(Value::Object(author)) => author.clone(),
        None | Some(Value::Null) => Map::new(),
        Some(_) => return Err(wrong(&format!("{path}.author"), Expected::Object)),
    };
    let author_path = format!("{path}.author");
    // A deleted comment has neither author nor text: a placeholder that keeps its replies' place.
    let deleted = map.get("deleted") == Some(&Value::Bool(true));
    let text = if deleted { Some(String::new()) } else { text_field(map, path, "text")? };
    let (Some(id), Some(text), Some(created)) = (text_field(map, path, "id")?, text, text_field(map, path, "created")?)
    else {
        return Ok(None);
    };
    let Some(created) = Timestamp::parse(&created) else { return Ok(None) };
    Ok(Some(Comment {
        id,
        parent: text_field(map, path, "parent")?,
        author_name: text_field(&author, &author_path, "name")?.map(|n| n.trim().to_string()).unwrap_or_default(),
        author_url: text_field(&author, &author_path, "url")?.as_deref().and_then(web_address).and_then(|u| safe_href(&u)),
        text: text.trim().to_string(),
        created,
        pending: map.get("status").and_then(Value::as_str) == Some("pending"),
        deleted,
        score: map.get("score").and_then(Value::as_i64).unwrap_or(0),
        edited: matches!(map.get("edited"), Some(Value::String(_))),
    }))
}

/// `GET …/comments` → `{ items, total, next }`. The items are read one at a time (see
/// [`super::json_split`]): a page can hold thousands.
pub fn parse_comments_page(json: &str) -> Result<CommentsPage, ParseError> {
    let (map, items) = object_keeping(json, "items")?;
    let items = match items.map(|raw| (raw, array_elements(raw))) {
        None => Vec::new(),
        Some((_, Some(elements))) => {
            let mut comments = Vec::with_capacity(elements.len());
            read_elements(json, elements, &mut |i, value| {
                comments.extend(read_comment(value, &format!("items[{i}]"))?);
                Ok(())
            })??;
            comments
        }
        Some((raw, None)) => match json_part(json, raw)? {
            Value::Null => Vec::new(),
            _ => return Err(wrong("items", Expected::Array)),
        },
    };
    let total = match map.get("total") {
        None | Some(Value::Null) => items.len() as u32,
        Some(value) => value.as_u64().and_then(|n| u32::try_from(n).ok()).ok_or_else(|| wrong("total", Expected::Integer))?,
    };
    let next = match map.get("next") {
        Some(Value::String(next)) => super::links::safe_image_src(next),
        None | Some(Value::Null) => None,
        Some(_) => return Err(wrong("next", Expected::String)),
    };
    Ok(CommentsPage { items, total, next, actions: ReaderActions::read(map.get("reader_actions")) })
}

/// Replies nest up to this many levels; deeper replies are shown at the last level, after the
/// comment they answer, so a long back-and-forth does not shrink to a sliver on a phone.
pub const MAX_DEPTH: usize = 3;

/// A comment with the replies shown under it. It borrows the comments: a thread of 5 000 is
/// rebuilt whenever a page of them arrives, and copying them each time doubled the memory.
#[derive(Clone, Debug, PartialEq)]
pub struct Thread<'a> {
    pub comment: &'a Comment,
    pub replies: Vec<Thread<'a>>,
}

/// Nests a flat list (in the API's order) into threads. A reply whose parent is not in the list
/// (on an earlier page, or not approved) is shown as a thread of its own.
pub fn build_threads(items: &[Comment]) -> Vec<Thread<'_>> {
    let ids: HashSet<&str> = items.iter().map(|c| c.id.as_str()).collect();
    let mut children: HashMap<&str, Vec<&Comment>> = HashMap::new();
    let mut roots = Vec::new();
    for comment in items {
        match comment.parent.as_deref().filter(|parent| ids.contains(parent) && *parent != comment.id) {
            Some(parent) => children.entry(parent).or_default().push(comment),
            None => roots.push(comment),
        }
    }
    fn descendants<'a>(id: &str, children: &HashMap<&str, Vec<&'a Comment>>, out: &mut Vec<&'a Comment>, guard: &mut HashSet<&'a str>) {
        for child in children.get(id).into_iter().flatten() {
            if guard.insert(child.id.as_str()) {
                out.push(child);
                descendants(&child.id, children, out, guard);
            }
        }
    }
    fn make<'a>(comment: &'a Comment, depth: usize, children: &HashMap<&str, Vec<&'a Comment>>, guard: &mut HashSet<&'a str>) -> Thread<'a> {
        let mut replies = Vec::new();
        for child in children.get(comment.id.as_str()).into_iter().flatten() {
            if !guard.insert(child.id.as_str()) {
                continue;
            }
            if depth + 2 < MAX_DEPTH {
                replies.push(make(child, depth + 1, children, guard));
            } else {
                // The last level: the child and everything under it, side by side.
                replies.push(Thread { comment: child, replies: Vec::new() });
                let mut rest = Vec::new();
                descendants(&child.id, children, &mut rest, guard);
                replies.extend(rest.into_iter().map(|comment| Thread { comment, replies: Vec::new() }));
            }
        }
        Thread { comment, replies }
    }
    let mut guard: HashSet<&str> = roots.iter().map(|c| c.id.as_str()).collect();
    roots.into_iter().map(|root| make(root, 0, &children, &mut guard)).collect()
}

/// A piece of a comment's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextPart {
    Text(String),
    /// An http(s) address written in the text, shown as a link to itself.
    Link(String),
    LineBreak,
}

/// Punctuation that ends a sentence rather than an address ("voir https://a.example.").
const TRAILING_PUNCTUATION: &[char] = &['.', ',', ';', ':', '!', '?', ')', ']', '»', '"', '\'', '’'];

fn split_links(line: &str, parts: &mut Vec<TextPart>) {
    let mut rest = line;
    while let Some(start) = find_address(rest) {
        let (before, from) = rest.split_at(start);
        let end = from.find(char::is_whitespace).unwrap_or(from.len());
        let candidate = from[..end].trim_end_matches(TRAILING_PUNCTUATION);
        // A ")" that closes a "(" inside the address belongs to it (Wikipedia-style links).
        let candidate = if from[..end].len() > candidate.len()
            && from[candidate.len()..].starts_with(')')
            && candidate.contains('(')
        {
            &from[..candidate.len() + 1]
        } else {
            candidate
        };
        if !before.is_empty() {
            parts.push(TextPart::Text(before.to_string()));
        }
        match web_address(candidate) {
            Some(url) if candidate.len() > "https://".len() => parts.push(TextPart::Link(url)),
            _ => parts.push(TextPart::Text(candidate.to_string())),
        }
        rest = &from[candidate.len()..];
    }
    if !rest.is_empty() {
        parts.push(TextPart::Text(rest.to_string()));
    }
}

/// Where the first "http://" or "https://", in any case, starts.
fn find_address(text: &str) -> Option<usize> {
    // Over bytes: both prefixes are ASCII, so a match starts on a character boundary.
    let bytes = text.as_bytes();
    let starts_at = |at: usize, prefix: &[u8]| bytes.get(at..at + prefix.len()).is_some_and(|b| b.eq_ignore_ascii_case(prefix));
    (0..bytes.len()).find(|&at| starts_at(at, b"https://") || starts_at(at, b"http://"))
}

/// What comes before a comment's id in its element's id and in the address fragment that points
/// at it (`#kq-comment-12`), the same in every widget and in the server's feeds. Comment ids are
/// the server's, unique across articles, so two widgets of a page do not share one.
const ANCHOR_PREFIX: &str = "kq-comment-";

/// The id of a comment's element, and its address fragment without the `#`.
pub fn comment_anchor(comment_id: &str) -> String {
    let safe: String = comment_id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' }).collect();
    format!("{ANCHOR_PREFIX}{safe}")
}

/// The comment a page's address points at (`location.hash`), if it points at one.
pub fn permalink_target(hash: &str) -> Option<&str> {
    let id = hash.strip_prefix('#')?.strip_prefix(ANCHOR_PREFIX)?;
    (!id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')).then_some(id)
}

/// The address of a comment: the page's, without its own fragment, and the comment's.
pub fn permalink(page_href: &str, comment_id: &str) -> String {
    let page = page_href.split_once('#').map_or(page_href, |(page, _)| page);
    format!("{page}#{}", comment_anchor(comment_id))
}

/// A comment's text as paragraphs (separated by blank lines) of text, line breaks and links.
pub fn paragraphs(text: &str) -> Vec<Vec<TextPart>> {
    let mut paragraphs = Vec::new();
    let mut lines: Vec<&str> = Vec::new();
    // A last, empty line closes the last paragraph.
    for line in text.split('\n').chain([""]) {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if !line.is_empty() {
            lines.push(line);
            continue;
        }
        // The paragraph without its leading and trailing blanks, as a whole.
        let first = lines.iter().position(|line| !line.trim().is_empty());
        let last = lines.iter().rposition(|line| !line.trim().is_empty());
        if let (Some(first), Some(last)) = (first, last) {
            let mut parts = Vec::new();
            for (i, line) in lines[first..=last].iter().enumerate() {
                if i > 0 {
                    parts.push(TextPart::LineBreak);
                }
                let line = if i == 0 { line.trim_start() } else { line };
                let line = if first + i == last { line.trim_end() } else { line };
                split_links(line, &mut parts);
            }
            paragraphs.push(parts);
        }
        lines.clear();
    }
    paragraphs
}

/// What the server's answer to a new comment means for the reader.
#[derive(Clone, Debug, PartialEq)]
pub enum SubmitOutcome {
    Created(Box<CreatedComment>),
    /// Field name (as in the request) and error code, from a `422 validation`, in the answer's order.
    Invalid(Vec<(String, String)>),
    /// `422 rejected`: taken for spam (the server does not say why).
    Rejected,
    /// `422 duplicate`: the site already has this comment (WordPress's duplicate check).
    Duplicate,
    Captcha,
    Closed,
    RateLimited { retry_after_s: u64 },
    /// Anything else: a server error or an answer the widget cannot read. Nothing was stored.
    Failed { status: u16 },
}

/// A comment the server stored, with what its answer said besides.
#[derive(Clone, Debug, PartialEq)]
pub struct CreatedComment {
    pub comment: Comment,
    /// The secret that lets this device edit or delete it for a while, when the server allows it.
    pub own: Option<OwnComment>,
    /// An email asks the reader to confirm their subscription to replies.
    pub confirmation_sent: bool,
}

/// Reads the answer to `POST …/comments` (`docs/api.md`).
pub fn submit_outcome(status: u16, body: &str, retry_after_header: Option<&str>) -> SubmitOutcome {
    let value: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let error = value.get("error").and_then(Value::as_str);
    match (status, error) {
        (200 | 201, _) => match value.get("comment").map(|c| read_comment(c, "comment")) {
            Some(Ok(Some(comment))) => {
                let token = value.get("edit_token").and_then(Value::as_str).filter(|token| !token.is_empty());
                let until = value.get("editable_until").and_then(Value::as_str).and_then(Timestamp::parse);
                let own = token.zip(until).map(|(token, until)| OwnComment { id: comment.id.clone(), token: token.to_string(), until_ms: until.unix_ms });
                let confirmation_sent = value.get("notification").and_then(Value::as_str) == Some("confirmation_sent");
                SubmitOutcome::Created(Box::new(CreatedComment { comment, own, confirmation_sent }))
            }
            _ => SubmitOutcome::Failed { status },
        },
        (422, Some("validation")) => {
            let fields = value
                .get("fields")
                .and_then(Value::as_object)
                .map(|fields| {
                    fields.iter().filter_map(|(name, code)| Some((name.clone(), code.as_str()?.to_string()))).collect()
                })
                .unwrap_or_default();
            SubmitOutcome::Invalid(fields)
        }
        (422, Some("duplicate")) => SubmitOutcome::Duplicate,
        (422, _) => SubmitOutcome::Rejected,
        (403, _) => SubmitOutcome::Captcha,
        (409, _) => SubmitOutcome::Closed,
        (429, _) => {
            let from_body = value.get("retry_after").and_then(Value::as_u64);
            let from_header = retry_after_header.and_then(|h| h.trim().parse::<u64>().ok());
            SubmitOutcome::RateLimited { retry_after_s: from_body.or(from_header).unwrap_or(60).max(1) }
        }
        _ => SubmitOutcome::Failed { status },
    }
}

/// What the reader is writing, kept in the browser's storage until the server has it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub text: String,
    pub name: String,
    pub email: String,
    pub website: String,
    /// The comment being answered, and its author's name for "Réponse à …".
    pub reply_to: Option<(String, String)>,
    /// Sent with every try of this comment, so a retry never stores it twice.
    pub idempotency_key: String,
}

impl Draft {
    pub fn is_empty(&self) -> bool {
        [&self.text, &self.name, &self.email, &self.website].iter().all(|f| f.trim().is_empty()) && self.reply_to.is_none()
    }

    pub fn to_json(&self) -> String {
        JsonObject::new()
            .text("text", &self.text)
            .text("name", &self.name)
            .text("email", &self.email)
            .text("website", &self.website)
            .optional_object("reply_to", self.reply_to.as_ref().map(|(id, author)| JsonObject::new().text("id", id).text("author", author)))
            .text("idempotency_key", &self.idempotency_key)
            .finish()
    }

    /// A stored draft; whatever is unreadable in it is left empty rather than lost entirely.
    pub fn from_json(json: &str) -> Option<Draft> {
        let value: Value = serde_json::from_str(json).ok()?;
        let text = |name: &str| value.get(name).and_then(Value::as_str).unwrap_or_default().to_string();
        let reply_to = value.get("reply_to").and_then(|r| {
            Some((r.get("id")?.as_str()?.to_string(), r.get("author").and_then(Value::as_str).unwrap_or_default().to_string()))
        });
        Some(Draft {
            text: text("text"),
            name: text("name"),
            email: text("email"),
            website: text("website"),
            reply_to,
            idempotency_key: text("idempotency_key"),
        })
    }
}

/// Name, email and website, kept across articles only when the reader ticks "remember me".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub email: String,
    pub website: String,
}

impl Identity {
    pub fn to_json(&self) -> String {
        JsonObject::new().text("name", &self.name).text("email", &self.email).text("website", &self.website).finish()
    }

    pub fn from_json(json: &str) -> Option<Identity> {
        let value: Value = serde_json::from_str(json).ok()?;
        let text = |name: &str| value.get(name).and_then(Value::as_str).unwrap_or_default().to_string();
        Some(Identity { name: text("name"), email: text("email"), website: text("website") })
    }
}

/// The JSON body of `POST …/comments`.
pub struct Submission<'a> {
    pub draft: &'a Draft,
    pub captcha: Option<(&'a str, String)>,
    pub honeypot: &'a str,
    pub elapsed_ms: u64,
    /// The device's voter id: the server refuses its votes on this comment.
    pub voter: Option<&'a str>,
    /// Email replies to this comment, in this language (`fr`, `en`).
    pub notify_lang: Option<&'a str>,
}

impl Submission<'_> {
    pub fn to_json(&self) -> String {
        fn optional(text: &str) -> Option<&str> {
            Some(text.trim()).filter(|text| !text.is_empty())
        }
        JsonObject::new()
            .optional_text("parent", self.draft.reply_to.as_ref().map(|(id, _)| id.as_str()))
            .text("author_name", self.draft.name.trim())
            .optional_text("author_email", optional(&self.draft.email))
            .optional_text("author_url", optional(&self.draft.website))
            .text("text", self.draft.text.trim())
            .optional_object("captcha", self.captcha.as_ref().map(|(kind, token)| JsonObject::new().text("kind", kind).text("token", token)))
            .text("honeypot", self.honeypot)
            .number("elapsed_ms", self.elapsed_ms)
            .text("idempotency_key", &self.draft.idempotency_key)
            .optional_text("voter", self.voter)
            .raw("notify", if self.notify_lang.is_some() { "true" } else { "false" })
            .optional_text("lang", self.notify_lang)
            .finish()
    }
}

/// A proof-of-work challenge from `GET /api/captcha/challenge` (ALTCHA protocol v1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PowChallenge {
    pub algorithm: String,
    pub challenge: String,
    pub max_number: u64,
    pub salt: String,
    pub signature: String,
}

impl PowChallenge {
    pub fn from_json(json: &str) -> Option<PowChallenge> {
        let value: Value = serde_json::from_str(json).ok()?;
        let text = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_string);
        let challenge = PowChallenge {
            algorithm: text("algorithm")?,
            challenge: text("challenge")?.to_ascii_lowercase(),
            max_number: value.get("maxnumber").and_then(Value::as_u64)?,
            salt: text("salt")?,
            signature: text("signature")?,
        };
        (challenge.algorithm == super::comment::ALTCHA_ALGORITHM).then_some(challenge)
    }

    /// Tries the numbers `from .. from + count` (within `max_number`): one slice of the work, so
    /// that the page stays responsive between slices.
    pub fn search(&self, from: u64, count: u64) -> Option<u64> {
        let end = from.saturating_add(count).min(self.max_number.saturating_add(1));
        (from..end).find(|&number| super::comment::altcha_hash(&self.salt, number) == self.challenge)
    }

    /// The JSON the server expects back (base64-encoded into `captcha.token`).
    pub fn payload(&self, number: u64, took_ms: u64) -> String {
        super::comment::AltchaPayload {
            algorithm: self.algorithm.clone(),
            challenge: self.challenge.clone(),
            number,
            salt: self.salt.clone(),
            signature: self.signature.clone(),
            took: Some(took_ms),
        }
        .to_json()
    }
}
