//! What German government and trade-press pages put around and inside an article that must not
//! reach the stored text: page furniture removed from the DOM before the main-text extractor
//! runs ([`BOILERPLATE_SELECTORS`]), and lines removed from its output ([`clean_text`]).

use std::sync::LazyLock;

use regex::Regex;

/// Elements that are never article text. Matched elements named html, body, main or article are
/// kept, so that a page-wide class (`<body class="has-comments">`) cannot remove the article.
pub const BOILERPLATE_SELECTORS: &str = "form, [class*=cookie], [id*=cookie], [class*=consent], \
    [class*=newsletter], [class*=share], [class*=social], [class*=vendor], [class*=anbieter], \
    [class*=advert], [class*=anzeige], .ad, .ads, [class*=comment], [id*=comment], [class*=impressum], \
    [class*=attachment], [class*=seitenfunktionen], [class*=breadcrumb]";

/// The page's landmarks for what is not its content: navigation, footers, side columns, a page
/// header (removed unless it holds the article or its headline).
pub const LANDMARK_SELECTORS: &str = "nav, footer, aside, header, [role=navigation], [role=contentinfo], \
    [role=complementary], [role=banner], [role=search], [class*=skiplink], [class*=sprungmarke]";

/// Cookie and consent walls: never an article, whatever their size.
pub const CONSENT_SELECTORS: &str = "[class*=cookie], [id*=cookie], [class*=consent], [id*=consent]";

/// Lines that are furniture wherever they stand (compared trimmed and case-insensitively).
const FURNITURE_LINES: &[&str] = &[
    "anzeige",
    "anbieter zum thema",
    "kommentieren sie den artikel",
    "teilen",
    "drucken",
    "seite drucken",
    "nach oben",
    "zurück",
    "zurück zur übersicht",
    "mehr zum thema",
    "weitere meldungen",
    "weitere artikel",
    "anhänge zur pressemitteilung",
    "artikelfiles und artikellinks",
    "diesen artikel teilen",
    "link kopieren",
    "facebook twitter linkedin e-mail",
    "newsletter abonnieren",
    "pressemitteilung",
    "pressemitteilungen",
];

static FURNITURE_PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"^\(ID:\s?\d+\)$",
        r"^Bitte geben Sie .{0,60}(ein|an)[.!]?$",
        r"^Impressum:",
        r"^Pressemitteilung\s+(Nr\.?|Nummer)\s*:?\s*[\w/.-]+$",
        r"^:\s*\d+[\w/-]*$",
        r"^Teilen\s*:",
        r"^(Tel|Telefon|Fax|Mail|E-Mail)\.?\s*:",
        r"^(Lesen Sie auch|Lesetipp|Auch interessant)\s*:",
        r"^©",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("valid regex"))
    .collect()
});

static TRAILING_ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s*\(ID:\s?\d+\)\s*$").expect("valid regex"));
static SPACES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[ \t\u{a0}\u{2009}\u{202f}]+").expect("valid regex"));

/// True for a line that is page furniture, not article text.
pub fn is_furniture(line: &str) -> bool {
    let t = line.trim();
    let lower = t.to_lowercase();
    FURNITURE_LINES.contains(&lower.as_str()) || FURNITURE_PATTERNS.iter().any(|re| re.is_match(t))
}

/// The text with furniture lines removed, spaces collapsed, and paragraphs separated by one
/// blank line.
pub fn clean_text(text: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = SPACES.replace_all(line.trim(), " ");
        let line = TRAILING_ID.replace(&line, "");
        let line = line.trim();
        if line.is_empty() || is_furniture(line) {
            continue;
        }
        paragraphs.push(line.to_owned());
    }
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_furniture_keeps_text() {
        let raw = "Anbieter zum Thema\n\nDie Landesregierung hat beschlossen.\n(ID:38375270)\nImpressum:Ministerium der Finanzen\n\
                   Bitte geben Sie Ihren Kommentar ein!\nAnzeige\nDie Anzeigen der Bürger werden digital.  Mit  Abstand.\nLetzter Satz. (ID:123)";
        assert_eq!(
            clean_text(raw),
            "Die Landesregierung hat beschlossen.\n\nDie Anzeigen der Bürger werden digital. Mit Abstand.\n\nLetzter Satz."
        );
    }
}
