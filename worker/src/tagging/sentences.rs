//! Sentences of a German text, as byte ranges: a sentence ends at `.`, `!` or `?` followed by a
//! space and a capital letter, digit or quote, and at a blank line or a line break after a line
//! without a final stop (headings). Abbreviations ("Dr.", "Prof.", "z. B.", "e. V.", "Nr.") and ordinals
//! ("1. Juli") do not end a sentence.

const ABBREVIATIONS: &[&str] = &[
    "Dr", "Prof", "Nr", "bzw", "ca", "vgl", "St", "Abs", "Art", "Str", "Hr", "Fr", "Dipl", "Ing", "Mio", "Mrd", "u.a",
    "z.B", "d.h", "u", "a", "B", "h", "inkl", "ggf", "evtl", "Tel", "Min", "Jh", "Jan", "Feb", "Aug", "Sept", "Okt",
    "Nov", "Dez", "sog", "usw", "etc", "e.V", "i.V", "z", "e", "i",
];

/// The sentences of `text` (byte ranges, trimmed).
pub fn split(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let end_here = match c {
            '.' | '!' | '?' => {
                let next = chars.get(i + 1).map(|x| x.1);
                let after = chars.get(i + 2).map(|x| x.1);
                let closes = next.is_some_and(char::is_whitespace)
                    && after.is_some_and(|a| a.is_uppercase() || a.is_numeric() || "„\"»*(".contains(a));
                closes && !(c == '.' && abbreviation_before(text, at))
            }
            '\n' => {
                let blank = chars.get(i + 1).is_some_and(|x| x.1 == '\n');
                let line_start = text[..at].rfind('\n').map_or(0, |p| p + 1);
                let line = text[line_start..at].trim_end();
                blank || (!line.is_empty() && !line.ends_with(['.', ',', ';', ':', '-']))
            }
            _ => false,
        };
        if end_here {
            let end = at + c.len_utf8();
            push(&mut out, text, start, end);
            start = end;
        }
        i += 1;
    }
    push(&mut out, text, start, text.len());
    out
}

fn push(out: &mut Vec<(usize, usize)>, text: &str, start: usize, end: usize) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if piece.trim().chars().count() > 1 {
        out.push((start + lead, end - trail));
    }
}

fn abbreviation_before(text: &str, dot: usize) -> bool {
    let word_start =
        text[..dot].char_indices().rfind(|&(_, c)| c.is_whitespace() || c == '(').map_or(0, |(p, c)| p + c.len_utf8());
    let word = &text[word_start..dot];
    word.chars().all(|c| c.is_ascii_digit()) && !word.is_empty() || ABBREVIATIONS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_sentences() {
        let text = "Am 1. Juli 2019 sprach Prof. Dr. Veith Mehde. Danach sprach z. B. Herr Nr. 5!\nÜberschrift\nNeuer Absatz. Der Sportverein e. V., Herr Probe, lud ein.";
        let s: Vec<&str> = split(text).into_iter().map(|(a, b)| &text[a..b]).collect();
        assert_eq!(
            s,
            [
                "Am 1. Juli 2019 sprach Prof. Dr. Veith Mehde.",
                "Danach sprach z. B. Herr Nr. 5!",
                "Überschrift",
                "Neuer Absatz.",
                "Der Sportverein e. V., Herr Probe, lud ein."
            ]
        );
    }
}
