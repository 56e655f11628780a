//! Votes, sorting, and the reader's own comments (src/model/reader_actions.rs), and what the
//! server's answers to them mean.
// Tests run natively, where the wasm's size rules (clippy.toml) do not apply.
#![allow(clippy::disallowed_macros, clippy::disallowed_methods, clippy::disallowed_types)]

use kiosque::model::comments::{parse_comments_page, submit_outcome, SubmitOutcome};
use kiosque::model::reader_actions::{
    action_outcome, comment_url, is_voter_id, next_vote, vote_body, ActionOutcome, CastVotes, OwnComment, OwnComments, ReaderActions, Sort,
};
use serde_json::Value;

#[test]
fn a_stored_order_is_read_back_and_anything_else_is_oldest_first() {
    for sort in Sort::ALL {
        assert_eq!(Sort::parse(sort.as_str()), sort);
    }
    assert_eq!(Sort::parse("best"), Sort::Oldest);
}

#[test]
fn the_same_button_twice_takes_the_vote_back() {
    assert_eq!(next_vote(0, 1), 1);
    assert_eq!(next_vote(1, 1), 0, "up again: withdrawn");
    assert_eq!(next_vote(1, -1), -1, "down after up: switched");
    assert_eq!(next_vote(-1, -1), 0);
    let body: Value = serde_json::from_str(&vote_body("voter-0123456789abcdef", -1)).expect("JSON");
    assert_eq!(body, serde_json::json!({ "voter": "voter-0123456789abcdef", "value": -1 }));
}

#[test]
fn a_comments_own_address_is_beside_the_articles_comments() {
    assert_eq!(comment_url("/api/articles/42/comments?sort=votes", "17").as_deref(), Some("/api/comments/17"));
    assert_eq!(comment_url("https://news.example/api/articles/a/comments", "9").as_deref(), Some("https://news.example/api/comments/9"));
    assert_eq!(comment_url("/api/articles/42/comments", "../admin").as_deref(), Some("/api/comments/admin"), "only letters and digits");
    assert_eq!(comment_url("/elsewhere/comments.json", "1"), None);
}

#[test]
fn what_the_server_allows_comes_with_the_list_and_nothing_is_allowed_by_default() {
    let page = parse_comments_page(r#"{"items":[{"id":"1","author":{"name":"A"},"text":"t","created":"2026-11-29T10:00:00Z","score":-3,"edited":"2026-11-29T10:05:00Z"}],"total":1,"next":null,"reader_actions":{"vote":true,"edit_seconds":900,"notify":false}}"#).expect("a page");
    assert_eq!(page.actions, ReaderActions { vote: true, edit_seconds: 900, notify: false });
    assert_eq!((page.items[0].score, page.items[0].edited), (-3, true));
    let plain = parse_comments_page(r#"{"items":[{"id":"1","author":{"name":"A"},"text":"t","created":"2026-11-29T10:00:00Z"}]}"#).expect("a page");
    assert_eq!(plain.actions, ReaderActions::default());
    assert_eq!((plain.items[0].score, plain.items[0].edited), (0, false));
}

#[test]
fn a_stored_comment_brings_its_edit_token_and_the_confirmation_notice() {
    let body = r#"{"comment":{"id":"5","author":{"name":"A"},"text":"t","created":"2026-11-29T10:00:00Z","status":"approved","score":0},"edit_token":"s3cr3t","editable_until":"2026-11-29T10:15:00Z","notification":"confirmation_sent"}"#;
    let SubmitOutcome::Created(created) = submit_outcome(201, body, None) else { panic!("created") };
    let own = created.own.expect("an edit token");
    assert_eq!((own.id.as_str(), own.token.as_str()), ("5", "s3cr3t"));
    assert_eq!(own.until_ms, 1_795_947_300_000, "2026-11-29T10:15:00Z");
    assert!(created.confirmation_sent);
}

#[test]
fn own_comments_are_kept_only_while_they_can_be_changed() {
    let mut own = OwnComments::default();
    own.add(OwnComment { id: "1".into(), token: "a".into(), until_ms: 1_000 });
    own.add(OwnComment { id: "2".into(), token: "b".into(), until_ms: 5_000 });
    assert_eq!(own.editable("1", 999).map(|o| o.token.as_str()), Some("a"));
    assert_eq!(own.editable("1", 1_000), None, "the window is over at its end");
    let stored = own.to_json();
    let later = OwnComments::from_json(&stored, 2_000);
    assert!(later.contains("1") && later.contains("2"), "the device still knows which comments are its own");
    assert_eq!(later.editable("1", 0), None, "but a token whose time is over is dropped when read");
    assert!(!later.to_json().contains("\"a\""));
    let month_later = OwnComments::from_json(&stored, 5_000 + 31 * 24 * 3600 * 1000);
    assert!(!month_later.contains("2"), "a month after, forgotten");
    assert_eq!(OwnComments::from_json("{broken", 0), OwnComments::default());
    own.remove("2");
    assert!(!own.contains("2"));
}

#[test]
fn the_device_remembers_its_votes_up_to_a_limit() {
    let mut votes = CastVotes::default();
    votes.set("7", 1);
    votes.set("8", -1);
    assert_eq!(CastVotes::from_json(&votes.to_json()), votes);
    votes.set("7", 0);
    assert_eq!(votes.get("7"), 0);
    for i in 0..600 {
        votes.set(&i.to_string(), 1);
    }
    let kept = CastVotes::from_json(&votes.to_json());
    assert_eq!((kept.get("0"), kept.get("99"), kept.get("100"), kept.get("599")), (0, 0, 1, 1), "the oldest are forgotten first, also after a reload");
    assert_eq!(CastVotes::from_json(r#"[["1", 5], ["2", "x"], ["3", -1], "4"]"#).get("3"), -1);
    assert_eq!(CastVotes::from_json(r#"{"1": 1}"#), CastVotes::default(), "an unreadable record is no vote");
}

#[test]
fn every_answer_to_a_vote_an_edit_or_a_deletion_is_understood() {
    assert_eq!(action_outcome(200, r#"{"score":4,"vote":1}"#, None), ActionOutcome::Voted { score: 4, vote: 1 });
    assert_eq!(action_outcome(204, "", None), ActionOutcome::Deleted);
    let edited = r#"{"comment":{"id":"5","author":{"name":"A"},"text":"new","created":"2026-11-29T10:00:00Z","edited":"2026-11-29T10:03:00Z"}}"#;
    assert!(matches!(action_outcome(200, edited, None), ActionOutcome::Edited(c) if c.edited && c.text == "new"));
    assert_eq!(action_outcome(403, r#"{"error":"own_comment"}"#, None), ActionOutcome::OwnComment);
    assert_eq!(action_outcome(403, r#"{"error":"edit_window_closed"}"#, None), ActionOutcome::WindowClosed);
    assert_eq!(action_outcome(403, r#"{"error":"forbidden"}"#, None), ActionOutcome::Forbidden);
    assert_eq!(action_outcome(404, "{}", None), ActionOutcome::Gone);
    assert_eq!(action_outcome(422, r#"{"error":"validation","fields":{"text":"too_long"}}"#, None), ActionOutcome::Invalid("too_long".into()));
    assert_eq!(action_outcome(429, "", Some("12")), ActionOutcome::RateLimited { retry_after_s: 12 });
    assert_eq!(action_outcome(502, "<html>", None), ActionOutcome::Failed { status: 502 });
    assert_eq!(action_outcome(200, r#"{"score":4,"vote":7}"#, None), ActionOutcome::Failed { status: 200 });
}

#[test]
fn a_voter_id_is_what_the_server_accepts() {
    assert!(is_voter_id("6f1c2b0e-5d7a-4c36-9a51-0c7d2f3e8b14"));
    assert!(!is_voter_id("short"));
    assert!(!is_voter_id("has spaces in it, which are refused"));
}
