//! Curation takes only the ids it is meant for: a mutation given the id of another type (a real
//! one, or one carrying the number of a node it would accept) answers `BAD_USER_INPUT` and changes
//! nothing; and reference nodes (the reference data, the register's units) are changed only with
//! `force: true`, which the audit log records.

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{Env, Server, stderr, stdout};
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};

const TOKEN: &str = "s3cret-token";

async fn serve_with_token(env: &Env) -> Server {
    let mut cmd = env.command();
    cmd.args(["serve", "--bind", "127.0.0.1:0"]).env("GOVGRAPH_API_TOKEN", format!("alice:{TOKEN}"));
    common::spawn(cmd).await
}

/// The answer to a mutation sent with the editor's token, errors included.
async fn mutate(server: &Server, query: &str, variables: Value) -> Value {
    server.graphql_as(TOKEN, query, variables).await
}

/// The type and key inside a global id.
fn decode(id: &Value) -> (String, String) {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(id.as_str().unwrap()).unwrap()).unwrap();
    let (t, key) = text.split_once(':').unwrap();
    (t.to_owned(), key.to_owned())
}

/// A global id of `type_name` with `key`, as the API would write it.
fn forge(type_name: &str, key: &str) -> Value {
    json!(URL_SAFE_NO_PAD.encode(format!("{type_name}:{key}")))
}

#[derive(diesel::QueryableByName)]
struct Snapshot {
    #[diesel(sql_type = diesel::sql_types::Text)]
    snapshot: String,
}

/// Everything a curation mutation could change, in one string: the audit log, the nodes (status,
/// names, aliases, merges, times), the edges and the mentions.
async fn snapshot(env: &Env) -> String {
    let mut conn = govgraph_shared::db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    let rows =
        |table: &str| format!("(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM {table} t)");
    let sql = format!(
        "SELECT concat_ws('|', (SELECT count(*) FROM audit_log), {}, {}, {}, {}, {}, {}, {}, {}, {}) AS snapshot",
        rows("entities"),
        rows("actors"),
        rows("projects"),
        rows("agreements"),
        rows("services"),
        rows("relations"),
        rows("evidence"),
        rows("mentions"),
        rows("sources"),
    );
    diesel::sql_query(sql).get_result::<Snapshot>(&mut conn).await.unwrap().snapshot
}

fn code(answer: &Value) -> &Value {
    &answer["errors"][0]["extensions"]["code"]
}

#[tokio::test(flavor = "multi_thread")]
async fn every_mutation_refuses_the_id_of_another_type_and_changes_nothing() {
    let site = common::seed_site().await;
    let env = Env::new().await;
    let out = env.run(&["bootstrap"]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    env.harvest_seed_site(&site).await;
    let server = serve_with_token(&env).await;

    let data = server
        .data(
            r#"{ candidate: actor(slug: "person-michael-richter") { id status }
                 other: actor(slug: "person-sven-schulze") { id }
                 announcements(first: 1) { nodes { id } }
                 agreements(first: 1) { nodes { id } }
                 kisa: actor(slug: "sn-kisa") { relations { nodes { id } } }
                 projects(first: 1) { nodes { id } }
                 services(first: 1) { nodes { id } }
                 sources(first: 1) { nodes { id } }
                 harvestRuns(first: 1) { nodes { id } }
                 state(code: HE) { id } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["candidate"]["status"], "CANDIDATE", "{data}");
    let real: Vec<(&str, Value)> = vec![
        ("Actor", data["candidate"]["id"].clone()),
        ("Announcement", data["announcements"]["nodes"][0]["id"].clone()),
        ("Relation", data["kisa"]["relations"]["nodes"][0]["id"].clone()),
        ("Agreement", data["agreements"]["nodes"][0]["id"].clone()),
        ("Project", data["projects"]["nodes"][0]["id"].clone()),
        ("Service", data["services"]["nodes"][0]["id"].clone()),
        ("Source", data["sources"]["nodes"][0]["id"].clone()),
        ("HarvestRun", data["harvestRuns"]["nodes"][0]["id"].clone()),
        ("State", data["state"]["id"].clone()),
    ];
    for (t, id) in &real {
        assert!(id.is_string(), "an id of each type: {t} in {data}");
        assert_eq!(&decode(id).0, t);
    }
    let actor_number = decode(&data["candidate"]["id"]).1;
    let relation_number = decode(&real[2].1).1;
    let other_actor = data["other"]["id"].clone();

    // (mutation, the types it takes, the number a forged id of another type carries)
    let entity_types = ["Actor", "Project", "Agreement", "Service"];
    let cases: Vec<(&str, &str, Vec<&str>, &str)> = vec![
        ("confirm", "mutation($id: ID!) { confirm(id: $id) }", entity_types.to_vec(), &actor_number),
        ("reject", "mutation($id: ID!) { reject(id: $id) }", entity_types.to_vec(), &actor_number),
        (
            "addAlias",
            "mutation($id: ID!) { addAlias(id: $id, alias: \"Irgendwer\") }",
            entity_types.to_vec(),
            &actor_number,
        ),
        (
            "setRelationStatus",
            "mutation($id: ID!) { setRelationStatus(id: $id, status: REJECTED) }",
            vec!["Relation"],
            &relation_number,
        ),
        (
            "mergeActors(loser)",
            "mutation($id: ID!, $o: ID!) { mergeActors(survivor: $o, loser: $id) }",
            vec!["Actor"],
            &actor_number,
        ),
        (
            "mergeActors(survivor)",
            "mutation($id: ID!, $o: ID!) { mergeActors(survivor: $id, loser: $o) }",
            vec!["Actor"],
            &actor_number,
        ),
    ];

    let before = snapshot(&env).await;
    for (name, query, takes, number) in &cases {
        for (t, real_id) in real.iter().filter(|(t, _)| !takes.contains(t)) {
            for id in [real_id.clone(), forge(t, number)] {
                let answer = mutate(&server, query, json!({ "id": id, "o": other_actor })).await;
                assert_eq!(code(&answer), "BAD_USER_INPUT", "{name} with a {t} id {id} ({:?}): {answer}", decode(&id));
                assert!(answer["data"].is_null(), "{name} with a {t} id: {answer}");
            }
        }
    }
    assert_eq!(snapshot(&env).await, before, "a refused mutation changed the graph or the audit log");

    // reading is typed too: a node filter or a neighbourhood takes no announcement for an actor
    let forged = forge("Announcement", &actor_number);
    for query in [
        "query($id: ID!) { neighbourhood(id: $id) { nodes { id } } }",
        "query($id: ID!) { paths(from: $id, toSlug: \"sn-kisa\") { hops { id } } }",
        "query($id: String!) { announcements(first: 1, filter: { actor: $id }) { totalCount } }",
    ] {
        let answer = server.graphql(query, json!({ "id": forged })).await;
        assert_eq!(code(&answer), "BAD_USER_INPUT", "{query}: {answer}");
    }

    // the actor whose number the forged ids carried is untouched
    let data = server.data(r#"{ actor(slug: "person-michael-richter") { status aliases } }"#, json!({})).await;
    assert_eq!(data["actor"]["status"], "CANDIDATE", "{data}");

    // and the mutations still take what they are meant for
    let answer = mutate(&server, "mutation($id: ID!) { reject(id: $id) }", json!({ "id": real[0].1 })).await;
    assert_eq!(answer["data"]["reject"], true, "{answer}");
    let answer = mutate(
        &server,
        "mutation($id: ID!) { setRelationStatus(id: $id, status: CONFIRMED) }",
        json!({ "id": real[2].1 }),
    )
    .await;
    assert_eq!(answer["data"]["setRelationStatus"], true, "{answer}");
    assert_ne!(snapshot(&env).await, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn reference_nodes_change_only_with_force_and_the_audit_log_says_so() {
    let env = Env::new().await;
    // the register's units
    let out = env.run(&["bootstrap"]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let server = serve_with_token(&env).await;
    let data = server
        .data(
            r#"{ hessen: actor(slug: "he-landesregierung") { id status name }
                 sachsen: actor(slug: "sn-landesregierung") { id status }
                 municipalities: actors(first: 1, filter: { kind: MUNICIPALITY }) { nodes { id status name } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["hessen"]["name"], "Hessische Landesregierung", "{data}");
    let (hessen, sachsen) = (data["hessen"]["id"].clone(), data["sachsen"]["id"].clone());
    let municipality = data["municipalities"]["nodes"][0].clone();
    for node in [&data["hessen"], &data["sachsen"], &municipality] {
        assert_eq!(node["status"], "REFERENCE", "{data}");
    }

    // without force: refused, nothing changes
    let before = snapshot(&env).await;
    let refused = [
        ("mutation($id: ID!) { reject(id: $id) }", json!({ "id": hessen })),
        ("mutation($id: ID!) { reject(id: $id, force: false) }", json!({ "id": municipality["id"] })),
        ("mutation($id: ID!) { confirm(id: $id) }", json!({ "id": hessen })),
        ("mutation($s: ID!, $l: ID!) { mergeActors(survivor: $s, loser: $l) }", json!({ "s": sachsen, "l": hessen })),
    ];
    for (query, variables) in &refused {
        let answer = mutate(&server, query, variables.clone()).await;
        assert_eq!(code(&answer), "BAD_USER_INPUT", "{query}: {answer}");
        let message = answer["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("reference") && message.contains("force"), "{message}");
    }
    assert_eq!(snapshot(&env).await, before, "a refused change to a reference node changed something");

    // an alias is not a rename: it needs no force
    let answer = mutate(
        &server,
        "mutation($id: ID!) { addAlias(id: $id, alias: \"Landesregierung Hessen\") }",
        json!({ "id": hessen }),
    )
    .await;
    assert_eq!(answer["data"]["addAlias"], true, "{answer}");

    // with force: done, and the audit log says it was forced
    let answer =
        mutate(&server, "mutation($id: ID!) { reject(id: $id, force: true) }", json!({ "id": municipality["id"] }))
            .await;
    assert_eq!(answer["data"]["reject"], true, "{answer}");
    let answer = mutate(
        &server,
        "mutation($s: ID!, $l: ID!) { mergeActors(survivor: $s, loser: $l, force: true) }",
        json!({ "s": sachsen, "l": hessen }),
    )
    .await;
    assert_eq!(answer["data"]["mergeActors"], true, "{answer}");
    let data = server
        .data(
            r#"query($m: ID!, $h: ID!) { m: node(id: $m) { ... on Actor { status } } h: node(id: $h) { id } }"#,
            json!({ "m": municipality["id"], "h": hessen }),
        )
        .await;
    assert_eq!(data["m"]["status"], "REJECTED", "{data}");
    assert_eq!(data["h"]["id"], sachsen, "the merged id resolves to the survivor: {data}");

    #[derive(diesel::QueryableByName)]
    struct Line {
        #[diesel(sql_type = diesel::sql_types::Text)]
        action: String,
        #[diesel(sql_type = diesel::sql_types::Jsonb)]
        details: Value,
    }
    let mut conn = govgraph_shared::db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    let lines: Vec<Line> =
        diesel::sql_query("SELECT action, details FROM audit_log ORDER BY id").load(&mut conn).await.unwrap();
    let seen: Vec<(&str, &Value)> = lines.iter().map(|l| (l.action.as_str(), &l.details["forced"])).collect();
    assert_eq!(
        seen,
        [("add_alias", &json!(false)), ("set_status:rejected", &json!(true)), ("merge_actors", &json!(true))],
        "{:?}",
        lines.iter().map(|l| &l.details).collect::<Vec<_>>()
    );
}
