//! "Laisser un commentaire": the form, its validation, its draft and its submission.
//!
//! The draft (text, name, email, website, reply target, idempotency key) is written to the
//! browser's storage as the reader types and removed only when the server has stored the comment,
//! so a failed submit, a reload or a crash loses nothing. The idempotency key makes every retry of
//! the same draft safe: the server stores it at most once.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::captcha::{captcha_view, Captcha};
use crate::api::post_json;
use crate::config::{CaptchaKind, CommentSettings};
use crate::i18n::{Key, Lang};
use crate::model::comment::{validate, EmailPolicy, Field, NewComment, MAX_TEXT_CHARS};
use crate::model::comments::{submit_outcome, Comment, Draft, Identity, SubmitOutcome, Submission};
use crate::model::Link;
use crate::web::{self, storage};

/// Faster than this, the server takes a submission for a robot's: wait out the rest instead.
const MIN_ELAPSED_MS: i64 = 3_000;
/// How long typing may pause before the draft is written to storage.
const DRAFT_SAVE_DELAY_MS: u32 = 300;
const IDENTITY_KEY: &str = "kiosque:identity";

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
    const ORDER: [Input; 6] = [Input::Parent, Input::Text, Input::Name, Input::Email, Input::Website, Input::Captcha];

    fn of_field(field: Field) -> Input {
        match field {
            Field::Text => Input::Text,
            Field::AuthorName => Input::Name,
            Field::AuthorEmail => Input::Email,
            Field::AuthorUrl => Input::Website,
        }
    }

    fn of_request_name(name: &str) -> Option<Input> {
        Some(match name {
            "text" => Input::Text,
            "author_name" => Input::Name,
            "author_email" => Input::Email,
            "author_url" => Input::Website,
            "parent" => Input::Parent,
            _ => return None,
        })
    }

    fn slug(self) -> &'static str {
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

/// The form's error messages by input, in the order of [`Input`] (the summary lists them so). A
/// short list rather than a map: six inputs at most, and each map type costs kilobytes of wasm.
#[derive(Clone, Debug, Default, PartialEq)]
struct Messages(Vec<(Input, String)>);

impl Messages {
    fn set(&mut self, input: Input, message: String) {
        if let Some(entry) = self.0.iter_mut().find(|(other, _)| *other == input) {
            entry.1 = message;
            return;
        }
        let at = self.0.iter().position(|(other, _)| *other > input).unwrap_or(self.0.len());
        self.0.insert(at, (input, message));
    }

    fn get(&self, input: Input) -> Option<&String> {
        self.0.iter().find(|(other, _)| *other == input).map(|(_, message)| message)
    }

    fn contains(&self, input: Input) -> bool {
        self.get(input).is_some()
    }

    fn remove(&mut self, input: Input) {
        self.0.retain(|(other, _)| *other != input);
    }

    fn retain(&mut self, keep: impl Fn(Input) -> bool) {
        self.0.retain(|(input, _)| keep(*input));
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(Input, String)> for Messages {
    fn from_iter<I: IntoIterator<Item = (Input, String)>>(items: I) -> Messages {
        let mut messages = Messages::default();
        for (input, message) in items {
            messages.set(input, message);
        }
        messages
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

/// A message above the submit button, after a try.
#[derive(Clone, Debug, PartialEq)]
struct Notice {
    text: String,
    /// A failure the reader can retry (network, server error, rate limit).
    retry: bool,
    /// The captcha failed or the comment was refused: say how to reach the newsroom.
    contact: bool,
}

/// What the form needs from its section.
#[derive(Clone)]
pub struct FormContext {
    pub lang: Lang,
    pub id_prefix: String,
    /// The level of the form's title (one below the comments' heading).
    pub heading_level: u8,
    pub article_id: String,
    pub post_url: String,
    pub timeout_ms: u32,
    pub settings: CommentSettings,
    /// The site, for "contact the newsroom".
    pub site: Option<Link>,
    pub reply_to: RwSignal<Option<(String, String)>>,
    /// Called with each comment the server stored.
    pub on_created: Callback<Comment>,
    /// Called when the server says comments are closed.
    pub on_closed: Callback<()>,
}

#[component]
pub fn CommentForm(context: FormContext) -> impl IntoView {
    let lang = context.lang;
    let prefix = StoredValue::new(context.id_prefix.clone());
    let id = move |input: Input| prefix.with_value(|prefix| format!("{prefix}-{}", input.slug()));
    let trap_id = prefix.with_value(|prefix| format!("{prefix}-homepage"));
    let draft_key = format!("kiosque:draft:{}", context.article_id);
    let captcha = Captcha::new(&context.settings, context.timeout_ms);
    let email_policy = context.settings.email;
    let reply_to = context.reply_to;

    // Restore a draft, else the remembered identity.
    let stored = storage::get(&draft_key).and_then(|json| Draft::from_json(&json)).filter(|d| !d.is_empty());
    let identity = storage::get(IDENTITY_KEY).and_then(|json| Identity::from_json(&json));
    let restored = stored.is_some();
    let mut draft = stored.unwrap_or_else(|| {
        let identity = identity.clone().unwrap_or_default();
        Draft { name: identity.name, email: identity.email, website: identity.website, ..Draft::default() }
    });
    if draft.idempotency_key.is_empty() {
        draft.idempotency_key = web::random_uuid();
    }
    if draft.reply_to.is_some() {
        reply_to.set(draft.reply_to.clone());
    }
    let text = RwSignal::new(draft.text);
    let name = RwSignal::new(draft.name);
    let email = RwSignal::new(draft.email);
    let website = RwSignal::new(draft.website);
    let remember = RwSignal::new(identity.is_some());
    let honeypot = RwSignal::new(String::new());
    let idempotency_key = StoredValue::new(draft.idempotency_key);
    let shown_at = StoredValue::new(web::now_ms());

    let errors = RwSignal::new(Messages::default());
    let touched = RwSignal::new(Vec::<Input>::new());
    let summary = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let notice = RwSignal::new(None::<Notice>);
    let announcement = RwSignal::new(if restored { lang.text(Key::FormDraftRestored).to_string() } else { String::new() });
    let draft_key = StoredValue::new(draft_key);
    let save_timer = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);

    let current_draft = move || Draft {
        text: text.get_untracked(),
        name: name.get_untracked(),
        email: email.get_untracked(),
        website: website.get_untracked(),
        reply_to: reply_to.get_untracked(),
        idempotency_key: idempotency_key.get_value(),
    };
    let save_now = move || {
        // A pending save may fire after the form was replaced; its last save already ran on blur.
        if text.is_disposed() {
            return;
        }
        let draft = current_draft();
        let key = draft_key.get_value();
        if draft.text.trim().is_empty() && draft.reply_to.is_none() {
            // Nothing worth keeping beyond the identity (which "remember me" governs).
            storage::remove(&key);
        } else {
            storage::set(&key, &draft.to_json());
        }
    };
    let save_soon = move || {
        let timer = gloo_timers::callback::Timeout::new(DRAFT_SAVE_DELAY_MS, save_now);
        // Replacing the previous timer cancels it: only the last keystroke's save runs.
        save_timer.set_value(Some(timer));
    };
    // The reply target is part of the draft too.
    Effect::new(move |first: Option<()>| {
        reply_to.track();
        if first.is_some() {
            save_now();
        }
    });

    // A message asking for the captcha goes as soon as the reader has done it.
    Effect::new(move |_| {
        if captcha.track_satisfied() && errors.with_untracked(|e| e.contains(Input::Captcha)) {
            errors.update(|e| {
                e.remove(Input::Captcha);
            });
        }
    });

    // Every rule of the form, from the shared model (the server checks the same ones).
    let check = move || -> Messages {
        let input = NewComment {
            author_name: name.get_untracked(),
            author_email: Some(email.get_untracked()),
            author_url: Some(website.get_untracked()),
            text: text.get_untracked(),
        };
        let mut found: Messages = match validate(&input, email_policy) {
            Ok(_) => Messages::default(),
            Err(fields) => fields
                .into_iter()
                .map(|(field, code)| (Input::of_field(field), error_message(lang, Input::of_field(field), code.as_str())))
                .collect(),
        };
        if !captcha.is_satisfied() {
            found.set(Input::Captcha, error_message(lang, Input::Captcha, "required"));
        }
        found
    };
    // A blur's message waits for the release of the press that moved the focus: inserted
    // between press and release, it pushed the controls below (the submit button) away from the
    // pointer, and the reader's click was lost. At the release the click's target is already
    // chosen. Taps go through the same mouse events. A press released outside the form holds the
    // message until the next release inside it: listening on the window instead cost 1.3 KB of
    // wasm (brotli), measured.
    let pressed = StoredValue::new(false);
    let blur_waiting = StoredValue::new(None::<Input>);
    // On blur: show the errors of the fields the reader has been through, and no others.
    let on_blur = move |input: Input| {
        if pressed.get_value() {
            blur_waiting.set_value(Some(input));
            save_now();
            return;
        }
        touched.update(|list| {
            if !list.contains(&input) {
                list.push(input);
            }
        });
        let shown = touched.get_untracked();
        let mut found = check();
        found.retain(|input| shown.contains(&input) && input != Input::Captcha);
        // Re-rendering identical messages would replace the summary's links under the pointer.
        if errors.with_untracked(|current| *current != found) {
            errors.set(found);
        }
        save_now();
    };
    let focus_first_error = move |found: &Messages| {
        if let Some(first) = Input::ORDER.iter().find(|input| found.contains(**input)) {
            web::focus_when_rendered(id(*first));
        }
    };

    let contact = context.site.clone();
    let post_url = StoredValue::new(context.post_url.clone());
    let timeout_ms = context.timeout_ms;
    let on_created = context.on_created;
    let on_closed = context.on_closed;
    let captcha_kind = captcha.kind;
    let stub_score = context.settings.captcha_score;

    let send = move || {
        if sending.get_untracked() {
            return;
        }
        let found = check();
        if !found.is_empty() {
            // After a try, every field counts as visited: leaving one keeps its message.
            touched.set(Input::ORDER.to_vec());
            errors.set(found.clone());
            summary.set(true);
            focus_first_error(&found);
            return;
        }
        errors.set(Messages::default());
        summary.set(false);
        notice.set(None);
        if captcha_kind == CaptchaKind::Stub && !captcha.stub_token().passes() {
            // The simulated score is too low: the server would refuse it, so do not send at all.
            web::warn(&format!("Kiosque: stub captcha score {stub_score} is below the threshold"));
            notice.set(Some(Notice { text: lang.text(Key::SubmitCaptcha).into(), retry: false, contact: true }));
            captcha.reset();
            return;
        }
        sending.set(true);
        save_now();
        spawn_local(async move {
            let elapsed = web::now_ms() - shown_at.get_value();
            if elapsed < MIN_ELAPSED_MS {
                web::sleep_ms((MIN_ELAPSED_MS - elapsed + 50) as u32).await;
                if sending.is_disposed() {
                    return;
                }
            }
            let draft = current_draft();
            let honeypot_value = honeypot.get_untracked();
            let body = Submission {
                draft: &draft,
                captcha: captcha.request_value(),
                honeypot: &honeypot_value,
                elapsed_ms: (web::now_ms() - shown_at.get_value()).max(0) as u64,
            }
            .to_json();
            let answer = post_json(&post_url.get_value(), body, timeout_ms).await;
            // The reader may have moved to another article meanwhile: the draft is saved, the form
            // is gone, and the server's answer has nowhere to go.
            if sending.is_disposed() {
                return;
            }
            sending.set(false);
            let outcome = match answer {
                Ok(answer) => submit_outcome(answer.status, &answer.body, answer.retry_after.as_deref()),
                Err(error) => {
                    let reason = error.message(lang);
                    notice.set(Some(Notice { text: lang.fill(Key::SubmitFailed, &[("reason", reason.trim_end_matches('.'))]), retry: true, contact: false }));
                    return;
                }
            };
            match outcome {
                SubmitOutcome::Created(comment) => {
                    storage::remove(&draft_key.get_value());
                    if remember.get_untracked() {
                        let identity = Identity { name: draft.name.clone(), email: draft.email.clone(), website: draft.website.clone() };
                        storage::set(IDENTITY_KEY, &identity.to_json());
                    } else {
                        storage::remove(IDENTITY_KEY);
                        name.set(String::new());
                        email.set(String::new());
                        website.set(String::new());
                    }
                    text.set(String::new());
                    reply_to.set(None);
                    touched.set(Vec::new());
                    idempotency_key.set_value(web::random_uuid());
                    shown_at.set_value(web::now_ms());
                    captcha.reset();
                    storage::remove(&draft_key.get_value());
                    announcement.set(lang.text(if comment.pending { Key::SubmitPending } else { Key::SubmitPublished }).into());
                    on_created.run(comment);
                }
                SubmitOutcome::Invalid(fields) => {
                    let found: Messages = fields
                        .iter()
                        .filter_map(|(field, code)| Input::of_request_name(field).map(|input| (input, error_message(lang, input, code))))
                        .collect();
                    if found.is_empty() {
                        notice.set(Some(Notice { text: lang.text(Key::SubmitRejected).into(), retry: false, contact: true }));
                    } else {
                        errors.set(found.clone());
                        summary.set(true);
                        focus_first_error(&found);
                    }
                }
                SubmitOutcome::Duplicate => {
                    notice.set(Some(Notice { text: lang.text(Key::SubmitDuplicate).into(), retry: false, contact: false }));
                }
                SubmitOutcome::Rejected => {
                    notice.set(Some(Notice { text: lang.text(Key::SubmitRejected).into(), retry: false, contact: true }));
                }
                SubmitOutcome::Captcha => {
                    captcha.reset();
                    notice.set(Some(Notice { text: lang.text(Key::SubmitCaptcha).into(), retry: false, contact: true }));
                }
                SubmitOutcome::Closed => {
                    notice.set(Some(Notice { text: lang.text(Key::SubmitClosed).into(), retry: false, contact: false }));
                    on_closed.run(());
                }
                SubmitOutcome::RateLimited { retry_after_s } => {
                    let seconds = retry_after_s.to_string();
                    notice.set(Some(Notice { text: lang.fill(Key::SubmitRateLimited, &[("seconds", &seconds)]), retry: true, contact: false }));
                }
                SubmitOutcome::Failed { status } => {
                    let reason = crate::api::FetchError::Status(status).message(lang);
                    notice.set(Some(Notice { text: lang.fill(Key::SubmitFailed, &[("reason", reason.trim_end_matches('.'))]), retry: true, contact: false }));
                }
            }
        });
    };

    let field_error = move |input: Input| Signal::derive(move || errors.with(|e| e.get(input).cloned()));
    let described = move |input: Input, hint: Option<String>| {
        let error_id = format!("{}-error", id(input));
        move || described_by(hint.as_deref(), errors.with(|e| e.contains(input)).then_some(error_id.as_str()))
    };
    let error_line = move |input: Input| {
        let error_id = format!("{}-error", id(input));
        move || field_error(input).get().map(|message| view! { <p class="kq-field__error" id=error_id.clone()>{message}</p> })
    };
    let invalid = move |input: Input| move || errors.with(|e| e.contains(input)).then_some("true");
    let required_mark = || view! { <span class="kq-required" aria-hidden="true">" *"</span> };
    let on_edit = Callback::new(move |()| save_soon());
    let on_leave = Callback::new(move |input: Input| on_blur(input));
    let on_release = move || {
        pressed.set_value(false);
        if let Some(input) = blur_waiting.get_value() {
            blur_waiting.set_value(None);
            // Through the callback: one copy of the validation's code for both (0.6 KB, measured).
            on_leave.run(input);
        }
    };
    let counter_id = format!("{}-counter", id(Input::Text));
    let form_title_id = format!("{}-form-title", context.id_prefix);
    let email_required = email_policy == EmailPolicy::Required;

    view! {
        <form
            class="kq-form"
            aria-labelledby=form_title_id.clone()
            novalidate
            on:mousedown=move |_| pressed.set_value(true)
            on:mouseup=move |_| on_release()
            on:submit=move |event| {
                event.prevent_default();
                send();
            }
        >
            {super::super::inline::heading(
                context.heading_level,
                "kq-form__title",
                Some(form_title_id.clone()),
                lang.text(Key::FormTitle).into_any(),
            )}
            <p class="kq-form__note">{lang.text(Key::FormRequiredNote)}</p>
            <Show when=move || summary.get() && errors.with(|e| !e.is_empty())>
                <div class="kq-form__summary" role="alert">
                    <p>{move || lang.count(errors.with(|e| e.len()) as u64, Key::FormErrorsOne, Key::FormErrorsOther)}</p>
                    <ul>
                        {move || errors.get().0.into_iter().map(|(input, message)| {
                            let href = format!("#{}", id(input));
                            // Focus the field itself, without touching the host page's address.
                            let on_click = move |event: web_sys::MouseEvent| {
                                event.prevent_default();
                                web::focus_when_rendered(id(input));
                            };
                            view! { <li><a href=href on:click=on_click>{message}</a></li> }
                        }).collect_view()}
                    </ul>
                </div>
            </Show>
            {move || reply_to.get().map(|(_, author)| {
                view! {
                    <p class="kq-form__replying" id=id(Input::Parent) tabindex="-1">
                        {lang.fill(Key::FormReplyingTo, &[("name", &author)])}
                        " "
                        <button type="button" class="kq-link-button" on:click=move |_| {
                            reply_to.set(None);
                            errors.update(|e| e.remove(Input::Parent));
                        }>
                            {lang.text(Key::FormCancelReply)}
                        </button>
                    </p>
                }
            })}
            {error_line(Input::Parent)}
            <div class="kq-field">
                <label for=id(Input::Text)>{lang.text(Key::FormText)}{required_mark()}</label>
                <textarea
                    id=id(Input::Text)
                    name="text"
                    rows="6"
                    required
                    aria-required="true"
                    aria-invalid=invalid(Input::Text)
                    aria-describedby=described(Input::Text, Some(counter_id.clone()))
                    prop:value=move || text.get()
                    on:input=move |event| {
                        text.set(event_target_value(&event));
                        save_soon();
                    }
                    on:blur=move |_| on_blur(Input::Text)
                ></textarea>
                <p class="kq-field__counter" id=counter_id class:kq-field__counter--over=move || text.with(|t| t.trim().chars().count() > MAX_TEXT_CHARS)>
                    {move || lang.fill(Key::FormCounter, &[("count", &text.with(|t| t.trim().chars().count()).to_string()), ("max", &MAX_TEXT_CHARS.to_string())])}
                </p>
                {error_line(Input::Text)}
            </div>
            <div class="kq-form__identity">
                {line_field(LineField {
                    input: Input::Name,
                    id: id(Input::Name),
                    label: lang.text(Key::FormName).to_string(),
                    required: true,
                    kind: "text",
                    autocomplete: "name",
                    hint: None,
                    value: name,
                    errors,
                    on_edit,
                    on_leave,
                })}
                {line_field(LineField {
                    input: Input::Email,
                    id: id(Input::Email),
                    label: if email_required {
                        lang.text(Key::FormEmail).to_string()
                    } else {
                        format!("{} {}", lang.text(Key::FormEmail), lang.text(Key::FormOptional))
                    },
                    required: email_required,
                    kind: "email",
                    autocomplete: "email",
                    hint: Some(lang.text(Key::FormEmailHint).to_string()),
                    value: email,
                    errors,
                    on_edit,
                    on_leave,
                })}
                {line_field(LineField {
                    input: Input::Website,
                    id: id(Input::Website),
                    label: format!("{} {}", lang.text(Key::FormWebsite), lang.text(Key::FormOptional)),
                    required: false,
                    kind: "url",
                    autocomplete: "url",
                    hint: None,
                    value: website,
                    errors,
                    on_edit,
                    on_leave,
                })}
            </div>
            // A field only robots fill: off screen, out of the tab order, hidden from assistive technology.
            <div class="kq-form__trap" aria-hidden="true">
                <label for=trap_id.clone()>{lang.text(Key::FormHoneypot)}</label>
                <input
                    id=trap_id
                    name="homepage"
                    type="text"
                    tabindex="-1"
                    autocomplete="off"
                    prop:value=move || honeypot.get()
                    on:input=move |event| honeypot.set(event_target_value(&event))
                />
            </div>
            <label class="kq-check">
                <input type="checkbox" prop:checked=move || remember.get() on:change=move |event| remember.set(event_target_checked(&event))/>
                " "
                {lang.text(Key::FormRemember)}
            </label>
            {captcha_view(captcha, lang, id(Input::Captcha), field_error(Input::Captcha))}
            {move || notice.get().map(|notice| {
                let contact = contact.clone().filter(|_| notice.contact);
                view! {
                    <div class="kq-form__notice" role="alert">
                        <p>{notice.text}</p>
                        {contact.map(|site| view! {
                            <p>{lang.text(Key::SubmitContact)} " " {super::super::inline::label(&site, None)}</p>
                        })}
                        {notice.retry.then(|| view! {
                            <button type="button" class="kq-button kq-button--secondary" on:click=move |_| send()>
                                {lang.text(Key::SubmitRetry)}
                            </button>
                        })}
                    </div>
                }
            })}
            <button type="submit" class="kq-button kq-form__submit" aria-disabled=move || sending.get().then_some("true") aria-busy=move || sending.get().then_some("true")>
                {move || lang.text(if sending.get() { Key::FormSending } else { Key::FormSubmit })}
            </button>
            <p class="kq-visually-hidden" role="status">{move || announcement.get()}</p>
        </form>
    }
}

/// A field's `aria-describedby`: its hint, then its error while it has one; nothing without either.
fn described_by(hint_id: Option<&str>, error_id: Option<&str>) -> Option<String> {
    match (hint_id, error_id) {
        (Some(hint_id), Some(error_id)) => Some(format!("{hint_id} {error_id}")),
        (one, other) => one.or(other).map(str::to_string),
    }
}

/// A single-line field of the form with its label, hint and error. Every such field goes through
/// this one function, so its browser code exists once in the widget rather than once per field.
struct LineField {
    input: Input,
    id: String,
    label: String,
    required: bool,
    /// The `type` of the `<input>`.
    kind: &'static str,
    autocomplete: &'static str,
    hint: Option<String>,
    value: RwSignal<String>,
    errors: RwSignal<Messages>,
    /// Each keystroke (the draft is saved soon after).
    on_edit: Callback<()>,
    /// Leaving the field (its rules are checked then).
    on_leave: Callback<Input>,
}

fn line_field(field: LineField) -> AnyView {
    let LineField { input, id, label, required, kind, autocomplete, hint, value, errors, on_edit, on_leave } = field;
    let error_id = format!("{id}-error");
    let hint_id = hint.as_ref().map(|_| format!("{id}-hint"));
    let has_error = move || errors.with(|e| e.contains(input));
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || described_by(hint_id.as_deref(), has_error().then_some(error_id.as_str()))
    };
    let message = move || errors.with(|e| e.get(input).cloned());
    view! {
        <div class="kq-field">
            <label for=id.clone()>
                {label}
                {required.then(|| view! { <span class="kq-required" aria-hidden="true">" *"</span> })}
            </label>
            <input
                id=id
                name=input.slug()
                type=kind
                autocomplete=autocomplete
                required=required
                aria-required=required.then_some("true")
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |event| {
                    value.set(event_target_value(&event));
                    on_edit.run(());
                }
                on:blur=move |_| on_leave.run(input)
            />
            {hint.map(|text| view! { <p class="kq-field__hint" id=hint_id.clone()>{text}</p> })}
            {move || message().map(|text| view! { <p class="kq-field__error" id=error_id.clone()>{text}</p> })}
        </div>
    }
    .into_any()
}
