//! Everything the widget fetches goes through here: one place for time-outs and error mapping.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use gloo_net::http::{Request, Response};
use gloo_timers::callback::Timeout;
use web_sys::{AbortController, Headers, RequestCache, RequestInit};

use crate::i18n::{Key, Lang};
use crate::model::{parse_article, Milli, ParseError, Parsed};

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
                let seconds = Milli(*after_ms).to_text(lang.decimal_separator());
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

/// Whether the browser may answer a request with what it already has in hand (the loader's
/// preload of the article, the HTTP cache), or must ask the server again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    Usual,
    /// For Retry: otherwise the browser queues the request behind the one that just failed (a
    /// preload the widget cannot abort, still waiting on a slow server) and it fails again.
    FromServer,
}

/// Sends `method` to `url` with an optional JSON body and reads the whole answer, failing after
/// `timeout_ms`, the body included. Through gloo-net, which the user's stack names (issue 18):
/// 1.1 KB brotli more than calling `fetch` through web-sys (measured), most of it gloo-net's error
/// conversion, which reads every rejection's name and message only for this to drop them, and its
/// panic messages. Its `RequestBuilder` cost 2.5 KB (see [`send`]). An earlier use of gloo-net,
/// with JSON and text bodies, had cost 8 KB.
///
/// The request leaves when this is called, not when the future is first polled: the article's
/// request then goes out before the widget writes its skeleton (see `components::widget`).
///
/// `controller`, when given, also cancels the request: a list's next page when the list goes away.
fn exchange(method: &str, url: &str, json_body: Option<String>, timeout_ms: u32, freshness: Freshness, controller: Option<&AbortController>) -> impl Future<Output = Result<Answer, FetchError>> {
    let sent = send(method, url, json_body, timeout_ms, freshness, controller);
    async move {
        let (request, timed_out, _deadline) = sent?;
        let outcome = async {
            let response = request.finish().await.map_err(|_| FetchError::Network)?;
            let status = response.status();
            let retry_after = response.headers().get("retry-after");
            let body = utf8_text(response.binary().await.map_err(|_| FetchError::Network)?);
            Ok(Answer { status, body, retry_after })
        }
        .await;
        match outcome {
            Err(FetchError::Network) if timed_out.get() => Err(FetchError::TimedOut { after_ms: timeout_ms }),
            other => other,
        }
    }
}

/// The request on its way, whether its deadline passed, and the deadline (dropping it cancels the
/// timer).
type Sent<F> = (Started<F>, Rc<Cell<bool>>, Timeout);

fn send(method: &str, url: &str, json_body: Option<String>, timeout_ms: u32, freshness: Freshness, controller: Option<&AbortController>) -> Result<Sent<impl Future<Output = Result<Response, gloo_net::Error>>>, FetchError> {
    let controller = match controller {
        Some(controller) => controller.clone(),
        None => AbortController::new().map_err(|_| FetchError::Network)?,
    };
    let timed_out = Rc::new(Cell::new(false));
    let deadline = {
        let controller = controller.clone();
        let timed_out = Rc::clone(&timed_out);
        Timeout::new(timeout_ms, move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    // Not gloo-net's `RequestBuilder`: it rebuilds the address to add its query parameters and
    // leaves a `&` at the end of one that has a query already (gloo issue 498, unfixed in 0.6),
    // so an article address with a query would miss the loader's preload, and `?sort=new` would
    // become `?sort=new&` (tests/web_paged.rs checks the address). It also cost 1.3 KB brotli
    // more than this (measured). gloo-net sends the request built here and reads its answer.
    let headers = Headers::new().map_err(|_| FetchError::Network)?;
    headers.set("Accept", "application/json").map_err(|_| FetchError::Network)?;
    let init = RequestInit::new();
    init.set_method(method);
    init.set_signal(Some(&controller.signal()));
    if freshness == Freshness::FromServer {
        init.set_cache(RequestCache::NoStore);
    }
    if let Some(body) = json_body {
        headers.set("Content-Type", "application/json").map_err(|_| FetchError::Network)?;
        init.set_body(&body.into());
    }
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| FetchError::Network)?;
    Ok((start(Request::from(request).send()), timed_out, deadline))
}

/// A future polled once at once, then as usual. gloo-net's `send` is an `async fn`, which calls
/// `fetch` only when first polled: that would be when `spawn_local`'s task first runs, after the
/// widget has built its view. The first poll cannot miss a wake-up: the promise settles in a later
/// microtask, and the future is polled again by its task anyway, with a real waker, whatever
/// happened meanwhile. `Ready` is for completeness: `fetch` answers in a promise, never at once.
enum Started<F: Future> {
    Pending(Pin<Box<F>>),
    Ready(F::Output),
}

fn start<F: Future>(future: F) -> Started<F> {
    let mut future = Box::pin(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => Started::Ready(output),
        Poll::Pending => Started::Pending(future),
    }
}

impl<F: Future> Started<F> {
    async fn finish(self) -> F::Output {
        match self {
            Started::Pending(future) => future.await,
            Started::Ready(output) => output,
        }
    }
}

/// The body's bytes as text, as `Response.text()` reads them (an invalid sequence becomes U+FFFD).
/// Not `text()` itself: passing a JavaScript string into the wasm reserves three bytes per
/// character before it knows the length, and that peak (6.7 MB for a 1.7 MB page of comments)
/// stays in the wasm's memory, which never shrinks.
fn utf8_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

/// GETs `url` and returns its body as text; a status outside 200–299 is an error.
pub fn fetch_text(url: &str, timeout_ms: u32) -> impl Future<Output = Result<String, FetchError>> {
    get_text(url, timeout_ms, Freshness::Usual, None)
}

fn get_text(url: &str, timeout_ms: u32, freshness: Freshness, controller: Option<&AbortController>) -> impl Future<Output = Result<String, FetchError>> {
    let answer = exchange("GET", url, None, timeout_ms, freshness, controller);
    async move {
        let answer = answer.await?;
        if (200..300).contains(&answer.status) {
            Ok(answer.body)
        } else {
            Err(FetchError::Status(answer.status))
        }
    }
}

/// POSTs a JSON body; every status comes back as an [`Answer`] for the caller to read.
pub fn post_json(url: &str, body: String, timeout_ms: u32) -> impl Future<Output = Result<Answer, FetchError>> {
    send_json("POST", url, body, timeout_ms)
}

/// Sends a JSON body with `method` (`POST`, `PATCH`, `DELETE`); every status comes back.
pub fn send_json(method: &str, url: &str, body: String, timeout_ms: u32) -> impl Future<Output = Result<Answer, FetchError>> {
    exchange(method, url, Some(body), timeout_ms, Freshness::Usual, None)
}

/// A page of a list (related news, comments) as text; `controller` cancels its request.
pub fn fetch_page(url: &str, timeout_ms: u32, controller: &AbortController) -> impl Future<Output = Result<String, FetchError>> {
    get_text(url, timeout_ms, Freshness::Usual, Some(controller))
}

/// Why an article could not be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArticleError {
    Fetch(FetchError),
    Invalid(ParseError),
}

/// The article at `url`; its request leaves at once (see [`exchange`]).
pub fn fetch_article(url: &str, timeout_ms: u32, freshness: Freshness) -> impl Future<Output = Result<Parsed, ArticleError>> {
    let body = get_text(url, timeout_ms, freshness, None);
    async move { parse_article(&body.await.map_err(ArticleError::Fetch)?).map_err(ArticleError::Invalid) }
}
