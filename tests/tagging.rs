//! From text to graph: `govgraph eval` keeps its floors on the seed documents and on our own test
//! documents, `govgraph extract` prints the JSON contract, and a harvest stores entities, mentions
//! and relations with their sentences, which `govgraph retag` replaces without duplicating.

mod common;

use common::{Env, stderr, stdout};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use govgraph_shared::db;
use govgraph_shared::schema::{actors, evidence, mentions, relations};
use serde_json::{Value, json};

fn fixture(path: &str) -> String {
    common::fixtures().join(path).to_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn eval_keeps_its_floors_on_the_seeds_and_on_our_own_documents() {
    let env = Env::new().await;
    for (gold, docs) in [("gold/seeds.toml", "gold/seeds"), ("tagging/gold.toml", "tagging")] {
        let out =
            env.run(&["eval", "--gold", &fixture(gold), "--docs", &fixture(docs), "--floors", "0.9,0.8,0.7"]).await;
        assert!(out.status.success(), "{gold}: {}{}", stdout(&out), stderr(&out));
        for category in ["entities (core)", "relations (core)", "states", "bodies", "relations: party_to"] {
            assert!(stdout(&out).contains(category), "{gold}: no line for {category}:\n{}", stdout(&out));
        }
    }
    // a floor that cannot be met fails the command
    let out = env
        .run(&["eval", "--gold", &fixture("gold/seeds.toml"), "--docs", &fixture("gold/seeds"), "--floors", "1,1,1"])
        .await;
    assert!(!out.status.success());
    assert!(stderr(&out).contains("below the floors"), "{}", stderr(&out));
}

fn chars(text: &str, start: u64, end: u64) -> String {
    text.chars().skip(start as usize).take((end - start) as usize).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn extract_prints_entities_and_relations_with_offsets_into_the_text() {
    let env = Env::new().await;
    let out = env.run(&["extract", &fixture("gold/seeds/001_e0aaa5cb92dd628b.txt")]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    for key in ["title", "published", "publisher", "place", "press_release_number", "text", "states"] {
        assert!(doc.get(key).is_some(), "no `{key}`");
    }
    assert_eq!(doc["states"][0], "ST");
    assert_eq!(doc["published"], "2014-07-15");
    let text = doc["text"].as_str().unwrap();
    let entities = doc["entities"].as_array().unwrap();
    for e in entities {
        for m in e["mentions"].as_array().unwrap() {
            let (s, t) = (m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap());
            assert_eq!(chars(text, s, t), m["text"].as_str().unwrap(), "{}", e["name"]);
        }
    }
    let entity = |name: &str| entities.iter().find(|e| e["name"] == name).unwrap_or_else(|| panic!("no {name}"));
    let richter = entity("Michael Richter");
    assert_eq!((richter["kind"].as_str(), richter["status"].as_str()), (Some("person"), Some("candidate")));
    assert_eq!(entity("Landkreistag Sachsen-Anhalt")["status"], "reference");
    let agreement = entities.iter().find(|e| e["kind"] == "agreement" && e["date"] == "2014-07-09");
    let agreement = agreement.expect("the agreement signed \"am Mittwoch\" before Tuesday 15.07.2014");
    let relations = doc["relations"].as_array().unwrap();
    let signed = relations
        .iter()
        .find(|r| r["subject"] == "Michael Richter" && r["predicate"] == "signed")
        .expect("Richter signed");
    assert_eq!(signed["object"], agreement["name"]);
    assert!(signed["evidence"].as_str().unwrap().contains("Unterschrift"), "{signed}");
    let span = &signed["evidence_span"];
    assert_eq!(
        chars(text, span["start"].as_u64().unwrap(), span["end"].as_u64().unwrap()),
        signed["evidence"].as_str().unwrap()
    );
    assert!(relations.iter().any(|r| r["subject"] == "Heinz-Lothar Theel"
        && r["predicate"] == "holds_position"
        && r["object"] == "Landkreistag Sachsen-Anhalt"
        && r["title"] == "Geschäftsführer"));
}

async fn counts(env: &Env) -> (i64, i64, i64, i64) {
    let mut c = db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    let m: i64 = mentions::table.count().get_result(&mut c).await.unwrap();
    let r: i64 = relations::table.filter(relations::status.eq("candidate")).count().get_result(&mut c).await.unwrap();
    let e: i64 = evidence::table.filter(evidence::document_id.is_not_null()).count().get_result(&mut c).await.unwrap();
    let a: i64 = actors::table.filter(actors::status.eq("candidate")).count().get_result(&mut c).await.unwrap();
    (m, r, e, a)
}

#[tokio::test(flavor = "multi_thread")]
async fn harvested_documents_carry_relations_with_evidence_and_retag_duplicates_nothing() {
    let site = common::seed_site().await;
    let env = Env::new().await;
    env.harvest_seed_site(&site).await;
    let before = counts(&env).await;
    assert!(before.0 > 50 && before.1 > 10 && before.2 >= before.1 && before.3 > 10, "{before:?}");

    // the graph answers "who signed what, and where does it say so?"
    let mut server = env.spawn_server(&["serve", "--bind", "127.0.0.1:0"]).await;
    let data = server
        .data(
            r#"query($slug: String) { actor(slug: $slug) { name kind status
                 relations { nodes { predicate title object { ... on Actor { name } ... on Agreement { name } }
                   evidence { method sentence announcementTitle } } } } }"#,
            json!({ "slug": "person-michael-richter" }),
        )
        .await;
    let richter = &data["actor"];
    assert_eq!((richter["kind"].as_str(), richter["status"].as_str()), (Some("PERSON"), Some("CANDIDATE")), "{data}");
    let relations = richter["relations"]["nodes"].as_array().unwrap();
    let signed = relations.iter().find(|r| r["predicate"] == "SIGNED").unwrap_or_else(|| panic!("{data}"));
    let evidence = &signed["evidence"][0];
    assert!(evidence["sentence"].as_str().unwrap().contains("Unterschrift"), "{evidence}");
    assert!(evidence["method"].as_str().unwrap().starts_with("pattern:"), "{evidence}");
    assert!(evidence["announcementTitle"].as_str().unwrap().contains("Rahmenvereinbarung"), "{evidence}");
    assert!(relations.iter().any(|r| r["predicate"] == "HOLDS_POSITION" && r["title"] == "Staatssekretär"));
    server.terminate().await;

    // the same candidate across documents is one node: Saxony's government and KISA appear in
    // two documents each, the SAKD in two
    let mut c = db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    let mut kisa_docs: Vec<i64> = mentions::table
        .inner_join(actors::table.on(actors::id.eq(mentions::entity_id)))
        .filter(actors::name.eq("KISA"))
        .select(mentions::document_id)
        .load(&mut c)
        .await
        .unwrap();
    kisa_docs.dedup();
    assert_eq!(kisa_docs.len(), 2, "{kisa_docs:?}");

    let out = env.run(&["retag"]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("retagged 5 documents"), "{}", stdout(&out));
    assert_eq!(counts(&env).await, before, "a retag changes nothing when nothing changed");
}
