//! The comment rules the widget's form and the reference server share, one by one, and the pure
//! halves of the two captcha kinds.
#![cfg(not(target_arch = "wasm32"))]

use kiosque::model::comment::{
    altcha_hash, altcha_salt_expiry, altcha_solve, hex, is_email, validate, web_address, AltchaPayload, Code,
    EmailPolicy, Field, NewComment, StubToken, ValidComment, MAX_EMAIL_CHARS, MAX_NAME_CHARS, MAX_TEXT_CHARS,
    MAX_URL_CHARS, STUB_SCORE_THRESHOLD,
};
use kiosque::model::Milli;

fn good() -> NewComment {
    NewComment {
        author_name: "Awa Ndiaye".into(),
        author_email: Some("awa@example.org".into()),
        author_url: Some("https://awa.example/blog".into()),
        text: "Merci pour cet article.".into(),
    }
}

fn errors_of(input: &NewComment, policy: EmailPolicy) -> Vec<(Field, Code)> {
    match validate(input, policy) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().collect(),
    }
}

#[test]
fn a_complete_comment_is_valid_and_trimmed() {
    let input = NewComment {
        author_name: "  Awa Ndiaye \n".into(),
        author_email: Some(" awa@example.org ".into()),
        author_url: Some("\thttps://awa.example/blog ".into()),
        text: "\n  Première ligne.\n\nDeuxième ligne.  \n".into(),
    };
    assert_eq!(
        validate(&input, EmailPolicy::Required),
        Ok(ValidComment {
            author_name: "Awa Ndiaye".into(),
            author_email: Some("awa@example.org".into()),
            author_url: Some("https://awa.example/blog".into()),
            text: "Première ligne.\n\nDeuxième ligne.".into(),
        })
    );
}

#[test]
fn name_and_text_are_required_and_whitespace_only_counts_as_empty() {
    for blank in ["", " ", "\n\t  \r\n", "\u{a0}\u{2003}"] {
        let input = NewComment { author_name: blank.into(), text: blank.into(), ..good() };
        assert_eq!(
            errors_of(&input, EmailPolicy::Required),
            vec![(Field::AuthorName, Code::Required), (Field::Text, Code::Required)],
            "{blank:?}"
        );
    }
}

#[test]
fn every_broken_field_is_reported_at_once() {
    let input = NewComment {
        author_name: String::new(),
        author_email: Some("pas une adresse".into()),
        author_url: Some("javascript:alert(1)".into()),
        text: "x".repeat(MAX_TEXT_CHARS + 1),
    };
    assert_eq!(
        errors_of(&input, EmailPolicy::Required),
        vec![
            (Field::AuthorName, Code::Required),
            (Field::AuthorEmail, Code::InvalidEmail),
            (Field::AuthorUrl, Code::InvalidUrl),
            (Field::Text, Code::TooLong),
        ]
    );
}

#[test]
fn email_is_required_or_optional_by_policy() {
    for missing in [None, Some(String::new()), Some("   ".to_string())] {
        let input = NewComment { author_email: missing.clone(), ..good() };
        assert_eq!(errors_of(&input, EmailPolicy::Required), vec![(Field::AuthorEmail, Code::Required)]);
        let valid = validate(&input, EmailPolicy::Optional);
        assert_eq!(valid.map(|v| v.author_email), Ok(None), "{missing:?}");
    }
    // Optional still means checked when given.
    let input = NewComment { author_email: Some("awa@".into()), ..good() };
    assert_eq!(errors_of(&input, EmailPolicy::Optional), vec![(Field::AuthorEmail, Code::InvalidEmail)]);
    assert_eq!(EmailPolicy::default(), EmailPolicy::Required);
}

#[test]
fn the_url_is_optional() {
    for missing in [None, Some(String::new()), Some(" \n ".to_string())] {
        let input = NewComment { author_url: missing, ..good() };
        assert_eq!(validate(&input, EmailPolicy::Required).map(|v| v.author_url), Ok(None));
    }
}

#[test]
fn limits_count_characters_not_bytes() {
    // "é" is two bytes in UTF-8, "🙂" four: the limits are what a reader counts.
    let cases = [
        (Field::AuthorName, MAX_NAME_CHARS, "é"),
        (Field::Text, MAX_TEXT_CHARS, "🙂"),
    ];
    for (field, max, unit) in cases {
        let at_limit = unit.repeat(max);
        let over = unit.repeat(max + 1);
        let with = |value: &str| match field {
            Field::AuthorName => NewComment { author_name: value.into(), ..good() },
            _ => NewComment { text: value.into(), ..good() },
        };
        assert!(validate(&with(&at_limit), EmailPolicy::Required).is_ok(), "{field:?} at the limit");
        assert_eq!(errors_of(&with(&over), EmailPolicy::Required), vec![(field, Code::TooLong)]);
        // Whitespace around the value is not counted.
        assert!(validate(&with(&format!("  {at_limit}\n")), EmailPolicy::Required).is_ok());
    }
    assert_eq!(MAX_NAME_CHARS, 100);
    assert_eq!(MAX_TEXT_CHARS, 5000);
    assert_eq!(MAX_EMAIL_CHARS, 254);
    assert_eq!(MAX_URL_CHARS, 2000);
}

#[test]
fn email_and_url_limits() {
    // 64 + 1 + (63 + 1 + 63 + 1 + 53 + 1 + 7) = 254 characters.
    let email = |last_label: usize| format!("{}@{}.{}.{}.example", "a".repeat(64), "b".repeat(63), "c".repeat(63), "d".repeat(last_label));
    assert_eq!(email(53).chars().count(), MAX_EMAIL_CHARS);
    let input = NewComment { author_email: Some(email(53)), ..good() };
    assert!(validate(&input, EmailPolicy::Required).is_ok());
    let input = NewComment { author_email: Some(email(54)), ..good() };
    assert_eq!(errors_of(&input, EmailPolicy::Required), vec![(Field::AuthorEmail, Code::TooLong)]);
    // The parts have their own limits: 64 before the @, 63 per label.
    assert!(!is_email(&format!("{}@example.org", "a".repeat(65))));
    assert!(!is_email(&format!("a@{}.org", "b".repeat(64))));

    let url_at_limit = format!("https://example.org/{}", "p".repeat(MAX_URL_CHARS - "https://example.org/".len()));
    assert_eq!(url_at_limit.chars().count(), MAX_URL_CHARS);
    let input = NewComment { author_url: Some(url_at_limit.clone()), ..good() };
    assert!(validate(&input, EmailPolicy::Required).is_ok());
    let input = NewComment { author_url: Some(format!("{url_at_limit}p")), ..good() };
    assert_eq!(errors_of(&input, EmailPolicy::Required), vec![(Field::AuthorUrl, Code::TooLong)]);
}

#[test]
fn email_format() {
    for ok in ["a@b.co", "awa.ndiaye+kiosque@example.org", "x@sous.domaine.example.sn", "élodie@exemple.fr", "a@bücher.example", "a@b-c.example"] {
        assert!(is_email(ok), "{ok} should be accepted");
    }
    for bad in [
        "awa",
        "awa@",
        "@example.org",
        "awa@example",
        "awa@@example.org",
        "awa@exa@mple.org",
        "awa ndiaye@example.org",
        "awa@example..org",
        "awa@.example.org",
        "awa@example.org.",
        "awa@-example.org",
        "awa@example-.org",
        "awa@exa_mple.org",
        "<awa>@example.org",
        "awa\n@example.org",
        "Awa Ndiaye <awa@example.org>",
    ] {
        assert!(!is_email(bad), "{bad:?} should be refused");
        let input = NewComment { author_email: Some(bad.into()), ..good() };
        assert_eq!(errors_of(&input, EmailPolicy::Optional), vec![(Field::AuthorEmail, Code::InvalidEmail)], "{bad:?}");
    }
}

#[test]
fn url_must_be_absolute_http_or_https_with_a_host() {
    for (raw, stored) in [
        ("https://awa.example", "https://awa.example"),
        ("http://awa.example/blog?x=1#y", "http://awa.example/blog?x=1#y"),
        ("HTTPS://AWA.EXAMPLE", "HTTPS://AWA.EXAMPLE"),
        ("https://user@awa.example:8443/", "https://user@awa.example:8443/"),
        // Read as a browser reads it: tabs and line breaks dropped.
        ("https://awa.\texample/\nblog", "https://awa.example/blog"),
    ] {
        assert_eq!(web_address(raw).as_deref(), Some(stored), "{raw:?}");
    }
    for bad in [
        "javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<b>x</b>",
        "mailto:awa@example.org",
        "ftp://awa.example",
        "/relatif",
        "awa.example",
        "//awa.example",
        "https://",
        "https:///chemin",
        "https://:8080/",
        "https://awa example.org",
        "\\\\awa.example",
    ] {
        assert_eq!(web_address(bad), None, "{bad:?} should be refused");
        let input = NewComment { author_url: Some(bad.into()), ..good() };
        assert_eq!(errors_of(&input, EmailPolicy::Required), vec![(Field::AuthorUrl, Code::InvalidUrl)], "{bad:?}");
    }
}

#[test]
fn codes_and_field_names_are_the_api_strings() {
    let codes = [Code::Required, Code::TooLong, Code::InvalidEmail, Code::InvalidUrl].map(Code::as_str);
    assert_eq!(codes, ["required", "too_long", "invalid_email", "invalid_url"]);
    assert_eq!(Code::TooLong.to_string(), "too_long");
    let fields = [Field::AuthorName, Field::AuthorEmail, Field::AuthorUrl, Field::Text].map(Field::name);
    assert_eq!(fields, ["author_name", "author_email", "author_url", "text"]);
}

#[test]
fn text_is_kept_as_text() {
    let input = NewComment { text: "<script>alert(1)</script> &amp; <b>gras</b>".into(), ..good() };
    assert_eq!(
        validate(&input, EmailPolicy::Required).map(|v| v.text),
        Ok("<script>alert(1)</script> &amp; <b>gras</b>".to_string())
    );
}

#[test]
fn stub_tokens_parse_and_pass_from_the_threshold() {
    let token = StubToken::parse("stub:1763800200000:k3f9a2:0.9");
    assert_eq!(token, Some(StubToken { timestamp_ms: 1_763_800_200_000, random: "k3f9a2".into(), score: Milli(900) }));
    assert!(token.is_some_and(|t| t.passes()));
    assert_eq!(STUB_SCORE_THRESHOLD, Milli(500));
    for (score, passes) in [("0.5", true), ("1", true), ("1.0", true), ("0.49", false), ("0", false), ("0.0", false)] {
        let token = StubToken::parse(&format!("stub:1:r-_Z9:{score}"));
        assert_eq!(token.map(|t| t.passes()), Some(passes), "{score}");
    }
    let round_trip = StubToken { timestamp_ms: 42, random: "abc".into(), score: Milli(750) };
    assert_eq!(StubToken::parse(&round_trip.to_string()), Some(round_trip));
}

#[test]
fn malformed_stub_tokens_are_refused() {
    for bad in [
        "",
        "stub",
        "stub:1:r",
        "stub:1:r:0.9:extra",
        "STUB:1:r:0.9",
        "pow:1:r:0.9",
        "stub::r:0.9",
        "stub:-1:r:0.9",
        "stub:12a:r:0.9",
        "stub:1::0.9",
        "stub:1:r r:0.9",
        "stub:1:r!:0.9",
        "stub:1:r:",
        "stub:1:r:1.5",
        "stub:1:r:-0.5",
        "stub:1:r:+0.9",
        "stub:1:r:.9",
        "stub:1:r:0.",
        "stub:1:r:1e0",
        "stub:1:r:NaN",
        "stub:1:r:inf",
        // Finer than a thousandth: refused, never rounded up to the threshold or down to 1.
        "stub:1:r:0.4996",
        "stub:1:r:1.0001",
        "stub:99999999999999999999999:r:0.9",
    ] {
        assert_eq!(StubToken::parse(bad), None, "{bad:?}");
    }
    let long_random = format!("stub:1:{}:0.9", "r".repeat(65));
    assert_eq!(StubToken::parse(&long_random), None);
    assert!(StubToken::parse(&format!("stub:1:{}:0.9", "r".repeat(64))).is_some());
}

/// Computed independently with Python's hashlib (docs/api.md, "Captcha").
const VECTOR_SALT: &str = "0123456789abcdef?expires=4102444800&";
const VECTOR_NUMBER: u64 = 4242;
const VECTOR_CHALLENGE: &str = "de90e4e4edfb76c9b2405ebbbd9e4ab5c893e83dd17ae2f723cbd03ea7d702f4";

#[test]
fn altcha_hash_matches_the_documented_vector() {
    assert_eq!(altcha_hash(VECTOR_SALT, VECTOR_NUMBER), VECTOR_CHALLENGE);
    // SHA-256 of the empty string, a well-known value: the hashing itself is standard.
    assert_eq!(altcha_hash("", 0), "5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9");
    assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
}

#[test]
fn altcha_solve_finds_the_number() {
    assert_eq!(altcha_solve(VECTOR_SALT, VECTOR_CHALLENGE, 10_000), Some(VECTOR_NUMBER));
    assert_eq!(altcha_solve(VECTOR_SALT, VECTOR_CHALLENGE, 4241), None);
}

#[test]
fn altcha_salt_expiry_is_read_from_its_query() {
    assert_eq!(altcha_salt_expiry(VECTOR_SALT), Some(4_102_444_800));
    assert_eq!(altcha_salt_expiry("abc?foo=1&expires=17&"), Some(17));
    assert_eq!(altcha_salt_expiry("abc?expires=17"), Some(17));
    for bad in ["abc", "abc?", "abc?expires=&", "abc?expires=x1&", "abc?expires=-1&", "abc?notexpires=1&"] {
        assert_eq!(altcha_salt_expiry(bad), None, "{bad}");
    }
}

#[test]
fn altcha_payload_round_trips_through_json() {
    let payload = AltchaPayload {
        algorithm: "SHA-256".into(),
        challenge: VECTOR_CHALLENGE.into(),
        number: VECTOR_NUMBER,
        salt: VECTOR_SALT.into(),
        signature: "84eb93858a01c847176b80d18c9daa23f79403210b6dcccd3c63fedfe1f5d200".into(),
        took: Some(812),
    };
    assert_eq!(AltchaPayload::from_json(&payload.to_json()), Some(payload.clone()));
    let without_took = r#"{"algorithm":"SHA-256","challenge":"c","number":1,"salt":"s","signature":"x"}"#;
    assert_eq!(AltchaPayload::from_json(without_took).map(|p| p.took), Some(None));
    for bad in [
        "",
        "[]",
        r#"{"algorithm":"SHA-256","challenge":"c","number":"1","salt":"s","signature":"x"}"#,
        r#"{"algorithm":"SHA-256","challenge":"c","number":-1,"salt":"s","signature":"x"}"#,
        r#"{"algorithm":"SHA-256","challenge":"c","number":1,"salt":"s"}"#,
    ] {
        assert_eq!(AltchaPayload::from_json(bad), None, "{bad}");
    }
}
