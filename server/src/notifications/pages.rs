//! The small pages the mails' links open: self-contained HTML, no script, every text escaped,
//! readable on a 320 px screen. A GET only shows a button; the button's POST changes the
//! subscription (mail scanners open links, they do not press buttons).

use html_escape::{encode_double_quoted_attribute, encode_text};

use super::strings::{fill, strings, Lang};

/// What a page says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page<'a> {
    /// A button that posts the token to confirm.
    Confirm { token: &'a str },
    Confirmed,
    /// A button that unsubscribes (RFC 8058's body, as a mail client's one click sends it).
    Unsubscribe { token: &'a str },
    Unsubscribed,
    /// Unknown, or already used.
    Invalid,
}

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STYLE: &str = "body{font:1.05rem/1.5 system-ui,sans-serif;max-width:36rem;margin:0 auto;padding:1.5rem 1rem;color:#1a1a1a;background:#fff}\
h1{font-size:1.4rem;line-height:1.25}\
button{font:inherit;padding:.7rem 1.1rem;min-height:2.75rem;border:0;border-radius:.3rem;background:#1d4ed8;color:#fff;cursor:pointer;max-width:100%}\
button:focus-visible{outline:3px solid #111;outline-offset:2px}";

/// The whole document, in `lang`; `article_title` is the subscribed comment's article.
pub fn render(lang: Lang, page: Page<'_>, article_title: &str) -> String {
    let strings = strings(lang);
    let title = super::mail::one_line(article_title);
    let title = if title.is_empty() { strings.untitled.to_string() } else { title };
    let quoted = fill(strings.quoted_title, &[("title", &title)]);
    let text = |template: &str| encode_text(&fill(template, &[("title", &quoted)])).into_owned();
    let (heading, paragraph, form) = match page {
        Page::Confirm { token } => (
            strings.page_confirm_title,
            text(strings.page_confirm_text),
            Some(format!(
                "<form method=\"post\" action=\"confirm\"><input type=\"hidden\" name=\"token\" value=\"{}\"><button type=\"submit\">{}</button></form>",
                encode_double_quoted_attribute(token),
                encode_text(strings.page_confirm_button),
            )),
        ),
        Page::Confirmed => (strings.page_confirmed_title, text(strings.page_confirmed_text), None),
        Page::Unsubscribe { token } => (
            strings.page_unsubscribe_title,
            text(strings.page_unsubscribe_text),
            Some(format!(
                "<form method=\"post\" action=\"unsubscribe?token={}\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\"><button type=\"submit\">{}</button></form>",
                encode_double_quoted_attribute(token),
                encode_text(strings.page_unsubscribe_button),
            )),
        ),
        Page::Unsubscribed => (strings.page_unsubscribed_title, text(strings.page_unsubscribed_text), None),
        Page::Invalid => (strings.page_invalid_title, encode_text(strings.page_invalid_text).into_owned(), None),
    };
    format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<meta name=\"robots\" content=\"noindex\"><title>{heading}</title><style>{STYLE}</style></head>\
<body><main><h1>{heading}</h1><p>{paragraph}</p>{form}</main></body></html>\n",
        lang = lang.code(),
        heading = encode_text(heading),
        form = form.unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_text_never_markup() {
        let html = render(Lang::En, Page::Confirmed, "<script>alert(1)</script> & co");
        assert!(html.contains("“&lt;script&gt;alert(1)&lt;/script&gt; &amp; co”"), "{html}");
        assert!(!html.contains("<script"));
    }

    #[test]
    fn buttons_post_the_token() {
        let confirm = render(Lang::Fr, Page::Confirm { token: "abc\"><x" }, "T");
        assert!(confirm.contains("<form method=\"post\" action=\"confirm\">"), "{confirm}");
        assert!(confirm.contains("name=\"token\" value=\"abc&quot;&gt;&lt;x\""), "{confirm}");
        assert!(confirm.contains("<html lang=\"fr\">") && confirm.contains("Oui, m’avertir des réponses"));
        let unsubscribe = render(Lang::En, Page::Unsubscribe { token: "abc" }, "T");
        assert!(unsubscribe.contains("action=\"unsubscribe?token=abc\""), "{unsubscribe}");
        assert!(unsubscribe.contains("name=\"List-Unsubscribe\" value=\"One-Click\""));
        for page in [Page::Confirmed, Page::Unsubscribed, Page::Invalid] {
            assert!(!render(Lang::En, page, "T").contains("<form"), "{page:?}");
        }
    }
}
