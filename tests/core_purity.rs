//! `src/core` is pure Rust: no UI, browser, HTTP or storage crate may appear in it.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use std::fs;
use std::path::Path;

const FORBIDDEN: [&str; 7] = ["leptos", "web_sys", "js_sys", "gloo", "reqwest", "indexed_db_futures", "wasm_bindgen"];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).expect("src/core is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Finds `name` used as a path root or crate (`leptos::`, `use web_sys`, `extern crate gloo`), ignoring comments.
fn uses(line: &str, name: &str) -> bool {
    let code = line.split("//").next().unwrap_or("");
    code.match_indices(name).any(|(i, _)| {
        let before = code[..i].chars().next_back();
        let after = code[i + name.len()..].chars().next();
        let ident = |c: char| c.is_alphanumeric() || c == '_';
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

#[test]
fn core_uses_no_browser_ui_http_or_storage_crate() {
    let mut files = Vec::new();
    rust_files(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/core")), &mut files);
    assert!(files.len() >= 5, "found the core's files: {files:?}");
    let mut found = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            for name in FORBIDDEN {
                if uses(line, name) {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "src/core must stay pure:\n{}", found.join("\n"));
}

#[test]
fn the_detector_catches_real_uses_and_ignores_lookalikes() {
    let table = [
        ("use leptos::prelude::*;", "leptos", true),
        ("    let w = web_sys::window();", "web_sys", true),
        ("extern crate gloo;", "gloo", true),
        ("use wasm_bindgen::JsCast;", "wasm_bindgen", true),
        ("reqwest::get(url)", "reqwest", true),
        ("// leptos is only used in src/app", "leptos", false),
        ("let leptos_like = 1;", "leptos", false),
        ("fn my_gloo_helper() {}", "gloo", false),
    ];
    for (line, name, hit) in table {
        assert_eq!(uses(line, name), hit, "{line:?}");
    }
}
