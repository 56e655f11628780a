//! Content management systems sometimes emit the same run of paragraphs twice in a row (a
//! template that includes the body twice, a paste that went wrong). Such a run is shown once.

use super::article::{Block, Inline};
use super::parse::Notice;

/// What makes two paragraphs "the same" to a reader: their text with whitespace collapsed, with
/// the marks and links of each run of text.
fn paragraph_key(text: &Inline) -> String {
    let mut key = String::new();
    let mut previous_style: Option<(bool, bool, bool, Option<&str>)> = None;
    for span in &text.0 {
        let style = (span.strong, span.em, span.code, span.href.as_ref().map(|h| h.url.as_str()));
        if previous_style != Some(style) {
            key.push_str(&format!(" \u{1}{}{}{}{}\u{2} ", span.strong as u8, span.em as u8, span.code as u8, style.3.unwrap_or("")));
            previous_style = Some(style);
        }
        key.push_str(&span.text);
    }
    key.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Drops every immediate repetition of a run of two or more consecutive paragraphs, keeping the
/// first copy. A single repeated paragraph is kept: short ones ("Lire aussi", "…") legitimately
/// recur. Longer runs win over shorter ones found at the same place.
pub fn collapse_repeated_runs(blocks: Vec<Block>, notices: &mut Vec<Notice>) -> Vec<Block> {
    let keys: Vec<Option<String>> = blocks
        .iter()
        .map(|block| match block {
            Block::Paragraph(text) => Some(paragraph_key(text)),
            _ => None,
        })
        .collect();
    // paragraphs_from[i]: how many consecutive paragraphs start at i.
    let mut paragraphs_from = vec![0usize; keys.len() + 1];
    for i in (0..keys.len()).rev() {
        paragraphs_from[i] = if keys[i].is_some() { paragraphs_from[i + 1] + 1 } else { 0 };
    }
    let same_run = |a: usize, b: usize, len: usize| (0..len).all(|k| keys[a + k] == keys[b + k]);

    let mut keep = vec![true; blocks.len()];
    let mut i = 0;
    while i < keys.len() {
        let longest_possible = paragraphs_from[i] / 2;
        let found = (2..=longest_possible)
            .rev()
            .find(|&len| keys[i] == keys[i + len] && same_run(i, i + len, len));
        match found {
            Some(len) => {
                let mut copies = 0;
                let mut next = i + len;
                while paragraphs_from[next] >= len && same_run(i, next, len) {
                    keep[next..next + len].iter_mut().for_each(|k| *k = false);
                    copies += 1;
                    next += len;
                }
                notices.push(Notice::RepeatedRun { at: i, paragraphs: len, extra_copies: copies });
                i = next;
            }
            None => i += 1,
        }
    }
    blocks.into_iter().zip(keep).filter_map(|(block, kept)| kept.then_some(block)).collect()
}
