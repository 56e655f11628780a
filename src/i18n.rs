//! Reader-visible strings in French and English, and the choice of language for a widget.
//!
//! The strings themselves live in `locales/fr.json` and `locales/en.json`; `build.rs` turns them
//! into the [`Key`] enum, so every string used in code exists in both languages by construction.

include!(concat!(env!("OUT_DIR"), "/locale_keys.rs"));

/// A language the widget speaks. French first: it is the language of our first publishers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    /// The language of a BCP 47 tag such as `fr`, `fr-SN` or `en-GB`, when the widget speaks it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        if primary.eq_ignore_ascii_case("fr") {
            Some(Lang::Fr)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn text(self, key: Key) -> &'static str {
        let table = match self {
            Lang::Fr => &FR,
            Lang::En => &EN,
        };
        // `Key` and both tables are generated together from the same sorted key list.
        table[key as usize]
    }

    /// The mark between the whole and the decimal part of a number: "2,5" in French, "2.5" in English.
    pub fn decimal_separator(self) -> char {
        match self {
            Lang::Fr => ',',
            Lang::En => '.',
        }
    }

    /// The text of `key` with each `{name}` replaced by its value.
    pub fn fill(self, key: Key, values: &[(&str, &str)]) -> String {
        fill_template(self.text(key), values)
    }
}

/// `template` with each `{name}` replaced by its value.
pub fn fill_template(template: &str, values: &[(&str, &str)]) -> String {
    // One pass over the message: a value is never read for placeholders of its own (a
    // commenter named "{count}" stays so), and a placeholder without a value stays as it is.
    let mut rest = template;
    let mut text = String::with_capacity(rest.len());
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open]);
        rest = &rest[open..];
        let filled = rest.find('}').and_then(|close| {
            let name = &rest[1..close];
            values.iter().find(|(given, _)| *given == name).map(|(_, value)| (*value, close + 1))
        });
        let (piece, used) = filled.unwrap_or(("{", 1));
        text.push_str(piece);
        rest = &rest[used..];
    }
    text.push_str(rest);
    text
}

impl Lang {
    /// `one` or `other` for `count`: French treats 0 and 1 as singular ("0 commentaire"), English
    /// only 1 ("0 comments").
    pub fn plural(self, count: u64, one: Key, other: Key) -> Key {
        let singular = match self {
            Lang::Fr => count <= 1,
            Lang::En => count == 1,
        };
        if singular {
            one
        } else {
            other
        }
    }

    /// The text of the plural form of `count`, with `{count}` filled in.
    pub fn count(self, count: u64, one: Key, other: Key) -> String {
        self.fill(self.plural(count, one, other), &[("count", &count.to_string())])
    }
}

/// The widget's language: the host element's `data-lang`, else the article's `lang`, else the
/// page's `<html lang>`, else French. Tags in a language the widget does not speak are skipped.
pub fn choose_lang(attribute: Option<Lang>, article: Option<&str>, page: Option<&str>) -> Lang {
    attribute
        .or_else(|| article.and_then(Lang::from_tag))
        .or_else(|| page.and_then(Lang::from_tag))
        .unwrap_or_default()
}

/// The locale handed to the browser's `Intl` for dates: the most specific well-formed tag of the
/// chosen language among `candidates` (so `fr-SN` keeps Senegal's conventions), else the bare code.
pub fn intl_locale(lang: Lang, candidates: &[Option<&str>]) -> String {
    candidates
        .iter()
        .flatten()
        .map(|tag| tag.trim())
        .find(|tag| Lang::from_tag(tag) == Some(lang) && is_simple_language_tag(tag))
        .map(|tag| tag.replace('_', "-"))
        .unwrap_or_else(|| lang.code().to_string())
}

/// `language[-Script][-REGION]`: the subset of BCP 47 that `Intl` always accepts, so a malformed
/// tag from the network can never make the browser throw.
pub fn is_simple_language_tag(tag: &str) -> bool {
    let mut parts = tag.split(['-', '_']);
    let Some(language) = parts.next() else { return false };
    if !(2..=3).contains(&language.len()) || !language.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let rest: Vec<&str> = parts.collect();
    let is_script = |p: &str| p.len() == 4 && p.chars().all(|c| c.is_ascii_alphabetic());
    let is_region = |p: &str| {
        (p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
            || (p.len() == 3 && p.chars().all(|c| c.is_ascii_digit()))
    };
    match rest.as_slice() {
        [] => true,
        [one] => is_script(one) || is_region(one),
        [script, region] => is_script(script) && is_region(region),
        _ => false,
    }
}
