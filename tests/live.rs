//! Live and editorial: subscriptions over WebSocket receive what a harvest in another process
//! stores (LISTEN/NOTIFY), and mutations need a token, change the graph and leave an audit trail.

mod common;

use std::time::Duration;

use common::Env;
use diesel_async::RunQueryDsl;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

#[tokio::test(flavor = "multi_thread")]
async fn subscribers_see_what_a_harvest_in_another_process_stores() {
    let site = common::seed_site().await;
    let env = Env::new().await;
    let server = env.spawn_server(&["serve", "--bind", "127.0.0.1:0"]).await;

    let mut request = format!("{}/graphql", server.url.replace("http://", "ws://")).into_client_request().unwrap();
    request.headers_mut().insert("sec-websocket-protocol", "graphql-transport-ws".parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.expect("a WebSocket");
    let send = |v: Value| Message::Text(v.to_string().into());
    ws.send(send(json!({ "type": "connection_init" }))).await.unwrap();
    let ack: Value = match ws.next().await.unwrap().unwrap() {
        Message::Text(t) => serde_json::from_str(&t).unwrap(),
        other => panic!("{other:?}"),
    };
    assert_eq!(ack["type"], "connection_ack");
    ws.send(send(json!({ "id": "a", "type": "subscribe",
        "payload": { "query": "subscription { announcementAdded(filter: { state: SN }) { title states { code } } }" } })))
        .await
        .unwrap();
    ws.send(send(json!({ "id": "r", "type": "subscribe",
        "payload": { "query": "subscription { relationAdded(filter: { predicate: SIGNED }) { subject { ... on Actor { name } } evidence { sentence } } }" } })))
        .await
        .unwrap();
    // a journalist following one actor: the announcements that name it, and its new edges
    ws.send(send(json!({ "id": "k", "type": "subscribe",
        "payload": { "query": "subscription { announcementAdded(filter: { actor: \"sn-kisa\" }) { title } }" } })))
        .await
        .unwrap();
    ws.send(send(json!({ "id": "ke", "type": "subscribe",
        "payload": { "query": "subscription { relationAdded(filter: { node: \"sn-kisa\" }) { predicate subject { ... on Actor { name } ... on Agreement { name } ... on Project { name } ... on State { name } } object { ... on Actor { name } ... on Agreement { name } ... on Project { name } ... on State { name } } } }" } })))
        .await
        .unwrap();
    ws.send(send(json!({ "id": "bad", "type": "subscribe",
        "payload": { "query": "subscription { announcementAdded(filter: { body: \"no-such-body\" }) { title } }" } })))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    env.harvest_seed_site(&site).await;

    let (mut saxon, mut signers, mut kisa, mut kisa_edges, mut refused) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while (saxon.len() < 2 || signers.len() < 3 || kisa.len() < 2 || kisa_edges.is_empty() || refused.is_empty())
        && tokio::time::Instant::now() < deadline
    {
        let Ok(Some(Ok(Message::Text(t)))) = tokio::time::timeout(Duration::from_secs(5), ws.next()).await else {
            continue;
        };
        let m: Value = serde_json::from_str(&t).unwrap();
        if m["type"] == "error" || m["payload"].get("errors").is_some() {
            // an error of the subscription itself, or of its field (`next` with `errors`)
            let errors = if m["type"] == "error" { &m["payload"] } else { &m["payload"]["errors"] };
            refused.push((m["id"].clone(), errors[0]["extensions"]["code"].clone()));
            continue;
        }
        if m["type"] != "next" {
            continue;
        }
        let data = &m["payload"]["data"];
        match m["id"].as_str() {
            Some("a") => saxon.push(m["payload"]["data"]["announcementAdded"]["title"].as_str().unwrap().to_owned()),
            Some("k") => kisa.push(data["announcementAdded"]["title"].as_str().unwrap().to_owned()),
            Some("ke") => kisa_edges.push(data["relationAdded"].clone()),
            Some("r") => {
                signers.push(m["payload"]["data"]["relationAdded"]["subject"]["name"].as_str().unwrap().to_owned())
            }
            _ => {}
        }
    }
    assert_eq!(saxon.len(), 2, "the two Saxon announcements: {saxon:?}");
    signers.sort();
    assert_eq!(signers, ["Heinz-Lothar Theel", "Jürgen Leindecker", "Michael Richter"]);
    saxon.sort();
    kisa.sort();
    assert_eq!(kisa, saxon, "both Saxon announcements name KISA, the others do not");
    assert!(!kisa_edges.is_empty());
    for e in &kisa_edges {
        assert!(e["subject"]["name"] == "KISA" || e["object"]["name"] == "KISA", "{e}");
    }
    assert_eq!(refused, [(json!("bad"), json!("BAD_USER_INPUT"))], "an unknown body is a clear error");
}

#[tokio::test(flavor = "multi_thread")]
async fn editors_with_a_token_curate_the_graph_and_are_audited() {
    let site = common::seed_site().await;
    let env = Env::new().await;
    // the register, so that "der Stadt Wilsdruff, Ralf Rother" is read
    assert!(env.run(&["bootstrap"]).await.status.success());
    env.harvest_seed_site(&site).await;
    let mut cmd = env.command();
    cmd.args(["serve", "--bind", "127.0.0.1:0"]).env("GOVGRAPH_API_TOKEN", "alice:s3cret-token");
    let server = common::spawn(cmd).await;
    let post = |query: &str, variables: Value, token: Option<&str>| {
        let mut r = reqwest::Client::new()
            .post(format!("{}/graphql", server.url))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        async move { r.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let ids = post(
        r#"{ a: actor(slug: "person-sven-schulze") { id } b: actor(slug: "person-ralf-rother") { id }
             r: actor(slug: "person-michael-richter") { id status } }"#,
        json!({}),
        None,
    )
    .await;
    let (schulze, rother, richter) =
        (ids["data"]["a"]["id"].clone(), ids["data"]["b"]["id"].clone(), ids["data"]["r"]["id"].clone());
    assert_eq!(ids["data"]["r"]["status"], "CANDIDATE", "{ids}");
    assert!(!ids["data"]["a"].is_null() && !ids["data"]["b"].is_null(), "{ids}");

    let before_edits = chrono::Utc::now().to_rfc3339();
    let confirm = "mutation($id: ID!) { confirm(id: $id) }";
    for token in [None, Some("wrong")] {
        let answer = post(confirm, json!({ "id": richter }), token).await;
        assert_eq!(answer["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{answer}");
    }
    let token = Some("s3cret-token");
    assert_eq!(post(confirm, json!({ "id": richter }), token).await["data"]["confirm"], true);
    let answer = post(
        "mutation($id: ID!) { addAlias(id: $id, alias: \"Finanzstaatssekretär Richter\") }",
        json!({ "id": richter }),
        token,
    )
    .await;
    assert_eq!(answer["data"]["addAlias"], true, "{answer}");
    let answer = post(
        "mutation($s: ID!, $l: ID!) { mergeActors(survivor: $s, loser: $l) }",
        json!({ "s": rother, "l": schulze }),
        token,
    )
    .await;
    assert_eq!(answer["data"]["mergeActors"], true, "{answer}");
    let answer = post("mutation { startHarvest(source: \"seed-rss\") }", json!({}), token).await;
    assert_eq!(answer["data"]["startHarvest"], true, "{answer}");
    let answer = post(
        "mutation { putSource(name: \"extra\", kind: RSS, url: \"https://example.org/feed.xml\", schedule: \"0 0 6 * * *\", state: SN) }",
        json!({}),
        token,
    )
    .await;
    assert_eq!(answer["data"]["putSource"], "extra", "{answer}");
    let bad = post("mutation { putSource(name: \"x\", kind: RSS, url: \"u\") }", json!({}), token).await;
    assert_eq!(bad["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{bad}");
    // a kind outside the vocabulary does not even run
    let bad = post("mutation { putSource(name: \"x\", kind: NOPE, url: \"u\") }", json!({}), token).await;
    assert_eq!(bad["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED", "{bad}");

    // the merged id resolves to the survivor, who has the name as an alias and the edges
    let data = post(
        r#"query($id: ID!, $r: ID!) { node(id: $id) { ... on Actor { name aliases relations(filter: { predicates: [HOLDS_POSITION] }) { nodes { object { ... on Actor { name } } } } } }
             richter: node(id: $r) { ... on Actor { status aliases } } }"#,
        json!({ "id": schulze, "r": richter }),
        None,
    )
    .await["data"]
        .clone();
    assert_eq!(data["node"]["name"], "Ralf Rother");
    assert!(data["node"]["aliases"].as_array().unwrap().iter().any(|a| a == "Sven Schulze"), "{data}");
    let places: Vec<&str> = data["node"]["relations"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["object"]["name"].as_str().unwrap())
        .collect();
    assert!(places.contains(&"Chemnitz, Stadt") && places.contains(&"Wilsdruff, Stadt"), "{places:?}");
    assert_eq!(data["richter"]["status"], "CONFIRMED");

    // lists leave the merged actor out; a sync since before the edits gets it as a tombstone
    let lists = post(
        r#"query($t: DateTime) { now: actors(filter: { text: "Sven Schulze" }) { totalCount }
             sync: actors(filter: { text: "Sven Schulze", modifiedSince: $t }) { edges { node { id name mergedInto deleted } } } }"#,
        json!({ "t": before_edits }),
        None,
    )
    .await;
    assert_eq!(lists["data"]["now"]["totalCount"], 0, "{lists}");
    let tomb = &lists["data"]["sync"]["edges"][0]["node"];
    assert_eq!((tomb["id"].clone(), tomb["mergedInto"].clone()), (schulze.clone(), rother.clone()), "{lists}");

    // every change is in the audit log with who did it
    let mut conn = govgraph_shared::db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    #[derive(diesel::QueryableByName)]
    struct Line {
        #[diesel(sql_type = diesel::sql_types::Text)]
        who: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        action: String,
    }
    let lines: Vec<Line> =
        diesel::sql_query("SELECT who, action FROM audit_log ORDER BY id").load(&mut conn).await.unwrap();
    let actions: Vec<&str> = lines.iter().map(|l| l.action.as_str()).collect();
    assert_eq!(actions, ["set_status:confirmed", "add_alias", "merge_actors", "request_harvest", "put_source"]);
    assert!(lines.iter().all(|l| l.who == "alice"));
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let queued: N = diesel::sql_query("SELECT count(*) AS n FROM jobs").get_result(&mut conn).await.unwrap();
    assert_eq!(queued.n, 1, "the harvest waits for a worker");
}
