//! The graph a researcher walks, over GraphQL: global ids (`node`, `nodes`), agreements with
//! their parties and signatories, projects and services with their lookups, search (facets and
//! paging in `tests/search.rs`), a neighbourhood, the paths between two nodes, stats, incremental
//! sync; and no N+1: the SQL statements of a nested query do not grow with its page size.

mod common;

use common::{Env, FixtureSite, Server, stderr, stdout};
use serde_json::{Value, json};

/// The name of a node of the graph, whatever its type (the ends of edges are `Node`s).
const NAME: &str = "fragment name on Node { __typename ... on Actor { name } ... on Agreement { name }
    ... on Project { name } ... on Service { name } ... on State { name } }";

async fn harvested() -> (Env, Server, FixtureSite) {
    let site = common::seed_site().await;
    let env = Env::new().await;
    let out = env.run(&["bootstrap"]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    env.harvest_seed_site(&site).await;
    let server = env.spawn_server(&["serve", "--bind", "127.0.0.1:0"]).await;
    (env, server, site)
}

#[tokio::test(flavor = "multi_thread")]
async fn researchers_walk_the_graph_from_any_node() {
    let (_env, server, _site) = harvested().await;

    // agreements of Saxony-Anhalt, with parties, signatories and the one they renew
    let data = server
        .data(
            &format!(
                r#"{NAME} {{ agreements(first: 5, filter: {{ state: ST, from: "2014-01-01" }}) {{ totalCount edges {{ node {{
                 id name date kind state {{ code name }}
                 parties {{ totalCount nodes {{ id subject {{ ...name }} evidence {{ sentence announcementTitle }} }} }}
                 signatories {{ nodes {{ subject {{ ...name }} }} }}
                 renews {{ nodes {{ object {{ ...name }} }} }} }} }} }} }}"#
            ),
            json!({}),
        )
        .await;
    let agreements = data["agreements"]["edges"].as_array().unwrap();
    let deal = agreements.iter().map(|e| &e["node"]).find(|n| n["date"] == "2014-07-09").expect("the 2014 agreement");
    // edge lists are connections: their `nodes` are the edges
    let names = |list: &Value, end: &str| -> Vec<String> {
        list["nodes"].as_array().unwrap().iter().map(|r| r[end]["name"].as_str().unwrap().to_owned()).collect()
    };
    assert!(names(&deal["parties"], "subject").contains(&"Landkreistag Sachsen-Anhalt".to_owned()), "{deal}");
    assert_eq!(names(&deal["signatories"], "subject").len(), 3, "{deal}");
    assert!(deal["parties"]["nodes"][0]["evidence"][0]["sentence"].as_str().is_some());
    assert_eq!(deal["parties"]["totalCount"].as_u64(), Some(names(&deal["parties"], "subject").len() as u64));
    assert_eq!(names(&deal["renews"], "object").len(), 1, "the 2006 agreement: {deal}");
    // vocabularies are enums, a state is a node
    assert_eq!(deal["kind"], "FRAMEWORK_AGREEMENT", "{deal}");
    assert_eq!(deal["state"], json!({ "code": "ST", "name": "Sachsen-Anhalt" }));
    let party_types: Vec<&Value> =
        deal["parties"]["nodes"].as_array().unwrap().iter().map(|p| &p["subject"]["__typename"]).collect();
    assert!(
        party_types.iter().all(|t| *t == "Actor" || *t == "State") && party_types.contains(&&json!("Actor")),
        "{deal}"
    );

    // the same node through `node` and `nodes`, and a state by its id
    let id = deal["id"].as_str().unwrap();
    let data = server
        .data(
            r#"query($id: ID!, $ids: [ID!]!) { node(id: $id) { id ... on Agreement { name } }
                 nodes(ids: $ids) { id } state(code: "ST") { id } }"#,
            json!({ "id": id, "ids": [id, id] }),
        )
        .await;
    assert_eq!(data["node"]["name"], deal["name"]);
    assert_eq!(data["nodes"].as_array().unwrap().len(), 2);
    let state_id = data["state"]["id"].as_str().unwrap();
    let data =
        server.data(r#"query($id: ID!) { node(id: $id) { ... on State { code } } }"#, json!({ "id": state_id })).await;
    assert_eq!(data["node"]["code"], "ST");

    // edges, sources and runs are nodes too
    let ids =
        server.data("{ sources(first: 1) { nodes { id } } harvestRuns(first: 1) { nodes { id } } }", json!({})).await;
    let ids = json!([
        deal["parties"]["nodes"][0]["id"],
        ids["sources"]["nodes"][0]["id"],
        ids["harvestRuns"]["nodes"][0]["id"]
    ]);
    let data = server
        .data(
            r#"query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Relation { predicate }
                 ... on Source { name } ... on HarvestRun { status } } }"#,
            json!({ "ids": ids }),
        )
        .await;
    let found = data["nodes"].as_array().unwrap();
    let types: Vec<&str> = found.iter().map(|n| n["__typename"].as_str().unwrap()).collect();
    assert_eq!(types, ["Relation", "Source", "HarvestRun"]);
    assert_eq!(found[0]["predicate"], "PARTY_TO");
    assert_eq!(found[1]["name"], "seed-rss");
    assert_eq!(found.iter().map(|n| n["id"].clone()).collect::<Vec<_>>(), ids.as_array().unwrap().clone());

    // projects and services by their keys; the Themenfelder with their lead states
    let data = server
        .data(
            &(NAME.to_owned()
                + r#"{ projects(first: 20, filter: { kind: OZG_THEMENFELD }) { totalCount }
                 service(ozgId: "10519") { name themenfeld ozgId kind }
                 bau: projects(first: 1, filter: { text: "Bauen" }) { edges { node { name
                   relations(filter: { predicates: [LEADS] }) { nodes { subject { ...name } } }
                   actors { nodes { subject { ...name } } } } } } }"#),
            json!({}),
        )
        .await;
    assert_eq!(data["projects"]["totalCount"], 14);
    assert_eq!(data["service"]["name"], "Bauvorbescheid und Baugenehmigung");
    assert_eq!(data["service"]["themenfeld"], "Bauen & Wohnen");
    assert_eq!(data["service"]["kind"], "OZG");
    let leaders = names(&data["bau"]["edges"][0]["node"]["relations"], "subject");
    assert!(leaders.iter().any(|n| n.contains("Mecklenburg-Vorpommern")), "{leaders:?}");
    assert_eq!(names(&data["bau"]["edges"][0]["node"]["actors"], "subject"), leaders, "a project's actors");

    // what one announcement says: the edges it is evidence for
    let data = server
        .data(
            &(NAME.to_owned()
                + r#"{ announcements(first: 10, filter: { state: ST }) { nodes { title primaryState { code }
                 relations { predicate subject { ...name } evidence { announcementTitle } } } } }"#),
            json!({}),
        )
        .await;
    let docs = data["announcements"]["nodes"].as_array().unwrap();
    let deal = docs.iter().find(|d| d["title"].as_str().unwrap().contains("Rahmenvereinbarung")).expect("{data}");
    let edges = deal["relations"].as_array().unwrap();
    assert!(edges.iter().any(|e| e["predicate"] == "SIGNED" && e["subject"]["name"] == "Michael Richter"), "{deal}");
    assert_eq!(deal["primaryState"]["code"], "ST");
    for e in edges {
        let titles: Vec<&Value> = e["evidence"].as_array().unwrap().iter().map(|v| &v["announcementTitle"]).collect();
        assert!(titles.contains(&&deal["title"]), "an edge this announcement is not evidence for: {e}");
    }

    // search: full text with snippets and facets, and names
    let data = server
        .data(
            r#"{ text: search(query: "Rahmenvereinbarung", filter: { state: ST }) { totalCount
                   facets { state { value count } year { value count } }
                   edges { node { __typename ... on Announcement { title } } snippet rank } }
                 names: search(query: "KISA", filter: { types: [ACTOR] }) { edges { node { ... on Actor { name } } } } }"#,
            json!({}),
        )
        .await;
    // the announcements of Saxony-Anhalt that say it, and its agreements named so
    let hits = data["text"]["edges"].as_array().unwrap();
    assert_eq!(data["text"]["totalCount"], hits.len(), "one page holds them all: {data}");
    let texts: Vec<&Value> = hits.iter().filter(|h| h["node"]["__typename"] == "Announcement").collect();
    assert!(!texts.is_empty() && texts.len() < 5, "{hits:?}");
    assert!(texts[0]["snippet"].as_str().unwrap().contains("«Rahmenvereinbarung»"), "{hits:?}");
    assert!(
        hits.iter().all(|h| h["node"]["__typename"] == "Announcement" || h["node"]["__typename"] == "Agreement"),
        "{hits:?}"
    );
    let st = data["text"]["facets"]["state"].as_array().unwrap().iter().find(|v| v["value"] == "ST").cloned();
    assert_eq!(st.unwrap()["count"], data["text"]["totalCount"], "{data}");
    assert!(!data["text"]["facets"]["year"].as_array().unwrap().is_empty(), "{data}");
    assert_eq!(data["names"]["edges"][0]["node"]["name"], "KISA");

    // around KISA, and from a signatory to an association
    let data = server
        .data(
            &(NAME.to_owned()
                + r#"{ neighbourhood(slug: "sn-kisa", depth: 2) { nodes { ...name } edges { predicate subject { ...name } object { ...name } } }
                 paths(fromSlug: "person-michael-richter", toSlug: "st-landkreistag-sachsen-anhalt", maxHops: 3) {
                   hops { predicate subject { ...name } object { ...name } evidence { sentence } } } }"#),
            json!({}),
        )
        .await;
    let around: Vec<&str> =
        data["neighbourhood"]["nodes"].as_array().unwrap().iter().map(|n| n["name"].as_str().unwrap()).collect();
    assert!(around.contains(&"Gründung der KOMM24 GmbH") && around.contains(&"SAKD"), "{around:?}");
    let kisa = data["neighbourhood"]["nodes"].as_array().unwrap().iter().find(|n| n["name"] == "KISA").unwrap();
    assert_eq!(kisa["__typename"], "Actor");
    let paths = data["paths"].as_array().unwrap();
    assert!(!paths.is_empty(), "{data}");
    let hops = paths[0]["hops"].as_array().unwrap();
    assert!(hops.len() <= 2, "the shortest way: {hops:?}");
    assert!(hops.iter().all(|h| !h["evidence"].as_array().unwrap().is_empty()), "every hop says where: {hops:?}");

    let data =
        server.data("{ stats { announcementsByState { key count } nodesByType { key count } } }", json!({})).await;
    let st = data["stats"]["announcementsByState"].as_array().unwrap().iter().find(|c| c["key"] == "ST").cloned();
    assert_eq!(st.unwrap()["count"], 2);

    // tags with offsets, an announcement's evidence with its place in the text, connections of
    // states and actors
    let data = server
        .data(
            &(NAME.to_owned()
                + r#"{ state(code: SN) { announcements(first: 5) { nodes { title
                     mentions { node { ...name } surface startOffset endOffset method } } }
                   actors(first: 3, filter: { kind: IT_SERVICE_PROVIDER }) { nodes { name kind state { code } } } }
                 actor(slug: "sn-kisa") { announcements(first: 5) { totalCount nodes { title } }
                   agreements { nodes { object { ...name } } }
                   relations(first: 1) { nodes { validFrom evidence { startOffset endOffset announcementUrl } } } } }"#),
            json!({}),
        )
        .await;
    let saxon = data["state"]["announcements"]["nodes"].as_array().unwrap();
    assert_eq!(saxon.len(), 2);
    for a in saxon {
        let mentions = a["mentions"].as_array().unwrap();
        assert!(mentions.iter().any(|m| m["node"]["name"] == "KISA"), "{a}");
        assert!(mentions.iter().all(|m| m["endOffset"].as_i64() > m["startOffset"].as_i64()));
    }
    let providers = data["state"]["actors"]["nodes"].as_array().unwrap();
    assert!(
        !providers.is_empty()
            && providers.iter().all(|a| a["kind"] == "IT_SERVICE_PROVIDER" && a["state"]["code"] == "SN")
    );
    assert_eq!(data["actor"]["announcements"]["nodes"].as_array().unwrap().len(), 2);
    assert_eq!(data["actor"]["announcements"]["totalCount"], 2);
    let kisa_deals = names(&data["actor"]["agreements"], "object");
    assert!(kisa_deals.contains(&"Gründung der KOMM24 GmbH".to_owned()), "{kisa_deals:?}");
    let ev = &data["actor"]["relations"]["nodes"][0]["evidence"][0];
    assert!(ev["announcementUrl"].as_str().unwrap().starts_with("http://"), "{ev}");
    assert!(ev["endOffset"].as_i64().unwrap() > ev["startOffset"].as_i64().unwrap(), "{ev}");

    // announcements naming a service (a slug of the OZG catalogue)
    let data = server.data(r#"{ announcements(filter: { service: "ozg-10519" }) { totalCount } }"#, json!({})).await;
    assert_eq!(data["announcements"]["totalCount"], 1, "the MV text names the Baugenehmigung");

    // incremental sync: nothing changed since now
    let now = chrono::Utc::now().to_rfc3339();
    let data = server
        .data(
            r#"query($t: DateTime) { agreements(first: 10, filter: { modifiedSince: $t }) { totalCount } }"#,
            json!({ "t": now }),
        )
        .await;
    assert_eq!(data["agreements"]["totalCount"], 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_nested_query_costs_the_same_statements_for_3_or_15_nodes() {
    let (_env, server, _site) = harvested().await;
    // the candidates are the actors read from the documents: every one has edges with sentences
    let query = r#"query($n: Int) { actors(first: $n, filter_placeholder) { edges { node { name
        relations(first: 5) { totalCount nodes { predicate object { id ... on Actor { name } }
          evidence { sentence announcement { title publishedDate source { name } } } } }
        announcements(first: 2) { totalCount nodes { title } } } } } }"#
        .replace(", filter_placeholder", ", filter: { status: CANDIDATE }");
    let mut costs = Vec::new();
    for n in [3, 15] {
        // warm: the loaders' first use, the pool's connections
        server.data(&query, json!({ "n": n })).await;
        let before = server.queries_run().await;
        let data = server.data(&query, json!({ "n": n })).await;
        let after = server.queries_run().await;
        assert_eq!(data["actors"]["edges"].as_array().unwrap().len(), n as usize);
        costs.push(after - before);
    }
    // one statement per list and level and per type of the edges' ends, whatever the page size:
    // 12 more actors would cost at least 24 more statements with a query per actor and per edge
    // list. 12 to 14 counted (with the two of `/metrics` and at times the rate limit's).
    assert!(costs[1] <= costs[0] + 3, "statements for 3 and 15 actors: {costs:?}");
    assert!(costs[1] <= 16, "{costs:?}");
    // and the evidence leads to whole announcements
    let data = server.data(&query, json!({ "n": 15 })).await;
    let sources: Vec<&Value> = data["actors"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["node"]["relations"]["nodes"].as_array().unwrap())
        .flat_map(|r| r["evidence"].as_array().unwrap())
        .filter_map(|ev| ev["announcement"].get("source"))
        .collect();
    assert!(sources.len() >= 15 && sources.iter().all(|s| s["name"] == "seed-rss"), "{sources:?}");
}

/// The walk of issue 13: an agreement, its parties, and on from each party to its other
/// agreements and bodies; its signatories with their titles and evidence.
const WALK: &str = r#"agreement_placeholder { name date
    parties(first: 10) { nodes { subject { ... on Actor { name state { code }
      agreements(first: 5) { nodes { object { ... on Agreement { name date } } } }
      bodies(first: 5) { nodes { object { ... on Actor { name } } role } } } } } }
    signatories(first: 10) { nodes { subject { ... on Actor { name } } title
      evidence { sentence announcement { title url } } } } }"#;

#[tokio::test(flavor = "multi_thread")]
async fn the_walk_from_an_agreement_through_its_parties_is_one_request_of_bounded_statements() {
    let (_env, server, _site) = harvested().await;
    // the framework agreement of Saxony-Anhalt of 2014: parties and signatories
    let data =
        server.data(r#"{ agreements(first: 100, filter: { state: ST }) { nodes { slug date } } }"#, json!({})).await;
    let agreements = data["agreements"]["nodes"].as_array().unwrap();
    let slug = agreements.iter().find(|a| a["date"] == "2014-07-09").unwrap()["slug"].as_str().unwrap().to_owned();

    // one agreement, then every agreement at once (many more parties, bodies and ends)
    let one = format!("query($slug: String) {{ {} }}", WALK.replace("agreement_placeholder", "agreement(slug: $slug)"));
    let all = format!("{{ agreements(first: 6) {{ nodes {} }} }}", WALK.replace("agreement_placeholder", ""));
    let mut costs = Vec::new();
    let mut answers = Vec::new();
    for query in [&one, &all] {
        server.data(query, json!({ "slug": slug })).await;
        let before = server.queries_run().await;
        answers.push(server.data(query, json!({ "slug": slug })).await);
        costs.push(server.queries_run().await - before);
    }
    let deal = &answers[0]["agreement"];
    let parties = deal["parties"]["nodes"].as_array().unwrap();
    assert!(parties.len() >= 2, "{deal}");
    // the ends are whole nodes: the parties' states and their own agreements, one request
    let actors: Vec<&Value> = parties.iter().map(|p| &p["subject"]).filter(|s| s["name"].is_string()).collect();
    assert!(actors.len() >= 2, "{deal}");
    assert!(actors.iter().any(|a| a["state"]["code"] == "ST"), "{deal}");
    let signatories = deal["signatories"]["nodes"].as_array().unwrap();
    assert_eq!(signatories.len(), 3, "{deal}");
    assert!(
        signatories
            .iter()
            .all(|s| s["subject"]["name"].is_string() && s["evidence"][0]["announcement"]["url"].is_string())
    );
    let theirs: Vec<&Value> = actors
        .iter()
        .flat_map(|a| a["agreements"]["nodes"].as_array().unwrap())
        .map(|r| &r["object"]["name"])
        .collect();
    assert!(theirs.contains(&&deal["name"]), "each party's agreements include this one: {deal}");

    let rows = |answer: &Value| answer.to_string().matches("\"name\"").count();
    assert!(
        rows(&answers[1]) > 2 * rows(&answers[0]),
        "the list walks more: {} vs {}",
        rows(&answers[1]),
        rows(&answers[0])
    );
    // one statement per list and level and per type of the ends at a level (actors, states,
    // agreements, ...), whatever the number of rows: more rows may bring ends of more types, not
    // a statement per row
    // (12 counted, with the two of `/metrics`)
    assert!(costs[1] <= costs[0] + 5, "statements for one agreement and for six: {costs:?}");
    assert!(costs[1] <= 16, "{costs:?}");
}

/// The fewest statements of `runs` runs of a query (the rate limit's once-a-second sharing of
/// its counts may fall into one), without the two that `/metrics` runs after it read the counter.
async fn fewest_statements(server: &Server, query: &str, runs: usize) -> u64 {
    server.data(query, json!({})).await; // warm: the loaders' first use, the pool's connections
    let mut fewest = u64::MAX;
    for _ in 0..runs {
        let before = server.queries_run().await;
        server.data(query, json!({})).await;
        fewest = fewest.min(server.queries_run().await - before);
    }
    fewest - 2
}

#[tokio::test(flavor = "multi_thread")]
async fn an_announcement_page_sends_no_pings_and_reads_no_states() {
    let (_env, server, _site) = harvested().await;
    let page = "{ announcements(first: 20, filter: { state: ST }) { edges { node { id title publishedAt states { code name } } } } }";
    let data = server.data(page, json!({})).await;
    let edges = data["announcements"]["edges"].as_array().unwrap();
    assert!(!edges.is_empty() && edges.iter().all(|e| e["node"]["states"][0]["name"].is_string()), "{data}");
    // the page, then the states' tags of its announcements; no `SELECT 1` per checkout, the
    // states from memory (it was 5: a ping per checkout and the states table read again)
    assert_eq!(fewest_statements(&server, page, 3).await, 2);
    // the states alone cost nothing
    assert_eq!(fewest_statements(&server, "{ states { code name } state(code: ST) { name } }", 3).await, 0);
    // the page reads the texts only when it shows them
    let texts = server.data("{ announcements(first: 5) { nodes { title text } } }", json!({})).await;
    let nodes = texts["announcements"]["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty() && nodes.iter().all(|n| n["text"].as_str().is_some_and(|t| t.len() > 100)), "{texts}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_state_changed_in_sql_shows_without_a_restart() {
    use diesel_async::RunQueryDsl;
    let (env, server, _site) = harvested().await;
    let query = "{ state(code: ST) { name } states { code name }
        announcements(first: 3, filter: { state: ST }) { edges { node { states { code name } } } } }";
    let names = |data: &Value| -> Vec<String> {
        let mut out = vec![data["state"]["name"].as_str().unwrap().to_owned()];
        out.extend(
            data["states"].as_array().unwrap().iter().filter(|s| s["code"] == "ST").map(|s| s["name"].to_string()),
        );
        for e in data["announcements"]["edges"].as_array().unwrap() {
            let states = e["node"]["states"].as_array().unwrap();
            out.extend(states.iter().filter(|s| s["code"] == "ST").map(|s| s["name"].to_string()));
        }
        out.iter().map(|n| n.trim_matches('"').to_owned()).collect()
    };
    let first = server.data(query, json!({})).await;
    assert!(names(&first).len() >= 3 && names(&first).iter().all(|n| n == "Sachsen-Anhalt"), "{first}");

    let mut conn = govgraph_shared::db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    // the API answers every state, the page's included, with the new name once it is notified
    let renamed_to = |name: &'static str| {
        let server = &server;
        async move {
            for _ in 0..100 {
                let data = server.data(query, json!({})).await;
                if names(&data).iter().all(|n| n == name) {
                    return;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            panic!("still not {name}: {}", server.data(query, json!({})).await);
        }
    };
    diesel::sql_query("UPDATE states SET name = 'Land Sachsen-Anhalt' WHERE code = 'ST'")
        .execute(&mut conn)
        .await
        .unwrap();
    renamed_to("Land Sachsen-Anhalt").await;

    // the listening connection is cut; a change made while it is away shows once it is back
    let cut: Vec<Cut> = diesel::sql_query(
        "SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'LISTEN govgraph_%'",
    )
    .load(&mut conn)
    .await
    .unwrap();
    assert!(cut.len() == 1 && cut[0].done, "the API's one LISTEN connection");
    diesel::sql_query("UPDATE states SET name = 'Sachsen-Anhalt' WHERE code = 'ST'").execute(&mut conn).await.unwrap();
    renamed_to("Sachsen-Anhalt").await;
    // and it listens again
    diesel::sql_query("UPDATE states SET name = 'Sachsen-Anhalt (LSA)' WHERE code = 'ST'")
        .execute(&mut conn)
        .await
        .unwrap();
    renamed_to("Sachsen-Anhalt (LSA)").await;
}

#[derive(diesel::QueryableByName)]
struct Cut {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    done: bool,
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_ids_are_a_few_statements() {
    let (_env, server, _site) = harvested().await;
    let data = server
        .data(
            "{ actors(first: 30) { nodes { id } } agreements(first: 10) { nodes { id } } sources { nodes { id } } }",
            json!({}),
        )
        .await;
    let mut ids: Vec<Value> = ["actors", "agreements", "sources"]
        .iter()
        .flat_map(|list| data[*list]["nodes"].as_array().unwrap().iter().map(|n| n["id"].clone()))
        .collect();
    let state = server.data(r#"{ state(code: ST) { id } }"#, json!({})).await;
    while ids.len() < 50 {
        ids.push(state["state"]["id"].clone());
    }
    let query =
        "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Actor { name } ... on State { code } } }";
    // five ids of the same four types, then fifty
    let (a, g) =
        (data["actors"]["nodes"].as_array().unwrap().len(), data["agreements"]["nodes"].as_array().unwrap().len());
    ids.truncate(50);
    let mut costs = Vec::new();
    let mut data = Value::Null;
    let five: Vec<Value> = [0, 1, a, a + g, 49].iter().map(|i| ids[*i].clone()).collect();
    for asked in [&five, &ids] {
        server.data(query, json!({ "ids": asked })).await;
        let before = server.queries_run().await;
        data = server.data(query, json!({ "ids": asked })).await;
        costs.push(server.queries_run().await - before);
    }
    let found = data["nodes"].as_array().unwrap();
    assert_eq!(found.iter().map(|n| n["id"].clone()).collect::<Vec<_>>(), ids, "in the order asked");
    assert!(found.iter().any(|n| n["__typename"] == "State" && n["code"] == "ST"));
    // the survivors of merges, then one statement per type (actors, agreements, sources; the
    // states from memory): not one per id (it was 152 for 50 ids). 6 counted, with the two of
    // `/metrics`.
    assert!(costs[1] <= costs[0], "5 and 50 ids: {costs:?}");
    assert!(costs[1] <= 8, "50 ids cost {costs:?} statements");
}

#[tokio::test(flavor = "multi_thread")]
async fn exports_stream_the_graph_for_gephi_spreadsheets_and_linked_data() {
    let (_env, server, _site) = harvested().await;
    let get = |path: &str| {
        let url = format!("{}{path}", server.url);
        async move {
            let r = reqwest::get(url).await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, nodes) = get("/export/nodes.csv?state=SN&type=actor").await;
    assert_eq!(status, 200);
    let mut lines = nodes.lines();
    assert_eq!(lines.next(), Some("id,type,kind,name,slug,state,status"));
    let rows: Vec<&str> = lines.collect();
    assert!(rows.iter().any(|r| r.contains(",KISA,sn-kisa,SN,")), "{}", &nodes[..nodes.len().min(2000)]);
    assert!(rows.iter().all(|r| r.contains(",SN,")));

    let (_, edges) = get("/export/edges.csv?predicate=signed").await;
    let signed: Vec<&str> = edges.lines().skip(1).collect();
    assert_eq!(signed.len(), 3, "{edges}");
    assert!(signed.iter().all(|r| r.contains("Unterschrift") && r.contains("http://")), "{edges}");

    // GraphML: every edge's ends are nodes of the file
    let (_, graphml) = get("/export/graph.graphml?state=ST").await;
    assert!(graphml.starts_with("<?xml") && graphml.trim_end().ends_with("</graphml>"));
    let ids: std::collections::HashSet<&str> =
        graphml.split("<node id=\"").skip(1).map(|s| s.split('"').next().unwrap()).collect();
    let edges: Vec<(&str, &str)> = graphml
        .split("<edge id=\"")
        .skip(1)
        .map(|s| {
            let source = s.split("source=\"").nth(1).unwrap().split('"').next().unwrap();
            let target = s.split("target=\"").nth(1).unwrap().split('"').next().unwrap();
            (source, target)
        })
        .collect();
    assert!(ids.len() > 10 && !edges.is_empty(), "{} nodes, {} edges", ids.len(), edges.len());
    assert!(edges.iter().all(|(s, t)| ids.contains(s) && ids.contains(t)));

    let (_, jsonld) = get("/export/graph.jsonld?state=SN").await;
    let doc: Value = serde_json::from_str(&jsonld).expect("valid JSON");
    let graph = doc["@graph"].as_array().unwrap();
    let node_ids: std::collections::HashSet<&str> =
        graph.iter().filter(|g| g["@type"] != "Relation").map(|g| g["@id"].as_str().unwrap()).collect();
    let relations: Vec<&Value> = graph.iter().filter(|g| g["@type"] == "Relation").collect();
    assert!(!relations.is_empty());
    assert!(relations.iter().all(|r| node_ids.contains(r["subject"]["@id"].as_str().unwrap())));

    assert_eq!(get("/export/graph.xlsx").await.0, 404);
    assert_eq!(get("/export/nodes.csv?type=planet").await.0, 400);
}
