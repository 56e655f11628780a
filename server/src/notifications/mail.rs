//! The mails' words and links, as plain text (never HTML: a reader's name and reply are text), and
//! the values of their RFC 8058 headers. Pure: the worker turns these into lettre messages.

use super::strings::{fill, strings, Lang};

pub const CONFIRM_PATH: &str = "/api/notifications/confirm";
pub const UNSUBSCRIBE_PATH: &str = "/api/notifications/unsubscribe";
/// RFC 8058's one value: the unsubscribe URL takes a POST with this body, no page to read.
pub const LIST_UNSUBSCRIBE_POST: &str = "List-Unsubscribe=One-Click";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailText {
    pub subject: String,
    pub body: String,
}

/// The address of one of the server's link pages: `PUBLIC/api/notifications/…?token=T` (tokens
/// are base64url, nothing to encode).
pub fn token_link(public_url: &str, path: &str, token: &str) -> String {
    format!("{}{path}?token={token}", public_url.trim_end_matches('/'))
}

/// Where a reply is read: the article's own page (its `url`, when absolute http(s)) at the
/// comment's anchor, else the server's public address.
pub fn reply_link(article_url: Option<&str>, public_url: &str, reply_id: i64) -> String {
    let absolute = article_url.filter(|url| {
        let lower = url.to_ascii_lowercase();
        lower.starts_with("https://") || lower.starts_with("http://")
    });
    match absolute {
        Some(url) => {
            let page = url.split('#').next().unwrap_or(url);
            format!("{page}#kq-comment-{reply_id}")
        }
        None => public_url.to_string(),
    }
}

/// `List-Unsubscribe`'s value: the one-click address in angle brackets.
pub fn list_unsubscribe(unsubscribe_link: &str) -> String {
    format!("<{unsubscribe_link}>")
}

/// On one line, without control characters: what goes into a subject or before a colon.
pub fn one_line(text: &str) -> String {
    let words: Vec<&str> = text.split(|c: char| c.is_whitespace() || c.is_control()).filter(|word| !word.is_empty()).collect();
    words.join(" ")
}

fn quoted_title(lang: Lang, title: &str) -> String {
    let strings = strings(lang);
    let title = one_line(title);
    let title = if title.is_empty() { strings.untitled.to_string() } else { title };
    fill(strings.quoted_title, &[("title", &title)])
}

/// The first mail: asks the address's owner to confirm; nothing else is sent until then.
pub fn confirmation(lang: Lang, article_title: &str, confirm_link: &str) -> MailText {
    let strings = strings(lang);
    let title = quoted_title(lang, article_title);
    MailText {
        subject: strings.confirm_subject.to_string(),
        body: format!(
            "{}\n\n{}\n{confirm_link}\n\n{}\n",
            fill(strings.confirm_intro, &[("title", &title)]),
            strings.confirm_link,
            strings.confirm_ignore,
        ),
    }
}

/// A reply: who wrote it, its text as they wrote it (each line quoted), where to read it, and how
/// to stop.
pub fn reply(lang: Lang, replier_name: &str, article_title: &str, reply_text: &str, reply_link: &str, unsubscribe_link: &str) -> MailText {
    let strings = strings(lang);
    let title = quoted_title(lang, article_title);
    let name = one_line(replier_name);
    let quoted: Vec<String> =
        reply_text.trim().lines().map(|line| if line.trim().is_empty() { ">".to_string() } else { format!("> {}", line.trim_end()) }).collect();
    MailText {
        subject: fill(strings.reply_subject, &[("title", &title)]),
        body: format!(
            "{}\n\n{}\n\n{}\n{reply_link}\n\n-- \n{}\n{unsubscribe_link}\n",
            fill(strings.reply_intro, &[("name", &name), ("title", &title)]),
            quoted.join("\n"),
            strings.reply_link,
            strings.unsubscribe_link,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links() {
        assert_eq!(token_link("https://news.example/", CONFIRM_PATH, "abc"), "https://news.example/api/notifications/confirm?token=abc");
        assert_eq!(reply_link(Some("https://journal.example/a#top"), "https://k.example", 12), "https://journal.example/a#kq-comment-12");
        assert_eq!(reply_link(Some("/relative/a"), "https://k.example", 12), "https://k.example");
        assert_eq!(reply_link(None, "https://k.example", 12), "https://k.example");
        assert_eq!(list_unsubscribe("https://k.example/u?token=t"), "<https://k.example/u?token=t>");
    }

    #[test]
    fn a_confirmation_in_french_and_english() {
        let french = confirmation(Lang::Fr, "La grève", "https://k.example/c?token=t");
        assert!(french.body.contains("«\u{a0}La grève\u{a0}»"), "{}", french.body);
        assert!(french.body.contains("\nhttps://k.example/c?token=t\n"));
        assert!(french.body.contains("Si ce n’était pas vous, ignorez ce message"));
        let english = confirmation(Lang::En, "", "https://k.example/c?token=t");
        assert!(english.body.contains("your comment on “an article”"), "{}", english.body);
        assert!(english.body.contains("If it wasn’t you, ignore this message"));
    }

    #[test]
    fn a_reply_is_text_quoted_with_its_links() {
        let mail = reply(
            Lang::En,
            "Moussa\r\nBcc: x@y",
            "Strike\nover",
            "<b>Yes</b> & no\n\nsecond line  ",
            "https://j.example/a#kq-comment-7",
            "https://k.example/u?token=t",
        );
        assert_eq!(mail.subject, "New reply to your comment on “Strike over”");
        assert!(mail.body.starts_with("Moussa Bcc: x@y replied to your comment on “Strike over”:\n\n"), "{}", mail.body);
        assert!(mail.body.contains("\n> <b>Yes</b> & no\n>\n> second line\n"), "as written, not as HTML: {}", mail.body);
        assert!(mail.body.contains("Read the reply:\nhttps://j.example/a#kq-comment-7\n"));
        assert!(mail.body.ends_with("Stop these emails for this comment:\nhttps://k.example/u?token=t\n"));
        let french = reply(Lang::Fr, "Awa", "T", "Oui", "l", "u");
        assert!(french.body.starts_with("Awa a répondu à votre commentaire sur «\u{a0}T\u{a0}»\u{a0}:"), "{}", french.body);
    }
}
