//! The API under abuse: every limit answers with its own `extensions.code` before any database
//! work, the server keeps answering a normal query meanwhile; and the operational routes:
//! readiness, metrics, CORS, compression, HTTP caching, the rate limit, the Atom feed.

mod common;

use common::{Env, Server};
use serde_json::{Value, json};

async fn post_raw(server: &Server, body: impl Into<reqwest::Body>) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/graphql", server.url))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn code(answer: &Value) -> String {
    let first = if answer.is_array() { &answer[0]["errors"][0] } else { &answer["errors"][0] };
    first["extensions"]["code"].as_str().unwrap_or_else(|| panic!("no code in {answer}")).to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_limit_answers_with_its_code_and_the_server_keeps_answering() {
    let env = Env::new().await;
    let server = env.spawn_server(&["serve", "--bind", "127.0.0.1:0"]).await;
    let q = |query: String| serde_json::to_string(&json!({ "query": query })).unwrap();

    let deep = format!(
        "{{ __schema {{ types {{ {}name {} }} }} }}",
        "fields { type { ofType { ".repeat(5),
        "} } } ".repeat(5)
    );
    let cycle = "fragment A on State { ...B } fragment B on State { ...A } { states { ...A } }".to_owned();
    let aliases_10k: String = (0..10_000).map(|i| format!("a{i}: __typename ")).collect();
    let aliases_100: String = (0..100).map(|i| format!("a{i}: __typename ")).collect();
    let directives = format!("{{ states {{ code {} }} }}", "@include(if: true) ".repeat(100));
    let complex = "{ actors(first: 100) { edges { node { relations(first: 100) { nodes { predicate evidence { method sentence } object { id } } } } } } }";
    let cases: Vec<(&str, String, &str)> = vec![
        ("deep nesting", q(deep), "DEPTH_LIMIT"),
        ("a fragment cycle", q(cycle), "GRAPHQL_VALIDATION_FAILED"),
        ("10,000 aliases", q(format!("{{ {aliases_10k} }}")), "QUERY_TOO_LARGE"),
        ("100 aliases", q(format!("{{ {aliases_100} }}")), "ALIAS_LIMIT"),
        ("100 directives", q(directives), "DIRECTIVE_LIMIT"),
        ("first: 1000000000", q("{ actors(first: 1000000000) { totalCount } }".into()), "BAD_USER_INPUT"),
        ("last: 1000000000", q("{ sources(last: 1000000000) { totalCount } }".into()), "BAD_USER_INPUT"),
        (
            "a nested list of 10^9 edges",
            q(r#"{ actor(slug: "sn-kisa") { relations(last: 1000000000) { totalCount } } }"#.into()),
            "BAD_USER_INPUT",
        ),
        ("a list of lists", q(complex.into()), "COMPLEXITY_LIMIT"),
        (
            "a walk through the ends of edges of a list of lists",
            q(r#"{ agreements(first: 100) { nodes { parties(first: 100) { nodes { subject { ... on Actor {
                   agreements(first: 100) { nodes { object { id } } } } } } } } } }"#
                .into()),
            "COMPLEXITY_LIMIT",
        ),
        ("a list of lists paged from the end", q(complex.replace("first: 100", "last: 100")), "COMPLEXITY_LIMIT"),
        ("an invalid id", q(r#"{ actor(id: "not-an-id") { name } }"#.into()), "BAD_USER_INPUT"),
        (
            "an unknown state",
            q(r#"{ announcements(filter: { state: XX }) { totalCount } }"#.into()),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            "a misspelt kind",
            q(r#"{ actors(filter: { kind: MUNICIPALTY }) { totalCount } }"#.into()),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            "a misspelt predicate",
            q(r#"{ actor(slug: "sn-kisa") { relations(filter: { predicates: [PARTY_OF] }) { totalCount } } }"#.into()),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            "a misspelt run status",
            q(r#"{ harvestRuns(filter: { status: SUCCEDED }) { totalCount } }"#.into()),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        ("a query that does not parse", q("{ states { code ".into()), "GRAPHQL_PARSE_FAILED"),
        ("a field that does not exist", q("{ states { nope } }".into()), "GRAPHQL_VALIDATION_FAILED"),
        ("malformed JSON", "{\"query\": ".to_owned(), "BAD_REQUEST"),
        ("not a GraphQL request", "[1, 2, 3]".to_owned(), "BAD_REQUEST"),
        (
            "a batch of 50",
            serde_json::to_string(&vec![json!({ "query": "{ states { code } }" }); 50]).unwrap(),
            "BATCH_LIMIT",
        ),
        ("a 10 MB body", format!("{{\"query\": \"{}\"}}", "x".repeat(10 * 1024 * 1024)), "REQUEST_TOO_LARGE"),
    ];
    // all at once, with a normal query in the middle of them
    let normal = async {
        let mut ok = 0;
        for _ in 0..10 {
            let data = server.data("{ states { code } }", json!({})).await;
            ok += usize::from(data["states"].as_array().unwrap().len() == 17);
        }
        ok
    };
    let abuse = futures_util::future::join_all(cases.iter().map(|(what, body, _)| {
        let server = &server;
        async move { (*what, post_raw(server, body.clone()).await) }
    }));
    let (ok, answers) = tokio::join!(normal, abuse);
    assert_eq!(ok, 10, "the normal query kept working");
    for ((what, _, expected), (_, (status, answer))) in cases.iter().zip(answers) {
        assert_eq!(code(&answer), *expected, "{what}: HTTP {status}: {answer}");
        assert!(answer.get("data").is_none_or(|d| d.is_null()), "{what} ran: {answer}");
    }

    // SQL metacharacters in every string filter are only data
    let nasty = ["'; DROP TABLE actors; --", "\" OR 1=1 --", "%_\\", "ST' OR 'a'='a", "\u{0000}"];
    for s in nasty {
        let answer = server
            .graphql(
                r#"query($s: String) { actors(filter: { text: $s }) { totalCount } a: actor(slug: $s) { name }
                     b: actor(ags: $s) { name } }"#,
                json!({ "s": s }),
            )
            .await;
        assert!(answer["data"]["actors"]["totalCount"] == 0 || answer.get("errors").is_some(), "{s}: {answer}");
        let answer = server
            .graphql("query($s: String) { harvestRuns(filter: { source: $s }) { totalCount } }", json!({ "s": s }))
            .await;
        assert_eq!(code(&answer), "BAD_USER_INPUT", "harvestRuns {s}: {answer}");
        // a vocabulary given as a variable is checked too: no string reaches SQL as a kind
        let answer = server
            .graphql("query($k: ActorKind) { actors(filter: { kind: $k }) { totalCount } }", json!({ "k": s }))
            .await;
        assert!(answer.get("data").is_none_or(|d| d.is_null()) && answer.get("errors").is_some(), "kind {s}: {answer}");
    }
    let data = server.data("{ actors(first: 1) { totalCount } states { code } }", json!({})).await;
    assert!(data["actors"]["totalCount"].as_i64().unwrap() > 100, "the tables are all still there: {data}");
}

#[tokio::test(flavor = "multi_thread")]
async fn readiness_metrics_cors_compression_caching_and_the_rate_limit() {
    let env = Env::new().await;
    let server = env.spawn_server(&["serve", "--bind", "127.0.0.1:0"]).await;
    let client = reqwest::Client::builder().no_gzip().no_brotli().build().unwrap();
    let get = |path: &str| client.get(format!("{}{path}", server.url));

    let ready = get("/readyz").send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.unwrap(), "ready");

    // a cacheable GET query: an ETag, and 304 when it did not change
    let path = "/graphql?query=%7B%20states%20%7B%20code%20name%20%7D%20%7D";
    let first = get(path).send().await.unwrap();
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let body: Value = first.json().await.unwrap();
    assert_eq!(body["data"]["states"].as_array().unwrap().len(), 17);
    let again = get(path).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    let mutation = get("/graphql?query=mutation%20%7B%20x%20%7D").send().await.unwrap();
    assert_eq!(mutation.status(), 405);

    // compression when asked for
    let zipped = get("/schema.graphql").header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    let brotli = get("/schema.graphql").header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(brotli.headers()["content-encoding"], "br");

    // CORS: any origin by default (public data, no credentials)
    let preflight = client
        .request(reqwest::Method::OPTIONS, format!("{}/graphql", server.url))
        .header("origin", "https://portal.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");

    let metrics = get("/metrics").send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("govgraph_http_requests_total{route=\"/graphql\",status=\"200\"}"), "{metrics}");
    assert!(metrics.contains("govgraph_http_request_duration_seconds_bucket"), "{metrics}");
    assert!(metrics.contains("govgraph_nodes{type=\"actor\"}"), "{metrics}");

    // an allowlist, a rate limit
    let env2 = Env::new().await;
    let mut cmd_server = {
        let vars = [("GOVGRAPH_CORS_ORIGINS", "https://allowed.example"), ("GOVGRAPH_RATE_LIMIT", "2")];
        let mut cmd = env2.command();
        cmd.args(["serve", "--bind", "127.0.0.1:0"]).envs(vars);
        common::spawn(cmd).await
    };
    let url = cmd_server.url.clone();
    let denied = client.get(format!("{url}/healthz")).header("origin", "https://other.example").send().await.unwrap();
    assert!(denied.headers().get("access-control-allow-origin").is_none());
    let mut codes = Vec::new();
    for _ in 0..12 {
        let r = client
            .post(format!("{url}/graphql"))
            .json(&json!({ "query": "{ states { code } }" }))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        if status == 429 {
            let body: Value = r.json().await.unwrap();
            assert_eq!(code(&body), "RATE_LIMITED");
        }
        codes.push(status);
    }
    assert!(codes.contains(&200) && codes.contains(&429), "{codes:?}");
    assert_eq!(client.get(format!("{url}/healthz")).send().await.unwrap().status(), 200, "health is never limited");
    cmd_server.terminate().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_atom_feed_follows_a_state_an_actor_and_a_text() {
    let site = common::seed_site().await;
    let env = Env::new().await;
    env.harvest_seed_site(&site).await;
    let server = env.spawn_server(&["serve", "--bind", "127.0.0.1:0"]).await;
    let feed = |query: &str| {
        let url = format!("{}/feeds/announcements.atom?{query}", server.url);
        async move {
            let r = reqwest::get(url).await.unwrap();
            (
                r.status().as_u16(),
                r.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()),
                r.bytes().await.unwrap(),
            )
        }
    };
    let titles = |bytes: &[u8]| -> Vec<String> {
        let parsed = feed_rs::parser::parse(bytes).expect("valid Atom");
        parsed.entries.into_iter().map(|e| e.title.unwrap().content).collect()
    };

    let (status, content_type, all) = feed("").await;
    assert_eq!((status, content_type.as_deref()), (200, Some("application/atom+xml; charset=utf-8")));
    assert_eq!(titles(&all).len(), 5);
    let (_, _, saxony) = feed("state=SN").await;
    assert_eq!(titles(&saxony).len(), 2, "the two Saxon documents");
    let (_, _, kisa) = feed("actor=sn-kisa").await;
    assert_eq!(titles(&kisa).len(), 2, "the documents that name KISA");
    let (_, _, text) = feed("text=Rahmenvereinbarung").await;
    let found = titles(&text);
    assert!(!found.is_empty() && found.len() < 5, "{found:?}");
    let parsed = feed_rs::parser::parse(&all[..]).unwrap();
    assert!(
        parsed.entries.iter().all(|e| e.links.iter().any(|l| l.href.starts_with(&site.base))),
        "links to the originals"
    );
    assert!(
        parsed.entries.iter().all(|e| e.links.iter().any(|l| l.href.contains("/graphql?query="))),
        "links to the graph"
    );

    let (status, _, body) = feed("state=XX").await;
    assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));
    let (status, _, _) = feed("actor=no-such-slug").await;
    assert_eq!(status, 400);
}

#[tokio::test(flavor = "multi_thread")]
async fn api_processes_on_one_database_share_a_clients_budget() {
    let env = Env::new().await;
    // 2 requests a second per process, a budget of 20 per 10-second window over all processes
    let spawn = || {
        let mut cmd = env.command();
        cmd.args(["serve", "--bind", "127.0.0.1:0"])
            .envs([("GOVGRAPH_RATE_LIMIT", "2"), ("GOVGRAPH_RATE_LIMIT_WINDOW_SECS", "10")]);
        common::spawn(cmd)
    };
    let replicas = [spawn().await, spawn().await];
    let client = reqwest::Client::new();
    // each replica gets 1.6 requests a second, under its own rate; together they pass the budget
    // within every whole window
    let mut refused_by = [false, false];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(45);
    while refused_by != [true, true] {
        assert!(std::time::Instant::now() < deadline, "the replicas never refused together: {refused_by:?}");
        for (i, replica) in replicas.iter().enumerate() {
            let r = client
                .post(format!("{}/graphql", replica.url))
                .json(&json!({ "query": "{ __typename }" }))
                .send()
                .await
                .unwrap();
            if r.status().as_u16() != 429 {
                continue;
            }
            let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
            let body: Value = r.json().await.unwrap();
            assert_eq!(code(&body), "RATE_LIMITED");
            if body["errors"][0]["message"].as_str().unwrap().contains("over all API processes") {
                assert!((1..=10).contains(&retry), "{retry}");
                refused_by[i] = true;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(625)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn behind_a_trusted_proxy_the_forwarded_client_is_limited_and_the_header_is_not_trusted_otherwise() {
    let env = Env::new().await;
    let spawn = |trusted: &'static str| {
        let mut cmd = env.command();
        cmd.args(["serve", "--bind", "127.0.0.1:0"])
            .envs([("GOVGRAPH_RATE_LIMIT", "2"), ("GOVGRAPH_TRUSTED_PROXIES", trusted)]);
        common::spawn(cmd)
    };
    let client = reqwest::Client::new();
    let statuses = |server: &Server, forwarded: &'static str, n: usize| {
        let url = format!("{}/graphql", server.url);
        let client = client.clone();
        async move {
            let mut out = Vec::new();
            for _ in 0..n {
                let r = client
                    .post(&url)
                    .header("x-forwarded-for", forwarded)
                    .json(&json!({ "query": "{ __typename }" }))
                    .send()
                    .await
                    .unwrap();
                out.push(r.status().as_u16());
            }
            out
        }
    };
    // the proxy on 127.0.0.1 is trusted: two clients behind it have a budget each
    let proxied = spawn("127.0.0.1").await;
    assert!(statuses(&proxied, "203.0.113.7", 10).await.contains(&429), "the first client is limited");
    assert_eq!(statuses(&proxied, "198.51.100.1, 203.0.113.8", 1).await, [200], "the second is not");
    // without a trusted proxy the header is the client's word, and changing it buys nothing
    let direct = spawn("").await;
    assert!(statuses(&direct, "203.0.113.7", 10).await.contains(&429));
    assert_eq!(statuses(&direct, "203.0.113.8", 1).await, [429], "a forged header does not reset the limit");
}
