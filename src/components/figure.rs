use leptos::prelude::*;

use crate::i18n::{Key, Lang};
use crate::model::Image;

/// An image with its caption and credit. Its box is sized before the image arrives (from
/// `width`/`height`, or a 16:9 frame when the document gives none), so nothing below it moves.
pub fn figure(image: &Image, lang: Lang, class: &'static str, lazy: bool) -> AnyView {
    let sized = image.width.is_some() && image.height.is_some();
    let caption = image.caption.clone();
    let credit = image.credit.clone();
    let has_caption = caption.is_some() || credit.is_some();
    let separator = (caption.is_some() && credit.is_some()).then_some(" ");
    view! {
        <figure class=class>
            <img
                class="kq-figure__img"
                class:kq-figure__img--unsized=!sized
                src=image.src.clone()
                alt=image.alt.clone()
                width=image.width
                height=image.height
                loading=lazy.then_some("lazy")
                decoding="async"
            />
            {has_caption.then(|| view! {
                <figcaption class="kq-figure__caption">
                    {caption.map(|text| view! { <span class="kq-figure__text">{text}</span> })}
                    {separator}
                    {credit.map(|text| view! {
                        <span class="kq-figure__credit">{lang.text(Key::ArticleCredit)} " " {text}</span>
                    })}
                </figcaption>
            })}
        </figure>
    }
    .into_any()
}
