//! The rules of a reply subscription: its states, what each link does to it, who gets a reply's
//! mail, and the tokens of the links (random; the database keeps only their SHA-256).

use base64::Engine as _;

/// Random bytes in a link's token: 256 bits, beyond guessing.
const TOKEN_BYTES: usize = 32;

/// Double opt-in: nothing is sent about replies until the address's owner confirms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubscriptionState {
    /// Asked for with a comment; the confirmation mail is (being) sent.
    Pending,
    Confirmed,
    Unsubscribed,
}

impl SubscriptionState {
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionState::Pending => "pending",
            SubscriptionState::Confirmed => "confirmed",
            SubscriptionState::Unsubscribed => "unsubscribed",
        }
    }

    pub fn parse(text: &str) -> Option<SubscriptionState> {
        match text {
            "pending" => Some(SubscriptionState::Pending),
            "confirmed" => Some(SubscriptionState::Confirmed),
            "unsubscribed" => Some(SubscriptionState::Unsubscribed),
            _ => None,
        }
    }
}

/// What a link of a mail does when its button is pressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkAction {
    Confirm,
    Unsubscribe,
}

/// The state a link leads to, or `None` when the link is no longer valid (already used, or the
/// subscription ended).
pub fn follow(state: SubscriptionState, action: LinkAction) -> Option<SubscriptionState> {
    match (state, action) {
        (SubscriptionState::Pending, LinkAction::Confirm) => Some(SubscriptionState::Confirmed),
        (SubscriptionState::Pending | SubscriptionState::Confirmed, LinkAction::Unsubscribe) => Some(SubscriptionState::Unsubscribed),
        (SubscriptionState::Confirmed | SubscriptionState::Unsubscribed, LinkAction::Confirm)
        | (SubscriptionState::Unsubscribed, LinkAction::Unsubscribe) => None,
    }
}

/// Whether an approved reply mails this subscriber: only once confirmed, and never about their
/// own reply (the same address, compared without case).
pub fn notifies(state: SubscriptionState, subscriber_email: &str, reply_author_email: Option<&str>) -> bool {
    let own_reply = reply_author_email.is_some_and(|author| author.trim().eq_ignore_ascii_case(subscriber_email.trim()));
    state == SubscriptionState::Confirmed && !own_reply
}

/// A link's token (base64url, for the mail) and its hash (for the database).
pub fn new_token() -> std::io::Result<(String, String)> {
    let bytes = crate::captcha::random_bytes(TOKEN_BYTES)?;
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// What the database keeps of a token: its SHA-256, hex (as for sessions and edit tokens).
pub use crate::accounts::token_hash;

#[cfg(test)]
mod tests {
    use super::*;
    use LinkAction::*;
    use SubscriptionState::*;

    #[test]
    fn a_subscription_is_confirmed_once_and_ends_once() {
        assert_eq!(follow(Pending, Confirm), Some(Confirmed));
        assert_eq!(follow(Confirmed, Confirm), None, "a confirmation link serves once");
        assert_eq!(follow(Confirmed, Unsubscribe), Some(Unsubscribed));
        assert_eq!(follow(Pending, Unsubscribe), Some(Unsubscribed), "one may refuse before confirming");
        assert_eq!(follow(Unsubscribed, Unsubscribe), None);
        assert_eq!(follow(Unsubscribed, Confirm), None, "an old confirmation link does not subscribe again");
        for state in [Pending, Confirmed, Unsubscribed] {
            assert_eq!(SubscriptionState::parse(state.as_str()), Some(state));
        }
    }

    #[test]
    fn only_confirmed_subscribers_hear_of_others_replies() {
        assert!(notifies(Confirmed, "awa@example.org", Some("moussa@example.org")));
        assert!(notifies(Confirmed, "awa@example.org", None));
        assert!(!notifies(Pending, "awa@example.org", Some("moussa@example.org")));
        assert!(!notifies(Unsubscribed, "awa@example.org", Some("moussa@example.org")));
        assert!(!notifies(Confirmed, "awa@example.org", Some(" Awa@Example.org ")), "not about one's own reply");
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (token, hash) = new_token().expect("random bytes");
        let (other, _) = new_token().expect("random bytes");
        assert_ne!(token, other);
        assert_eq!(token.len(), 43);
        assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "safe in a query string: {token}");
        assert_eq!(hash, token_hash(&token));
        assert_eq!(hash.len(), 64);
        assert_ne!(hash, token);
    }
}
