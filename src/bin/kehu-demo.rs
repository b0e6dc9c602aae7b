//! Entry point of the demo worker (built for wasm32 by trunk as a module worker; see
//! `kehu::shell::demo_worker`).

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    kehu::shell::demo_worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("kehu-demo runs in the browser, started by the Kehu app on the demo workspace");
}
