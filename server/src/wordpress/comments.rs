//! `--comments wordpress`: a post's comments read from, and new ones written to, the site's REST
//! API (`/wp/v2/comments`), so the newsroom keeps moderating in wp-admin. WordPress's answers are
//! mapped to the API's (`docs/api.md`); its comment HTML becomes our plain text ([`comment_text`]).

use std::collections::BTreeMap;

use kiosque::model::Timestamp;
use reqwest::{Method, StatusCode, Url};
use serde_json::{json, Value};

use super::comment_text::comment_text;
use super::{error_chain, UpstreamError, WordPress, MAX_ANSWER_BYTES};
use crate::errors::ApiError;
use crate::store::{CommentRow, Status};

/// WordPress's own limit on `per_page`.
const COMMENTS_PER_PAGE: usize = 100;
/// At most this many pages of comments are read (50 000 comments on one post).
const MAX_COMMENT_PAGES: usize = 500;
/// WordPress refuses a second comment from one address within 15 s (`wp_throttle_comment_flood`);
/// every comment sent by Kiosque comes from the server's address.
pub const FLOOD_SECONDS: u64 = 15;
/// What a site needs for Kiosque to create comments (the README gives it as a must-use plugin).
pub const ANONYMOUS_COMMENTS_FILTER: &str = "add_filter( 'rest_allow_anonymous_comments', '__return_true' );";

/// A WordPress answer: status, `X-WP-TotalPages` and the JSON body (`Null` when not JSON).
struct Answer {
    status: StatusCode,
    total_pages: Option<usize>,
    body: Value,
}

/// A reader's comment, checked by Kiosque, for WordPress.
pub struct CommentForWordPress<'a> {
    pub post_id: i64,
    pub parent: Option<i64>,
    pub author_name: &'a str,
    pub author_email: Option<&'a str>,
    pub author_url: Option<&'a str>,
    pub text: &'a str,
}

impl WordPress {
    async fn send(&self, method: Method, url: Url, body: Option<&Value>) -> Result<Answer, UpstreamError> {
        let failed = |what: String| UpstreamError::new(format!("WordPress at {} {what}", self.base));
        let mut request = self.http.request(method, url);
        if let Some(body) = body {
            request = request.json(body);
        }
        let mut response = request.send().await.map_err(|error| self.unanswered(&error))?;
        let status = response.status();
        let total_pages = response
            .headers()
            .get("x-wp-totalpages")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse().ok());
        let mut bytes = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > MAX_ANSWER_BYTES {
                        return Err(failed(format!("sent an answer over {MAX_ANSWER_BYTES} bytes")));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(error) => {
                    let mut failure = failed(format!("broke off its answer ({})", error_chain(&error)));
                    failure.timed_out = error.is_timeout();
                    return Err(failure);
                }
            }
        }
        Ok(Answer { status, total_pages, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) })
    }

    /// Whether the site lets anonymous visitors create comments through its REST API. Asked with
    /// a comment for no post, which WordPress refuses either way, so nothing is ever created:
    /// `401 rest_comment_login_required` when anonymous comments are off, `403
    /// rest_comment_invalid_post_id` when they are on.
    pub async fn anonymous_comments_allowed(&self) -> Result<bool, UpstreamError> {
        let answer = self.send(Method::POST, self.api("wp/v2/comments", &[]), Some(&json!({}))).await?;
        match (answer.status, error_code(&answer.body)) {
            (_, "rest_comment_login_required") => Ok(false),
            (StatusCode::FORBIDDEN | StatusCode::BAD_REQUEST, _) => Ok(true),
            (status, code) => Err(UpstreamError::new(format!(
                "WordPress at {} answered {status} {code} when asked whether it takes anonymous comments",
                self.base
            ))),
        }
    }

    /// The approved comments of post `post_id`, every page, oldest first, as rows of `article_id`
    /// (ids and parents are WordPress's). A post whose comments WordPress does not show has none.
    pub async fn comments(&self, post_id: i64, article_id: &str) -> Result<Vec<CommentRow>, UpstreamError> {
        let mut rows = Vec::new();
        for page in 1..=MAX_COMMENT_PAGES {
            let query = [
                ("post", post_id.to_string()),
                ("per_page", COMMENTS_PER_PAGE.to_string()),
                ("page", page.to_string()),
                ("orderby", "date_gmt".to_string()),
                ("order", "asc".to_string()),
            ];
            let answer = self.send(Method::GET, self.api("wp/v2/comments", &query), None).await?;
            if matches!(answer.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) {
                break;
            }
            if !answer.status.is_success() {
                return Err(UpstreamError::new(format!("WordPress at {} answered {} for the comments", self.base, answer.status)));
            }
            let Value::Array(comments) = answer.body else {
                return Err(UpstreamError::new(format!("WordPress at {} sent comments that are not a JSON list", self.base)));
            };
            let count = comments.len();
            // Anonymous readers only ever get approved comments; the filter says so again.
            rows.extend(comments.iter().filter_map(|comment| row(comment, article_id)).filter(|row| row.status == Status::Approved));
            if count < COMMENTS_PER_PAGE || answer.total_pages.is_some_and(|total| page >= total) {
                break;
            }
        }
        // Oldest first, ties by number, as the threads expect (a reply is newer than its parent).
        rows.sort_by_key(|row| (row.created_ms, row.id));
        Ok(rows)
    }

    /// Whether comment `id` is a comment of post `post_id` that readers can see.
    pub async fn comment_on_post(&self, id: i64, post_id: i64) -> Result<bool, UpstreamError> {
        let answer = self.send(Method::GET, self.api(&format!("wp/v2/comments/{id}"), &[]), None).await?;
        if !answer.status.is_success() {
            return if answer.status.is_client_error() {
                Ok(false)
            } else {
                Err(UpstreamError::new(format!("WordPress at {} answered {} for a comment", self.base, answer.status)))
            };
        }
        Ok(answer.body.get("post").and_then(Value::as_i64) == Some(post_id))
    }

    /// Creates the comment in WordPress: the row WordPress made (`pending` when held), or the
    /// API's answer to WordPress's refusal.
    pub async fn create_comment(&self, comment: &CommentForWordPress<'_>, article_id: &str) -> Result<CommentRow, ApiError> {
        let mut body = json!({
            "post": comment.post_id,
            "author_name": comment.author_name,
            // WordPress keeps comments as HTML: the reader's text is text, never markup.
            "content": escape_html(comment.text),
        });
        if let Some(parent) = comment.parent {
            body["parent"] = json!(parent);
        }
        if let Some(email) = comment.author_email {
            body["author_email"] = json!(email);
        }
        if let Some(url) = comment.author_url {
            body["author_url"] = json!(url);
        }
        let answer = self.send(Method::POST, self.api("wp/v2/comments", &[]), Some(&body)).await.map_err(upstream)?;
        if answer.status.is_success() {
            let mut created = row(&answer.body, article_id)
                .ok_or_else(|| ApiError::upstream(format!("WordPress at {} created a comment but its answer is unreadable", self.base)))?;
            if created.text.is_empty() {
                created.text = comment.text.to_string();
            }
            return Ok(created);
        }
        Err(refusal(answer.status, &answer.body, &self.base))
    }
}

/// A transport failure as the API's answer: 504 when WordPress was too slow, else 502.
pub fn upstream(error: UpstreamError) -> ApiError {
    if error.timed_out {
        ApiError::upstream_timeout(error.message)
    } else {
        ApiError::upstream(error.message)
    }
}

fn error_code(body: &Value) -> &str {
    body.get("code").and_then(Value::as_str).unwrap_or_default()
}

/// WordPress's refusal of a new comment as the API's answer (`docs/api.md`).
fn refusal(status: StatusCode, body: &Value, base: &Url) -> ApiError {
    let code = error_code(body);
    let field = |name: &str, problem: &str| ApiError::validation(BTreeMap::from([(name.to_string(), problem.to_string())]));
    match code {
        // The widget has no "already sent" message: WordPress's duplicate is a comment it does
        // not accept, which is what `rejected` tells the reader (the message says why).
        "comment_duplicate" => ApiError::duplicate("WordPress already has this comment: the same text by the same author."),
        "comment_flood" => ApiError::rate_limited(FLOOD_SECONDS),
        "rest_comment_closed" | "rest_cannot_read_post" | "rest_comment_draft_post" | "rest_comment_trash_post" => ApiError::closed(),
        "rest_comment_author_data_required" => field("author_email", "required"),
        "comment_author_column_length" => field("author_name", "too_long"),
        "comment_author_email_column_length" => field("author_email", "too_long"),
        "comment_author_url_column_length" => field("author_url", "too_long"),
        "comment_content_column_length" => field("text", "too_long"),
        "rest_comment_invalid_post_id" => ApiError::not_found("WordPress has no such post."),
        "rest_invalid_param" => {
            let params = body.get("data").and_then(|data| data.get("params")).and_then(Value::as_object);
            let fields: BTreeMap<String, String> = params
                .into_iter()
                .flat_map(|params| params.keys())
                .filter_map(|name| match name.as_str() {
                    "author_email" => Some(("author_email".to_string(), "invalid_email".to_string())),
                    "author_url" => Some(("author_url".to_string(), "invalid_url".to_string())),
                    "parent" => Some(("parent".to_string(), "not_found".to_string())),
                    _ => None,
                })
                .collect();
            if fields.is_empty() {
                ApiError::upstream(format!("WordPress at {base} refused the comment ({status} {code})"))
            } else {
                ApiError::validation(fields)
            }
        }
        "rest_comment_login_required" => {
            tracing::error!(site = %base, "WordPress no longer takes anonymous comments; add to a must-use plugin: {ANONYMOUS_COMMENTS_FILTER}");
            ApiError::upstream(format!("WordPress at {base} no longer takes comments from Kiosque (rest_allow_anonymous_comments is off)"))
        }
        _ => ApiError::upstream(format!("WordPress at {base} refused the comment ({status} {code})")),
    }
}

/// `approved`; `hold` (and what WordPress files as spam or trash, which its author is not told)
/// is pending.
fn status(text: &str) -> Status {
    match text {
        "approved" | "approve" | "1" => Status::Approved,
        _ => Status::Pending,
    }
}

/// One comment of the REST API as a row: its number, its parent's (0 is none), the author's name
/// and site, its date (`date_gmt`), its text from `content.rendered`.
pub fn row(comment: &Value, article_id: &str) -> Option<CommentRow> {
    let id = comment.get("id")?.as_i64()?;
    let parent_id = comment.get("parent").and_then(Value::as_i64).filter(|parent| *parent > 0);
    let created = comment.get("date_gmt").and_then(Value::as_str).and_then(gmt_ms)?;
    let author_url = comment
        .get("author_url")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
        .map(str::to_string);
    let rendered = comment.get("content").and_then(|content| content.get("rendered")).and_then(Value::as_str).unwrap_or_default();
    let name = comment.get("author_name").and_then(Value::as_str).map(super::html::text).unwrap_or_default();
    Some(CommentRow {
        id,
        article_id: article_id.to_string(),
        parent_id,
        author_name: if name.trim().is_empty() { "Anonyme".to_string() } else { name },
        author_email: None,
        author_url,
        text: comment_text(rendered),
        created_ms: created,
        status: status(comment.get("status").and_then(Value::as_str).unwrap_or("approved")),
        // WordPress keeps no votes, nor who may edit (votes and edits are off under --comments wordpress).
        score: 0,
        voter_hash: None,
        edit_token_hash: None,
        edited_ms: None,
    })
}

/// `2026-11-20T09:30:00` or `2026-11-20 09:30:00` (WordPress's GMT dates carry no offset).
pub fn gmt_ms(date: &str) -> Option<i64> {
    let date = date.trim().replacen(' ', "T", 1);
    Timestamp::parse(&format!("{date}Z")).map(|timestamp| timestamp.unix_ms)
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rest_comment_is_a_row() {
        let comment = json!({
            "id": 31, "post": 7, "parent": 30, "author_name": "Fatou &amp; Co", "author_url": "javascript:alert(1)",
            "date": "2026-11-20T10:30:00", "date_gmt": "2026-11-20T09:30:00",
            "content": { "rendered": "<p>Oui<br />\net <a href=\"https://exemple.sn\" rel=\"nofollow ugc\">https://exemple.sn</a></p>\n" },
            "status": "approved",
        });
        let row = row(&comment, "greve").expect("a row");
        assert_eq!((row.id, row.parent_id, row.article_id.as_str()), (31, Some(30), "greve"));
        assert_eq!(row.author_name, "Fatou & Co");
        assert_eq!(row.author_url, None, "only http(s) addresses");
        assert_eq!(row.text, "Oui\net https://exemple.sn");
        assert_eq!(crate::time::rfc3339_utc(row.created_ms), "2026-11-20T09:30:00Z");
        assert_eq!(row.status, Status::Approved);
        let held = json!({ "id": 2, "parent": 0, "author_name": "", "date_gmt": "2026-11-20 09:30:00", "status": "hold" });
        let held = super::row(&held, "x").expect("a row");
        assert_eq!((held.parent_id, held.status, held.author_name.as_str()), (None, Status::Pending, "Anonyme"));
        assert!(super::row(&json!({ "id": 3 }), "x").is_none(), "no date, no comment");
    }

    #[test]
    fn the_comments_wordpress_sent_are_rows() {
        // The test site's answer to ?rest_route=/wp/v2/comments&post=…&orderby=date_gmt&order=asc.
        let answer: Value = serde_json::from_str(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/wordpress/comments-greve-au-port-de-dakar.json"
        )))
        .expect("JSON");
        let rows: Vec<CommentRow> = answer.as_array().expect("a list").iter().filter_map(|comment| row(comment, "greve")).collect();
        let names: Vec<&str> = rows.iter().map(|row| row.author_name.as_str()).collect();
        // Anonymous readers get approved comments only; replies under held or spam ones come too
        // (the threads leave them out) and pingbacks do not.
        assert_eq!(names, ["Awa Ndiaye", "Moussa Diop", "Fatou Sall", "Ibrahima Fall", "Sous attente", "Sous spam", "Pirate"]);
        assert!(rows.iter().all(|row| row.status == Status::Approved));
        assert_eq!(rows[2].parent_id, Some(rows[1].id));
        assert_eq!(rows[0].text, "Merci pour cet article.\n\nUne question : quand reprend le travail ?");
        let pirate = rows.last().expect("hostile");
        assert_eq!((pirate.text.as_str(), pirate.author_url.as_deref()), ("Bonjour cliquez ici fin.", None));
    }

    #[test]
    fn refusals_are_the_apis_answers() {
        let base = Url::parse("http://wp.example/").expect("url");
        let answer = |code: &str, status: u16| {
            let error = refusal(StatusCode::from_u16(status).expect("status"), &json!({ "code": code, "data": { "status": status } }), &base);
            (error.status.as_u16(), error.code().to_string())
        };
        assert_eq!(answer("comment_duplicate", 409), (422, "duplicate".into()));
        assert_eq!(answer("comment_flood", 400), (429, "rate_limited".into()));
        assert_eq!(answer("rest_comment_closed", 403), (409, "closed".into()));
        assert_eq!(answer("rest_comment_author_data_required", 400), (422, "validation".into()));
        assert_eq!(answer("rest_comment_login_required", 401), (502, "upstream".into()));
        assert_eq!(answer("something_else", 500), (502, "upstream".into()));
        let invalid = refusal(
            StatusCode::BAD_REQUEST,
            &json!({ "code": "rest_invalid_param", "data": { "params": { "author_email": "Invalid email address." } } }),
            &base,
        );
        assert_eq!(invalid.body["fields"]["author_email"], "invalid_email");
        assert_eq!(ApiError::rate_limited(FLOOD_SECONDS).retry_after, Some(15));
    }

    #[test]
    fn text_goes_to_wordpress_as_text() {
        assert_eq!(escape_html("a < b && <script>"), "a &lt; b &amp;&amp; &lt;script&gt;");
        assert_eq!(gmt_ms("2026-11-20 09:30:00"), gmt_ms("2026-11-20T09:30:00"));
        assert_eq!(gmt_ms("0000-00-00 00:00:00"), None);
    }
}
