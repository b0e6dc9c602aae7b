//! The REST backend over HTTP: the core builds each request and parses each response; this
//! moves the bytes (with `fetch` in the browser, `shell::fetch`; with reqwest natively) and
//! handles the transport: time-outs, unreachable hosts, requests the browser blocks (CORS),
//! token refresh.

use crate::core::model::Entity;
use crate::core::model::Timestamp;
use crate::core::record::Record;
use crate::core::rest::api::{self, Credentials, Written};
#[cfg(not(target_arch = "wasm32"))]
use crate::core::rest::http::Method;
use crate::core::rest::http::{HttpRequest, HttpResponse};
use crate::core::rest::probe;
use crate::core::rest::profile::{Auth, Profile};
use crate::core::sync::remote::{Page, PageRequest, Remote, RemoteError};
use std::cell::RefCell;
use std::time::Duration;

pub struct RestRemote {
    pub profile: Profile,
    creds: RefCell<Credentials>,
    client: Client,
    now: fn() -> Timestamp,
}

/// How a request failed to produce a complete response.
enum Failure {
    Timeout,
    /// No response at all: offline, host down, or blocked by the browser (CORS).
    NoAnswer,
    Build(String),
    CutOff(String),
}

// Natively the bytes move with reqwest (the integration tests run the whole edge against real
// servers this way). In the browser they move with `fetch` directly: reqwest's wasm client is a
// wrapper around the same `fetch` that brings the `url` and `http` crates along (about 27 KB of
// the brotli bundle, 6 %), and it aborts the app on the opaque answer of a `no-cors` request.
// Everything above the transport — auth, refresh, status and error mapping — is shared.
#[cfg(not(target_arch = "wasm32"))]
type Client = reqwest::Client;
#[cfg(target_arch = "wasm32")]
type Client = ();

#[cfg(not(target_arch = "wasm32"))]
fn new_client() -> Client {
    reqwest::Client::new()
}
#[cfg(target_arch = "wasm32")]
fn new_client() -> Client {}

#[cfg(not(target_arch = "wasm32"))]
async fn transport(client: &Client, req: &HttpRequest, timeout: Duration) -> Result<HttpResponse, Failure> {
    let method = match req.method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
    };
    let mut b = client.request(method, &req.url).timeout(timeout);
    for (k, v) in &req.headers {
        b = b.header(k, v);
    }
    if let Some(body) = &req.body {
        b = b.body(body.clone());
    }
    let resp = match b.send().await {
        Ok(r) => r,
        Err(e) if e.is_timeout() => return Err(Failure::Timeout),
        Err(e) if e.is_builder() => return Err(Failure::Build(e.to_string())),
        Err(_) => return Err(Failure::NoAnswer),
    };
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str().to_string(), v.to_string())))
        .collect();
    let body = match resp.bytes().await {
        Ok(b) => b.to_vec(),
        Err(e) if e.is_timeout() => return Err(Failure::Timeout),
        Err(e) => return Err(Failure::CutOff(e.to_string())),
    };
    Ok(HttpResponse { status, headers, body })
}

#[cfg(target_arch = "wasm32")]
async fn transport(_: &Client, req: &HttpRequest, timeout: Duration) -> Result<HttpResponse, Failure> {
    use crate::shell::fetch::{FetchError, fetch};
    let headers: Vec<(&str, &str)> = req.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let ms = u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX);
    match fetch(req.method.as_str(), &req.url, &headers, req.body.as_deref(), ms).await {
        Ok((status, headers, body)) => Ok(HttpResponse { status, headers, body }),
        Err(FetchError::Timeout) => Err(Failure::Timeout),
        Err(FetchError::Network) => Err(Failure::NoAnswer),
        Err(FetchError::Build(m)) => Err(Failure::Build(m)),
        Err(FetchError::Body(m)) => Err(Failure::CutOff(m)),
    }
}

/// One resource's answer to "Test connection" (pure data, in the core).
pub use crate::core::rest::probe::Probe;

fn system_now() -> Timestamp {
    #[cfg(target_arch = "wasm32")]
    {
        crate::shell::clock::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
    }
}

impl RestRemote {
    pub fn new(profile: Profile, creds: Credentials) -> RestRemote {
        RestRemote { profile, creds: RefCell::new(creds), client: new_client(), now: system_now }
    }

    pub fn credentials(&self) -> Credentials {
        self.creds.borrow().clone()
    }

    pub fn set_credentials(&self, c: Credentials) {
        *self.creds.borrow_mut() = c;
    }

    fn now(&self) -> Timestamp {
        (self.now)()
    }

    /// Sends one request. Never panics; every failure is a typed error.
    pub async fn send(&self, req: &HttpRequest) -> Result<HttpResponse, RemoteError> {
        let timeout = Duration::from_secs(u64::from(self.profile.timeout_secs));
        match transport(&self.client, req, timeout).await {
            Ok(resp) => Ok(resp),
            Err(Failure::Timeout) => Err(RemoteError::Timeout),
            Err(Failure::Build(reason)) => {
                Err(RemoteError::Unsupported { reason: format!("cannot build request: {reason}") })
            }
            Err(Failure::CutOff(reason)) => {
                Err(RemoteError::BadResponse { reason: format!("the response was cut off: {reason}") })
            }
            Err(Failure::NoAnswer) => Err(self.unreachable(req).await),
        }
    }

    /// A request that got no response: offline, a dropped connection, the host down, or — in the
    /// browser — blocked because the server does not allow this origin (CORS) or the page's
    /// Content-Security-Policy does not allow the server. The browser says the same for all of
    /// them, so: a `no-cors` probe finds out whether the server answers at all (it does even when
    /// CORS forbids reading the answer); if it does, the same URL is asked again readably, with
    /// the same headers (so the same CORS preflight), as a GET (a write is never repeated here).
    /// Only when that fails too is it a CORS refusal: a connection dropped once is "could not be
    /// reached", which is retried. The CSP's refusals are reported as events.
    async fn unreachable(&self, req: &HttpRequest) -> RemoteError {
        let url = req.url.as_str();
        #[cfg(target_arch = "wasm32")]
        {
            if !crate::shell::fetch::is_online() {
                return RemoteError::Offline;
            }
            if crate::shell::fetch::reachable_no_cors(url, 10_000).await {
                let headers: Vec<(&str, &str)> = req.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                return match crate::shell::fetch::fetch("GET", url, &headers, None, 10_000).await {
                    Err(crate::shell::fetch::FetchError::Network) => RemoteError::Blocked { url: url.to_string() },
                    _ => RemoteError::Unreachable { url: url.to_string() },
                };
            }
            // The page's own CSP refuses backends the deployment did not list (connect-src).
            if crate::shell::fetch::refused_by_policy(url).await {
                return RemoteError::Refused { url: url.to_string() };
            }
            RemoteError::Unreachable { url: url.to_string() }
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = url;
            RemoteError::Offline
        }
    }

    /// Sends with the current credentials; on a 401 or 403 with a login session that can be
    /// refreshed (many backends answer an expired token with 403), refreshes once and retries.
    /// A 403 that was a real refusal stays a 403 after the retry.
    async fn exec(
        &self,
        build: impl Fn(&Credentials) -> Result<HttpRequest, RemoteError>,
    ) -> Result<HttpResponse, RemoteError> {
        let creds = self.credentials();
        let resp = self.send(&build(&creds)?).await?;
        if resp.status != 401 && resp.status != 403 {
            return Ok(resp);
        }
        let refresh = creds.session.as_ref().and_then(|s| s.refresh.clone());
        let (Auth::Login { refresh_url: Some(_), .. }, Some(refresh)) = (&self.profile.auth, refresh) else {
            return Ok(resp);
        };
        let answer = self.send(&api::refresh_request(&self.profile, &refresh)?).await?;
        let tokens = api::parse_tokens(&self.profile, &answer, Some(&refresh), self.now())?;
        let mut next = creds;
        next.session = Some(tokens);
        self.set_credentials(next.clone());
        self.send(&build(&next)?).await
    }

    /// Signs in with a username and password (login auth); the tokens stay in memory.
    pub async fn login(&self, username: &str, password: &str) -> Result<(), RemoteError> {
        let resp = self.send(&api::login_request(&self.profile, username, password)?).await?;
        let tokens = api::parse_tokens(&self.profile, &resp, None, self.now())?;
        let mut c = self.credentials();
        c.session = Some(tokens);
        self.set_credentials(c);
        Ok(())
    }

    /// Asks every resource for one small page and reads it with the profile
    /// (`core::rest::probe`): whether it answers, and what the profile makes of its records.
    pub async fn test_connection(&self) -> Vec<Probe> {
        let mut out = Vec::new();
        for entity in self.entities() {
            let url = probe::request(&self.profile, entity, &Credentials::default()).map(|r| r.url).unwrap_or_default();
            let result = match self.exec(|c| probe::request(&self.profile, entity, c)).await {
                Ok(resp) => probe::read_page(&self.profile, entity, &resp, self.now()),
                Err(e) => Err(e),
            };
            out.push(Probe { entity, url, result });
        }
        out
    }

    async fn written(&self, entity: Entity, w: Written) -> Result<Option<Record>, RemoteError> {
        match w {
            Written::Record(r) => Ok(Some(r)),
            Written::ReadBack(id) => self.get(entity, &id).await?.ok_or(RemoteError::NotFound).map(Some),
            Written::Unidentified => Ok(None),
        }
    }
}

impl Remote for RestRemote {
    fn entities(&self) -> Vec<Entity> {
        // Customers first: child records refer to them.
        Entity::ALL.iter().copied().filter(|e| self.profile.resources.contains_key(e)).collect()
    }

    fn incremental(&self, entity: Entity) -> bool {
        self.profile.resources.get(&entity).is_some_and(|r| r.modified_since.is_some() && r.version_field.is_some())
    }

    fn page_size(&self) -> u32 {
        self.profile.page_size
    }

    fn lists_ids(&self, entity: Entity) -> bool {
        self.profile.resources.get(&entity).is_some_and(|r| r.ids_only.is_some())
    }

    fn create_is_idempotent(&self, entity: Entity) -> bool {
        let keeps_our_id = self.profile.resources.get(&entity).is_some_and(|r| r.send_id_on_create);
        let dedups = self.profile.idempotency_header.as_deref().is_some_and(|h| !h.trim().is_empty());
        keeps_our_id || dedups
    }

    async fn list(&self, entity: Entity, request: &PageRequest) -> Result<Page, RemoteError> {
        let resp = self.exec(|c| api::list_request(&self.profile, entity, request, c)).await?;
        api::parse_list(&self.profile, entity, request, &resp, self.now())
    }

    async fn get(&self, entity: Entity, id: &str) -> Result<Option<Record>, RemoteError> {
        let resp = self.exec(|c| api::get_request(&self.profile, entity, id, c)).await?;
        api::parse_get(&self.profile, entity, &resp, self.now())
    }

    async fn create(&self, record: &Record, op_id: &str) -> Result<Option<Record>, RemoteError> {
        let now = self.now();
        let resp = self
            .exec(|c| {
                api::create_request(&self.profile, record, c, now).map(|r| api::idempotent(&self.profile, r, op_id))
            })
            .await?;
        let w = api::parse_create(&self.profile, record.entity(), record.id(), &resp, now)?;
        self.written(record.entity(), w).await
    }

    async fn update(&self, record: &Record, changed: &[String]) -> Result<Record, RemoteError> {
        let now = self.now();
        let resp = self.exec(|c| api::update_request(&self.profile, record, changed, c, now)).await?;
        let w = api::parse_write(&self.profile, record.entity(), record.id(), &resp, now)?;
        // `parse_write` reads an answer without an id as the record written (an update names it).
        self.written(record.entity(), w).await?.ok_or(RemoteError::NotFound)
    }

    async fn delete(&self, entity: Entity, id: &str) -> Result<(), RemoteError> {
        let resp = self.exec(|c| api::delete_request(&self.profile, entity, id, c)).await?;
        api::parse_delete(&resp, self.now())
    }
}
