//! Host attributes, the language fallback chain and the locale files.
#![cfg(not(target_arch = "wasm32"))]
// Tests run natively, where the wasm's size rules (clippy.toml) do not apply.
#![allow(clippy::disallowed_macros, clippy::disallowed_methods, clippy::disallowed_types)]

use std::collections::{BTreeMap, BTreeSet};

use kiosque::config::{parse_query, Config, ConfigError, PageContext, Theme, DEFAULT_TIMEOUT_MS};
use kiosque::i18n::{choose_lang, intl_locale, Key, Lang};

fn page() -> PageContext {
    PageContext { lang: Some("fr".into()), origin: "https://journal.example".into(), query: vec![] }
}

fn read(attributes: &[(&str, &str)], page: &PageContext) -> Result<Config, Vec<ConfigError>> {
    Config::read(|name| attributes.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()), page)
}

#[test]
fn defaults_apply_when_only_the_source_is_given() {
    let config = read(&[("data-src", "/a.json")], &page()).expect("valid");
    assert_eq!(config.src, "/a.json");
    assert_eq!((config.lang, config.theme, config.heading_level, config.timeout_ms), (None, Theme::Auto, 1, DEFAULT_TIMEOUT_MS));
}

#[test]
fn every_attribute_is_read() {
    let attributes = [("data-src", " https://cdn.example/a.json "), ("data-lang", "en-GB"), ("data-theme", "dark"), ("data-heading-level", "2"), ("data-timeout", "2.5")];
    let config = read(&attributes, &page()).expect("valid");
    assert_eq!(config.src, "https://cdn.example/a.json");
    assert_eq!(config.lang, Some(Lang::En));
    assert_eq!(config.lang_tag.as_deref(), Some("en-GB"));
    assert_eq!((config.theme, config.heading_level, config.timeout_ms), (Theme::Dark, 2, 2500));
}

#[test]
fn every_bad_attribute_is_reported_at_once() {
    let attributes = [("data-src", "javascript:alert(1)"), ("data-lang", "de"), ("data-theme", "blue"), ("data-heading-level", "7"), ("data-timeout", "0")];
    let errors = read(&attributes, &page()).expect_err("invalid");
    let names: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            ConfigError::Invalid { attribute, .. } | ConfigError::Missing { attribute } => *attribute,
        })
        .collect();
    assert_eq!(names, ["data-lang", "data-theme", "data-heading-level", "data-timeout", "data-src"]);
    assert_eq!(
        errors[1].message(Lang::Fr),
        "L’attribut data-theme vaut « blue » ; attendu : light, dark ou auto."
    );
    assert_eq!(errors[1].message(Lang::En), "The data-theme attribute is “blue”; expected light, dark or auto.");
}

#[test]
fn a_time_out_is_a_plain_number_of_seconds_from_1_to_120() {
    let timeout = |value: &str| read(&[("data-src", "/a.json"), ("data-timeout", value)], &page()).map(|config| config.timeout_ms);
    assert_eq!(timeout("1"), Ok(1_000));
    assert_eq!(timeout("120"), Ok(120_000));
    assert_eq!(timeout("7.25"), Ok(7_250));
    for refused in ["0.75", "120.001", "1e1", "-5", "2,5", "inf", "NaN"] {
        assert!(timeout(refused).is_err(), "{refused:?}");
    }
}

#[test]
fn a_missing_source_is_reported() {
    let errors = read(&[], &page()).expect_err("missing");
    assert_eq!(errors, vec![ConfigError::Missing { attribute: "data-src" }]);
    assert_eq!(errors[0].message(Lang::Fr), "L’attribut data-src est obligatoire.");
}

#[test]
fn the_query_parameter_overrides_the_source_on_the_same_site_only() {
    let mut page = page();
    let attributes = [("data-src", "/default.json"), ("data-src-param", "src")];
    assert_eq!(read(&attributes, &page).expect("valid").src, "/default.json");
    page.query = parse_query("?src=%2Ffixtures%2Fen-minimal.json&x=1");
    assert_eq!(read(&attributes, &page).expect("valid").src, "/fixtures/en-minimal.json");
    page.query = parse_query("?src=https%3A%2F%2Fevil.example%2Fa.json");
    assert!(matches!(read(&attributes, &page).expect_err("other site")[..], [ConfigError::Invalid { attribute: "data-src-param", .. }]));
}

#[test]
fn query_strings_decode_like_urlsearchparams() {
    assert_eq!(
        parse_query("?a=1&b=deux+mots&c=%C3%A9t%C3%A9&d&bad=%zz%2"),
        vec![
            ("a".into(), "1".into()),
            ("b".into(), "deux mots".into()),
            ("c".into(), "été".into()),
            ("d".into(), "".into()),
            ("bad".into(), "%zz%2".into())
        ]
    );
    assert!(parse_query("").is_empty());
}

#[test]
fn language_comes_from_the_attribute_then_the_article_then_the_page_then_french() {
    assert_eq!(choose_lang(Some(Lang::En), Some("fr"), Some("fr")), Lang::En);
    assert_eq!(choose_lang(None, Some("en-US"), Some("fr")), Lang::En);
    assert_eq!(choose_lang(None, Some("wo"), Some("en")), Lang::En, "an unsupported article language is skipped");
    assert_eq!(choose_lang(None, None, Some("EN-gb")), Lang::En);
    assert_eq!(choose_lang(None, None, Some("de")), Lang::Fr);
    assert_eq!(choose_lang(None, None, None), Lang::Fr);
}

#[test]
fn dates_use_the_most_specific_well_formed_tag_of_the_language() {
    assert_eq!(intl_locale(Lang::Fr, &[None, Some("fr-SN"), Some("fr")]), "fr-SN");
    assert_eq!(intl_locale(Lang::Fr, &[Some("en"), Some("fr_CI")]), "fr-CI");
    assert_eq!(intl_locale(Lang::En, &[Some("fr-SN"), Some("en-x-private-junk")]), "en");
    assert_eq!(intl_locale(Lang::Fr, &[Some("fr-\"><script>")]), "fr");
}

fn locale_file(name: &str) -> BTreeMap<String, String> {
    let path = format!("{}/locales/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("locale file")).expect("locale JSON")
}

#[test]
fn every_locale_key_exists_in_both_languages_with_the_same_placeholders() {
    let fr = locale_file("fr");
    let en = locale_file("en");
    assert_eq!(fr.keys().collect::<BTreeSet<_>>(), en.keys().collect::<BTreeSet<_>>());
    let placeholders = |s: &str| s.split('{').skip(1).filter_map(|r| r.split_once('}').map(|(n, _)| n.to_string())).collect::<BTreeSet<_>>();
    for (key, text) in &fr {
        assert_eq!(placeholders(text), placeholders(&en[key]), "{key}");
    }
    for key in Key::ALL {
        assert_eq!(Lang::Fr.text(key), fr[key.id()], "{}", key.id());
        assert_eq!(Lang::En.text(key), en[key.id()], "{}", key.id());
        assert_ne!(Lang::Fr.text(key), "", "{}", key.id());
    }
}

#[test]
fn placeholders_are_filled_once_and_values_are_never_read_as_placeholders() {
    assert_eq!(Lang::Fr.fill(Key::FormCounter, &[("count", "12"), ("max", "2 000")]), "12 / 2 000 caractères");
    assert_eq!(Lang::En.fill(Key::CommentsReplyTo, &[("name", "{name} {count}")]), "Reply to {name} {count}");
    assert_eq!(Lang::Fr.fill(Key::FormCounter, &[("count", "3")]), "3 / {max} caractères", "a placeholder without a value stays");
}
