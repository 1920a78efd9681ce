//! URL canonicalisation before dedup: no fragment, no tracking parameters, no default port,
//! lower-case host, sorted query.

use url::Url;

const TRACKING_PREFIXES: &[&str] = &["utm_", "pk_", "mtm_", "piwik_"];
const TRACKING_NAMES: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "wt_mc",
    "wt_zmc",
    "at_medium",
    "at_campaign",
    "ref_src",
    "yclid",
    "_hsenc",
    "_hsmi",
    "cmp",
];

/// The canonical form of `url`; `None` if it is not an absolute http(s) URL.
pub fn canonicalize(url: &str) -> Option<String> {
    let mut u = Url::parse(url.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    u.set_fragment(None);
    // `Url` already lower-cases hosts and drops default ports
    let pairs: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !TRACKING_PREFIXES.iter().any(|p| k.starts_with(p)) && !TRACKING_NAMES.contains(&k.as_str())
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if pairs.is_empty() {
        u.set_query(None);
    } else {
        let mut sorted = pairs;
        sorted.sort();
        u.query_pairs_mut().clear().extend_pairs(sorted);
    }
    Some(u.to_string())
}

#[cfg(test)]
mod tests {
    use super::canonicalize;

    #[test]
    fn drops_fragment_tracking_and_default_port() {
        assert_eq!(
            canonicalize("HTTPS://Example.ORG:443/a/b.html?utm_source=rss&id=3&fbclid=x#top").unwrap(),
            "https://example.org/a/b.html?id=3"
        );
        assert_eq!(canonicalize("http://example.org:80/?b=2&a=1").unwrap(), "http://example.org/?a=1&b=2");
        assert_eq!(canonicalize("mailto:x@example.org"), None);
    }
}
