//! The one place that fetches over HTTP, used by every source kind: a User-Agent naming govgraph,
//! timeouts, a body limit counted after decompression (gzip, brotli), no private or loopback
//! addresses unless allowed, retries with back-off on connection errors, 429 and 5xx (honouring
//! Retry-After), conditional requests, and decoding to UTF-8 ([`charset`]).
//!
//! Redirects are followed here, not by reqwest: every hop is a request of its own, in its host's
//! turn (the gap, [`polite`]), allowed by that host's robots.txt and the address guard, over http(s)
//! only. A loop or more than `max_redirects` hops is a permanent error of the URL, never retried.

pub mod charset;
pub mod guard;
pub mod polite;
pub mod robots;

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use govgraph_shared::config::FetchSettings;
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap, HeaderValue};

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: not an http(s) URL")]
    BadUrl { url: String },
    #[error("{url}: refused to fetch a private or loopback address (set GOVGRAPH_ALLOW_PRIVATE_HOSTS=1 to allow)")]
    PrivateAddress { url: String },
    #[error("{url}: disallowed by the host's robots.txt")]
    RobotsDisallowed { url: String },
    #[error("{url}: redirected to {location:?}, which is not an http(s) URL")]
    BadRedirect { url: String, location: String },
    #[error("{url}: redirect loop, {to} was visited before")]
    RedirectLoop { url: String, to: String },
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects { url: String, limit: usize },
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: the body is larger than {limit} bytes")]
    TooLarge { url: String, limit: usize },
    #[error("{url}: {reason}")]
    Transport { url: String, reason: String },
}

impl FetchError {
    fn retryable(&self) -> bool {
        match self {
            FetchError::Status { status, .. } => *status == 429 || *status >= 500,
            FetchError::Transport { .. } => true,
            _ => false,
        }
    }
}

/// A fetched response, decompressed.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL after redirects.
    pub url: String,
    pub status: u16,
    /// True for a 304 answer to a conditional request: no body.
    pub not_modified: bool,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub body: Vec<u8>,
}

/// What one request brought: a response, or a redirect to follow.
enum Hop {
    Fetched(Fetched),
    /// The `Location` of a 301, 302, 303, 307 or 308 answer, as sent.
    Redirect(String),
}

/// A chain of redirects: the URLs visited, to find loops and count hops.
struct Chain {
    /// The URL asked for, named in every error of the chain.
    origin: String,
    visited: Vec<url::Url>,
    max_redirects: usize,
}

impl Chain {
    fn new(origin: &url::Url, max_redirects: usize) -> Chain {
        Chain { origin: origin.to_string(), visited: vec![without_fragment(origin)], max_redirects }
    }

    /// The URL a redirect from the last one visited to `location` leads to, if it may be followed:
    /// http(s), not visited before, within the number of redirects.
    fn follow(&mut self, location: &str) -> Result<url::Url, FetchError> {
        let from = self.visited.last().expect("a chain starts with its origin");
        let next = from
            .join(location)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| FetchError::BadRedirect { url: self.origin.clone(), location: location.to_owned() })?;
        let next = without_fragment(&next);
        if self.visited.contains(&next) {
            return Err(FetchError::RedirectLoop { url: self.origin.clone(), to: next.to_string() });
        }
        if self.visited.len() > self.max_redirects {
            return Err(FetchError::TooManyRedirects { url: self.origin.clone(), limit: self.max_redirects });
        }
        tracing::debug!(from = %from, to = %next, "following a redirect");
        self.visited.push(next.clone());
        Ok(next)
    }
}

fn without_fragment(url: &url::Url) -> url::Url {
    let mut url = url.clone();
    url.set_fragment(None);
    url
}

/// The `Location` of a redirect answer.
fn redirect_location(response: &reqwest::Response) -> Option<String> {
    let redirect = matches!(response.status().as_u16(), 301 | 302 | 303 | 307 | 308);
    let location = response.headers().get(header::LOCATION).filter(|_| redirect)?;
    Some(String::from_utf8_lossy(location.as_bytes()).into_owned())
}

impl Fetched {
    /// The body decoded to UTF-8 (BOM, header, meta charset, detection).
    pub fn text(&self) -> String {
        charset::decode(&self.body, self.content_type.as_deref())
    }
}

/// Validators of an earlier response, for a conditional request.
#[derive(Debug, Clone, Default)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    settings: Arc<FetchSettings>,
    attempts: u32,
    polite: Arc<polite::Politeness>,
    delay: Duration,
}

/// The token govgraph looks for in robots.txt.
pub const ROBOTS_AGENT: &str = "govgraph";
const MAX_ROBOTS_BYTES: usize = 512 * 1024;

impl Fetcher {
    pub fn new(settings: &FetchSettings) -> Result<Fetcher, FetchError> {
        let allow_private = settings.allow_private_hosts;
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .connect_timeout(Duration::from_secs(settings.connect_timeout_secs))
            .timeout(Duration::from_secs(settings.timeout_secs))
            // every hop is a polite request of its own: `Fetcher::get` follows redirects
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(guard::GuardedResolver { allow_private }))
            .gzip(true)
            .brotli(true)
            .build()
            .map_err(|e| FetchError::Transport { url: String::new(), reason: e.to_string() })?;
        Ok(Fetcher {
            client,
            settings: Arc::new(settings.clone()),
            attempts: 3,
            polite: Arc::new(polite::Politeness::new(settings.max_in_flight)),
            delay: Duration::from_millis(settings.delay_ms),
        })
    }

    /// The same fetcher (same hosts, same bounds) with another minimum gap per host.
    pub fn with_delay(&self, delay: Option<Duration>) -> Fetcher {
        let mut f = self.clone();
        if let Some(d) = delay {
            f.delay = d;
        }
        f
    }

    /// Reads (or recalls) the robots.txt of the host of `url`, during the caller's turn. Its
    /// redirects are followed in that turn, each hop the gap after the one before; a loop or too
    /// many hops mean no robots.txt (RFC 9309, 2.3.1.2: "unavailable", so everything is allowed).
    async fn robots(&self, turn: &mut polite::Turn, url: &url::Url) -> Result<Arc<robots::Rules>, FetchError> {
        if let Some((rules, _)) = turn.host.robots.as_ref().filter(|(rules, at)| at.elapsed() < rules.cache_for()) {
            return Ok(rules.clone());
        }
        let mut robots_url = url.clone();
        robots_url.set_path("/robots.txt");
        robots_url.set_query(None);
        robots_url.set_fragment(None);
        let mut chain = Chain::new(&robots_url, self.settings.max_redirects);
        let mut current = robots_url;
        let rules = loop {
            self.refuse_private(&current)?;
            turn.wait(self.delay).await;
            let response = match self.client.get(current.clone()).send().await {
                Ok(response) => response,
                Err(e) => {
                    turn.done();
                    return Err(FetchError::Transport { url: current.to_string(), reason: describe(&e) });
                }
            };
            if let Some(location) = redirect_location(&response) {
                turn.done();
                match chain.follow(&location) {
                    Ok(next) => current = next,
                    Err(FetchError::RedirectLoop { .. } | FetchError::TooManyRedirects { .. }) => {
                        break robots::Rules::AllowAll;
                    }
                    Err(e) => return Err(e),
                }
                continue;
            }
            let status = response.status().as_u16();
            let mut body = Vec::new();
            let mut stream = response.bytes_stream();
            while let Some(Ok(chunk)) = stream.next().await {
                body.extend_from_slice(&chunk);
                if body.len() > MAX_ROBOTS_BYTES {
                    break;
                }
            }
            turn.done();
            break robots::Rules::from_response(ROBOTS_AGENT, status, &body);
        };
        let rules = Arc::new(rules);
        turn.host.robots = Some((rules.clone(), tokio::time::Instant::now()));
        Ok(rules)
    }

    /// GET `url`, conditional on `validators`. Redirects are followed hop by hop, each hop a polite
    /// request of its own ([`Fetcher::get_once`]) with its own retries.
    pub async fn get(&self, url: &str, validators: Option<&Validators>) -> Result<Fetched, FetchError> {
        let first = url::Url::parse(url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| FetchError::BadUrl { url: url.into() })?;
        let mut chain = Chain::new(&first, self.settings.max_redirects);
        let mut current = first;
        loop {
            match self.get_with_retries(&current, validators).await? {
                Hop::Fetched(fetched) => return Ok(fetched),
                Hop::Redirect(location) => current = chain.follow(&location)?,
            }
        }
    }

    /// One hop, retried on connection errors, 429 and 5xx.
    async fn get_with_retries(&self, url: &url::Url, validators: Option<&Validators>) -> Result<Hop, FetchError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.get_once(url, validators).await {
                Ok(hop) => return Ok(hop),
                Err((e, retry_after)) if e.retryable() && attempt < self.attempts => {
                    let backoff = retry_after.unwrap_or_else(|| {
                        let base = 500u64 * 2u64.pow(attempt - 1);
                        Duration::from_millis(base + rand::random_range(0..base / 2 + 1))
                    });
                    tracing::debug!(%url, error = %e, ?backoff, "retrying");
                    tokio::time::sleep(backoff).await;
                }
                Err((e, _)) => return Err(e),
            }
        }
    }

    /// Refuses a private or loopback address, unless they are allowed.
    fn refuse_private(&self, url: &url::Url) -> Result<(), FetchError> {
        if !self.settings.allow_private_hosts && guard::is_private_host(url) {
            return Err(FetchError::PrivateAddress { url: url.to_string() });
        }
        Ok(())
    }

    /// One request (a redirect is not followed), in the host's turn: the guard, robots.txt, the
    /// host's gap, the request.
    async fn get_once(
        &self,
        url: &url::Url,
        validators: Option<&Validators>,
    ) -> Result<Hop, (FetchError, Option<Duration>)> {
        self.refuse_private(url).map_err(|e| (e, None))?;
        let host_key = format!("{}:{}", url.host_str().unwrap_or_default(), url.port_or_known_default().unwrap_or(0));
        let mut turn = self.polite.enter(&host_key).await;
        let rules = self.robots(&mut turn, url).await.map_err(|e| (e, None))?;
        if !rules.allowed(url.as_str()) {
            return Err((FetchError::RobotsDisallowed { url: url.to_string() }, None));
        }
        turn.wait(self.delay.max(rules.crawl_delay().unwrap_or_default())).await;
        let result = self.request(url, validators).await;
        turn.done();
        result
    }

    async fn request(
        &self,
        parsed: &url::Url,
        validators: Option<&Validators>,
    ) -> Result<Hop, (FetchError, Option<Duration>)> {
        let url = parsed.as_str();
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static("text/html,application/xhtml+xml,application/xml;q=0.9,application/rss+xml,application/atom+xml,*/*;q=0.8"));
        headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("de,en;q=0.5"));
        if let Some(v) = validators {
            if let Some(etag) = v.etag.as_deref().and_then(|e| HeaderValue::from_str(e).ok()) {
                headers.insert(header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = v.last_modified.as_deref().and_then(|e| HeaderValue::from_str(e).ok()) {
                headers.insert(header::IF_MODIFIED_SINCE, lm);
            }
        }
        let response = self.client.get(parsed.clone()).headers(headers).send().await.map_err(|e| {
            let reason = describe(&e);
            if reason.contains("private or loopback") {
                (FetchError::PrivateAddress { url: url.into() }, None)
            } else {
                (FetchError::Transport { url: url.into(), reason }, None)
            }
        })?;
        if let Some(location) = redirect_location(&response) {
            return Ok(Hop::Redirect(location));
        }
        let status = response.status();
        let header_text =
            |name: header::HeaderName| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let final_url = response.url().to_string();
        let content_type = header_text(header::CONTENT_TYPE);
        let etag = header_text(header::ETAG);
        let last_modified = header_text(header::LAST_MODIFIED);
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Hop::Fetched(Fetched {
                url: final_url,
                status: 304,
                not_modified: true,
                content_type,
                etag,
                last_modified,
                body: Vec::new(),
            }));
        }
        if !status.is_success() {
            let retry_after = header_text(header::RETRY_AFTER)
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(|s| Duration::from_secs(s.min(120)));
            return Err((FetchError::Status { url: url.into(), status: status.as_u16() }, retry_after));
        }
        let limit = self.settings.max_body_bytes;
        let mut body = Vec::new();
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| (FetchError::Transport { url: url.into(), reason: describe(&e) }, None))?;
            if body.len() + chunk.len() > limit {
                return Err((FetchError::TooLarge { url: url.into(), limit }, None));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Hop::Fetched(Fetched {
            url: final_url,
            status: status.as_u16(),
            not_modified: false,
            content_type,
            etag,
            last_modified,
            body,
        }))
    }
}

/// The error and its causes in one line.
fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_resolves_hops_and_refuses_loops_long_chains_and_other_schemes() {
        let origin = url::Url::parse("https://x.de/a/b?q=1").unwrap();
        let mut chain = Chain::new(&origin, 2);
        assert_eq!(chain.follow("c").unwrap().as_str(), "https://x.de/a/c");
        assert_eq!(chain.follow("//y.de/d#frag").unwrap().as_str(), "https://y.de/d");
        assert!(matches!(chain.follow("/e"), Err(FetchError::TooManyRedirects { limit: 2, .. })));
        let mut chain = Chain::new(&origin, 5);
        assert!(matches!(chain.follow("/a/b?q=1#top"), Err(FetchError::RedirectLoop { .. })));
        assert!(matches!(chain.follow("ftp://x.de/f"), Err(FetchError::BadRedirect { .. })));
        let loop_error = Chain::new(&origin, 5).follow("https://x.de/a/b?q=1").unwrap_err();
        assert_eq!(
            loop_error.to_string(),
            "https://x.de/a/b?q=1: redirect loop, https://x.de/a/b?q=1 was visited before"
        );
        assert!(!loop_error.retryable());
    }
}
