//! wasm-bindgen tests, run in headless Chromium: components mounted into the real DOM.
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
    assert_eq!(kehu::shell::stored_lang(), Some(kehu::core::locale::Lang::ZhHant));

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
