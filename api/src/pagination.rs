//! Relay connections: `first`/`after` forwards and `last`/`before` backwards (at most
//! [`MAX_PAGE`] a page), opaque cursors, `pageInfo` and `totalCount`.

use async_graphql::SimpleObject;
use async_graphql::connection::{Connection, Edge, EmptyFields};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use govgraph_shared::models;

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

/// What a list costs in the complexity limit: its page size (`first` or `last`) times what each
/// item selects (an out-of-range size is refused later with its own error, and priced as the
/// largest page).
pub fn price(first: Option<i32>, child_complexity: usize) -> usize {
    let n = first.map_or(DEFAULT_PAGE, |f| (f as i64).clamp(1, MAX_PAGE)) as usize;
    n.saturating_mul(child_complexity.max(1)).saturating_add(1)
}

/// Whether the query asks for `totalCount` (a count is a query of its own; skipped when not).
pub fn wants_total(ctx: &async_graphql::Context<'_>) -> bool {
    ctx.look_ahead().field("totalCount").exists()
}

/// The `totalCount` of a connection: `count` runs only when the query asks for it (else 0).
pub async fn total_if_asked<F>(ctx: &async_graphql::Context<'_>, count: impl FnOnce() -> F) -> ApiResult<i64>
where
    F: std::future::Future<Output = govgraph_shared::Result<i64>>,
{
    if wants_total(ctx) { count().await.map_err(crate::error::internal) } else { Ok(0) }
}

/// Checks `first`.
pub fn page_size(first: Option<i32>) -> ApiResult<i64> {
    sized("first", first, DEFAULT_PAGE)
}

fn sized(arg: &str, n: Option<i32>, default: i64) -> ApiResult<i64> {
    match n {
        None => Ok(default),
        Some(n) if (0..=MAX_PAGE as i32).contains(&n) => Ok(n as i64),
        Some(n) => Err(bad_input(format!("`{arg}` must be between 0 and {MAX_PAGE}, not {n}"))),
    }
}

/// The paging arguments of a connection as a client gives them.
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl PageArgs {
    pub fn new(first: Option<i32>, after: Option<String>, last: Option<i32>, before: Option<String>) -> Self {
        PageArgs { first, after, last, before }
    }

    /// Checks the arguments (`first` or `last`, not both; each 0 to [`MAX_PAGE`]; cursors of this
    /// list, read by `decode`) into a window of `default` rows when no size is given.
    pub fn window<C>(self, default: i64, decode: impl Fn(&str) -> ApiResult<C>) -> ApiResult<Window<C>> {
        let (size, from_end) = match (self.first, self.last) {
            (Some(_), Some(_)) => return Err(bad_input("give `first` or `last`, not both")),
            (_, Some(_)) => (sized("last", self.last, default)?, true),
            _ => (sized("first", self.first, default)?, false),
        };
        let after = self.after.as_deref().map(&decode).transpose()?;
        let before = self.before.as_deref().map(&decode).transpose()?;
        Ok(Window {
            size,
            had_after: after.is_some(),
            had_before: before.is_some(),
            page: models::Page { limit: size + 1, after, before, from_end },
        })
    }
}

/// A checked page request: `size` rows, and the query for one row more (which tells whether
/// another page lies beyond).
#[derive(Debug, Clone)]
pub struct Window<C> {
    pub size: i64,
    pub had_after: bool,
    pub had_before: bool,
    pub page: models::Page<C>,
}

/// Encodes a cursor: a kind and its parts.
pub fn encode(kind: &str, parts: &[String]) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{}", parts.join(":")))
}

fn not_a_cursor(cursor: &str) -> async_graphql::Error {
    bad_input(format!("`{cursor}` is not a cursor of this list"))
}

/// Decodes a cursor of `kind` into its parts.
pub fn decode(kind: &str, cursor: &str) -> ApiResult<Vec<String>> {
    let invalid = || not_a_cursor(cursor);
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let rest = text.strip_prefix(kind).and_then(|r| r.strip_prefix(':')).ok_or_else(invalid)?;
    Ok(rest.split(':').map(str::to_owned).collect())
}

/// Encodes the cursor of a list ordered by a name (or predicate), then id.
pub fn encode_named(kind: &str, name: &str, id: i64) -> String {
    encode(kind, &[id.to_string(), name.to_owned()])
}

/// Decodes a cursor that [`encode_named`] made: (name, id).
pub fn decode_named(kind: &str, cursor: &str) -> ApiResult<(String, i64)> {
    let parts = decode(kind, cursor)?;
    let id = parts.first().and_then(|i| i.parse::<i64>().ok()).ok_or_else(|| not_a_cursor(cursor))?;
    Ok((parts[1..].join(":"), id))
}

/// Decodes a cursor of `kind` made of an id alone.
pub fn decode_id(kind: &str, cursor: &str) -> ApiResult<i64> {
    decode(kind, cursor)?.first().and_then(|id| id.parse::<i64>().ok()).ok_or_else(|| not_a_cursor(cursor))
}

/// Builds a connection from the rows a [`Window`] fetched, in list order: one row more than the
/// page holds tells that a page lies beyond (after it going forwards, before it going backwards).
pub fn connection<R, N, C>(
    mut rows: Vec<R>,
    window: &Window<C>,
    total: i64,
    cursor: impl Fn(&R) -> String,
    node: impl Fn(R) -> N,
) -> Page<N>
where
    N: async_graphql::OutputType,
{
    let size = window.size as usize;
    let more = rows.len() > size;
    let (has_previous, has_next) = if window.page.from_end {
        rows.drain(..rows.len().saturating_sub(size));
        (more, window.had_before)
    } else {
        rows.truncate(size);
        (window.had_after, more)
    };
    let mut conn = Connection::with_additional_fields(has_previous, has_next, Total { total_count: total });
    conn.edges.extend(rows.into_iter().map(|r| Edge::new(cursor(&r), node(r))));
    conn
}
