//! The other tabs of this device: a `BroadcastChannel` of text messages (a workspace's tabs tell
//! each other which records changed, `kehu:<workspace>`; every tab hears of a device wipe,
//! `kehu:device`).

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;

/// A named channel to the other tabs (and workers) of this origin that opened the same name.
/// A tab does not hear its own messages. The listener lives inside: dropping the channel (or
/// [`Channel::close`]) closes it, and nothing more arrives.
pub struct Channel {
    channel: web_sys::BroadcastChannel,
    _listener: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl Channel {
    /// Opens the channel `name`; `on_message` gets every text message another tab posts on it
    /// (other messages are ignored). `None` where the browser has no `BroadcastChannel`.
    pub fn open(name: &str, on_message: impl FnMut(String) + 'static) -> Option<Channel> {
        let channel = web_sys::BroadcastChannel::new(name).ok()?;
        let mut on_message = on_message;
        let listener = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            if let Some(text) = ev.data().as_string() {
                on_message(text);
            }
        });
        channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        Some(Channel { channel, _listener: listener })
    }

    /// Sends `msg` to every other tab listening on this channel (nothing once it is closed).
    pub fn post(&self, msg: &str) {
        let _ = self.channel.post_message(&JsValue::from_str(msg));
    }

    /// Stops listening and sending at once, while the channel may still be held elsewhere (it is
    /// closed again, harmlessly, when dropped).
    pub fn close(&self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        // The handler goes first: no message already queued can reach the dropped listener.
        self.close();
    }
}
