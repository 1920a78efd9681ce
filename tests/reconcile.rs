//! The reconciliation service (`/reconcile`, W3C Reconciliation Service API 0.2) against the real
//! binary and the register loaded by `govgraph bootstrap`: every answer is validated against the
//! JSON schemas published with the specification (`tests/fixtures/reconciliation-0.2/`), and a
//! column of 200 municipality names is reconciled as OpenRefine would send it.

mod common;

use std::collections::HashMap;

use common::{Env, Server, stderr, stdout};
use serde_json::{Value, json};

const SCHEMAS: &[&str] = &[
    "manifest",
    "reconciliation-query-batch",
    "reconciliation-result-batch",
    "suggest-entities-response",
    "suggest-properties-response",
    "suggest-types-response",
    "data-extension-query",
    "data-extension-response",
    "type",
];

/// The specification's schemas, each by its file stem, resolving their references to each other
/// (the manifest's reference to the Swagger schema, for `authentication`, is a permissive stand-in).
struct Schemas(HashMap<&'static str, jsonschema::Validator>);

impl Schemas {
    fn load() -> Schemas {
        let dir = common::fixtures().join("reconciliation-0.2");
        let docs: Vec<(&str, Value)> = SCHEMAS
            .iter()
            .map(|name| {
                let text = std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap();
                (*name, serde_json::from_str(&text).unwrap())
            })
            .collect();
        let mut resources: Vec<(String, jsonschema::Resource)> = docs
            .iter()
            .map(|(name, doc)| {
                let id = format!("https://reconciliation-api.github.io/specs/0.2/schemas/{name}.json");
                (id, jsonschema::Resource::from_contents(doc.clone()))
            })
            .collect();
        resources.push((
            "http://swagger.io/v2/schema.json".to_owned(),
            jsonschema::Resource::from_contents(
                json!({ "definitions": { "securityDefinitions": { "additionalProperties": {} } } }),
            ),
        ));
        let registry = jsonschema::Registry::new().extend(resources).unwrap().prepare().unwrap();
        let validators = docs
            .iter()
            .map(|(name, doc)| {
                let v =
                    jsonschema::options().with_registry(&registry).build(doc).unwrap_or_else(|e| panic!("{name}: {e}"));
                (*name, v)
            })
            .collect();
        Schemas(validators)
    }

    /// Asserts that `value` is valid against the schema `name`.
    fn check(&self, name: &str, value: &Value) {
        let errors: Vec<String> =
            self.0[name].iter_errors(value).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "not a valid {name}: {errors:?}\n{value:#}");
    }
}

async fn bootstrapped() -> (Env, Server) {
    let env = Env::new().await;
    let out = env.run(&["bootstrap"]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let server = env.spawn_server(&["serve", "--bind", "127.0.0.1:0"]).await;
    (env, server)
}

async fn get_json(url: &str) -> Value {
    let r = reqwest::get(url).await.unwrap();
    assert!(r.status().is_success(), "GET {url}: {}", r.status());
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    r.json().await.unwrap()
}

/// Posts a query batch as OpenRefine does: a form with the field `queries`.
async fn reconcile(server: &Server, batch: &Value) -> Value {
    let r = reqwest::Client::new()
        .post(format!("{}/reconcile", server.url))
        .form(&[("queries", batch.to_string())])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}: {}", r.status(), r.text().await.unwrap());
    r.json().await.unwrap()
}

fn top(answer: &Value, key: &str) -> Value {
    answer[key]["result"][0].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_service_speaks_the_reconciliation_api() {
    let schemas = Schemas::load();
    let (env, server) = bootstrapped().await;
    let base = &server.url;

    // the manifest
    let manifest = get_json(&format!("{base}/reconcile")).await;
    schemas.check("manifest", &manifest);
    assert!(manifest["versions"].as_array().unwrap().contains(&json!("0.2")));
    let types: Vec<&str> =
        manifest["defaultTypes"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    for kind in ["municipality", "district", "ministry", "association", "it_service_provider"] {
        assert!(types.contains(&kind), "{kind} in {types:?}");
    }
    assert_eq!(manifest["suggest"]["entity"]["service_url"], json!(base));

    // a batch: register names, designations, inflections, an AGS, a state that narrows
    let batch = json!({
        "q0": { "query": "Wilsdruff, Stadt" },
        "q1": { "query": "Stadt Wilsdruff", "type": "municipality" },
        "q2": { "query": "des Landkreises Görlitz" },
        "q3": { "query": "Leipzig", "type": "municipality", "limit": 3 },
        "q4": { "query": "Leipzig" },
        "q5": { "query": "Neustadt", "type": "municipality", "properties": [{ "pid": "state", "v": "Hessen" }] },
        "q6": { "query": "Neustadt", "type": "municipality" },
        "q7": { "query": "irgendwas", "properties": [{ "pid": "ags", "v": "14628410" }] },
        "q8": { "query": "Muenchen", "type": ["municipality"] },
        "q9": { "query": "Bayerisches Staatsministerium für Digitales", "type": "ministry" },
        "q10": { "query": "Leipzig", "properties": [
            { "pid": "kind", "v": "district" }, { "pid": "state", "v": "Freistaat Sachsen" } ] },
        "q11": { "query": "Markt Wald" },
    });
    schemas.check("reconciliation-query-batch", &batch);
    let answer = reconcile(&server, &batch).await;
    schemas.check("reconciliation-result-batch", &answer);
    let wilsdruff = top(&answer, "q0");
    assert_eq!((wilsdruff["name"].as_str(), wilsdruff["match"].as_bool()), (Some("Wilsdruff, Stadt"), Some(true)));
    assert_eq!(wilsdruff["score"], json!(100.0));
    assert_eq!(top(&answer, "q1")["id"], wilsdruff["id"]);
    assert_eq!(top(&answer, "q1")["match"], json!(true));
    let goerlitz = top(&answer, "q2");
    assert_eq!((goerlitz["name"].as_str(), goerlitz["type"][0]["id"].as_str()), (Some("Görlitz"), Some("district")));
    assert_eq!(goerlitz["match"], json!(true), "the designation decides between the city and the district");
    let leipzig = top(&answer, "q3");
    assert_eq!((leipzig["name"].as_str(), leipzig["match"].as_bool()), (Some("Leipzig, Stadt"), Some(true)));
    assert!(answer["q3"]["result"].as_array().unwrap().len() <= 3);
    // without a type, the city and the kreisfreie Stadt as a district are namesakes
    assert_eq!(top(&answer, "q4")["match"], json!(false));
    assert!(top(&answer, "q4")["score"].as_f64().unwrap() >= 90.0);
    let hessen = top(&answer, "q5");
    assert_eq!(hessen["name"], json!("Neustadt (Hessen), Stadt"));
    assert_eq!(hessen["match"], json!(false), "not the exact name");
    let neustadts = answer["q6"]["result"].as_array().unwrap();
    assert!(neustadts.len() >= 5 && neustadts.iter().all(|c| c["match"] == json!(false)));
    let by_ags = top(&answer, "q7");
    assert_eq!((by_ags["name"].as_str(), by_ags["match"].as_bool()), (Some("Wilsdruff, Stadt"), Some(true)));
    assert_eq!(top(&answer, "q8")["name"], json!("München, Landeshauptstadt"));
    assert_eq!(top(&answer, "q8")["match"], json!(true));
    assert_eq!(top(&answer, "q9")["match"], json!(true));
    // the kind property narrows: the kreisfreie Stadt and the Landkreis, both districts, both "Leipzig"
    let districts = answer["q10"]["result"].as_array().unwrap();
    assert!(districts.len() >= 2 && districts.iter().all(|c| c["type"][0]["id"] == json!("district")), "{districts:?}");
    assert!(districts.iter().all(|c| c["match"] == json!(false)));
    // a name that begins with a designation is itself first: "Markt Wald" is not "Wald"
    assert_eq!(
        (top(&answer, "q11")["name"].as_str(), top(&answer, "q11")["match"].as_bool()),
        (Some("Markt Wald, M"), Some(true))
    );
    for c in answer.as_object().unwrap().values().flat_map(|r| r["result"].as_array().unwrap()) {
        let s = c["score"].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&s), "{c}");
    }

    // the same batch by GET, as JSON, as JSONP; one query in the 0.1 form
    let by_get: Value = reqwest::Client::new()
        .get(format!("{base}/reconcile"))
        .query(&[("queries", batch.to_string())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_get, answer);
    let by_json: Value = reqwest::Client::new()
        .post(format!("{base}/reconcile"))
        .json(&batch)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_json, answer);
    let jsonp = reqwest::Client::new()
        .get(format!("{base}/reconcile"))
        .query(&[("queries", json!({ "a": { "query": "Wilsdruff" } }).to_string()), ("callback", "cb".to_owned())])
        .send()
        .await
        .unwrap();
    assert!(jsonp.headers()["content-type"].to_str().unwrap().starts_with("application/javascript"));
    let text = jsonp.text().await.unwrap();
    let inner = text.trim_start_matches("/**/cb(").trim_end_matches(");");
    schemas.check("reconciliation-result-batch", &serde_json::from_str(inner).unwrap());
    let single = get_json(&format!("{base}/reconcile?query=Wilsdruff")).await;
    schemas.check("reconciliation-result-batch", &json!({ "q": single }));
    assert_eq!(single["result"][0]["id"], wilsdruff["id"]);

    // bad requests are refused with a reason, not a crash
    for form in [
        vec![("queries", "not json".to_owned())],
        vec![("queries", json!({ "q": { "query": 3 } }).to_string())],
        vec![(
            "queries",
            json!({ "q": { "query": "x", "properties": [{ "pid": "colour", "v": "red" }] } }).to_string(),
        )],
        vec![("extend", json!({ "ids": ["x"], "properties": [{ "id": "colour" }] }).to_string())],
    ] {
        let r = reqwest::Client::new().post(format!("{base}/reconcile")).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 400, "{form:?}");
        assert!(r.json::<Value>().await.unwrap()["error"].is_string());
    }
    let too_many: serde_json::Map<String, Value> =
        (0..101).map(|i| (format!("q{i}"), json!({ "query": "x" }))).collect();
    let r = reqwest::Client::new()
        .post(format!("{base}/reconcile"))
        .form(&[("queries", Value::Object(too_many).to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);

    // CORS for a browser client
    let r = reqwest::Client::new()
        .get(format!("{base}/reconcile"))
        .header("Origin", "http://localhost:3333")
        .send()
        .await
        .unwrap();
    assert!(r.headers().contains_key("access-control-allow-origin"));
    // ... also where the API's origins are restricted: the reconciliation API requires it
    let mut restricted = env.command();
    restricted.args(["serve", "--bind", "127.0.0.1:0"]).env("GOVGRAPH_CORS_ORIGINS", "https://allowed.example");
    let restricted = common::spawn(restricted).await;
    let from_refine = |path: &str| {
        reqwest::Client::new().get(format!("{}{path}", restricted.url)).header("Origin", "http://127.0.0.1:3333").send()
    };
    let r = from_refine("/reconcile").await.unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "http://127.0.0.1:3333");
    let r = from_refine("/reconcile/suggest/type?prefix=m").await.unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "http://127.0.0.1:3333");
    let r = from_refine("/healthz").await.unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none(), "other routes keep the allowlist");

    // preview: a small HTML card, escaped
    let preview_url = manifest["preview"]["url"].as_str().unwrap().replace("{{id}}", wilsdruff["id"].as_str().unwrap());
    let r = reqwest::get(&preview_url).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = r.text().await.unwrap();
    assert!(html.contains("Wilsdruff, Stadt") && html.contains("14628410") && html.contains("Sachsen"), "{html}");
    let r = reqwest::get(format!("{base}/reconcile/preview?id=%3Cscript%3E")).await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(!r.text().await.unwrap().contains("<script>"));

    // suggest: entities (by prefix and by id), types, properties
    let suggested = get_json(&format!("{base}/reconcile/suggest/entity?prefix=Wilsdr")).await;
    schemas.check("suggest-entities-response", &suggested);
    assert_eq!(suggested["result"][0]["name"], json!("Wilsdruff, Stadt"));
    let by_id =
        get_json(&format!("{base}/reconcile/suggest/entity?prefix={}", wilsdruff["id"].as_str().unwrap())).await;
    schemas.check("suggest-entities-response", &by_id);
    assert_eq!(by_id["result"][0]["id"], wilsdruff["id"]);
    let next = get_json(&format!("{base}/reconcile/suggest/entity?prefix=Neu&cursor=10")).await;
    schemas.check("suggest-entities-response", &next);
    let types = get_json(&format!("{base}/reconcile/suggest/type?prefix=distr")).await;
    schemas.check("suggest-types-response", &types);
    assert_eq!(types["result"][0]["id"], json!("district"));
    let props = get_json(&format!("{base}/reconcile/suggest/property?prefix=ag")).await;
    schemas.check("suggest-properties-response", &props);
    assert_eq!(props["result"][0]["id"], json!("ags"));

    // data extension: property proposals, then the values
    let proposed = get_json(&format!("{base}/reconcile/properties?type=municipality")).await;
    assert_eq!(proposed["type"], json!("municipality"));
    let ids: Vec<&str> = proposed["properties"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    for p in ["ags", "ars", "state", "kind", "homepage", "population", "district"] {
        assert!(ids.contains(&p), "{p} in {ids:?}");
    }
    let untyped = get_json(&format!("{base}/reconcile/properties")).await;
    assert_eq!(untyped["properties"].as_array().unwrap().len(), ids.len());
    let foreign = get_json(&format!("{base}/reconcile/properties?type=Q5")).await;
    assert_eq!(foreign["type"], json!("Q5"));
    assert_eq!(foreign["properties"].as_array().unwrap().len(), 3, "{foreign}");
    let limited = get_json(&format!("{base}/reconcile/properties?type=municipality&limit=2")).await;
    assert_eq!(limited["properties"].as_array().unwrap().len(), 2);
    let ministry_id = top(&answer, "q9")["id"].clone();
    let extend = json!({
        "ids": [wilsdruff["id"], ministry_id, "unknown"],
        "properties": ids.iter().map(|p| json!({ "id": p })).collect::<Vec<_>>(),
    });
    schemas.check("data-extension-query", &extend);
    let r = reqwest::Client::new()
        .post(format!("{base}/reconcile"))
        .form(&[("extend", extend.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let rows: Value = r.json().await.unwrap();
    schemas.check("data-extension-response", &rows);
    let w = &rows["rows"][wilsdruff["id"].as_str().unwrap()];
    assert_eq!(w["ags"], json!([{ "str": "14628410" }]));
    assert_eq!(w["state"], json!([{ "str": "SN" }]));
    assert_eq!(w["kind"], json!([{ "str": "municipality" }]));
    assert_eq!(w["district"][0]["name"], json!("Sächsische Schweiz-Osterzgebirge"));
    assert!(w["population"][0]["int"].as_i64().unwrap() > 5_000);
    let m = &rows["rows"][ministry_id.as_str().unwrap()];
    assert_eq!(m["state"], json!([{ "str": "BY" }]));
    assert_eq!(m["ags"], json!([]));
    assert_eq!(rows["rows"]["unknown"]["ags"], json!([]));
    let by_get = get_json(&format!(
        "{base}/reconcile?extend={}",
        url_encode(&json!({ "ids": [wilsdruff["id"]], "properties": [{ "id": "district" }] }).to_string())
    ))
    .await;
    schemas.check("data-extension-response", &by_get);
    // the district is an entity of this service: it previews
    let district_id =
        by_get["rows"][wilsdruff["id"].as_str().unwrap()]["district"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(reqwest::get(format!("{base}/reconcile/preview?id={district_id}")).await.unwrap().status(), 200);
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The fields of one CSV line (quotes as RFC 4180 writes them).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            (c, _) => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

#[tokio::test(flavor = "multi_thread")]
async fn a_column_of_200_municipality_names_reconciles() {
    let schemas = Schemas::load();
    let text = std::fs::read_to_string(common::fixtures().join("reconcile/municipalities.csv")).unwrap();
    // name, state, expected AGS, case
    let rows: Vec<Vec<String>> = text.lines().skip(1).map(csv_fields).collect();
    assert_eq!(rows.len(), 200);
    let (_env, server) = bootstrapped().await;
    // the AGS of every first candidate, read by data extension
    let mut ags_of: HashMap<String, String> = HashMap::new();
    let mut answers: Vec<Value> = Vec::new();
    for chunk in rows.chunks(50) {
        let batch: serde_json::Map<String, Value> = chunk
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut q = json!({ "query": r[0], "type": "municipality", "limit": 3 });
                if !r[1].is_empty() {
                    q["properties"] = json!([{ "pid": "state", "v": r[1] }]);
                }
                (format!("q{i}"), q)
            })
            .collect();
        let batch = Value::Object(batch);
        schemas.check("reconciliation-query-batch", &batch);
        let answer = reconcile(&server, &batch).await;
        schemas.check("reconciliation-result-batch", &answer);
        let ids: Vec<Value> =
            answer.as_object().unwrap().values().filter_map(|r| r["result"].get(0).map(|c| c["id"].clone())).collect();
        let extend = json!({ "ids": ids, "properties": [{ "id": "ags" }] });
        let r = reqwest::Client::new()
            .post(format!("{}/reconcile", server.url))
            .form(&[("extend", extend.to_string())])
            .send()
            .await
            .unwrap();
        let ext: Value = r.json().await.unwrap();
        schemas.check("data-extension-response", &ext);
        for (id, cells) in ext["rows"].as_object().unwrap() {
            if let Some(a) = cells["ags"][0]["str"].as_str() {
                ags_of.insert(id.clone(), a.to_owned());
            }
        }
        for i in 0..chunk.len() {
            answers.push(answer[format!("q{i}")].clone());
        }
    }
    let (mut top_right, mut matched_right, mut matched_wrong) = (0, 0, 0);
    let mut by_case: HashMap<&str, (u32, u32)> = HashMap::new();
    for (row, answer) in rows.iter().zip(&answers) {
        let first = &answer["result"][0];
        let right = first["id"].as_str().and_then(|id| ags_of.get(id)) == Some(&row[2]);
        let case = by_case.entry(row[3].as_str()).or_default();
        case.1 += 1;
        if right {
            top_right += 1;
            case.0 += 1;
        } else {
            println!("not first: {:?} -> {}", row, first["name"]);
        }
        if first["match"] == json!(true) {
            if right { matched_right += 1 } else { matched_wrong += 1 }
        }
    }
    let mut cases: Vec<_> = by_case.into_iter().collect();
    cases.sort();
    println!(
        "reconciled 200 municipality names: right candidate first {top_right}/200, matched automatically \
         {matched_right} right and {matched_wrong} wrong; by case (right/all): {cases:?}"
    );
    assert!(top_right >= 180, "right candidate first for {top_right} of 200");
    assert!(matched_right >= 120, "{matched_right} automatic matches");
    assert!(matched_wrong <= 1, "{matched_wrong} wrong automatic matches");
}
