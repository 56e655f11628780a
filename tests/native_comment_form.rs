//! The comment form's state (src/model/comment_form.rs): validation as the reader goes, the
//! deferred blur, what a try sends, and what each answer of the server changes.
// Tests run natively, where the wasm's size rules (clippy.toml) do not apply.
#![allow(clippy::disallowed_macros, clippy::disallowed_methods, clippy::disallowed_types)]

use kiosque::model::comment::EmailPolicy;
use kiosque::model::comment_form::{AfterAnswer, FormNotice, FormState, Input, SendExtras};
use kiosque::model::comments::{submit_outcome, Draft, SubmitOutcome};
use kiosque::model::reader_actions::{action_outcome, OwnComment};
use serde_json::Value;

const REQUIRED: EmailPolicy = EmailPolicy::Required;

fn filled() -> FormState {
    let (mut state, _) = FormState::restore(None, None, || "key-1".into());
    state.type_into(Input::Text, "Merci pour cet article.".into());
    state.type_into(Input::Name, "Awa".into());
    state.type_into(Input::Email, "awa@example.org".into());
    state
}

fn stored(id: &str) -> SubmitOutcome {
    let body = format!(r#"{{"comment":{{"id":"{id}","parent":null,"author":{{"name":"Awa"}},"text":"Merci","created":"2026-11-29T10:00:00Z","status":"approved"}}}}"#);
    submit_outcome(201, &body, None)
}

#[test]
fn a_stored_draft_comes_back_with_its_key_else_the_remembered_identity() {
    let draft = Draft { text: "À moitié écrit".into(), idempotency_key: "k-draft".into(), ..Draft::default() };
    let (state, restored) = FormState::restore(Some(&draft.to_json()), None, || unreachable!("the draft has its key"));
    assert!(restored);
    assert_eq!(state.value(Input::Text), "À moitié écrit");
    assert_eq!(state.draft.idempotency_key, "k-draft");

    let identity = r#"{"name":"Awa","email":"awa@example.org","website":""}"#;
    let (state, restored) = FormState::restore(Some("not json"), Some(identity), || "fresh".into());
    assert!(!restored);
    assert!(state.remember, "an identity on the device means the reader asked to be remembered");
    assert_eq!((state.value(Input::Name), state.draft.idempotency_key.as_str()), ("Awa", "fresh"));
}

#[test]
fn leaving_a_field_shows_only_the_errors_of_fields_the_reader_went_through() {
    let (mut state, _) = FormState::restore(None, None, || "k".into());
    assert!(state.leave(Input::Text, REQUIRED, false));
    assert_eq!(state.errors.iter().collect::<Vec<_>>(), vec![(Input::Text, "required")], "not the name, nor the captcha");
    assert!(!state.leave(Input::Text, REQUIRED, false), "the same errors again change nothing");
    state.type_into(Input::Text, "   ".into());
    assert!(!state.leave(Input::Text, REQUIRED, false), "spaces only are still empty");
    state.type_into(Input::Text, "Bonjour".into());
    assert!(state.leave(Input::Text, REQUIRED, false));
    assert!(state.errors.is_empty());
}

#[test]
fn a_blur_during_a_press_waits_for_the_release() {
    let (mut state, _) = FormState::restore(None, None, || "k".into());
    state.press();
    assert!(!state.leave(Input::Text, REQUIRED, false), "nothing moves between press and release");
    assert!(state.errors.is_empty());
    assert!(state.release(REQUIRED, false));
    assert_eq!(state.errors.get(Input::Text), Some("required"));
    assert!(!state.release(REQUIRED, false), "a second release has nothing waiting");
}

#[test]
fn a_try_with_errors_shows_them_all_and_names_the_first_for_focus() {
    let (mut state, _) = FormState::restore(None, None, || "k".into());
    state.type_into(Input::Website, "pas une adresse".into());
    assert_eq!(state.try_send(REQUIRED, false), Err(Input::Text));
    assert!(state.summary && !state.sending);
    let codes: Vec<_> = state.errors.iter().collect();
    assert_eq!(
        codes,
        vec![(Input::Text, "required"), (Input::Name, "required"), (Input::Email, "required"), (Input::Website, "invalid_url"), (Input::Captcha, "required")]
    );
    // After a try, every field counts as visited: leaving one keeps its message.
    state.type_into(Input::Text, "Bonjour".into());
    state.leave(Input::Text, REQUIRED, true);
    assert_eq!(state.errors.first(), Some(Input::Name));
}

#[test]
fn a_valid_try_sends_the_draft_with_its_key() {
    let mut state = filled();
    state.draft.reply_to = Some(("12".into(), "Moussa".into()));
    assert_eq!(state.try_send(REQUIRED, true), Ok(()));
    assert!(state.sending && state.notice.is_none());
    let extras = SendExtras { captcha: Some(("pow", "t".into())), honeypot: "", elapsed_ms: 3200, voter: Some("voter-0123456789abcdef"), lang: "fr" };
    let body: Value = serde_json::from_str(&state.request_body(extras)).expect("JSON");
    assert_eq!(body["parent"], "12");
    assert_eq!(body["text"], "Merci pour cet article.");
    assert_eq!(body["idempotency_key"], "key-1");
    assert_eq!(body["captcha"]["kind"], "pow");
    assert_eq!(body["elapsed_ms"], 3200);
    assert_eq!(body["voter"], "voter-0123456789abcdef");
    assert_eq!(body["notify"], false);
}

fn extras() -> SendExtras<'static> {
    SendExtras { captcha: None, honeypot: "", elapsed_ms: 4000, voter: None, lang: "en" }
}

#[test]
fn asking_for_reply_emails_needs_an_address_and_sends_the_language() {
    let mut state = filled();
    state.notify = true;
    state.type_into(Input::Email, " ".into());
    assert_eq!(state.try_send(EmailPolicy::Optional, true), Err(Input::Email), "optional for the site, needed for the emails");
    state.type_into(Input::Email, "awa@example.org".into());
    assert_eq!(state.try_send(EmailPolicy::Optional, true), Ok(()));
    let body: Value = serde_json::from_str(&state.request_body(extras())).expect("JSON");
    assert_eq!((body["notify"].clone(), body["lang"].clone()), (Value::Bool(true), Value::from("en")));
}

#[test]
fn editing_ones_comment_sends_only_the_text_and_gives_the_new_draft_back() {
    let mut state = filled();
    state.draft.reply_to = Some(("3".into(), "Moussa".into()));
    let own = OwnComment { id: "41".into(), token: "tok".into(), until_ms: 10 };
    state.start_edit(own, "Ancien texte");
    assert_eq!(state.value(Input::Text), "Ancien texte");
    assert_eq!(state.draft.reply_to, None);
    let stored = Draft::from_json(&state.draft_to_store().expect("the new comment's draft")).expect("draft");
    assert_eq!(stored.text, "Merci pour cet article.", "the draft in storage stays the new comment's");
    // "Répondre" pressed during the edit: the new comment will answer that one.
    state.set_reply_to(Some(("9".into(), "Inès".into())));
    assert_eq!(state.draft.reply_to, None, "not the edit's");

    state.type_into(Input::Name, String::new());
    state.type_into(Input::Text, "  Nouveau texte ".into());
    assert_eq!(state.try_send(REQUIRED, false), Ok(()), "no name, email nor captcha for an edit");
    let body: Value = serde_json::from_str(&state.request_body(extras())).expect("JSON");
    assert_eq!(body, serde_json::json!({ "edit_token": "tok", "text": "Nouveau texte" }));

    let late = state.apply_edit(action_outcome(403, r#"{"error":"edit_window_closed"}"#, None));
    assert_eq!(late, AfterAnswer::Nothing);
    assert_eq!(state.notice, Some(FormNotice::EditWindowClosed));
    assert_eq!(state.value(Input::Text), "  Nouveau texte ", "the edited text stays in the box");

    let saved = r#"{"comment":{"id":"41","author":{"name":"Awa"},"text":"Nouveau texte","created":"2026-11-29T10:00:00Z","edited":"2026-11-29T10:02:00Z"}}"#;
    let AfterAnswer::Edited(comment) = state.apply_edit(action_outcome(200, saved, None)) else { panic!("edited") };
    assert!(comment.edited);
    assert!(state.editing.is_none());
    assert_eq!(state.value(Input::Text), "Merci pour cet article.", "back to the new comment");
    assert_eq!(state.draft.reply_to, Some(("9".into(), "Inès".into())), "the target chosen during the edit");
    assert_eq!(state.draft.idempotency_key, "key-1");
}

#[test]
fn a_refused_edit_text_shows_on_the_text_box() {
    let mut state = filled();
    state.start_edit(OwnComment { id: "41".into(), token: "tok".into(), until_ms: 10 }, "x");
    let after = state.apply_edit(action_outcome(422, r#"{"error":"validation","fields":{"text":"too_long"}}"#, None));
    assert_eq!(after, AfterAnswer::FocusError(Input::Text));
    assert_eq!(state.errors.get(Input::Text), Some("too_long"));
    state.end_edit();
    assert!(state.errors.is_empty() && state.editing.is_none());
}

#[test]
fn the_draft_is_stored_while_there_is_text_or_a_reply_target() {
    let (mut state, _) = FormState::restore(None, None, || "k".into());
    assert_eq!(state.draft_to_store(), None);
    state.type_into(Input::Name, "Awa".into());
    assert_eq!(state.draft_to_store(), None, "the identity alone is for \"remember me\"");
    state.type_into(Input::Text, "Bonjour".into());
    let stored = state.draft_to_store().expect("stored");
    assert_eq!(Draft::from_json(&stored).map(|d| d.text), Some("Bonjour".into()));
}

#[test]
fn a_stored_comment_empties_the_text_keeps_the_remembered_identity_and_takes_a_new_key() {
    let mut state = filled();
    state.remember = true;
    state.try_send(REQUIRED, true).expect("valid");
    let after = state.apply(stored("41"), || "key-2".into());
    let AfterAnswer::Created { created, identity: Some(identity) } = after else { panic!("{after:?}") };
    assert_eq!(created.comment.id, "41");
    assert!(identity.contains("awa@example.org"));
    assert!(!state.sending);
    assert_eq!((state.value(Input::Text), state.value(Input::Name)), ("", "Awa"));
    assert_eq!(state.draft.idempotency_key, "key-2", "the next comment is another comment");

    let mut forgetful = filled();
    forgetful.try_send(REQUIRED, true).expect("valid");
    let after = forgetful.apply(stored("42"), || "key-3".into());
    assert!(matches!(after, AfterAnswer::Created { identity: None, .. }));
    assert_eq!(forgetful.value(Input::Name), "", "not remembered: the identity goes too");
}

#[test]
fn every_refusal_keeps_the_text_and_the_key() {
    let cases = [
        (submit_outcome(422, r#"{"error":"rejected"}"#, None), Some(FormNotice::Rejected), AfterAnswer::Nothing),
        (submit_outcome(422, r#"{"error":"duplicate"}"#, None), Some(FormNotice::Duplicate), AfterAnswer::Nothing),
        (submit_outcome(403, r#"{"error":"captcha"}"#, None), Some(FormNotice::Captcha), AfterAnswer::ResetCaptcha),
        (submit_outcome(409, r#"{"error":"closed"}"#, None), Some(FormNotice::Closed), AfterAnswer::Closed),
        (submit_outcome(429, "{}", Some("7")), Some(FormNotice::RateLimited { retry_after_s: 7 }), AfterAnswer::Nothing),
        (submit_outcome(500, "<html>", None), Some(FormNotice::ServerFailed { status: 500 }), AfterAnswer::Nothing),
        (
            submit_outcome(422, r#"{"error":"validation","fields":{"author_email":"invalid_email","parent":"not_found"}}"#, None),
            None,
            AfterAnswer::FocusError(Input::Parent),
        ),
        (submit_outcome(422, r#"{"error":"validation","fields":{"mystery":"bad"}}"#, None), Some(FormNotice::Rejected), AfterAnswer::Nothing),
    ];
    for (outcome, notice, expected) in cases {
        let mut state = filled();
        state.try_send(REQUIRED, true).expect("valid");
        let after = state.apply(outcome.clone(), || unreachable!("the same comment keeps its key"));
        assert_eq!(after, expected, "{outcome:?}");
        assert_eq!(state.notice, notice, "{outcome:?}");
        assert!(!state.sending);
        assert_eq!(state.value(Input::Text), "Merci pour cet article.", "{outcome:?}");
        assert_eq!(state.draft.idempotency_key, "key-1", "{outcome:?}");
    }
    let mut state = filled();
    state.try_send(REQUIRED, true).expect("valid");
    state.apply(submit_outcome(422, r#"{"error":"validation","fields":{"author_email":"invalid_email"}}"#, None), || unreachable!());
    assert_eq!(state.errors.get(Input::Email), Some("invalid_email"));
    assert!(state.summary);
}

#[test]
fn which_notices_offer_retry_or_the_newsroom() {
    assert!(FormNotice::Unreachable { reason: "hors ligne".into() }.retry());
    assert!(FormNotice::ServerFailed { status: 503 }.retry());
    assert!(FormNotice::RateLimited { retry_after_s: 3 }.retry());
    assert!(!FormNotice::Duplicate.retry() && !FormNotice::Duplicate.contact());
    assert!(FormNotice::Captcha.contact() && FormNotice::Rejected.contact());
}
