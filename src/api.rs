//! Everything the widget fetches goes through here: one place for time-outs and error mapping.

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::Request;
use gloo_timers::callback::Timeout;
use web_sys::AbortController;

use crate::i18n::{Key, Lang};
use crate::model::comments::{parse_comments_page, CommentsPage};
use crate::model::{parse_article, parse_related_page, Notice, ParseError, Parsed, RelatedPage};

/// Why a request produced no usable body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchError {
    /// The server answered with a status outside 200–299.
    Status(u16),
    /// No answer within the configured time-out.
    TimedOut { after_ms: u32 },
    /// No answer at all: offline, DNS, CORS, connection refused.
    Network,
}

impl ArticleError {
    /// The reason in English, for the console.
    pub fn console_reason(&self) -> String {
        match self {
            ArticleError::Fetch(fetch) => fetch.message(Lang::En),
            ArticleError::Invalid(invalid) => invalid.to_string(),
        }
    }
}

impl FetchError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            FetchError::Status(status) => lang.fill(Key::ReasonHttpStatus, &[("status", &status.to_string())]),
            FetchError::TimedOut { after_ms } => {
                let seconds = format!("{}", f64::from(*after_ms) / 1000.0);
                lang.fill(Key::ReasonTimeout, &[("seconds", &seconds)])
            }
            FetchError::Network => lang.text(Key::ReasonNetwork).to_string(),
        }
    }
}

/// An HTTP answer, whatever its status.
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub retry_after: Option<String>,
}

/// Sends a request built by `build` (which receives the abort signal) and reads the whole answer,
/// failing after `timeout_ms`, the body included.
async fn exchange(
    build: impl FnOnce(&web_sys::AbortSignal) -> Result<gloo_net::http::Request, gloo_net::Error>,
    timeout_ms: u32,
) -> Result<Answer, FetchError> {
    let controller = AbortController::new().map_err(|_| FetchError::Network)?;
    let timed_out = Rc::new(Cell::new(false));
    let _deadline = {
        let controller = controller.clone();
        let timed_out = Rc::clone(&timed_out);
        // Dropping the returned handle (when this function returns) cancels the timer.
        Timeout::new(timeout_ms, move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let outcome = async {
        let request = build(&controller.signal()).map_err(|_| FetchError::Network)?;
        let response = request.send().await.map_err(|_| FetchError::Network)?;
        let status = response.status();
        let retry_after = response.headers().get("retry-after");
        let body = response.text().await.map_err(|_| FetchError::Network)?;
        Ok(Answer { status, body, retry_after })
    }
    .await;
    match outcome {
        Err(FetchError::Network) if timed_out.get() => Err(FetchError::TimedOut { after_ms: timeout_ms }),
        other => other,
    }
}

/// GETs `url` and returns its body as text; a status outside 200–299 is an error.
pub async fn fetch_text(url: &str, timeout_ms: u32) -> Result<String, FetchError> {
    let answer = exchange(
        |signal| Request::get(url).header("Accept", "application/json").abort_signal(Some(signal)).build(),
        timeout_ms,
    )
    .await?;
    if (200..300).contains(&answer.status) {
        Ok(answer.body)
    } else {
        Err(FetchError::Status(answer.status))
    }
}

/// POSTs a JSON body; every status comes back as an [`Answer`] for the caller to read.
pub async fn post_json(url: &str, body: String, timeout_ms: u32) -> Result<Answer, FetchError> {
    exchange(
        |signal| {
            Request::post(url)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .abort_signal(Some(signal))
                .body(body)
        },
        timeout_ms,
    )
    .await
}

pub async fn fetch_comments(url: &str, timeout_ms: u32) -> Result<CommentsPage, ArticleError> {
    let body = fetch_text(url, timeout_ms).await.map_err(ArticleError::Fetch)?;
    parse_comments_page(&body).map_err(ArticleError::Invalid)
}

/// Why an article could not be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArticleError {
    Fetch(FetchError),
    Invalid(ParseError),
}

pub async fn fetch_article(url: &str, timeout_ms: u32) -> Result<Parsed, ArticleError> {
    let body = fetch_text(url, timeout_ms).await.map_err(ArticleError::Fetch)?;
    parse_article(&body).map_err(ArticleError::Invalid)
}

pub async fn fetch_related(url: &str, timeout_ms: u32) -> Result<(RelatedPage, Vec<Notice>), ArticleError> {
    let body = fetch_text(url, timeout_ms).await.map_err(ArticleError::Fetch)?;
    parse_related_page(&body).map_err(ArticleError::Invalid)
}
