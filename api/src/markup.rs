//! Escaping text for XML (the Atom feeds) and HTML (the reconciliation preview): one function for
//! both, so that a character one of them mishandles cannot slip through the other.

/// `s` with `& < > " '` as entities and the control characters XML 1.0 does not allow dropped
/// (tab, line feed and carriage return stay). `&#39;` is read by XML and HTML alike.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}
