//! Related news: which items a reader sees, in which order, and how their dates read.

use super::article::RelatedItem;

/// One page of related items fetched from `related.url`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RelatedPage {
    pub title: Option<String>,
    pub items: Vec<RelatedItem>,
    /// The next page's address, when there is one.
    pub next: Option<String>,
}

pub const DEFAULT_RELATED_LIMIT: usize = 6;

/// The identity of an item for de-duplication: its id, else its address.
fn identity(item: &RelatedItem) -> &str {
    item.id.as_deref().unwrap_or(item.url.url.as_str())
}

/// Appends `incoming` to `list`, leaving out the article being read and any item already listed
/// (the inline items and the server's list often overlap).
pub fn merge_related(list: &mut Vec<RelatedItem>, incoming: Vec<RelatedItem>, current_id: &str, current_url: Option<&str>) {
    for item in incoming {
        let is_current = is_current(&item, current_id, current_url);
        let seen = list.iter().any(|listed| identity(listed) == identity(&item) || listed.url == item.url);
        if !is_current && !seen {
            list.push(item);
        }
    }
}

fn is_current(item: &RelatedItem, current_id: &str, current_url: Option<&str>) -> bool {
    item.id.as_deref() == Some(current_id) || Some(item.url.url.as_str()) == current_url
}

/// Whether `items` name another article than the current one (the list is shown only then, or
/// when more can be fetched).
pub fn lists_others(items: &[RelatedItem], current_id: &str, current_url: Option<&str>) -> bool {
    items.iter().any(|item| !is_current(item, current_id, current_url))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelativeUnit {
    Minute,
    Hour,
    Day,
}

impl RelativeUnit {
    /// The unit's name for `Intl.RelativeTimeFormat`.
    pub fn intl_name(self) -> &'static str {
        match self {
            RelativeUnit::Minute => "minute",
            RelativeUnit::Hour => "hour",
            RelativeUnit::Day => "day",
        }
    }
}

/// How an item's date reads: "il y a 3 heures" while it is recent, the date itself afterwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateDisplay {
    /// A negative amount of `unit`s (in the past), for `Intl.RelativeTimeFormat`.
    Relative { amount: i64, unit: RelativeUnit },
    Absolute,
}

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;
/// Older than this, a relative date ("il y a 12 jours") is harder to place than the date itself.
const RELATIVE_FOR_MS: i64 = 7 * DAY_MS;
/// Clocks disagree: a date slightly in the future is "now", not an absolute date.
const CLOCK_SKEW_MS: i64 = 5 * MINUTE_MS;

pub fn date_display(published_ms: i64, now_ms: i64) -> DateDisplay {
    let age = now_ms - published_ms;
    let relative = |amount: i64, unit| DateDisplay::Relative { amount: -amount, unit };
    match age {
        _ if !(-CLOCK_SKEW_MS..RELATIVE_FOR_MS).contains(&age) => DateDisplay::Absolute,
        _ if age < HOUR_MS => relative(age.max(0) / MINUTE_MS, RelativeUnit::Minute),
        _ if age < DAY_MS => relative(age / HOUR_MS, RelativeUnit::Hour),
        _ => relative(age / DAY_MS, RelativeUnit::Day),
    }
}
