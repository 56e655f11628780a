//! A token bucket per client IP, for posting comments: `burst` posts at once, then one every
//! `60 / per_minute` seconds.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use crate::cli::RateLimit;

/// Past this many clients, full buckets (clients quiet long enough) are forgotten, so that a flood
/// of addresses cannot grow memory without bound.
const PRUNE_ABOVE_CLIENTS: usize = 10_000;

struct Bucket {
    tokens: f64,
    updated: Instant,
}

pub struct RateLimiter {
    burst: f64,
    per_second: f64,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

impl RateLimiter {
    pub fn new(limit: RateLimit) -> RateLimiter {
        RateLimiter {
            burst: f64::from(limit.burst.max(1)),
            per_second: f64::from(limit.per_minute.max(1)) / 60.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `client`; `Err(seconds)` says when the next one will be there.
    pub fn take(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() > PRUNE_ABOVE_CLIENTS {
            let (burst, per_second) = (self.burst, self.per_second);
            buckets.retain(|_, bucket| bucket.tokens + now.saturating_duration_since(bucket.updated).as_secs_f64() * per_second < burst);
        }
        let bucket = buckets.entry(client).or_insert(Bucket { tokens: self.burst, updated: now });
        let refilled = now.saturating_duration_since(bucket.updated).as_secs_f64() * self.per_second;
        bucket.tokens = (bucket.tokens + refilled).min(self.burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / self.per_second;
            // Whole seconds, rounded up, as Retry-After requires; never 0, or clients would spin.
            Err((wait.ceil() as u64).max(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn burst_then_refill() {
        let limiter = RateLimiter::new(RateLimit { burst: 3, per_minute: 6 });
        let client = IpAddr::from([127, 0, 0, 1]);
        let other = IpAddr::from([127, 0, 0, 2]);
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.take(client, start), Ok(()));
        }
        assert_eq!(limiter.take(client, start), Err(10));
        assert_eq!(limiter.take(other, start), Ok(()), "buckets are per client");
        assert_eq!(limiter.take(client, start + Duration::from_secs(4)), Err(6));
        assert_eq!(limiter.take(client, start + Duration::from_secs(10)), Ok(()));
        // A long pause refills to the burst, not beyond.
        let later = start + Duration::from_secs(3600);
        for _ in 0..3 {
            assert_eq!(limiter.take(client, later), Ok(()));
        }
        assert!(limiter.take(client, later).is_err());
    }
}
