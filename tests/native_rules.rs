//! The model's rules, one by one: URL filtering, dates, repeated runs, parsing details.
#![cfg(not(target_arch = "wasm32"))]

use kiosque::i18n::Lang;
use kiosque::model::links::{safe_href, safe_image_src, same_origin_src};
use kiosque::model::parse::Expected;
use kiosque::model::repeats::collapse_repeated_runs;
use kiosque::model::{parse_article, Block, Inline, Notice, Problem, Span, Timestamp};

fn article_with_body(body: &str) -> String {
    format!(r#"{{"id":"t","headline":"Titre","published":"2026-11-22T08:30:00Z","body":{body}}}"#)
}

#[test]
fn links_accept_http_https_mailto_and_relative_urls() {
    for url in ["https://example.org/a", "http://example.org", "HTTPS://EXAMPLE.ORG", "mailto:redaction@example.org", "/politique/42", "article.html", "../a", "?page=2", "#commentaires", "//cdn.example.org/x"] {
        assert!(safe_href(url).is_some(), "{url} should be accepted");
    }
    assert!(safe_href("https://example.org").is_some_and(|h| h.external));
    assert!(safe_href("//example.org").is_some_and(|h| h.external));
    assert!(safe_href("/local").is_some_and(|h| !h.external));
    assert!(safe_href("mailto:a@b.c").is_some_and(|h| !h.external));
}

#[test]
fn links_refuse_script_data_and_other_schemes_however_disguised() {
    for url in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        " \u{1}javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "tel:+221000000",
        "\\\\evil.example/x",
        "/\\evil.example/x",
        "",
        "   ",
    ] {
        assert!(safe_href(url).is_none(), "{url:?} should be refused");
    }
}

#[test]
fn image_sources_are_http_or_relative_only() {
    assert_eq!(safe_image_src(" /img/a.jpg ").as_deref(), Some("/img/a.jpg"));
    assert!(safe_image_src("https://cdn.example.org/a.jpg").is_some());
    assert!(safe_image_src("data:image/png;base64,AAAA").is_none());
    assert!(safe_image_src("mailto:a@b.c").is_none());
    assert!(safe_image_src("javascript:alert(1)").is_none());
}

#[test]
fn a_source_from_the_query_string_must_stay_on_the_page_origin() {
    let origin = "https://journal.example";
    assert_eq!(same_origin_src("/fixtures/a.json", origin).as_deref(), Some("/fixtures/a.json"));
    assert!(same_origin_src("https://journal.example/a.json", origin).is_some());
    assert!(same_origin_src("https://journal.example.evil.org/a.json", origin).is_none());
    assert!(same_origin_src("https://evil.example/a.json", origin).is_none());
    assert!(same_origin_src("//evil.example/a.json", origin).is_none());
    assert!(same_origin_src("javascript:alert(1)", origin).is_none());
}

#[test]
fn rfc3339_timestamps_are_checked_and_converted() {
    let t = Timestamp::parse("2026-11-22T08:30:00Z").expect("valid");
    assert_eq!(t.unix_ms, 1_795_336_200_000);
    assert_eq!(t.rfc3339, "2026-11-22T08:30:00Z");
    let offset = Timestamp::parse("2026-11-22T09:30:00+01:00").expect("valid");
    assert_eq!(offset.unix_ms, t.unix_ms);
    let lower = Timestamp::parse("2026-11-22t08:30:00.250z").expect("valid");
    assert_eq!(lower.unix_ms, t.unix_ms + 250);
    assert_eq!(lower.rfc3339, "2026-11-22T08:30:00.250Z");
    assert!(Timestamp::parse("2024-02-29T00:00:00Z").is_some());
    for bad in ["22/11/2026", "2026-11-22", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T08:30:00", "2026-11-22T08:30:00+0100", "2026-11-22T08:30:00.Z", "２０２６-11-22T08:30:00Z"] {
        assert!(Timestamp::parse(bad).is_none(), "{bad} should be refused");
    }
}

fn paragraph(text: &str) -> Block {
    Block::Paragraph(Inline::plain(text))
}

#[test]
fn a_repeated_run_of_paragraphs_is_shown_once() {
    let blocks = vec![paragraph("a"), paragraph("b"), paragraph("c"), paragraph("a"), paragraph(" b\n"), paragraph("c  "), paragraph("d")];
    let mut notices = Vec::new();
    let kept = collapse_repeated_runs(blocks, &mut notices);
    assert_eq!(kept, vec![paragraph("a"), paragraph("b"), paragraph("c"), paragraph("d")]);
    assert_eq!(notices, vec![Notice::RepeatedRun { at: 0, paragraphs: 3, extra_copies: 1 }]);
}

#[test]
fn a_run_repeated_three_times_is_shown_once() {
    let blocks = vec![paragraph("x"), paragraph("a"), paragraph("b"), paragraph("a"), paragraph("b"), paragraph("a"), paragraph("b")];
    let mut notices = Vec::new();
    let kept = collapse_repeated_runs(blocks, &mut notices);
    assert_eq!(kept, vec![paragraph("x"), paragraph("a"), paragraph("b")]);
    assert_eq!(notices, vec![Notice::RepeatedRun { at: 1, paragraphs: 2, extra_copies: 2 }]);
}

#[test]
fn single_repeated_paragraphs_and_separated_runs_are_kept() {
    let single = vec![paragraph("Lire aussi"), paragraph("Lire aussi"), paragraph("z")];
    let separated = vec![paragraph("a"), paragraph("b"), Block::Divider, paragraph("a"), paragraph("b")];
    let mut notices = Vec::new();
    assert_eq!(collapse_repeated_runs(single.clone(), &mut notices), single);
    assert_eq!(collapse_repeated_runs(separated.clone(), &mut notices), separated);
    assert!(notices.is_empty());
}

#[test]
fn paragraphs_that_differ_only_in_marks_are_not_repeats() {
    let bold = Block::Paragraph(Inline(vec![Span { text: "a".into(), strong: true, ..Span::default() }]));
    let blocks = vec![paragraph("a"), paragraph("b"), bold, paragraph("b")];
    let mut notices = Vec::new();
    assert_eq!(collapse_repeated_runs(blocks.clone(), &mut notices), blocks);
}

#[test]
fn inline_fragments_keep_marks_and_drop_unknown_ones() {
    let json = article_with_body(
        r#"[{"type":"paragraph","text":[{"text":"gras","marks":["strong","em","sparkle"]},{"text":" lien","href":"javascript:x"},{"text":" code","marks":["code"],"href":"https://ex.org"}]}]"#,
    );
    let parsed = parse_article(&json).expect("parses");
    let Block::Paragraph(Inline(spans)) = &parsed.article.body[0] else { panic!("paragraph") };
    assert!(spans[0].strong && spans[0].em && !spans[0].code);
    assert_eq!(spans[1].text, " lien");
    assert!(spans[1].href.is_none());
    assert!(spans[2].code && spans[2].href.as_ref().is_some_and(|h| h.url == "https://ex.org"));
    assert_eq!(parsed.notices, vec![Notice::UnsafeUrlDropped { path: "body[0].text[1].href".into() }]);
}

#[test]
fn unknown_block_types_are_skipped_with_one_notice() {
    let json = article_with_body(r#"[{"type":"video"},{"type":"paragraph","text":"ok"},{"type":"video"},{"type":"poll"}]"#);
    let parsed = parse_article(&json).expect("parses");
    assert_eq!(parsed.article.body.len(), 1);
    assert_eq!(parsed.notices, vec![Notice::UnknownBlockTypes(vec![("video".into(), 2), ("poll".into(), 1)])]);
}

#[test]
fn wrong_types_are_reported_with_their_path() {
    let cases = [
        (r#"{"id":"t","headline":"T","published":"2026-11-22T08:30:00Z","body":[{"type":"list","items":"x"}]}"#, "body[0].items", Problem::WrongType(Expected::Array)),
        (r#"{"id":"t","headline":"T","published":"2026-11-22T08:30:00Z","body":[],"image":{"url":"/a.jpg","width":"800"}}"#, "image.width", Problem::WrongType(Expected::Integer)),
        (r#"{"id":"t","headline":"T","published":"2026-11-22T08:30:00Z","body":[],"tags":[{"url":"/t"}]}"#, "tags[0].label", Problem::Missing),
        (r#"{"id":"t","headline":"T","published":"2026-11-22T08:30:00Z","body":[{"type":"paragraph","text":42}]}"#, "body[0].text", Problem::WrongType(Expected::Inline)),
        (r#"{"id":"t","headline":"   ","published":"2026-11-22T08:30:00Z","body":[]}"#, "headline", Problem::Missing),
        (r#"{"id":7,"headline":"T","published":"2026-11-22T08:30:00Z","body":[]}"#, "id", Problem::WrongType(Expected::String)),
        (r#"{"headline":"T","published":"2026-11-22T08:30:00Z","body":[]}"#, "id", Problem::Missing),
        (r#"{"id":"t","headline":"T","body":[]}"#, "published", Problem::Missing),
        (r#"{"id":"t","headline":"T","published":"2026-11-22T08:30:00Z"}"#, "body", Problem::Missing),
    ];
    for (json, path, problem) in cases {
        let error = parse_article(json).expect_err(path);
        assert_eq!((error.path.as_str(), error.problem), (path, problem), "{json}");
    }
}

#[test]
fn the_body_read_a_block_at_a_time_reports_what_reading_it_whole_did() {
    let problem = |json: &str| parse_article(json).map(|_| ()).map_err(|error| (error.path, error.problem));
    let wrong_block = r#"{"type":"paragraph","text":42}"#;
    // Broken JSON anywhere comes first, even after a wrong block, at the place the whole document gives.
    let json = format!("{{\"id\":\"t\",\"headline\":\"T\",\"published\":\"2026-11-22T08:30:00Z\",\"body\":[\n{wrong_block},\n{{\"type\" \"divider\"}}]}}");
    let whole = serde_json::from_str::<serde_json::Value>(&json).expect_err("broken");
    assert_eq!(problem(&json), Err((String::new(), Problem::Malformed { line: whole.line(), column: whole.column() })));
    // A missing headline is reported before a wrong block, as the fields are read in order.
    let json = format!(r#"{{"id":"t","published":"2026-11-22T08:30:00Z","body":[{wrong_block}]}}"#);
    assert_eq!(problem(&json), Err(("headline".into(), Problem::Missing)));
    assert_eq!(problem(&article_with_body("{}")), Err(("body".into(), Problem::WrongType(Expected::Array))));
    assert_eq!(problem(&article_with_body("null")), Err(("body".into(), Problem::Missing)));
    // The last of two bodies counts, as in a JSON object read whole.
    let json = r#"{"id":"t","headline":"T","published":"2026-11-22T08:30:00Z","body":[{"type":"divider"}],"body":[]}"#;
    assert_eq!(parse_article(json).expect("parses").article.body, vec![]);
}

#[test]
fn null_optional_fields_count_as_absent() {
    let json = r#"{"id":"t","headline":"T","published":"2026-11-22T08:30:00Z","body":[],"dek":null,"image":null,"tags":null}"#;
    let article = parse_article(json).expect("parses").article;
    assert!(article.dek.is_none() && article.image.is_none() && article.tags.is_empty());
}

#[test]
fn broken_related_items_are_skipped_not_fatal() {
    let json = r#"{"id":"t","headline":"T","published":"2026-11-22T08:30:00Z","body":[],
        "related":{"items":[{"headline":"Sans lien"},{"url":"/a"},{"headline":"Bon","url":"/b"},{"headline":"Date","url":"/c","published":"hier"}]}}"#;
    let parsed = parse_article(json).expect("parses");
    let related = parsed.article.related.expect("related");
    assert_eq!(related.items.len(), 1);
    assert_eq!(related.items[0].headline, "Bon");
    assert_eq!(parsed.notices.iter().filter(|n| matches!(n, Notice::RelatedItemSkipped { .. })).count(), 3);
}

#[test]
fn reading_time_rounds_up_from_the_body_words() {
    let words = vec!["mot"; 231].join(" ");
    let json = article_with_body(&format!(r#"[{{"type":"paragraph","text":"{words}"}},{{"type":"list","items":["un deux"]}}]"#));
    let article = parse_article(&json).expect("parses").article;
    assert_eq!(article.word_count(), 233);
    assert_eq!(article.reading_minutes(), Some(2));
}

#[test]
fn error_reasons_are_localized() {
    let error = parse_article("{\"id\": ").expect_err("malformed");
    assert_eq!(error.message(Lang::Fr), "Le JSON est mal formé (ligne 1, colonne 7).");
    assert_eq!(error.message(Lang::En), "The JSON is malformed (line 1, column 7).");
    let missing = parse_article(r#"{"id":"x","published":"2026-11-22T08:30:00Z","body":[]}"#).expect_err("missing");
    assert_eq!(missing.message(Lang::Fr), "Le champ obligatoire « headline » est absent ou vide.");
    assert_eq!(missing.message(Lang::En), "The required field “headline” is missing or empty.");
}

#[test]
fn paragraphs_split_into_spans_differently_are_still_repeats() {
    let split = Block::Paragraph(Inline(vec![Span { text: "wid".into(), ..Span::default() }, Span { text: "get  b".into(), ..Span::default() }]));
    let blocks = vec![paragraph("widget b"), paragraph("c"), split, paragraph("c")];
    let mut notices = Vec::new();
    assert_eq!(collapse_repeated_runs(blocks, &mut notices), vec![paragraph("widget b"), paragraph("c")]);
}
