//! The comment list and form mounted in headless Chromium: nesting, text as text, validation,
//! captcha and drafts. (Submitting to a real server is covered end to end by e2e/comments.spec.ts.)
#![cfg(target_arch = "wasm32")]

use kiosque::components::comments::form::{CommentForm, FormContext};
use kiosque::components::comments::list::{list_click, show_threads, ListClick, ListContext};
use kiosque::config::{CaptchaKind, CommentSettings};
use kiosque::i18n::Lang;
use kiosque::model::comment::EmailPolicy;
use kiosque::model::comments::{build_threads, parse_comments_page, Comment, Draft};
use kiosque::model::reader_actions::{CastVotes, OwnComment, OwnComments, ReaderActions};
use kiosque::model::Milli;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/dom.rs"]
mod dom;
use dom::{all, document, host, one, settle, text};

const PAGE: &str = r#"{"items": [
  {"id": "1", "parent": null, "author": {"name": "Awa", "url": "https://awa.example"}, "text": "Premier paragraphe.\n\nVoir https://exemple.sn/x. <script>alert(1)</script>", "created": "2026-11-22T08:30:00Z", "status": "approved"},
  {"id": "2", "parent": "1", "author": {"name": "Moussa", "url": null}, "text": "Réponse", "created": "2026-11-22T09:00:00Z", "status": "approved"},
  {"id": "3", "parent": "2", "author": {"name": "Inès", "url": null}, "text": "Réponse à la réponse", "created": "2026-11-22T09:10:00Z", "status": "approved"},
  {"id": "4", "parent": "3", "author": {"name": "Kofi", "url": null}, "text": "Encore plus bas", "created": "2026-11-22T09:20:00Z", "status": "approved"}
], "total": 4, "next": null}"#;

fn list_context(can_reply: bool) -> ListContext {
    ListContext {
        lang: Lang::Fr,
        locale: "fr".into(),
        can_reply,
        actions: ReaderActions::default(),
        own: OwnComments::default(),
        votes: CastVotes::default(),
        now_ms: 0,
    }
}

fn show_list_with(items: Vec<Comment>, context: ListContext) -> HtmlElement {
    let root = host(&[]);
    let list = document().create_element("ol").expect("ol");
    root.append_child(&list).expect("append");
    show_threads(&list, &build_threads(&items), &context);
    root
}

fn show_list(items: Vec<Comment>, can_reply: bool) -> HtmlElement {
    show_list_with(items, list_context(can_reply))
}

#[wasm_bindgen_test]
fn threads_nest_three_levels_and_text_stays_text() {
    let items = parse_comments_page(PAGE).expect("page").items;
    let root = show_list(items, true);
    assert_eq!(all(&root, ":scope > ol > li.kq-comment").len(), 1);
    assert_eq!(all(&root, ":scope > ol > li > ol > li").len(), 1, "level 2");
    assert_eq!(all(&root, ":scope > ol > li > ol > li > ol > li").len(), 2, "level 3 holds the deeper reply too");
    assert!(root.query_selector("li li li li").expect("selector").is_none(), "never a fourth level");
    let first = one(&root, "#kq-comment-1 .kq-comment__text");
    assert_eq!(all(&first, "p").len(), 2);
    assert!(first.text_content().unwrap_or_default().contains("<script>alert(1)</script>"));
    assert!(first.query_selector("script").expect("selector").is_none());
    let link = one(&first, "a");
    assert_eq!(link.get_attribute("href").as_deref(), Some("https://exemple.sn/x"));
    assert_eq!(link.get_attribute("rel").as_deref(), Some("nofollow ugc noopener"));
    let author = one(&root, "#kq-comment-1 .kq-comment__author a");
    assert_eq!(author.get_attribute("rel").as_deref(), Some("nofollow ugc noopener"));
    assert_eq!(one(&root, "#kq-comment-1 time").get_attribute("datetime").as_deref(), Some("2026-11-22T08:30:00Z"));
    assert_eq!(one(&root, "#kq-comment-2 .kq-comment__reply").get_attribute("aria-label").as_deref(), Some("Répondre à Moussa"));
}

#[wasm_bindgen_test]
fn closed_comments_have_no_reply_buttons_and_pending_ones_are_marked() {
    let mut items = parse_comments_page(PAGE).expect("page").items;
    items[1].pending = true;
    let root = show_list(items, false);
    assert!(root.query_selector(".kq-comment__reply").expect("selector").is_none());
    assert_eq!(text(&root, "#kq-comment-2 .kq-comment__pending"), "En attente de modération");
}

#[wasm_bindgen_test]
fn a_click_names_the_comment_of_its_reply_button_and_a_redraw_replaces_the_list() {
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;

    let items = parse_comments_page(PAGE).expect("page").items;
    let root = show_list(items.clone(), true);
    let list = one(&root, "ol");
    let clicked = Rc::new(RefCell::new(Vec::new()));
    let record = Rc::clone(&clicked);
    let listener = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let hit = match list_click(&event) {
            Some(ListClick::Reply(id)) => format!("reply {id}"),
            Some(ListClick::Permalink(id)) => {
                event.prevent_default();
                format!("link {id}")
            }
            Some(ListClick::Vote(id, vote)) => format!("vote {id} {vote}"),
            Some(ListClick::Edit(id)) => format!("edit {id}"),
            Some(ListClick::Delete { id, confirmed, .. }) => format!("delete {id} {confirmed}"),
            None => "nothing".into(),
        };
        record.borrow_mut().push(hit);
    });
    list.add_event_listener_with_callback("click", listener.as_ref().unchecked_ref()).expect("listener");
    listener.forget();
    let click = |selector: &str| one(&root, selector).dyn_into::<HtmlElement>().expect("html").click();
    click("#kq-comment-2 .kq-comment__reply");
    click("#kq-comment-2 .kq-comment__text p");
    click("#kq-comment-2 .kq-comment__permalink");
    assert_eq!(*clicked.borrow(), vec!["reply 2", "nothing", "link 2"]);
    assert_eq!(one(&root, "#kq-comment-1 .kq-comment__permalink").get_attribute("href").as_deref(), Some("#kq-comment-1"));

    show_threads(&list, &build_threads(&items[..2]), &list_context(true));
    assert_eq!(all(&root, ".kq-comment").len(), 2, "the new list, not added to the old one");
}

fn form_context(prefix: &str, article: &str, captcha: CaptchaKind, email: EmailPolicy, reply_to: RwSignal<Option<(String, String)>>) -> FormContext {
    FormContext {
        lang: Lang::Fr,
        id_prefix: prefix.into(),
        heading_level: 3,
        article_id: article.into(),
        post_url: "/kiosque-test-nowhere".into(),
        timeout_ms: 2000,
        settings: CommentSettings { captcha, captcha_score: Milli(900), challenge_url: "/kiosque-test-nowhere".into(), email },
        site: None,
        reply_to,
        on_created: Callback::new(|_| {}),
        on_closed: Callback::new(|_| {}),
        edit_request: RwSignal::new(None),
        on_edited: Callback::new(|_| {}),
        reader_actions: Signal::derive(ReaderActions::default),
        voter: || "voter-web-test-0123456789".to_string(),
    }
}

fn mount_form(context: FormContext) -> HtmlElement {
    let root = host(&[]);
    leptos::mount::mount_to(root.clone(), move || view! { <CommentForm context=context/> }).forget();
    root
}

fn input(root: &Element, selector: &str) -> HtmlInputElement {
    one(root, selector).dyn_into().expect("input")
}

fn type_into(element: &HtmlElement, value: &str) {
    if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
        area.set_value(value);
    } else if let Some(field) = element.dyn_ref::<HtmlInputElement>() {
        field.set_value(value);
    }
    let event = web_sys::Event::new("input").expect("event");
    element.dispatch_event(&event).expect("dispatch");
}

#[wasm_bindgen_test]
async fn submitting_an_empty_form_lists_every_error_and_focuses_the_first() {
    let root = mount_form(form_context("tf1", "t-empty", CaptchaKind::Stub, EmailPolicy::Required, RwSignal::new(None)));
    let submit: HtmlElement = one(&root, "button[type=submit]").dyn_into().expect("button");
    assert_eq!(submit.text_content().as_deref(), Some("Publier le commentaire"));
    submit.click();
    settle(50).await;
    let summary = one(&root, ".kq-form__summary");
    assert_eq!(summary.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(text(&root, ".kq-form__summary p"), "Corrigez les 4 erreurs suivantes :");
    // In the order of the form, each linking to its field.
    let links: Vec<(String, String)> = all(&root, ".kq-form__summary a")
        .iter()
        .map(|link| (link.get_attribute("href").unwrap_or_default(), link.text_content().unwrap_or_default()))
        .collect();
    let hrefs: Vec<&str> = links.iter().map(|(href, _)| href.as_str()).collect();
    assert_eq!(hrefs, ["#tf1-text", "#tf1-name", "#tf1-email", "#tf1-captcha"]);
    assert_eq!(links[0].1, "Écrivez votre commentaire.");
    let textarea = one(&root, "#tf1-text");
    assert_eq!(textarea.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(textarea.get_attribute("aria-describedby").as_deref(), Some("tf1-text-counter tf1-text-error"));
    assert_eq!(text(&root, "#tf1-text-error"), "Écrivez votre commentaire.");
    assert_eq!(document().active_element().map(|e| e.id()).as_deref(), Some("tf1-text"));
    assert_eq!(text(&root, "#tf1-captcha-error"), "Confirmez que vous n’êtes pas un robot.");
}

#[wasm_bindgen_test]
async fn an_optional_email_is_not_required_but_still_checked() {
    let root = mount_form(form_context("tf2", "t-optional", CaptchaKind::None, EmailPolicy::Optional, RwSignal::new(None)));
    assert!(root.query_selector(".kq-captcha").expect("selector").is_none(), "data-captcha=none shows no check");
    assert!(text(&root, "label[for=tf2-email]").contains("(facultatif)"));
    let email: HtmlElement = one(&root, "#tf2-email").dyn_into().expect("input");
    type_into(&email, "pas une adresse");
    email.dispatch_event(&web_sys::Event::new("blur").expect("event")).expect("blur");
    settle(20).await;
    assert_eq!(text(&root, "#tf2-email-error"), "Cette adresse e-mail n’est pas valide (exemple : nom@exemple.sn).");
    assert_eq!(one(&root, "#tf2-email").get_attribute("aria-describedby").as_deref(), Some("tf2-email-hint tf2-email-error"));
    type_into(&email, "");
    email.dispatch_event(&web_sys::Event::new("blur").expect("event")).expect("blur");
    settle(20).await;
    assert!(root.query_selector("#tf2-email-error").expect("selector").is_none());
}

#[wasm_bindgen_test]
async fn the_counter_follows_the_text_and_warns_past_the_limit() {
    let root = mount_form(form_context("tf3", "t-counter", CaptchaKind::Stub, EmailPolicy::Required, RwSignal::new(None)));
    let area: HtmlElement = one(&root, "#tf3-text").dyn_into().expect("textarea");
    type_into(&area, "  Été  ");
    settle(20).await;
    assert_eq!(text(&root, "#tf3-text-counter"), "3 / 5000 caractères");
    type_into(&area, &"é".repeat(5001));
    settle(20).await;
    assert!(one(&root, "#tf3-text-counter").class_list().contains("kq-field__counter--over"));
}

#[wasm_bindgen_test]
async fn the_draft_is_kept_as_the_reader_types_and_restored_on_the_next_visit() {
    let storage = web_sys::window().expect("window").local_storage().expect("storage").expect("local storage");
    storage.remove_item("kiosque:draft:t-draft").expect("clean");
    let reply_to = RwSignal::new(None);
    let root = mount_form(form_context("tf4", "t-draft", CaptchaKind::Stub, EmailPolicy::Required, reply_to));
    let area: HtmlElement = one(&root, "#tf4-text").dyn_into().expect("textarea");
    type_into(&area, "Un brouillon précieux");
    reply_to.set(Some(("7".into(), "Moussa".into())));
    settle(400).await;
    let saved = Draft::from_json(&storage.get_item("kiosque:draft:t-draft").expect("read").expect("draft saved")).expect("draft");
    assert_eq!(saved.text, "Un brouillon précieux");
    assert_eq!(saved.reply_to, Some(("7".into(), "Moussa".into())));
    assert!(!saved.idempotency_key.is_empty());

    let again = mount_form(form_context("tf5", "t-draft", CaptchaKind::Stub, EmailPolicy::Required, RwSignal::new(None)));
    settle(20).await;
    assert_eq!(one(&again, "#tf5-text").dyn_into::<HtmlTextAreaElement>().expect("textarea").value(), "Un brouillon précieux");
    assert!(text(&again, ".kq-form__replying").starts_with("Réponse à Moussa"));
    assert_eq!(text(&again, "[role=status]"), "Votre brouillon a été restauré.");
    let restored = Draft::from_json(&storage.get_item("kiosque:draft:t-draft").expect("read").expect("draft")).expect("draft");
    assert_eq!(restored.idempotency_key, saved.idempotency_key, "the same draft keeps its idempotency key");
}

#[wasm_bindgen_test]
async fn cancelling_a_reply_clears_the_target() {
    let reply_to = RwSignal::new(Some(("9".to_string(), "Inès".to_string())));
    let root = mount_form(form_context("tf6", "t-reply", CaptchaKind::Stub, EmailPolicy::Required, reply_to));
    assert!(text(&root, ".kq-form__replying").contains("Réponse à Inès"));
    one(&root, ".kq-form__replying button").dyn_into::<HtmlElement>().expect("button").click();
    settle(20).await;
    assert!(root.query_selector(".kq-form__replying").expect("selector").is_none());
    assert_eq!(reply_to.get_untracked(), None);
}

#[wasm_bindgen_test]
fn the_honeypot_is_hidden_from_people_and_assistive_technology() {
    let root = mount_form(form_context("tf7", "t-trap", CaptchaKind::Stub, EmailPolicy::Required, RwSignal::new(None)));
    let trap = one(&root, ".kq-form__trap");
    assert_eq!(trap.get_attribute("aria-hidden").as_deref(), Some("true"));
    let field = input(&root, ".kq-form__trap input");
    assert_eq!(field.get_attribute("tabindex").as_deref(), Some("-1"));
    assert_eq!(field.get_attribute("autocomplete").as_deref(), Some("off"));
    // Off screen is the stylesheet's part, checked end to end (the test page has no stylesheet).
}

#[wasm_bindgen_test]
async fn proof_of_work_reports_a_challenge_it_cannot_get() {
    let root = mount_form(form_context("tf8", "t-pow", CaptchaKind::Pow, EmailPolicy::Required, RwSignal::new(None)));
    one(&root, "#tf8-captcha").dyn_into::<HtmlElement>().expect("button").click();
    for _ in 0..60 {
        if text(&root, ".kq-captcha__status") == "La vérification n’a pas pu aboutir. Réessayez." {
            return;
        }
        settle(50).await;
    }
    panic!("the failed check was not reported: {:?}", text(&root, ".kq-captcha__status"));
}

#[wasm_bindgen_test]
fn votes_show_on_others_comments_and_edit_delete_on_ones_own_while_its_time_lasts() {
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;

    let mut items = parse_comments_page(PAGE).expect("page").items;
    items[0].score = 3;
    items[1].edited = true;
    let mut context = list_context(true);
    context.actions = ReaderActions { vote: true, edit_seconds: 900, notify: false };
    context.now_ms = 1_000;
    context.own.add(OwnComment { id: "2".into(), token: "t".into(), until_ms: 2_000 });
    context.own.add(OwnComment { id: "3".into(), token: "t".into(), until_ms: 500 });
    context.votes.set("1", 1);
    let root = show_list_with(items, context);

    assert_eq!(text(&root, "#kq-comment-1 > article .kq-votes__score"), "Score :3");
    let up = one(&root, "#kq-comment-1 > article .kq-vote--up");
    assert_eq!(up.get_attribute("aria-pressed").as_deref(), Some("true"), "this device's vote");
    assert_eq!(up.get_attribute("aria-label").as_deref(), Some("Approuver le commentaire de Awa"));
    assert_eq!(one(&root, "#kq-comment-1 > article .kq-vote--down").get_attribute("aria-pressed").as_deref(), Some("false"));
    assert!(root.query_selector("#kq-comment-2 > article .kq-vote").expect("selector").is_none(), "not on one's own comment");
    assert_eq!(text(&root, "#kq-comment-2 > article .kq-comment__edited"), "modifié");
    assert_eq!(all(&root, "#kq-comment-2 > article .kq-comment__own button").len(), 2);
    assert!(root.query_selector("#kq-comment-3 > article .kq-comment__own").expect("selector").is_none(), "its time is over");

    let list = one(&root, "ol");
    let clicked = Rc::new(RefCell::new(Vec::new()));
    let record = Rc::clone(&clicked);
    let listener = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        record.borrow_mut().push(match list_click(&event) {
            Some(ListClick::Vote(id, vote)) => format!("vote {id} {vote}"),
            Some(ListClick::Edit(id)) => format!("edit {id}"),
            Some(ListClick::Delete { id, confirmed, .. }) => format!("delete {id} {confirmed}"),
            _ => "other".into(),
        });
    });
    list.add_event_listener_with_callback("click", listener.as_ref().unchecked_ref()).expect("listener");
    listener.forget();
    let click = |selector: &str| one(&root, selector).dyn_into::<HtmlElement>().expect("html").click();
    click("#kq-comment-1 > article .kq-vote--down");
    click("#kq-comment-2 > article [data-edit]");
    click("#kq-comment-2 > article [data-delete]");
    assert_eq!(*clicked.borrow(), vec!["vote 1 -1", "edit 2", "delete 2 false"]);
}

#[wasm_bindgen_test]
async fn the_reply_email_box_shows_only_when_the_server_sends_mail() {
    let off = mount_form(form_context("tf9", "t-notify-off", CaptchaKind::None, EmailPolicy::Required, RwSignal::new(None)));
    assert!(one(&off, "input[name=notify]").dyn_into::<HtmlElement>().expect("input").offset_parent().is_none(), "hidden");
    let mut context = form_context("tf10", "t-notify-on", CaptchaKind::None, EmailPolicy::Optional, RwSignal::new(None));
    context.reader_actions = Signal::derive(|| ReaderActions { vote: false, edit_seconds: 0, notify: true });
    let on = mount_form(context);
    settle(20).await;
    let notify = input(&on, "input[name=notify]");
    assert!(notify.offset_parent().is_some(), "shown");
    assert_eq!(notify.get_attribute("aria-describedby").as_deref(), Some("tf10-notify-hint"));
    notify.click();
    one(&on, "button[type=submit]").dyn_into::<HtmlElement>().expect("button").click();
    settle(50).await;
    assert_eq!(text(&on, "#tf10-email-error"), "Indiquez votre adresse e-mail.", "the emails need an address");
}

#[wasm_bindgen_test]
async fn an_edit_request_turns_the_form_into_an_editor_and_cancel_brings_the_draft_back() {
    let storage = web_sys::window().expect("window").local_storage().expect("storage").expect("local storage");
    storage.remove_item("kiosque:draft:t-edit").expect("clean");
    let reply_to = RwSignal::new(Some(("3".to_string(), "Moussa".to_string())));
    let context = form_context("tf11", "t-edit", CaptchaKind::Stub, EmailPolicy::Required, reply_to);
    let edit_request = context.edit_request;
    let root = mount_form(context);
    let area: HtmlElement = one(&root, "#tf11-text").dyn_into().expect("textarea");
    type_into(&area, "Mon nouveau commentaire en cours");
    settle(20).await;
    assert_eq!(text(&root, ".kq-form__replying"), "Réponse à Moussa Annuler la réponse");
    edit_request.set(Some((OwnComment { id: "7".into(), token: "t".into(), until_ms: i64::MAX }, "Texte publié".into())));
    settle(50).await;
    assert_eq!(text(&root, ".kq-form__title"), "Modifier votre commentaire");
    assert_eq!(area.dyn_ref::<HtmlTextAreaElement>().expect("textarea").value(), "Texte publié");
    assert!(one(&root, "#tf11-name").dyn_into::<HtmlElement>().expect("input").offset_parent().is_none(), "only the text changes");
    assert_eq!(text(&root, "button[type=submit]"), "Enregistrer la modification");
    assert!(root.query_selector(".kq-form__replying").expect("selector").is_none(), "an edit answers nobody");
    one(&root, ".kq-form__cancel-edit").dyn_into::<HtmlElement>().expect("button").click();
    settle(50).await;
    assert_eq!(text(&root, ".kq-form__title"), "Laisser un commentaire");
    assert_eq!(area.dyn_ref::<HtmlTextAreaElement>().expect("textarea").value(), "Mon nouveau commentaire en cours");
    assert_eq!(text(&root, ".kq-form__replying"), "Réponse à Moussa Annuler la réponse", "the reply it was");
    assert!(one(&root, ".kq-form__cancel-edit").dyn_into::<HtmlElement>().expect("button").offset_parent().is_none());
}
