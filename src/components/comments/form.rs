//! "Laisser un commentaire": the form, its validation, its draft and its submission.
//!
//! The draft (text, name, email, website, reply target, idempotency key) is written to the
//! browser's storage as the reader types and removed only when the server has stored the comment,
//! so a failed submit, a reload or a crash loses nothing. The idempotency key makes every retry of
//! the same draft safe: the server stores it at most once.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::captcha::{captcha_view, Captcha};
use crate::api::{post_json, send_json};
use crate::config::{CaptchaKind, CommentSettings};
use crate::i18n::{Key, Lang};
use crate::model::comment::{EmailPolicy, MAX_TEXT_CHARS};
use crate::model::comment_form::{error_message, AfterAnswer, FormNotice, FormState, Input, SendExtras};
use crate::model::comments::{submit_outcome, Comment, CreatedComment};
use crate::model::reader_actions::{action_outcome, comment_url, OwnComment, ReaderActions};
use crate::model::Link;
use crate::web::{self, storage};

/// Faster than this, the server takes a submission for a robot's.
const MIN_ELAPSED_MS: i64 = 3_000;
/// How long typing may pause before the draft is written to storage.
const DRAFT_SAVE_DELAY_MS: u32 = 300;
const IDENTITY_KEY: &str = "kiosque:identity";

/// A notice's text, in the reader's language.
fn notice_text(lang: Lang, notice: &FormNotice) -> String {
    let reason = match notice {
        FormNotice::Rejected => return lang.text(Key::SubmitRejected).into(),
        FormNotice::Duplicate => return lang.text(Key::SubmitDuplicate).into(),
        FormNotice::Captcha => return lang.text(Key::SubmitCaptcha).into(),
        FormNotice::Closed => return lang.text(Key::SubmitClosed).into(),
        FormNotice::EditWindowClosed => return lang.text(Key::SubmitEditWindowClosed).into(),
        FormNotice::EditRefused => return lang.text(Key::SubmitEditRefused).into(),
        FormNotice::RateLimited { retry_after_s } => {
            return lang.fill(Key::SubmitRateLimited, &[("seconds", &retry_after_s.to_string())]);
        }
        FormNotice::ServerFailed { status } => crate::api::FetchError::Status(*status).message(lang),
        FormNotice::Unreachable { reason } => reason.clone(),
    };
    lang.fill(Key::SubmitFailed, &[("reason", reason.trim_end_matches('.'))])
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
    pub on_created: Callback<CreatedComment>,
    /// Called when the server says comments are closed.
    pub on_closed: Callback<()>,
    /// The reader's own comment to change, with its text ("Modifier" in the list).
    pub edit_request: RwSignal<Option<(OwnComment, String)>>,
    /// Called with the reader's comment as the server changed it.
    pub on_edited: Callback<Comment>,
    /// What the server lets readers do (the notification box).
    pub reader_actions: Signal<ReaderActions>,
    /// The device's voter id, sent with a new comment so that its author cannot vote on it.
    pub voter: fn() -> String,
}

#[component]
pub fn CommentForm(context: FormContext) -> impl IntoView {
    let lang = context.lang;
    let prefix = StoredValue::new(context.id_prefix.clone());
    let id = move |input: Input| prefix.with_value(|prefix| format!("{prefix}-{}", input.slug()));
    let trap_id = prefix.with_value(|prefix| format!("{prefix}-homepage"));
    let draft_key = StoredValue::new(format!("kiosque:draft:{}", context.article_id));
    let captcha = Captcha::new(&context.settings, context.timeout_ms);
    let email_policy = context.settings.email;
    let reply_to = context.reply_to;

    let (restored_state, restored) = draft_key.with_value(|key| {
        FormState::restore(storage::get(key).as_deref(), storage::get(IDENTITY_KEY).as_deref(), web::random_uuid)
    });
    // The reply target lives in the section (the list's reply buttons set it); the draft keeps a copy.
    if restored_state.draft.reply_to.is_some() {
        reply_to.set(restored_state.draft.reply_to.clone());
    }
    let state = RwSignal::new(restored_state);
    let honeypot = RwSignal::new(String::new());
    let shown_at = StoredValue::new(web::now_ms());
    let announcement = RwSignal::new(if restored { lang.text(Key::FormDraftRestored).to_string() } else { String::new() });
    let save_timer = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);

    let save_now = move || {
        // A pending save may fire after the form was replaced; its last save already ran on blur.
        let Some(stored) = state.try_with_untracked(FormState::draft_to_store) else { return };
        draft_key.with_value(|key| match stored {
            Some(json) => storage::set(key, &json),
            None => storage::remove(key),
        });
    };
    let save_soon = move || {
        let timer = gloo_timers::callback::Timeout::new(DRAFT_SAVE_DELAY_MS, save_now);
        // Replacing the previous timer cancels it: only the last keystroke's save runs.
        save_timer.set_value(Some(timer));
    };
    Effect::new(move |first: Option<()>| {
        let target = reply_to.get();
        state.update_untracked(|state| state.set_reply_to(target));
        if first.is_some() {
            save_now();
        }
    });

    // A message asking for the captcha goes as soon as the reader has done it.
    Effect::new(move |_| {
        if captcha.track_satisfied() && state.with_untracked(|s| s.errors.contains(Input::Captcha)) {
            state.update(FormState::captcha_done);
        }
    });

    // "Modifier" in the list: the form takes the comment's text; what the reader was writing waits.
    let edit_request = context.edit_request;
    Effect::new(move |_| {
        let Some((own, text)) = edit_request.get() else { return };
        edit_request.set(None);
        state.update(|s| s.start_edit(own, &text));
        web::scroll_to_top_of(&prefix.with_value(|prefix| format!("{prefix}-form-title")));
        web::focus_when_rendered(id(Input::Text));
    });
    let editing = move || state.with(|s| s.editing.is_some());

    let on_leave = Callback::new(move |input: Input| {
        let done = captcha.is_satisfied();
        if state.try_update_untracked(|s| s.leave(input, email_policy, done)) == Some(true) {
            state.notify();
        }
        save_now();
    });
    let on_release = move || {
        let done = captcha.is_satisfied();
        if state.try_update_untracked(|s| s.release(email_policy, done)) == Some(true) {
            state.notify();
        }
    };
    let on_type = Callback::new(move |(input, value): (Input, String)| {
        state.update(|s| s.type_into(input, value));
        save_soon();
    });

    let contact = context.site.clone();
    let post_url = StoredValue::new(context.post_url.clone());
    let timeout_ms = context.timeout_ms;
    let on_created = context.on_created;
    let on_closed = context.on_closed;
    let on_edited = context.on_edited;
    let reader_actions = context.reader_actions;
    let voter = context.voter;
    let stub_score = context.settings.captcha_score;

    let send = move || {
        if state.with_untracked(|s| s.sending) {
            return;
        }
        let done = captcha.is_satisfied();
        if let Err(first) = state.try_update(|s| s.try_send(email_policy, done)).unwrap_or(Ok(())) {
            web::focus_when_rendered(id(first));
            return;
        }
        let edited = state.with_untracked(|s| s.editing.as_ref().map(|editing| editing.own.id.clone()));
        if let Some(comment_id) = edited {
            let Some(url) = post_url.with_value(|url| comment_url(url, &comment_id)) else { return };
            let body = state.with_untracked(|s| s.request_body(SendExtras { captcha: None, honeypot: "", elapsed_ms: 0, voter: None, lang: "" }));
            let request = send_json("PATCH", &url, body, timeout_ms);
            spawn_local(async move {
                let answer = request.await;
                if state.is_disposed() {
                    return;
                }
                let outcome = match answer {
                    Ok(answer) => action_outcome(answer.status, &answer.body, answer.retry_after.as_deref()),
                    Err(error) => return state.update(|s| s.unreachable(error.message(lang))),
                };
                let mut after = AfterAnswer::Nothing;
                state.update(|s| after = s.apply_edit(outcome));
                match after {
                    AfterAnswer::Edited(comment) => {
                        save_now();
                        announcement.set(lang.text(Key::FormEdited).into());
                        let element_id = crate::model::comments::comment_anchor(&comment.id);
                        on_edited.run(comment);
                        web::focus_when_rendered(element_id);
                    }
                    AfterAnswer::FocusError(first) => web::focus_when_rendered(id(first)),
                    _ => {}
                }
            });
            return;
        }
        if captcha.kind == CaptchaKind::Stub && !captcha.stub_token().passes() {
            web::warn(&format!("Kiosque: stub captcha score {stub_score} is below the threshold"));
            state.update(FormState::captcha_refused);
            captcha.reset();
            return;
        }
        save_now();
        spawn_local(async move {
            let elapsed = web::now_ms() - shown_at.get_value();
            if elapsed < MIN_ELAPSED_MS {
                // Faster than this, the server takes the submission for a robot's: wait out the rest.
                web::sleep_ms((MIN_ELAPSED_MS - elapsed + 50) as u32).await;
                if state.is_disposed() {
                    return;
                }
            }
            let elapsed_ms = (web::now_ms() - shown_at.get_value()).max(0) as u64;
            let voter = reader_actions.with_untracked(|actions| actions.vote).then(voter);
            let body = honeypot.with_untracked(|honeypot| {
                let extras = SendExtras { captcha: captcha.request_value(), honeypot, elapsed_ms, voter: voter.as_deref(), lang: lang.code() };
                state.with_untracked(|s| s.request_body(extras))
            });
            let answer = post_json(&post_url.get_value(), body, timeout_ms).await;
            // The reader may have moved to another article meanwhile: the draft is saved, the form
            // is gone, and the server's answer has nowhere to go.
            if state.is_disposed() {
                return;
            }
            let outcome = match answer {
                Ok(answer) => submit_outcome(answer.status, &answer.body, answer.retry_after.as_deref()),
                Err(error) => {
                    state.update(|s| s.unreachable(error.message(lang)));
                    return;
                }
            };
            let mut after = AfterAnswer::Nothing;
            state.update(|s| after = s.apply(outcome, web::random_uuid));
            match after {
                AfterAnswer::Created { created, identity } => {
                    draft_key.with_value(|key| storage::remove(key));
                    match identity {
                        Some(json) => storage::set(IDENTITY_KEY, &json),
                        None => storage::remove(IDENTITY_KEY),
                    }
                    reply_to.set(None);
                    shown_at.set_value(web::now_ms());
                    captcha.reset();
                    let mut said = lang.text(if created.comment.pending { Key::SubmitPending } else { Key::SubmitPublished }).to_string();
                    if created.confirmation_sent {
                        said = format!("{said} {}", lang.text(Key::SubmitConfirmationSent));
                    }
                    announcement.set(said);
                    on_created.run(created);
                }
                AfterAnswer::FocusError(first) => web::focus_when_rendered(id(first)),
                AfterAnswer::ResetCaptcha => captcha.reset(),
                AfterAnswer::Closed => on_closed.run(()),
                AfterAnswer::Edited(_) | AfterAnswer::Nothing => {}
            }
        });
    };

    let error_of = move |input: Input| state.with(|s| s.errors.get(input).map(|code| error_message(lang, input, code)));
    let has_error = move |input: Input| state.with(|s| s.errors.contains(input));
    let sending = move || state.with(|s| s.sending);
    let text_chars = move || state.with(|s| s.draft.text.trim().chars().count());
    let counter_id = format!("{}-counter", id(Input::Text));
    let text_error_id = format!("{}-error", id(Input::Text));
    let form_title_id = format!("{}-form-title", context.id_prefix);
    let notify_hint_id = format!("{}-notify-hint", context.id_prefix);
    let email_required = email_policy == EmailPolicy::Required;
    let line = move |input: Input, label: String, required: bool, hint: Option<String>| {
        line_field(LineField { lang, input, id: id(input), label, required, hint, state, on_type, on_leave })
    };
    let optional = |key: Key| format!("{} {}", lang.text(key), lang.text(Key::FormOptional));

    view! {
        <form
            class="kq-form"
            aria-labelledby=form_title_id.clone()
            novalidate
            on:mousedown=move |_| state.update_untracked(FormState::press)
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
                (move || lang.text(if editing() { Key::FormEditTitle } else { Key::FormTitle })).into_any(),
            )}
            <p class="kq-form__note">{lang.text(Key::FormRequiredNote)}</p>
            <Show when=move || state.with(|s| s.summary && !s.errors.is_empty())>
                {move || error_summary(lang, state, id)}
            </Show>
            // While an edit is under way the reply target waits with the new comment's draft.
            {move || reply_to.get().filter(|_| !editing()).map(|(_, author)| {
                view! {
                    <p class="kq-form__replying" id=id(Input::Parent) tabindex="-1">
                        {lang.fill(Key::FormReplyingTo, &[("name", &author)])}
                        " "
                        <button type="button" class="kq-link-button" on:click=move |_| {
                            reply_to.set(None);
                            state.update(FormState::cancel_reply);
                        }>
                            {lang.text(Key::FormCancelReply)}
                        </button>
                    </p>
                }
            })}
            {error_line(error_of, Input::Parent, id(Input::Parent))}
            <div class="kq-field">
                <label for=id(Input::Text)>{lang.text(Key::FormText)}{required_mark()}</label>
                <textarea
                    id=id(Input::Text)
                    name="text"
                    rows="6"
                    required
                    aria-required="true"
                    aria-invalid=move || has_error(Input::Text).then_some("true")
                    aria-describedby={
                        let counter_id = counter_id.clone();
                        move || described_by(Some(&counter_id), has_error(Input::Text).then_some(text_error_id.as_str()))
                    }
                    prop:value=move || state.with(|s| s.draft.text.clone())
                    on:input=move |event| on_type.run((Input::Text, event_target_value(&event)))
                    on:blur=move |_| on_leave.run(Input::Text)
                ></textarea>
                <p class="kq-field__counter" id=counter_id class:kq-field__counter--over=move || { text_chars() > MAX_TEXT_CHARS }>
                    {move || lang.fill(Key::FormCounter, &[("count", &text_chars().to_string()), ("max", &MAX_TEXT_CHARS.to_string())])}
                </p>
                {error_line(error_of, Input::Text, id(Input::Text))}
            </div>
            // Editing changes only the text: the rest stays as it was, out of sight.
            <div class="kq-form__new-only" hidden=editing>
            <div class="kq-form__identity">
                {line(Input::Name, lang.text(Key::FormName).to_string(), true, None)}
                {line(
                    Input::Email,
                    if email_required { lang.text(Key::FormEmail).to_string() } else { optional(Key::FormEmail) },
                    email_required,
                    Some(lang.text(Key::FormEmailHint).to_string()),
                )}
                {line(Input::Website, optional(Key::FormWebsite), false, None)}
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
                <input
                    type="checkbox"
                    prop:checked=move || state.with(|s| s.remember)
                    on:change=move |event| state.update(|s| s.remember = event_target_checked(&event))
                />
                " "
                {lang.text(Key::FormRemember)}
            </label>
            <div hidden=move || !reader_actions.with(|actions| actions.notify)>
                <label class="kq-check">
                    <input
                        type="checkbox"
                        name="notify"
                        aria-describedby=notify_hint_id.clone()
                        prop:checked=move || state.with(|s| s.notify)
                        on:change=move |event| state.update(|s| s.notify = event_target_checked(&event))
                    />
                    " "
                    {lang.text(Key::FormNotify)}
                </label>
                <p class="kq-field__hint kq-form__notify-hint" id=notify_hint_id.clone()>{lang.text(Key::FormNotifyHint)}</p>
            </div>
            {captcha_view(captcha, lang, id(Input::Captcha), Signal::derive(move || error_of(Input::Captcha)))}
            </div>
            {move || state.with(|s| s.notice.clone()).map(|notice| {
                let contact = contact.clone().filter(|_| notice.contact());
                view! {
                    <div class="kq-form__notice" role="alert">
                        <p>{notice_text(lang, &notice)}</p>
                        {contact.map(|site| view! {
                            <p>{lang.text(Key::SubmitContact)} " " {super::super::inline::label(&site, None)}</p>
                        })}
                        {notice.retry().then(|| view! {
                            <button type="button" class="kq-button kq-button--secondary" on:click=move |_| send()>
                                {lang.text(Key::SubmitRetry)}
                            </button>
                        })}
                    </div>
                }
            })}
            <button type="submit" class="kq-button kq-form__submit" aria-disabled=move || sending().then_some("true") aria-busy=move || sending().then_some("true")>
                {move || lang.text(match (sending(), editing()) {
                    (true, _) => Key::FormSending,
                    (false, true) => Key::FormEditSubmit,
                    (false, false) => Key::FormSubmit,
                })}
            </button>
            <button type="button" class="kq-button kq-button--secondary kq-form__cancel-edit" hidden=move || !editing() on:click=move |_| {
                state.update(FormState::end_edit);
                save_now();
            }>
                {lang.text(Key::FormEditCancel)}
            </button>
            <p class="kq-visually-hidden" role="status">{move || announcement.get()}</p>
        </form>
    }
}

fn required_mark() -> impl IntoView {
    view! { <span class="kq-required" aria-hidden="true">" *"</span> }
}

/// After a try with errors: how many, each a link to its input.
fn error_summary(lang: Lang, state: RwSignal<FormState>, id: impl Fn(Input) -> String + Copy + 'static) -> impl IntoView {
    let errors = state.with(|s| s.errors.clone());
    view! {
        <div class="kq-form__summary" role="alert">
            <p>{lang.count(errors.len() as u64, Key::FormErrorsOne, Key::FormErrorsOther)}</p>
            <ul>
                {errors.iter().map(|(input, code)| {
                    let href = format!("#{}", id(input));
                    // Focus the field itself, without touching the host page's address.
                    let on_click = move |event: web_sys::MouseEvent| {
                        event.prevent_default();
                        web::focus_when_rendered(id(input));
                    };
                    view! { <li><a href=href on:click=on_click>{error_message(lang, input, code)}</a></li> }
                }).collect_view()}
            </ul>
        </div>
    }
}

/// An input's error message, under it, while it has one.
fn error_line(error_of: impl Fn(Input) -> Option<String> + Copy + Send + Sync + 'static, input: Input, input_id: String) -> impl IntoView {
    let error_id = format!("{input_id}-error");
    move || error_of(input).map(|message| view! { <p class="kq-field__error" id=error_id.clone()>{message}</p> })
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
    lang: Lang,
    input: Input,
    id: String,
    label: String,
    required: bool,
    hint: Option<String>,
    state: RwSignal<FormState>,
    /// Each keystroke (the draft is saved soon after).
    on_type: Callback<(Input, String)>,
    /// Leaving the field (its rules are checked then).
    on_leave: Callback<Input>,
}

fn line_field(field: LineField) -> AnyView {
    let LineField { lang, input, id, label, required, hint, state, on_type, on_leave } = field;
    // The `type` of the `<input>`, and what the browser may fill it with.
    let (kind, autocomplete) = match input {
        Input::Email => ("email", "email"),
        Input::Website => ("url", "url"),
        _ => ("text", "name"),
    };
    let error_id = format!("{id}-error");
    let hint_id = hint.as_ref().map(|_| format!("{id}-hint"));
    let has_error = move || state.with(|s| s.errors.contains(input));
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || described_by(hint_id.as_deref(), has_error().then_some(error_id.as_str()))
    };
    let message = move || state.with(|s| s.errors.get(input).map(|code| error_message(lang, input, code)));
    view! {
        <div class="kq-field">
            <label for=id.clone()>
                {label}
                {required.then(required_mark)}
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
                prop:value=move || state.with(|s| s.value(input).to_string())
                on:input=move |event| on_type.run((input, event_target_value(&event)))
                on:blur=move |_| on_leave.run(input)
            />
            {hint.map(|text| view! { <p class="kq-field__hint" id=hint_id.clone()>{text}</p> })}
            {move || message().map(|text| view! { <p class="kq-field__error" id=error_id.clone()>{text}</p> })}
        </div>
    }
    .into_any()
}
