//! Arbitrary Unicode through extraction and the full tagger: nothing panics, and every mention and
//! evidence span lies on character boundaries and reads back as its text.
//!
//! Bounded to a few seconds here; `fuzz/` runs the same check for as long as one likes.

use std::sync::LazyLock;

use govgraph_worker::extract;
use govgraph_worker::tagging::Tagger;
use govgraph_worker::tagging::analysis::{self, check_spans};
use proptest::prelude::*;

static TAGGER: LazyLock<Tagger> = LazyLock::new(|| analysis::embedded().expect("the embedded tagger"));

/// Pieces that lead the taggers into their rules, mixed with characters that break byte arithmetic.
const PIECES: &[&str] = &[
    "„",
    "“",
    "‚",
    "‘",
    "»",
    "«",
    "\"",
    "'",
    "(",
    ")",
    "-",
    "–",
    ".",
    ",",
    ":",
    ";",
    "\n",
    "\n\n",
    " ",
    "  ",
    "\u{0}",
    "\u{7}",
    "\u{200b}",
    "\u{202e}",
    "\u{feff}",
    "e\u{301}",
    "a\u{308}\u{308}",
    "🇩🇪",
    "👩‍💻",
    "😀",
    "שלום",
    "مرحبا",
    "ß",
    "ẞ",
    "İ",
    "ﬁ",
    "Σ",
    "Staatssekretärin",
    "Staatssekretär",
    "Ministerin",
    "Minister",
    "Landrat",
    "Oberbürgermeisterin",
    "Präsident des Landkreistages",
    "Geschäftsführer",
    "Dr.",
    "Prof.",
    "Anna Muster",
    "Karl-Heinz Beispiel",
    "IT-Rat",
    "„IT-Kooperationsrat“",
    "Lenkungsausschuss",
    "Zweckverband",
    "Landkreis",
    "Stadt",
    "Kreis",
    "Gemeinde",
    "Sachsen",
    "Bayern",
    "Baden-Württemberg",
    "Nordrhein-Westfalen",
    "Landesregierung",
    "Staatskanzlei",
    "Ministerium des Innern",
    "Innenministerium",
    "Kooperationsvereinbarung",
    "Rahmenvereinbarung",
    "Staatsvertrag",
    "unterzeichnet",
    "unterzeichneten",
    "schließen",
    "vereinbart",
    "verlängert",
    "erneuert",
    "mit",
    "und",
    "der",
    "die",
    "des",
    "zwischen",
    "am",
    "12. März 2024",
    "1.1.2025",
    "2023",
    "Montag",
    "Projekt",
    "Plattform",
    "OZG",
    "Dataport",
    "Landkreistag",
    "Städtetag",
    "Gemeindebund",
    "e. V.",
    "GmbH",
    "AöR",
    "@",
    "#",
    "/",
    "&",
];

fn pieces_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|v| v.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => pieces_text(),
        1 => any::<String>(),
        1 => prop::collection::vec((pieces_text(), any::<String>()), 0..6)
            .prop_map(|v| v.into_iter().map(|(a, b)| a + &b).collect::<String>()),
    ]
}

fn check(title: &str, text: &str) {
    let tagged = TAGGER.tag(title, text, None, None, None);
    if let Err(e) = check_spans(text, &tagged.analysis) {
        panic!("{e}");
    }
    let plain = extract::extract_text(text);
    let _ = TAGGER.tag(plain.title.as_deref().unwrap_or(""), &plain.text, plain.place.as_deref(), None, None);
    let html = format!("<html><body><nav>Start</nav><article><h1>{title}</h1><p>{text}</p></article></body></html>");
    let page = extract::extract_html(&html, Some("https://example.org/a"));
    let tagged = TAGGER.tag(page.title.as_deref().unwrap_or(""), &page.text, None, Some("BY"), None);
    if let Err(e) = check_spans(&page.text, &tagged.analysis) {
        panic!("{e}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics_and_spans_read_back(title in any_text(), text in any_text()) {
        check(&title, &text);
    }
}

#[test]
fn edge_cases_never_panic() {
    let long_line: String = "Staatssekretär„IT-Rat“".repeat(1 << 16);
    let cases: Vec<(String, String)> = vec![
        (String::new(), String::new()),
        ("„".into(), "„".into()),
        (String::new(), ".,;:!?–„“»«".repeat(200)),
        (String::new(), long_line.chars().take(1_000_000 / 3).collect()),
        (String::new(), "x".repeat(1_000_000)),
        (String::new(), "\u{0}\u{1}\u{1b}[31m\r\n\t".repeat(100)),
        ("Titel".into(), "Der Landrat des Kreises „Beispiel“ unterzeichnete den „IT-Rat“-Vertrag.".into()),
        (String::new(), "„Lenkungsausschuss „Digitale Verwaltung“ beschloss".into()),
        (String::new(), "e\u{301}\u{301}\u{301}Staatssekretärin ‚Anna‘ Muster".into()),
        (String::new(), "مرحبا Staatsminister שלום Bayern 👩‍💻 unterzeichnet".into()),
        (String::new(), "Zweckverband\n\nStaatssekretärine\u{301}„".into()),
    ];
    for (title, text) in cases {
        check(&title, &text);
    }
}
