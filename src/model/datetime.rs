//! RFC 3339 timestamps, checked without a date library (they only need to be valid and ordered;
//! the browser's `Intl` formats them).

/// A valid RFC 3339 date-time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timestamp {
    /// Normalized to the form every browser's `Date` and `<time datetime>` accept (`T`, `Z`).
    pub rfc3339: String,
    /// Milliseconds since the Unix epoch.
    pub unix_ms: i64,
}

fn number(text: &str, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|n| range.contains(n))
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian calendar).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Timestamp {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; RFC 3339 also allows a lower-case `t`/`z`
    /// and a space between date and time.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let text = text.trim();
        let bytes = text.as_bytes();
        if bytes.len() < 20 || !text.is_ascii() {
            return None;
        }
        let (date, rest) = text.split_at(10);
        let separator = rest.as_bytes()[0];
        if !matches!(separator, b'T' | b't' | b' ') || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year = number(&date[0..4], 0..=9999)?;
        let month = number(&date[5..7], 1..=12)?;
        let day = number(&date[8..10], 1..=days_in_month(year, month))?;

        let time = &rest[1..];
        if time.len() < 9 || time.as_bytes()[2] != b':' || time.as_bytes()[5] != b':' {
            return None;
        }
        let hour = number(&time[0..2], 0..=23)?;
        let minute = number(&time[3..5], 0..=59)?;
        let second = number(&time[6..8], 0..=60)?;
        let mut tail = &time[8..];
        let mut millis = 0;
        if let Some(fraction) = tail.strip_prefix('.') {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            let padded = format!("{:0<3}", &fraction[..digits.min(3)]);
            millis = number(&padded, 0..=999)?;
            tail = &fraction[digits..];
        }
        let offset_minutes = match tail {
            "Z" | "z" => 0,
            _ if tail.len() == 6 && tail.as_bytes()[3] == b':' => {
                let sign = match tail.as_bytes()[0] {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                sign * (number(&tail[1..3], 0..=23)? * 60 + number(&tail[4..6], 0..=59)?)
            }
            _ => return None,
        };
        let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second.min(59)
            - offset_minutes * 60;
        let mut normalized = format!("{date}T{}", &time[..time.len() - tail.len()]);
        normalized.push_str(if offset_minutes == 0 && tail.eq_ignore_ascii_case("z") { "Z" } else { tail });
        Some(Timestamp { rfc3339: normalized, unix_ms: seconds * 1000 + millis })
    }
}
