//! The edges of any node as a field: `relations(predicate, direction, first)`, answered through
//! the [`EdgesOf`](crate::loaders::EdgesOf) loader (one statement per page of nodes).

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum};
use govgraph_shared::models::graph::Direction;

use super::Relation;
use crate::error::{ApiError, ApiResult, bad_input, internal};
use crate::loaders::{EdgeKey, EdgesOf};

/// Which edges of a node: where it is the subject, the object, or either.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum EdgeDirection {
    Outgoing,
    Incoming,
    #[default]
    Both,
}

pub const PREDICATES: &[&str] = &[
    "party_to",
    "signed",
    "renews",
    "member_of",
    "holds_position",
    "leads",
    "operates",
    "participates_in",
    "founded",
    "serves",
    "offers",
    "located_in",
];

/// Checks predicate names ("PARTY_TO" or "party_to").
pub fn predicates(given: Option<Vec<String>>) -> ApiResult<Vec<String>> {
    let mut out = Vec::new();
    for p in given.unwrap_or_default() {
        let p = p.trim().to_lowercase();
        if !PREDICATES.contains(&p.as_str()) {
            return Err(bad_input(format!("unknown predicate `{p}`: one of {}", PREDICATES.join(", "))));
        }
        out.push(p);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The edges of `node`.
pub async fn relations(
    ctx: &Context<'_>,
    node: i64,
    predicate: Option<Vec<String>>,
    direction: Option<EdgeDirection>,
    first: Option<i32>,
) -> ApiResult<Vec<Relation>> {
    let first = match first {
        None => 50,
        Some(n) if (0..=100).contains(&n) => n as i64,
        Some(n) => return Err(bad_input(format!("`first` must be between 0 and 100, not {n}"))),
    };
    let direction = match direction.unwrap_or_default() {
        EdgeDirection::Outgoing => Direction::Outgoing,
        EdgeDirection::Incoming => Direction::Incoming,
        EdgeDirection::Both => Direction::Both,
    };
    let key = EdgeKey { node, predicates: predicates(predicate)?, direction, first };
    let loader = ctx.data_unchecked::<DataLoader<EdgesOf>>();
    let edges = loader.load_one(key).await.map_err(|e| internal(ApiError::Internal(e.to_string())))?;
    Ok(edges.unwrap_or_default().into_iter().map(Relation).collect())
}
