//! The comments' pure side: pages and threads, text to paragraphs and links, submission answers,
//! drafts, plural forms, the form's messages and the proof-of-work solver.
#![cfg(not(target_arch = "wasm32"))]

use kiosque::config::{CaptchaKind, Config, ConfigError, PageContext};
use kiosque::i18n::{Key, Lang};
use kiosque::model::comment::{altcha_hash, AltchaPayload, EmailPolicy};
use kiosque::model::comments::{
    build_threads, paragraphs, parse_comments_page, submit_outcome, Draft, Identity, PowChallenge, SubmitOutcome,
    Submission, TextPart,
};
use kiosque::model::json_split::{array_elements, object_members};
use kiosque::model::{Milli, ParseError, Problem};

#[path = "support/threads.rs"]
mod threads;
use threads::{comment, shape};

#[test]
fn replies_nest_three_levels_and_deeper_ones_flatten_at_the_last() {
    let items = vec![
        comment("1", None),
        comment("2", Some("1")),
        comment("3", Some("2")),
        comment("4", Some("3")),
        comment("5", Some("4")),
        comment("6", Some("2")),
        comment("7", None),
        comment("8", Some("missing")),
    ];
    assert_eq!(shape(&build_threads(&items)), "1(2(3 4 5 6)) 7 8");
}

#[test]
fn a_cycle_or_self_reference_cannot_loop() {
    let items = vec![comment("a", Some("a")), comment("b", Some("c")), comment("c", Some("b"))];
    assert_eq!(shape(&build_threads(&items)), "a");
}

#[test]
fn a_comments_page_parses_and_hides_nothing_as_html() {
    let json = r#"{"items": [
        {"id": "3", "parent": null, "author": {"name": "Awa", "url": "https://awa.example"}, "text": "<script>alert(1)</script>", "created": "2026-11-22T08:30:00Z", "status": "approved"},
        {"id": 5, "parent": "3", "author": {"name": "Moussa", "url": "javascript:alert(1)"}, "text": "Réponse", "created": "2026-11-22T09:00:00Z", "status": "approved"},
        {"id": "6", "author": {"name": "Sans date"}, "text": "x"}
    ], "total": 2, "next": "/api/articles/x/comments?page=2"}"#;
    let page = parse_comments_page(json).expect("parses");
    assert_eq!(page.items.len(), 2, "a comment without a date is skipped");
    assert_eq!(page.items[0].text, "<script>alert(1)</script>");
    assert!(page.items[0].author_url.is_some());
    assert_eq!(page.items[1].id, "5");
    assert_eq!(page.items[1].parent.as_deref(), Some("3"));
    assert!(page.items[1].author_url.is_none(), "a javascript: author link is dropped");
    assert_eq!((page.total, page.next.as_deref()), (2, Some("/api/articles/x/comments?page=2")));
    assert!(parse_comments_page("not json").is_err());
    assert!(parse_comments_page(r#"{"items": {}}"#).is_err());
    let fractional_id = r#"{"items": [{"id": 1.5, "text": "x", "created": "2026-11-22T09:00:00Z"}], "total": 1}"#;
    assert!(
        matches!(parse_comments_page(fractional_id), Err(ParseError { problem: Problem::WrongType(_), .. })),
        "a number id must be whole"
    );
}

#[test]
fn json_is_split_at_its_own_commas_only() {
    let json = r#" { "a" : [1, {"b": "x,}]"}], "c\"d": "e\\", "f":{} } "#;
    assert_eq!(object_members(json), Some(vec![(r#""a""#, r#"[1, {"b": "x,}]"}]"#), (r#""c\"d""#, r#""e\\""#), (r#""f""#, "{}")]));
    assert_eq!(array_elements(r#"[1, "2,3", [4, 5] ]"#), Some(vec!["1", r#""2,3""#, "[4, 5]"]));
    assert_eq!(array_elements("[ ]"), Some(vec![]));
    assert_eq!(object_members("{}"), Some(vec![]));
    assert_eq!(array_elements("{}"), None);
    assert_eq!(object_members("[1]"), None);
    assert_eq!(object_members(r#"{"a" 1}"#), None, "a member without its colon");
}

#[test]
fn a_broken_comments_page_is_refused_with_where_it_breaks() {
    let malformed = |json: &str| match parse_comments_page(json) {
        Err(ParseError { problem: Problem::Malformed { line, column }, .. }) => (line, column),
        other => panic!("{json}: expected malformed, got {other:?}"),
    };
    // A broken item in the middle of the page: where reading the whole document would say.
    let page = "{\"items\": [\n  {\"id\": \"1\", \"text\": \"a\", \"created\": \"2026-11-22T08:30:00Z\"},\n  {\"id\": \"2\" \"text\": \"b\"}\n], \"total\": 2}";
    let whole = serde_json::from_str::<serde_json::Value>(page).expect_err("broken");
    assert_eq!(malformed(page), (whole.line(), whole.column()));
    assert_eq!(malformed(page), (3, 14));
    assert_eq!(malformed(r#"{"items": [], "total": 1,}"#).0, 1, "a trailing comma");
    assert_eq!(malformed(r#"{"items": [1,, 2]}"#).0, 1, "an empty element");
    assert_eq!(malformed(r#"{"items": [], "other": [1}"#).0, 1, "a member the widget does not read is still checked");
    assert_eq!(malformed(r#"{"items": []"#).0, 1, "no closing brace");
    assert_eq!(malformed("not json"), (1, 2));
    assert_eq!(parse_comments_page("[1]").map_err(|e| e.problem), Err(Problem::NotAnObject));
    assert_eq!(parse_comments_page(r#"{"items": 5}"#).map_err(|e| e.path), Err("items".to_string()));
}

#[test]
fn a_comments_page_reads_like_a_json_value() {
    let comment = r#"{"id": "1", "text": "a", "created": "2026-11-22T08:30:00Z"}"#;
    let page = parse_comments_page(&format!(r#"{{"items": [], "items": [{comment}], "total": 7}}"#)).expect("parses");
    assert_eq!((page.items.len(), page.total), (1, 7), "the last of two members counts");
    let page = parse_comments_page(&format!(r#"{{"\u0069tems": [{comment}]}}"#)).expect("parses");
    assert_eq!(page.items.len(), 1, "an escaped name is still the name");
    let page = parse_comments_page(r#"{"items": null, "next": null}"#).expect("parses");
    assert_eq!((page.items.len(), page.total, page.next), (0, 0, None));
}

#[test]
fn comment_text_keeps_paragraphs_and_links_http_addresses() {
    let text = "Bonjour,\nvoir https://exemple.sn/a?b=1.\n\n\nEt (https://fr.wikipedia.org/wiki/Dakar_(ville)) puis javascript:alert(1) ou HTTP://X.ORG";
    assert_eq!(
        paragraphs(text),
        vec![
            vec![
                TextPart::Text("Bonjour,".into()),
                TextPart::LineBreak,
                TextPart::Text("voir ".into()),
                TextPart::Link("https://exemple.sn/a?b=1".into()),
                TextPart::Text(".".into()),
            ],
            vec![
                TextPart::Text("Et (".into()),
                TextPart::Link("https://fr.wikipedia.org/wiki/Dakar_(ville)".into()),
                TextPart::Text(") puis javascript:alert(1) ou ".into()),
                TextPart::Link("HTTP://X.ORG".into()),
            ],
        ]
    );
    assert_eq!(paragraphs("https://"), vec![vec![TextPart::Text("https://".into())]]);
    assert!(paragraphs("  \n\n ").is_empty());
    let text = |t: &str| TextPart::Text(t.into());
    assert_eq!(
        paragraphs("\r\n  \r\n  Un\r\n deux  \r\n\r\n\r\ntrois \n \n"),
        vec![vec![text("Un"), TextPart::LineBreak, text(" deux")], vec![text("trois")]],
        "Windows line breaks; blanks around a paragraph go, a line of spaces inside one does not split it"
    );
    assert_eq!(paragraphs("a\n \nb"), vec![vec![text("a"), TextPart::LineBreak, text(" "), TextPart::LineBreak, text("b")]]);
}

#[test]
fn every_answer_to_a_submission_is_understood() {
    let created = r#"{"comment": {"id": "9", "parent": null, "author": {"name": "Awa", "url": null}, "text": "Merci", "created": "2026-11-22T08:30:00Z", "status": "pending"}}"#;
    match submit_outcome(201, created, None) {
        SubmitOutcome::Created(created) => {
            assert!(created.comment.pending && created.comment.id == "9");
            assert_eq!(created.own, None, "no edit token, nothing to edit");
            assert!(!created.confirmation_sent);
        }
        other => panic!("{other:?}"),
    }
    let invalid = r#"{"error": "validation", "fields": {"author_email": "invalid_email", "parent": "not_found"}, "message": "…"}"#;
    match submit_outcome(422, invalid, None) {
        SubmitOutcome::Invalid(fields) => {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(name, code)| (name.as_str(), code.as_str())).collect();
            assert_eq!(pairs, [("author_email", "invalid_email"), ("parent", "not_found")]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(submit_outcome(422, r#"{"error": "rejected"}"#, None), SubmitOutcome::Rejected);
    assert_eq!(submit_outcome(422, r#"{"error": "duplicate"}"#, None), SubmitOutcome::Duplicate);
    assert_eq!(submit_outcome(403, r#"{"error": "captcha"}"#, None), SubmitOutcome::Captcha);
    assert_eq!(submit_outcome(409, r#"{"error": "closed"}"#, None), SubmitOutcome::Closed);
    assert_eq!(submit_outcome(429, r#"{"error": "rate_limited", "retry_after": 42}"#, Some("7")), SubmitOutcome::RateLimited { retry_after_s: 42 });
    assert_eq!(submit_outcome(429, "<html>", Some("7")), SubmitOutcome::RateLimited { retry_after_s: 7 });
    assert_eq!(submit_outcome(503, "<html>", None), SubmitOutcome::Failed { status: 503 });
    assert_eq!(submit_outcome(201, "{}", None), SubmitOutcome::Failed { status: 201 });
}

#[test]
fn drafts_and_identities_survive_storage() {
    let draft = Draft {
        text: "Mon « commentaire »\nsur deux lignes".into(),
        name: "Awa".into(),
        email: "awa@exemple.sn".into(),
        website: String::new(),
        reply_to: Some(("3".into(), "Moussa".into())),
        idempotency_key: "6f1c2b0e-5d7a-4c36-9a51-0c7d2f3e8b14".into(),
    };
    assert_eq!(Draft::from_json(&draft.to_json()), Some(draft.clone()));
    assert!(Draft::from_json("{").is_none());
    assert_eq!(Draft::from_json(r#"{"text": 3, "name": "Awa"}"#).map(|d| d.name), Some("Awa".into()));
    assert!(Draft::default().is_empty() && !draft.is_empty());
    let identity = Identity { name: "Awa".into(), email: "a@b.sn".into(), website: "https://awa.example".into() };
    assert_eq!(Identity::from_json(&identity.to_json()), Some(identity));
}

#[test]
fn a_submission_sends_what_the_api_expects() {
    let draft = Draft {
        text: "  Merci  ".into(),
        name: " Awa ".into(),
        email: " ".into(),
        website: String::new(),
        reply_to: Some(("3".into(), "Moussa".into())),
        idempotency_key: "key-1".into(),
    };
    let body = Submission { draft: &draft, captcha: Some(("stub", "stub:1:abc:0.9".into())), honeypot: "", elapsed_ms: 4200, voter: None, notify_lang: None }.to_json();
    let value: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(value["parent"], "3");
    assert_eq!(value["author_name"], "Awa");
    assert!(value["author_email"].is_null() && value["author_url"].is_null());
    assert_eq!(value["text"], "Merci");
    assert_eq!(value["captcha"]["kind"], "stub");
    assert_eq!(value["captcha"]["token"], "stub:1:abc:0.9");
    assert_eq!((value["elapsed_ms"].as_u64(), value["idempotency_key"].as_str(), value["honeypot"].as_str()), (Some(4200), Some("key-1"), Some("")));
}

#[test]
fn counts_use_each_languages_plural_rules() {
    let title = |lang: Lang, n| lang.count(n, Key::CommentsTitleOne, Key::CommentsTitleOther);
    assert_eq!(title(Lang::Fr, 0), "0 commentaire");
    assert_eq!(title(Lang::Fr, 1), "1 commentaire");
    assert_eq!(title(Lang::Fr, 2), "2 commentaires");
    assert_eq!(title(Lang::En, 0), "0 comments");
    assert_eq!(title(Lang::En, 1), "1 comment");
    assert_eq!(title(Lang::En, 12), "12 comments");
    assert_eq!(Lang::Fr.count(3, Key::FormErrorsOne, Key::FormErrorsOther), "Corrigez les 3 erreurs suivantes :");
}

#[test]
fn every_field_error_code_has_a_message_in_both_languages() {
    use kiosque::model::comment_form::{error_message, Input};
    let cases = [
        (Input::Text, "required", "Écrivez votre commentaire.", "Write your comment."),
        (Input::Text, "too_long", "Votre commentaire dépasse 5000 caractères.", "Your comment is longer than 5000 characters."),
        (Input::Name, "required", "Indiquez votre nom.", "Enter your name."),
        (Input::Name, "too_long", "Votre nom dépasse 100 caractères.", "Your name is longer than 100 characters."),
        (Input::Email, "required", "Indiquez votre adresse e-mail.", "Enter your email address."),
        (Input::Email, "invalid_email", "Cette adresse e-mail n’est pas valide (exemple : nom@exemple.sn).", "This email address is not valid (for example name@example.com)."),
        (Input::Email, "too_long", "Votre adresse e-mail dépasse 254 caractères.", "Your email address is longer than 254 characters."),
        (Input::Website, "invalid_url", "L’adresse du site doit commencer par http:// ou https://.", "The website address must start with http:// or https://."),
        (Input::Website, "too_long", "L’adresse du site dépasse 2000 caractères.", "The website address is longer than 2000 characters."),
        (Input::Parent, "not_found", "Le commentaire auquel vous répondez n’existe plus.", "The comment you are replying to no longer exists."),
        (Input::Captcha, "required", "Confirmez que vous n’êtes pas un robot.", "Confirm that you are not a robot."),
        (Input::Name, "something_new", "Cette valeur n’est pas acceptée.", "This value is not accepted."),
    ];
    for (input, code, fr, en) in cases {
        assert_eq!(error_message(Lang::Fr, input, code), fr, "{input:?} {code}");
        assert_eq!(error_message(Lang::En, input, code), en, "{input:?} {code}");
    }
}

#[test]
fn the_solver_finds_the_documented_test_vector() {
    // docs/api.md: salt 0123456789abcdef?expires=4102444800&, number 4242.
    let challenge = PowChallenge::from_json(
        r#"{"algorithm": "SHA-256", "challenge": "de90e4e4edfb76c9b2405ebbbd9e4ab5c893e83dd17ae2f723cbd03ea7d702f4",
            "maxnumber": 100000, "salt": "0123456789abcdef?expires=4102444800&", "signature": "84eb93858a01c847176b80d18c9daa23f79403210b6dcccd3c63fedfe1f5d200"}"#,
    )
    .expect("challenge");
    assert_eq!(challenge.search(0, 4000), None, "not in the first slice");
    assert_eq!(challenge.search(4000, 2000), Some(4242));
    let payload = AltchaPayload::from_json(&challenge.payload(4242, 35)).expect("payload");
    assert_eq!((payload.number, payload.took, payload.algorithm.as_str()), (4242, Some(35), "SHA-256"));
    assert_eq!(payload.salt, "0123456789abcdef?expires=4102444800&");
    assert!(PowChallenge::from_json(r#"{"algorithm": "SHA-1", "challenge": "x", "maxnumber": 1, "salt": "s", "signature": "y"}"#).is_none());
}

#[test]
fn the_solver_agrees_with_altchas_own_test_fixture() {
    // ALTCHA's reference library tests its v1 challenges with salt "somesalt", number 123,
    // maxnumber 1000 and HMAC key "test-key" (and the inclusive bound: number 10 of maxnumber 10).
    // The hashes below were computed independently with Python's hashlib and hmac.
    let challenge = PowChallenge::from_json(
        r#"{"algorithm": "SHA-256", "challenge": "f0c465fadded109f9be16fdc7b301883e404b2e76576ffde37b459b0974de0e4",
            "maxnumber": 1000, "salt": "somesalt",
            "signature": "cee4303082c047b185e24687634212d93a6dd9930913f9eb01db32e1eeb3deb7"}"#,
    )
    .expect("challenge");
    assert_eq!(challenge.search(0, 1001), Some(123));
    let bound = PowChallenge { max_number: 10, challenge: altcha_hash("somesalt", 10), ..challenge };
    assert_eq!(bound.challenge, "777f2bf68e6237401c1aae9303e7586ad8245d00f4905901ac0b5dc85e3e1154");
    assert_eq!(bound.search(0, 2000), Some(10), "maxnumber itself is a candidate");
}

#[test]
fn the_solver_solves_a_challenge_made_like_the_server_makes_them() {
    let salt = "a1b2c3d4e5f60718?expires=4102444800&";
    let secret_number = 77_777;
    let json = format!(
        r#"{{"algorithm": "SHA-256", "challenge": "{}", "maxnumber": 100000, "salt": "{salt}", "signature": "00"}}"#,
        altcha_hash(salt, secret_number)
    );
    let challenge = PowChallenge::from_json(&json).expect("challenge");
    let found = (0..=challenge.max_number).step_by(5000).find_map(|from| challenge.search(from, 5000));
    assert_eq!(found, Some(secret_number));
    assert_eq!(challenge.search(100_001, 10), None, "nothing past maxnumber");
}

#[test]
fn comment_form_attributes_are_read_and_checked() {
    let page = PageContext::default();
    let read = |attributes: &'static [(&'static str, &'static str)]| {
        Config::read(|name| attributes.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()), &page)
    };
    let defaults = read(&[("data-src", "/a.json")]).expect("valid").comments;
    assert_eq!((defaults.captcha, defaults.captcha_score, defaults.email), (CaptchaKind::Stub, Milli(900), EmailPolicy::Required));
    assert_eq!(defaults.challenge_url, "/api/captcha/challenge");
    let set = read(&[("data-src", "/a.json"), ("data-captcha", "pow"), ("data-captcha-score", "0.2"), ("data-email", "optional")])
        .expect("valid")
        .comments;
    assert_eq!((set.captcha, set.captcha_score, set.email), (CaptchaKind::Pow, Milli(200), EmailPolicy::Optional));
    let errors = read(&[("data-src", "/a.json"), ("data-captcha", "recaptcha"), ("data-captcha-score", "2"), ("data-email", "maybe")]).expect_err("invalid");
    let names: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            ConfigError::Invalid { attribute, .. } | ConfigError::Missing { attribute } => *attribute,
        })
        .collect();
    assert_eq!(names, ["data-captcha", "data-captcha-score", "data-email"]);
}

#[test]
fn stub_tokens_and_time_outs_are_written_as_readers_and_the_server_expect() {
    use kiosque::api::FetchError;
    use kiosque::model::comment::StubToken;
    let token = |score| StubToken { timestamp_ms: 7, random: "r1".into(), score: Milli(score) }.to_string();
    assert_eq!((token(900), token(1000), token(0), token(50), token(125)), (
        "stub:7:r1:0.9".to_string(),
        "stub:7:r1:1".to_string(),
        "stub:7:r1:0".to_string(),
        "stub:7:r1:0.05".to_string(),
        "stub:7:r1:0.125".to_string(),
    ));
    for score in [0, 300, 490, 500, 900, 1000] {
        assert_eq!(StubToken::parse(&token(score)).map(|t| t.score), Some(Milli(score)));
    }
    let timeout = |after_ms| FetchError::TimedOut { after_ms }.message(Lang::Fr);
    assert_eq!(timeout(10_000), "Le serveur n’a pas répondu dans le délai de 10 s.");
    assert_eq!(timeout(2_500), "Le serveur n’a pas répondu dans le délai de 2,5 s.");
    assert_eq!(FetchError::TimedOut { after_ms: 1_000 }.message(Lang::En), "The server did not answer within 1 s.");
    assert_eq!(FetchError::TimedOut { after_ms: 2_500 }.message(Lang::En), "The server did not answer within 2.5 s.");
}

#[test]
fn a_deleted_comment_is_a_placeholder_that_keeps_its_replies() {
    let json = r#"{"items": [
        {"id": "3", "parent": null, "deleted": true, "created": "2026-11-22T08:30:00Z", "status": "deleted"},
        {"id": "5", "parent": "3", "author": {"name": "Moussa"}, "text": "Réponse", "created": "2026-11-22T09:00:00Z", "status": "approved"}
    ], "total": 2}"#;
    let page = parse_comments_page(json).expect("parses");
    assert_eq!(page.items.len(), 2);
    let placeholder = &page.items[0];
    assert!(placeholder.deleted && placeholder.text.is_empty() && placeholder.author_name.is_empty());
    assert!(!page.items[1].deleted);
    assert_eq!(shape(&build_threads(&page.items)), "3(5)");
    assert_eq!(Lang::Fr.text(Key::CommentsDeleted), "Commentaire supprimé");
    assert_eq!(Lang::En.text(Key::CommentsDeleted), "Comment deleted");
}

#[test]
fn a_comment_link_names_the_comment_and_keeps_the_page() {
    use kiosque::model::comments::{permalink, permalink_target};
    assert_eq!(permalink_target("#kq-comment-12"), Some("12"));
    assert_eq!(permalink_target("#kq-comment-"), None);
    assert_eq!(permalink_target("#kq-comment-<img>"), None);
    assert_eq!(permalink_target("#commentaires"), None);
    assert_eq!(permalink_target(""), None);
    assert_eq!(permalink("https://journal.example/a?x=1#haut", "12"), "https://journal.example/a?x=1#kq-comment-12");
    assert_eq!(permalink("https://journal.example/a", "7"), "https://journal.example/a#kq-comment-7");
}

#[test]
fn the_readers_order_is_added_to_the_comments_address() {
    use kiosque::model::reader_actions::{sorted_comments_url, Sort};
    assert_eq!(sorted_comments_url("/api/articles/42/comments", Sort::Oldest), "/api/articles/42/comments");
    assert_eq!(sorted_comments_url("/api/articles/42/comments", Sort::Newest), "/api/articles/42/comments?sort=newest");
    assert_eq!(sorted_comments_url("/api/articles/42/comments?limit=1", Sort::Votes), "/api/articles/42/comments?limit=1&sort=votes");
}
