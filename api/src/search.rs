//! `search`: one query over announcements (German full text) and the nodes of the graph (names and
//! aliases), as a connection a search page is built from: `totalCount`, `facets` (counts per type,
//! state, year, kind and publisher of everything that matches), `edges` with the node and a
//! highlighted `snippet`, and a typed `filter` by the same dimensions, in the manner of Aleph's and
//! OpenSanctions' search. SQL in `govgraph_shared::models::search`.
//!
//! Each part is computed only when the query selects it: the page (`edges`, `nodes`, `pageInfo`)
//! is one statement and one per node type on it; `totalCount` and the facets asked for are one
//! statement together (after a count on the sample that decides whether they are exact or
//! estimated, `countIsEstimate`); the two run at once, on two connections.

use std::collections::HashMap;

use async_graphql::connection::{Connection, ConnectionNameType, Edge, EdgeNameType};
use async_graphql::{Context, InputObject, Object, OutputType, SimpleObject};
use chrono::NaiveDate;
use govgraph_shared::models::Document;
use govgraph_shared::models::nodes::{NodeRow, NodeTable};
use govgraph_shared::models::search::{self, Facet, HitCursor, HitType, SearchFilter};
use govgraph_shared::vocab::StateCode;

use crate::error::{ApiResult, bad_input, internal};
use crate::pagination::{self, DEFAULT_PAGE, MAX_PAGE, PageArgs};
use crate::roots::Node;
use crate::schema::conn;
use crate::types::node_types::{Agreement, Project, Service};
use crate::types::{Actor, Announcement};

/// What narrows a search; every value given must hold (an unknown type, state or kind is a
/// `BAD_USER_INPUT` error, not an empty answer).
#[derive(InputObject, Default)]
#[graphql(name = "SearchFilter")]
pub struct SearchFilterInput {
    /// Only these types.
    types: Option<Vec<HitType>>,
    /// A state (ST, or DE for the federal level): announcements tagged with it, nodes of it (a
    /// service by its lead state).
    state: Option<StateCode>,
    /// Published (announcements) or signed (agreements) in this year, German time; other nodes
    /// have no date and are left out.
    year: Option<i32>,
    /// On or after this day (as `year`).
    from: Option<NaiveDate>,
    /// On or before this day (as `year`).
    to: Option<NaiveDate>,
    /// A kind of actor, project, agreement or service (MUNICIPALITY, FRAMEWORK_AGREEMENT, OZG, ...);
    /// announcements have none and are left out.
    // TODO(merge): the kind enums of issue 13 item 2 replace this string.
    kind: Option<String>,
    /// The publisher of an announcement, as `facets { publisher }` shows it; nodes are left out.
    publisher: Option<String>,
}

/// One value of a facet and how many of the matches have it.
#[derive(SimpleObject)]
pub struct FacetValue {
    /// A type (ANNOUNCEMENT, ...), a state code, a year, a kind (MUNICIPALITY, ...) or a publisher:
    /// what the filter of the same name takes.
    pub value: String,
    pub count: i64,
}

/// Counts of what matches a search, per dimension, most frequent first (at most `facetSize`
/// values each). An announcement tagged with two states counts for both.
#[derive(SimpleObject, Default)]
pub struct SearchFacets {
    #[graphql(name = "type")]
    pub node_type: Vec<FacetValue>,
    pub state: Vec<FacetValue>,
    pub year: Vec<FacetValue>,
    pub kind: Vec<FacetValue>,
    pub publisher: Vec<FacetValue>,
}

/// The fields of a search beyond its page.
#[derive(SimpleObject, Default)]
pub struct SearchTotals {
    /// Everything that matches the query and filter, on all pages (the pages themselves reach
    /// the newest 1,000 matching announcements: narrow by year or state for older ones).
    pub total_count: i64,
    pub facets: SearchFacets,
    /// Whether `totalCount` and the announcements' counts in `facets` are estimates: when more
    /// than 10,000 announcements match, they are counted on a fixed sample of one in 32 and
    /// scaled (nodes are always counted exactly). A narrower query or filter counts exactly.
    pub count_is_estimate: bool,
}

/// What a hit adds to its node.
#[derive(SimpleObject)]
pub struct SearchHitFields {
    /// The passage that matched, the matches between « and »; for a node, its name.
    pub snippet: Option<String>,
    /// The relevance the hits are ordered by (full-text rank; 2 for a node of that exact name,
    /// 1 for a name that begins so, 0.5 for one that contains it).
    pub rank: f32,
}

pub struct SearchConnectionName;
impl ConnectionNameType for SearchConnectionName {
    fn type_name<T: OutputType>() -> String {
        "SearchConnection".into()
    }
}

pub struct SearchEdgeName;
impl EdgeNameType for SearchEdgeName {
    fn type_name<T: OutputType>() -> String {
        "SearchEdge".into()
    }
}

pub type SearchConnection =
    Connection<String, Node, SearchTotals, SearchHitFields, SearchConnectionName, SearchEdgeName>;

/// Up to how many matching announcements a search counts exactly (the API setting
/// `search_exact_up_to`).
#[derive(Clone, Copy)]
pub struct ExactUpTo(pub i64);

/// The counts, facets and pages of hits of recent searches, kept in process: a search asked again
/// reads nothing but the data's version while the data stands where it stood
/// (`search::version`). A kept value older than [`SearchCache::TTL`] is made again by the next
/// request (the others keep taking it meanwhile), because a change whose transaction had not
/// committed when it was counted moves the number before its rows are seen. At most
/// [`SearchCache::CAPACITY`] searches of each kind are kept.
#[derive(Default)]
pub struct SearchCache {
    counts: Versioned<search::Counts>,
    hits: Versioned<Vec<search::Hit>>,
}

impl SearchCache {
    pub const TTL: std::time::Duration = std::time::Duration::from_secs(10);
    pub const CAPACITY: usize = 2_000;
}

/// Values by key, each with the data version and the time it was made at.
pub struct Versioned<T> {
    entries: std::sync::Mutex<HashMap<String, Kept<T>>>,
}

struct Kept<T> {
    at: std::time::Instant,
    version: i64,
    value: T,
    /// One request is making it again (older than the TTL); the others take this one meanwhile.
    refreshing: bool,
}

impl<T> Default for Versioned<T> {
    fn default() -> Self {
        Versioned { entries: std::sync::Mutex::new(HashMap::new()) }
    }
}

impl<T: Clone> Versioned<T> {
    /// The value kept for `key` at `version`; none when there is none, or when it is older than
    /// the TTL and this request is to make it again.
    fn lookup(&self, key: &str, version: i64) -> Option<T> {
        let mut entries = self.entries.lock().ok()?;
        let kept = entries.get_mut(key).filter(|kept| kept.version == version)?;
        if kept.at.elapsed() < SearchCache::TTL || kept.refreshing {
            return Some(kept.value.clone());
        }
        kept.refreshing = true;
        None
    }

    fn put(&self, key: String, version: i64, value: Option<&T>) {
        let Ok(mut entries) = self.entries.lock() else { return };
        let Some(value) = value else {
            // making it failed: let the next request try
            if let Some(kept) = entries.get_mut(&key) {
                kept.refreshing = false;
            }
            return;
        };
        if entries.len() >= SearchCache::CAPACITY && !entries.contains_key(&key) {
            entries.retain(|_, kept| kept.version == version && kept.at.elapsed() < SearchCache::TTL);
            if entries.len() >= SearchCache::CAPACITY {
                entries.clear();
            }
        }
        let kept = Kept { at: std::time::Instant::now(), version, value: value.clone(), refreshing: false };
        entries.insert(key, kept);
    }

    /// The value of `key` at the data's current version, made by `make` when it is not kept. A
    /// value older than the TTL is made again by one request while the others still take it.
    async fn through(
        &self,
        conn: &mut diesel_async::AsyncPgConnection,
        key: String,
        make: impl AsyncFnOnce(&mut diesel_async::AsyncPgConnection) -> govgraph_shared::Result<T>,
    ) -> ApiResult<T> {
        let version = search::version(conn).await.map_err(internal)?;
        if let Some(value) = self.lookup(&key, version) {
            return Ok(value);
        }
        let made = make(conn).await;
        self.put(key, version, made.as_ref().ok());
        made.map_err(internal)
    }
}

#[derive(Default)]
pub struct SearchQuery;

#[Object]
impl SearchQuery {
    /// Search over everything: announcements by German full text (ranked, with a highlighted
    /// snippet) and actors, projects, agreements and services by name and alias; with the total
    /// and the facets of all matches, and filters by the same dimensions. Pages go forwards
    /// (`first`/`after`).
    #[graphql(complexity = "pagination::price(first, child_complexity)")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Words, \"phrases\", -excluded, or.")] query: String,
        #[graphql(desc = "Page size, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "After this cursor (the `endCursor` of the previous page).")] after: Option<String>,
        filter: Option<SearchFilterInput>,
        #[graphql(desc = "Values per facet, 1 to 100.", default = 20)] facet_size: i32,
    ) -> ApiResult<SearchConnection> {
        let query = query.trim().to_owned();
        if query.is_empty() {
            return Err(bad_input("`query` is empty"));
        }
        if !(1..=MAX_PAGE as i32).contains(&facet_size) {
            return Err(bad_input(format!("`facetSize` must be between 1 and {MAX_PAGE}, not {facet_size}")));
        }
        let window = PageArgs::new(first, after, None, None).window(DEFAULT_PAGE, decode_cursor)?;
        let filter = search_filter(filter)?;

        let look = ctx.look_ahead();
        let wants_page =
            look.field("edges").exists() || look.field("nodes").exists() || look.field("pageInfo").exists();
        let facets_look = look.field("facets");
        let wanted: Vec<Facet> = [
            ("type", Facet::Type),
            ("state", Facet::State),
            ("year", Facet::Year),
            ("kind", Facet::Kind),
            ("publisher", Facet::Publisher),
        ]
        .into_iter()
        .filter(|(name, _)| facets_look.field(name).exists())
        .map(|(_, f)| f)
        .collect();

        let exact_up_to = ctx.data_opt::<ExactUpTo>().map_or(search::EXACT_UP_TO, |e| e.0);
        // the counts and the page on two connections at once
        let counting =
            look.field("totalCount").exists() || look.field("countIsEstimate").exists() || !wanted.is_empty();
        let counts = async {
            if !counting {
                return ApiResult::Ok(None);
            }
            let mut conn = conn(ctx).await?;
            let key = format!("{query}\u{0}{filter:?}\u{0}{wanted:?}\u{0}{facet_size}\u{0}{exact_up_to}");
            let make = async |conn: &mut diesel_async::AsyncPgConnection| {
                search::facets(conn, &query, &filter, &wanted, facet_size.into(), exact_up_to).await
            };
            let counts = match ctx.data_opt::<SearchCache>() {
                Some(cache) => cache.counts.through(&mut conn, key, make).await?,
                None => make(&mut conn).await.map_err(internal)?,
            };
            Ok(Some(counts))
        };
        let hits = async {
            if !wants_page {
                return ApiResult::Ok(None);
            }
            let mut conn = conn(ctx).await?;
            let after = window.page.after.as_ref();
            let key = format!("{query}\u{0}{filter:?}\u{0}{after:?}\u{0}{}", window.page.limit);
            let make = async |conn: &mut diesel_async::AsyncPgConnection| {
                search::hits(conn, &query, &filter, after, window.page.limit).await
            };
            let mut hits = match ctx.data_opt::<SearchCache>() {
                Some(cache) => cache.hits.through(&mut conn, key, make).await?,
                None => make(&mut conn).await.map_err(internal)?,
            };
            let more = hits.len() as i64 > window.size;
            hits.truncate(window.size as usize);
            let nodes = load_nodes(&mut conn, &hits).await?;
            Ok(Some((hits, nodes, more)))
        };
        let (counts, hits) = futures_util::future::try_join(counts, hits).await?;

        let mut totals = SearchTotals::default();
        if let Some(counts) = counts {
            totals.total_count = counts.total;
            totals.count_is_estimate = counts.estimated;
            let values = |facet: Facet| -> Vec<FacetValue> {
                counts
                    .of(facet)
                    .map(|c| FacetValue {
                        value: match facet {
                            Facet::Type | Facet::Kind => c.value.to_uppercase(),
                            _ => c.value.clone(),
                        },
                        count: c.n,
                    })
                    .collect()
            };
            totals.facets = SearchFacets {
                node_type: values(Facet::Type),
                state: values(Facet::State),
                year: values(Facet::Year),
                kind: values(Facet::Kind),
                publisher: values(Facet::Publisher),
            };
        }
        let Some((hits, mut nodes, more)) = hits else {
            return Ok(Connection::with_additional_fields(false, false, totals));
        };
        let mut page = Connection::with_additional_fields(window.had_after, more, totals);
        for hit in hits {
            let Some(node) = nodes.remove(&(hit.hit_type(), hit.id)) else {
                continue; // deleted since the hits were read
            };
            let snippet = hit.snippet.clone().or_else(|| Some(hit.name.clone()));
            page.edges.push(Edge::with_additional_fields(
                encode_cursor(&hit.cursor()),
                node,
                SearchHitFields { snippet, rank: hit.rank },
            ));
        }
        Ok(page)
    }
}

/// The nodes of a page of hits: one statement per type on the page.
async fn load_nodes(
    conn: &mut diesel_async::AsyncPgConnection,
    hits: &[search::Hit],
) -> ApiResult<HashMap<(HitType, i64), Node>> {
    let mut ids: HashMap<HitType, Vec<i64>> = HashMap::new();
    for h in hits {
        ids.entry(h.hit_type()).or_default().push(h.id);
    }
    let mut out = HashMap::new();
    for (t, ids) in ids {
        match t {
            HitType::Announcement => {
                for d in Document::find_many(conn, &ids).await.map_err(internal)? {
                    out.insert((t, d.id), Node::Announcement(Announcement(d)));
                }
            }
            HitType::Actor => {
                for a in search::actors_by_ids(conn, &ids).await.map_err(internal)? {
                    out.insert((t, a.id), Node::Actor(Actor(a)));
                }
            }
            HitType::Project | HitType::Agreement | HitType::Service => {
                let table = match t {
                    HitType::Project => NodeTable::Projects,
                    HitType::Agreement => NodeTable::Agreements,
                    _ => NodeTable::Services,
                };
                for r in NodeRow::by_ids(conn, table, &ids).await.map_err(internal)? {
                    let id = r.id;
                    let node = match table {
                        NodeTable::Projects => Node::Project(Project(r)),
                        NodeTable::Agreements => Node::Agreement(Agreement(r)),
                        NodeTable::Services => Node::Service(Service(r)),
                    };
                    out.insert((t, id), node);
                }
            }
        }
    }
    Ok(out)
}

/// Checks a filter as a client gives it.
fn search_filter(f: Option<SearchFilterInput>) -> ApiResult<SearchFilter> {
    let f = f.unwrap_or_default();
    let mut types = Vec::new();
    for t in f.types.unwrap_or_default() {
        if !types.contains(&t) {
            types.push(t);
        }
    }
    // the vocabulary is the GraphQL enum: an unknown code is a validation error already
    let state = f.state.map(|code| code.as_str().to_owned());
    let (mut from, mut to) = (f.from, f.to);
    if let Some(year) = f.year {
        let (Some(first), Some(last)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
        else {
            return Err(bad_input(format!("`{year}` is not a year")));
        };
        from = Some(from.map_or(first, |d| d.max(first)));
        to = Some(to.map_or(last, |d| d.min(last)));
    }
    let kind = match f.kind {
        None => None,
        Some(k) => {
            let stored = k.trim().to_lowercase();
            if !search::is_kind(&stored) {
                let mut known: Vec<String> = Vec::new();
                for k in search::kinds().map(str::to_uppercase) {
                    if !known.contains(&k) {
                        known.push(k);
                    }
                }
                return Err(bad_input(format!("unknown kind `{k}`: use one of {}", known.join(", "))));
            }
            Some(stored)
        }
    };
    Ok(SearchFilter {
        types,
        state,
        from,
        to,
        kind,
        publisher: f.publisher.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()),
    })
}

fn encode_cursor(c: &HitCursor) -> String {
    pagination::encode("search", &[c.rank.to_bits().to_string(), c.entity_type.as_str().to_owned(), c.id.to_string()])
}

fn decode_cursor(cursor: &str) -> ApiResult<HitCursor> {
    let invalid = || bad_input(format!("`{cursor}` is not a cursor of this list"));
    let parts = pagination::decode("search", cursor)?;
    let [rank, t, id] = parts.as_slice() else {
        return Err(invalid());
    };
    Ok(HitCursor {
        rank: f32::from_bits(rank.parse().map_err(|_| invalid())?),
        entity_type: HitType::parse_loose(t).map_err(|_| invalid())?,
        id: id.parse().map_err(|_| invalid())?,
    })
}
