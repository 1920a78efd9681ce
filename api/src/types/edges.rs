//! The edges of any node as a connection: `relations(filter: { predicates, direction }, first,
//! after, last, before)`, answered through
//! the [`EdgesOf`](crate::loaders::EdgesOf) loader (one statement per page of nodes).

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum};
use govgraph_shared::models::graph::Direction;
use govgraph_shared::vocab::Predicate;

use super::Relation;
use crate::error::{ApiError, ApiResult, internal};
use crate::filters::RelationFilter;
use crate::loaders::{EdgeKey, EdgesOf};
use crate::pagination::{self, Page, PageArgs};

/// Which edges of a node: where it is the subject, the object, or either.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default, Debug)]
pub enum EdgeDirection {
    Outgoing,
    Incoming,
    #[default]
    Both,
}

/// The predicates given, sorted and without repeats (none: all).
pub fn predicates(given: Option<Vec<Predicate>>) -> Vec<Predicate> {
    let mut out = given.unwrap_or_default();
    out.sort();
    out.dedup();
    out
}

/// A page of the edges of `node` (by predicate, then id), through the [`EdgesOf`] loader.
pub async fn relations(
    ctx: &Context<'_>,
    node: i64,
    filter: Option<RelationFilter>,
    args: PageArgs,
) -> ApiResult<Page<Relation>> {
    let filter = filter.unwrap_or_default();
    // edges are ordered by predicate, then id: a cursor of the same shape as a list by name
    let window = args.window(pagination::DEFAULT_PAGE, |c| pagination::decode_named("edge", c))?;
    let direction = match filter.direction.unwrap_or_default() {
        EdgeDirection::Outgoing => Direction::Outgoing,
        EdgeDirection::Incoming => Direction::Incoming,
        EdgeDirection::Both => Direction::Both,
    };
    let total = pagination::wants_total(ctx);
    let key = EdgeKey { node, predicates: predicates(filter.predicates), direction, page: window.page.clone(), total };
    let loader = ctx.data_unchecked::<DataLoader<EdgesOf>>();
    let found =
        loader.load_one(key).await.map_err(|e| internal(ApiError::Internal(e.to_string())))?.unwrap_or_default();
    Ok(pagination::connection(
        found.edges,
        &window,
        found.total,
        |e| pagination::encode_named("edge", e.predicate.as_str(), e.id),
        Relation,
    ))
}

/// The edges of a node of some predicates in one direction (the named edge lists: `parties`,
/// `bodies`, ...).
pub async fn named_relations(
    ctx: &Context<'_>,
    node: i64,
    predicates: &[Predicate],
    direction: EdgeDirection,
    args: PageArgs,
) -> ApiResult<Page<Relation>> {
    let filter = RelationFilter { predicates: Some(predicates.to_vec()), direction: Some(direction) };
    relations(ctx, node, Some(filter), args).await
}
