//! Comment counts for listing pages: `GET /api/counts?ids=42,le-slug` answers every id's number
//! of approved comments in one request, which the loader makes for all the page's
//! `data-kiosque-count` links at once (a home page of 30 articles: one request, no wasm).

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use percent_encoding::percent_decode_str;
use serde_json::{json, Map, Value};

use crate::errors::{json_response, ApiError};
use crate::http_cache::{self, ApiCaching};
use crate::AppState;

type Shared = Arc<AppState>;

/// The most ids one request may ask for (a listing page with more makes several).
pub const MAX_COUNT_IDS: usize = 100;
const MAX_ID_CHARS: usize = 200;

pub fn routes() -> Router<Shared> {
    Router::new().route("/api/counts", get(counts))
}

/// The ids of `?ids=`: comma-separated, each percent-encoded (so an id may hold a comma), no
/// duplicates, in the order given.
pub fn requested_ids(query: Option<&str>) -> Result<Vec<String>, String> {
    let raw = query
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("ids="))
        .ok_or_else(|| "Give the articles' ids: ?ids=42,another-id".to_string())?;
    let mut ids: Vec<String> = Vec::new();
    for piece in raw.split(',').filter(|piece| !piece.is_empty()) {
        let id = percent_decode_str(&piece.replace('+', " "))
            .decode_utf8()
            .map_err(|_| "An id is not valid UTF-8 once decoded.".to_string())?
            .into_owned();
        if id.is_empty() || id.chars().count() > MAX_ID_CHARS {
            return Err(format!("An id must have 1 to {MAX_ID_CHARS} characters."));
        }
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err("Give the articles' ids: ?ids=42,another-id".into());
    }
    if ids.len() > MAX_COUNT_IDS {
        return Err(format!("At most {MAX_COUNT_IDS} ids a request."));
    }
    Ok(ids)
}

async fn counts(State(state): State<Shared>, RawQuery(query): RawQuery) -> Result<Response, ApiError> {
    crate::feeds::comments_are_local(&state)?;
    let ids = requested_ids(query.as_deref()).map_err(ApiError::bad_request)?;
    let found = state.store.approved_counts(ids.clone()).await?;
    // Every id asked for gets a number: an article nobody commented on has 0.
    let counts: Map<String, Value> =
        ids.into_iter().map(|id| {
            let count = found.iter().find(|(known, _)| *known == id).map_or(0, |(_, count)| *count);
            (id, Value::from(count))
        }).collect();
    Ok(http_cache::mark(json_response(axum::http::StatusCode::OK, &json!({ "counts": counts })), ApiCaching::Revalidated))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_split_then_decoded_once_each() {
        assert_eq!(requested_ids(Some("ids=42,l%27%C3%A9t%C3%A9,a%2Cb")), Ok(vec!["42".into(), "l'été".into(), "a,b".into()]));
        assert_eq!(requested_ids(Some("x=1&ids=7,7,8")), Ok(vec!["7".into(), "8".into()]));
    }

    #[test]
    fn missing_empty_or_too_many_ids_are_refused() {
        assert!(requested_ids(None).is_err());
        assert!(requested_ids(Some("ids=")).is_err());
        assert!(requested_ids(Some("ids=%FF")).is_err());
        let many = (0..=MAX_COUNT_IDS).map(|n| n.to_string()).collect::<Vec<_>>().join(",");
        assert!(requested_ids(Some(&format!("ids={many}"))).is_err());
        assert!(requested_ids(Some(&format!("ids={}", "a".repeat(MAX_ID_CHARS + 1)))).is_err());
    }
}
