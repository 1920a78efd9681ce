//! Relay connections: `first` (at most [`MAX_PAGE`]) and `after`, opaque cursors, `pageInfo` and
//! `totalCount`.

use async_graphql::SimpleObject;
use async_graphql::connection::{Connection, Edge, EmptyFields};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::{ApiResult, bad_input};

pub const DEFAULT_PAGE: i64 = 20;
pub const MAX_PAGE: i64 = 100;

/// The extra field every connection has.
#[derive(SimpleObject)]
pub struct Total {
    /// The number of items that match the filters, on all pages.
    pub total_count: i64,
}

pub type Page<N> = Connection<String, N, Total, EmptyFields>;

/// What a list costs in the complexity limit: its page size times what each item selects (an
/// out-of-range `first` is refused later with its own error, and priced as the largest page).
pub fn price(first: Option<i32>, child_complexity: usize) -> usize {
    let n = first.map_or(DEFAULT_PAGE, |f| (f as i64).clamp(1, MAX_PAGE)) as usize;
    n.saturating_mul(child_complexity.max(1)).saturating_add(1)
}

/// Whether the query asks for `totalCount` (a count is a query of its own; skipped when not).
pub fn wants_total(ctx: &async_graphql::Context<'_>) -> bool {
    ctx.look_ahead().field("totalCount").exists()
}

/// Checks `first`.
pub fn page_size(first: Option<i32>) -> ApiResult<i64> {
    match first {
        None => Ok(DEFAULT_PAGE),
        Some(n) if (0..=MAX_PAGE as i32).contains(&n) => Ok(n as i64),
        Some(n) => Err(bad_input(format!("`first` must be between 0 and {MAX_PAGE}, not {n}"))),
    }
}

/// Encodes a cursor: a kind and its parts.
pub fn encode(kind: &str, parts: &[String]) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{}", parts.join(":")))
}

/// Decodes a cursor of `kind` into its parts.
pub fn decode(kind: &str, cursor: &str) -> ApiResult<Vec<String>> {
    let invalid = || bad_input(format!("`after` is not a cursor of this list: `{cursor}`"));
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let rest = text.strip_prefix(kind).and_then(|r| r.strip_prefix(':')).ok_or_else(invalid)?;
    Ok(rest.split(':').map(str::to_owned).collect())
}

/// Builds a connection from one row more than asked for (which tells whether a next page exists).
pub fn connection<R, N>(
    mut rows: Vec<R>,
    first: i64,
    had_cursor: bool,
    total: i64,
    cursor: impl Fn(&R) -> String,
    node: impl Fn(R) -> N,
) -> Page<N>
where
    N: async_graphql::OutputType,
{
    let has_next = rows.len() as i64 > first;
    rows.truncate(first as usize);
    let mut conn = Connection::with_additional_fields(had_cursor, has_next, Total { total_count: total });
    conn.edges.extend(rows.into_iter().map(|r| Edge::new(cursor(&r), node(r))));
    conn
}
