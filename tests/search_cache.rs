//! The counts of a search asked again come from the process's cache only while the data stands
//! where it stood: a change by another process (here plain SQL, as the worker would write) or by a
//! mutation shows in the very next search.

mod common;

use common::Env;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::{Value, json};

const TOKEN: &str = "cache-token";
const QUERY: &str = "query($q: String!) { search(query: $q) { totalCount \
    facets { type { value count } state { value count } } edges { node { __typename } } } }";

fn announcements_on_page(answer: &Value) -> usize {
    answer["search"]["edges"].as_array().unwrap().iter().filter(|e| e["node"]["__typename"] == "Announcement").count()
}

fn count_of(answer: &Value, facet: &str, value: &str) -> i64 {
    answer["search"]["facets"][facet]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["value"] == value)
        .map_or(0, |f| f["count"].as_i64().unwrap())
}

#[tokio::test]
async fn cached_counts_follow_every_change() {
    let env = Env::new().await;
    let site = common::seed_site().await;
    env.harvest_seed_site(&site).await;
    let mut cmd = env.command();
    cmd.args(["serve", "--bind", "127.0.0.1:0"]).env("GOVGRAPH_API_TOKEN", format!("ed:{TOKEN}"));
    let server = common::spawn(cmd).await;
    let vars = json!({ "q": "Rahmenvereinbarung" });

    let first = server.data(QUERY, vars.clone()).await;
    let again = server.data(QUERY, vars.clone()).await;
    assert_eq!(first, again, "the same search, the same counts");
    let announcements = count_of(&first, "type", "ANNOUNCEMENT");
    let agreements = count_of(&first, "type", "AGREEMENT");
    assert!(announcements >= 2 && agreements >= 2, "{first}");

    // another process deletes an announcement: the next search counts one fewer
    let mut conn = AsyncPgConnection::establish(&env.db.url).await.unwrap();
    diesel::sql_query(
        "UPDATE documents SET deleted_at = now() WHERE id = (SELECT min(id) FROM documents \
         WHERE search @@ websearch_to_tsquery('german', 'Rahmenvereinbarung') AND deleted_at IS NULL)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let after_delete = server.data(QUERY, vars.clone()).await;
    assert_eq!(count_of(&after_delete, "type", "ANNOUNCEMENT"), announcements - 1, "{after_delete}");
    assert_eq!(announcements_on_page(&after_delete), announcements_on_page(&first) - 1, "the page of hits too");
    assert_eq!(
        after_delete["search"]["totalCount"].as_i64().unwrap(),
        first["search"]["totalCount"].as_i64().unwrap() - 1
    );

    // an editor rejects an agreement: the next search leaves it out
    let found = server
        .data("{ agreements(first: 1, filter: { text: \"Rahmenvereinbarung\" }) { nodes { id } } }", json!({}))
        .await;
    let id = found["agreements"]["nodes"][0]["id"].clone();
    let done =
        server.graphql_as(TOKEN, "mutation($id: ID!) { reject(id: $id, force: true) }", json!({ "id": id })).await;
    assert_eq!(done["data"]["reject"], true, "{done}");
    let after_reject = server.data(QUERY, vars).await;
    assert_eq!(count_of(&after_reject, "type", "AGREEMENT"), agreements - 1, "{after_reject}");
}
