//! Every bundled fixture through the real parser: the good ones render, the broken ones are
//! refused with the reason a publisher needs to fix them.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

use kiosque::model::parse::{Expected, Rule};
use kiosque::model::{parse_article, Block, Notice, Problem};

fn json_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .expect("fixture directory")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).expect("fixture is readable")
}

fn fixture(name: &str) -> String {
    read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name))
}

#[test]
fn every_good_fixture_parses_with_its_own_id_and_headline() {
    let files = json_files("fixtures");
    assert!(files.len() >= 7, "expected at least 7 good fixtures, found {}", files.len());
    for path in files {
        let text = read(&path);
        let parsed = parse_article(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let raw: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("file name");
        assert_eq!(parsed.article.id, stem, "{}: id should match the file name", path.display());
        assert_eq!(parsed.article.headline, raw["headline"].as_str().expect("headline").trim());
    }
}

/// A broken fixture's file name, where its error must be (a suffix of the path), and its problem.
type BrokenFixture = (&'static str, &'static str, fn(&Problem) -> bool);

#[test]
fn every_broken_fixture_is_refused_with_its_reason() {
    let expected: &[BrokenFixture] = &[
        ("bad-date.json", "published", |p| *p == Problem::Invalid(Rule::Rfc3339)),
        ("bad-heading-level.json", "level", |p| *p == Problem::Invalid(Rule::HeadingLevel)),
        ("malformed.json", "", |p| matches!(p, Problem::Malformed { .. })),
        ("missing-headline.json", "headline", |p| *p == Problem::Missing),
        ("not-an-object.json", "", |p| *p == Problem::NotAnObject),
        ("table-too-wide.json", "body[1].rows[0]", |p| *p == Problem::Invalid(Rule::TableSize)),
        ("wrong-types.json", "body", |p| *p == Problem::WrongType(Expected::Array)),
    ];
    let files = json_files("fixtures/broken");
    assert_eq!(files.len(), expected.len(), "every broken fixture has an expectation here");
    for (name, path_suffix, is_expected) in expected {
        let error = parse_article(&fixture(&format!("broken/{name}"))).expect_err(name);
        assert!(error.path.ends_with(path_suffix), "{name}: error at {:?}", error.path);
        assert!(is_expected(&error.problem), "{name}: unexpected problem {:?}", error.problem);
    }
}

#[test]
fn the_complete_fixture_uses_every_block_type_and_field() {
    let article = parse_article(&fixture("fr-complet.json")).expect("parses").article;
    let has = |pred: fn(&Block) -> bool| article.body.iter().any(pred);
    assert!(has(|b| matches!(b, Block::Paragraph(_))));
    assert!(has(|b| matches!(b, Block::Heading { .. })));
    assert!(has(|b| matches!(b, Block::Quote { cite: Some(_), .. })));
    assert!(has(|b| matches!(b, Block::List { ordered: true, .. })));
    assert!(has(|b| matches!(b, Block::List { ordered: false, .. })));
    assert!(has(|b| matches!(b, Block::Image(_))));
    assert!(has(|b| matches!(b, Block::Ad { .. })));
    assert!(has(|b| matches!(b, Block::Divider)));
    let spans = article.body.iter().filter_map(|b| match b {
        Block::Paragraph(text) => Some(text.0.clone()),
        _ => None,
    });
    let spans: Vec<_> = spans.flatten().collect();
    assert!(spans.iter().any(|s| s.strong) && spans.iter().any(|s| s.em) && spans.iter().any(|s| s.code));
    assert!(spans.iter().any(|s| s.href.as_ref().is_some_and(|h| h.external)));
    assert!(spans.iter().any(|s| s.href.as_ref().is_some_and(|h| !h.external)));
    assert!(article.url.is_some() && article.lang.is_some() && article.site.is_some());
    assert!(article.breadcrumb.len() >= 2 && article.section.is_some() && article.dek.is_some());
    assert!(!article.authors.is_empty() && article.source.is_some() && article.modified.is_some());
    let image = article.image.as_ref().expect("hero image");
    assert!(image.caption.is_some() && image.credit.is_some() && image.width.is_some());
    assert!(!article.tags.is_empty());
    assert!(article.related.as_ref().is_some_and(|r| !r.items.is_empty()));
    assert!(article.comments.is_some());
}

#[test]
fn the_repetition_fixture_shows_its_repeated_run_once_and_keeps_a_single_repeat() {
    let raw: serde_json::Value = serde_json::from_str(&fixture("fr-repetition.json")).expect("JSON");
    let raw_blocks = raw["body"].as_array().expect("body").len();
    let parsed = parse_article(&fixture("fr-repetition.json")).expect("parses");
    let runs: Vec<_> = parsed
        .notices
        .iter()
        .filter_map(|n| match n {
            Notice::RepeatedRun { paragraphs, extra_copies, .. } => Some((*paragraphs, *extra_copies)),
            _ => None,
        })
        .collect();
    assert_eq!(runs.len(), 1, "one repeated run: {:?}", parsed.notices);
    let (paragraphs, copies) = runs[0];
    assert!(paragraphs >= 2);
    assert_eq!(parsed.article.body.len(), raw_blocks - paragraphs * copies);
    let singles = parsed.article.body.windows(2).filter(|w| matches!(w, [Block::Paragraph(a), Block::Paragraph(b)] if a == b)).count();
    assert_eq!(singles, 1, "the legitimately repeated short paragraph is kept");
}

#[test]
fn the_long_fixture_has_over_300_blocks_and_a_reading_time() {
    let article = parse_article(&fixture("fr-long.json")).expect("parses").article;
    assert!(article.body.len() >= 300, "{} blocks", article.body.len());
    assert!(article.reading_minutes().is_some_and(|m| m >= 5));
}

#[test]
fn the_minimal_fixtures_need_only_the_required_fields() {
    let article = parse_article(&fixture("fr-minimal.json")).expect("parses").article;
    assert!(article.body.is_empty() && article.reading_minutes().is_none());
    assert!(article.image.is_none() && article.authors.is_empty() && article.lang.is_none());
    let english = parse_article(&fixture("en-minimal.json")).expect("parses").article;
    assert!(!english.body.is_empty() && english.dek.is_none());
}

#[test]
fn hostile_content_keeps_its_text_and_loses_its_unsafe_urls() {
    let parsed = parse_article(&fixture("fr-hostile.json")).expect("parses");
    let article = &parsed.article;
    assert!(article.headline.contains("<script>"), "markup stays as literal text");
    let hrefs: Vec<&str> = article
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(text) => Some(text.0.iter()),
            _ => None,
        })
        .flatten()
        .filter_map(|span| span.href.as_ref().map(|h| h.url.as_str()))
        .collect();
    assert!(!hrefs.is_empty(), "the safe link survives");
    assert!(hrefs.iter().all(|h| h.starts_with("https://") || h.starts_with('/')), "{hrefs:?}");
    assert!(article.authors.iter().any(|a| a.href.is_none()), "the javascript: author link is dropped");
    assert!(article.authors.iter().filter_map(|a| a.href.as_ref()).all(|h| h.url.starts_with("https://") || h.url.starts_with('/')));
    assert!(!article.body.iter().any(|b| matches!(b, Block::Image(_))), "the javascript: image is dropped");
    assert!(parsed.notices.iter().any(|n| matches!(n, Notice::UnknownBlockTypes(types) if types.len() == 2)));
    assert!(parsed.notices.iter().filter(|n| matches!(n, Notice::UnsafeUrlDropped { .. })).count() >= 6);
}

#[test]
fn a_javascript_link_keeps_its_text_without_the_link() {
    let article = parse_article(&fixture("fr-lien-javascript.json")).expect("parses").article;
    let spans: Vec<_> = article
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(text) => Some(text.0.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    let kept = spans.iter().find(|s| s.text.contains("Lire la suite")).expect("link text kept");
    assert!(kept.href.is_none());
}
