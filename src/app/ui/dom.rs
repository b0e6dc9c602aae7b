//! A small DOM builder for large read-only reports (the Segments cards, a customer's history)
//! and the customer list's rows, and the focus moves within what it builds. The one module of
//! `src/app` that touches DOM nodes directly (`tests/arch.rs` allows it; everything else of the
//! browser goes through `src/shell`).
//!
//! Leptos' typed views compile every element of a template into its own build/rebuild code —
//! fast, but about a hundred bytes of wasm per element, which for pages of tables and charts
//! was most of the bundle. Reports that are redrawn as a whole when their data changes are
//! built here instead: a handful of non-generic functions that create elements and **text
//! nodes only** (there is no way to insert markup), wrapped by [`live`] in a Leptos component
//! that redraws when the signals it reads change. Links are plain `<a href>`: the router
//! handles their clicks like any other link.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

const SVG: &str = "http://www.w3.org/2000/svg";

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Replaces the children of `parent` with `children` (the list's visible rows).
pub fn replace_children(parent: &web_sys::Element, children: Vec<El>) {
    parent.set_text_content(None);
    for c in children {
        c.append_to(parent);
    }
}

/// The row (`tr[data-row]`) and kind of control (tag name) that has the keyboard focus inside
/// `within`, if any: to put it back after the rows are rebuilt ([`refocus`]).
pub fn focused_row(within: &web_sys::Element) -> Option<(String, String)> {
    let active = document()?.active_element()?;
    if !within.contains(Some(&active)) {
        return None;
    }
    let tr = active.closest("tr[data-row]").ok()??;
    Some((tr.get_attribute("data-row")?, active.tag_name().to_ascii_lowercase()))
}

/// Focuses the control of kind `tag` in row `row` of `within` (see [`focused_row`]).
pub fn refocus(within: &web_sys::Element, row: String, tag: &str) {
    let sel = format!("tr[data-row=\"{row}\"] {tag}");
    focus_html(within.query_selector(&sel).ok().flatten());
}

/// Focuses the first element of the page that matches `selector` (after the next frame, so
/// that what the current update renders is there), e.g. the first invalid field.
pub fn focus_first(selector: &'static str) {
    request_animation_frame(move || focus_html(document().and_then(|d| d.query_selector(selector).ok().flatten())));
}

/// Focuses the element with this id after the next frame (once a redraw has put it back).
pub fn focus_id_later(id: String) {
    request_animation_frame(move || {
        crate::shell::page::focus_element(&id);
    });
}

fn focus_html(e: Option<web_sys::Element>) {
    if let Some(e) = e.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = e.focus();
    }
}

/// The checkbox an event came from: its `data-id` and whether it is checked now.
pub fn checkbox(ev: &leptos::ev::Event) -> Option<(String, bool)> {
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    Some((input.get_attribute("data-id")?, input.checked()))
}

/// An element under construction.
pub struct El(Option<web_sys::Element>);

/// An HTML element.
#[inline(never)]
pub fn el(tag: &str) -> El {
    El(document().and_then(|d| d.create_element(tag).ok()))
}

/// An SVG element.
#[inline(never)]
pub fn svg(tag: &str) -> El {
    El(document().and_then(|d| d.create_element_ns(Some(SVG), tag).ok()))
}

// Not inlined: a report is long chains of these calls, and one shared copy of each keeps the
// bundle small (the DOM work dominates their cost anyway).
impl El {
    #[inline(never)]
    pub fn attr(self, name: &str, value: &str) -> El {
        if let Some(e) = &self.0 {
            let _ = e.set_attribute(name, value);
        }
        self
    }

    #[inline(never)]
    pub fn class(self, value: &str) -> El {
        self.attr("class", value)
    }

    /// Appends text (as a text node: never parsed as markup).
    #[inline(never)]
    pub fn text(self, text: &str) -> El {
        if let (Some(e), Some(d)) = (&self.0, document()) {
            let _ = e.append_child(&d.create_text_node(text));
        }
        self
    }

    #[inline(never)]
    pub fn child(self, child: El) -> El {
        if let (Some(e), Some(c)) = (&self.0, child.0) {
            let _ = e.append_child(&c);
        }
        self
    }

    #[inline(never)]
    pub fn children(mut self, children: Vec<El>) -> El {
        for c in children {
            self = self.child(c);
        }
        self
    }

    /// Sets the CSS height through the CSSOM (a `style` attribute would need a CSP exception).
    pub fn height(self, px: f64) -> El {
        self.css("height", &format!("{px}px"))
    }

    /// Sets a CSS property (camelCase, e.g. `left`) through the CSSOM.
    #[inline(never)]
    pub fn css(self, property: &str, value: &str) -> El {
        if let Some(style) = self.0.as_ref().and_then(|e| js_sys::Reflect::get(e, &"style".into()).ok()) {
            let _ = js_sys::Reflect::set(&style, &property.into(), &value.into());
        }
        self
    }

    /// Adds the element at the end of `parent`.
    pub fn append_to(self, parent: &web_sys::Element) {
        if let Some(e) = self.0 {
            let _ = parent.append_child(&e);
        }
    }

    /// A link to a route of the app (`/customers?…`, put under the base path) or any URL.
    #[inline(never)]
    pub fn link(href: &str, text: &str) -> El {
        let href = if href.starts_with('/') && !href.starts_with("//") {
            crate::app::paths::href(href)
        } else {
            href.to_string()
        };
        el("a").attr("href", &href).text(text)
    }
}

/// A Leptos view holding what `build` makes; built again whenever a signal that `build` reads
/// changes. `build` must read its signals (it runs inside an effect).
pub fn live(class: &'static str, build: impl Fn() -> El + 'static) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let Some(host) = node.get() else { return };
        let fresh = build();
        let host: &web_sys::Element = host.unchecked_ref();
        host.set_text_content(None);
        if let Some(e) = fresh.0 {
            let _ = host.append_child(&e);
        }
    });
    view! { <div class=class node_ref=node></div> }
}

/// A translated message with its `{name}` placeholders filled in. (Messages are plain strings
/// to leptos_i18n; interpolating here keeps every message one string instead of a view per
/// language.)
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// A message about `count` things with the plural form right: `one` (the `<key>_one` message,
/// e.g. "1 record from the server could not be read") when `count` is 1, else `other` (the
/// `<key>` message). Chinese has one form: its `_one` message is the same text. `{count}` and
/// `args` are filled in.
pub fn fill_count(one: &str, other: &str, count: usize, args: &[(&str, &str)]) -> String {
    let n = count.to_string();
    let mut all: Vec<(&str, &str)> = vec![("count", &n)];
    all.extend_from_slice(args);
    fill(if count == 1 { one } else { other }, &all)
}
