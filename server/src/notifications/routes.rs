//! `/api/notifications/confirm` and `/api/notifications/unsubscribe`: the pages a mail's links open.
//! A GET shows what the link would do and a button; only the button's POST (or a mail client's
//! RFC 8058 one-click POST) changes the subscription. An unknown or used link gets a page saying
//! so, with a 404. Tokens travel in the query or the form, which the request log never records
//! (it writes the route's template only).

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use kiosque::i18n::Lang;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use super::pages::{self, Page, CONTENT_SECURITY_POLICY};
use super::strings::lang_of_tag;
use super::subscription::{token_hash, LinkAction};
use crate::errors::{ApiError, HtmlPage};
use crate::store::SubscriptionRow;
use crate::AppState;

/// Longer than any token we make; a longer one is not looked up.
const MAX_TOKEN_CHARS: usize = 100;

type Shared = Arc<AppState>;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/notifications/confirm", get(confirm_page).post(confirm))
        .route("/api/notifications/unsubscribe", get(unsubscribe_page).post(unsubscribe))
}

/// The `token` field of a query string or a form body.
fn token_in(form: &[u8]) -> Option<String> {
    form_urlencoded::parse(form)
        .find(|(name, _)| name == "token")
        .map(|(_, value)| value.into_owned())
        .filter(|token| !token.is_empty() && token.len() <= MAX_TOKEN_CHARS)
}

fn html(status: StatusCode, document: String) -> Response {
    let mut response = Response::new(Body::from(document));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response.extensions_mut().insert(HtmlPage);
    response
}

/// The page of a valid link, in the subscription's language, about its article.
async fn page(state: &AppState, subscription: &SubscriptionRow, page: Page<'_>) -> Response {
    let title = match crate::api::find(state, &subscription.article_id).await {
        Ok(found) => found.entry().article.headline.clone(),
        Err(_) => String::new(),
    };
    html(StatusCode::OK, pages::render(subscription.lang, page, &title))
}

/// A link that leads to no subscription: said in the reader's browser language when the pages
/// speak it (`Accept-Language`, in the browser's order), else in the server's.
fn invalid(state: &AppState, headers: &HeaderMap) -> Response {
    let asked = headers.get(header::ACCEPT_LANGUAGE).and_then(|value| value.to_str().ok()).unwrap_or_default();
    let browser = asked.split(',').find_map(|part| Lang::from_tag(part.split(';').next().unwrap_or_default()));
    let server = || state.notifications.as_ref().map_or_else(|| lang_of_tag(&state.options.lang), |notifications| notifications.default_lang);
    html(StatusCode::NOT_FOUND, pages::render(browser.unwrap_or_else(server), Page::Invalid, ""))
}

async fn show(state: Shared, headers: HeaderMap, query: Option<String>, action: LinkAction) -> Result<Response, ApiError> {
    let Some(token) = token_in(query.unwrap_or_default().as_bytes()) else { return Ok(invalid(&state, &headers)) };
    let Some(subscription) = state.store.subscription_for_link(token_hash(&token), action).await? else {
        return Ok(invalid(&state, &headers));
    };
    let shown = match action {
        LinkAction::Confirm => Page::Confirm { token: &token },
        LinkAction::Unsubscribe => Page::Unsubscribe { token: &token },
    };
    Ok(page(&state, &subscription, shown).await)
}

async fn apply(state: Shared, headers: HeaderMap, token: Option<String>, action: LinkAction) -> Result<Response, ApiError> {
    let Some(token) = token else { return Ok(invalid(&state, &headers)) };
    let now = crate::time::now_ms();
    let Some(subscription) = state.store.follow_link(token_hash(&token), action, now).await? else {
        return Ok(invalid(&state, &headers));
    };
    tracing::info!(subscription = subscription.id, state = subscription.state.as_str(), "reply notifications");
    let done = match action {
        LinkAction::Confirm => Page::Confirmed,
        LinkAction::Unsubscribe => Page::Unsubscribed,
    };
    Ok(page(&state, &subscription, done).await)
}

/// `GET /api/notifications/confirm?token=T`: a button; nothing changes yet.
async fn confirm_page(State(state): State<Shared>, headers: HeaderMap, RawQuery(query): RawQuery) -> Result<Response, ApiError> {
    show(state, headers, query, LinkAction::Confirm).await
}

/// `POST /api/notifications/confirm` with the form field `token`.
async fn confirm(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    apply(state, headers, token_in(&body), LinkAction::Confirm).await
}

/// `GET /api/notifications/unsubscribe?token=T`: a button; nothing changes yet.
async fn unsubscribe_page(State(state): State<Shared>, headers: HeaderMap, RawQuery(query): RawQuery) -> Result<Response, ApiError> {
    show(state, headers, query, LinkAction::Unsubscribe).await
}

/// `POST /api/notifications/unsubscribe?token=T`, body `List-Unsubscribe=One-Click` (RFC 8058,
/// what a mail client's unsubscribe button sends, as the page's button does); the token may also
/// come in the form.
async fn unsubscribe(State(state): State<Shared>, headers: HeaderMap, RawQuery(query): RawQuery, body: Bytes) -> Result<Response, ApiError> {
    let token = token_in(query.unwrap_or_default().as_bytes()).or_else(|| token_in(&body));
    apply(state, headers, token, LinkAction::Unsubscribe).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_from_forms_and_queries() {
        assert_eq!(token_in(b"token=abc_-1"), Some("abc_-1".to_string()));
        assert_eq!(token_in(b"List-Unsubscribe=One-Click&token=x%2By"), Some("x+y".to_string()));
        assert_eq!(token_in(b"List-Unsubscribe=One-Click"), None);
        assert_eq!(token_in(b"token="), None);
        assert_eq!(token_in(format!("token={}", "a".repeat(101)).as_bytes()), None);
    }
}
