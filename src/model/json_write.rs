//! Writes the few flat JSON objects the widget sends or stores (a comment, a draft, the reader's
//! identity, a proof-of-work answer). serde_json's `json!` would build a `Value` tree for each and
//! bring its serializer, with float formatting, into the wasm for values that are only strings,
//! whole numbers and nulls.

use super::comment::hex;

/// A JSON object written member by member: `JsonObject::new().text("a", "b").finish()`.
pub struct JsonObject {
    out: String,
}

impl Default for JsonObject {
    fn default() -> Self {
        Self::new()
    }
}

impl JsonObject {
    pub fn new() -> Self {
        JsonObject { out: String::from("{") }
    }

    fn key(&mut self, key: &str) {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        write_string(&mut self.out, key);
        self.out.push(':');
    }

    pub fn text(mut self, key: &str, value: &str) -> Self {
        self.key(key);
        write_string(&mut self.out, value);
        self
    }

    /// The text, or `null`.
    pub fn optional_text(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(value) => self.text(key, value),
            None => self.null(key),
        }
    }

    pub fn number(mut self, key: &str, value: u64) -> Self {
        self.key(key);
        self.out.push_str(&value.to_string());
        self
    }

    /// The number, or `null`.
    pub fn optional_number(self, key: &str, value: Option<u64>) -> Self {
        match value {
            Some(value) => self.number(key, value),
            None => self.null(key),
        }
    }

    /// Another object as this member's value, or `null`.
    pub fn optional_object(mut self, key: &str, value: Option<JsonObject>) -> Self {
        match value {
            Some(value) => {
                self.key(key);
                self.out.push_str(&value.finish());
                self
            }
            None => self.null(key),
        }
    }

    /// A member whose value is already JSON (an array this writer made).
    pub fn raw(mut self, key: &str, json: &str) -> Self {
        self.key(key);
        self.out.push_str(json);
        self
    }

    /// `text` as a JSON string.
    pub fn quote(text: &str) -> String {
        let mut out = String::new();
        write_string(&mut out, text);
        out
    }

    pub fn null(mut self, key: &str) -> Self {
        self.key(key);
        self.out.push_str("null");
        self
    }

    pub fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

/// `text` as a JSON string: quotes, backslashes and control characters escaped (RFC 8259,
/// section 7); everything else, non-ASCII included, as it is.
fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Below 0x20, so the cast keeps the whole code.
            c if u32::from(c) < 0x20 => {
                out.push_str("\\u00");
                out.push_str(&hex(&[c as u8]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
#[allow(clippy::disallowed_macros)] // A native test: the size rules are the wasm's.
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn read(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn every_kind_of_member_reads_back_as_written() {
        let written = JsonObject::new()
            .text("text", "Bonjour")
            .optional_text("absent", None)
            .optional_text("present", Some("là"))
            .number("n", 18_446_744_073_709_551_615)
            .optional_number("none", None)
            .optional_object("inner", Some(JsonObject::new().text("id", "c-1")))
            .optional_object("nothing", None)
            .finish();
        assert_eq!(
            read(&written),
            json!({
                "text": "Bonjour",
                "absent": null,
                "present": "là",
                "n": 18_446_744_073_709_551_615u64,
                "none": null,
                "inner": { "id": "c-1" },
                "nothing": null,
            })
        );
        assert_eq!(JsonObject::new().finish(), "{}");
    }

    #[test]
    fn hostile_text_survives_the_round_trip() {
        let hostile = "\"quoted\" \\back\\slash\\\" </script><b>x</b>\n\r\t\u{0}\u{1f}\u{7f} \u{2028}\u{2029} é 🇸🇳 \\u0041";
        let written = JsonObject::new().text(hostile, hostile).finish();
        assert_eq!(read(&written), json!({ hostile: hostile }));
        assert!(!written.contains('\n') && !written.contains('\u{0}'), "control characters are escaped: {written}");
    }
}
