//! Any REST CRM backend, described declaratively by a [`profile::Profile`]: requests are built
//! as values ([`http::HttpRequest`]) and responses parsed from bytes ([`http::HttpResponse`]);
//! the edge layer only moves them over the network.

pub mod api;
pub mod config;
pub mod http;
pub mod mapping;
pub mod path;
pub mod presets;
pub mod probe;
pub mod profile;
