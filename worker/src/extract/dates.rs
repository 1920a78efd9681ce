//! Dates as German administrative texts write them ("15.07.2014", "9. Januar 2006",
//! "Dienstag (06.11.2018)", "Magdeburg, den 15.07.2014") and as machines write them (ISO 8601,
//! RFC 2822). A date without a time is taken as midnight in Europe/Berlin.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use regex::Regex;

const MONTHS: &[(&str, u32)] = &[
    ("januar", 1),
    ("jänner", 1),
    ("jan", 1),
    ("februar", 2),
    ("feb", 2),
    ("märz", 3),
    ("maerz", 3),
    ("mär", 3),
    ("april", 4),
    ("apr", 4),
    ("mai", 5),
    ("juni", 6),
    ("jun", 6),
    ("juli", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("oktober", 10),
    ("okt", 10),
    ("november", 11),
    ("nov", 11),
    ("dezember", 12),
    ("dez", 12),
];

static NUMERIC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})\b").expect("valid regex"));
static LONG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})\.\s*(januar|jänner|februar|märz|maerz|april|mai|juni|juli|august|september|oktober|november|dezember|jan|feb|mär|apr|jun|jul|aug|sept|sep|okt|nov|dez)\.?\s+(\d{4})\b")
        .expect("valid regex")
});
/// "Magdeburg, den 15.07.2014", "Berlin, 9. Januar 2006", "Schwerin (dpa) 15.07.2014"
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*([A-ZÄÖÜ][\p{L}.\-]+(?:[ /][A-ZÄÖÜa-zäöüß][\p{L}.\-]+){0,3})\s*(?:,|\(\w+\)|–|-)\s*(?:den\s+|am\s+)?(?:(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag),?\s*(?:den\s+)?)?(\d{1,2}\.\s?(?:\d{1,2}\.\s?\d{2,4}|\p{L}+\.?\s+\d{4}))\b")
        .expect("valid regex")
});

/// The instant of a date: midnight in Europe/Berlin.
pub fn berlin_midnight(date: NaiveDate) -> DateTime<Utc> {
    let naive = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    Berlin
        .from_local_datetime(&naive)
        .earliest()
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}

fn year(y: &str) -> Option<i32> {
    let n: i32 = y.parse().ok()?;
    Some(if y.len() == 2 { if n > 70 { 1900 + n } else { 2000 + n } } else { n })
}

fn month(name: &str) -> Option<u32> {
    let lower = name.to_lowercase();
    MONTHS.iter().find(|(m, _)| *m == lower).map(|(_, n)| *n)
}

/// A machine-readable date or date-time (ISO 8601, RFC 3339, RFC 2822, plain `YYYY-MM-DD`).
pub fn parse_machine(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%d %H:%M:%S%z"] {
        if let Ok(d) = DateTime::parse_from_str(s, fmt) {
            return Some(d.with_timezone(&Utc));
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, fmt) {
            return Berlin.from_local_datetime(&d).earliest().map(|d| d.with_timezone(&Utc));
        }
    }
    let date_part = s.get(..10).unwrap_or(s);
    if let Ok(d) = NaiveDate::parse_from_str(date_part, "%Y-%m-%d") {
        return Some(berlin_midnight(d));
    }
    parse_german(s).map(berlin_midnight)
}

/// The first German date in `s` ("15.07.2014", "9. Januar 2006").
pub fn parse_german(s: &str) -> Option<NaiveDate> {
    find_german(s).map(|(d, _)| d)
}

/// The first German date in `s` and the byte offset where it starts.
pub fn find_german(s: &str) -> Option<(NaiveDate, usize)> {
    let numeric = NUMERIC.captures_iter(s).find_map(|c| {
        let d = NaiveDate::from_ymd_opt(year(&c[3])?, c[2].parse().ok()?, c[1].parse().ok()?)?;
        Some((d, c.get(0)?.start()))
    });
    let long = LONG.captures_iter(s).find_map(|c| {
        let d = NaiveDate::from_ymd_opt(year(&c[3])?, month(&c[2])?, c[1].parse().ok()?)?;
        Some((d, c.get(0)?.start()))
    });
    match (numeric, long) {
        (Some(a), Some(b)) => Some(if a.1 <= b.1 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// A dateline at the start of `line`: the place and the date.
pub fn dateline(line: &str) -> Option<(String, NaiveDate)> {
    let c = DATELINE.captures(line)?;
    let place = c[1].trim().to_owned();
    let date = parse_german(&c[2])?;
    // "Pressemitteilung Nr. 31" and similar are not places
    if place.split_whitespace().count() > 3 || place.eq_ignore_ascii_case("stand") {
        return None;
    }
    Some((place, date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn german_forms() {
        assert_eq!(parse_german("vom 9. Januar 2006 wurde"), Some(d(2006, 1, 9)));
        assert_eq!(parse_german("Am Dienstag (06.11.2018) fand"), Some(d(2018, 11, 6)));
        assert_eq!(parse_german("bis zum 31.12.2022 online"), Some(d(2022, 12, 31)));
        assert_eq!(parse_german("1. März 2020"), Some(d(2020, 3, 1)));
        assert_eq!(parse_german("am 32.13.2020"), None);
    }

    #[test]
    fn datelines() {
        assert_eq!(dateline("Magdeburg, den 15.07.2014"), Some(("Magdeburg".into(), d(2014, 7, 15))));
        assert_eq!(dateline("Bad Kreuznach, 3. Mai 2021 – Die Stadt"), Some(("Bad Kreuznach".into(), d(2021, 5, 3))));
        assert_eq!(dateline("Dresden, Dienstag, 06.11.2018"), Some(("Dresden".into(), d(2018, 11, 6))));
        assert_eq!(dateline("Die Stadt hat am 15.07.2014 beschlossen"), None);
    }

    #[test]
    fn machine_forms_and_berlin_midnight() {
        assert_eq!(parse_machine("2015-03-10T09:00:00+01:00").unwrap().to_rfc3339(), "2015-03-10T08:00:00+00:00");
        assert_eq!(parse_machine("Tue, 10 Mar 2015 09:00:00 +0100").unwrap().to_rfc3339(), "2015-03-10T08:00:00+00:00");
        // midnight in Berlin in summer is 22:00 UTC the day before
        assert_eq!(parse_machine("2014-07-15").unwrap().to_rfc3339(), "2014-07-14T22:00:00+00:00");
    }
}
