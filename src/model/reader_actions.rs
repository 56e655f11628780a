//! What a reader does to comments besides writing one: the order they read them in, votes, and
//! editing or deleting their own comment while the server allows it. Pure: the requests' bodies,
//! the answers' meanings, and what the device keeps (its voter id, its votes, its own comments'
//! edit tokens), tested natively in `tests/native_reader_actions.rs`.

use serde_json::Value;

use super::comments::{read_comment, Comment};
use super::json_write::JsonObject;

/// The order of the threads; the server sorts, the widget asks (`?sort=`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Oldest,
    Newest,
    /// Most voted first.
    Votes,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Oldest, Sort::Newest, Sort::Votes];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Oldest => "oldest",
            Sort::Newest => "newest",
            Sort::Votes => "votes",
        }
    }

    /// A stored or chosen value; anything else is the default order.
    pub fn parse(text: &str) -> Sort {
        Sort::ALL.into_iter().find(|sort| sort.as_str() == text).unwrap_or_default()
    }
}

/// The address of the first page of comments in `sort`'s order: `sort=…` added to the article's
/// comments address (which may have a query of its own), or the address as it is for the default.
pub fn sorted_comments_url(url: &str, sort: Sort) -> String {
    match (sort, url.contains('?')) {
        (Sort::Oldest, _) => url.to_string(),
        (_, true) => format!("{url}&sort={}", sort.as_str()),
        (_, false) => format!("{url}?sort={}", sort.as_str()),
    }
}

/// What the server lets readers do with an article's comments (its list's `reader_actions`); a
/// server that says nothing allows none of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReaderActions {
    pub vote: bool,
    /// How long after posting a comment its author may edit or delete it; 0: not at all.
    pub edit_seconds: u64,
    /// Email when someone replies ("m'avertir des réponses").
    pub notify: bool,
}

impl ReaderActions {
    pub fn read(value: Option<&Value>) -> ReaderActions {
        let flag = |name: &str| value.and_then(|v| v.get(name)).and_then(Value::as_bool).unwrap_or(false);
        ReaderActions {
            vote: flag("vote"),
            edit_seconds: value.and_then(|v| v.get("edit_seconds")).and_then(Value::as_u64).unwrap_or(0),
            notify: flag("notify"),
        }
    }
}

/// The vote a click sends: the same button again takes the vote back.
pub fn next_vote(current: i8, clicked: i8) -> i8 {
    if current == clicked {
        0
    } else {
        clicked
    }
}

/// The body of `POST /api/comments/{id}/vote`.
pub fn vote_body(voter: &str, value: i8) -> String {
    let value = match value {
        1 => "1",
        -1 => "-1",
        _ => "0",
    };
    JsonObject::new().text("voter", voter).raw("value", value).finish()
}

/// The address of a comment's own resource (`/api/comments/{id}`), beside the article's comments
/// address the widget was given (`…/api/articles/{article}/comments`).
pub fn comment_url(comments_url: &str, comment_id: &str) -> Option<String> {
    // Suffixes and single characters rather than `find("/articles/")`: a substring search costs
    // the wasm its own searcher (1.2 KB raw, measured).
    let base = comments_url.split(['?', '#']).next()?.strip_suffix("/comments")?;
    let root = base.rsplit_once('/')?.0.strip_suffix("/articles")?;
    let id: String = comment_id.chars().filter(char::is_ascii_alphanumeric).collect();
    (!id.is_empty()).then(|| format!("{root}/comments/{id}"))
}

/// What the server said to a vote, an edit or a deletion.
#[derive(Clone, Debug, PartialEq)]
pub enum ActionOutcome {
    Voted { score: i64, vote: i8 },
    Edited(Comment),
    Deleted,
    /// `403 own_comment`: nobody votes on their own comment.
    OwnComment,
    /// `403 edit_window_closed`: too late to change it.
    WindowClosed,
    /// `403` otherwise: the edit token is not this comment's (another device's, or lost).
    Forbidden,
    /// `422 validation`: the field's code (the edited text is empty or too long).
    Invalid(String),
    /// `404`: the comment is gone (deleted, or not published).
    Gone,
    RateLimited { retry_after_s: u64 },
    Failed { status: u16 },
}

pub fn action_outcome(status: u16, body: &str, retry_after_header: Option<&str>) -> ActionOutcome {
    let value: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let error = value.get("error").and_then(Value::as_str);
    match (status, error) {
        (204, _) => ActionOutcome::Deleted,
        (200, _) => {
            if let Some(comment) = value.get("comment") {
                return match read_comment(comment, "comment") {
                    Ok(Some(comment)) => ActionOutcome::Edited(comment),
                    _ => ActionOutcome::Failed { status },
                };
            }
            match (value.get("score").and_then(Value::as_i64), value.get("vote").and_then(Value::as_i64)) {
                (Some(score), Some(vote)) if (-1..=1).contains(&vote) => ActionOutcome::Voted { score, vote: vote as i8 },
                _ => ActionOutcome::Failed { status },
            }
        }
        (403, Some("own_comment")) => ActionOutcome::OwnComment,
        (403, Some("edit_window_closed")) => ActionOutcome::WindowClosed,
        (403, _) => ActionOutcome::Forbidden,
        (404, _) => ActionOutcome::Gone,
        (422, _) => {
            let code = value.pointer("/fields/text").and_then(Value::as_str).unwrap_or("invalid");
            ActionOutcome::Invalid(code.to_string())
        }
        (429, _) => {
            let from_body = value.get("retry_after").and_then(Value::as_u64);
            let from_header = retry_after_header.and_then(|h| h.trim().parse::<u64>().ok());
            ActionOutcome::RateLimited { retry_after_s: from_body.or(from_header).unwrap_or(60).max(1) }
        }
        _ => ActionOutcome::Failed { status },
    }
}

/// A comment this device wrote, with the secret that lets it change the comment until `until_ms`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnComment {
    pub id: String,
    pub token: String,
    pub until_ms: i64,
}

/// The device's own comments, kept in its storage: with their tokens while they may be changed,
/// then without, for a month, so that the reader is still not offered to vote on them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OwnComments(Vec<OwnComment>);

impl OwnComments {
    /// The stored list at `now_ms`: tokens whose time is over are dropped, entries a month
    /// after it, and what cannot be read.
    pub fn from_json(json: &str, now_ms: i64) -> OwnComments {
        let value: Value = serde_json::from_str(json).unwrap_or(Value::Null);
        let entries = value.as_array().map(Vec::as_slice).unwrap_or_default();
        OwnComments(
            entries
                .iter()
                .filter_map(|entry| {
                    Some(OwnComment {
                        id: entry.get("id")?.as_str()?.to_string(),
                        token: entry.get("token")?.as_str()?.to_string(),
                        until_ms: entry.get("until")?.as_i64()?,
                    })
                })
                .filter(|own| own.until_ms.saturating_add(KEEP_OWN_MS) > now_ms)
                .map(|own| if own.until_ms > now_ms { own } else { OwnComment { token: String::new(), ..own } })
                .collect(),
        )
    }

    pub fn to_json(&self) -> String {
        let items: Vec<String> = self
            .0
            .iter()
            .map(|own| {
                let until = u64::try_from(own.until_ms).unwrap_or(0);
                JsonObject::new().text("id", &own.id).text("token", &own.token).number("until", until).finish()
            })
            .collect();
        format!("[{}]", items.join(","))
    }

    pub fn add(&mut self, own: OwnComment) {
        self.0.retain(|other| other.id != own.id);
        self.0.push(own);
    }

    pub fn remove(&mut self, id: &str) {
        self.0.retain(|own| own.id != id);
    }

    /// The comment's entry while it may still be changed at `now_ms`.
    pub fn editable(&self, id: &str, now_ms: i64) -> Option<&OwnComment> {
        self.0.iter().find(|own| own.id == id && own.until_ms > now_ms && !own.token.is_empty())
    }

    pub fn contains(&self, id: &str) -> bool {
        self.0.iter().any(|own| own.id == id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &OwnComment> {
        self.0.iter()
    }
}

/// How long the device remembers which comments it wrote once their time to change them is over.
const KEEP_OWN_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// Votes cast from this device, so that its buttons show them after a reload. The server counts
/// one vote per voter and comment whatever this list says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CastVotes(Vec<(String, i8)>);

/// The most votes a device remembers; the oldest are forgotten first.
const MAX_CAST_VOTES: usize = 500;

impl CastVotes {
    /// Stored as `[["12", 1], ["7", -1]]`, oldest first: an object would come back sorted by id,
    /// and the limit would forget the wrong votes.
    pub fn from_json(json: &str) -> CastVotes {
        let value: Value = serde_json::from_str(json).unwrap_or(Value::Null);
        let entries = value.as_array().map(Vec::as_slice).unwrap_or_default();
        CastVotes(
            entries
                .iter()
                .filter_map(|entry| match (entry.get(0)?.as_str()?, entry.get(1)?.as_i64()?) {
                    (id, vote @ (-1 | 1)) => Some((id.to_string(), vote as i8)),
                    _ => None,
                })
                .collect(),
        )
    }

    pub fn to_json(&self) -> String {
        let items: Vec<String> = self.0.iter().map(|(id, vote)| format!("[{},{}]", JsonObject::quote(id), if *vote > 0 { "1" } else { "-1" })).collect();
        format!("[{}]", items.join(","))
    }

    pub fn get(&self, id: &str) -> i8 {
        self.0.iter().find(|(other, _)| other == id).map_or(0, |(_, vote)| *vote)
    }

    pub fn set(&mut self, id: &str, vote: i8) {
        self.0.retain(|(other, _)| other != id);
        if vote != 0 {
            self.0.push((id.to_string(), vote));
        }
        if self.0.len() > MAX_CAST_VOTES {
            let extra = self.0.len() - MAX_CAST_VOTES;
            self.0.drain(..extra);
        }
    }
}

/// A voter id is usable as the server wants it: 16 to 64 characters of `A-Z a-z 0-9 - _`.
pub fn is_voter_id(text: &str) -> bool {
    (16..=64).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
