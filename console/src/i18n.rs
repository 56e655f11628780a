//! The console's strings in French and English: `locales/*.json`, turned into the [`Phrase`] enum
//! by the widget's generator (see `build.rs`), and the choice of language.

pub use kiosque::i18n::Lang;

include!(concat!(env!("OUT_DIR"), "/locale_keys.rs"));

pub fn text(lang: Lang, phrase: Phrase) -> &'static str {
    let table = match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    };
    // `Phrase` and both tables are generated together from the same sorted key list.
    table[phrase as usize]
}

/// The text of `phrase` with each `{name}` replaced by its value.
pub fn fill(lang: Lang, phrase: Phrase, values: &[(&str, &str)]) -> String {
    kiosque::i18n::fill_template(text(lang, phrase), values)
}

/// `?lang=` first, then the browser's languages in its order of preference, else French.
pub fn choose_lang(query: Option<&str>, browser: &[String]) -> Lang {
    query
        .and_then(Lang::from_tag)
        .or_else(|| browser.iter().find_map(|tag| Lang::from_tag(tag)))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phrase_in_both_languages() {
        for phrase in Phrase::ALL {
            assert!(!text(Lang::Fr, phrase).is_empty(), "{}", phrase.id());
            assert!(!text(Lang::En, phrase).is_empty(), "{}", phrase.id());
        }
    }

    #[test]
    fn language() {
        assert_eq!(choose_lang(None, &[]), Lang::Fr);
        assert_eq!(choose_lang(Some("en"), &["fr-FR".into()]), Lang::En);
        assert_eq!(choose_lang(Some("de"), &["de-DE".into(), "en-GB".into()]), Lang::En);
        assert_eq!(choose_lang(None, &["wo".into()]), Lang::Fr);
        assert_eq!(fill(Lang::En, Phrase::ErrorServer, &[("status", "502")]), "The server failed (HTTP 502). Try again.");
    }
}
