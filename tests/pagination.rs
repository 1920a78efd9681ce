//! Relay paging on every connection, root lists and the edge lists of nodes alike: walking
//! forwards with `first`/`after` and backwards with `last`/`before` meets the same items in the
//! same order, `pageInfo` says where the ends are, `totalCount` counts them, a window between two
//! cursors holds what lies between, and bad paging arguments get `BAD_USER_INPUT`.

mod common;

use common::{Env, Server, stderr, stdout};
use serde_json::{Value, json};

/// A connection query: `LIST` is the field with its own arguments up to where the paging
/// arguments go; `WRAP` puts it into a whole query (for the edge lists of one node).
struct List {
    name: &'static str,
    field: &'static str,
    wrap: fn(String) -> String,
    path: &'static [&'static str],
}

fn root(inner: String) -> String {
    format!("query($first: Int, $after: String, $last: Int, $before: String) {{ {inner} }}")
}

fn burgenlandkreis(inner: String) -> String {
    root(format!(r#"actor(ags: "15084") {{ {inner} }}"#))
}

fn query(list: &List) -> String {
    (list.wrap)(format!(
        "{}first: $first, after: $after, last: $last, before: $before) {{ totalCount \
         pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} edges {{ cursor node {{ id }} }} nodes {{ id }} }}",
        list.field
    ))
}

struct Answer {
    ids: Vec<String>,
    total: i64,
    page_info: Value,
}

async fn page(server: &Server, list: &List, vars: Value) -> Answer {
    let data = server.data(&query(list), vars).await;
    let mut conn = &data;
    for key in list.path {
        conn = &conn[key];
    }
    let ids: Vec<String> =
        conn["edges"].as_array().unwrap().iter().map(|e| e["node"]["id"].as_str().unwrap().to_owned()).collect();
    let nodes: Vec<&str> = conn["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert_eq!(ids, nodes, "{}: `nodes` are the nodes of `edges`", list.name);
    Answer { ids, total: conn["totalCount"].as_i64().unwrap(), page_info: conn["pageInfo"].clone() }
}

/// The `endCursor` of a page.
async fn end_cursor(server: &Server, list: &List, vars: Value) -> Value {
    let data = server.data(&query(list), vars).await;
    let mut conn = &data;
    for key in list.path {
        conn = &conn[key];
    }
    conn["pageInfo"]["endCursor"].clone()
}

/// Walks the whole list forwards and backwards in pages of `k`; returns it in list order.
async fn walk(server: &Server, list: &List, k: i64) -> Vec<String> {
    let mut forward = Vec::new();
    let mut after = Value::Null;
    let mut total = None;
    for n in 0.. {
        assert!(n < 1000, "{}: no end", list.name);
        let a = page(server, list, json!({ "first": k, "after": after })).await;
        assert!(a.ids.len() as i64 <= k);
        assert_eq!(a.page_info["hasPreviousPage"], n > 0, "{}: page {n} forwards", list.name);
        total.get_or_insert(a.total);
        forward.extend(a.ids);
        if a.page_info["hasNextPage"] == false {
            break;
        }
        after = a.page_info["endCursor"].clone();
    }
    assert_eq!(total, Some(forward.len() as i64), "{}: totalCount", list.name);
    // past the end: no items, and still the whole count
    let last = end_cursor(server, list, json!({ "last": 1 })).await;
    let past = page(server, list, json!({ "first": k, "after": last })).await;
    assert!(past.ids.is_empty(), "{}", list.name);
    assert_eq!(past.total, forward.len() as i64, "{}: totalCount of an empty page", list.name);
    assert_eq!(past.page_info["hasNextPage"], false);

    let mut backward: Vec<Vec<String>> = Vec::new();
    let mut before = Value::Null;
    for n in 0.. {
        assert!(n < 1000, "{}: no start", list.name);
        let a = page(server, list, json!({ "last": k, "before": before })).await;
        assert_eq!(a.page_info["hasNextPage"], n > 0, "{}: page {n} backwards", list.name);
        assert_eq!(a.total, forward.len() as i64, "{}: totalCount backwards", list.name);
        let more = a.page_info["hasPreviousPage"] == true;
        before = a.page_info["startCursor"].clone();
        backward.push(a.ids);
        if !more {
            break;
        }
    }
    let backward: Vec<String> = backward.into_iter().rev().flatten().collect();
    assert_eq!(forward, backward, "{}: the same items in the same order both ways", list.name);
    forward
}

#[tokio::test(flavor = "multi_thread")]
async fn every_connection_pages_forwards_and_backwards() {
    let site = common::seed_site().await;
    let env = Env::new().await;
    let out = env.run(&["bootstrap"]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let sources = env.sources(&format!(
        "[[source]]\nname = \"seed-rss\"\nkind = \"rss\"\nurl = \"{0}/feed.xml\"\n\n\
         [[source]]\nname = \"seed-atom\"\nkind = \"rss\"\nurl = \"{0}/atom.xml\"\n",
        site.base
    ));
    for source in ["seed-rss", "seed-atom"] {
        let out = env.run(&["harvest", "--sources", sources.to_str().unwrap(), "--source", source]).await;
        assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    }
    let server = env.spawn_server(&["serve", "--bind", "127.0.0.1:0"]).await;

    let lists = [
        List { name: "actors", field: r#"actors(filter: { state: SL }, "#, wrap: root, path: &["actors"] },
        List { name: "announcements", field: "announcements(", wrap: root, path: &["announcements"] },
        List {
            name: "projects",
            field: r#"projects(filter: { kind: OZG_THEMENFELD }, "#,
            wrap: root,
            path: &["projects"],
        },
        List { name: "agreements", field: "agreements(", wrap: root, path: &["agreements"] },
        List { name: "services", field: r#"services(filter: { text: "bau" }, "#, wrap: root, path: &["services"] },
        List { name: "harvestRuns", field: "harvestRuns(", wrap: root, path: &["harvestRuns"] },
        List { name: "sources", field: "sources(", wrap: root, path: &["sources"] },
        List {
            name: "an actor's relations",
            field: "relations(filter: { direction: INCOMING }, ",
            wrap: burgenlandkreis,
            path: &["actor", "relations"],
        },
    ];
    let mut walked = Vec::new();
    for (list, k) in lists.iter().zip([7, 2, 4, 2, 9, 1, 1, 6]) {
        let items = walk(&server, list, k).await;
        assert!(items.len() as i64 > k, "{}: more than one page ({} items)", list.name, items.len());
        walked.push(items);
    }
    assert_eq!(walked[2].len(), 14, "the 14 Themenfelder");

    // a window between two cursors holds what lies between them, from either end
    let actors = &lists[0];
    let all = page(&server, actors, json!({ "first": 20 })).await;
    let edges = server.data(&query(actors), json!({ "first": 20 })).await.pointer("/actors/edges").cloned().unwrap();
    let (a, b) = (edges[3]["cursor"].clone(), edges[10]["cursor"].clone());
    let between = page(&server, actors, json!({ "first": 100, "after": a, "before": b })).await;
    assert_eq!(between.ids, all.ids[4..10]);
    let last_two = page(&server, actors, json!({ "last": 2, "after": a, "before": b })).await;
    assert_eq!(last_two.ids, all.ids[8..10]);
    assert_eq!(last_two.page_info["hasPreviousPage"], true);

    // edge lists of agreements and actors are connections too, with their totals
    let data = server
        .data(
            r#"{ agreements(first: 20) { nodes { name parties(first: 1) { totalCount nodes { subject { id } }
                 pageInfo { hasNextPage } } signatories(last: 1) { totalCount nodes { subject { id } } } } } }"#,
            json!({}),
        )
        .await;
    let with_parties: Vec<&Value> = data["agreements"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["parties"]["totalCount"].as_i64().unwrap() > 1)
        .collect();
    assert!(!with_parties.is_empty(), "{data}");
    for a in with_parties {
        assert_eq!(a["parties"]["nodes"].as_array().unwrap().len(), 1);
        assert_eq!(a["parties"]["pageInfo"]["hasNextPage"], true, "{a}");
    }

    // bad paging arguments are clear errors
    for (vars, what) in [
        (json!({ "first": 2, "last": 2 }), "first and last"),
        (json!({ "last": 101 }), "last over 100"),
        (json!({ "last": -1 }), "negative last"),
        (json!({ "first": 2, "before": "bm9wZQ" }), "a cursor of nothing"),
    ] {
        let answer = server.graphql(&query(actors), vars).await;
        assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{what}: {answer}");
    }
    let run_cursor =
        server.data(&query(&lists[5]), json!({ "first": 1 })).await["harvestRuns"]["pageInfo"]["endCursor"].clone();
    let answer = server.graphql(&query(actors), json!({ "last": 2, "before": run_cursor })).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "a cursor of another list: {answer}");
}
