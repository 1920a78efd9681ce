//! Scores main-text extractors on the article-extraction benchmark (181 pages with reference
//! texts) with the benchmark's published metric, and times them in this one process.
//!
//! cargo run --release --manifest-path bench/extraction/Cargo.toml -- BENCH_DIR [--score NAME=predictions.json ...]
//!
//! BENCH_DIR holds `ground-truth.json` and `html/*.html.gz`. `--score` adds an external
//! extractor's predictions (`{hash: {"articleBody": ...}}`, as the benchmark's own scripts write).

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::LazyLock;
use std::time::Instant;

use regex::Regex;
use serde_json::Value;

static TOKEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\w+").unwrap());

/// Per-page true positives, false positives and false negatives over 4-token shingles,
/// normalised to sum to 1.
fn shingle_match(truth: &str, pred: &str) -> (f64, f64, f64) {
    fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
        let tokens: Vec<&str> = TOKEN.find_iter(text).map(|m| m.as_str()).collect();
        let mut out = HashMap::new();
        let windows = tokens.len().saturating_sub(3).max(1);
        for i in 0..windows {
            let s = tokens[i..(i + 4).min(tokens.len())].to_vec();
            if !s.is_empty() {
                *out.entry(s).or_insert(0) += 1;
            }
        }
        out
    }
    let (t, p) = (shingles(truth), shingles(pred));
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    for key in t.keys().chain(p.keys().filter(|k| !t.contains_key(*k))) {
        let (tc, pc) = (*t.get(key).unwrap_or(&0) as f64, *p.get(key).unwrap_or(&0) as f64);
        tp += tc.min(pc);
        fp += (pc - tc).max(0.0);
        fn_ += (tc - pc).max(0.0);
    }
    let sum = tp + fp + fn_;
    if sum > 0.0 { (tp / sum, fp / sum, fn_ / sum) } else { (0.0, 0.0, 0.0) }
}

/// Precision and recall are means over pages, F1 combines the means.
fn score(pages: &[(f64, f64, f64)]) -> (f64, f64, f64) {
    let mean = |v: Vec<f64>| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let precision = mean(
        pages
            .iter()
            .filter(|(tp, fp, _)| tp + fp > 0.0)
            .map(|&(tp, fp, fn_)| if fp == 0.0 && fn_ == 0.0 { 1.0 } else { tp / (tp + fp) })
            .collect(),
    );
    let recall = mean(
        pages
            .iter()
            .filter(|(tp, _, fn_)| tp + fn_ > 0.0)
            .map(|&(tp, fp, fn_)| if fp == 0.0 && fn_ == 0.0 { 1.0 } else { tp / (tp + fn_) })
            .collect(),
    );
    (precision, recall, 2.0 * precision * recall / (precision + recall))
}

type Extractor = fn(&str, &str) -> String;

fn govgraph(html: &str, url: &str) -> String {
    govgraph_worker::extract::extract_html(html, Some(url)).text
}

fn rs_trafilatura(html: &str, _url: &str) -> String {
    rs_trafilatura::extract(html).map(|r| r.content_text).unwrap_or_default()
}

fn trafilatura_crate(html: &str, _url: &str) -> String {
    trafilatura::extract(html, &trafilatura::Options::default()).map(|r| r.content_text).unwrap_or_default()
}

fn dom_smoothie_plain(html: &str, url: &str) -> String {
    let cfg = dom_smoothie::Config { text_mode: dom_smoothie::TextMode::Formatted, ..Default::default() };
    dom_smoothie::Readability::new(html, Some(url).filter(|u| u.starts_with("http")), Some(cfg))
        .and_then(|mut r| r.parse())
        .map(|a| a.text_content.to_string())
        .unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = Path::new(args.first().expect("usage: BENCH_DIR [--score NAME=FILE]"));
    let truth: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("ground-truth.json")).unwrap()).unwrap();
    let truth = truth.as_object().unwrap();
    let mut keys: Vec<&String> = truth.keys().collect();
    keys.sort();
    let pages: Vec<(String, String, String)> = keys
        .iter()
        .map(|k| {
            let gz = std::fs::read(dir.join("html").join(format!("{k}.html.gz"))).unwrap();
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(gz.as_slice()).read_to_end(&mut bytes).unwrap();
            let html = govgraph_worker::fetch::charset::decode(&bytes, None);
            let url = truth[*k]["url"].as_str().unwrap_or_default().to_owned();
            ((*k).clone(), html, url)
        })
        .collect();
    let bytes: usize = pages.iter().map(|p| p.1.len()).sum();
    println!("{} pages, {:.1} MB of HTML; one thread, median of five passes\n", pages.len(), bytes as f64 / 1e6);
    println!("| extractor | F1 | precision | recall | pages/s | ms/page |");
    println!("|---|---|---|---|---|---|");
    let extractors: Vec<(&str, Extractor)> = vec![
        ("govgraph (dom_smoothie + cleaning)", govgraph),
        ("rs-trafilatura 0.2", rs_trafilatura),
        ("trafilatura (crate) 0.6", trafilatura_crate),
        ("dom_smoothie 0.19 alone", dom_smoothie_plain),
    ];
    let out_dir = std::env::temp_dir().join("govgraph-extraction-bench");
    std::fs::create_dir_all(&out_dir).unwrap();
    for &(name, f) in &extractors {
        // warm up, then time one pass
        for (_, html, url) in pages.iter().take(5) {
            let _ = f(html, url);
        }
        // five timed passes; the median pass counts
        let mut passes = Vec::new();
        let mut outputs: Vec<String> = Vec::new();
        for _ in 0..5 {
            let start = Instant::now();
            outputs = pages.iter().map(|(_, html, url)| f(html, url)).collect();
            passes.push(start.elapsed().as_secs_f64());
        }
        passes.sort_by(f64::total_cmp);
        let secs = passes[passes.len() / 2];
        let matches: Vec<_> = pages
            .iter()
            .zip(&outputs)
            .map(|((k, _, _), pred)| shingle_match(truth[k]["articleBody"].as_str().unwrap_or_default(), pred))
            .collect();
        let (p, r, f1) = score(&matches);
        println!(
            "| {name} | {f1:.3} | {p:.3} | {r:.3} | {:.0} | {:.2} |",
            pages.len() as f64 / secs,
            secs * 1000.0 / pages.len() as f64
        );
        let preds: serde_json::Map<String, Value> = pages
            .iter()
            .zip(&outputs)
            .map(|((k, _, _), o)| (k.clone(), serde_json::json!({ "articleBody": o })))
            .collect();
        let file = out_dir.join(format!("{}.json", name.split_whitespace().next().unwrap()));
        std::fs::write(file, serde_json::to_string(&preds).unwrap()).unwrap();
    }
    seed_site(&extractors);
    for spec in args.iter().skip(1).filter(|a| a.contains('=')) {
        let (name, file) = spec.split_once('=').unwrap();
        let preds: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let matches: Vec<_> = pages
            .iter()
            .map(|(k, _, _)| {
                shingle_match(
                    truth[k]["articleBody"].as_str().unwrap_or_default(),
                    preds[k.as_str()]["articleBody"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        let (p, r, f1) = score(&matches);
        println!("| {name} (external) | {f1:.3} | {p:.3} | {r:.3} | | |");
    }
}

/// The German fixture pages (tests/fixtures/seed-site): does each extractor keep the article's
/// first and last passages, and how many furniture strings leak into its text?
fn seed_site(extractors: &[(&str, Extractor)]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seed-site");
    let expected: toml::Table = toml::from_str(&std::fs::read_to_string(dir.join("expected.toml")).unwrap()).unwrap();
    let pages = expected["page"].as_array().unwrap();
    println!("\nThe seed site ({} German pages with navigation, teasers, adverts, footers):\n", pages.len());
    println!("| extractor | pages with beginning and end kept | furniture strings leaked |");
    println!("|---|---|---|");
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for (name, f) in extractors {
        let (mut complete, mut leaked) = (0, 0);
        for page in pages {
            let path = page["path"].as_str().unwrap();
            let bytes = std::fs::read(dir.join(path)).unwrap();
            let html = govgraph_worker::fetch::charset::decode(&bytes, None);
            let text = f(&html, &format!("https://example.org/{path}"));
            let flat = squash(&text);
            if flat.contains(&squash(page["first"].as_str().unwrap())) && flat.contains(&squash(page["last"].as_str().unwrap())) {
                complete += 1;
            }
            leaked += page["absent"].as_array().unwrap().iter().filter(|a| text.contains(a.as_str().unwrap())).count();
        }
        println!("| {name} | {complete} of {} | {leaked} |", pages.len());
    }
}
