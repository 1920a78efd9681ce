//! The Destatis register of municipalities in its fixed-width export GV100AD: records of type 10
//! (Land), 20 (Regierungsbezirk), 30 (Region, Baden-Württemberg), 40 (Kreis), 50 (Gemeindeverband)
//! and 60 (Gemeinde), 220 characters each. Field positions are characters of the record, as in
//! Destatis' record description (`Datensatzbeschreibung_GV100AD`).

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
    let level = match kind.as_str() {
        "10" => Level::State,
        "20" => Level::AdministrativeRegion,
        "30" => Level::Region,
        "40" => Level::District,
        "50" => Level::Association,
        "60" => Level::Municipality,
        other => return Err(format!("unknown record type `{other}`")),
    };
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
    let key = match level {
        Level::State => land.clone(),
        Level::AdministrativeRegion => format!("{land}{rb}"),
        Level::Region => format!("{land}{rb}{}", field(&chars, 14, 14)),
        Level::District => format!("{land}{rb}{kreis}"),
        Level::Association => format!("{land}{rb}{kreis}{verband}"),
        Level::Municipality => format!("{land}{rb}{kreis}{gemeinde}"),
    };
    let expected = match level {
        Level::State => 2,
        Level::AdministrativeRegion => 3,
        Level::Region => 4,
        Level::District => 5,
        Level::Association => 9,
        Level::Municipality => 8,
    };
    if !digits(&key, expected) {
        return Err(format!("the key `{key}` is not {expected} digits"));
    }
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
}
