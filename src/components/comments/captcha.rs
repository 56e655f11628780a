//! The anti-robot checks of the comment form, behind one small interface: each provider says
//! whether it is satisfied and produces the `captcha` of the request.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::fetch_text;
use crate::config::{CaptchaKind, CommentSettings};
use crate::i18n::{Key, Lang};
use crate::model::comment::StubToken;
use crate::model::comments::PowChallenge;
use crate::model::Milli;
use crate::web;

/// Hashes per slice of proof-of-work: small enough that the page stays responsive in between.
const POW_SLICE: u64 = 2_000;

#[derive(Clone, Debug, PartialEq)]
pub enum PowState {
    Idle,
    Working { percent: u32 },
    Done { token: String },
    Cancelled,
    Failed,
}

/// The state of whichever check the form shows; `Copy`, shared by the form and its view.
#[derive(Clone, Copy)]
pub struct Captcha {
    pub kind: CaptchaKind,
    stub_checked: RwSignal<bool>,
    pow: RwSignal<PowState>,
    /// Each run gets a number; cancelling or resetting makes a running solver stop.
    pow_run: StoredValue<u64>,
    score: Milli,
    challenge_url: StoredValue<String>,
    timeout_ms: u32,
}

impl Captcha {
    pub fn new(settings: &CommentSettings, timeout_ms: u32) -> Captcha {
        Captcha {
            kind: settings.captcha,
            stub_checked: RwSignal::new(false),
            pow: RwSignal::new(PowState::Idle),
            pow_run: StoredValue::new(0),
            score: settings.captcha_score,
            challenge_url: StoredValue::new(settings.challenge_url.clone()),
            timeout_ms,
        }
    }

    pub fn is_satisfied(&self) -> bool {
        match self.kind {
            CaptchaKind::Stub => self.stub_checked.get_untracked(),
            CaptchaKind::Pow => matches!(self.pow.get_untracked(), PowState::Done { .. }),
            CaptchaKind::None => true,
        }
    }

    /// Like [`Captcha::is_satisfied`], but tracked, for effects.
    pub fn track_satisfied(&self) -> bool {
        match self.kind {
            CaptchaKind::Stub => self.stub_checked.get(),
            CaptchaKind::Pow => matches!(self.pow.get(), PowState::Done { .. }),
            CaptchaKind::None => true,
        }
    }

    /// The stub's token carries its simulated score; below the threshold the form must not send.
    pub fn stub_token(&self) -> StubToken {
        let random: String = web::random_uuid().chars().filter(char::is_ascii_alphanumeric).take(16).collect();
        StubToken { timestamp_ms: web::now_ms().max(0) as u64, random, score: self.score }
    }

    /// The request's `captcha` (`kind`, `token`), once satisfied.
    pub fn request_value(&self) -> Option<(&'static str, String)> {
        match self.kind {
            CaptchaKind::Stub => Some(("stub", self.stub_token().to_string())),
            CaptchaKind::Pow => match self.pow.get_untracked() {
                PowState::Done { token } => Some(("pow", token)),
                _ => None,
            },
            CaptchaKind::None => None,
        }
    }

    /// After a submission (accepted or refused by the captcha), a new check is needed.
    pub fn reset(&self) {
        self.stub_checked.set(false);
        self.pow_run.update_value(|run| *run += 1);
        self.pow.set(PowState::Idle);
    }

    fn start_pow(self) {
        self.pow_run.update_value(|run| *run += 1);
        let run = self.pow_run.get_value();
        // False once cancelled, reset, or gone with its form.
        let still_running = move || self.pow_run.try_get_value() == Some(run);
        self.pow.set(PowState::Working { percent: 0 });
        spawn_local(async move {
            let started = web::now_ms();
            let url = self.challenge_url.get_value();
            let challenge = fetch_text(&url, self.timeout_ms).await.ok().and_then(|body| PowChallenge::from_json(&body));
            if !still_running() {
                return;
            }
            let Some(challenge) = challenge else {
                if still_running() {
                    web::error(&format!("Kiosque: no usable proof-of-work challenge from {url}"));
                    self.pow.set(PowState::Failed);
                }
                return;
            };
            let mut from = 0;
            while from <= challenge.max_number {
                if !still_running() {
                    return;
                }
                if let Some(number) = challenge.search(from, POW_SLICE) {
                    let took = (web::now_ms() - started).max(0) as u64;
                    let token = web::base64(&challenge.payload(number, took));
                    self.pow.set(match token {
                        Some(token) => PowState::Done { token },
                        None => PowState::Failed,
                    });
                    return;
                }
                from += POW_SLICE;
                let percent = (from.min(challenge.max_number) * 100 / challenge.max_number.max(1)) as u32;
                self.pow.set(PowState::Working { percent });
                web::yield_to_browser().await;
            }
            if still_running() {
                self.pow.set(PowState::Failed);
            }
        });
    }

    fn cancel_pow(&self) {
        self.pow_run.update_value(|run| *run += 1);
        self.pow.set(PowState::Cancelled);
    }
}

/// The check's controls, inside the form. `error_id` is the id of the field error it may show.
pub fn captcha_view(captcha: Captcha, lang: Lang, input_id: String, error: Signal<Option<String>>) -> AnyView {
    let error_id = format!("{input_id}-error");
    let described_by = error_id.clone();
    let error_view = move || {
        error.get().map(|message| view! { <p class="kq-field__error" id=error_id.clone()>{message}</p> })
    };
    match captcha.kind {
        CaptchaKind::None => ().into_any(),
        CaptchaKind::Stub => view! {
            <fieldset class="kq-captcha">
                <legend>{lang.text(Key::CaptchaLegend)}</legend>
                <label class="kq-check">
                    <input
                        type="checkbox"
                        id=input_id
                        prop:checked=move || captcha.stub_checked.get()
                        on:change=move |event| captcha.stub_checked.set(event_target_checked(&event))
                        aria-invalid=move || error.get().is_some().then_some("true")
                        aria-describedby=move || error.get().is_some().then(|| described_by.clone())
                    />
                    " "
                    {lang.text(Key::CaptchaStub)}
                </label>
                {error_view}
            </fieldset>
        }
        .into_any(),
        CaptchaKind::Pow => {
            let status = move || match captcha.pow.get() {
                PowState::Idle => String::new(),
                PowState::Working { percent } => lang.fill(Key::CaptchaPowWorking, &[("percent", &percent.to_string())]),
                PowState::Done { .. } => lang.text(Key::CaptchaPowDone).to_string(),
                PowState::Cancelled => lang.text(Key::CaptchaPowCancelled).to_string(),
                PowState::Failed => lang.text(Key::CaptchaPowFailed).to_string(),
            };
            // Screen readers hear when the check starts and ends, not every percent.
            let announcement = move || match captcha.pow.get() {
                PowState::Working { .. } => lang.fill(Key::CaptchaPowWorking, &[("percent", "0")]),
                _ => status(),
            };
            let working = move || matches!(captcha.pow.get(), PowState::Working { .. });
            let percent = move || match captcha.pow.get() {
                PowState::Working { percent } => percent,
                _ => 100,
            };
            view! {
                <fieldset class="kq-captcha">
                    <legend>{lang.text(Key::CaptchaLegend)}</legend>
                    <Show
                        when=working
                        fallback=move || {
                            let described_by = described_by.clone();
                            view! {
                            <button
                                type="button"
                                class="kq-button kq-button--secondary"
                                id=input_id.clone()
                                disabled=move || matches!(captcha.pow.get(), PowState::Done { .. })
                                aria-describedby=move || error.get().is_some().then(|| described_by.clone())
                                on:click=move |_| captcha.start_pow()
                            >
                                {lang.text(Key::CaptchaPowStart)}
                            </button>
                            }
                        }
                    >
                        <progress class="kq-captcha__progress" max="100" value=percent aria-label=lang.text(Key::CaptchaLegend)></progress>
                        <button type="button" class="kq-button kq-button--secondary" on:click=move |_| captcha.cancel_pow()>
                            {lang.text(Key::CaptchaPowCancel)}
                        </button>
                    </Show>
                    <p class="kq-captcha__status" aria-hidden="true">{status}</p>
                    <p class="kq-visually-hidden" role="status">{announcement}</p>
                    {error_view}
                </fieldset>
            }
            .into_any()
        }
    }
}
