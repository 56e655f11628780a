use web_sys::Element;

use super::dom::{set, Dom};
use crate::i18n::{Key, Lang};
use crate::model::Image;

/// An image with its caption and credit. Its box is sized before the image arrives (from
/// `width`/`height`, or a 16:9 frame when the document gives none), so nothing below it moves.
pub fn write_figure(dom: &Dom, parent: &Element, image: &Image, lang: Lang, class: &str, lazy: bool) {
    let Some(figure) = dom.child(parent, "figure", class) else { return };
    let sized = image.width.is_some() && image.height.is_some();
    let image_class = if sized { "kq-figure__img" } else { "kq-figure__img kq-figure__img--unsized" };
    write_img(dom, &figure, image_class, image, &image.alt, lazy);
    if image.caption.is_none() && image.credit.is_none() {
        return;
    }
    let Some(caption) = dom.child(&figure, "figcaption", "kq-figure__caption") else { return };
    if let Some(text) = &image.caption {
        dom.child_with_text(&caption, "span", "kq-figure__text", text);
        if image.credit.is_some() {
            dom.text(&caption, " ");
        }
    }
    if let Some(text) = &image.credit {
        let credit = format!("{} {text}", lang.text(Key::ArticleCredit));
        dom.child_with_text(&caption, "span", "kq-figure__credit", &credit);
    }
}

/// An `<img>` with its intrinsic size when known (so that its box is reserved), decoded off the
/// main thread.
pub fn write_img(dom: &Dom, parent: &Element, class: &str, image: &Image, alt: &str, lazy: bool) {
    let Some(img) = dom.child(parent, "img", class) else { return };
    set(&img, "src", &image.src);
    set(&img, "alt", alt);
    for (name, value) in [("width", image.width), ("height", image.height)] {
        if let Some(value) = value {
            set(&img, name, &value.to_string());
        }
    }
    if lazy {
        set(&img, "loading", "lazy");
    }
    set(&img, "decoding", "async");
}
