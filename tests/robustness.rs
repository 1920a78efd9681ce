//! No input stops a run: a text that once made the tagger panic, a page with nothing of its own,
//! a one-paragraph notice; each is read or fails alone, and what failed can be read again.

mod common;

use common::faults::{FaultServer, Reply, article};
use common::{Env, stderr, stdout};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use govgraph_shared::db;
use govgraph_shared::schema::{documents, failed_items, raw_responses};

const BODY: &str = "Das Land und die kommunalen Spitzenverbände haben eine Vereinbarung über die Zusammenarbeit \
    im E-Government unterzeichnet.\n\nDie Vereinbarung regelt den Betrieb gemeinsamer Plattformen.";

/// A quotation that opens with a word and names a body in quotes inside it: the tagger sliced
/// inside the opening „ here and the harvest process died.
const NESTED_QUOTES: &str = "Die Ministerin sagte: „Der „IT-Kooperationsrat“ hat heute getagt.“ \
    Der Landkreistag begrüßte die Entscheidung des Gremiums ausdrücklich.";

/// One paragraph of about 250 characters between navigation, teasers and a long footer.
const SHORT: &str = "Der Landkreis Beispielstadt ist zum 1. April dem Zweckverband für kommunale \
    Datenverarbeitung beigetreten. Landrätin Erika Muster unterzeichnete die Beitrittserklärung am \
    Dienstag im Kreishaus; der Kreistag hatte den Beitritt einstimmig beschlossen.";

fn short_notice() -> String {
    format!(
        "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>Kurzmeldung</title></head><body>\
         <header><nav><a href=\"/\">Startseite</a> <a href=\"/presse\">Presse</a> <a href=\"/themen\">Themen</a></nav></header>\
         <div class=\"page\"><h1>Landkreis tritt Zweckverband bei</h1><p>{SHORT}</p></div>\
         <footer><h2>Kontakt</h2><p>Kreisverwaltung Beispielstadt, Am Markt 1, 12345 Beispielstadt. Die \
         Telefonzentrale ist montags bis freitags von 8 bis 16 Uhr erreichbar, Termine im Bürgerbüro gibt es \
         online oder nach Vereinbarung auch am Samstagvormittag.</p><p>Öffnungszeiten: Montag bis Mittwoch 8 \
         bis 12 Uhr, Donnerstag 14 bis 18 Uhr, Freitag 8 bis 12 Uhr.</p></footer></body></html>"
    )
}

/// A page with nothing of its own: a cookie wall, navigation, a breadcrumb and a footer.
fn furniture_only() -> String {
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Pressemitteilung</title></head><body>\
     <div class=\"cookie-banner\"><p>Wir verwenden Cookies, um Ihnen die bestmögliche Nutzung unserer Webseite \
     zu ermöglichen. Mit der weiteren Nutzung stimmen Sie dem zu.</p><button>Akzeptieren</button></div>\
     <header><nav><a href=\"/\">Startseite</a> <a href=\"/presse\">Presse</a></nav></header>\
     <div class=\"breadcrumb\"><a href=\"/\">Start</a> › Presse</div><div class=\"page\"></div>\
     <footer><p>Kreisverwaltung Beispielstadt, Am Markt 1, 12345 Beispielstadt, Telefon montags bis freitags \
     von 8 bis 16 Uhr.</p></footer></body></html>"
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn one_bad_page_fails_alone_and_short_notices_are_kept() {
    let server = FaultServer::start().await;
    server.route("/feed.xml", vec![server.feed(&["/a", "/quotes", "/empty", "/short", "/e"])]);
    server.route("/a", vec![Reply::html(article("Vereinbarung A", BODY))]);
    server.route("/quotes", vec![Reply::html(article("IT-Kooperationsrat tagt", NESTED_QUOTES))]);
    server.route("/empty", vec![Reply::html(furniture_only())]);
    server.route("/short", vec![Reply::html(short_notice())]);
    server.route("/e", vec![Reply::html(article("Vereinbarung E", &format!("{BODY}\n\nDer fünfte Text.")))]);
    let env = Env::new().await;
    let sources =
        env.sources(&format!("[[source]]\nname = \"f\"\nkind = \"rss\"\nurl = \"{}\"\n", server.url("/feed.xml")));
    let sources = sources.to_str().unwrap();

    let out = env.run(&["harvest", "--sources", sources, "--source", "f"]).await;
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(out.status.success(), "a run with one bad item goes on: {said}");
    assert!(stdout(&out).contains("seen 5, new 4"), "{said}");
    assert!(stdout(&out).contains("failed 1"), "{said}");
    assert!(stdout(&out).contains(&format!("error: {}: no article text found", server.url("/empty"))), "{said}");

    let mut conn = db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    let stored: Vec<(String, String)> =
        documents::table.select((documents::url, documents::text)).order(documents::id).load(&mut conn).await.unwrap();
    let urls: Vec<&str> = stored.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(urls, ["/a", "/quotes", "/short", "/e"].map(|p| server.url(p)));
    let short = &stored[2].1;
    assert!(common::squash(short).contains(&common::squash(SHORT)), "the short notice's text: {short:?}");
    assert!(!short.contains("Telefonzentrale") && !short.contains("Startseite"), "furniture kept: {short:?}");
    assert!(stored[1].1.contains("IT-Kooperationsrat"));

    // the failed page is archived and remembered, so that a reparse reads it again
    let failed: Vec<(String, String, String)> = failed_items::table
        .select((failed_items::url, failed_items::raw_sha256, failed_items::error))
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].0, server.url("/empty"));
    assert!(failed[0].2.contains("no article text"));
    let archived: i64 = raw_responses::table
        .filter(raw_responses::sha256.eq(&failed[0].1))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(archived, 1, "the failed page's response is archived");

    let hits_before = server.hits("/empty").len();
    let out = env.run(&["reparse"]).await;
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!out.status.success(), "a reparse with a failed item says so in its exit code: {said}");
    assert!(stdout(&out).contains("seen 5") && stdout(&out).contains("failed 1"), "{said}");
    assert!(stdout(&out).contains(&server.url("/empty")), "{said}");
    assert_eq!(server.hits("/empty").len(), hits_before, "a reparse does not fetch");
}

#[tokio::test(flavor = "multi_thread")]
async fn extract_reports_a_bad_file_and_prints_the_others() {
    let env = Env::new().await;
    let dir = env.dir.clone();
    let good = dir.join("gut.txt");
    std::fs::write(&good, format!("Titel der Meldung\n\n{NESTED_QUOTES}")).unwrap();
    let other = dir.join("auch-gut.txt");
    std::fs::write(&other, format!("Zweite Meldung\n\n{BODY}")).unwrap();
    let missing = dir.join("fehlt.txt");
    let args =
        ["extract", good.to_str().unwrap(), missing.to_str().unwrap(), other.to_str().unwrap(), "--format", "jsonl"];
    let out = env.run(&args).await;
    assert!(!out.status.success(), "the exit code says that one input failed");
    let lines: Vec<serde_json::Value> =
        stdout(&out).lines().map(|l| serde_json::from_str(l).expect("one JSON object a line")).collect();
    assert_eq!(lines.len(), 3, "{}", stdout(&out));
    assert!(lines[0]["text"].as_str().unwrap().contains("IT-Kooperationsrat"));
    assert!(lines[1]["error"].as_str().unwrap().contains("fehlt.txt"));
    assert!(lines[2]["text"].as_str().unwrap().contains("Spitzenverbände"));
    assert!(stderr(&out).contains("fehlt.txt"), "{}", stderr(&out));
}
