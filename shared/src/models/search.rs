//! Faceted search over everything: announcements by German full text (`websearch_to_tsquery`
//! over `search_documents`, the newest [`RANKED_MATCHES`] matches ranked with `ts_rank_cd`,
//! snippets by `ts_headline`), actors, projects, agreements and services by name and alias
//! (trigram indexes; exact names first, then prefixes). [`SearchFilter`] narrows both; [`hits`]
//! gives a keyset page of the ranked hits, [`facets`] the total and the counts per type, state,
//! year, kind and publisher of every match. All values are bound parameters; the SQL text only
//! ever differs by which of the fixed facet fragments a request asks for.
//!
//! Counting stays fast on a large corpus because the matching announcements are read from the
//! GIN index of `search_documents` and counted on its narrow rows (year, states, publisher), not
//! on `documents`; see the migration `search_facets` and BENCHMARKS.md. Beyond [`EXACT_UP_TO`]
//! matching announcements they are counted on a fixed sample of one in [`SAMPLE_EVERY`]
//! (`search_sample`, migration `search_sample`) and scaled, flagged as estimates.

use chrono::NaiveDate;
use diesel::sql_types::{Array, BigInt, Date, Float4, Nullable, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::Result;

pub use crate::vocab::HitType;

/// Whether `kind` is a kind of a node table (`actors`, `projects`, `agreements`, `services`) as
/// stored: the vocabularies of `crate::vocab`.
pub fn is_kind(kind: &str) -> bool {
    kinds().any(|k| k == kind)
}

/// Every kind of the node tables, as stored.
pub fn kinds() -> impl Iterator<Item = &'static str> {
    use crate::vocab::{ActorKind, AgreementKind, ProjectKind, ServiceKind};
    let actors = ActorKind::ALL.iter().map(|k| k.as_str());
    let projects = ProjectKind::ALL.iter().map(|k| k.as_str());
    let agreements = AgreementKind::ALL.iter().map(|k| k.as_str());
    actors.chain(projects).chain(agreements).chain(ServiceKind::ALL.iter().map(|k| k.as_str()))
}

/// What narrows a search. Announcements have no kind and nodes no publisher: a filter by kind
/// leaves only nodes, one by publisher only announcements; a date range leaves announcements
/// (by publication, German day) and agreements (by signature).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchFilter {
    /// Only these types (all when empty).
    pub types: Vec<HitType>,
    /// A state code ("ST"): announcements tagged with it, nodes of that state.
    pub state: Option<String>,
    /// On or after this day.
    pub from: Option<NaiveDate>,
    /// On or before this day.
    pub to: Option<NaiveDate>,
    /// A kind as stored ("framework_agreement").
    pub kind: Option<String>,
    /// The publisher of an announcement, as stored.
    pub publisher: Option<String>,
}

/// Where a page of hits ends: hits are ordered by rank (descending), type, then id (descending).
#[derive(Debug, Clone, PartialEq)]
pub struct HitCursor {
    pub rank: f32,
    pub entity_type: HitType,
    pub id: i64,
}

#[derive(Debug, Clone, PartialEq, diesel::QueryableByName)]
pub struct Hit {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub entity_type: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Float4)]
    pub rank: f32,
    #[diesel(sql_type = Nullable<Text>)]
    pub snippet: Option<String>,
}

impl Hit {
    pub fn hit_type(&self) -> HitType {
        HitType::parse_loose(&self.entity_type).unwrap_or(HitType::Announcement)
    }

    pub fn cursor(&self) -> HitCursor {
        HitCursor { rank: self.rank, entity_type: self.hit_type(), id: self.id }
    }
}

/// How many announcements that match a search are ranked and paged at most: the newest ones. A
/// query that matches much of the corpus ("Digitalisierung") would otherwise rank every match
/// before it answers; `totalCount` and the facets still count every match, and a filter (a year, a
/// state) or `announcements(filter: { text })` reaches the older ones.
pub const RANKED_MATCHES: i64 = 1_000;

/// The facets a search can count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    Type,
    State,
    Year,
    Kind,
    Publisher,
}

impl Facet {
    pub const ALL: [Facet; 5] = [Facet::Type, Facet::State, Facet::Year, Facet::Kind, Facet::Publisher];

    fn name(self) -> &'static str {
        match self {
            Facet::Type => "type",
            Facet::State => "state",
            Facet::Year => "year",
            Facet::Kind => "kind",
            Facet::Publisher => "publisher",
        }
    }

    /// The column of the matches it groups by (`states`: the whole array, unnested after
    /// grouping, so that the matches are read once).
    fn column(self) -> &'static str {
        match self {
            Facet::Type => "t",
            Facet::State => "states",
            Facet::Year => "year",
            Facet::Kind => "kind",
            Facet::Publisher => "publisher",
        }
    }

    /// Its counts from the groups `g`.
    fn counts(self) -> String {
        let (name, col) = (self.name(), self.column());
        match self {
            Facet::State => format!(
                "SELECT '{name}'::text AS facet, code AS value, sum(g.n)::bigint AS n \
                 FROM g, unnest(g.states) code WHERE g.g_{col} = 0 GROUP BY code"
            ),
            _ => {
                format!("SELECT '{name}'::text, g.{col}::text, g.n FROM g WHERE g.g_{col} = 0 AND g.{col} IS NOT NULL")
            }
        }
    }
}

/// One count of a facet: the value (a type, state code, year, kind or publisher, as stored) and
/// how many matches have it.
#[derive(Debug, Clone, PartialEq, Eq, diesel::QueryableByName)]
pub struct FacetCount {
    #[diesel(sql_type = Text)]
    pub facet: String,
    #[diesel(sql_type = Text)]
    pub value: String,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

/// What [`facets`] counted: every match, and the top values of each facet asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: i64,
    pub facets: Vec<FacetCount>,
    /// The announcements were counted on the sample and scaled (more than [`EXACT_UP_TO`] of them
    /// matched); the nodes are always counted exactly.
    pub estimated: bool,
}

/// `search_sample` holds every announcement of `search_documents` whose id is a multiple of this
/// (migration `search_sample`, kept by row triggers).
pub const SAMPLE_EVERY: i64 = 32;

/// By default, up to this many matching announcements (as the sample estimates them) the counts
/// are exact (`GOVGRAPH_SEARCH_EXACT_UP_TO`); beyond, they are the sample's counts times
/// [`SAMPLE_EVERY`], flagged as estimates, as Elasticsearch's `track_total_hits` stops counting at
/// 10,000. Exact counting costs about 1 to 5 µs per match on 1,000,000 announcements.
pub const EXACT_UP_TO: i64 = 10_000;

impl Counts {
    /// The values of one facet, most frequent first.
    pub fn of(&self, facet: Facet) -> impl Iterator<Item = &FacetCount> {
        self.facets.iter().filter(move |c| c.facet == facet.name())
    }
}

/// `'%text%'` for `LIKE`, with the wildcards of the text taken literally.
fn like_pattern(text: &str) -> String {
    let escaped = text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

// The bound parameters every search statement shares: $1 the query, $2 its LIKE pattern, $3 the
// types (empty: all), $4 the state, $5 from, $6 to, $7 the kind, $8 the publisher.

/// The matching announcements (`search_documents sd`), filtered.
const DOC_WHERE: &str = "sd.search @@ websearch_to_tsquery('german', $1) \
    AND (cardinality($3::text[]) = 0 OR 'announcement' = ANY($3::text[])) \
    AND ($4::text IS NULL OR sd.states @> ARRAY[$4::text]) \
    AND ($5::date IS NULL OR sd.published_at >= $5::date::timestamp AT TIME ZONE 'Europe/Berlin') \
    AND ($6::date IS NULL OR sd.published_at < ($6::date + 1)::timestamp AT TIME ZONE 'Europe/Berlin') \
    AND $7::text IS NULL AND ($8::text IS NULL OR sd.publisher = $8::text)";

/// The matching nodes of one table: `{t}` its type, `{name}`, `{state}`, `{date}` its columns.
fn node_matches(table: &str, t: &str, name: &str, state: &str, date: Option<&str>) -> String {
    let (year, date_filter) = match date {
        Some(d) => (
            format!("extract(year FROM {d})::smallint"),
            format!("AND ($5::date IS NULL OR {d} >= $5::date) AND ($6::date IS NULL OR {d} <= $6::date)"),
        ),
        None => ("NULL::smallint".to_owned(), "AND $5::date IS NULL AND $6::date IS NULL".to_owned()),
    };
    format!(
        "SELECT n.id, '{t}'::text AS t, n.{name} AS name, n.{state} AS state, {year} AS year, n.kind, \
           NULL::text AS publisher, \
           (CASE WHEN lower(n.{name}) = lower($1) THEN 2.0 WHEN lower(n.{name}) LIKE substr($2, 2) THEN 1.0 \
                 ELSE 0.5 END)::real AS rank \
         FROM {table} n JOIN entities e ON e.id = n.id \
         WHERE govgraph_search_names(n.{name}, n.aliases) LIKE $2 \
           AND e.deleted_at IS NULL AND e.merged_into IS NULL AND n.status <> 'rejected' \
           AND (cardinality($3::text[]) = 0 OR '{t}' = ANY($3::text[])) \
           AND ($4::text IS NULL OR n.{state} = $4::text) {date_filter} \
           AND ($7::text IS NULL OR n.kind = $7::text) AND $8::text IS NULL"
    )
}

fn all_node_matches() -> String {
    [
        node_matches("actors", "actor", "name", "state_code", None),
        node_matches("projects", "project", "name", "state_code", None),
        node_matches("agreements", "agreement", "title", "state_code", Some("n.date_signed")),
        node_matches("services", "service", "name", "lead_state_code", None),
    ]
    .join(" UNION ALL ")
}

fn bind_filter<'a>(
    q: diesel::query_builder::SqlQuery,
    query: &'a str,
    f: &'a SearchFilter,
) -> diesel::query_builder::BoxedSqlQuery<'a, diesel::pg::Pg, diesel::query_builder::SqlQuery> {
    let types: Vec<&'static str> = f.types.iter().map(|t| t.as_str()).collect();
    q.into_boxed()
        .bind::<Text, _>(query)
        .bind::<Text, _>(like_pattern(query))
        .bind::<Array<Text>, _>(types)
        .bind::<Nullable<Text>, _>(f.state.as_deref())
        .bind::<Nullable<Date>, _>(f.from)
        .bind::<Nullable<Date>, _>(f.to)
        .bind::<Nullable<Text>, _>(f.kind.as_deref())
        .bind::<Nullable<Text>, _>(f.publisher.as_deref())
}

/// At most `limit` hits after `after`, best first: the announcements among the newest
/// [`RANKED_MATCHES`] matches, ranked, and the matching nodes. Snippets (costly) are made for the
/// announcements returned only.
pub async fn hits(
    conn: &mut AsyncPgConnection,
    query: &str,
    filter: &SearchFilter,
    after: Option<&HitCursor>,
    limit: i64,
) -> Result<Vec<Hit>> {
    // The candidates' tsquery is written out, not taken from a CTE: the planner then sees how
    // many documents it matches and walks the date index when that is most of them.
    let sql = format!(
        "WITH candidates AS ( \
           SELECT sd.id, ts_rank_cd(sd.search, websearch_to_tsquery('german', $1))::real AS rank FROM ( \
             SELECT sd.id, sd.search FROM search_documents sd WHERE {DOC_WHERE} \
             ORDER BY sd.published_at DESC NULLS LAST, sd.id DESC LIMIT {RANKED_MATCHES}) sd), \
         nodes AS ({nodes}), \
         ranked AS ( \
           SELECT c.id, 'announcement'::text AS t, c.rank FROM candidates c \
           UNION ALL SELECT n.id, n.t, n.rank FROM nodes n), \
         page AS ( \
           SELECT r.* FROM ranked r \
           WHERE $9::real IS NULL OR r.rank < $9::real OR (r.rank = $9::real AND (r.t > $10::text \
             OR (r.t = $10::text AND r.id < $11::bigint))) \
           ORDER BY r.rank DESC, r.t, r.id DESC LIMIT $12) \
         SELECT p.id, p.t AS entity_type, coalesce(d.title, n.name) AS name, p.rank, \
           CASE WHEN p.t = 'announcement' THEN ts_headline('german', d.title || E'\n' || d.text, websearch_to_tsquery('german', $1), \
             'StartSel=«, StopSel=», MaxFragments=2, MaxWords=25, MinWords=8') END AS snippet \
         FROM page p LEFT JOIN documents d ON p.t = 'announcement' AND d.id = p.id \
         LEFT JOIN nodes n ON p.t <> 'announcement' AND n.t = p.t AND n.id = p.id \
         ORDER BY p.rank DESC, p.t, p.id DESC",
        nodes = all_node_matches(),
    );
    conn.transaction::<_, crate::Error, _>(async |conn| {
        without_seq_scan(conn).await?;
        Ok(bind_filter(diesel::sql_query(sql), query, filter)
            .bind::<Nullable<Float4>, _>(after.map(|c| c.rank))
            .bind::<Nullable<Text>, _>(after.map(|c| c.entity_type.as_str()))
            .bind::<Nullable<BigInt>, _>(after.map(|c| c.id))
            .bind::<BigInt, _>(limit)
            .load(conn)
            .await?)
    })
    .await
}

/// How many things match (all of them, not only the ranked ones) and, for each facet of
/// `wanted`, its `size` most frequent values among the matches, in one statement that reads the
/// matches once: the matching announcements from the GIN index of `search_documents` and the
/// matching nodes, counted by `GROUPING SETS` (the states of an announcement, an array, grouped
/// as a whole and unnested after counting). A count on `search_sample` comes first: when it
/// estimates more than `exact_up_to` ([`EXACT_UP_TO`] by default) matching announcements, the same statement runs on the
/// sample, each announcement weighing [`SAMPLE_EVERY`], and the counts are flagged as estimated.
pub async fn facets(
    conn: &mut AsyncPgConnection,
    query: &str,
    filter: &SearchFilter,
    wanted: &[Facet],
    size: i64,
    exact_up_to: i64,
) -> Result<Counts> {
    // one pass over the matches: a grouping set per facet and () for the total
    let mut sets: Vec<String> = wanted.iter().map(|f| format!("(m.{})", f.column())).collect();
    sets.push("()".into());
    let flags: String = Facet::ALL
        .iter()
        .map(|f| {
            let col = f.column();
            if wanted.contains(f) {
                format!("grouping(m.{col}) AS g_{col}, m.{col}, ")
            } else {
                let null = if *f == Facet::State {
                    "text[]"
                } else if *f == Facet::Year {
                    "smallint"
                } else {
                    "text"
                };
                format!("1 AS g_{col}, NULL::{null} AS {col}, ")
            }
        })
        .collect();
    let all_flags: Vec<String> = Facet::ALL.iter().map(|f| format!("g.g_{}", f.column())).collect();
    let counted: Vec<String> = std::iter::once(format!(
        "SELECT 'total'::text AS facet, ''::text AS value, g.n FROM g WHERE {} = {}",
        all_flags.join(" + "),
        Facet::ALL.len()
    ))
    .chain(wanted.iter().map(|f| f.counts()))
    .collect();
    let sql = |table: &str, weight: i64| {
        format!(
            "WITH g AS ( \
           SELECT {flags}coalesce(sum(m.w), 0)::bigint AS n FROM ( \
             SELECT 'announcement'::text AS t, sd.states, sd.year, NULL::text AS kind, sd.publisher, {weight} AS w \
             FROM {table} sd WHERE {DOC_WHERE} \
             UNION ALL SELECT n.t, CASE WHEN n.state IS NULL THEN '{{}}'::text[] ELSE ARRAY[n.state] END, n.year, \
               n.kind, NULL::text, 1 FROM ({nodes}) n) m \
           GROUP BY GROUPING SETS ({sets})), \
         counted AS ({counted}) \
         SELECT facet, value, n FROM ( \
           SELECT c.*, row_number() OVER (PARTITION BY c.facet ORDER BY c.n DESC, c.value) AS place FROM counted c) x \
         WHERE facet = 'total' OR place <= $9 ORDER BY facet, n DESC, value",
            nodes = all_node_matches(),
            sets = sets.join(", "),
            counted = counted.join(" UNION ALL "),
        )
    };
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let (rows, estimated): (Vec<FacetCount>, bool) = conn
        .transaction::<_, crate::Error, _>(async |conn| {
            without_seq_scan(conn).await?;
            // the sample says how many announcements match; few enough are counted one by one
            let sampled = format!("SELECT count(*) AS n FROM search_sample sd WHERE {DOC_WHERE}");
            let in_sample = bind_filter(diesel::sql_query(sampled), query, filter).get_result::<N>(conn).await?.n;
            let estimated = in_sample * SAMPLE_EVERY > exact_up_to;
            let sql = if estimated { sql("search_sample", SAMPLE_EVERY) } else { sql("search_documents", 1) };
            let rows = bind_filter(diesel::sql_query(sql), query, filter).bind::<BigInt, _>(size).load(conn).await?;
            Ok((rows, estimated))
        })
        .await?;
    let total = rows.iter().find(|r| r.facet == "total").map_or(0, |r| r.n);
    Ok(Counts { total, facets: rows.into_iter().filter(|r| r.facet != "total").collect(), estimated })
}

/// Keeps the planner off a sequential scan of `search_documents` for the rest of the transaction.
/// For a word in most announcements it would scan the table and test every row's vector, which
/// is stored out of line (`toast_tuple_target`) and read back row by row, a cost the planner does
/// not see (10,000 rows: 60-90 ms against 2-4 ms); the GIN bitmap answers the same without reading
/// a vector.
async fn without_seq_scan(conn: &mut AsyncPgConnection) -> Result<()> {
    diesel::sql_query("SET LOCAL enable_seqscan = off").execute(conn).await?;
    Ok(())
}

/// Actors by id (the actors on a page of hits).
/// Where the data a search counts stands: a number that every change of `search_documents` or a
/// node table moves on (migration `search_version`), so that counts made at one number hold as
/// long as it stays.
pub async fn version(conn: &mut AsyncPgConnection) -> Result<i64> {
    #[derive(diesel::QueryableByName)]
    struct V {
        #[diesel(sql_type = BigInt)]
        v: i64,
    }
    Ok(diesel::sql_query("SELECT last_value AS v FROM search_version").get_result::<V>(conn).await?.v)
}

pub async fn actors_by_ids(conn: &mut AsyncPgConnection, ids: &[i64]) -> Result<Vec<super::graph::Actor>> {
    use diesel::{ExpressionMethods, QueryDsl, SelectableHelper};

    use crate::schema::actors;
    Ok(actors::table.filter(actors::id.eq_any(ids)).select(super::graph::Actor::as_select()).load(conn).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_of_the_query_are_literal_in_like() {
        assert_eq!(like_pattern("50%_A\\b"), "%50\\%\\_a\\\\b%");
        assert_eq!(like_pattern("Straße"), "%straße%");
    }

    #[test]
    fn types_read_in_any_case() {
        assert_eq!(HitType::parse_loose(" ANNOUNCEMENT ").ok(), Some(HitType::Announcement));
        assert_eq!(HitType::parse_loose("Actor").ok(), Some(HitType::Actor));
        assert_eq!(HitType::parse_loose("planet").ok(), None);
    }
}
