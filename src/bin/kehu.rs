//! Entry point of the browser app (built for wasm32 by trunk).

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    kehu::app::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("kehu is a browser app: run `make run` and open http://127.0.0.1:8080");
}
