//! Typed settings, read once from the environment by the binary and passed down. No global state:
//! every function that needs a setting receives it.
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `DATABASE_URL` | PostgreSQL to use | the local server, else a private cluster |
//! | `GOVGRAPH_DATABASE` | `auto`, or `private` to always use the private cluster | `auto` |
//! | `GOVGRAPH_DATA_DIR` | where the private cluster and other state live | `.govgraph` |
//! | `GOVGRAPH_BIND` | the API's address | `127.0.0.1:8080` |
//! | `GOVGRAPH_SOURCES` | the sources file | `config/sources.toml` |
//! | `GOVGRAPH_ALLOW_PRIVATE_HOSTS` | `1` lets the fetcher reach private and loopback addresses | off |
//! | `GOVGRAPH_CONTACT_URL` | the contact URL in the fetcher's User-Agent | the project page |
//! | `GOVGRAPH_FETCH_TIMEOUT_SECS` | total timeout of one request | `30` |
//! | `GOVGRAPH_MAX_BODY_BYTES` | largest body read, after decompression | `10485760` |
//! | `GOVGRAPH_FETCH_DELAY_MS` | minimum gap between requests to one host | `1000` |
//! | `GOVGRAPH_FETCH_CONCURRENCY` | requests in flight over all hosts | `8` |
//! | `GOVGRAPH_DB_POOL_SIZE` | connections per process | `10` |
//! | `GOVGRAPH_RATE_LIMIT` | requests a second per client address, per process (bursts of twice that) | `50` |
//! | `GOVGRAPH_RATE_LIMIT_WINDOW_SECS` | the window of the budget (rate × window) that API processes share per client | `60` |
//! | `GOVGRAPH_TRUSTED_PROXIES` | reverse proxies (IP addresses) whose `X-Forwarded-For` names the client | none |
//! | `GOVGRAPH_SCHEDULE_RELOAD_SECS` | how often a worker reads the sources table for new, changed or disabled schedules | `30` |

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::{Error, Result};

/// How to find the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseSetting {
    /// `DATABASE_URL` was given.
    Url(String),
    /// Try the local server, then a private cluster.
    Auto,
    /// Always use the private cluster under the data directory.
    Private,
}

/// Settings of the fetcher.
#[derive(Debug, Clone)]
pub struct FetchSettings {
    pub allow_private_hosts: bool,
    pub user_agent: String,
    pub connect_timeout_secs: u64,
    pub timeout_secs: u64,
    pub max_body_bytes: usize,
    pub max_redirects: usize,
    /// The minimum gap between two requests to one host, unless a source sets `delay_ms`.
    pub delay_ms: u64,
    /// Requests in flight at once, over all hosts.
    pub max_in_flight: usize,
}

/// All settings of a govgraph process.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database: DatabaseSetting,
    pub data_dir: PathBuf,
    pub bind: SocketAddr,
    pub sources_path: PathBuf,
    pub pool_size: usize,
    /// How often a worker's scheduler reads the `sources` table again (sources added or changed
    /// through the API, enabled or disabled).
    pub schedule_reload_secs: u64,
    pub fetch: FetchSettings,
    pub api: ApiSettings,
}

/// How the API serves and protects itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiSettings {
    /// Origins allowed by CORS; empty means any origin (the data is public, no credentials).
    pub cors_origins: Vec<String>,
    /// Requests per second and client address (a burst of twice as many is allowed).
    pub rate_limit_per_sec: u32,
    /// The window of the budget that API processes share per client (the rate times the window).
    pub rate_limit_window_secs: u64,
    /// Whether introspection and "did you mean" suggestions are served.
    pub introspection: bool,
    /// The longest a GraphQL request may run.
    pub query_timeout_secs: u64,
    /// The token mutations require; without one, mutations are refused.
    pub api_token: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (for the rate limit); from any
    /// other peer the header is ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Up to how many matching announcements (as the sample estimates them) a search counts
    /// exactly; beyond, its counts are estimated from the sample
    /// (`govgraph_shared::models::search::EXACT_UP_TO`).
    pub search_exact_up_to: i64,
    /// Whether the API keeps the counts and pages of recent searches while the data stands
    /// (`GOVGRAPH_SEARCH_CACHE`, on unless `0`, `false`, `no` or `off`).
    pub search_cache: bool,
}

impl Default for ApiSettings {
    fn default() -> Self {
        ApiSettings {
            cors_origins: Vec::new(),
            rate_limit_per_sec: 50,
            rate_limit_window_secs: 60,
            introspection: true,
            query_timeout_secs: 10,
            api_token: None,
            trusted_proxies: Vec::new(),
            search_exact_up_to: crate::models::search::EXACT_UP_TO,
            search_cache: true,
        }
    }
}

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_SOURCES: &str = "config/sources.toml";
const DEFAULT_CONTACT: &str = "https://github.com/govgraph/govgraph";

impl Settings {
    /// Reads the settings from the process environment.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads the settings through `get` (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let non_empty = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        let database = match (non_empty("DATABASE_URL"), non_empty("GOVGRAPH_DATABASE").as_deref()) {
            (Some(url), _) => DatabaseSetting::Url(url),
            (None, None | Some("auto")) => DatabaseSetting::Auto,
            (None, Some("private")) => DatabaseSetting::Private,
            (None, Some(other)) => {
                return Err(Error::Config(format!("GOVGRAPH_DATABASE must be `auto` or `private`, not `{other}`")));
            }
        };
        let bind_text = non_empty("GOVGRAPH_BIND").unwrap_or_else(|| DEFAULT_BIND.to_owned());
        let bind = bind_text.parse().map_err(|e| {
            Error::Config(format!("GOVGRAPH_BIND `{bind_text}` is not an address like 127.0.0.1:8080: {e}"))
        })?;
        let number = |k: &str, default: u64| -> Result<u64> {
            match non_empty(k) {
                None => Ok(default),
                Some(v) => {
                    v.trim().parse().map_err(|_| Error::Config(format!("{k} must be a whole number, not `{v}`")))
                }
            }
        };
        let flag = |k: &str| non_empty(k).is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes" | "on"));
        let contact = non_empty("GOVGRAPH_CONTACT_URL").unwrap_or_else(|| DEFAULT_CONTACT.to_owned());
        Ok(Settings {
            database,
            data_dir: non_empty("GOVGRAPH_DATA_DIR").map_or_else(|| PathBuf::from(".govgraph"), PathBuf::from),
            bind,
            sources_path: non_empty("GOVGRAPH_SOURCES").map_or_else(|| PathBuf::from(DEFAULT_SOURCES), PathBuf::from),
            pool_size: number("GOVGRAPH_DB_POOL_SIZE", 10)? as usize,
            schedule_reload_secs: number("GOVGRAPH_SCHEDULE_RELOAD_SECS", 30)?.max(1),
            fetch: FetchSettings {
                allow_private_hosts: flag("GOVGRAPH_ALLOW_PRIVATE_HOSTS"),
                user_agent: format!("govgraph/{} (+{contact})", env!("CARGO_PKG_VERSION")),
                connect_timeout_secs: 10,
                timeout_secs: number("GOVGRAPH_FETCH_TIMEOUT_SECS", 30)?,
                max_body_bytes: number("GOVGRAPH_MAX_BODY_BYTES", 10 * 1024 * 1024)? as usize,
                max_redirects: 5,
                delay_ms: number("GOVGRAPH_FETCH_DELAY_MS", 1000)?,
                max_in_flight: number("GOVGRAPH_FETCH_CONCURRENCY", 8)? as usize,
            },
            api: ApiSettings {
                cors_origins: non_empty("GOVGRAPH_CORS_ORIGINS")
                    .map(|v| v.split(',').map(|o| o.trim().to_owned()).filter(|o| !o.is_empty()).collect())
                    .unwrap_or_default(),
                rate_limit_per_sec: number("GOVGRAPH_RATE_LIMIT", 50)?.max(1) as u32,
                rate_limit_window_secs: number("GOVGRAPH_RATE_LIMIT_WINDOW_SECS", 60)?.max(1),
                introspection: non_empty("GOVGRAPH_INTROSPECTION")
                    .is_none_or(|v| !matches!(v.trim(), "0" | "false" | "no" | "off")),
                query_timeout_secs: number("GOVGRAPH_QUERY_TIMEOUT_SECS", 10)?.max(1),
                search_exact_up_to: number(
                    "GOVGRAPH_SEARCH_EXACT_UP_TO",
                    crate::models::search::EXACT_UP_TO.unsigned_abs(),
                )?
                .min(i64::MAX as u64) as i64,
                search_cache: non_empty("GOVGRAPH_SEARCH_CACHE")
                    .is_none_or(|v| !matches!(v.trim(), "0" | "false" | "no" | "off")),
                api_token: non_empty("GOVGRAPH_API_TOKEN"),
                trusted_proxies: match non_empty("GOVGRAPH_TRUSTED_PROXIES") {
                    None => Vec::new(),
                    Some(v) => v
                        .split(',')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(|p| {
                            p.parse().map_err(|_| {
                                Error::Config(format!("GOVGRAPH_TRUSTED_PROXIES: `{p}` is not an IP address"))
                            })
                        })
                        .collect::<Result<_>>()?,
                },
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_need_no_configuration() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.database, DatabaseSetting::Auto);
        assert_eq!(s.bind.to_string(), DEFAULT_BIND);
        assert!(!s.fetch.allow_private_hosts);
        assert!(s.fetch.user_agent.starts_with("govgraph/"));
    }

    #[test]
    fn environment_overrides_and_bad_values_are_explained() {
        let s = settings(&[("DATABASE_URL", "postgres://x@h/db"), ("GOVGRAPH_ALLOW_PRIVATE_HOSTS", "1")]).unwrap();
        assert_eq!(s.database, DatabaseSetting::Url("postgres://x@h/db".into()));
        assert!(s.fetch.allow_private_hosts);
        let err = settings(&[("GOVGRAPH_BIND", "localhost")]).unwrap_err().to_string();
        assert!(err.contains("GOVGRAPH_BIND"), "{err}");
        let err = settings(&[("GOVGRAPH_DATABASE", "cloud")]).unwrap_err().to_string();
        assert!(err.contains("auto"), "{err}");
        let s = settings(&[("GOVGRAPH_TRUSTED_PROXIES", "127.0.0.1, ::1")]).unwrap();
        assert_eq!(s.api.trusted_proxies.len(), 2);
        let err = settings(&[("GOVGRAPH_TRUSTED_PROXIES", "proxy.local")]).unwrap_err().to_string();
        assert!(err.contains("proxy.local"), "{err}");
    }
}
