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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_transliterate_umlauts() {
        assert_eq!(slugify("Städte- und Gemeindebund Sachsen-Anhalt"), "staedte-und-gemeindebund-sachsen-anhalt");
        assert_eq!(slugify("  KOMM24 GmbH!"), "komm24-gmbh");
        assert_eq!(slugify("Straße"), "strasse");
    }
}
