//! Reloading the reference data (every start, `govgraph migrate`, a catalogue load) keeps what
//! editors decided: a reference node confirmed or rejected with `force: true` keeps its status,
//! and the aliases added by hand (or by a merge) stay beside the reference data's own.

mod common;

use common::{Env, stderr, stdout};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::json;

const TOKEN: &str = "reload-token";

#[derive(diesel::QueryableByName, Debug)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::Text)]
    status: String,
    #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Text>)]
    aliases: Vec<String>,
}

async fn row(url: &str, slug: &str) -> Row {
    let mut conn = AsyncPgConnection::establish(url).await.unwrap();
    diesel::sql_query("SELECT status, aliases FROM actors WHERE slug = $1")
        .bind::<diesel::sql_types::Text, _>(slug)
        .get_result(&mut conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_reload_keeps_forced_statuses_and_added_aliases() {
    let env = Env::new().await;
    let mut cmd = env.command();
    cmd.args(["serve", "--bind", "127.0.0.1:0"]).env("GOVGRAPH_API_TOKEN", format!("ed:{TOKEN}"));
    let mut server = common::spawn(cmd).await;

    // two reference actors of the reference data
    let found = server
        .data(
            "{ actors(first: 2, filter: { status: REFERENCE, kind: GOVERNMENT }) { nodes { id slug aliases } } }",
            json!({}),
        )
        .await;
    let (rejected, aliased) = (&found["actors"]["nodes"][0], &found["actors"]["nodes"][1]);
    let before = row(&env.db.url, aliased["slug"].as_str().unwrap()).await;
    assert!(!before.aliases.is_empty(), "the reference data gives aliases: {before:?}");
    let answer = server
        .graphql_as(TOKEN, "mutation($id: ID!) { reject(id: $id, force: true) }", json!({ "id": rejected["id"] }))
        .await;
    assert_eq!(answer["data"]["reject"], true, "{answer}");
    let answer = server
        .graphql_as(
            TOKEN,
            "mutation($id: ID!) { addAlias(id: $id, alias: \"Testregierung am Fluss\") }",
            json!({ "id": aliased["id"] }),
        )
        .await;
    assert_eq!(answer["data"]["addAlias"], true, "{answer}");
    server.terminate().await;

    // the reference data is loaded again
    let out = env.run(&["migrate"]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));

    let after = row(&env.db.url, rejected["slug"].as_str().unwrap()).await;
    assert_eq!(after.status, "rejected", "the forced rejection outlives the reload");
    let after = row(&env.db.url, aliased["slug"].as_str().unwrap()).await;
    assert_eq!(after.status, "reference");
    assert!(after.aliases.contains(&"Testregierung am Fluss".to_owned()), "the added alias stays: {after:?}");
    for alias in &before.aliases {
        assert!(after.aliases.contains(alias), "and the reference data's own: {after:?}");
    }
    assert_eq!(after.aliases.len(), before.aliases.len() + 1, "no alias twice: {after:?}");
}
