//! The tagger over the database (reference entries, catalogue services and Themenfelder, the
//! register's places, all with their node ids), and `retag`: every stored document read again.

use govgraph_shared::analysis::EntityType;
use govgraph_shared::db::Pool;
use govgraph_shared::models::RunError;
use govgraph_shared::models::actor::PlaceEntry;
use govgraph_shared::models::tags::{self, GazetteerRow};

use super::gazetteer::{GazEntry, NameGazetteer};
use super::places::PlaceGazetteer;
use super::{StateTagger, Tagger};
use crate::WorkerError;

/// Builds the tagger from the database.
pub async fn load(pool: &Pool) -> Result<Tagger, WorkerError> {
    let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
    let rows = GazetteerRow::all(&mut conn).await?;
    let places = PlaceEntry::all(&mut conn).await?;
    let entries = rows
        .into_iter()
        .map(|r| GazEntry {
            id: Some(r.id),
            entity_type: match r.entity_type.as_str() {
                "project" => EntityType::Project,
                "service" => EntityType::Service,
                _ => EntityType::Actor,
            },
            aliases: if r.entity_type == "service" {
                let mut a = r.aliases.clone();
                a.extend(super::analysis::service_aliases(&r.name));
                a
            } else if r.kind == "ozg_themenfeld" {
                vec![format!("OZG-Themenfeld {}", r.name)]
            } else {
                r.aliases.clone()
            },
            key: r.slug.clone(),
            name: r.name,
            kind: r.kind,
            state: r.state_code,
            context: r.context,
            method: if r.entity_type == "service" || r.slug.starts_with("ozg-") {
                "gazetteer:catalogue"
            } else {
                "gazetteer:reference"
            },
        })
        .collect();
    let states = StateTagger::new(&govgraph_shared::reference::states()?);
    let places = (!places.is_empty()).then(|| PlaceGazetteer::new(places));
    Ok(Tagger::new(states, NameGazetteer::new(entries), places))
}

/// What a retag did.
#[derive(Debug, Default, Clone)]
pub struct RetagReport {
    pub documents: usize,
    pub mentions: usize,
    pub relations: usize,
    pub new_entities: usize,
    /// Documents whose tagging failed: they keep their earlier tags.
    pub failed: usize,
    pub errors: Vec<RunError>,
}

/// Tags every stored document (of one source) again; idempotent.
pub async fn retag(pool: &Pool, source: Option<&str>) -> Result<RetagReport, WorkerError> {
    use govgraph_shared::models::Document;
    let tagger = load(pool).await?;
    let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
    let docs = Document::for_retag(&mut conn, source).await?;
    let mut report = RetagReport::default();
    for d in docs {
        let published = d.published_at.map(|p| p.with_timezone(&chrono_tz::Europe::Berlin).date_naive());
        let item = format!("document {} ({})", d.id, d.url);
        let tagged = match crate::error::isolate(&item, || {
            tagger.tag(&d.title, &d.text, d.place.as_deref(), d.source_state.as_deref(), published)
        }) {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(document = d.id, error = %e, "retag failed for one document");
                report.failed += 1;
                report.errors.push(RunError { url: d.url.clone(), message: e.to_string() });
                continue;
            }
        };
        let states: Vec<(String, bool, f32, Vec<String>)> =
            tagged.states.into_iter().map(|t| (t.code, t.primary, t.score, t.signals)).collect();
        Document::replace_states(&mut conn, d.id, &states).await?;
        let c = tags::store(&mut conn, d.id, &tagged.analysis).await?;
        report.documents += 1;
        report.mentions += c.mentions;
        report.relations += c.relations;
        report.new_entities += c.new_entities;
    }
    Ok(report)
}
