//! Every request of the console goes through here: the session's CSRF token on changes, a
//! time-out, the request aborted when the view that asked is gone, and one reading of errors
//! ([`ApiProblem`]); a `401` ends the session in the console (back to the sign-in screen).

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestInit, Response};

use crate::model::{ApiProblem, Session};

/// Long enough for a slow sign-in (the password hash) on a busy server.
const TIMEOUT: Duration = Duration::from_secs(20);

/// What the views hold to talk to the server: the session (`None`: signed out).
#[derive(Clone, Copy)]
pub struct Api {
    pub session: RwSignal<Option<Session>>,
}

struct RawAnswer {
    status: u16,
    body: String,
    retry_after: Option<String>,
}

async fn exchange(method: &str, path: &str, body: Option<String>, csrf: Option<String>) -> Result<RawAnswer, ApiProblem> {
    let controller = AbortController::new().map_err(|_| ApiProblem::Network)?;
    // The view that asked is gone (another screen, signed out): its answer is of no use.
    let on_leave = controller.clone();
    on_cleanup(move || on_leave.abort());
    let timed_out = Rc::new(Cell::new(false));
    let deadline = {
        let controller = controller.clone();
        let timed_out = Rc::clone(&timed_out);
        set_timeout_with_handle(
            move || {
                timed_out.set(true);
                controller.abort();
            },
            TIMEOUT,
        )
        .ok()
    };
    let headers = Headers::new().map_err(|_| ApiProblem::Network)?;
    headers.set("Accept", "application/json").map_err(|_| ApiProblem::Network)?;
    if let Some(token) = csrf {
        headers.set("X-CSRF-Token", &token).map_err(|_| ApiProblem::Network)?;
    }
    let init = RequestInit::new();
    init.set_method(method);
    init.set_signal(Some(&controller.signal()));
    if let Some(body) = body {
        headers.set("Content-Type", "application/json").map_err(|_| ApiProblem::Network)?;
        init.set_body(&body.into());
    }
    init.set_headers(&headers);
    let window = web_sys::window().ok_or(ApiProblem::Network)?;
    let outcome = async {
        let response: Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
            .await
            .and_then(|response| response.dyn_into())
            .map_err(|_| ApiProblem::Network)?;
        let status = response.status();
        let retry_after = response.headers().get("retry-after").ok().flatten();
        let text = response.text().map_err(|_| ApiProblem::Network)?;
        let body = JsFuture::from(text).await.ok().and_then(|text| text.as_string()).unwrap_or_default();
        Ok(RawAnswer { status, body, retry_after })
    }
    .await;
    if let Some(deadline) = deadline {
        deadline.clear();
    }
    match outcome {
        Err(ApiProblem::Network) if timed_out.get() => Err(ApiProblem::TimedOut),
        other => other,
    }
}

impl Api {
    fn csrf(&self) -> Option<String> {
        self.session.with_untracked(|session| session.as_ref().map(|session| session.csrf_token.clone()))
    }

    async fn call<T: DeserializeOwned>(self, method: &str, path: &str, body: Option<Value>) -> Result<T, ApiProblem> {
        let csrf = if method == "GET" { None } else { self.csrf() };
        let answer = exchange(method, path, body.map(|body| body.to_string()), csrf).await?;
        if (200..300).contains(&answer.status) {
            return serde_json::from_str(&answer.body).map_err(|_| ApiProblem::Server { status: answer.status });
        }
        let problem = ApiProblem::from_answer(answer.status, &answer.body, answer.retry_after.as_deref());
        if problem == ApiProblem::SignedOut {
            self.session.try_set(None);
        }
        Err(problem)
    }

    pub async fn get<T: DeserializeOwned>(self, path: &str) -> Result<T, ApiProblem> {
        self.call("GET", path, None).await
    }

    /// A request that changes something (`POST`, `PATCH`, `DELETE`), with the CSRF token.
    pub async fn send<T: DeserializeOwned>(self, method: &str, path: &str, body: Value) -> Result<T, ApiProblem> {
        self.call(method, path, Some(body)).await
    }

    /// Signs in; a wrong name or password is [`ApiProblem::WrongCredentials`], never a sign-out.
    pub async fn sign_in(self, name: &str, password: &str) -> Result<Session, ApiProblem> {
        let body = serde_json::json!({ "name": name, "password": password });
        let answer = exchange("POST", "/admin/api/session", Some(body.to_string()), None).await?;
        if answer.status == 200 {
            return serde_json::from_str(&answer.body).map_err(|_| ApiProblem::Server { status: answer.status });
        }
        Err(ApiProblem::from_answer(answer.status, &answer.body, answer.retry_after.as_deref()))
    }

    /// The session of a page opened or reloaded while signed in, if any.
    pub async fn current_session(self) -> Result<Option<Session>, ApiProblem> {
        let answer = exchange("GET", "/admin/api/session", None, None).await?;
        match answer.status {
            200 => serde_json::from_str(&answer.body).map(Some).map_err(|_| ApiProblem::Server { status: 200 }),
            401 => Ok(None),
            status => Err(ApiProblem::from_answer(status, &answer.body, answer.retry_after.as_deref())),
        }
    }
}
