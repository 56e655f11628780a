//! A token bucket per client address, for posting comments: `burst` posts at once, then one every
//! `60 / per_minute` seconds. The buckets live in the database (`Store::take_rate_token`), so the
//! limit holds across restarts and across instances; this is the arithmetic, kept pure.

use crate::cli::RateLimit;

/// Votes come in bursts (a reader goes down a thread) but a script voting all day is not a reader:
/// 30 at once, then one every 2 seconds.
pub const VOTE_LIMIT: RateLimit = RateLimit { burst: 30, per_minute: 30 };
const VOTE_PREFIX: &str = "vote:";

/// Which of a client's buckets: posting, editing and deleting comments share one; votes have their
/// own, stored under a `vote:` key, so that voting never uses up the right to comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateScope {
    Comments,
    Votes,
}

impl RateScope {
    /// The stored key of `address`'s bucket in this scope.
    pub fn key(self, address: &str) -> String {
        match self {
            RateScope::Comments => address.to_string(),
            RateScope::Votes => format!("{VOTE_PREFIX}{address}"),
        }
    }

    /// The scope of a stored key (an address has no `v`, so none starts with `vote:`).
    pub fn of(key: &str) -> RateScope {
        if key.starts_with(VOTE_PREFIX) {
            RateScope::Votes
        } else {
            RateScope::Comments
        }
    }

    /// The SQL condition (both backends) on `client` selecting this scope's buckets: each scope
    /// forgets only its own quiet buckets, as only it knows how long they take to be full again.
    pub fn own_buckets(self) -> &'static str {
        match self {
            RateScope::Comments => "client NOT LIKE 'vote:%'",
            RateScope::Votes => "client LIKE 'vote:%'",
        }
    }
}

/// One client's bucket as stored: tokens left at `updated_ms` (Unix milliseconds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bucket {
    pub tokens: f64,
    pub updated_ms: i64,
}

fn per_ms(limit: RateLimit) -> f64 {
    f64::from(limit.per_minute.max(1)) / 60_000.0
}

fn burst(limit: RateLimit) -> f64 {
    f64::from(limit.burst.max(1))
}

/// How long a quiet bucket takes to be full again; older buckets are as good as absent.
pub fn full_after_ms(limit: RateLimit) -> i64 {
    (burst(limit) / per_ms(limit)).ceil() as i64
}

/// Takes one token from `bucket` (a new client has a full one). Returns the bucket to store and
/// `Err(seconds)` when there was no token, saying when the next one will be there.
pub fn take(bucket: Option<Bucket>, now_ms: i64, limit: RateLimit) -> (Bucket, Result<(), u64>) {
    let (burst, per_ms) = (burst(limit), per_ms(limit));
    let tokens = match bucket {
        // Another instance's clock may be a little ahead: never refill by a negative time.
        Some(bucket) => (bucket.tokens + (now_ms - bucket.updated_ms).max(0) as f64 * per_ms).min(burst),
        None => burst,
    };
    if tokens >= 1.0 {
        (Bucket { tokens: tokens - 1.0, updated_ms: now_ms }, Ok(()))
    } else {
        let wait_seconds = (1.0 - tokens) / per_ms / 1000.0;
        // Whole seconds, rounded up, as Retry-After requires; never 0, or clients would spin.
        (Bucket { tokens, updated_ms: now_ms }, Err((wait_seconds.ceil() as u64).max(1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refill() {
        let limit = RateLimit { burst: 3, per_minute: 6 };
        let start = 1_000_000;
        let mut bucket = None;
        for _ in 0..3 {
            let (next, outcome) = take(bucket, start, limit);
            assert_eq!(outcome, Ok(()));
            bucket = Some(next);
        }
        let (next, outcome) = take(bucket, start, limit);
        assert_eq!(outcome, Err(10));
        assert_eq!(take(Some(next), start + 4_000, limit).1, Err(6));
        assert_eq!(take(Some(next), start + 10_000, limit).1, Ok(()));
        // A long pause refills to the burst, not beyond.
        let mut later = Some(next);
        for _ in 0..3 {
            let (next, outcome) = take(later, start + 3_600_000, limit);
            assert_eq!(outcome, Ok(()));
            later = Some(next);
        }
        assert!(take(later, start + 3_600_000, limit).1.is_err());
        assert_eq!(full_after_ms(limit), 30_000);
    }

    #[test]
    fn votes_have_their_own_buckets() {
        for address in ["192.0.2.7", "2001:db8::1", "::1", "fe80::1"] {
            assert_eq!(RateScope::of(&RateScope::Comments.key(address)), RateScope::Comments);
            assert_eq!(RateScope::of(&RateScope::Votes.key(address)), RateScope::Votes);
            assert_ne!(RateScope::Comments.key(address), RateScope::Votes.key(address));
        }
        assert_eq!(full_after_ms(VOTE_LIMIT), 60_000);
    }

    #[test]
    fn a_clock_behind_the_bucket_refills_nothing() {
        let limit = RateLimit { burst: 1, per_minute: 1 };
        let empty = Bucket { tokens: 0.0, updated_ms: 10_000 };
        assert_eq!(take(Some(empty), 5_000, limit).1, Err(60));
    }
}
