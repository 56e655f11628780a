//! Plain decimal numbers with at most three significant digits after the point ("2.5" seconds, a
//! "0.9" captcha score), kept as whole thousandths. Read and written by hand: `f64`'s parsing and `Display`
//! brought Rust's float machinery into the wasm for these two settings (33 KB, 19 KB brotli).

use std::fmt;

/// A non-negative decimal, in thousandths: `Milli(2500)` is 2.5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Milli(pub u32);

/// More whole digits than any setting needs, and few enough that the thousandths fit in a `u32`.
const MAX_WHOLE_DIGITS: usize = 6;

impl Milli {
    /// "2", "2.5", "0.125", "1.0000": digits, or digits, a point and digits. No sign, exponent,
    /// spaces, "inf" or "NaN", and nothing finer than a thousandth: "0.4996" is refused rather than
    /// rounded, so that a rounded value never crosses a bound the exact one would not.
    pub fn parse(text: &str) -> Option<Milli> {
        let (whole, fraction) = match text.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (text, None),
        };
        let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !fraction.is_none_or(digits) {
            return None;
        }
        let fraction = fraction.unwrap_or_default();
        let whole = whole.trim_start_matches('0');
        if whole.len() > MAX_WHOLE_DIGITS || fraction.bytes().skip(3).any(|b| b != b'0') {
            return None;
        }
        let digit = |index: usize| fraction.as_bytes().get(index).map_or(0, |b| u32::from(b - b'0'));
        let whole: u32 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
        Some(Milli(whole * 1000 + digit(0) * 100 + digit(1) * 10 + digit(2)))
    }

    /// The number as a reader writes it in a language with `separator` as its decimal mark:
    /// `Milli(2500)` is "2.5" or "2,5", `Milli(3000)` is "3".
    pub fn to_text(self, separator: char) -> String {
        let whole = self.0 / 1000;
        let fraction = self.0 % 1000;
        if fraction == 0 {
            return whole.to_string();
        }
        let digits = format!("{fraction:03}");
        format!("{whole}{separator}{}", digits.trim_end_matches('0'))
    }
}

/// With a point, as in JSON and in the stub captcha's token.
impl fmt::Display for Milli {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text('.'))
    }
}

#[cfg(test)]
mod tests {
    use super::Milli;

    #[test]
    fn reads_plain_decimals() {
        let cases = [("2", 2000), ("2.5", 2500), ("0.125", 125), ("1.0", 1000), ("1.0000", 1000), ("007.25", 7250), ("120", 120_000)];
        for (text, thousandths) in cases {
            assert_eq!(Milli::parse(text), Some(Milli(thousandths)), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_plain_decimal() {
        for text in ["", ".", ".5", "5.", "-1", "+1", "1e3", "inf", "NaN", " 1", "1 ", "1.2.3", "1,5", "1234567", "0x10", "0.4996", "0.0004", "1.0001"] {
            assert_eq!(Milli::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn writes_with_the_language_separator() {
        assert_eq!(Milli(2500).to_text(','), "2,5");
        assert_eq!(Milli(2500).to_text('.'), "2.5");
        assert_eq!(Milli(10_050).to_text(','), "10,05");
        assert_eq!(Milli(125).to_string(), "0.125");
        assert_eq!(Milli(3000).to_string(), "3");
        assert_eq!(Milli(0).to_string(), "0");
    }
}
