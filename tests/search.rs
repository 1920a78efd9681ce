//! Search as a front end builds a page from it: the total and the facets (type, state, year,
//! kind, publisher) of a query agree with counts taken from the tables themselves; filters narrow
//! them; pages meet every hit once, best first; an unknown filter value is an error; the
//! complexity limit and the statement count price the search like any list; and the rows search
//! counts on follow the documents and their states through deletions, duplicates, new texts and
//! new tags; beyond a number of matches the counts come from the sample, flagged as estimates.

mod common;

use std::collections::{BTreeMap, HashSet};

use common::{Env, Server, stderr, stdout};
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Counts by the tables themselves (`documents`, `document_states`, the node tables), not by the
/// search's own `search_documents`: `SELECT value, n ...`.
async fn counts(env: &Env, sql: &str) -> BTreeMap<String, i64> {
    let mut conn = govgraph_shared::db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    let rows: Vec<Count> = diesel::sql_query(sql).load(&mut conn).await.unwrap();
    rows.into_iter().map(|c| (c.value, c.n)).collect()
}

async fn count(env: &Env, sql: &str) -> i64 {
    counts(env, &format!("SELECT ''::text AS value, ({sql}) AS n")).await[""]
}

/// A facet as a map from value to count.
fn facet(data: &Value, name: &str) -> BTreeMap<String, i64> {
    data["facets"][name]
        .as_array()
        .unwrap_or_else(|| panic!("no facet {name} in {data}"))
        .iter()
        .map(|v| (v["value"].as_str().unwrap().to_owned(), v["count"].as_i64().unwrap()))
        .collect()
}

/// The matching announcements, by the documents table.
const MATCHING: &str = "FROM documents d WHERE d.search @@ websearch_to_tsquery('german', 'Rahmenvereinbarung') \
    AND d.duplicate_of IS NULL AND d.deleted_at IS NULL";

async fn seeded() -> (Env, Server) {
    let env = Env::new().await;
    let out = env.run(&["bench-seed", "--scale", "0.02"]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let server = env.spawn_server(&["serve", "--bind", "127.0.0.1:0"]).await;
    (env, server)
}

const FACETS: &str = "totalCount facets { type { value count } state { value count } year { value count }
    kind { value count } publisher { value count } }";

#[tokio::test(flavor = "multi_thread")]
async fn facets_and_filters_agree_with_the_tables() {
    let (env, server) = seeded().await;

    // one word: every facet of every match, against the tables
    let data = server
        .data(&format!(r#"{{ search(query: "Rahmenvereinbarung", facetSize: 100) {{ {FACETS} }} }}"#), json!({}))
        .await["search"]
        .clone();
    let announcements = count(&env, &format!("SELECT count(*) {MATCHING}")).await;
    assert!(announcements > 100, "the seed has matches: {announcements}");
    assert_eq!(data["totalCount"], announcements, "{data}");
    assert_eq!(facet(&data, "type"), BTreeMap::from([("ANNOUNCEMENT".to_owned(), announcements)]));
    let by_state = counts(
        &env,
        &format!(
            "SELECT s.state_code AS value, count(*) AS n FROM document_states s \
             WHERE s.document_id IN (SELECT d.id {MATCHING}) GROUP BY 1"
        ),
    )
    .await;
    assert_eq!(by_state.len(), 17, "16 Länder and DE: {by_state:?}");
    assert_eq!(facet(&data, "state"), by_state);
    let by_year = counts(
        &env,
        &format!(
            "SELECT extract(year FROM d.published_at AT TIME ZONE 'Europe/Berlin')::int::text AS value, count(*) AS n \
             {MATCHING} GROUP BY 1"
        ),
    )
    .await;
    assert!(by_year.len() > 1, "{by_year:?}");
    assert_eq!(facet(&data, "year"), by_year);
    let by_publisher = counts(&env, &format!("SELECT d.publisher AS value, count(*) AS n {MATCHING} GROUP BY 1")).await;
    // the 100 most frequent of the publishers
    let publishers = facet(&data, "publisher");
    assert_eq!(publishers.len(), by_publisher.len().min(100));
    assert!(publishers.iter().all(|(p, n)| by_publisher.get(p) == Some(n)), "{publishers:?} {by_publisher:?}");
    let least = publishers.values().min().unwrap();
    assert!(by_publisher.iter().all(|(p, n)| publishers.contains_key(p) || n <= least));
    assert!(facet(&data, "kind").is_empty(), "announcements have no kind: {data}");

    // a word in the names of every node type and the titles of every announcement
    let data =
        server.data(&format!(r#"{{ search(query: "Synthetische") {{ {FACETS} }} }}"#), json!({})).await["search"]
            .clone();
    let types = counts(
        &env,
        "SELECT 'ANNOUNCEMENT' AS value, count(*) AS n FROM documents WHERE duplicate_of IS NULL AND deleted_at IS NULL \
           AND search @@ websearch_to_tsquery('german', 'Synthetische') \
         UNION ALL SELECT 'ACTOR', count(*) FROM actors WHERE name ILIKE '%synthetische%' HAVING count(*) > 0 \
         UNION ALL SELECT 'AGREEMENT', count(*) FROM agreements WHERE title ILIKE '%synthetische%' HAVING count(*) > 0 \
         UNION ALL SELECT 'SERVICE', count(*) FROM services WHERE name ILIKE '%synthetische%' HAVING count(*) > 0 \
         UNION ALL SELECT 'PROJECT', count(*) FROM projects WHERE name ILIKE '%synthetische%' HAVING count(*) > 0",
    )
    .await;
    assert_eq!(types.len(), 4, "{types:?}");
    assert_eq!(facet(&data, "type"), types);
    assert_eq!(data["totalCount"], types.values().sum::<i64>());
    let kinds = counts(
        &env,
        "SELECT upper(kind) AS value, count(*) AS n FROM (SELECT kind FROM actors WHERE name ILIKE '%synthetische%' \
           UNION ALL SELECT kind FROM agreements WHERE title ILIKE '%synthetische%' \
           UNION ALL SELECT kind FROM services WHERE name ILIKE '%synthetische%') k GROUP BY 1",
    )
    .await;
    assert_eq!(facet(&data, "kind"), kinds);

    // filters: a state and a year, a kind, a publisher, a type, a date range
    let year = by_year.iter().max_by_key(|(_, n)| **n).unwrap().0.parse::<i32>().unwrap();
    let data = server
        .data(
            &format!(r#"query($y: Int) {{ search(query: "Rahmenvereinbarung", filter: {{ state: ST, year: $y }}) {{ {FACETS} }} }}"#),
            json!({ "y": year }),
        )
        .await["search"]
        .clone();
    let expected = count(
        &env,
        &format!(
            "SELECT count(*) {MATCHING} AND d.id IN (SELECT document_id FROM document_states WHERE state_code = 'ST') \
             AND extract(year FROM d.published_at AT TIME ZONE 'Europe/Berlin') = {year}"
        ),
    )
    .await;
    assert!(expected > 0);
    assert_eq!(data["totalCount"], expected, "{data}");
    assert_eq!(facet(&data, "state")["ST"], expected);
    assert_eq!(facet(&data, "year"), BTreeMap::from([(year.to_string(), expected)]));

    let kinds_total = |kind: &str| {
        let kind = kind.to_owned();
        let server = &server;
        async move {
            server
                .data(
                    r#"query($k: String) { search(query: "Synthetische", filter: { kind: $k }) { totalCount facets { kind { value count } } } }"#,
                    json!({ "k": kind }),
                )
                .await["search"]
                .clone()
        }
    };
    let framework = kinds_total("FRAMEWORK_AGREEMENT").await;
    let expected = count(
        &env,
        "SELECT count(*) FROM agreements WHERE title ILIKE '%synthetische%' AND kind = 'framework_agreement'",
    )
    .await;
    assert!(expected > 0);
    assert_eq!(framework["totalCount"], expected);
    assert_eq!(facet(&framework, "kind"), BTreeMap::from([("FRAMEWORK_AGREEMENT".to_owned(), expected)]));

    let (publisher, n) = by_publisher.iter().next().unwrap();
    let data = server
        .data(
            r#"query($p: String) { search(query: "Rahmenvereinbarung", filter: { publisher: $p }) { totalCount } }"#,
            json!({ "p": publisher }),
        )
        .await;
    assert_eq!(data["search"]["totalCount"], *n);

    let data = server
        .data(
            r#"{ a: search(query: "Synthetische", filter: { types: [ACTOR, SERVICE] }) { totalCount facets { type { value } } }
                 d: search(query: "Synthetische", filter: { from: "2020-01-01", to: "2020-12-31" }) { totalCount facets { type { value count } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["a"]["totalCount"], types["ACTOR"] + types["SERVICE"]);
    let in_2020 = count(
        &env,
        "SELECT count(*) FROM documents WHERE search @@ websearch_to_tsquery('german', 'Synthetische') \
           AND published_at >= '2020-01-01 00:00 Europe/Berlin' AND published_at < '2021-01-01 00:00 Europe/Berlin'",
    )
    .await;
    let signed_2020 = count(
        &env,
        "SELECT count(*) FROM agreements WHERE title ILIKE '%synthetische%' AND date_signed BETWEEN '2020-01-01' AND '2020-12-31'",
    )
    .await;
    assert_eq!(data["d"]["totalCount"], in_2020 + signed_2020, "{data}");
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_meet_every_hit_once_best_first_and_bad_filters_are_errors() {
    let (env, server) = seeded().await;
    let expected = count(
        &env,
        &format!(
            "SELECT count(*) {MATCHING} AND d.id IN (SELECT document_id FROM document_states WHERE state_code = 'ST')"
        ),
    )
    .await;
    assert!(expected > 14 && expected < 1_000, "{expected}");
    let mut seen = HashSet::new();
    let mut ranks = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data = server
            .data(
                r#"query($after: String) { search(query: "Rahmenvereinbarung", filter: { state: ST }, first: 7, after: $after) {
                     totalCount pageInfo { hasNextPage endCursor }
                     edges { cursor rank snippet node { id ... on Announcement { title states { code } } } } } }"#,
                json!({ "after": after }),
            )
            .await["search"]
            .clone();
        assert_eq!(data["totalCount"], expected);
        let edges = data["edges"].as_array().unwrap();
        for e in edges {
            assert!(seen.insert(e["node"]["id"].as_str().unwrap().to_owned()), "met twice: {e}");
            ranks.push(e["rank"].as_f64().unwrap());
            let states: Vec<&str> =
                e["node"]["states"].as_array().unwrap().iter().map(|s| s["code"].as_str().unwrap()).collect();
            assert!(states.contains(&"ST"), "{e}");
            // the match highlighted (in a compound as the parser splits it: «Rahmenvereinbarunge»-government)
            assert!(e["snippet"].as_str().unwrap().contains("«Rahmenvereinbarung"), "{e}");
        }
        if data["pageInfo"]["hasNextPage"] != true {
            assert!(edges.len() <= 7);
            break;
        }
        assert_eq!(edges.len(), 7);
        after = data["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len() as i64, expected, "every hit once");
    assert!(ranks.windows(2).all(|w| w[0] >= w[1]), "best first: {ranks:?}");

    // an unknown value of a closed vocabulary, a bad year, cursor or size: errors, not empty pages
    for (what, filter) in [
        ("kind", r#"search(query: "Rahmenvereinbarung", filter: { kind: "PLANET" }) { totalCount }"#),
        ("year", r#"search(query: "Rahmenvereinbarung", filter: { year: 2147483647 }) { totalCount }"#),
        ("cursor", r#"search(query: "Rahmenvereinbarung", after: "bm90LWEtY3Vyc29y") { totalCount }"#),
        ("facet size", r#"search(query: "Rahmenvereinbarung", facetSize: 0) { totalCount }"#),
        ("page size", r#"search(query: "Rahmenvereinbarung", first: 101) { totalCount }"#),
        ("empty query", r#"search(query: "  ") { totalCount }"#),
    ] {
        let answer = server.graphql(&format!("{{ {filter} }}"), json!({})).await;
        assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{what}: {answer}");
    }
    // a state or a type outside its vocabulary is refused before the search runs
    for filter in ["{ state: XX }", "{ types: [PLANET] }"] {
        let query = format!(r#"{{ search(query: "Rahmenvereinbarung", filter: {filter}) {{ totalCount }} }}"#);
        let answer = server.graphql(&query, json!({})).await;
        assert_eq!(answer["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED", "{filter}: {answer}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_limits_price_a_search_like_a_list() {
    let (_env, server) = seeded().await;
    // the statements of a page do not grow with its size: the hits, one per node type, loaders
    let query = r#"query($n: Int) { search(query: "Synthetische", first: $n) { totalCount
        facets { type { value count } state { value count } }
        edges { snippet node { id ... on Announcement { title states { code } source { name } }
          ... on Actor { name relations(first: 2) { nodes { predicate } } } } } } }"#;
    let mut costs = Vec::new();
    for n in [3, 30] {
        server.data(query, json!({ "n": n })).await;
        let before = server.queries_run().await;
        let data = server.data(query, json!({ "n": n })).await;
        let after = server.queries_run().await;
        assert_eq!(data["search"]["edges"].as_array().unwrap().len(), n as usize);
        costs.push(after - before);
    }
    assert!(costs[1] <= costs[0] + 3, "statements for 3 and 30 hits: {costs:?}");
    // the hits and the facets (each with its transaction: BEGIN, SET LOCAL, the query, COMMIT;
    // the facets with the sample's count first), the announcements, their states and sources, and
    // the two of `/metrics`; 30 hits one by one would be 60 more
    assert!(costs[1] <= 20, "{costs:?}");

    // a page of 100 hits with 100 edges each is refused before it runs
    let answer = server
        .graphql(
            r#"{ search(query: "Synthetische", first: 100) { edges { node { ... on Actor {
                 relations(first: 100) { nodes { predicate evidence { sentence } object { name } } } } } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "COMPLEXITY_LIMIT", "{answer}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_search_rows_follow_the_documents_and_their_states() {
    let (env, server) = seeded().await;
    let mut conn = govgraph_shared::db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    for change in [
        "UPDATE documents SET deleted_at = now() WHERE id % 7 = 0",
        "UPDATE documents SET duplicate_of = id - 1 WHERE id % 11 = 0 AND id % 7 <> 0",
        "UPDATE documents SET title = title || ' Zusatzwort', text = text || ' Zusatzwort' WHERE id % 13 = 0",
        "DELETE FROM document_states WHERE document_id % 17 = 0 AND state_code = 'DE'",
        "INSERT INTO document_states (document_id, state_code) SELECT id, 'SN' FROM documents WHERE id % 19 = 0 \
         ON CONFLICT DO NOTHING",
        "UPDATE documents SET deleted_at = NULL WHERE id % 49 = 0",
    ] {
        diesel::sql_query(change).execute(&mut conn).await.unwrap();
    }
    // what the triggers keep, against what the tables say
    let differing = count(
        &env,
        "SELECT count(*) FROM ( \
           (SELECT id FROM (SELECT id, states, publisher, year, search::text FROM search_documents \
            EXCEPT SELECT d.id, coalesce((SELECT array_agg(s.state_code ORDER BY s.state_code) FROM document_states s \
              WHERE s.document_id = d.id), '{}'), d.publisher, \
              extract(year FROM d.published_at AT TIME ZONE 'Europe/Berlin')::smallint, d.search::text \
            FROM documents d WHERE d.deleted_at IS NULL AND d.duplicate_of IS NULL) stale) \
           UNION ALL \
           (SELECT d.id FROM documents d WHERE d.deleted_at IS NULL AND d.duplicate_of IS NULL \
            EXCEPT SELECT id FROM search_documents) ) x",
    )
    .await;
    assert_eq!(differing, 0);
    let changed =
        count(&env, "SELECT count(*) FROM documents WHERE id % 13 = 0 AND deleted_at IS NULL AND duplicate_of IS NULL")
            .await;
    let data = server.data(r#"{ search(query: "Zusatzwort") { totalCount } }"#, json!({})).await;
    assert!(changed > 0);
    assert_eq!(data["search"]["totalCount"], changed);
}

#[tokio::test(flavor = "multi_thread")]
async fn many_matches_are_counted_on_the_sample_and_flagged_as_estimates() {
    let env = Env::new().await;
    let out = env.run(&["bench-seed", "--scale", "0.02"]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    // counted exactly up to 100 matching announcements (10,000 by default)
    let mut cmd = env.command();
    cmd.args(["serve", "--bind", "127.0.0.1:0"]).env("GOVGRAPH_SEARCH_EXACT_UP_TO", "100");
    let server = common::spawn(cmd).await;

    let exact = count(&env, &format!("SELECT count(*) {MATCHING}")).await;
    let in_sample = count(&env, &format!("SELECT count(*) {MATCHING} AND d.id % 32 = 0")).await;
    assert!(in_sample * 32 > 100 && exact > 100, "{in_sample} of {exact} in the sample");
    let query = format!(r#"{{ search(query: "Rahmenvereinbarung", facetSize: 100) {{ countIsEstimate {FACETS} }} }}"#);
    let data = server.data(&query, json!({})).await["search"].clone();
    assert_eq!(data["countIsEstimate"], true, "{data}");
    assert_eq!(data["totalCount"], in_sample * 32, "the sample's matches, scaled: {data}");
    assert_eq!(facet(&data, "type"), BTreeMap::from([("ANNOUNCEMENT".to_owned(), in_sample * 32)]));
    let states = facet(&data, "state");
    assert!(!states.is_empty() && states.values().all(|n| n % 32 == 0), "{states:?}");
    // a sample of one in 32 of 2,000 announcements is rough; of 1,000,000 it is close
    let error = (in_sample * 32 - exact).abs() as f64 / exact as f64;
    assert!(error < 0.5, "estimated {} for {exact}", in_sample * 32);

    // few matches are counted exactly
    let narrow = format!(
        r#"{{ search(query: "Rahmenvereinbarung", filter: {{ state: SN }}, facetSize: 100) {{ countIsEstimate {FACETS} }} }}"#
    );
    let data = server.data(&narrow, json!({})).await["search"].clone();
    let in_sn = count(
        &env,
        &format!(
            "SELECT count(*) {MATCHING} AND d.id IN (SELECT document_id FROM document_states WHERE state_code = 'SN')"
        ),
    )
    .await;
    assert!(in_sn <= 100, "{in_sn}");
    assert_eq!(data["countIsEstimate"], false, "{data}");
    assert_eq!(data["totalCount"], in_sn, "{data}");

    // the sample follows `search_documents`: rows gone with their documents, none added
    let mut conn = govgraph_shared::db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    diesel::sql_query("UPDATE documents SET deleted_at = now() WHERE id % 64 = 0").execute(&mut conn).await.unwrap();
    let differ = count(
        &env,
        "SELECT count(*) FROM ((SELECT id FROM search_documents WHERE id % 32 = 0) \
           EXCEPT ALL (SELECT id FROM search_sample)) x",
    )
    .await
        + count(
            &env,
            "SELECT count(*) FROM ((SELECT id FROM search_sample) \
               EXCEPT ALL (SELECT id FROM search_documents WHERE id % 32 = 0)) x",
        )
        .await;
    assert_eq!(differ, 0);
    assert!(count(&env, "SELECT count(*) FROM search_sample").await > 0);
}
