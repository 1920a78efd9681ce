//! Decoding a body to UTF-8: byte-order mark, then the HTTP header's charset, then a `<meta>`
//! charset in the first KiB, then valid UTF-8, then detection (chardetng). Labels follow the
//! WHATWG Encoding standard, so ISO-8859-1 is decoded as windows-1252.

use encoding_rs::{Encoding, UTF_8};

/// The encoding a body declares or shows, and the decoded text.
pub fn decode(body: &[u8], content_type: Option<&str>) -> String {
    let encoding = sniff(body, content_type);
    let (text, _, _) = encoding.decode(body);
    text.into_owned()
}

/// Which encoding `decode` uses.
pub fn sniff(body: &[u8], content_type: Option<&str>) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(body) {
        return enc;
    }
    if let Some(enc) = content_type.and_then(charset_param).and_then(|l| Encoding::for_label(l.as_bytes())) {
        return check_utf8_label(enc, body);
    }
    if let Some(enc) = meta_charset(&body[..body.len().min(2048)]) {
        return check_utf8_label(enc, body);
    }
    if std::str::from_utf8(body).is_ok() {
        return UTF_8;
    }
    detect(body)
}

/// A page labelled UTF-8 that is mostly not UTF-8 is, in practice, windows-1252 or similar: then
/// detection decides. A UTF-8 page with a few broken bytes stays UTF-8 (the bytes become U+FFFD).
fn check_utf8_label(enc: &'static Encoding, body: &[u8]) -> &'static Encoding {
    if enc != UTF_8 || std::str::from_utf8(body).is_ok() {
        return enc;
    }
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    for chunk in body.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    if multibyte > invalid { UTF_8 } else { detect(body) }
}

fn detect(body: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(body, true);
    detector.guess(Some(b"de"), true)
}

fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset")).then(|| v.trim().trim_matches(['"', '\'']).to_owned())
    })
}

fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = text.as_str();
    while let Some(pos) = rest.find("charset") {
        let after = rest[pos + 7..].trim_start();
        if let Some(value) = after.strip_prefix('=') {
            let value = value.trim_start().trim_start_matches(['"', '\'']);
            let end = value.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).unwrap_or(value.len());
            if let Some(enc) = Encoding::for_label(&value.as_bytes()[..end]) {
                return Some(enc);
            }
        }
        rest = &rest[pos + 7..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_from_header_meta_and_detection() {
        let body =
            b"<html><head><meta charset=\"iso-8859-1\"></head><body>Gr\xfc\xdfe aus Th\xfcringen \x80</body></html>";
        assert!(decode(body, None).contains("Grüße aus Thüringen €"));
        assert!(decode(body, Some("text/html; charset=ISO-8859-1")).contains("Grüße"));
        // labelled UTF-8, but is not
        assert!(decode(body, Some("text/html; charset=utf-8")).contains("Grüße"));
        let bare =
            "Die Stadtverwaltung Köln und die Gemeinde Möhnesee stärken die Zusammenarbeit für Bürgerinnen und Bürger."
                .as_bytes();
        let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(std::str::from_utf8(bare).unwrap());
        assert!(decode(&latin, None).contains("Köln"));
        assert_eq!(decode("\u{feff}Straße".as_bytes(), Some("text/plain; charset=latin1")), "Straße");
        // UTF-8 with one broken byte stays UTF-8
        let mut broken = "Grüße aus Köln und Düsseldorf".as_bytes().to_vec();
        broken.push(0xff);
        let text = decode(&broken, Some("text/html; charset=utf-8"));
        assert!(text.starts_with("Grüße aus Köln") && text.ends_with('\u{fffd}'), "{text}");
    }
}
