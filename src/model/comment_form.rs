//! The comment form's state, without a browser: what the reader typed (the [`Draft`]), which
//! messages show, whether a request is on its way, what to send and what each answer changes.
//! The component (`src/components/comments/form.rs`) only wires it to inputs, storage and the
//! network; every rule here is tested natively (`tests/native_comment_form.rs`).

use super::comment::{validate, EmailPolicy, Field, NewComment};
use super::comments::{Comment, CreatedComment, Draft, Identity, Submission, SubmitOutcome};
use super::json_write::JsonObject;
use super::reader_actions::{ActionOutcome, OwnComment};
use crate::i18n::{Key, Lang};

/// The form's inputs, by the request field they fill (plus the reply target and the captcha).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    Text,
    Name,
    Email,
    Website,
    Parent,
    Captcha,
}

impl Input {
    /// Where keyboard focus goes first when several inputs have an error: the form's order.
    pub const ORDER: [Input; 6] = [Input::Parent, Input::Text, Input::Name, Input::Email, Input::Website, Input::Captcha];

    pub fn of_field(field: Field) -> Input {
        match field {
            Field::Text => Input::Text,
            Field::AuthorName => Input::Name,
            Field::AuthorEmail => Input::Email,
            Field::AuthorUrl => Input::Website,
        }
    }

    /// The input behind a field name of a `422 validation` answer.
    pub fn of_request_name(name: &str) -> Option<Input> {
        Some(match name {
            "text" => Input::Text,
            "author_name" => Input::Name,
            "author_email" => Input::Email,
            "author_url" => Input::Website,
            "parent" => Input::Parent,
            _ => return None,
        })
    }

    /// The end of the input's element id.
    pub fn slug(self) -> &'static str {
        match self {
            Input::Text => "text",
            Input::Name => "name",
            Input::Email => "email",
            Input::Website => "website",
            Input::Parent => "parent",
            Input::Captcha => "captcha",
        }
    }
}

/// The message for an API error code on an input.
pub fn error_message(lang: Lang, input: Input, code: &str) -> String {
    let max = |field: Field| field.max_chars().to_string();
    let key = match (input, code) {
        (Input::Text, "required") => Key::ErrorTextRequired,
        (Input::Name, "required") => Key::ErrorNameRequired,
        (Input::Email, "required") => Key::ErrorEmailRequired,
        (Input::Email, "invalid_email") => Key::ErrorEmailInvalid,
        (Input::Website, "invalid_url") => Key::ErrorWebsiteInvalid,
        (Input::Parent, "not_found") => Key::ErrorParentNotFound,
        (Input::Captcha, _) => Key::ErrorCaptchaRequired,
        (Input::Text, "too_long") => return lang.fill(Key::ErrorTextTooLong, &[("max", &max(Field::Text))]),
        (Input::Name, "too_long") => return lang.fill(Key::ErrorNameTooLong, &[("max", &max(Field::AuthorName))]),
        (Input::Email, "too_long") => return lang.fill(Key::ErrorEmailTooLong, &[("max", &max(Field::AuthorEmail))]),
        (Input::Website, "too_long") => return lang.fill(Key::ErrorWebsiteTooLong, &[("max", &max(Field::AuthorUrl))]),
        _ => Key::ErrorFieldInvalid,
    };
    lang.text(key).to_string()
}

/// The API's error code of each input that has one, in the order of [`Input`] (the summary lists
/// them so). A short list rather than a map: six inputs at most, and each map type costs
/// kilobytes of wasm.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InputErrors(Vec<(Input, String)>);

impl InputErrors {
    pub fn set(&mut self, input: Input, code: &str) {
        if let Some(entry) = self.0.iter_mut().find(|(other, _)| *other == input) {
            entry.1 = code.to_string();
            return;
        }
        let at = self.0.iter().position(|(other, _)| *other > input).unwrap_or(self.0.len());
        self.0.insert(at, (input, code.to_string()));
    }

    pub fn get(&self, input: Input) -> Option<&str> {
        self.0.iter().find(|(other, _)| *other == input).map(|(_, code)| code.as_str())
    }

    pub fn contains(&self, input: Input) -> bool {
        self.get(input).is_some()
    }

    pub fn remove(&mut self, input: Input) {
        self.0.retain(|(other, _)| *other != input);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (Input, &str)> {
        self.0.iter().map(|(input, code)| (*input, code.as_str()))
    }

    /// The first input, in the form's order, that has an error.
    pub fn first(&self) -> Option<Input> {
        Input::ORDER.into_iter().find(|input| self.contains(*input))
    }
}

/// Why the form shows a message above its button after a try.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormNotice {
    /// `422 rejected`, or a `422 validation` about nothing the form has.
    Rejected,
    Duplicate,
    /// The captcha failed (or the stub's score was too low to send at all).
    Captcha,
    Closed,
    RateLimited { retry_after_s: u64 },
    /// A server error, or an answer the widget cannot read: nothing was stored.
    ServerFailed { status: u16 },
    /// Editing: the time to change the comment is over (the edited text stays in the box).
    EditWindowClosed,
    /// Editing: the comment is gone, or this device may no longer change it.
    EditRefused,
    /// No answer: the reason (time-out, offline) is already in the reader's language.
    Unreachable { reason: String },
}

impl FormNotice {
    /// A failure the reader can retry as is.
    pub fn retry(&self) -> bool {
        matches!(self, FormNotice::RateLimited { .. } | FormNotice::ServerFailed { .. } | FormNotice::Unreachable { .. })
    }

    /// Refused: say how to reach the newsroom.
    pub fn contact(&self) -> bool {
        matches!(self, FormNotice::Rejected | FormNotice::Captcha)
    }
}

/// What the component must do after an answer, beyond showing the new state.
#[derive(Clone, Debug, PartialEq)]
pub enum AfterAnswer {
    /// Stored: show it in the list; the draft is gone; the identity is kept (`Some`, as stored
    /// JSON) or forgotten (`None`).
    Created { created: CreatedComment, identity: Option<String> },
    /// The reader's own comment, changed: show it so; the form is back to a new comment.
    Edited(Comment),
    /// Fields the server refused: focus this one.
    FocusError(Input),
    /// The captcha must be done again.
    ResetCaptcha,
    /// Comments closed while the reader wrote.
    Closed,
    /// Only the notice changed.
    Nothing,
}

/// Everything the form shows and sends.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormState {
    pub draft: Draft,
    /// "Se souvenir de moi": the identity is kept across articles.
    pub remember: bool,
    pub errors: InputErrors,
    /// The inputs the reader has been through: only their errors show before a first try.
    touched: Vec<Input>,
    /// After a try with errors: the summary above the form lists them all.
    pub summary: bool,
    pub sending: bool,
    pub notice: Option<FormNotice>,
    /// The pointer is pressed inside the form (see [`FormState::leave`]).
    pressed: bool,
    /// An input left while the pointer was pressed, checked at its release.
    waiting_blur: Option<Input>,
    /// "M'avertir des réponses": ask the server to email replies (needs an email address).
    pub notify: bool,
    /// Changing one of the reader's own comments instead of writing a new one.
    pub editing: Option<Editing>,
}

/// The reader's own comment being changed in the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Editing {
    pub own: OwnComment,
    /// The new comment the reader was writing, back in the form when the edit ends.
    stashed: Draft,
}

/// What the form adds to the draft when it sends it.
pub struct SendExtras<'a> {
    pub captcha: Option<(&'a str, String)>,
    pub honeypot: &'a str,
    pub elapsed_ms: u64,
    pub voter: Option<&'a str>,
    /// The reader's language, for the reply emails.
    pub lang: &'a str,
}

impl FormState {
    /// The stored draft, else an empty one with the remembered identity; `true` when a draft was
    /// restored. `fresh_key` becomes the idempotency key when the draft has none.
    pub fn restore(stored_draft: Option<&str>, stored_identity: Option<&str>, fresh_key: impl FnOnce() -> String) -> (FormState, bool) {
        let draft = stored_draft.and_then(Draft::from_json).filter(|draft| !draft.is_empty());
        let identity = stored_identity.and_then(Identity::from_json);
        let restored = draft.is_some();
        let mut draft = draft.unwrap_or_else(|| {
            let identity = identity.clone().unwrap_or_default();
            Draft { name: identity.name, email: identity.email, website: identity.website, ..Draft::default() }
        });
        if draft.idempotency_key.is_empty() {
            draft.idempotency_key = fresh_key();
        }
        (FormState { draft, remember: identity.is_some(), ..FormState::default() }, restored)
    }

    /// Every rule of the form, from the shared model (the server checks the same ones).
    pub fn check(&self, email_policy: EmailPolicy, captcha_done: bool) -> InputErrors {
        let input = NewComment {
            author_name: self.draft.name.clone(),
            author_email: Some(self.draft.email.clone()),
            author_url: Some(self.draft.website.clone()),
            text: self.draft.text.clone(),
        };
        let mut found = InputErrors::default();
        if let Err(fields) = validate(&input, email_policy) {
            for (field, code) in fields {
                found.set(Input::of_field(field), code.as_str());
            }
        }
        if self.editing.is_some() {
            // Only the text changes: the name, address and captcha were the published comment's.
            found.0.retain(|(input, _)| *input == Input::Text);
            return found;
        }
        if self.notify && self.draft.email.trim().is_empty() {
            // Replies are emailed: the address becomes necessary, whatever the site's policy.
            found.set(Input::Email, "required");
        }
        if !captcha_done {
            found.set(Input::Captcha, "required");
        }
        found
    }

    /// What the reader typed into a line or the text box (the reply target and captcha have none).
    pub fn value(&self, input: Input) -> &str {
        match input {
            Input::Text => &self.draft.text,
            Input::Name => &self.draft.name,
            Input::Email => &self.draft.email,
            Input::Website => &self.draft.website,
            Input::Parent | Input::Captcha => "",
        }
    }

    pub fn type_into(&mut self, input: Input, value: String) {
        match input {
            Input::Text => self.draft.text = value,
            Input::Name => self.draft.name = value,
            Input::Email => self.draft.email = value,
            Input::Website => self.draft.website = value,
            Input::Parent | Input::Captcha => {}
        }
    }

    pub fn press(&mut self) {
        self.pressed = true;
    }

    /// The pointer's release: an input left during the press is checked now. Returns whether the
    /// errors changed.
    pub fn release(&mut self, email_policy: EmailPolicy, captcha_done: bool) -> bool {
        self.pressed = false;
        match self.waiting_blur.take() {
            Some(input) => self.leave(input, email_policy, captcha_done),
            None => false,
        }
    }

    /// The reader left `input`: show the errors of the inputs they have been through, and no
    /// others. A press that moved the focus defers this to its release: a message inserted
    /// between press and release pushed the controls below (the submit button) away from the
    /// pointer, and the reader's click was lost; at the release the click's target is chosen.
    /// Returns whether the errors changed (re-rendering identical messages would replace the
    /// summary's links under the pointer).
    pub fn leave(&mut self, input: Input, email_policy: EmailPolicy, captcha_done: bool) -> bool {
        if self.pressed {
            self.waiting_blur = Some(input);
            return false;
        }
        if !self.touched.contains(&input) {
            self.touched.push(input);
        }
        let mut found = self.check(email_policy, captcha_done);
        found.0.retain(|(input, _)| self.touched.contains(input) && *input != Input::Captcha);
        if found == self.errors {
            return false;
        }
        self.errors = found;
        true
    }

    /// The captcha is done: its message goes.
    pub fn captcha_done(&mut self) {
        self.errors.remove(Input::Captcha);
    }

    pub fn cancel_reply(&mut self) {
        self.draft.reply_to = None;
        self.errors.remove(Input::Parent);
    }

    /// A try: with errors, every input counts as visited, the summary shows, and the first input
    /// with an error is returned for focus; without, the state is "sending".
    pub fn try_send(&mut self, email_policy: EmailPolicy, captcha_done: bool) -> Result<(), Input> {
        let found = self.check(email_policy, captcha_done);
        if let Some(first) = found.first() {
            self.touched = Input::ORDER.to_vec();
            self.errors = found;
            self.summary = true;
            return Err(first);
        }
        self.errors = InputErrors::default();
        self.summary = false;
        self.notice = None;
        self.sending = true;
        Ok(())
    }

    /// The draft as stored while the reader writes; `None` when nothing is worth keeping beyond
    /// the identity (which "remember me" governs): the stored draft is then removed. While an
    /// edit is under way, the new comment's draft it set aside is what stays stored.
    pub fn draft_to_store(&self) -> Option<String> {
        let draft = self.editing.as_ref().map_or(&self.draft, |editing| &editing.stashed);
        (!draft.text.trim().is_empty() || draft.reply_to.is_some()).then(|| draft.to_json())
    }

    /// The request's body: a new comment, or the edited text with the comment's edit token.
    pub fn request_body(&self, extras: SendExtras<'_>) -> String {
        if let Some(editing) = &self.editing {
            return JsonObject::new().text("edit_token", &editing.own.token).text("text", self.draft.text.trim()).finish();
        }
        let SendExtras { captcha, honeypot, elapsed_ms, voter, lang } = extras;
        let notify_lang = self.notify.then_some(lang);
        Submission { draft: &self.draft, captcha, honeypot, elapsed_ms, voter, notify_lang }.to_json()
    }

    /// The form takes `text` to change the reader's own comment; what they were writing waits.
    pub fn start_edit(&mut self, own: OwnComment, text: &str) {
        let stashed = self.editing.take().map_or_else(|| self.draft.clone(), |editing| editing.stashed);
        self.draft.text = text.to_string();
        self.draft.reply_to = None;
        self.editing = Some(Editing { own, stashed });
        self.errors = InputErrors::default();
        self.summary = false;
        self.notice = None;
    }

    /// The comment the new comment answers (the list's reply buttons); during an edit it goes to
    /// the draft set aside, which the edit gives back.
    pub fn set_reply_to(&mut self, target: Option<(String, String)>) {
        match &mut self.editing {
            Some(editing) => editing.stashed.reply_to = target,
            None => self.draft.reply_to = target,
        }
    }

    /// Back to the new comment the reader was writing.
    pub fn end_edit(&mut self) {
        if let Some(editing) = self.editing.take() {
            self.draft.text = editing.stashed.text;
            self.draft.reply_to = editing.stashed.reply_to;
            self.draft.idempotency_key = editing.stashed.idempotency_key;
        }
        self.errors = InputErrors::default();
        self.summary = false;
        self.notice = None;
        self.sending = false;
    }

    /// The server's answer to an edit.
    pub fn apply_edit(&mut self, outcome: ActionOutcome) -> AfterAnswer {
        self.sending = false;
        match outcome {
            ActionOutcome::Edited(comment) => {
                self.end_edit();
                AfterAnswer::Edited(comment)
            }
            ActionOutcome::Invalid(code) => {
                self.errors = InputErrors::default();
                self.errors.set(Input::Text, &code);
                self.summary = true;
                AfterAnswer::FocusError(Input::Text)
            }
            ActionOutcome::WindowClosed => self.notify_reader(FormNotice::EditWindowClosed),
            ActionOutcome::RateLimited { retry_after_s } => self.notify_reader(FormNotice::RateLimited { retry_after_s }),
            ActionOutcome::Failed { status } => self.notify_reader(FormNotice::ServerFailed { status }),
            _ => self.notify_reader(FormNotice::EditRefused),
        }
    }

    /// The server's answer. `fresh_key` is the next comment's idempotency key.
    pub fn apply(&mut self, outcome: SubmitOutcome, fresh_key: impl FnOnce() -> String) -> AfterAnswer {
        self.sending = false;
        match outcome {
            SubmitOutcome::Created(created) => {
                let identity = self.remember.then(|| {
                    Identity { name: self.draft.name.clone(), email: self.draft.email.clone(), website: self.draft.website.clone() }.to_json()
                });
                let kept = Draft {
                    name: std::mem::take(&mut self.draft.name),
                    email: std::mem::take(&mut self.draft.email),
                    website: std::mem::take(&mut self.draft.website),
                    ..Draft::default()
                };
                self.draft = if self.remember { kept } else { Draft::default() };
                self.draft.idempotency_key = fresh_key();
                self.touched.clear();
                AfterAnswer::Created { created: *created, identity }
            }
            SubmitOutcome::Invalid(fields) => {
                let mut found = InputErrors::default();
                for (name, code) in &fields {
                    if let Some(input) = Input::of_request_name(name) {
                        found.set(input, code);
                    }
                }
                match found.first() {
                    None => self.notify_reader(FormNotice::Rejected),
                    Some(first) => {
                        self.errors = found;
                        self.summary = true;
                        AfterAnswer::FocusError(first)
                    }
                }
            }
            SubmitOutcome::Duplicate => self.notify_reader(FormNotice::Duplicate),
            SubmitOutcome::Rejected => self.notify_reader(FormNotice::Rejected),
            SubmitOutcome::Captcha => {
                self.notice = Some(FormNotice::Captcha);
                AfterAnswer::ResetCaptcha
            }
            SubmitOutcome::Closed => {
                self.notice = Some(FormNotice::Closed);
                AfterAnswer::Closed
            }
            SubmitOutcome::RateLimited { retry_after_s } => self.notify_reader(FormNotice::RateLimited { retry_after_s }),
            SubmitOutcome::Failed { status } => self.notify_reader(FormNotice::ServerFailed { status }),
        }
    }

    /// The request got no answer; `reason` says why, in the reader's language.
    pub fn unreachable(&mut self, reason: String) {
        self.sending = false;
        self.notice = Some(FormNotice::Unreachable { reason });
    }

    /// The stub captcha's simulated score is too low: the server would refuse it, so nothing is sent.
    pub fn captcha_refused(&mut self) {
        self.sending = false;
        self.notice = Some(FormNotice::Captcha);
    }

    fn notify_reader(&mut self, notice: FormNotice) -> AfterAnswer {
        self.notice = Some(notice);
        AfterAnswer::Nothing
    }
}
