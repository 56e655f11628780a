//! Comments made for thread tests, and a thread tree written as text (`1(2(3 4))`).

use kiosque::model::comments::{Comment, Thread};
use kiosque::model::Timestamp;

pub fn comment(id: &str, parent: Option<&str>) -> Comment {
    Comment {
        id: id.into(),
        parent: parent.map(Into::into),
        author_name: format!("Auteur {id}"),
        author_url: None,
        text: format!("Texte {id}"),
        created: Timestamp::parse("2026-11-22T08:30:00Z").expect("date"),
        pending: false,
        deleted: false,
        score: 0,
        edited: false,
    }
}

pub fn shape(threads: &[Thread]) -> String {
    threads
        .iter()
        .map(|t| if t.replies.is_empty() { t.comment.id.clone() } else { format!("{}({})", t.comment.id, shape(&t.replies)) })
        .collect::<Vec<_>>()
        .join(" ")
}
