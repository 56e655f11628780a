//! The contract's `table` block: a real `<table>` inside a focusable region that scrolls sideways,
//! so a wide table never widens the page on a phone and a keyboard user can scroll it too.

use web_sys::Element;

use super::dom::{set, Dom};
use super::inline::write_inline;
use crate::i18n::{Key, Lang};
use crate::model::{Inline, Table};

pub fn write_table(dom: &Dom, parent: &Element, table: &Table, lang: Lang) {
    let Some(block) = dom.child(parent, "div", "kq-table") else { return };
    // A `<caption>` is as wide as its table: on a phone most of it would scroll out of sight with
    // the columns. Readers see this copy, above the region; assistive technology reads the real one.
    if let Some(caption) = &table.caption {
        if let Some(visible) = dom.child_with_text(&block, "p", "kq-table__caption", caption) {
            set(&visible, "aria-hidden", "true");
        }
    }
    let Some(region) = dom.child(&block, "div", "kq-table__scroll") else { return };
    set(&region, "role", "region");
    set(&region, "tabindex", "0");
    set(&region, "aria-label", table.caption.as_deref().unwrap_or(lang.text(Key::ArticleTable)));
    let Some(element) = dom.child(&region, "table", "kq-table__table") else { return };
    if let Some(caption) = &table.caption {
        dom.child_with_text(&element, "caption", "kq-visually-hidden", caption);
    }
    write_rows(dom, &element, "thead", &table.head, "th");
    write_rows(dom, &element, "tbody", &table.rows, "td");
}

fn write_rows(dom: &Dom, table: &Element, section_tag: &str, rows: &[Vec<Inline>], cell_tag: &str) {
    if rows.is_empty() {
        return;
    }
    let Some(section) = dom.child(table, section_tag, "") else { return };
    for row in rows {
        let Some(tr) = dom.child(&section, "tr", "") else { continue };
        for cell in row {
            if let Some(element) = dom.child(&tr, cell_tag, "") {
                if cell_tag == "th" {
                    set(&element, "scope", "col");
                }
                write_inline(dom, &element, cell);
            }
        }
    }
}
