//! The admin API's answers as types (`docs/api.md`, "Admin API"), and the console's state that
//! can be decided without a browser: which queue and page to ask for, the selection, moving the
//! focus, keyboard shortcuts, and what a failed request means to a moderator.

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::i18n::{fill, text, Lang, Phrase};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountRole {
    Admin,
    Moderator,
}

impl AccountRole {
    pub fn api_name(self) -> &'static str {
        match self {
            AccountRole::Admin => "admin",
            AccountRole::Moderator => "moderator",
        }
    }

    pub fn phrase(self) -> Phrase {
        match self {
            AccountRole::Admin => Phrase::RoleAdmin,
            AccountRole::Moderator => Phrase::RoleModerator,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct SignedInUser {
    pub name: String,
    pub role: AccountRole,
}

/// `POST` / `GET /admin/api/session`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Session {
    pub user: SignedInUser,
    pub csrf_token: String,
}

/// The four queues a comment can be in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Queue {
    #[default]
    Pending,
    Approved,
    Spam,
    Deleted,
}

impl Queue {
    pub const ALL: [Queue; 4] = [Queue::Pending, Queue::Approved, Queue::Spam, Queue::Deleted];

    pub fn api_name(self) -> &'static str {
        match self {
            Queue::Pending => "pending",
            Queue::Approved => "approved",
            Queue::Spam => "spam",
            Queue::Deleted => "deleted",
        }
    }

    pub fn phrase(self) -> Phrase {
        match self {
            Queue::Pending => Phrase::QueuePending,
            Queue::Approved => Phrase::QueueApproved,
            Queue::Spam => Phrase::QueueSpam,
            Queue::Deleted => Phrase::QueueDeleted,
        }
    }

    /// What a moderator may do to a comment of this queue, in the order of the buttons.
    pub fn actions(self) -> &'static [ModerationAction] {
        match self {
            Queue::Pending => &[ModerationAction::Approve, ModerationAction::Spam, ModerationAction::Delete],
            Queue::Approved => &[ModerationAction::Spam, ModerationAction::Delete],
            Queue::Spam | Queue::Deleted => &[ModerationAction::Restore, ModerationAction::Delete],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ModerationAction {
    Approve,
    Spam,
    Delete,
    Restore,
}

impl ModerationAction {
    pub fn api_name(self) -> &'static str {
        match self {
            ModerationAction::Approve => "approve",
            ModerationAction::Spam => "spam",
            ModerationAction::Delete => "delete",
            ModerationAction::Restore => "restore",
        }
    }

    pub fn phrase(self) -> Phrase {
        match self {
            ModerationAction::Approve => Phrase::ActionApprove,
            ModerationAction::Spam => Phrase::ActionSpam,
            ModerationAction::Delete => Phrase::ActionDelete,
            ModerationAction::Restore => Phrase::ActionRestore,
        }
    }

    /// The live region's sentence once it is done, `{count}` comments.
    pub fn done_phrase(self) -> Phrase {
        match self {
            ModerationAction::Approve => Phrase::DoneApprove,
            ModerationAction::Spam => Phrase::DoneSpam,
            ModerationAction::Delete => Phrase::DoneDelete,
            ModerationAction::Restore => Phrase::DoneRestore,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ArticleRef {
    pub id: String,
    #[serde(default)]
    pub headline: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Author {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// `ModeratedComment`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ModeratedComment {
    pub id: String,
    pub article: ArticleRef,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub parent_text: Option<String>,
    pub author: Author,
    pub text: String,
    pub created: String,
    pub status: Queue,
    #[serde(default)]
    pub erased: bool,
    #[serde(default)]
    pub approved_before: Option<u64>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Counts {
    pub pending: u64,
    pub approved: u64,
    pub spam: u64,
    pub deleted: u64,
}

impl Counts {
    pub fn of(&self, queue: Queue) -> u64 {
        match queue {
            Queue::Pending => self.pending,
            Queue::Approved => self.approved,
            Queue::Spam => self.spam,
            Queue::Deleted => self.deleted,
        }
    }
}

/// `GET /admin/api/comments`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct QueuePage {
    pub items: Vec<ModeratedComment>,
    pub counts: Counts,
    pub page: u32,
    pub more: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Version {
    pub text: String,
    pub replaced: String,
    #[serde(default)]
    pub replaced_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CommentWithVersions {
    pub text: String,
    #[serde(default)]
    pub versions: Vec<Version>,
}

/// `GET /admin/api/comments/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct OneComment {
    pub comment: CommentWithVersions,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ArticleInfo {
    pub id: String,
    #[serde(default)]
    pub headline: Option<String>,
    pub open: bool,
    #[serde(default)]
    pub closed_by_moderator: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ListedBan {
    pub kind: String,
    pub value: String,
    pub created: String,
    #[serde(default)]
    pub by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct AuditLine {
    pub at: String,
    pub actor: String,
    pub action: String,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Account {
    pub name: String,
    pub role: AccountRole,
    pub created: String,
}

/// Every list answer of the admin API: `{"items": […]}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Items<T> {
    pub items: Vec<T>,
}

/// `POST /admin/api/readers/erase`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Erased {
    pub erased: Vec<String>,
}

/// `POST /admin/api/comments/actions`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Changed {
    pub changed: Vec<String>,
}

/// Which page of which queue the moderator is looking at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub queue: Queue,
    /// An article id, empty for every article.
    pub article: String,
    pub search: String,
    pub page: u32,
}

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
pub fn encode_component(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

impl QueueFilter {
    /// The path and query of this page of the queue.
    pub fn path(&self) -> String {
        let mut path = format!("/admin/api/comments?status={}&page={}", self.queue.api_name(), self.page.max(1));
        if !self.article.is_empty() {
            path.push_str(&format!("&article={}", encode_component(&self.article)));
        }
        let search = self.search.trim();
        if !search.is_empty() {
            path.push_str(&format!("&q={}", encode_component(search)));
        }
        path
    }

    /// Another queue, article or search starts again at the first page.
    pub fn with_queue(&self, queue: Queue) -> QueueFilter {
        QueueFilter { queue, page: 1, ..self.clone() }
    }
}

/// The comments ticked for an action on a selection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection(BTreeSet<String>);

impl Selection {
    pub fn toggle(&mut self, id: &str) {
        if !self.0.remove(id) {
            self.0.insert(id.to_string());
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.0.contains(id)
    }

    /// Ticks every comment of `shown`, or unticks them all when they all were.
    pub fn toggle_all<'a>(&mut self, shown: impl IntoIterator<Item = &'a str>) {
        let shown: Vec<&str> = shown.into_iter().collect();
        if !shown.is_empty() && shown.iter().all(|id| self.0.contains(*id)) {
            self.0.clear();
        } else {
            self.0 = shown.into_iter().map(str::to_string).collect();
        }
    }

    pub fn all_of<'a>(&self, shown: impl IntoIterator<Item = &'a str>) -> bool {
        let mut any = false;
        for id in shown {
            any = true;
            if !self.0.contains(id) {
                return false;
            }
        }
        any
    }

    /// Forgets comments no longer shown (after a reload of the queue).
    pub fn keep_only<'a>(&mut self, shown: impl IntoIterator<Item = &'a str>) {
        let shown: BTreeSet<&str> = shown.into_iter().collect();
        self.0.retain(|id| shown.contains(id.as_str()));
    }

    pub fn ids(&self) -> Vec<String> {
        self.0.iter().cloned().collect()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }
}

/// What a key does in a queue (when the moderator is not typing in a field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortcut {
    Next,
    Previous,
    Act(ModerationAction),
}

/// The shortcut of `key` (`KeyboardEvent.key`): none with Ctrl, Alt or Meta held (the browser's
/// own), none while typing (`typing`: the focus is in a text field).
pub fn shortcut(key: &str, modifiers: bool, typing: bool) -> Option<Shortcut> {
    if modifiers || typing {
        return None;
    }
    match key {
        "j" => Some(Shortcut::Next),
        "k" => Some(Shortcut::Previous),
        "a" => Some(Shortcut::Act(ModerationAction::Approve)),
        "s" => Some(Shortcut::Act(ModerationAction::Spam)),
        "d" => Some(Shortcut::Act(ModerationAction::Delete)),
        _ => None,
    }
}

/// The comment focused after `j` (`forward`) or `k` from `current`, among `count`: the first one
/// when none was, never past either end.
pub fn move_focus(current: Option<usize>, count: usize, forward: bool) -> Option<usize> {
    if count == 0 {
        return None;
    }
    Some(match current {
        None => 0,
        Some(index) if forward => (index + 1).min(count - 1),
        Some(index) => index.saturating_sub(1).min(count - 1),
    })
}

/// Where the focus goes once the queue is reloaded after an action: the same place, or the last
/// comment if the list got shorter.
pub fn focus_after_reload(previous: Option<usize>, count: usize) -> Option<usize> {
    previous.and_then(|index| (count > 0).then(|| index.min(count - 1)))
}

/// A link for the author's site: absolute http(s) only (a site, not a page of ours or a mail).
pub fn author_link(url: &str) -> Option<String> {
    let safe = kiosque::model::links::safe_href(url)?;
    let lower = safe.url.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(safe.url)
}

/// A file name for a reader's export: `kiosque-export-awa-example.org.json` (letters, digits, `.`
/// and `-` of the address only).
pub fn export_file_name(email: &str) -> String {
    let cleaned: String =
        email.trim().chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c.to_ascii_lowercase() } else { '-' }).collect();
    format!("kiosque-export-{}.json", cleaned.trim_matches('-'))
}

/// Why a request of the console failed, as the moderator needs to know it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiProblem {
    /// No live session (or it just ended): back to the sign-in screen.
    SignedOut,
    WrongCredentials,
    TooManyAttempts { seconds: u64 },
    Forbidden,
    Csrf,
    NotFound,
    AccountExists,
    /// The server refused what was sent; its own (English) explanation is kept for details.
    Refused { detail: String },
    Server { status: u16 },
    Network,
    TimedOut,
}

/// The `{ "error": code, "message": … }` of an error answer.
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    error: String,
    #[serde(default)]
    message: String,
}

impl ApiProblem {
    /// What an error answer means: its status, its JSON body and its `Retry-After`.
    pub fn from_answer(status: u16, body: &str, retry_after: Option<&str>) -> ApiProblem {
        let parsed: Option<ErrorBody> = serde_json::from_str(body).ok();
        let code = parsed.as_ref().map(|body| body.error.as_str()).unwrap_or_default();
        let detail = parsed.as_ref().map(|body| body.message.clone()).unwrap_or_default();
        match (status, code) {
            (401, "sign_in_failed") => ApiProblem::WrongCredentials,
            (401, _) => ApiProblem::SignedOut,
            (429, _) => ApiProblem::TooManyAttempts { seconds: retry_after.and_then(|value| value.trim().parse().ok()).unwrap_or(60) },
            (403, "csrf") => ApiProblem::Csrf,
            (403, _) => ApiProblem::Forbidden,
            (404, _) => ApiProblem::NotFound,
            (409, "exists") => ApiProblem::AccountExists,
            (400..=499, _) => ApiProblem::Refused { detail },
            _ => ApiProblem::Server { status },
        }
    }

    /// The sentence shown to the moderator.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApiProblem::SignedOut => text(lang, Phrase::ErrorSignedOut).to_string(),
            ApiProblem::WrongCredentials => text(lang, Phrase::ErrorWrongCredentials).to_string(),
            ApiProblem::TooManyAttempts { seconds } => fill(lang, Phrase::ErrorTooManyAttempts, &[("seconds", &seconds.to_string())]),
            ApiProblem::Forbidden => text(lang, Phrase::ErrorForbidden).to_string(),
            ApiProblem::Csrf => text(lang, Phrase::ErrorCsrf).to_string(),
            ApiProblem::NotFound => text(lang, Phrase::ErrorNotFound).to_string(),
            ApiProblem::AccountExists => text(lang, Phrase::ErrorAccountExists).to_string(),
            ApiProblem::Refused { detail } if detail.is_empty() => text(lang, Phrase::ErrorRefused).to_string(),
            ApiProblem::Refused { detail } => fill(lang, Phrase::ErrorRefusedDetail, &[("detail", detail)]),
            ApiProblem::Server { status } => fill(lang, Phrase::ErrorServer, &[("status", &status.to_string())]),
            ApiProblem::Network => text(lang, Phrase::ErrorNetwork).to_string(),
            ApiProblem::TimedOut => text(lang, Phrase::ErrorTimedOut).to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_paths() {
        let filter = QueueFilter { queue: Queue::Spam, article: "fr-complet".into(), search: " awa@example.org ".into(), page: 2 };
        assert_eq!(filter.path(), "/admin/api/comments?status=spam&page=2&article=fr-complet&q=awa%40example.org");
        let plain = QueueFilter::default();
        assert_eq!(plain.path(), "/admin/api/comments?status=pending&page=1");
        assert_eq!(filter.with_queue(Queue::Pending).page, 1);
        assert_eq!(encode_component("a b&c=é"), "a%20b%26c%3D%C3%A9");
    }

    #[test]
    fn selection() {
        let mut selection = Selection::default();
        selection.toggle("1");
        selection.toggle("2");
        selection.toggle("1");
        assert_eq!(selection.ids(), ["2"]);
        selection.toggle_all(["1", "2", "3"]);
        assert!(selection.all_of(["1", "2", "3"]));
        selection.toggle_all(["1", "2", "3"]);
        assert!(selection.is_empty());
        selection.toggle_all(["1", "2"]);
        selection.keep_only(["2", "9"]);
        assert_eq!(selection.ids(), ["2"]);
        assert!(!selection.all_of([]));
    }

    #[test]
    fn shortcuts_and_focus() {
        assert_eq!(shortcut("j", false, false), Some(Shortcut::Next));
        assert_eq!(shortcut("a", false, false), Some(Shortcut::Act(ModerationAction::Approve)));
        assert_eq!(shortcut("d", false, false), Some(Shortcut::Act(ModerationAction::Delete)));
        assert_eq!(shortcut("a", false, true), None, "typing in a field");
        assert_eq!(shortcut("s", true, false), None, "Ctrl+S is the browser's");
        assert_eq!(shortcut("x", false, false), None);
        assert_eq!(move_focus(None, 3, true), Some(0));
        assert_eq!(move_focus(Some(2), 3, true), Some(2));
        assert_eq!(move_focus(Some(0), 3, false), Some(0));
        assert_eq!(move_focus(Some(1), 3, false), Some(0));
        assert_eq!(move_focus(Some(1), 0, true), None);
        assert_eq!(focus_after_reload(Some(4), 3), Some(2));
        assert_eq!(focus_after_reload(Some(0), 0), None);
        assert_eq!(focus_after_reload(None, 3), None);
    }

    #[test]
    fn author_links_are_http_only() {
        assert_eq!(author_link("https://awa.example").as_deref(), Some("https://awa.example"));
        for unsafe_url in ["javascript:alert(1)", "java\tscript:alert(1)", "mailto:a@b.c", "/admin/", "data:text/html,x", ""] {
            assert_eq!(author_link(unsafe_url), None, "{unsafe_url}");
        }
    }

    #[test]
    fn problems() {
        let wrong = ApiProblem::from_answer(401, r#"{"error":"sign_in_failed","message":"Wrong name or password."}"#, None);
        assert_eq!(wrong, ApiProblem::WrongCredentials);
        assert_eq!(ApiProblem::from_answer(401, r#"{"error":"unauthorized"}"#, None), ApiProblem::SignedOut);
        let wait = ApiProblem::from_answer(429, r#"{"error":"too_many_attempts"}"#, Some("8"));
        assert_eq!(wait, ApiProblem::TooManyAttempts { seconds: 8 });
        assert!(wait.message(Lang::Fr).contains('8'));
        assert!(wait.message(Lang::En).contains('8'));
        assert_eq!(ApiProblem::from_answer(502, "<html>", None), ApiProblem::Server { status: 502 });
        assert_eq!(ApiProblem::from_answer(409, r#"{"error":"exists"}"#, None), ApiProblem::AccountExists);
        assert_ne!(wrong.message(Lang::Fr), wrong.message(Lang::En));
    }

    #[test]
    fn answers_parse() {
        let page: QueuePage = serde_json::from_str(
            r#"{"items":[{"id":"12","article":{"id":"ouvert","headline":"Titre"},"parent":"3","parent_text":"Avant",
            "author":{"name":"Awa","email":"awa@example.org","url":null},"text":"Oui","created":"2026-11-22T08:30:00Z",
            "status":"pending","erased":false,"approved_before":3}],
            "counts":{"pending":1,"approved":0,"spam":0,"deleted":0},"page":1,"more":false}"#,
        )
        .expect("a page of the queue");
        assert_eq!(page.items[0].approved_before, Some(3));
        assert_eq!(page.items[0].parent_text.as_deref(), Some("Avant"));
        assert_eq!(page.counts.of(Queue::Pending), 1);
        let session: Session = serde_json::from_str(r#"{"user":{"name":"fatou","role":"moderator"},"csrf_token":"ab"}"#).expect("session");
        assert_eq!(session.user.role, AccountRole::Moderator);
    }

    #[test]
    fn export_names() {
        assert_eq!(export_file_name("Awa@Example.org"), "kiosque-export-awa-example.org.json");
        assert_eq!(export_file_name("../x/"), "kiosque-export-..-x.json");
    }
}
