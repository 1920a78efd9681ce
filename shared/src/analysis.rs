//! What the tagging pipeline reads out of one document: its entities (reference entries found by
//! name, and candidates discovered by pattern) with their mentions, and the relations between
//! them, each with the sentence it was read from. Plain data: the worker produces it, the
//! `extract` command prints it, [`crate::models::tags`] stores it.

use crate::vocab::{Predicate, Role};
use serde::Serialize;

/// A stretch of the document's text; offsets count characters (not bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Whether an entity comes from reference data or catalogues, or was discovered in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Reference,
    Candidate,
}

/// The table an entity lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    Actor,
    Project,
    Agreement,
    Service,
}

/// An entity of a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundEntity {
    /// The node in the database, when the gazetteer came from it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    pub name: String,
    pub entity_type: EntityType,
    /// Actor kinds (`government`, `ministry`, `person`, `body`, ...), project kinds, agreement
    /// kinds (`framework_agreement`, `position_paper`, `strategy`, `founding`, ...), `service`.
    pub kind: String,
    pub state: Option<String>,
    pub status: Status,
    /// A stable key: the reference key, the AGS, the OZG id, or the candidate's slug.
    pub key: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// A person's titles as the text gives them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// An agreement's date (ISO), or its year alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub mentions: Vec<Span>,
    /// How it was found: `gazetteer:reference`, `gazetteer:register`, `gazetteer:catalogue`,
    /// `context:state`, `pattern:<rule>`.
    pub method: String,
}

impl FoundEntity {
    /// The key under which a candidate is one entity across documents.
    pub fn identity(&self) -> (EntityType, String) {
        (self.entity_type, self.key.clone())
    }
}

/// A relation read from a sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundRelation {
    /// Indexes into [`Analysis::entities`].
    pub subject: usize,
    pub predicate: Predicate,
    pub object: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The sentence, and its character offsets in the text.
    pub evidence: Span,
    pub method: String,
    pub confidence: f32,
}

/// Everything read out of one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Analysis {
    pub entities: Vec<FoundEntity>,
    pub relations: Vec<FoundRelation>,
}
