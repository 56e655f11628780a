//! Every word a subscriber reads (the mails and the confirmation pages), in French and English,
//! kept together so that a translation is one file. `{name}` and `{title}` are filled by
//! [`fill`], which never looks inside what it puts in. The languages are the widget's.

pub use kiosque::i18n::Lang;

/// A subscription's language as the API takes it and the database keeps it: `fr` or `en`.
pub fn lang_of_code(code: &str) -> Option<Lang> {
    match code {
        "fr" => Some(Lang::Fr),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The server's `--lang` (a BCP 47 tag such as `fr-SN` or `en-GB`): French unless English.
pub fn lang_of_tag(tag: &str) -> Lang {
    Lang::from_tag(tag).unwrap_or(Lang::Fr)
}

pub fn strings(lang: Lang) -> &'static NotificationStrings {
    match lang {
        Lang::Fr => &FRENCH,
        Lang::En => &ENGLISH,
    }
}

pub struct NotificationStrings {
    /// `{title}` in the language's quotation marks.
    pub quoted_title: &'static str,
    /// When the article is gone or has no headline.
    pub untitled: &'static str,
    pub confirm_subject: &'static str,
    pub confirm_intro: &'static str,
    pub confirm_link: &'static str,
    pub confirm_ignore: &'static str,
    pub reply_subject: &'static str,
    pub reply_intro: &'static str,
    pub reply_link: &'static str,
    pub unsubscribe_link: &'static str,
    pub page_confirm_title: &'static str,
    pub page_confirm_text: &'static str,
    pub page_confirm_button: &'static str,
    pub page_confirmed_title: &'static str,
    pub page_confirmed_text: &'static str,
    pub page_unsubscribe_title: &'static str,
    pub page_unsubscribe_text: &'static str,
    pub page_unsubscribe_button: &'static str,
    pub page_unsubscribed_title: &'static str,
    pub page_unsubscribed_text: &'static str,
    pub page_invalid_title: &'static str,
    pub page_invalid_text: &'static str,
}

pub static FRENCH: NotificationStrings = NotificationStrings {
    quoted_title: "«\u{a0}{title}\u{a0}»",
    untitled: "un article",
    confirm_subject: "Confirmez les avis de réponse à votre commentaire",
    confirm_intro: "Confirmez-vous vouloir recevoir un courriel quand quelqu’un répond à votre commentaire sur {title}\u{a0}?",
    confirm_link: "Pour confirmer, ouvrez ce lien\u{a0}:",
    confirm_ignore: "Si ce n’était pas vous, ignorez ce message\u{a0}: vous ne recevrez rien d’autre.",
    reply_subject: "Nouvelle réponse à votre commentaire sur {title}",
    reply_intro: "{name} a répondu à votre commentaire sur {title}\u{a0}:",
    reply_link: "Lire la réponse\u{a0}:",
    unsubscribe_link: "Ne plus recevoir ces courriels pour ce commentaire\u{a0}:",
    page_confirm_title: "Confirmer les avis de réponse",
    page_confirm_text: "Recevoir un courriel quand quelqu’un répond à votre commentaire sur {title}\u{a0}?",
    page_confirm_button: "Oui, m’avertir des réponses",
    page_confirmed_title: "C’est confirmé",
    page_confirmed_text: "Vous recevrez un courriel à chaque réponse publiée à votre commentaire sur {title}. Chaque courriel contient un lien pour vous désabonner.",
    page_unsubscribe_title: "Se désabonner",
    page_unsubscribe_text: "Ne plus recevoir de courriel quand quelqu’un répond à votre commentaire sur {title}\u{a0}?",
    page_unsubscribe_button: "Me désabonner",
    page_unsubscribed_title: "Vous êtes désabonné",
    page_unsubscribed_text: "Vous ne recevrez plus de courriel pour les réponses à votre commentaire sur {title}.",
    page_invalid_title: "Ce lien n’est plus valable",
    page_invalid_text: "Ce lien a déjà servi ou n’existe pas. Il n’y a rien d’autre à faire.",
};

pub static ENGLISH: NotificationStrings = NotificationStrings {
    quoted_title: "“{title}”",
    untitled: "an article",
    confirm_subject: "Confirm reply notifications for your comment",
    confirm_intro: "Please confirm you want an email when someone replies to your comment on {title}.",
    confirm_link: "To confirm, open this link:",
    confirm_ignore: "If it wasn’t you, ignore this message: you will receive nothing else.",
    reply_subject: "New reply to your comment on {title}",
    reply_intro: "{name} replied to your comment on {title}:",
    reply_link: "Read the reply:",
    unsubscribe_link: "Stop these emails for this comment:",
    page_confirm_title: "Confirm reply notifications",
    page_confirm_text: "Get an email when someone replies to your comment on {title}?",
    page_confirm_button: "Yes, notify me of replies",
    page_confirmed_title: "Confirmed",
    page_confirmed_text: "You will get an email for each reply published to your comment on {title}. Each email has a link to unsubscribe.",
    page_unsubscribe_title: "Unsubscribe",
    page_unsubscribe_text: "Stop getting emails when someone replies to your comment on {title}?",
    page_unsubscribe_button: "Unsubscribe",
    page_unsubscribed_title: "You are unsubscribed",
    page_unsubscribed_text: "You will get no more emails about replies to your comment on {title}.",
    page_invalid_title: "This link is no longer valid",
    page_invalid_text: "This link was already used or does not exist. There is nothing else to do.",
};

/// `template` with each `{key}` replaced by its value, in one pass (the widget's own rule: a
/// reader named `{title}` stays `{title}`).
pub use kiosque::i18n::fill_template as fill;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_filled_once() {
        assert_eq!(fill("{name} a répondu sur {title} :", &[("name", "{title}"), ("title", "«\u{a0}T\u{a0}»")]), "{title} a répondu sur «\u{a0}T\u{a0}» :");
        assert_eq!(fill("{unknown} {", &[("name", "x")]), "{unknown} {");
    }

    #[test]
    fn languages() {
        assert_eq!(lang_of_code("en"), Some(Lang::En));
        assert_eq!(lang_of_code("de"), None);
        assert_eq!(lang_of_code("en-GB"), None);
        assert_eq!(lang_of_tag("en-GB"), Lang::En);
        assert_eq!(lang_of_tag("fr-SN"), Lang::Fr);
        assert_eq!(lang_of_tag("wo"), Lang::Fr);
    }

    #[test]
    fn both_languages_fill_the_same_places() {
        let places = |strings: &NotificationStrings| {
            [strings.confirm_intro, strings.reply_subject, strings.reply_intro, strings.page_confirm_text, strings.page_unsubscribed_text]
                .map(|text| (text.contains("{title}"), text.contains("{name}")))
        };
        assert_eq!(places(&FRENCH), places(&ENGLISH));
    }
}
