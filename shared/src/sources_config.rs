//! `config/sources.toml`: one `[[source]]` table per source. Common keys are typed here; the keys a
//! kind adds (selectors, `max_pages`, `url_pattern`, `delay_ms`, ...) are kept as `settings`.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// What a source is and how it is read (the vocabulary is defined in [`crate::vocab`]).
pub use crate::vocab::SourceKind;

fn yes() -> bool {
    true
}

/// One `[[source]]` table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceConfig {
    pub name: String,
    pub kind: SourceKind,
    pub url: String,
    /// Cron with six fields (seconds first), in Europe/Berlin.
    pub schedule: Option<String>,
    /// The default state tag (a code such as "ST", or "DE").
    pub state: Option<String>,
    /// The issuing actor.
    pub publisher: Option<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Kind-specific keys.
    #[serde(flatten)]
    pub settings: toml::Table,
}

impl SourceConfig {
    /// The kind-specific keys as JSON, as stored in `sources.settings`.
    pub fn settings_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.settings).unwrap_or(serde_json::Value::Null)
    }
}

#[derive(Deserialize)]
struct SourcesFile {
    #[serde(default, rename = "source")]
    sources: Vec<SourceConfig>,
}

/// The parsed and checked sources file.
#[derive(Debug, Clone, Default)]
pub struct SourcesConfig {
    pub sources: Vec<SourceConfig>,
}

impl SourcesConfig {
    /// Reads and checks a sources file.
    pub fn load(path: &Path) -> Result<SourcesConfig> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Config(format!("cannot read the sources file {}: {e}", path.display())))?;
        Self::parse(&text).map_err(|e| match e {
            Error::Config(msg) => Error::Config(format!("{}: {msg}", path.display())),
            other => other,
        })
    }

    /// Parses and checks the text of a sources file.
    pub fn parse(text: &str) -> Result<SourcesConfig> {
        let file: SourcesFile = toml::from_str(text).map_err(|e| Error::Config(e.to_string()))?;
        let known_states: HashSet<String> = crate::reference::states()?.into_iter().map(|s| s.code).collect();
        let mut names = HashSet::new();
        for s in &file.sources {
            if s.name.trim().is_empty() {
                return Err(Error::Config("a source has an empty name".into()));
            }
            if !names.insert(s.name.as_str()) {
                return Err(Error::Config(format!("source name `{}` is used twice", s.name)));
            }
            let url = url::Url::parse(&s.url)
                .map_err(|e| Error::Config(format!("source `{}`: url `{}` is not a URL: {e}", s.name, s.url)))?;
            if !matches!(url.scheme(), "http" | "https" | "file") {
                return Err(Error::Config(format!("source `{}`: only http(s) URLs can be harvested", s.name)));
            }
            if let Some(state) = s.state.as_ref().filter(|st| !known_states.contains(*st)) {
                return Err(Error::Config(format!(
                    "source `{}`: state `{state}` is not a state code (BW, BY, ..., DE)",
                    s.name
                )));
            }
            if let Some(cron) = &s.schedule {
                let fields = cron.split_whitespace().count();
                if fields != 6 {
                    return Err(Error::Config(format!(
                        "source `{}`: schedule `{cron}` has {fields} fields; govgraph's cron has six, seconds first \
                         (\"0 15 */2 * * *\")",
                        s.name
                    )));
                }
            }
        }
        Ok(SourcesConfig { sources: file.sources })
    }

    pub fn get(&self, name: &str) -> Option<&SourceConfig> {
        self.sources.iter().find(|s| s.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_and_kind_specific_keys() {
        let cfg = SourcesConfig::parse(
            r#"
            [[source]]
            name = "a"
            kind = "html"
            url = "https://example.org/presse"
            schedule = "0 0 * * * *"
            state = "ST"
            max_pages = 3
            [source.selectors]
            item = "li.news"
            link = "a"
            "#,
        )
        .unwrap();
        let s = cfg.get("a").unwrap();
        assert_eq!(s.kind, SourceKind::Html);
        assert!(s.enabled);
        assert_eq!(s.settings_json()["selectors"]["item"], "li.news");
        assert_eq!(s.settings_json()["max_pages"], 3);
    }

    #[test]
    fn rejects_what_would_fail_later() {
        let base =
            |extra: &str| format!("[[source]]\nname = \"a\"\nkind = \"rss\"\nurl = \"https://x.org/feed\"\n{extra}");
        for (extra, needle) in [
            ("state = \"XX\"", "state code"),
            ("schedule = \"*/5 * * * *\"", "six"),
            ("[[source]]\nname = \"a\"\nkind = \"rss\"\nurl = \"https://y.org\"", "twice"),
        ] {
            let err = SourcesConfig::parse(&base(extra)).unwrap_err().to_string();
            assert!(err.contains(needle), "{extra}: {err}");
        }
        let err =
            SourcesConfig::parse("[[source]]\nname = \"a\"\nkind = \"gopher\"\nurl = \"https://x.org\"").unwrap_err();
        assert!(err.to_string().contains("unknown variant"), "{err}");
    }
}
