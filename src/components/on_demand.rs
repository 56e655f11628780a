//! The sections under the article (related news, comments) whose code is a wasm part of its own in
//! a release build (feature `split`). Until a section's code is there, its placeholder holds its
//! place (the heading and a grey block, as the section itself starts); the code is requested when
//! the placeholder comes near the viewport (the same kind of trigger as the section's list, a
//! screen further ahead), so a reader who never scrolls there never downloads it. A failed
//! download shows the section's error with Retry. Written into the DOM, like the widget (see
//! [`super::widget`]): the sections mount their Leptos components themselves.

use std::any::Any;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;

use leptos::wasm_split::SplitLoaderError;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, HtmlElement};

use super::comments::{mount_comment_section, CommentsSettings};
use super::dom::{remove_children_after, set, Dom};
use super::inline::write_heading;
use super::related::{mount_related_section, RelatedSettings};
use super::status::write_retry_box;
use crate::i18n::{Key, Lang};
use crate::model::comments::permalink_target;
use crate::model::{lists_others, Article};
use crate::web;

/// How far ahead of the viewport a section's code is requested: two screens, one more than its
/// list (`super::paged::PRELOAD_MARGIN`), since the code is a download and a compilation before the
/// list's own request. At one screen, the benchmark's reader (a screen every 100 ms) reached the
/// comment form before the first page of comments, which then pushed it down (CLS 0.025).
const PART_MARGIN: &str = "200% 0px";

/// A section its code mounted; dropping it unmounts the section (its requests cancelled, its
/// observers stopped).
pub type MountedSection = Box<dyn Any>;

type SectionCode = Pin<Box<dyn Future<Output = Result<MountedSection, SplitLoaderError>>>>;

/// The sections of the article on show, mounted or waiting for their code.
#[derive(Default)]
pub struct SectionParts(Vec<Rc<Part>>);

impl SectionParts {
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

/// One section's place: its placeholder, then the section.
struct Part {
    /// The section's place (`div.kq-part`): the placeholder's section, which the section's code
    /// mounts its content into, after the heading.
    place: HtmlElement,
    /// Its name (`data-kq-part`, the console), and the error the reader sees.
    what: &'static str,
    error: (&'static str, Key),
    lang: Lang,
    /// Mounts the section into the placeholder's section element.
    build: Box<dyn Fn(HtmlElement) -> SectionCode>,
    state: RefCell<PartState>,
}

enum PartState {
    Waiting { _watch: Option<web::NearWatch> },
    Loading,
    Failed { _retry: Closure<dyn Fn()> },
    /// Dropped with the part (another article), which unmounts the section.
    Mounted { _section: MountedSection },
}

impl Part {
    fn load(self: &Rc<Self>) {
        if !matches!(*self.state.borrow(), PartState::Waiting { .. } | PartState::Failed { .. }) {
            return;
        }
        let Some(section) = self.place.first_element_child().and_then(|section| section.dyn_into::<HtmlElement>().ok()) else { return };
        self.state.replace(PartState::Loading);
        set(&section, "aria-busy", "true");
        let code = (self.build)(section.clone());
        let part = Rc::downgrade(self);
        spawn_local(async move {
            let result = code.await;
            let _ = section.remove_attribute("aria-busy");
            let Some(part) = part.upgrade() else { return };
            match result {
                Ok(section) => {
                    part.state.replace(PartState::Mounted { _section: section });
                }
                Err(error) => {
                    web::error(&format!("Kiosque: the code of the section {}: {error}", part.what));
                    part.show_failed();
                }
            }
        });
    }

    /// The placeholder's grey block gives way to the section's error and its Retry button; Retry
    /// brings the block back, and keyboard focus to the heading (the button goes).
    fn show_failed(self: &Rc<Self>) {
        let Some(dom) = Dom::new() else { return };
        let Some(section) = self.place.first_element_child() else { return };
        let block = section.query_selector(".kq-part__placeholder").ok().flatten();
        if let Some(block) = &block {
            set(block, "hidden", "");
        }
        let (class, message) = self.error;
        let part = Rc::downgrade(self);
        let retried = section.clone();
        let retry = Closure::<dyn Fn()>::new(move || {
            let Some(part) = part.upgrade() else { return };
            let section = &retried;
            let heading = section.first_element_child().and_then(|heading| heading.dyn_into::<HtmlElement>().ok());
            if let Some(heading) = heading {
                let _ = heading.focus();
            }
            if let Some(error) = section.query_selector("[role=alert]").ok().flatten() {
                error.remove();
            }
            if let Some(block) = &block {
                let _ = block.remove_attribute("hidden");
            }
            part.load();
        });
        if let Some(button) = write_retry_box(&dom, &section, class, self.lang, message) {
            let _ = button.add_event_listener_with_callback("click", retry.as_ref().unchecked_ref());
        }
        self.state.replace(PartState::Failed { _retry: retry });
    }
}

/// Writes a section's place at the end of `parent` with its placeholder, made by `write_start`
/// (which returns the section element), and requests its code when near, or at once with `now`.
fn write_part(
    dom: &Dom,
    parent: &Element,
    parts: &mut SectionParts,
    (what, error, lang): (&'static str, (&'static str, Key), Lang),
    now: bool,
    write_start: impl FnOnce(&Element) -> Option<Element>,
    build: Box<dyn Fn(HtmlElement) -> SectionCode>,
) {
    let Some(place) = dom.child(parent, "div", "kq-part").and_then(|place| place.dyn_into::<HtmlElement>().ok()) else { return };
    set(&place, "data-kq-part", what);
    let Some(section) = write_start(&place) else { return };
    let part = Rc::new(Part { place, what, error, lang, build, state: RefCell::new(PartState::Waiting { _watch: None }) });
    parts.0.push(Rc::clone(&part));
    if now {
        part.load();
        return;
    }
    let near = Rc::downgrade(&part);
    let watch = web::when_near_viewport(
        &section,
        PART_MARGIN,
        Box::new(move || {
            if let Some(part) = near.upgrade() {
                part.load();
            }
        }),
    );
    let mut state = part.state.borrow_mut();
    if let PartState::Waiting { _watch } = &mut *state {
        *_watch = watch;
    }
}

/// The section element and its heading, as the section itself starts.
fn write_section_start(dom: &Dom, place: &Element, class: &str, heading_id: &str, level: u8, title: &str) -> Option<Element> {
    let section = dom.child(place, "section", class)?;
    set(&section, "aria-labelledby", heading_id);
    let heading = write_heading(dom, &section, level, &format!("{class}__title"))?;
    set(&heading, "id", heading_id);
    set(&heading, "tabindex", "-1");
    dom.text(&heading, title);
    Some(section)
}

/// The heading of a section's placeholder, what follows it removed: the section mounts its own
/// content after it. The section and its heading stay the same elements, so that a reader (or a
/// screen reader) on them is not moved when the code arrives.
pub fn keep_heading(section: &Element) -> Option<Element> {
    let heading = section.first_element_child();
    remove_children_after(section, heading.as_ref().map(AsRef::as_ref));
    heading
}

/// The section's code, as a part awaits it: downloaded first in a split build, at hand otherwise.
macro_rules! section_code {
    ($mount:expr) => {{
        #[cfg(feature = "split")]
        let code: SectionCode = Box::pin($mount);
        #[cfg(not(feature = "split"))]
        let code: SectionCode = Box::pin(std::future::ready($mount));
        code
    }};
}

/// The related news under `article`. `on_open` receives a related article's address when inline
/// mode takes over a click.
pub fn write_related_on_demand(
    dom: &Dom,
    parent: &Element,
    parts: &mut SectionParts,
    article: Arc<Article>,
    settings: RelatedSettings,
    on_open: Rc<dyn Fn(String)>,
) {
    let Some(related) = article.related.as_ref() else { return };
    if related.url.is_none() && !lists_others(&related.items, &article.id, article.url.as_ref().map(|u| u.url.as_str())) {
        return;
    }
    let lang = settings.lang;
    let title = related.title.clone().unwrap_or_else(|| lang.text(Key::RelatedTitle).to_string());
    let heading_id = format!("{}-related", settings.id_prefix);
    let level = settings.heading_level;
    let write_start = |place: &Element| {
        let section = write_section_start(dom, place, "kq-related", &heading_id, level, &title)?;
        if let Some(block) = dom.child(&section, "div", "kq-related__placeholder kq-part__placeholder") {
            set(&block, "aria-hidden", "true");
        }
        Some(section)
    };
    let build = Box::new(move |place: HtmlElement| {
        section_code!(mount_related_section(place, Arc::clone(&article), settings.clone(), Rc::clone(&on_open)))
    });
    write_part(dom, parent, parts, ("related", ("kq-related__error", Key::RelatedError), lang), false, write_start, build);
}

/// The comments under `article`: at once when the address names a comment, so that the page can go
/// to it.
pub fn write_comments_on_demand(dom: &Dom, parent: &Element, parts: &mut SectionParts, article: Arc<Article>, settings: CommentsSettings) {
    let Some(info) = article.comments.clone().filter(|info| info.url.is_some()) else { return };
    let (lang, level) = (settings.lang, settings.heading_level);
    let title = lang.count(u64::from(info.count), Key::CommentsTitleOne, Key::CommentsTitleOther);
    let heading_id = format!("{}-comments", settings.id_prefix);
    let write_start = |place: &Element| {
        let section = write_section_start(dom, place, "kq-comments", &heading_id, level, &title)?;
        let block = (info.count != 0).then(|| dom.child(&section, "div", "kq-comments__placeholder kq-part__placeholder")).flatten();
        if let Some(block) = block {
            set(&block, "aria-hidden", "true");
        }
        if !info.open {
            dom.child_with_text(&section, "p", "kq-comments__closed", lang.text(Key::CommentsClosed));
        }
        Some(section)
    };
    let now = permalink_target(&web::location().1).is_some();
    let build = Box::new(move |place: HtmlElement| section_code!(mount_comment_section(place, Arc::clone(&article), settings.clone())));
    write_part(dom, parent, parts, ("comments", ("kq-comments__error", Key::CommentsError), lang), now, write_start, build);
}
