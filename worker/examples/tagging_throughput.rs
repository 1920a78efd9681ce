//! Tagging throughput: the whole pipeline (states, gazetteer with the ~11,000 places of the
//! register and the OZG services, discovery, relations) against a bare aho-corasick `find_iter`
//! scan of the same patterns over the same texts, and the time to build the gazetteer.
//!
//!     cargo run --release -p govgraph-worker --example tagging_throughput [-- DIR_OF_TXT_FILES]
//!
//! Without an argument the texts are the repository's test documents (tests/fixtures/gold/seeds
//! and tests/fixtures/tagging), read again until about 4 MB have been tagged.

use std::time::Instant;

use aho_corasick::{AhoCorasick, MatchKind};
use govgraph_worker::extract::extract_text;
use govgraph_worker::tagging::analysis::embedded;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
    let dirs: Vec<String> = match std::env::args().nth(1) {
        Some(d) => vec![d],
        None => vec![format!("{root}/gold/seeds"), format!("{root}/tagging")],
    };
    let mut docs = Vec::new();
    for d in &dirs {
        for entry in std::fs::read_dir(d).expect("a folder of texts") {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                let x = extract_text(&std::fs::read_to_string(&path).unwrap());
                docs.push((x.title.unwrap_or_default(), x.text, x.place));
            }
        }
    }
    let bytes: usize = docs.iter().map(|d| d.0.len() + d.1.len()).sum();
    let rounds = (4_000_000 / bytes.max(1)).max(1);

    let mut builds = Vec::new();
    let mut tagger = None;
    for _ in 0..5 {
        let t = Instant::now();
        tagger = Some(embedded().expect("the embedded data"));
        builds.push(t.elapsed().as_secs_f64());
    }
    let tagger = tagger.unwrap();
    let places = tagger.places.as_ref().map_or(0, |p| p.patterns().len());
    let mut all: Vec<&str> = tagger.names.patterns().iter().map(String::as_str).collect();
    if let Some(p) = &tagger.places {
        all.extend(p.patterns().iter().map(String::as_str));
    }
    let bare = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&all).unwrap();

    let mut full = Vec::new();
    let mut scan = Vec::new();
    let (mut entities, mut relations, mut hits) = (0, 0, 0);
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..rounds {
            for (title, text, place) in &docs {
                let tagged = tagger.tag(title, text, place.as_deref(), None, None);
                entities += tagged.analysis.entities.len();
                relations += tagged.analysis.relations.len();
            }
        }
        full.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        for _ in 0..rounds {
            for (title, text, _) in &docs {
                hits += bare.find_iter(title).count() + bare.find_iter(text).count();
            }
        }
        scan.push(t.elapsed().as_secs_f64());
    }
    let mb = (bytes * rounds) as f64 / 1e6;
    println!(
        "texts: {} documents, {:.1} KB, read {rounds} times per pass ({mb:.2} MB), median of 5 passes",
        docs.len(),
        bytes as f64 / 1e3
    );
    println!("patterns: {} names and forms + {places} place forms = {}", tagger.names.patterns().len(), all.len());
    println!("gazetteer build (reference, register, OZG): {:.0} ms", median(builds) * 1e3);
    let (f, s) = (median(full), median(scan));
    println!("full tagging: {:.2} MB/s ({:.0} documents/s)", mb / f, (docs.len() * rounds) as f64 / f);
    println!("bare find_iter scan: {:.2} MB/s", mb / s);
    println!("tagging costs {:.1}x the bare scan", f / s);
    println!("(found per pass: {} entities, {} relations, {} raw hits)", entities / 5, relations / 5, hits / 5);
}
