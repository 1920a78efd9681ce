//! Catalogue data: the register of municipalities ([`gv100ad`]) loaded into the graph as actors
//! with their official keys and `located_in` edges, by upserts that count what changed.

pub mod ckan;
pub mod gv100ad;
pub mod ozg;
pub mod table;

use std::collections::HashMap;

use diesel_async::AsyncPgConnection;
use govgraph_shared::db::Pool;
use govgraph_shared::models::RunError;
use govgraph_shared::models::catalog::{self, CatalogActor, CatalogEdge, LoadCounts};
use govgraph_shared::sources_config::{SourceConfig, SourceKind};
use govgraph_shared::text::slugify;

use crate::WorkerError;
use gv100ad::{Level, Unit};

/// What a catalogue load did: the counts, and the rows it could not read.
#[derive(Debug, Default)]
pub struct CatalogReport {
    pub counts: LoadCounts,
    pub bad_rows: Vec<RunError>,
    pub new_edges: i64,
}

/// Loads one catalogue source (any catalogue kind) through `fetcher`.
pub async fn load_source(
    pool: &Pool,
    fetcher: &crate::fetch::Fetcher,
    cfg: &SourceConfig,
    source_id: i64,
) -> Result<CatalogReport, WorkerError> {
    use govgraph_shared::models::catalog::{SlugTable, load_by_slug, load_publishers};
    let fetch_text = async |url: &str| -> Result<String, WorkerError> {
        let f = fetcher.get(url, None).await?;
        Ok(crate::fetch::charset::decode(&f.body, f.content_type.as_deref()))
    };
    let report = |counts| CatalogReport { counts, bad_rows: Vec::new(), new_edges: 0 };
    match cfg.kind {
        SourceKind::Ckan => {
            let page =
                cfg.settings.get("page_size").and_then(|v| v.as_integer()).map_or(ckan::PAGE, |p| p.max(1) as usize);
            let publishers = ckan::publishers(fetcher, &cfg.url, cfg.state.as_deref(), page).await?;
            let catalogue = url::Url::parse(&cfg.url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or_else(|| cfg.name.clone());
            let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
            Ok(report(load_publishers(&mut conn, &catalogue, &publishers).await?))
        }
        SourceKind::Gemeindeverzeichnis => {
            // the fixed-width text, or the tabular export as CSV or XLSX: the bytes say which
            let body = fetcher.get(&cfg.url, None).await?.body;
            let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
            load_gv100ad(&mut conn, "gv100ad", Some(source_id), "catalogue:gemeindeverzeichnis", &body).await
        }
        SourceKind::OzgCatalogue => {
            // the OZG services; an optional `themenfelder_url` adds the Themenfelder
            let text = fetch_text(&cfg.url).await?;
            let themen = match cfg.settings.get("themenfelder_url").and_then(|v| v.as_str()) {
                Some(url) => Some(fetch_text(url).await?),
                None => None,
            };
            let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
            load_ozg(&mut conn, Some(source_id), themen.as_deref(), Some(&text), None).await
        }
        SourceKind::Leika => {
            let text = fetch_text(&cfg.url).await?;
            let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
            load_ozg(&mut conn, Some(source_id), None, None, Some(&text)).await
        }
        SourceKind::Csv => {
            let settings: table::TableSettings = serde_json::from_value(cfg.settings_json())
                .map_err(|e| WorkerError::Config { source_name: cfg.name.clone(), reason: e.to_string() })?;
            let text = fetch_text(&cfg.url).await?;
            let (rows, bad_rows) = table::rows(&text, &cfg.name, cfg.state.as_deref(), &settings)
                .map_err(|e| WorkerError::Catalogue(format!("{}: {e}", cfg.url)))?;
            let target = if settings.target == "services" { SlugTable::Services } else { SlugTable::Actors };
            let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
            let counts = load_by_slug(&mut conn, target, &cfg.name, &rows).await?;
            Ok(CatalogReport { counts, bad_rows, new_edges: 0 })
        }
        other => Err(WorkerError::UnsupportedKind { kind: other.as_str().to_owned(), source_name: cfg.name.clone() }),
    }
}

/// The state code of each AGS prefix ("15" -> "ST").
fn state_codes() -> Result<HashMap<String, String>, WorkerError> {
    Ok(govgraph_shared::reference::states()?.into_iter().filter_map(|s| Some((s.ags_prefix?, s.code))).collect())
}

fn kind_of(level: Level) -> Option<&'static str> {
    match level {
        Level::State => None,
        Level::AdministrativeRegion | Level::Region => Some("region"),
        Level::District => Some("district"),
        Level::Association => Some("municipal_federation"),
        Level::Municipality => Some("municipality"),
    }
}

/// The kinds a GV100AD load owns (entries of these kinds it no longer lists are marked unlisted).
pub const GV100AD_KINDS: &[&str] = &["region", "district", "municipal_federation", "municipality"];

/// Loads a GV100AD export. A file in another format changes nothing and is an error; unreadable
/// records are reported with their line numbers and skipped.
pub async fn load_gv100ad(
    conn: &mut AsyncPgConnection,
    catalogue: &str,
    source_id: Option<i64>,
    evidence_method: &str,
    bytes: &[u8],
) -> Result<CatalogReport, WorkerError> {
    let (units, bad) = gv100ad::parse_bytes(bytes).map_err(|e| WorkerError::Catalogue(e.to_string()))?;
    let states = state_codes()?;
    // an association record of type "verbandsfreie Gemeinde" stands for a municipality, not a body
    let units: Vec<&Unit> = units
        .iter()
        .filter(|u| !(u.level == Level::Association && u.type_label == Some("verbandsfreie Gemeinde")))
        .collect();
    let mut actors = Vec::new();
    let mut edges = Vec::new();
    for u in &units {
        let Some(kind) = kind_of(u.level) else { continue };
        let (ags, ars) = match u.level {
            Level::Association => (None, Some(u.key.clone())),
            _ => (Some(u.key.clone()), u.ars.clone()),
        };
        let attributes = serde_json::json!({
            "type": u.type_label,
            "seat": u.seat,
            "population": u.population,
            "area_ha": u.area_ha,
            "postcode": u.postcode,
            "territorial_status": u.as_of,
        });
        actors.push(CatalogActor {
            kind: kind.to_owned(),
            name: u.name.clone(),
            slug: format!("{}-{}", slugify(&u.name), u.key),
            state_code: states.get(u.land()).cloned(),
            ags,
            ars,
            attributes,
        });
        let edge = |object_kind: &str, object_key: &str| CatalogEdge {
            subject_kind: kind.to_owned(),
            subject_key: u.key.clone(),
            predicate: "located_in".to_owned(),
            object_kind: object_kind.to_owned(),
            object_key: object_key.to_owned(),
        };
        match u.level {
            Level::Municipality | Level::Association => edges.push(edge("district", &u.key[..5])),
            Level::District | Level::AdministrativeRegion | Level::Region => {
                if let Some(code) = states.get(u.land()) {
                    edges.push(edge("state", code));
                }
            }
            Level::State => {}
        }
    }
    let counts = catalog::load_actors(conn, catalogue, GV100AD_KINDS, &actors).await?;
    let new_edges = catalog::load_edges(conn, source_id, evidence_method, &edges).await?;
    let bad_rows = bad.into_iter().map(|b| RunError { url: format!("line {}", b.line), message: b.reason }).collect();
    Ok(CatalogReport { counts, bad_rows, new_edges })
}

/// The embedded offline snapshot (see `data/snapshot/README.md`).
const GV100AD_SNAPSHOT: &[u8] = include_bytes!("../../../data/snapshot/gv100ad/GV100AD_30112025.txt.gz");
const THEMENFELDER_SNAPSHOT: &str = include_str!("../../../data/snapshot/ozg/themenfelder.csv");
const OZG_SNAPSHOT: &str = include_str!("../../../data/snapshot/ozg/ozg_leistungen.csv");
const LEIKA_SNAPSHOT: &[u8] = include_bytes!("../../../data/snapshot/ozg/leika_leistungen.csv.gz");
const LEADS: &str = include_str!("../../../shared/data/ozg_federfuehrung.toml");

/// What `bootstrap` loaded.
#[derive(Debug, Default)]
pub struct BootstrapReport {
    pub register: CatalogReport,
    pub catalogue: CatalogReport,
}

fn gunzip(bytes: &[u8], what: &str) -> Result<String, WorkerError> {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(bytes), &mut text)
        .map_err(|e| WorkerError::Catalogue(format!("the embedded {what}: {e}")))?;
    Ok(text)
}

/// The embedded snapshot in memory: Themenfelder (slug, name), OZG services (slug, name,
/// Themenfeld) and the units of the register.
#[allow(clippy::type_complexity)]
pub fn embedded_catalogue() -> Result<(Vec<(String, String)>, Vec<(String, String, String)>, Vec<Unit>), WorkerError> {
    let field = |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or_default().to_owned();
    let themen = ozg::themenfelder(THEMENFELDER_SNAPSHOT).map_err(WorkerError::Catalogue)?;
    let themen = themen.rows.iter().map(|r| (field(r, "slug"), field(r, "name"))).collect();
    let services = ozg::ozg_services(OZG_SNAPSHOT).map_err(WorkerError::Catalogue)?;
    let services = services.rows.iter().map(|r| (field(r, "slug"), field(r, "name"), field(r, "themenfeld"))).collect();
    let (units, _) = gv100ad::parse_bytes(gunzip(GV100AD_SNAPSHOT, "register snapshot")?.as_bytes())
        .map_err(|e| WorkerError::Catalogue(e.to_string()))?;
    Ok((themen, services, units))
}

/// Loads the reference data and the offline snapshot; idempotent (a second run changes nothing).
pub async fn bootstrap(conn: &mut AsyncPgConnection) -> Result<BootstrapReport, WorkerError> {
    govgraph_shared::reference::load(conn).await?;
    let register = load_gv100ad(
        conn,
        "gv100ad",
        None,
        "reference:gv100ad-snapshot",
        gunzip(GV100AD_SNAPSHOT, "register snapshot")?.as_bytes(),
    )
    .await?;
    let leika = gunzip(LEIKA_SNAPSHOT, "LeiKa snapshot")?;
    let catalogue = load_ozg(conn, None, Some(THEMENFELDER_SNAPSHOT), Some(OZG_SNAPSHOT), Some(&leika)).await?;
    Ok(BootstrapReport { register, catalogue })
}

#[derive(serde::Deserialize)]
struct Leads {
    lead: Vec<Lead>,
}

#[derive(serde::Deserialize)]
struct Lead {
    themenfeld: String,
    state: String,
}

/// Loads the OZG catalogue: Themenfelder (with `leads` edges from the Länder that lead them), OZG
/// services and LeiKa services; any of the three tables may be absent.
pub async fn load_ozg(
    conn: &mut AsyncPgConnection,
    source_id: Option<i64>,
    themenfelder: Option<&str>,
    ozg_services: Option<&str>,
    leika_services: Option<&str>,
) -> Result<CatalogReport, WorkerError> {
    use govgraph_shared::models::catalog::{SlugTable, load_by_slug};
    let mut report = CatalogReport::default();
    let add = |c: LoadCounts, report: &mut CatalogReport| {
        report.counts.new += c.new;
        report.counts.updated += c.updated;
        report.counts.unchanged += c.unchanged;
        report.counts.removed += c.removed;
    };
    if let Some(text) = themenfelder {
        let t = ozg::themenfelder(text).map_err(|e| WorkerError::Catalogue(format!("themenfelder: {e}")))?;
        let c = load_by_slug(conn, SlugTable::Projects, "ozg", &t.rows).await?;
        add(c, &mut report);
        report.bad_rows.extend(t.bad);
        let leads: Leads =
            toml::from_str(LEADS).map_err(|e| WorkerError::Catalogue(format!("ozg_federfuehrung.toml: {e}")))?;
        let edges: Vec<CatalogEdge> = leads
            .lead
            .iter()
            .map(|l| CatalogEdge {
                subject_kind: "state".into(),
                subject_key: l.state.clone(),
                predicate: "leads".into(),
                object_kind: "project".into(),
                object_key: ozg::themenfeld_slug(&l.themenfeld),
            })
            .collect();
        report.new_edges += catalog::load_edges(conn, source_id, "reference:ozg-federfuehrung", &edges).await?;
    }
    let mut services = Vec::new();
    for (what, text, parse) in [
        ("ozg_leistungen", ozg_services, ozg::ozg_services as fn(&str) -> Result<ozg::Table, String>),
        ("leika_leistungen", leika_services, ozg::leika_services),
    ] {
        if let Some(text) = text {
            let t = parse(text).map_err(|e| WorkerError::Catalogue(format!("{what}: {e}")))?;
            services.extend(t.rows);
            report.bad_rows.extend(t.bad);
        }
    }
    if !services.is_empty() {
        let c = load_by_slug(conn, SlugTable::Services, "ozg", &services).await?;
        add(c, &mut report);
    }
    Ok(report)
}
