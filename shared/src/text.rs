//! Small text helpers shared by the worker and the API.

/// A URL- and id-friendly slug: lower case ASCII, umlauts transliterated, words joined by `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        let piece: &str = match c {
            'ä' | 'Ä' => "ae",
            'ö' | 'Ö' => "oe",
            'ü' | 'Ü' => "ue",
            'ß' => "ss",
            _ => "",
        };
        if !piece.is_empty() {
            out.push_str(piece);
            dash = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Lower case that keeps every byte offset: a character whose lower case has another length in
/// UTF-8 (`İ`, `ẞ`, the Kelvin sign) stays as it is, so offsets found in the result are offsets
/// (and char boundaries) of `s`.
pub fn lowercase_in_place(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
            _ => out.push(c),
        }
    }
    out
}

/// The byte offset of `part` in `whole`, where `part` is a slice of `whole`.
///
/// # Panics
/// When `part` does not lie inside `whole` (a programming error, not an input error).
pub fn offset_in(whole: &str, part: &str) -> usize {
    let offset = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
    assert!(offset <= whole.len() && offset + part.len() <= whole.len(), "a slice of another string");
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_transliterate_umlauts() {
        assert_eq!(slugify("Städte- und Gemeindebund Sachsen-Anhalt"), "staedte-und-gemeindebund-sachsen-anhalt");
        assert_eq!(slugify("  KOMM24 GmbH!"), "komm24-gmbh");
        assert_eq!(slugify("Straße"), "strasse");
    }

    #[test]
    fn lowercase_keeps_offsets() {
        for s in ["", "Sachsen", "İstanbul und ẞ in BAYERN", "\u{212a}elvin „Ä“", "ΣΑΣ"] {
            let l = lowercase_in_place(s);
            assert_eq!(l.len(), s.len(), "{s}");
            assert!(s.char_indices().all(|(i, _)| l.is_char_boundary(i)), "{s}");
        }
        assert_eq!(lowercase_in_place("İn BAYERN"), "İn bayern");
    }

    #[test]
    fn offset_of_a_slice() {
        let t = "„Rat“ der Länder";
        assert_eq!(offset_in(t, &t[9..]), 9);
        assert_eq!(offset_in(t, &t[t.len()..]), t.len());
    }
}
