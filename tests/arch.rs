//! The shape of `src/`, checked: the module import graph has no circle, the layers only import
//! downwards (`core` imports neither `shell` nor `app`; `shell` does not import `app`), and the
//! app layer makes no raw browser calls outside a short allow-list (it goes through the shell).
//!
//! The graph is built from the source text: every `use` tree and every `crate::…`, `super::…`,
//! `self::…` path in code names the module it reaches (the longest module prefix of the path).
//! A module's `mod` declarations and its `pub use` re-exports of its own children are its
//! structure, not imports; every other reference is an edge, a parent's use of its children
//! included (a module that routes to its pages and also holds what every page needs is a circle).
#![cfg(not(target_arch = "wasm32"))]
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Files of `src/app` allowed to name `web_sys`, `js_sys` or `wasm_bindgen`, and why.
const APP_BROWSER_ALLOWED: &[(&str, &str)] = &[(
    "src/app/ui/dom.rs",
    "the builder of large reports and of the list's rows creates and focuses DOM nodes itself: \
     Leptos' typed views cost ~100 bytes of wasm per element, and the list rebuilds its rows per scroll",
)];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file of the library (`src/core/sync/engine.rs` → `core::sync::engine`;
/// `mod.rs` is its folder; `lib.rs` the root, empty). `None` for the binaries.
fn module_of(src: &Path, file: &Path) -> Option<Vec<String>> {
    let rel = file.strip_prefix(src).ok()?;
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().to_string()).collect();
    let last = parts.pop()?;
    if parts.first().is_some_and(|p| p == "bin") || (parts.is_empty() && last != "lib.rs") {
        return None;
    }
    match last.as_str() {
        "mod.rs" | "lib.rs" => {}
        name => parts.push(name.trim_end_matches(".rs").to_string()),
    }
    Some(parts)
}

/// The code of a source text without comments and string literals (so a path in a doc comment
/// or a message is not an import).
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'r' && (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#')) && raw_start(b, i) {
            // r"…" or r#"…"#
            let mut hashes = 0;
            let mut j = i + 1;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == b'"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&b'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            i = j;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && b.get(i + 2) == Some(&b'\'') {
            // a char literal such as '"'
            i += 3;
        } else {
            let ch = text[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn raw_start(b: &[u8], i: usize) -> bool {
    let before = if i == 0 { None } else { b.get(i - 1) };
    !before.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// Expands a `use` tree (`a::{b, c::{d, e}}`) into its paths.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else { return vec![tree.split(" as ").next().unwrap_or("").trim().to_string()] };
    let prefix = tree[..open].trim_end_matches("::").trim();
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    let mut out = Vec::new();
    for p in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        for sub in expand(p) {
            let sub = sub.split(" as ").next().unwrap_or("").trim().to_string();
            out.push(if prefix.is_empty() {
                sub
            } else if sub == "self" {
                prefix.to_string()
            } else {
                format!("{prefix}::{sub}")
            });
        }
    }
    out
}

/// A path as written in `module` (`super::dom::fill`, `crate::core::text::fold`, or `dom::fill`
/// for a child module `dom` of `module`), made absolute. `None` for a path into another crate.
fn absolute(module: &[String], path: &str, modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    let mut segs = path.split("::").map(str::trim).filter(|s| !s.is_empty());
    let first = segs.next()?;
    let mut base: Vec<String> = match first {
        "crate" => Vec::new(),
        "self" => module.to_vec(),
        "super" => {
            let mut m = module.to_vec();
            m.pop()?;
            m
        }
        child => {
            let mut m = module.to_vec();
            m.push(child.to_string());
            if !modules.contains(&m) {
                return None;
            }
            m
        }
    };
    for s in segs {
        if s == "super" {
            base.pop()?;
        } else {
            base.push(s.to_string());
        }
    }
    Some(base)
}

/// What one file refers to: (the path as written, whether it is a `pub use` re-export).
fn references(code: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    // `use` trees (taken out of the text, which is then scanned for paths in code).
    let mut rest = code;
    let mut without_uses = String::with_capacity(code.len());
    while let Some(i) = find_word(rest, "use") {
        let before = rest[..i].trim_end();
        let public = before.ends_with("pub") || before.ends_with(')') && before.contains("pub(");
        let after = &rest[i + 3..];
        let end = after.find(';').unwrap_or(after.len());
        for p in expand(&after[..end]) {
            out.push((p, public));
        }
        without_uses.push_str(&rest[..i]);
        rest = &after[end..];
    }
    without_uses.push_str(rest);
    let code = without_uses.as_str();
    // Paths in code: every `a::b…` that starts a path (crate::…, super::…, self::…, and relative
    // ones such as `ui::layout::Layout`, which name a child module of the file's module).
    let b = code.as_bytes();
    for (i, _) in code.match_indices("::") {
        // Walk back to the first segment of this path.
        let mut s = i;
        while s > 0 && (b[s - 1].is_ascii_alphanumeric() || b[s - 1] == b'_') {
            s -= 1;
        }
        if s == i || (s >= 2 && &code[s - 2..s] == "::") {
            continue; // not the start of a path (or `<T>::f`, a type's associated item)
        }
        let tail = &code[s..];
        let len = tail
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .map_or(tail.len(), |(j, _)| j);
        out.push((tail[..len].trim_end_matches(':').to_string(), false));
    }
    out
}

fn find_word(s: &str, w: &str) -> Option<usize> {
    let b = s.as_bytes();
    s.match_indices(w).map(|(i, _)| i).find(|&i| {
        let before = i.checked_sub(1).map(|j| b[j]);
        let after = b.get(i + w.len()).copied();
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
            && after.is_some_and(|c| c == b' ' || c == b'\n' || c == b'\t')
    })
}

struct Graph {
    modules: BTreeSet<Vec<String>>,
    /// module → modules it imports, with one example path each.
    edges: BTreeMap<Vec<String>, BTreeMap<Vec<String>, String>>,
    files: BTreeMap<Vec<String>, PathBuf>,
}

fn graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut modules = BTreeSet::new();
    let mut by_module = BTreeMap::new();
    for f in &files {
        if let Some(m) = module_of(src, f) {
            modules.insert(m.clone());
            by_module.insert(m, f.clone());
        }
    }
    let mut edges: BTreeMap<Vec<String>, BTreeMap<Vec<String>, String>> = BTreeMap::new();
    for (module, file) in &by_module {
        let code = code_only(&fs::read_to_string(file).unwrap_or_default());
        for (path, public) in references(&code) {
            let Some(abs) = absolute(module, &path, &modules) else { continue };
            // The longest module prefix of the path.
            let target = (0..=abs.len()).rev().map(|n| abs[..n].to_vec()).find(|p| modules.contains(p));
            let Some(target) = target else { continue };
            let own_child = target.len() > module.len() && target.starts_with(module);
            if target == *module || (public && own_child) || target.is_empty() {
                continue;
            }
            edges.entry(module.clone()).or_default().entry(target).or_insert(path);
        }
    }
    Graph { modules, edges, files: by_module }
}

/// Strongly connected components with more than one module (Tarjan).
fn circles(g: &Graph) -> Vec<Vec<Vec<String>>> {
    struct T<'a> {
        g: &'a Graph,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on: BTreeSet<&'a Vec<String>>,
        n: usize,
        out: Vec<Vec<Vec<String>>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a Vec<String>) {
        t.index.insert(v, t.n);
        t.low.insert(v, t.n);
        t.n += 1;
        t.stack.push(v);
        t.on.insert(v);
        let next: Vec<&'a Vec<String>> = t.g.edges.get(v).map(|e| e.keys().collect()).unwrap_or_default();
        for w in next {
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low[v];
                t.low.insert(v, lv.min(lw));
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low[v];
                t.low.insert(v, lv.min(iw));
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w.clone());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        n: 0,
        out: Vec::new(),
    };
    for m in &g.modules {
        if !t.index.contains_key(m) {
            visit(&mut t, m);
        }
    }
    t.out
}

fn name(m: &[String]) -> String {
    if m.is_empty() { "crate".into() } else { m.join("::") }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn the_module_graph_has_no_circle() {
    let g = graph(&src());
    assert!(g.modules.len() > 40, "found the modules: {}", g.modules.len());
    let found = circles(&g);
    let mut report = String::new();
    for comp in &found {
        report.push_str(&format!("circle of {} modules:\n", comp.len()));
        for m in comp {
            for (to, via) in g.edges.get(m).into_iter().flatten() {
                if comp.contains(to) {
                    report.push_str(&format!("  {} -> {}   ({via})\n", name(m), name(to)));
                }
            }
        }
    }
    assert!(found.is_empty(), "import circles in src/:\n{report}");
}

#[test]
fn layers_import_only_downwards() {
    let g = graph(&src());
    let mut wrong = Vec::new();
    for (from, tos) in &g.edges {
        for (to, via) in tos {
            let (f, t) = (from.first().map(String::as_str), to.first().map(String::as_str));
            let up = matches!((f, t), (Some("core"), Some("shell" | "app")) | (Some("shell"), Some("app")));
            if up {
                wrong.push(format!("{} -> {}   ({via})", name(from), name(to)));
            }
        }
    }
    assert!(wrong.is_empty(), "core imports neither shell nor app; shell does not import app:\n{}", wrong.join("\n"));
}

/// A page imports no other page: what two pages share lives below them (`app::ui`, `app::paths`,
/// the session), so a page can be changed, split off or removed on its own.
#[test]
fn pages_import_no_other_page() {
    let g = graph(&src());
    let page = |m: &Vec<String>| (m.len() > 2 && m[0] == "app" && m[1] == "pages").then(|| m[2].clone());
    let mut wrong = Vec::new();
    for (from, tos) in &g.edges {
        for (to, via) in tos {
            if let (Some(a), Some(b)) = (page(from), page(to))
                && a != b
            {
                wrong.push(format!("{} -> {}   ({via})", name(from), name(to)));
            }
        }
    }
    assert!(g.modules.iter().filter(|m| page(m).is_some()).count() >= 8, "the pages are found");
    assert!(wrong.is_empty(), "pages import no other page:\n{}", wrong.join("\n"));
}

#[test]
fn the_app_makes_no_raw_browser_calls() {
    let g = graph(&src());
    let mut found = Vec::new();
    for (module, file) in &g.files {
        if module.first().map(String::as_str) != Some("app") {
            continue;
        }
        let rel =
            file.strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap_or(file).to_string_lossy().to_string();
        if APP_BROWSER_ALLOWED.iter().any(|(f, _)| *f == rel) {
            continue;
        }
        let code = code_only(&fs::read_to_string(file).unwrap_or_default());
        for krate in ["web_sys", "js_sys", "wasm_bindgen"] {
            if references_crate(&code, krate) {
                found.push(format!("{rel}: {krate}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "src/app goes through src/shell for the browser (or is on the allow-list):\n{}",
        found.join("\n")
    );
}

fn references_crate(code: &str, krate: &str) -> bool {
    let b = code.as_bytes();
    code.match_indices(krate).any(|(i, _)| {
        let before = i.checked_sub(1).map(|j| b[j]);
        let after = b.get(i + krate.len()).copied();
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b':')
            && after.is_some_and(|c| c == b':' || c == b';')
    })
}

/// The detector itself, on small sources: it finds circles, ignores structure and text.
#[test]
fn the_detector_finds_circles_and_ignores_structure_and_text() {
    let dir = std::env::temp_dir().join(format!("kehu-arch-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let write = |p: &str, text: &str| {
        let path = dir.join(p);
        fs::create_dir_all(path.parent().unwrap_or(&dir)).expect("temp dir");
        fs::write(path, text).expect("temp file");
    };
    write("lib.rs", "pub mod x;\npub mod m;\npub mod y;\npub mod z;\n");
    write("x/mod.rs", "pub mod a;\npub mod b;\n");
    // A circle through a renamed import.
    write("y/mod.rs", "pub mod p;\npub mod q;\n");
    write("y/p.rs", "use crate::y::q as other;\n");
    write("y/q.rs", "use super::p::{self as first};\n");
    // A parent whose code names a child relatively, while the child uses the parent: a circle.
    write("z/mod.rs", "mod k;\nfn f() { k::go() }\npub fn helper() {}\n");
    write("z/k.rs", "pub fn go() { super::helper() }\n");
    write("x/a.rs", "use crate::x::b::thing;\n// use crate::m::x; (a comment)\nfn f() { let s = \"crate::m::y\"; }\n");
    write("x/b.rs", "pub fn thing() { super::a::other() }\n");
    // A parent re-exporting its child and the child using the parent: structure, no circle.
    write("m/mod.rs", "mod c;\npub use c::C;\npub use self::c::{D, E as F};\n");
    write("m/c.rs", "use super::{helper, inner::{x, y}};\npub struct C;\n");
    let g = graph(&dir);
    let found = circles(&g);
    let _ = fs::remove_dir_all(&dir);
    let m = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        found,
        vec![
            vec![m(&["x", "a"]), m(&["x", "b"])],
            vec![m(&["y", "p"]), m(&["y", "q"])],
            vec![m(&["z"]), m(&["z", "k"])]
        ],
        "a <-> b, p <-> q, z <-> z::k only"
    );
    assert!(g.edges.get(&m(&["m", "c"])).is_some_and(|e| e.contains_key(&m(&["m"]))), "a child uses its parent");
    assert!(!g.edges.contains_key(&m(&["m"])), "re-exports of one's own children are structure");
    assert!(
        !g.edges.get(&m(&["x", "a"])).is_some_and(|e| e.contains_key(&m(&["m"]))),
        "comments and strings are not imports"
    );
    assert_eq!(expand("a::{b, c::{d, e as f}, self}"), ["a::b", "a::c::d", "a::c::e", "a"]);
    assert_eq!(expand("a::b as c"), ["a::b"]);
}
