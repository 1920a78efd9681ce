//! The edges of any node as a connection: `relations(predicate, direction, first, after, last,
//! before)`, answered through
//! the [`EdgesOf`](crate::loaders::EdgesOf) loader (one statement per page of nodes).

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum};
use govgraph_shared::models::graph::Direction;

use super::Relation;
use crate::error::{ApiError, ApiResult, bad_input, internal};
use crate::loaders::{EdgeKey, EdgesOf};
use crate::pagination::{self, Page, PageArgs};

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

/// A page of the edges of `node` (by predicate, then id), through the [`EdgesOf`] loader.
pub async fn relations(
    ctx: &Context<'_>,
    node: i64,
    predicate: Option<Vec<String>>,
    direction: Option<EdgeDirection>,
    args: PageArgs,
) -> ApiResult<Page<Relation>> {
    // edges are ordered by predicate, then id: a cursor of the same shape as a list by name
    let window = args.window(pagination::DEFAULT_PAGE, |c| pagination::decode_named("edge", c))?;
    let direction = match direction.unwrap_or_default() {
        EdgeDirection::Outgoing => Direction::Outgoing,
        EdgeDirection::Incoming => Direction::Incoming,
        EdgeDirection::Both => Direction::Both,
    };
    let total = pagination::wants_total(ctx);
    let key = EdgeKey { node, predicates: predicates(predicate)?, direction, page: window.page.clone(), total };
    let loader = ctx.data_unchecked::<DataLoader<EdgesOf>>();
    let found =
        loader.load_one(key).await.map_err(|e| internal(ApiError::Internal(e.to_string())))?.unwrap_or_default();
    Ok(pagination::connection(
        found.edges,
        &window,
        found.total,
        |e| pagination::encode_named("edge", &e.predicate, e.id),
        Relation,
    ))
}
