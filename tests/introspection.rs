//! Standard GraphQL tools read the schema: the introspection query graphql-js v16 emits (checked in
//! as `api/tests/fixtures/introspection_query.graphql`, the query GraphiQL, Apollo tooling, `gql` and
//! `graphql-core` send) is answered over HTTP by the real binary, and a client schema can be built
//! from the answer; user queries stay depth-limited, and `GOVGRAPH_INTROSPECTION=false` still
//! refuses introspection.

mod common;

use std::collections::HashMap;

use common::{Env, Server};
use serde_json::{Value, json};

/// `getIntrospectionQuery({ descriptions, specifiedByUrl, directiveIsRepeatable, schemaDescription,
/// inputValueDeprecation })` of graphql-js v16, byte for byte.
const STANDARD_QUERY: &str = include_str!("../api/tests/fixtures/introspection_query.graphql");

/// Twelve levels of user fields are allowed; this is fourteen.
const DEEP_USER_QUERY: &str = "states { announcements(first: 1) { nodes { states { announcements(first: 1) { nodes {
    states { announcements(first: 1) { nodes { states { announcements(first: 1) { nodes { title } } } } } } } } } } } }";

fn code(answer: &Value) -> &str {
    answer["errors"][0]["extensions"]["code"].as_str().unwrap_or_else(|| panic!("no error code in {answer}"))
}

/// The named type at the end of a type reference (through LIST and NON_NULL), checked the way
/// graphql-js's `buildClientSchema` checks it: it exists in `types` with the same kind, and a
/// NON_NULL wraps no NON_NULL.
fn named<'a>(types: &'a HashMap<&str, &Value>, mut r: &'a Value, at: &str) -> &'a Value {
    loop {
        let kind = r["kind"].as_str().unwrap_or_else(|| panic!("{at}: a type reference without kind: {r}"));
        if kind != "LIST" && kind != "NON_NULL" {
            let name = r["name"].as_str().unwrap_or_else(|| panic!("{at}: a named type without name: {r}"));
            let full = types.get(name).unwrap_or_else(|| panic!("{at}: `{name}` is not among the types"));
            assert_eq!(full["kind"].as_str(), Some(kind), "{at}: `{name}` has another kind in `types`");
            return full;
        }
        let inner = &r["ofType"];
        assert!(inner.is_object(), "{at}: {kind} without ofType (the ofType chain ends too early): {r}");
        assert!(!(kind == "NON_NULL" && inner["kind"] == "NON_NULL"), "{at}: NON_NULL of NON_NULL");
        r = inner;
    }
}

fn list<'a>(v: &'a Value, at: &str) -> &'a Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("{at}: not a list: {v}"))
}

/// The input values of a field, directive or input object: each with a description key, a
/// deprecation and an input type.
fn check_inputs(types: &HashMap<&str, &Value>, inputs: &Value, at: &str) {
    for arg in list(inputs, at) {
        let at = format!("{at}({})", arg["name"].as_str().expect("an input value has a name"));
        assert!(arg.get("description").is_some() && arg.get("defaultValue").is_some(), "{at}: {arg}");
        assert!(arg["isDeprecated"].is_boolean(), "{at}: no isDeprecated (input value deprecation)");
        let kind = named(types, &arg["type"], &at)["kind"].as_str().unwrap_or_default();
        assert!(matches!(kind, "SCALAR" | "ENUM" | "INPUT_OBJECT"), "{at}: an input of kind {kind}");
    }
}

/// Builds a client schema from an introspection answer the way `buildClientSchema` does, and
/// returns the types by name.
fn client_schema(schema: &Value) -> HashMap<&str, &Value> {
    let types: HashMap<&str, &Value> =
        list(&schema["types"], "types").iter().map(|t| (t["name"].as_str().expect("a type has a name"), t)).collect();
    assert!(schema.get("description").is_some(), "the schema description was asked for");
    let query_type = schema["queryType"]["name"].as_str().expect("a query type");
    assert_eq!(types[query_type]["kind"], "OBJECT");
    for root in ["mutationType", "subscriptionType"] {
        if let Some(name) = schema[root]["name"].as_str() {
            assert_eq!(types.get(name).map(|t| &t["kind"]), Some(&json!("OBJECT")), "{root} `{name}`");
        }
    }
    for (name, t) in &types {
        assert!(t.get("description").is_some() && t.get("specifiedByURL").is_some(), "{name}: {t}");
        match t["kind"].as_str().unwrap_or_default() {
            "OBJECT" | "INTERFACE" => {
                assert!(!list(&t["fields"], name).is_empty(), "{name} has no fields");
                for f in list(&t["fields"], name) {
                    let at = format!("{name}.{}", f["name"].as_str().expect("a field has a name"));
                    assert!(f["isDeprecated"].is_boolean() && f.get("description").is_some(), "{at}: {f}");
                    check_inputs(&types, &f["args"], &at);
                    assert_ne!(named(&types, &f["type"], &at)["kind"], "INPUT_OBJECT", "{at}: an output of input type");
                }
                // an interface may answer null (graphql-js reads it as none)
                let none = t["kind"] == "INTERFACE" && t["interfaces"].is_null();
                for i in if none { &[][..] } else { list(&t["interfaces"], name) } {
                    assert_eq!(named(&types, i, name)["kind"], "INTERFACE", "{name} implements a non-interface");
                }
            }
            "UNION" => assert!(!list(&t["possibleTypes"], name).is_empty(), "{name} has no members"),
            "ENUM" => assert!(!list(&t["enumValues"], name).is_empty(), "{name} has no values"),
            "INPUT_OBJECT" => check_inputs(&types, &t["inputFields"], name),
            "SCALAR" => {}
            other => panic!("{name}: unknown kind {other}"),
        }
        if let Some(members) = t["possibleTypes"].as_array() {
            for m in members {
                assert_eq!(named(&types, m, name)["kind"], "OBJECT", "{name} has a non-object member");
            }
        }
    }
    for d in list(&schema["directives"], "directives") {
        let at = format!("@{}", d["name"].as_str().expect("a directive has a name"));
        assert!(d["isRepeatable"].is_boolean(), "{at}: no isRepeatable");
        assert!(!list(&d["locations"], &at).is_empty(), "{at}: no locations");
        check_inputs(&types, &d["args"], &at);
    }
    types
}

async fn post(server: &Server, query: &str) -> Value {
    server.graphql(query, json!({})).await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_standard_introspection_query_builds_a_client_schema_and_user_queries_stay_limited() {
    let env = Env::new().await;
    let server = env.spawn_server(&["serve", "--bind", "127.0.0.1:0"]).await;

    let answer = post(&server, STANDARD_QUERY).await;
    assert!(answer.get("errors").is_none(), "the standard introspection query is refused: {answer}");
    let schema = &answer["data"]["__schema"];
    let types = client_schema(schema);
    // descriptions come through, the schema's own and the API's
    let query_type = types[schema["queryType"]["name"].as_str().unwrap()];
    let states = list(&query_type["fields"], "Query").iter().find(|f| f["name"] == "states").expect("Query.states");
    assert!(states["description"].as_str().is_some_and(|d| d.contains("Länder")), "{states}");
    let directives: Vec<&str> =
        list(&schema["directives"], "directives").iter().filter_map(|d| d["name"].as_str()).collect();
    assert!(["include", "skip", "deprecated"].iter().all(|d| directives.contains(d)), "{directives:?}");
    // the same by GET, as GraphiQL may send it
    let by_get: Value = reqwest::Client::new()
        .get(format!("{}/graphql", server.url))
        .query(&[("query", STANDARD_QUERY)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_get["data"]["__schema"], *schema, "GET answers as POST does");

    // user selections keep the depth limit, alone or next to introspection
    let deep = post(&server, &format!("{{ {DEEP_USER_QUERY} }}")).await;
    assert_eq!(code(&deep), "DEPTH_LIMIT", "{deep}");
    let mixed = post(&server, &format!("{{ __schema {{ types {{ name }} }} {DEEP_USER_QUERY} }}")).await;
    assert_eq!(code(&mixed), "DEPTH_LIMIT", "{mixed}");
    let hidden = post(&server, &format!("query {{ ...Deep }} fragment Deep on Query {{ {DEEP_USER_QUERY} }}")).await;
    assert_eq!(code(&hidden), "DEPTH_LIMIT", "a fragment hides no depth: {hidden}");
    // introspection next to a shallow user query runs
    let both =
        post(&server, &format!("{{ states {{ code }} ...IntrospectionQuery }} {}", fragment_of(STANDARD_QUERY))).await;
    assert!(both.get("errors").is_none(), "{both}");
    assert_eq!(both["data"]["states"].as_array().map(Vec::len), Some(17));
    // introspection is bounded too: types within fields within fields within types is refused
    let cyclic = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }";
    assert_eq!(code(&post(&server, cyclic).await), "DEPTH_LIMIT");
    let by_type = "{ __type(name: \"Actor\") { fields { type { ofType { fields { type { ofType { interfaces { name } } } } } } } } }";
    assert_eq!(code(&post(&server, by_type).await), "DEPTH_LIMIT");

    // switched off, introspection is refused and user queries are still limited
    let mut cmd = env.command();
    cmd.env("GOVGRAPH_INTROSPECTION", "false").args(["serve", "--bind", "127.0.0.1:0"]);
    let closed = common::spawn(cmd).await;
    for query in [
        STANDARD_QUERY,
        "{ __type(name: \"Actor\") { name } }",
        "{ states { code } ...S } fragment S on Query { __schema { description } }",
    ] {
        let answer = post(&closed, query).await;
        assert_eq!(code(&answer), "INTROSPECTION_DISABLED", "{answer}");
        assert!(answer["data"].is_null(), "{answer}");
    }
    assert_eq!(code(&post(&closed, &format!("{{ {DEEP_USER_QUERY} }}")).await), "DEPTH_LIMIT");
    assert_eq!(closed.data("{ states { code } }", json!({})).await["states"].as_array().map(Vec::len), Some(17));
}

/// The standard query as a fragment on the query type: `__schema` and the fragments it spreads.
fn fragment_of(query: &str) -> String {
    let body = query.trim_start().trim_start_matches("query IntrospectionQuery");
    format!("fragment IntrospectionQuery on Query {body}")
}
