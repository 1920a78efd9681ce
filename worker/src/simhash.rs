//! SimHash (Charikar) over word trigrams: texts that differ in a few words get hashes that differ in
//! a few bits, so near-duplicates (a press release reprinted with a new footer) can be found. Two
//! unrelated texts differ in about 32 of the 64 bits; govgraph calls texts within 8 bits near-duplicates (a
//! random pair of texts lands there with a probability of about 5e-8).

use std::hash::Hasher;

/// The 64-bit SimHash of `text`, or `None` for texts too short to compare.
pub fn simhash(text: &str) -> Option<i64> {
    let words: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    if words.len() < 8 {
        return None;
    }
    let mut weights = [0i32; 64];
    for gram in words.windows(3) {
        let mut h = fnv::FnvHasher::default();
        for w in gram {
            h.write(w.as_bytes());
            h.write_u8(0);
        }
        let bits = h.finish();
        for (i, weight) in weights.iter_mut().enumerate() {
            *weight += if bits >> i & 1 == 1 { 1 } else { -1 };
        }
    }
    let hash = weights.iter().enumerate().fold(0u64, |acc, (i, w)| if *w > 0 { acc | 1 << i } else { acc });
    Some(hash as i64)
}

#[cfg(test)]
mod tests {
    use super::simhash;

    fn distance(a: &str, b: &str) -> u32 {
        (simhash(a).unwrap() ^ simhash(b).unwrap()).count_ones()
    }

    #[test]
    fn near_texts_are_near() {
        let base = "Das Land und die kommunalen Spitzenverbände haben heute in Magdeburg eine neue Rahmenvereinbarung \
                    über die Zusammenarbeit in den Bereichen Informationstechnik und E-Government unterzeichnet. \
                    Die Vereinbarung regelt den Betrieb gemeinsamer Plattformen, die Finanzierung der Basiskomponenten \
                    und die Abstimmung von Standards zwischen Land und Kommunen in den kommenden fünf Jahren.";
        let reprint = format!("{base} Quelle: Ministerium der Finanzen.");
        let other = "Der Landkreis hat den Haushalt für das kommende Jahr beschlossen. Die Kreisumlage sinkt leicht, \
                     die Investitionen in Schulen und Straßen steigen deutlich, wie der Kämmerer im Kreistag erklärte.";
        assert!(distance(base, &reprint) <= 8, "{}", distance(base, &reprint));
        assert!(distance(base, other) > 16, "{}", distance(base, other));
        assert_eq!(simhash("zu kurz"), None);
    }
}
