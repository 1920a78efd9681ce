//! Text for the pages: an announcement cut into plain and mentioned segments (the mentions'
//! offsets count characters, never bytes), and search snippets with their matches marked.

use serde::Serialize;
use serde_json::Value;

use crate::markup::escape;

/// A piece of an announcement's text: plain, or a mention leading to `href`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    pub text: String,
    /// The page of the node named, for a mention.
    pub href: Option<String>,
    /// What the node is called, for a mention (its link's title).
    pub name: Option<String>,
}

/// A mention as the page needs it: character offsets and where it leads.
#[derive(Debug, Clone)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    pub href: String,
    pub name: String,
}

/// The marks of the `mentions` of an announcement (as the API gives them, with `node`).
pub fn marks(mentions: &[Value]) -> Vec<Mark> {
    mentions
        .iter()
        .filter_map(|m| {
            let start = usize::try_from(m.get("startOffset")?.as_i64()?).ok()?;
            let end = usize::try_from(m.get("endOffset")?.as_i64()?).ok()?;
            let node = m.get("node")?;
            let href = super::href(node)?;
            let name = node.get("name").or_else(|| node.get("title")).and_then(Value::as_str).unwrap_or_default();
            Some(Mark { start, end, href, name: name.to_owned() })
        })
        .collect()
}

/// `text` cut at the marks: the earliest (then the longest) of overlapping marks wins, marks
/// outside the text or empty are left out. Offsets count characters.
pub fn segments(text: &str, marks: &[Mark]) -> Vec<Segment> {
    // byte position of every character offset, and of the end
    let mut bytes: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    bytes.push(text.len());
    let chars = bytes.len() - 1;
    let mut sorted: Vec<&Mark> = marks.iter().filter(|m| m.start < m.end && m.end <= chars).collect();
    sorted.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut out = Vec::new();
    let mut at = 0;
    for m in sorted {
        if m.start < at {
            continue;
        }
        if m.start > at {
            out.push(Segment { text: text[bytes[at]..bytes[m.start]].to_owned(), href: None, name: None });
        }
        out.push(Segment {
            text: text[bytes[m.start]..bytes[m.end]].to_owned(),
            href: Some(m.href.clone()),
            name: Some(m.name.clone()),
        });
        at = m.end;
    }
    if at < chars {
        out.push(Segment { text: text[bytes[at]..].to_owned(), href: None, name: None });
    }
    out
}

/// A search snippet (matches between « and ») as HTML: escaped, the matches in `<mark>`.
pub fn snippet_html(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len() + 16);
    let mut open = false;
    for part in snippet.split_inclusive(['«', '»']) {
        let (body, marker) = match part.chars().last() {
            Some(c @ ('«' | '»')) => (&part[..part.len() - c.len_utf8()], Some(c)),
            _ => (part, None),
        };
        out.push_str(&escape(body));
        match marker {
            Some('«') if !open => {
                out.push_str("<mark>");
                open = true;
            }
            Some('»') if open => {
                out.push_str("</mark>");
                open = false;
            }
            Some(c) => out.push(c),
            None => {}
        }
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn mark(start: usize, end: usize) -> Mark {
        Mark { start, end, href: format!("/akteur/{start}"), name: "X".into() }
    }

    fn joined(s: &[Segment]) -> String {
        s.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn cut_at_mentions_counting_characters() {
        let text = "Die Städte Köln und Düsseldorf unterzeichnen.";
        // "Köln" is characters 11..15, "Düsseldorf" 20..30
        let s = segments(text, &[mark(20, 30), mark(11, 15)]);
        let texts: Vec<_> = s.iter().map(|s| (s.text.as_str(), s.href.is_some())).collect();
        assert_eq!(
            texts,
            [
                ("Die Städte ", false),
                ("Köln", true),
                (" und ", false),
                ("Düsseldorf", true),
                (" unterzeichnen.", false)
            ]
        );
    }

    #[test]
    fn overlapping_empty_and_outside_marks() {
        let text = "Land Sachsen-Anhalt";
        let s = segments(text, &[mark(5, 19), mark(5, 12), mark(0, 19), mark(3, 3), mark(10, 400)]);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].text, text);
        assert_eq!(segments("", &[mark(0, 1)]), vec![]);
    }

    #[test]
    fn snippets() {
        assert_eq!(snippet_html("die «Rahmenvereinbarung» <b>"), "die <mark>Rahmenvereinbarung</mark> &lt;b&gt;");
        assert_eq!(snippet_html("«offen"), "<mark>offen</mark>");
        assert_eq!(snippet_html("nur » hier"), "nur » hier");
        assert_eq!(snippet_html(""), "");
    }

    proptest! {
        #[test]
        fn any_text_and_offsets(text in "\\PC{0,60}", raw in proptest::collection::vec((0usize..80, 0usize..80), 0..8)) {
            let marks: Vec<Mark> = raw.iter().map(|&(a, b)| mark(a, b)).collect();
            let s = segments(&text, &marks);
            prop_assert_eq!(joined(&s), text.clone());
            let html = snippet_html(&text);
            prop_assert!(!html.contains('<') || html.contains("<mark>"));
        }
    }
}
