//! Local notifications (task reminders): the permission, asking for it, and showing one through
//! the service worker (`registration.showNotification`, which also works for an installed app
//! whose window is in the background), or the page's own `Notification` where no worker controls
//! it. Nothing here decides what to remind of (`core::tasks::due_reminders`).

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function kehu_notify_permission() {
  return ("Notification" in self) ? Notification.permission : "unsupported";
}
export function kehu_notify_request() {
  if (!("Notification" in self)) return Promise.resolve("unsupported");
  try {
    const p = Notification.requestPermission();
    return p && p.then ? p.catch(() => Notification.permission) : Promise.resolve(Notification.permission);
  } catch (e) {
    return Promise.resolve(Notification.permission);
  }
}
export function kehu_notify_show(title, body, tag, url) {
  if (!("Notification" in self) || Notification.permission !== "granted") return;
  const opts = { body, tag, data: { url } };
  const page = () => { try { new Notification(title, opts); } catch (e) {} };
  const sw = navigator.serviceWorker;
  if (sw && sw.controller) {
    sw.ready.then((r) => r.showNotification(title, opts)).catch(page);
  } else {
    page();
  }
}
"#)]
extern "C" {
    fn kehu_notify_permission() -> String;
    fn kehu_notify_request() -> js_sys::Promise;
    fn kehu_notify_show(title: &str, body: &str, tag: &str, url: &str);
}

/// Whether this site may show notifications.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Not asked yet.
    Default,
    Granted,
    /// Refused (by the user, or by the browser's settings).
    Denied,
    /// This browser has no notifications (or not in this context).
    Unsupported,
}

fn parse(s: &str) -> Permission {
    match s {
        "granted" => Permission::Granted,
        "denied" => Permission::Denied,
        "default" => Permission::Default,
        _ => Permission::Unsupported,
    }
}

pub fn permission() -> Permission {
    parse(&kehu_notify_permission())
}

/// Asks the user (the browser shows its prompt; call it from a click). What they chose.
pub async fn request_permission() -> Permission {
    match wasm_bindgen_futures::JsFuture::from(kehu_notify_request()).await {
        Ok(v) => parse(&v.as_string().unwrap_or_default()),
        Err(_) => permission(),
    }
}

/// Shows a notification (nothing when not permitted). `tag` replaces an earlier one with the
/// same tag; a click opens `url` (the service worker's `notificationclick`).
pub fn show(title: &str, body: &str, tag: &str, url: &str) {
    kehu_notify_show(title, body, tag, url);
}
