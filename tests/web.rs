//! wasm-bindgen tests, run in headless Chromium: components mounted into the real DOM, and the
//! shell's browser APIs the app calls (other tabs, the page).
#![cfg(target_arch = "wasm32")]
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::{TimeZone, Utc};
use kehu::app::i18n::Locale;
use kehu::app::i18n::provide_i18n;
use kehu::app::pages::customers::CustomerTable;
use kehu::app::state::provide_workspace;
use kehu::app::ui::labels;
use kehu::app::ui::layout::LanguageSelect;
use kehu::core::demo::{self, DemoConfig};
use kehu::core::model::Dataset;
use kehu::core::model::*;
use kehu::core::validate::{Problem, Validate};
use kehu::core::workspace::{Source, Workspace};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use leptos_router::components::Router;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;

wasm_bindgen_test_configure!(run_in_browser);

const HOSTILE: &str = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">";

fn customer(id: &str, name: &str, owner: Option<&str>) -> Customer {
    let t = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    Customer {
        name: name.into(),
        role: SupplyChainRole::Distributor,
        region: "华东".into(),
        country: "CN".into(),
        city: "杭州".into(),
        owner: owner.map(Into::into),
        tags: vec!["VMI".into(), "javascript:alert(1)".into()],
        payment_terms_days: 30,
        ..Customer::blank(id, Currency::CNY, t)
    }
}

fn wrapper() -> web_sys::HtmlElement {
    let document = document();
    let el = document.create_element("section").unwrap();
    document.body().unwrap().append_child(&el).unwrap();
    el.unchecked_into()
}

fn text(el: &web_sys::Element) -> String {
    el.text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn customer_table_renders_rows_as_text_and_translates() {
    let data = Dataset {
        customers: vec![
            customer("C1", "杭州精工机床有限公司", Some("王磊")),
            customer("C2", HOSTILE, None),
            customer("C3", "Northwind Precision GmbH", Some("Emily Chen")),
        ],
        ..Default::default()
    };
    let root = wrapper();
    let locale: RwSignal<Option<Locale>> = RwSignal::new(None);
    let _mounted = mount_to(root.clone(), move || {
        provide_workspace(Workspace::new(Source::Demo { seed: 7, customers: 3 }, data));
        let i18n = provide_i18n(Locale::en);
        Effect::new(move |_| {
            if let Some(l) = locale.get() {
                i18n.set_locale(l);
            }
        });
        view! {
            <Router>
                <CustomerTable rows=Signal::derive(|| vec![0, 1, 2]) />
            </Router>
        }
    });
    tick().await;

    let rows = root.query_selector_all("tbody tr[data-row]").unwrap();
    assert_eq!(rows.length(), 3, "one row per customer");
    let body = text(&root);
    assert!(body.contains("杭州精工机床有限公司"));
    assert!(body.contains("Northwind Precision GmbH"));
    assert!(body.contains("王磊"));

    // Hostile data is text: it shows literally, creates no element and runs nothing.
    assert!(body.contains(HOSTILE), "the hostile name is shown as text");
    assert!(root.query_selector("tbody script").unwrap().is_none());
    assert!(root.query_selector("tbody img").unwrap().is_none());
    assert!(js_sys::Reflect::get(&window(), &"__pwned".into()).unwrap().is_undefined());
    // A tag that looks like a URL is not turned into a link.
    let links: Vec<String> = (0..root.query_selector_all("a").unwrap().length())
        .filter_map(|i| root.query_selector_all("a").unwrap().item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .filter_map(|a| a.get_attribute("href"))
        .collect();
    assert_eq!(links, vec!["/customers/C1", "/customers/C2", "/customers/C3"]);

    // Labels follow the language.
    let head = root.query_selector("thead").unwrap().unwrap();
    assert!(text(&head).contains("Owner"));
    assert!(body.contains("Distributor"));
    assert!(body.contains("Shared pool"), "an unowned customer is in the shared pool");

    locale.set(Some(Locale::zh_Hans));
    tick().await;
    assert!(text(&head).contains("负责人"), "zh-Hans header: {}", text(&head));
    assert!(text(&root).contains("经销商"));
    assert!(text(&root).contains("公海"));

    locale.set(Some(Locale::zh_Hant));
    tick().await;
    assert!(text(&head).contains("負責人"), "zh-Hant header: {}", text(&head));
    assert!(text(&root).contains("經銷商"));
}

#[wasm_bindgen_test]
async fn language_select_switches_and_remembers() {
    let storage = window().local_storage().unwrap().unwrap();
    storage.remove_item("kehu.lang").unwrap();
    let root = wrapper();
    let _mounted = mount_to(root.clone(), || {
        provide_i18n(Locale::en);
        view! { <LanguageSelect /> }
    });
    tick().await;
    let label = root.query_selector(".label-text").unwrap().unwrap();
    assert_eq!(text(&label), "Language");
    let select: web_sys::HtmlSelectElement = root.query_selector("select").unwrap().unwrap().unchecked_into();
    assert_eq!(select.length(), 3);
    assert_eq!(select.value(), "en");

    select.set_value("zh-Hant");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    tick().await;
    assert_eq!(text(&label), "語言");
    assert_eq!(
        storage.get_item("kehu.lang").unwrap().as_deref(),
        Some("\"zh-Hant\""),
        "stored as JSON by gloo-storage"
    );
    assert_eq!(kehu::shell::storage::stored_lang(), Some(kehu::core::locale::Lang::ZhHant));

    select.set_value("zh-Hans");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    tick().await;
    assert_eq!(text(&label), "语言");
    storage.remove_item("kehu.lang").unwrap();
}

#[wasm_bindgen_test]
async fn every_validation_problem_has_a_message_in_every_language() {
    let root = wrapper();
    let _mounted = mount_to(root.clone(), || {
        view! {
            <div>
                {[Locale::en, Locale::zh_Hans, Locale::zh_Hant]
                    .into_iter()
                    .map(|l| {
                        view! {
                            <ul>
                                {Problem::ALL
                                    .into_iter()
                                    .map(|p| {
                                        let p = match p {
                                            Problem::TooLong { .. } => Problem::TooLong { max: 200 },
                                            Problem::OutOfRange { .. } => Problem::OutOfRange { min: 1, max: 5 },
                                            other => other,
                                        };
                                        view! { <li>{labels::problem(l, p)}</li> }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })
                    .collect_view()}
            </div>
        }
    });
    tick().await;
    let lists = root.query_selector_all("ul").unwrap();
    assert_eq!(lists.length(), 3);
    let mut all = Vec::new();
    for i in 0..3 {
        let ul: web_sys::Element = lists.item(i).unwrap().unchecked_into();
        let items = ul.query_selector_all("li").unwrap();
        assert_eq!(items.length() as usize, Problem::ALL.len());
        let texts: Vec<String> = (0..items.length()).map(|k| items.item(k).unwrap().text_content().unwrap()).collect();
        let mut unique = texts.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), texts.len(), "distinct messages: {texts:?}");
        assert!(texts.iter().all(|t| !t.trim().is_empty()));
        assert!(texts[1].contains("200"), "max is interpolated: {}", texts[1]);
        assert!(texts[2].contains('1') && texts[2].contains('5'), "range is interpolated: {}", texts[2]);
        all.extend(texts);
    }
    assert!(all[Problem::ALL.len()..].iter().all(|t| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))));
}

#[wasm_bindgen_test]
fn demo_data_generates_in_the_browser_deterministically_and_valid() {
    let cfg = DemoConfig {
        seed: demo::DEFAULT_SEED,
        customers: 300,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
    };
    let a = demo::generate(&cfg);
    let b = demo::generate(&cfg);
    assert_eq!(a, b, "same seed, same data");
    assert_eq!(a.customers.len(), 300);
    assert!(a.orders.len() > 1_000, "orders: {}", a.orders.len());
    assert!(a.customers.iter().all(|c| c.validate().is_ok()));
    assert!(a.orders.iter().all(|o| o.validate().is_ok()));
    assert!(a.invoices.iter().all(|i| i.validate().is_ok()));
}

#[wasm_bindgen_test]
fn demo_data_in_wasm_equals_native() {
    common::assert_demo_fingerprint();
}

/// Polls `done` every 10 ms for up to 2 s.
async fn until(done: impl Fn() -> bool) -> bool {
    for _ in 0..200 {
        if done() {
            return true;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    done()
}

type Log = std::rc::Rc<std::cell::RefCell<Vec<String>>>;

fn logger(log: &Log) -> impl FnMut(String) + 'static {
    let log = log.clone();
    move |m| log.borrow_mut().push(m)
}

#[wasm_bindgen_test]
async fn a_tab_channel_carries_text_to_the_others_of_its_name_until_dropped() {
    use kehu::shell::tabs::Channel;
    let name = format!("kehu-test:{}", kehu::shell::clock::now_ms());
    let (a_log, b_log, other_log, late_log) = (Log::default(), Log::default(), Log::default(), Log::default());
    let a = Channel::open(&name, logger(&a_log)).expect("a BroadcastChannel");
    let b = Channel::open(&name, logger(&b_log)).expect("a BroadcastChannel");
    let _other = Channel::open(&format!("{name}:other"), logger(&other_log)).expect("a BroadcastChannel");

    a.post(r#"{"keys":[["customers","C1"]],"edited":true}"#);
    assert!(until(|| b_log.borrow().len() == 1).await, "b hears a");
    b.post("wipe");
    assert!(until(|| a_log.borrow().len() == 1).await, "a hears b");

    // A message that is not text is ignored; the text after it arrives.
    let raw = web_sys::BroadcastChannel::new(&name).unwrap();
    raw.post_message(&wasm_bindgen::JsValue::from_f64(42.0)).unwrap();
    raw.post_message(&wasm_bindgen::JsValue::from_str("wiped")).unwrap();
    assert!(until(|| a_log.borrow().len() == 2 && b_log.borrow().len() == 2).await, "both hear the text");
    assert_eq!(*a_log.borrow(), ["wipe", "wiped"], "a channel does not hear itself");
    assert_eq!(*b_log.borrow(), [r#"{"keys":[["customers","C1"]],"edited":true}"#, "wiped"]);

    // Dropped: nothing more arrives, and no event reaches the dropped listener (a call to it
    // would be an uncaught error on the page). A channel opened after the drop is the witness
    // that the message was delivered to the name's listeners.
    let errors = Log::default();
    let on_error = {
        let errors = errors.clone();
        wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
            errors.borrow_mut().push(e.message())
        })
    };
    let window = web_sys::window().unwrap();
    window.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref()).unwrap();
    drop(b);
    let late = Channel::open(&name, logger(&late_log)).expect("a BroadcastChannel");
    a.post("after the drop");
    assert!(until(|| late_log.borrow().len() == 1).await, "the late channel hears a");
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert_eq!(b_log.borrow().len(), 2, "a dropped channel hears nothing: {:?}", b_log.borrow());
    assert!(other_log.borrow().is_empty(), "another name hears nothing: {:?}", other_log.borrow());
    window.remove_event_listener_with_callback("error", on_error.as_ref().unchecked_ref()).unwrap();
    assert!(errors.borrow().is_empty(), "no uncaught error: {:?}", errors.borrow());

    // Closed while held: it neither hears nor sends.
    late.close();
    a.post("after close");
    raw.post_message(&wasm_bindgen::JsValue::from_str("raw after close")).unwrap();
    late.post("from a closed channel");
    assert!(until(|| a_log.borrow().len() == 3).await, "a hears the raw channel");
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert_eq!(*late_log.borrow(), ["after the drop"]);
    assert_eq!(*a_log.borrow(), ["wipe", "wiped", "raw after close"]);
    raw.close();
}

#[wasm_bindgen_test]
fn the_base_path_is_the_directory_of_the_base_url() {
    use kehu::shell::page::{base_path, origin};
    let doc = document();
    let head = doc.query_selector("head").unwrap().expect("a head");
    let base = doc.create_element("base").unwrap();
    head.prepend_with_node_1(&base).unwrap();
    let cases = [
        ("/crm/", "/crm"),
        ("/crm/index.html", "/crm"),
        ("/a/b/", "/a/b"),
        ("/", ""),
        ("https://crm.example.com/sales/", "/sales"),
    ];
    let seen: Vec<(&str, String)> = cases
        .iter()
        .map(|(href, _)| {
            base.set_attribute("href", href).unwrap();
            (*href, base_path())
        })
        .collect();
    base.remove();
    let want: Vec<(&str, String)> = cases.iter().map(|(h, w)| (*h, w.to_string())).collect();
    assert_eq!(seen, want);

    let origin = origin();
    assert!(origin.starts_with("http://"), "{origin}");
    assert!(doc.url().unwrap().starts_with(&format!("{origin}/")), "{origin} is the page's");
}

#[wasm_bindgen_test]
fn elements_are_focused_and_removed_by_id() {
    use kehu::shell::page::{focus_element, remove_element};
    let doc = document();
    let section = wrapper();
    section.set_inner_html(r#"<button id="kehu-test-focus">x</button><p id="kehu-test-gone">y</p>"#);
    assert!(focus_element("kehu-test-focus"));
    assert_eq!(doc.active_element().map(|e| e.id()).as_deref(), Some("kehu-test-focus"));
    assert!(!focus_element("kehu-test-missing"), "no such element");
    remove_element("kehu-test-gone");
    assert!(doc.get_element_by_id("kehu-test-gone").is_none());
    remove_element("kehu-test-gone"); // gone already: nothing happens
    section.remove();
}
