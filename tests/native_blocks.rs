//! Contract 1.1's `table` and `embed` blocks, and the `version` field, through the real parser.
#![cfg(not(target_arch = "wasm32"))]
// Tests run natively, where the wasm's size rules (clippy.toml) do not apply.
#![allow(clippy::disallowed_macros, clippy::disallowed_methods, clippy::disallowed_types)]

use kiosque::i18n::Lang;
use kiosque::model::parse::{Expected, Rule, CONTRACT_VERSION, MAX_TABLE_CELLS, MAX_TABLE_ROWS};
use kiosque::model::{embed_target, parse_article, Block, Embed, Inline, Notice, Parsed, Problem, Span, Table};

fn article_with_body(body: &str) -> String {
    format!(r#"{{"id":"t","headline":"Titre","published":"2026-11-22T08:30:00Z","body":{body}}}"#)
}

fn parse_body(body: &str) -> Parsed {
    parse_article(&article_with_body(body)).unwrap_or_else(|e| panic!("{body}: {e}"))
}

fn refused(body: &str) -> (String, Problem) {
    let error = parse_article(&article_with_body(body)).expect_err(body);
    (error.path, error.problem)
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name)).expect("fixture")
}

#[test]
fn a_table_has_its_caption_header_rows_and_rich_cells() {
    let parsed = parse_body(
        r#"[{"type":"table","caption":"  Navires  ","head":[["Quai","Total"]],
            "rows":[[[{"text":"Nord","marks":["strong"]}],"12"],[[{"text":"site","href":"https://port.example/"}]]]}]"#,
    );
    let [Block::Table(table)] = parsed.article.body.as_slice() else { panic!("one table: {:?}", parsed.article.body) };
    assert_eq!(table.caption.as_deref(), Some("Navires"), "trimmed like every text field");
    assert_eq!(table.head, vec![vec![Inline::plain("Quai"), Inline::plain("Total")]]);
    assert_eq!(table.rows.len(), 2, "rows may have fewer cells than the header");
    assert_eq!(table.rows[0][0], Inline(vec![Span { text: "Nord".into(), strong: true, ..Span::default() }]));
    assert_eq!(table.rows[1][0].0[0].href.as_ref().map(|h| h.url.as_str()), Some("https://port.example/"));
    assert!(parsed.notices.is_empty(), "{:?}", parsed.notices);
}

#[test]
fn a_table_needs_rows_and_may_do_without_caption_and_header() {
    let parsed = parse_body(r#"[{"type":"table","rows":[["a","b"],[],["c"]]}]"#);
    assert_eq!(
        parsed.article.body,
        vec![Block::Table(Table { caption: None, head: Vec::new(), rows: vec![vec![Inline::plain("a"), Inline::plain("b")], vec![Inline::plain("c")]] })],
        "rows without cells are left out"
    );
    assert_eq!(refused(r#"[{"type":"table","head":[["a"]]}]"#), ("body[0].rows".into(), Problem::Missing));
    assert_eq!(refused(r#"[{"type":"table","rows":"a|b"}]"#), ("body[0].rows".into(), Problem::WrongType(Expected::Array)));
    assert_eq!(refused(r#"[{"type":"table","rows":["a"]}]"#), ("body[0].rows[0]".into(), Problem::WrongType(Expected::Array)));
    assert_eq!(refused(r#"[{"type":"table","rows":[["a",3]]}]"#), ("body[0].rows[0][1]".into(), Problem::WrongType(Expected::Inline)));
    assert_eq!(refused(r#"[{"type":"table","rows":[["a"]],"caption":4}]"#), ("body[0].caption".into(), Problem::WrongType(Expected::String)));
}

#[test]
fn a_table_of_blank_cells_is_skipped_and_unsafe_links_in_cells_dropped() {
    let parsed = parse_body(r#"[{"type":"table","head":[[" "]],"rows":[["", "  "]]},{"type":"table","rows":[[[{"text":"x","href":"javascript:alert(1)"}]]]}]"#);
    assert_eq!(parsed.article.body.len(), 1);
    assert!(parsed.notices.contains(&Notice::EmptyBlockSkipped { path: "body[0]".into() }), "{:?}", parsed.notices);
    assert!(parsed.notices.contains(&Notice::UnsafeUrlDropped { path: "body[1].rows[0][0][0].href".into() }), "{:?}", parsed.notices);
    let Block::Table(table) = &parsed.article.body[0] else { panic!("table") };
    assert_eq!(table.rows[0][0], Inline::plain("x"), "the text stays");
}

#[test]
fn a_table_is_bounded_in_rows_and_cells() {
    let row = |cells: usize| format!("[{}]", vec!["\"c\""; cells].join(","));
    let rows = |count: usize, cells: usize| format!("[{}]", vec![row(cells); count].join(","));
    let widest = format!(r#"[{{"type":"table","rows":{}}}]"#, rows(2, MAX_TABLE_CELLS));
    assert!(parse_article(&article_with_body(&widest)).is_ok());
    let too_wide = format!(r#"[{{"type":"table","rows":{}}}]"#, rows(2, MAX_TABLE_CELLS + 1));
    assert_eq!(refused(&too_wide), ("body[0].rows[0]".into(), Problem::Invalid(Rule::TableSize)));
    let longest = format!(r#"[{{"type":"table","head":{},"rows":{}}}]"#, rows(1, 2), rows(MAX_TABLE_ROWS - 1, 2));
    assert!(parse_article(&article_with_body(&longest)).is_ok());
    let too_long = format!(r#"[{{"type":"table","head":{},"rows":{}}}]"#, rows(1, 2), rows(MAX_TABLE_ROWS, 2));
    assert_eq!(refused(&too_long), ("body[0].rows".into(), Problem::Invalid(Rule::TableSize)));
    let (_, problem) = refused(&too_wide);
    let message = kiosque::model::ParseError { path: "body[0].rows[0]".into(), problem }.message(Lang::Fr);
    assert_eq!(message, "Le champ « body[0].rows[0] » a une valeur invalide : au plus 1\u{202f}000 lignes de 50 cellules au plus attendues.");
}

#[test]
fn table_cells_count_as_words_and_their_caption_does_not() {
    let parsed = parse_body(r#"[{"type":"table","caption":"trois mots ici","head":[["un deux"]],"rows":[["trois"],["quatre cinq"]]}]"#);
    assert_eq!(parsed.article.word_count(), 5);
}

#[test]
fn an_embed_is_a_provider_an_http_address_and_an_optional_title() {
    let parsed = parse_body(
        r#"[{"type":"embed","provider":" YouTube ","url":"https://www.YouTube.com/watch?v=dQw4w9WgXcQ","title":"Le reportage"},
            {"type":"embed","provider":"Vimeo","url":"http://vimeo.com:8080/1","title":null}]"#,
    );
    assert_eq!(
        parsed.article.body,
        vec![
            Block::Embed(Embed {
                provider: "YouTube".into(),
                url: "https://www.YouTube.com/watch?v=dQw4w9WgXcQ".into(),
                host: "www.youtube.com".into(),
                title: Some("Le reportage".into()),
            }),
            Block::Embed(Embed { provider: "Vimeo".into(), url: "http://vimeo.com:8080/1".into(), host: "vimeo.com".into(), title: None }),
        ]
    );
    assert_eq!(parsed.article.word_count(), 0, "an embed is not read in the article");
}

#[test]
fn an_embed_without_an_absolute_http_address_is_skipped_not_fatal() {
    for url in ["javascript:alert(1)", "java\tscript:alert(1)", "data:text/html,x", "/videos/1", "//cdn.example/v", "mailto:a@b.c", "https:///x", "https:\\\\evil.example", "http:evil.example"] {
        let body = format!(r#"[{{"type":"embed","provider":"X","url":{}}},{{"type":"paragraph","text":"suite"}}]"#, serde_json::json!(url));
        let parsed = parse_body(&body);
        assert_eq!(parsed.article.body.len(), 1, "{url:?} skipped");
        assert_eq!(parsed.notices, vec![Notice::EmbedSkipped { path: "body[0].url".into() }], "{url:?}");
    }
    assert_eq!(refused(r#"[{"type":"embed","url":"https://a.example/"}]"#), ("body[0].provider".into(), Problem::Missing));
    assert_eq!(refused(r#"[{"type":"embed","provider":"X"}]"#), ("body[0].url".into(), Problem::Missing));
    assert_eq!(refused(r#"[{"type":"embed","provider":"X","url":"https://a.example/","title":["x"]}]"#), ("body[0].title".into(), Problem::WrongType(Expected::String)));
}

#[test]
fn an_embed_shows_the_real_host_of_its_address() {
    assert_eq!(embed_target("https://youtube.com@evil.example/watch").map(|(_, host)| host).as_deref(), Some("evil.example"));
    assert_eq!(embed_target("https://user:pw@evil.example:443/").map(|(_, host)| host).as_deref(), Some("evil.example"));
    assert_eq!(embed_target("https://[2001:db8::1]:8443/v").map(|(_, host)| host).as_deref(), Some("[2001:db8::1]"));
    assert_eq!(embed_target(" HTTPS://Vimeo.COM?x#y ").map(|(_, host)| host).as_deref(), Some("vimeo.com"));
    assert_eq!(embed_target("https://exa mple.com/"), None);
    assert_eq!(embed_target("https://%65vil.example/"), None);
}

#[test]
fn the_version_is_read_and_an_unknown_one_only_noticed() {
    for known in [r#""1.0""#, r#"" 1.1 ""#, "null"] {
        let json = format!(r#"{{"version":{known},"id":"t","headline":"T","published":"2026-11-22T08:30:00Z","body":[]}}"#);
        assert_eq!(parse_article(&json).expect(known).notices, vec![], "{known}");
    }
    for unknown in [r#""1.2""#, r#""2.0""#, r#""1""#, "1.1", r#""beta""#] {
        let json = format!(r#"{{"version":{unknown},"id":"t","headline":"T","published":"2026-11-22T08:30:00Z","body":[]}}"#);
        let parsed = parse_article(&json).unwrap_or_else(|e| panic!("{unknown}: the version never makes a document fail: {e}"));
        let shown = if unknown.starts_with('"') { unknown } else { "(not a text)" };
        assert_eq!(parsed.notices, vec![Notice::UnknownVersion(shown.to_string())]);
        assert!(parsed.notices[0].to_string().contains(CONTRACT_VERSION));
    }
}

#[test]
fn a_1_0_style_unknown_block_is_still_skipped_in_a_1_1_document() {
    let parsed = parse_article(r#"{"version":"1.1","id":"t","headline":"T","published":"2026-11-22T08:30:00Z","body":[{"type":"carousel"},{"type":"table","rows":[["a"]]}]}"#).expect("parses");
    assert!(matches!(parsed.article.body.as_slice(), [Block::Table(_)]));
    assert_eq!(parsed.notices, vec![Notice::UnknownBlockTypes(vec![("carousel".into(), 1)])]);
}

#[test]
fn the_tables_fixture_has_both_blocks() {
    let parsed = parse_article(&fixture("fr-tableaux.json")).expect("parses");
    let body = &parsed.article.body;
    let tables: Vec<&Table> = body.iter().filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None }).collect();
    let embeds: Vec<&Embed> = body.iter().filter_map(|b| if let Block::Embed(e) = b { Some(e) } else { None }).collect();
    assert_eq!(tables.len(), 2);
    assert!(tables[0].caption.is_some() && tables[0].head[0].len() == 8, "a captioned table wider than a phone");
    assert!(tables[1].caption.is_none() && tables[1].head.is_empty() && tables[1].rows.len() == 3);
    assert_eq!(embeds.len(), 2, "the javascript: embed is skipped");
    assert!(embeds[0].title.is_some() && embeds[1].title.is_none());
    assert_eq!(parsed.notices, vec![Notice::EmbedSkipped { path: "body[7].url".into() }]);
}
