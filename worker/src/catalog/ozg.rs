//! The OZG service catalogue: Themenfelder (as projects, with the Länder that lead them), the 557
//! OZG-Leistungen and the 5,251 LeiKa services they bundle, from the CSV exports (columns as in
//! `data/snapshot/ozg/`). Rows are identified by slug: `ozg-<id>`, `leika-<key>`, or for services
//! that have no LeiKa key, `leika-<ozg id>-<name>`.

use std::collections::HashSet;

use govgraph_shared::models::RunError;
use govgraph_shared::text::slugify;
use serde_json::{Value, json};

/// One parsed table: its rows as JSON objects for `load_by_slug`, and the rows it skipped.
#[derive(Debug, Default)]
pub struct Table {
    pub rows: Vec<Value>,
    pub bad: Vec<RunError>,
}

/// The slug of a Themenfeld project.
pub fn themenfeld_slug(name: &str) -> String {
    format!("ozg-themenfeld-{}", slugify(name))
}

fn read(text: &str, required: &[&str]) -> Result<(csv::StringRecord, Vec<(usize, csv::StringRecord)>), String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| format!("no CSV header: {e}"))?.clone();
    for column in required {
        if !headers.iter().any(|h| h.trim() == *column) {
            return Err(format!(
                "the column `{column}` is missing (columns: {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    let mut records = Vec::new();
    for (i, r) in reader.records().enumerate() {
        match r {
            Ok(r) => records.push((i + 2, r)),
            Err(e) => records.push((i + 2, csv::StringRecord::from(vec![format!("\u{0}{e}")]))),
        }
    }
    Ok((headers, records))
}

fn get<'a>(headers: &csv::StringRecord, r: &'a csv::StringRecord, column: &str) -> Option<&'a str> {
    let i = headers.iter().position(|h| h.trim() == column)?;
    r.get(i).map(str::trim).filter(|v| !v.is_empty())
}

/// `themenfelder.csv`: themenfeld_id, themenfeld.
pub fn themenfelder(text: &str) -> Result<Table, String> {
    let (h, records) = read(text, &["themenfeld"])?;
    let mut t = Table::default();
    for (line, r) in records {
        match get(&h, &r, "themenfeld") {
            Some(name) if !name.starts_with('\u{0}') => t.rows.push(json!({
                "kind": "ozg_themenfeld",
                "name": name,
                "slug": themenfeld_slug(name),
                "aliases": [format!("OZG-Themenfeld {name}"), format!("Themenfeld {name}")],
                "state_code": "DE",
            })),
            _ => t.bad.push(RunError { url: format!("line {line}"), message: "no Themenfeld name".into() }),
        }
    }
    Ok(t)
}

/// `ozg_leistungen.csv`: ozg_id, ozg_leistung, lebenslage, themenfeld.
pub fn ozg_services(text: &str) -> Result<Table, String> {
    let (h, records) = read(text, &["ozg_id", "ozg_leistung"])?;
    let mut t = Table::default();
    for (line, r) in records {
        let (Some(id), Some(name)) = (get(&h, &r, "ozg_id"), get(&h, &r, "ozg_leistung")) else {
            t.bad.push(RunError {
                url: format!("line {line}"),
                message: "an OZG service needs ozg_id and ozg_leistung".into(),
            });
            continue;
        };
        if !id.bytes().all(|b| b.is_ascii_digit()) {
            t.bad.push(RunError { url: format!("line {line}"), message: format!("`{id}` is not an OZG id") });
            continue;
        }
        t.rows.push(json!({
            "kind": "ozg",
            "name": name,
            "slug": format!("ozg-{id}"),
            "ozg_id": id,
            "themenfeld": get(&h, &r, "themenfeld"),
            "lebenslage": get(&h, &r, "lebenslage"),
        }));
    }
    Ok(t)
}

/// `leika_leistungen.csv`: leika_schluessel ("nicht im LeiKa" when there is none),
/// leika_bezeichnung, leika_typisierung, ozg_id, themenfeld, lebenslage.
pub fn leika_services(text: &str) -> Result<Table, String> {
    let (h, records) = read(text, &["leika_schluessel", "leika_bezeichnung"])?;
    let mut t = Table::default();
    let mut seen = HashSet::new();
    for (line, r) in records {
        let (Some(key), Some(name)) = (get(&h, &r, "leika_schluessel"), get(&h, &r, "leika_bezeichnung")) else {
            t.bad.push(RunError {
                url: format!("line {line}"),
                message: "a LeiKa service needs leika_schluessel and leika_bezeichnung".into(),
            });
            continue;
        };
        let ozg = get(&h, &r, "ozg_id");
        let (slug, leika_key) = if key.len() == 14 && key.bytes().all(|b| b.is_ascii_digit()) {
            (format!("leika-{key}"), Some(key))
        } else if key.eq_ignore_ascii_case("nicht im LeiKa") {
            (format!("leika-{}-{}", ozg.unwrap_or("x"), slugify(name)), None)
        } else {
            t.bad.push(RunError {
                url: format!("line {line}"),
                message: format!("`{key}` is not a 14-digit LeiKa key"),
            });
            continue;
        };
        if !seen.insert(slug.clone()) {
            continue;
        }
        t.rows.push(json!({
            "kind": "leika",
            "name": name,
            "slug": slug,
            "leika_key": leika_key,
            "typisierung": get(&h, &r, "leika_typisierung"),
            "themenfeld": get(&h, &r, "themenfeld"),
            "lebenslage": get(&h, &r, "lebenslage"),
            "attributes": { "bundled_by": ozg.map(|o| format!("ozg-{o}")) },
        }));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_catalogue_tables() {
        let t = themenfelder("themenfeld_id,themenfeld\n1,Arbeit & Ruhestand\n2,Bauen & Wohnen\n").unwrap();
        assert_eq!(t.rows[1]["slug"], "ozg-themenfeld-bauen-wohnen");
        let o = ozg_services(
            "ozg_id,ozg_leistung,lebenslage,themenfeld\n10000,Elterngeld,Geburt,Familie & Kind\nabc,Kaputt,,\n",
        )
        .unwrap();
        assert_eq!(o.rows.len(), 1);
        assert_eq!(o.bad[0].url, "line 3");
        let l = leika_services(
            "leika_schluessel,leika_bezeichnung,leika_typisierung,ozg_id,ozg_leistung,lebenslage,themenfeld\n\
             99012001000000,Abbruchgenehmigung,4,10513,Abbruchgenehmigung,Bauen & Immobilien,Bauen & Wohnen\n\
             nicht im LeiKa,Prüfung von Verpackungen,1,10478,Produktzulassung,Anlagen & Stoffe,Umwelt\n",
        )
        .unwrap();
        assert_eq!(l.rows[0]["slug"], "leika-99012001000000");
        assert_eq!(l.rows[1]["leika_key"], Value::Null);
        assert_eq!(l.rows[1]["attributes"]["bundled_by"], "ozg-10478");
        assert!(ozg_services("name;key\nx;y\n").is_err());
    }
}
