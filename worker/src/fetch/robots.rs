//! robots.txt (RFC 9309) with texting_robots: a 4xx answer allows everything; a 5xx answer or an
//! unreachable file disallows the host for now (the RFC's "complete disallow"), and is asked again
//! after [`RETRY_UNREACHABLE`]. Rules are cached per host for [`CACHE_FOR`].

use std::time::Duration;

/// How long fetched rules are kept.
pub const CACHE_FOR: Duration = Duration::from_secs(24 * 3600);
/// How long an unreachable robots.txt disallows its host.
pub const RETRY_UNREACHABLE: Duration = Duration::from_secs(600);

/// What a host's robots.txt says to govgraph.
pub enum Rules {
    AllowAll,
    DisallowAll,
    Parsed(texting_robots::Robot),
}

impl Rules {
    /// The rules of a robots.txt answer.
    pub fn from_response(agent: &str, status: u16, body: &[u8]) -> Rules {
        match status {
            200..=299 => texting_robots::Robot::new(agent, body).map_or(Rules::AllowAll, Rules::Parsed),
            400..=499 => Rules::AllowAll,
            _ => Rules::DisallowAll,
        }
    }

    pub fn allowed(&self, url: &str) -> bool {
        match self {
            Rules::AllowAll => true,
            Rules::DisallowAll => false,
            Rules::Parsed(robot) => robot.allowed(url),
        }
    }

    pub fn crawl_delay(&self) -> Option<Duration> {
        match self {
            Rules::Parsed(robot) => robot.delay.map(|d| Duration::from_secs_f32(d.clamp(0.0, 120.0))),
            _ => None,
        }
    }

    pub fn cache_for(&self) -> Duration {
        match self {
            Rules::DisallowAll => RETRY_UNREACHABLE,
            _ => CACHE_FOR,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_and_crawl_delay() {
        let txt = b"User-agent: *\nDisallow: /intern/\nCrawl-delay: 2\n\nUser-agent: govgraph\nDisallow: /privat/\nCrawl-delay: 3\n";
        let rules = Rules::from_response("govgraph", 200, txt);
        assert!(!rules.allowed("https://x.de/privat/a.html"));
        assert!(rules.allowed("https://x.de/intern/a.html"), "the govgraph group replaces the * group");
        assert_eq!(rules.crawl_delay(), Some(Duration::from_secs(3)));
        assert!(Rules::from_response("govgraph", 404, b"").allowed("https://x.de/a"));
        assert!(!Rules::from_response("govgraph", 503, b"").allowed("https://x.de/a"));
    }
}
