//! Splits JSON text into the raw text of its parts without building values, so that a large list
//! (a page of comments, an article's body) can be read an item at a time: a page of 5 000
//! comments is 1.7 MB of JSON but 8.8 MB as one `serde_json::Value` tree, and the wasm's memory
//! keeps its peak for good. (serde_json's `RawValue` does the same, for 4 KB of brotli more in
//! the wasm.)
//!
//! They do not check the text: the caller reads every part with serde_json, which does (a broken
//! separator or bracket leaves a part that does not read). On broken text they return `None` or
//! parts that do not read, never panic.

/// The members of a JSON object, as (key with its quotes, value); `None` if it is not an object.
pub fn object_members(json: &str) -> Option<Vec<(&str, &str)>> {
    split_top_level(json, b'{', b'}')?
        .into_iter()
        .map(|member| {
            let (key, rest) = member.split_at(string_end(member.as_bytes())?);
            Some((key, rest.trim_start().strip_prefix(':')?.trim_start()))
        })
        .collect()
}

/// The elements of a JSON array; `None` if it is not an array.
pub fn array_elements(json: &str) -> Option<Vec<&str>> {
    split_top_level(json, b'[', b']')
}

/// Where the string that `bytes` starts with ends (just after its closing quote).
fn string_end(bytes: &[u8]) -> Option<usize> {
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut escaped = false;
    for (i, &byte) in bytes.iter().enumerate().skip(1) {
        match byte {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'"' => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The comma-separated parts between `open` and `close`, commas inside strings and nested values
/// left alone.
fn split_top_level(json: &str, open: u8, close: u8) -> Option<Vec<&str>> {
    let text = json.trim();
    let inner = text.strip_prefix(char::from(open))?.strip_suffix(char::from(close))?;
    let bytes = inner.as_bytes();
    let mut parts = Vec::new();
    let (mut depth, mut start, mut i) = (0u32, 0, 0);
    // Every byte compared is ASCII, so every split falls on a character boundary.
    while i < bytes.len() {
        match bytes[i] {
            // A string is skipped whole (an unterminated one runs to the end).
            b'"' => {
                i += string_end(&bytes[i..]).unwrap_or(bytes.len() - i);
                continue;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => {
                parts.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let last = inner[start..].trim();
    if !last.is_empty() || !parts.is_empty() {
        parts.push(last);
    }
    Some(parts)
}
