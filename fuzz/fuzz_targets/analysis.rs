//! Arbitrary bytes, read as text, through extraction and the full tagger: nothing may panic, and
//! every mention and evidence span must read back from the text (the property test of
//! `worker/tests/unicode_props.rs`, for as long as one likes).
#![no_main]

use std::sync::LazyLock;

use govgraph_worker::extract;
use govgraph_worker::tagging::Tagger;
use govgraph_worker::tagging::analysis::{self, check_spans};
use libfuzzer_sys::fuzz_target;

static TAGGER: LazyLock<Tagger> = LazyLock::new(|| analysis::embedded().expect("the embedded tagger"));

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    // the first line is the title, the rest the text
    let (title, text) = input.split_once('\n').unwrap_or(("", &input));
    let tagged = TAGGER.tag(title, text, None, Some("BY"), None);
    if let Err(e) = check_spans(text, &tagged.analysis) {
        panic!("{e}");
    }
    let plain = extract::extract_text(&input);
    let tagged = TAGGER.tag(plain.title.as_deref().unwrap_or(""), &plain.text, plain.place.as_deref(), None, None);
    if let Err(e) = check_spans(&plain.text, &tagged.analysis) {
        panic!("{e}");
    }
    let page = extract::extract_html(&input, Some("https://example.org/a"));
    let tagged = TAGGER.tag(page.title.as_deref().unwrap_or(""), &page.text, None, None, None);
    if let Err(e) = check_spans(&page.text, &tagged.analysis) {
        panic!("{e}");
    }
});
