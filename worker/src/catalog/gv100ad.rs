//! The Destatis register of municipalities in its fixed-width export GV100AD: records of type 10
//! (Land), 20 (Regierungsbezirk), 30 (Region, Baden-Württemberg), 40 (Kreis), 50 (Gemeindeverband)
//! and 60 (Gemeinde), 220 characters each. Field positions are characters of the record, as in
//! Destatis' record description (`Datensatzbeschreibung_GV100AD`).

use std::sync::LazyLock;

use regex::Regex;

/// What a record describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    State,
    AdministrativeRegion,
    Region,
    District,
    Association,
    Municipality,
}

/// One unit of the register.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub level: Level,
    /// The AGS of municipalities (8 digits), districts (5), Regierungsbezirke (3), regions (4);
    /// the 9-digit association key (Land, RB, Kreis, Verband) of associations; the 2-digit Land.
    pub key: String,
    /// The 12-digit ARS of municipalities.
    pub ars: Option<String>,
    pub name: String,
    /// Seat of the administration (districts, associations, Länder).
    pub seat: Option<String>,
    /// Destatis' text mark: "Kreisfreie Stadt", "Landkreis", "Amt", "Stadt", ...
    pub type_label: Option<&'static str>,
    pub area_ha: Option<i64>,
    pub population: Option<i64>,
    pub postcode: Option<String>,
    /// The territorial status (Gebietsstand), YYYY-MM-DD.
    pub as_of: String,
}

impl Level {
    /// The level of a record type (Satzart "10" to "60").
    fn of_record_type(code: &str) -> Option<Level> {
        Some(match code {
            "10" => Level::State,
            "20" => Level::AdministrativeRegion,
            "30" => Level::Region,
            "40" => Level::District,
            "50" => Level::Association,
            "60" => Level::Municipality,
            _ => return None,
        })
    }

    /// The key of a unit of this level from the parts of the record, checked for its digits.
    fn key(
        self,
        land: &str,
        rb: &str,
        region: &str,
        kreis: &str,
        verband: &str,
        gemeinde: &str,
    ) -> Result<String, String> {
        let (key, expected) = match self {
            Level::State => (land.to_owned(), 2),
            Level::AdministrativeRegion => (format!("{land}{rb}"), 3),
            Level::Region => (format!("{land}{rb}{region}"), 4),
            Level::District => (format!("{land}{rb}{kreis}"), 5),
            Level::Association => (format!("{land}{rb}{kreis}{verband}"), 9),
            Level::Municipality => (format!("{land}{rb}{kreis}{gemeinde}"), 8),
        };
        if digits(&key, expected) { Ok(key) } else { Err(format!("the key `{key}` is not {expected} digits")) }
    }
}

impl Unit {
    /// The 2-digit Land prefix.
    pub fn land(&self) -> &str {
        &self.key[..2]
    }

    /// The key of the unit this one lies in: municipality -> district, district -> Land,
    /// association -> district.
    pub fn parent_key(&self) -> Option<&str> {
        match self.level {
            Level::Municipality | Level::Association => Some(&self.key[..5]),
            Level::District | Level::AdministrativeRegion | Level::Region => Some(&self.key[..2]),
            Level::State => None,
        }
    }
}

/// A record that could not be read, with its line number (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub line: usize,
    pub reason: String,
}

/// The file is not a GV100AD export at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a GV100AD file: {0}")]
pub struct WrongFormat(pub String);

fn text_mark(level: Level, code: &str) -> Option<&'static str> {
    Some(match (level, code) {
        (Level::District, "41") => "Kreisfreie Stadt",
        (Level::District, "42") => "Stadtkreis",
        (Level::District, "43") => "Kreis",
        (Level::District, "44") => "Landkreis",
        (Level::District, "45") => "Regionalverband",
        (Level::Association, "50") => "verbandsfreie Gemeinde",
        (Level::Association, "51") => "Amt",
        (Level::Association, "52") => "Samtgemeinde",
        (Level::Association, "53") => "Verbandsgemeinde",
        (Level::Association, "54") => "Verwaltungsgemeinschaft",
        (Level::Association, "55") => "Kirchspielslandgemeinde",
        (Level::Association, "56") => "Verwaltungsverband",
        (Level::Association, "57") => "VG Trägermodell",
        (Level::Association, "58") => "Erfüllende Gemeinde",
        (Level::Municipality, "60") => "Markt",
        (Level::Municipality, "61") => "Kreisfreie Stadt",
        (Level::Municipality, "62") => "Stadtkreis",
        (Level::Municipality, "63") => "Stadt",
        (Level::Municipality, "64") => "Kreisangehörige Gemeinde",
        (Level::Municipality, "65") => "gemeindefreies Gebiet, bewohnt",
        (Level::Municipality, "66") => "gemeindefreies Gebiet, unbewohnt",
        (Level::Municipality, "67") => "Große Kreisstadt",
        _ => return None,
    })
}

/// Characters `from..=to` (1-based, as the record description counts them), trimmed.
fn field(chars: &[char], from: usize, to: usize) -> String {
    chars.get(from - 1..to.min(chars.len())).map(|c| c.iter().collect::<String>()).unwrap_or_default().trim().to_owned()
}

fn digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

/// Parses a whole export. Unreadable records are reported and skipped; a file in which no line
/// is a GV100AD record is [`WrongFormat`].
pub fn parse(text: &str) -> Result<(Vec<Unit>, Vec<BadRow>), WrongFormat> {
    let mut units = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}').trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        match parse_record(line) {
            Ok(unit) => units.push(unit),
            Err(reason) => bad.push(BadRow { line: i + 1, reason }),
        }
        // a file whose first lines are all unreadable is not this format
        if i == 20 && units.is_empty() {
            return Err(WrongFormat(format!("none of the first 20 lines is a GV100AD record ({})", bad[0].reason)));
        }
    }
    if units.is_empty() {
        let why = bad.first().map_or_else(|| "the file is empty".to_owned(), |b| b.reason.clone());
        return Err(WrongFormat(why));
    }
    Ok((units, bad))
}

/// Parses one record.
pub fn parse_record(line: &str) -> Result<Unit, String> {
    let chars: Vec<char> = line.chars().collect();
    let kind = field(&chars, 1, 2);
    let level = Level::of_record_type(&kind).ok_or_else(|| format!("unknown record type `{kind}`"))?;
    if chars.len() < 122 {
        return Err(format!("the record has {} characters, a GV100AD record at least 122", chars.len()));
    }
    let as_of = field(&chars, 3, 10);
    if !digits(&as_of, 8) {
        return Err(format!("the territorial status `{as_of}` is not a date YYYYMMDD"));
    }
    let as_of = format!("{}-{}-{}", &as_of[..4], &as_of[4..6], &as_of[6..8]);
    let land = field(&chars, 11, 12);
    let rb = field(&chars, 13, 13);
    let kreis = field(&chars, 14, 15);
    let gemeinde = field(&chars, 16, 18);
    let verband = field(&chars, 19, 22);
    let key = level.key(&land, &rb, &field(&chars, 14, 14), &kreis, &verband, &gemeinde)?;
    let name = field(&chars, 23, 72);
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    let seat = Some(field(&chars, 73, 122)).filter(|s| !s.is_empty());
    let type_label = text_mark(level, &field(&chars, 123, 124));
    let number = |from, to| field(&chars, from, to).parse::<i64>().ok();
    let (ars, area_ha, population, postcode) = if level == Level::Municipality {
        (
            Some(format!("{land}{rb}{kreis}{verband}{gemeinde}")).filter(|a| digits(a, 12)),
            number(129, 139),
            number(140, 150),
            Some(field(&chars, 166, 170)).filter(|p| digits(p, 5)),
        )
    } else {
        (None, None, None, None)
    };
    Ok(Unit { level, key, ars, name, seat, type_label, area_ha, population, postcode, as_of })
}

static DATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d{2})\.(\d{2})\.(\d{4})").expect("a valid regex"));
static THOUSANDS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,3}(\.\d{3})+$").expect("a valid regex"));

/// Reads the register in any of the forms Destatis publishes it: the fixed-width GV100AD text, or
/// the tabular export (the "AuszugGV" table of the Gemeindeverzeichnis-Informationssystem) as an
/// XLSX workbook or a semicolon CSV.
pub fn parse_bytes(bytes: &[u8]) -> Result<(Vec<Unit>, Vec<BadRow>), WrongFormat> {
    if bytes.starts_with(b"PK\x03\x04") {
        return parse_table(xlsx_rows(bytes)?);
    }
    let text = crate::fetch::charset::decode(bytes, None);
    let tabular = text.lines().take(40).any(|l| {
        let l = l.trim_start_matches('\u{feff}');
        ["10;", "40;", "60;", "\"10\";", "\"60\";"].iter().any(|p| l.starts_with(p))
    });
    if tabular {
        let mut reader =
            csv::ReaderBuilder::new().delimiter(b';').has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            match record {
                Ok(r) => rows.push(r.iter().map(str::to_owned).collect()),
                Err(e) => return Err(WrongFormat(format!("CSV line {}: {e}", i + 1))),
            }
        }
        return parse_table(rows);
    }
    parse(&text)
}

/// The rows of the first sheet of an XLSX workbook, every cell as text.
fn xlsx_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, WrongFormat> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| WrongFormat(format!("not a readable XLSX workbook: {e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| WrongFormat("the workbook has no sheet".into()))?
        .map_err(|e| WrongFormat(format!("the first sheet cannot be read: {e}")))?;
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                    Data::Float(f) => f.to_string(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

/// Units of the tabular export: Satzart, Textkennzeichen, Land, RB, Kreis, VB, Gem, name, area
/// (km²), population (total, male, female, per km²), postcode. Header rows are skipped; the
/// territorial status is the first date (DD.MM.YYYY) in them.
fn parse_table(rows: Vec<Vec<String>>) -> Result<(Vec<Unit>, Vec<BadRow>), WrongFormat> {
    let mut units = Vec::new();
    let mut bad = Vec::new();
    let mut as_of = String::new();
    for (i, row) in rows.iter().enumerate() {
        let cell = |n: usize| row.get(n).map(|c| c.trim()).unwrap_or_default();
        let level = match Level::of_record_type(cell(0)) {
            Some(level) => level,
            None => {
                if units.is_empty()
                    && as_of.is_empty()
                    && let Some(c) = row.iter().find_map(|c| DATE.captures(c))
                {
                    as_of = format!("{}-{}-{}", &c[3], &c[2], &c[1]);
                }
                // header, notes and footnotes are not records; a row that looks like data is
                if row.iter().filter(|c| !c.trim().is_empty()).count() >= 5 && !units.is_empty() {
                    bad.push(BadRow { line: i + 1, reason: format!("unknown record type `{}`", cell(0)) });
                }
                continue;
            }
        };
        match table_unit(level, &cell, &as_of) {
            Ok(unit) => units.push(unit),
            Err(reason) => bad.push(BadRow { line: i + 1, reason }),
        }
    }
    if units.is_empty() {
        return Err(WrongFormat("no row of the table is a register record (Satzart 10 to 60)".into()));
    }
    Ok((units, bad))
}

fn table_unit<'a>(level: Level, cell: &impl Fn(usize) -> &'a str, as_of: &str) -> Result<Unit, String> {
    // keys may come as numbers ("1" for Land "01"): pad them to their width
    let part = |n: usize, width: usize| -> String {
        let c = cell(n);
        if !c.is_empty() && c.len() < width && c.bytes().all(|b| b.is_ascii_digit()) {
            format!("{c:0>width$}")
        } else {
            c.to_owned()
        }
    };
    let (land, rb, kreis, verband, gemeinde) = (part(2, 2), part(3, 1), part(4, 2), part(5, 4), part(6, 3));
    let key = level.key(&land, &rb, cell(4), &kreis, &verband, &gemeinde)?;
    let name = cell(7).to_owned();
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    // German "1.234,56" in a CSV, plain "1234.56" in a workbook
    let number = |n: usize| {
        let c = cell(n);
        let thousands = c.contains(',') || THOUSANDS.is_match(c);
        let c = if thousands { c.replace('.', "").replace(',', ".") } else { c.to_owned() };
        c.parse::<f64>().ok()
    };
    let (ars, area_ha, population, postcode) = if level == Level::Municipality {
        (
            Some(format!("{land}{rb}{kreis}{verband}{gemeinde}")).filter(|a| digits(a, 12)),
            number(8).map(|km2| (km2 * 100.0).round() as i64),
            number(9).map(|p| p as i64),
            Some(part(13, 5)).filter(|p| digits(p, 5)),
        )
    } else {
        (None, None, None, None)
    };
    Ok(Unit {
        level,
        key,
        ars,
        name,
        seat: None,
        type_label: text_mark(level, cell(1)),
        area_ha,
        population,
        postcode,
        as_of: as_of.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXCERPT: &str = include_str!("../../../tests/fixtures/catalog/gv100ad_excerpt.txt");

    #[test]
    fn reads_the_record_types_of_the_real_export() {
        let (units, bad) = parse(EXCERPT).unwrap();
        assert!(bad.is_empty(), "{bad:?}");
        let count = |level| units.iter().filter(|u| u.level == level).count();
        assert_eq!((count(Level::State), count(Level::District), count(Level::Municipality)), (5, 8, 311));
        let kiel = units.iter().find(|u| u.key == "01002000").unwrap();
        assert_eq!((kiel.name.as_str(), kiel.ars.as_deref()), ("Kiel, Landeshauptstadt", Some("010020000000")));
        assert_eq!(
            (kiel.population, kiel.postcode.as_deref(), kiel.type_label),
            (Some(252668), Some("24103"), Some("Kreisfreie Stadt"))
        );
        assert_eq!(kiel.parent_key(), Some("01002"));
        let bibra = units.iter().find(|u| u.name == "Bad Bibra, Stadt").unwrap();
        assert_eq!((bibra.key.as_str(), bibra.ars.as_deref()), ("15084015", Some("150845051015")));
        let finne = units.iter().find(|u| u.level == Level::Association && u.name == "An der Finne").unwrap();
        assert_eq!(
            (finne.key.as_str(), finne.type_label, finne.seat.as_deref()),
            ("150845051", Some("Verbandsgemeinde"), Some("Bad Bibra"))
        );
        assert_eq!(kiel.as_of, "2025-11-30");
    }

    #[test]
    fn bad_rows_are_reported_with_their_line() {
        let text = format!(
            "{}99 kaputt\n60202511301500000000000\n",
            EXCERPT.lines().take(3).map(|l| format!("{l}\n")).collect::<String>()
        );
        let (units, bad) = parse(&text).unwrap();
        assert_eq!(units.len(), 3);
        assert_eq!(bad.iter().map(|b| b.line).collect::<Vec<_>>(), vec![4, 5]);
    }

    #[test]
    fn a_file_of_another_format_is_refused() {
        assert!(parse("name;key\nKiel;01002000\n").is_err());
        assert!(parse("").is_err());
    }

    #[test]
    fn the_tabular_exports_read_as_the_fixed_width_file() {
        let (fixed, _) = parse(EXCERPT).unwrap();
        for file in ["gv100ad_excerpt.csv", "gv100ad_excerpt.xlsx"] {
            let bytes =
                std::fs::read(format!("{}/../tests/fixtures/catalog/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            let (units, bad) = parse_bytes(&bytes).unwrap();
            assert!(bad.is_empty(), "{file}: {bad:?}");
            assert_eq!(units.len(), fixed.len(), "{file}");
            for (a, b) in units.iter().zip(&fixed) {
                assert_eq!(
                    (&a.key, &a.ars, &a.name, a.type_label, a.population, a.postcode.as_deref(), &a.as_of),
                    (&b.key, &b.ars, &b.name, b.type_label, b.population, b.postcode.as_deref(), &b.as_of),
                    "{file}"
                );
                assert_eq!(a.area_ha, b.area_ha, "{file}: {}", a.name);
            }
        }
        assert!(parse_bytes(b"PK\x03\x04not a zip").is_err());
    }
}
