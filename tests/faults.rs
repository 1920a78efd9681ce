//! The faults a real site throws at the harvester, from a fault-injecting server over real HTTP.
//! Each test checks what is stored afterwards and what the harvest run reports.

mod common;

use std::io::Write;
use std::time::Duration;

use common::faults::{FaultServer, Reply, article};
use common::{Env, stderr, stdout};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use govgraph_shared::db;
use govgraph_shared::models::{Document, HarvestRun, RunStatus};
use govgraph_shared::schema::{document_versions, documents};

const BODY: &str = "Das Land und die kommunalen Spitzenverbände haben eine Vereinbarung über die Zusammenarbeit \
    im E-Government unterzeichnet.\n\nDie Vereinbarung regelt den Betrieb gemeinsamer Plattformen und die \
    Finanzierung der Basiskomponenten in den kommenden Jahren.";

fn source(server: &FaultServer) -> String {
    format!("[[source]]\nname = \"f\"\nkind = \"rss\"\nurl = \"{}\"\n", server.url("/feed.xml"))
}

async fn harvest(env: &Env, server: &FaultServer, vars: &[(&str, &str)]) -> std::process::Output {
    let sources = env.sources(&source(server));
    env.run_with(&["harvest", "--sources", sources.to_str().unwrap(), "--source", "f"], vars).await
}

async fn conn(env: &Env) -> govgraph_shared::db::PooledConn {
    db::pool(&env.db.url, 1).unwrap().get().await.unwrap()
}

async fn last_run(env: &Env) -> HarvestRun {
    let mut c = conn(env).await;
    HarvestRun::list(&mut c, &Default::default(), govgraph_shared::models::Page::first(1)).await.unwrap().remove(0)
}

/// The run's error message for the URL that ends in `path`.
fn error_of(errors: &[govgraph_shared::models::RunError], path: &str) -> String {
    errors
        .iter()
        .find(|e| e.url.ends_with(path))
        .map(|e| e.message.clone())
        .unwrap_or_else(|| panic!("no error for {path}: {errors:?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_and_rate_limits_are_retried() {
    let server = FaultServer::start().await;
    server.route("/feed.xml", vec![server.feed(&["/a", "/b", "/c"])]);
    server.route("/a", vec![Reply::status(500), Reply::html(article("A", BODY))]);
    server.route(
        "/b",
        vec![
            Reply::Status { code: 429, headers: vec![("Retry-After".into(), "1".into())] },
            Reply::html(article("B", &format!("{BODY}\n\nZweiter Text."))),
        ],
    );
    server.route("/c", vec![Reply::html(article("C", &format!("{BODY}\n\nDritter Text.")))]);
    let env = Env::new().await;
    let out = harvest(&env, &server, &[]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("new 3") && stdout(&out).contains("failed 0"), "{}", stdout(&out));
    assert_eq!(server.hits("/a").len(), 2);
    let b = server.hits("/b");
    assert_eq!(b.len(), 2);
    assert!(b[1].at.duration_since(b[0].at) >= Duration::from_millis(950), "Retry-After was not honoured");
    assert_eq!(last_run(&env).await.status, RunStatus::Succeeded);
}

#[tokio::test(flavor = "multi_thread")]
async fn broken_responses_fail_alone_and_are_reported() {
    let server = FaultServer::start().await;
    let pages = ["/good", "/drip", "/hang", "/truncated", "/large", "/bomb", "/loop", "/empty"];
    server.route("/feed.xml", vec![server.feed(&pages)]);
    server.route("/good", vec![Reply::html(article("Gut", BODY))]);
    server.route(
        "/drip",
        vec![Reply::Drip {
            content_type: "text/html; charset=utf-8".into(),
            body: article("Tropfen", &format!("{BODY}\n\nLangsam geliefert.")).into_bytes(),
            chunks: 5,
            every: Duration::from_millis(150),
        }],
    );
    server.route("/hang", vec![Reply::Hang]);
    server.route(
        "/truncated",
        vec![Reply::Truncated { content_type: "text/html".into(), body: article("Halb", BODY).into_bytes() }],
    );
    server.route("/large", vec![Reply::html(article("Groß", &"Sehr langer Text. ".repeat(20_000)))]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&vec![b' '; 20 * 1024 * 1024]).unwrap();
    let bomb = gz.finish().unwrap();
    assert!(bomb.len() < 100_000);
    server.route(
        "/bomb",
        vec![Reply::Ok {
            content_type: "text/html".into(),
            body: bomb,
            headers: vec![("Content-Encoding".into(), "gzip".into())],
        }],
    );
    server.route("/loop", vec![Reply::Status { code: 302, headers: vec![("Location".into(), "/loop".into())] }]);
    server.route("/empty", vec![Reply::html("<html><body><nav><a href=\"/\">Startseite</a></nav></body></html>")]);

    let env = Env::new().await;
    let out =
        harvest(&env, &server, &[("GOVGRAPH_FETCH_TIMEOUT_SECS", "2"), ("GOVGRAPH_MAX_BODY_BYTES", "200000")]).await;
    assert!(out.status.success(), "a run with some good items succeeds: {}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("seen 8, new 2"), "{}", stdout(&out));
    assert!(stdout(&out).contains("failed 6"), "{}", stdout(&out));

    let run = last_run(&env).await;
    assert_eq!(run.status, RunStatus::Partial);
    let errors = run.error_list();
    let error_of = |path: &str| error_of(&errors, path);
    assert!(error_of("/hang").contains("timed out"), "{}", error_of("/hang"));
    error_of("/truncated");
    assert!(error_of("/large").contains("larger than 200000"), "{}", error_of("/large"));
    assert!(error_of("/bomb").contains("larger than 200000"), "{}", error_of("/bomb"));
    assert!(error_of("/loop").contains("redirect"), "{}", error_of("/loop"));
    assert!(error_of("/empty").contains("no article"), "{}", error_of("/empty"));

    let mut c = conn(&env).await;
    let stored: Vec<String> = documents::table.select(documents::canonical_url).load(&mut c).await.unwrap();
    assert_eq!(stored.len(), 2, "{stored:?}");
    assert!(stored.iter().any(|u| u.ends_with("/good")) && stored.iter().any(|u| u.ends_with("/drip")));
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_charsets_and_broken_bytes_become_clean_utf8() {
    let server = FaultServer::start().await;
    server.route("/feed.xml", vec![server.feed(&["/latin", "/broken"])]);
    let latin =
        article("Grüße aus Thüringen", &format!("{BODY}\n\nDie Straße führt über Gößnitz nach Köln – für 5 €."));
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&latin);
    server.route("/latin", vec![Reply::with_type("text/html; charset=utf-8", bytes.into_owned())]);
    let mut broken =
        article("Kaputte Bytes", &format!("{BODY}\n\nÄrger über Übertragungsfehler in Düsseldorf.")).into_bytes();
    let at = broken.len() - 40;
    broken.insert(at, 0xff);
    server.route("/broken", vec![Reply::html(broken)]);

    let env = Env::new().await;
    let out = harvest(&env, &server, &[]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let mut c = conn(&env).await;
    let latin = Document::find_by_canonical_url(&mut c, &server.url("/latin")).await.unwrap().unwrap();
    assert_eq!(latin.title, "Grüße aus Thüringen");
    assert!(latin.text.contains("Die Straße führt über Gößnitz nach Köln – für 5 €."), "{}", latin.text);
    let broken = Document::find_by_canonical_url(&mut c, &server.url("/broken")).await.unwrap().unwrap();
    assert!(broken.text.contains("Ärger über Übertragungsfehler in Düsseldorf."), "{}", broken.text);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_feed_fails_the_run_and_stores_nothing() {
    let server = FaultServer::start().await;
    server.route("/feed.xml", vec![Reply::with_type("application/rss+xml", "<rss><channel><item><title>kaputt")]);
    let env = Env::new().await;
    let out = harvest(&env, &server, &[]).await;
    assert!(!out.status.success());
    assert!(stderr(&out).contains("could not be parsed"), "{}", stderr(&out));
    assert_eq!(last_run(&env).await.status, RunStatus::Failed);
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicates_versions_and_conditional_requests() {
    let server = FaultServer::start().await;
    server.route("/feed.xml", vec![server.feed(&["/etag", "/changes", "/copy"])]);
    let etag_page = article("Mit ETag", &format!("{BODY}\n\nSeite mit Validator."));
    server.route(
        "/etag",
        vec![Reply::Conditional {
            etag: "\"v1\"".into(),
            content_type: "text/html; charset=utf-8".into(),
            body: etag_page.into_bytes(),
        }],
    );
    let first = article("Erste Fassung", &format!("{BODY}\n\nErste Fassung des Textes."));
    server.route("/changes", vec![Reply::html(first.clone())]);
    // the same text at a second URL (syndication)
    server.route("/copy", vec![Reply::html(first)]);

    let env = Env::new().await;
    let out = harvest(&env, &server, &[]).await;
    assert!(stdout(&out).contains("seen 3, new 2, updated 0, unchanged 1"), "{}", stdout(&out));

    server.route(
        "/changes",
        vec![Reply::html(article("Zweite Fassung", &format!("{BODY}\n\nZweite Fassung des Textes.")))],
    );
    let out = harvest(&env, &server, &[]).await;
    assert!(stdout(&out).contains("new 0, updated 1, unchanged 2"), "{}", stdout(&out));
    // the second request carried the validator and was answered 304
    let etag_hits = server.hits("/etag");
    assert_eq!(etag_hits.last().unwrap().if_none_match.as_deref(), Some("\"v1\""));

    let mut c = conn(&env).await;
    let doc = Document::find_by_canonical_url(&mut c, &server.url("/changes")).await.unwrap().unwrap();
    assert_eq!((doc.version, doc.title.as_str()), (2, "Zweite Fassung"));
    let old: Vec<(i32, String)> = document_versions::table
        .filter(document_versions::document_id.eq(doc.id))
        .select((document_versions::version, document_versions::text))
        .load(&mut c)
        .await
        .unwrap();
    assert_eq!(old.len(), 1);
    assert!(old[0].1.contains("Erste Fassung des Textes."));
    let copy = Document::find_by_canonical_url(&mut c, &server.url("/copy")).await.unwrap().unwrap();
    assert!(copy.duplicate_of.is_some(), "the copy points to the first URL with that text");
    let listed = Document::count(&mut c, &Default::default()).await.unwrap();
    assert_eq!(listed, 2, "duplicates are not listed twice");

    // a third run: the feed itself is unchanged text, nothing new anywhere
    let out = harvest(&env, &server, &[]).await;
    assert!(stdout(&out).contains("new 0, updated 0"), "{}", stdout(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reprint_with_a_new_footer_is_flagged_as_a_near_duplicate() {
    let server = FaultServer::start().await;
    server.route("/feed.xml", vec![server.feed(&["/original", "/reprint", "/other"])]);
    let text = format!(
        "{BODY}\n\nDie Landesregierung stellt dafür in den kommenden fünf Jahren Mittel aus dem Haushalt bereit."
    );
    server.route("/original", vec![Reply::html(article("Vereinbarung unterzeichnet", &text))]);
    server.route(
        "/reprint",
        vec![Reply::html(article("Vereinbarung unterzeichnet", &format!("{text}\n\nNachdruck mit Genehmigung.")))],
    );
    server.route(
        "/other",
        vec![Reply::html(article(
            "Haushalt beschlossen",
            "Der Kreistag hat den Haushalt für das kommende Jahr beschlossen. Die Kreisumlage sinkt leicht, die \
             Investitionen in Schulen und Straßen steigen deutlich, wie der Kämmerer erklärte.",
        ))],
    );
    let env = Env::new().await;
    let out = harvest(&env, &server, &[]).await;
    assert!(stdout(&out).contains("new 3"), "{}", stdout(&out));
    let mut c = conn(&env).await;
    let original = Document::find_by_canonical_url(&mut c, &server.url("/original")).await.unwrap().unwrap();
    let reprint = Document::find_by_canonical_url(&mut c, &server.url("/reprint")).await.unwrap().unwrap();
    let other = Document::find_by_canonical_url(&mut c, &server.url("/other")).await.unwrap().unwrap();
    assert_eq!(reprint.near_duplicate_of, Some(original.id));
    assert_eq!(other.near_duplicate_of, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_redirect_hop_waits_for_its_host_and_obeys_robots_txt() {
    let server = FaultServer::start().await;
    server.route("/robots.txt", vec![Reply::with_type("text/plain", "User-agent: *\nDisallow: /intern/\n")]);
    server.route("/feed.xml", vec![server.feed(&["/hop1", "/moved"])]);
    // three hops on one host, then the article
    server.route("/hop1", vec![Reply::redirect("/hop2")]);
    server.route("/hop2", vec![Reply::redirect(&server.url("/hop3"))]);
    server.route("/hop3", vec![Reply::redirect("article")]);
    server.route("/article", vec![Reply::html(article("Umgeleitet", BODY))]);
    // a hop into a path robots.txt disallows
    server.route("/moved", vec![Reply::redirect("/intern/seite")]);
    server.route("/intern/seite", vec![Reply::html(article("Intern", &format!("{BODY}\n\nNur intern.")))]);

    let env = Env::new().await;
    let sources = env.sources(&format!(
        "[[source]]\nname = \"f\"\nkind = \"rss\"\nurl = \"{}\"\ndelay_ms = 300\n",
        server.url("/feed.xml")
    ));
    let out = env.run(&["harvest", "--sources", sources.to_str().unwrap(), "--source", "f"]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));

    let log = server.log();
    let paths: Vec<&str> = log.iter().map(|h| h.path.as_str()).collect();
    assert!(server.hits("/intern/seite").is_empty(), "a hop robots.txt disallows was requested: {paths:?}");
    for path in ["/hop1", "/hop2", "/hop3", "/article", "/moved", "/robots.txt"] {
        assert_eq!(server.hits(path).len(), 1, "{path} once: {paths:?}");
    }
    for pair in log.windows(2) {
        let gap = pair[1].at.duration_since(pair[0].at);
        assert!(gap >= Duration::from_millis(295), "{} came {gap:?} after {}: {paths:?}", pair[1].path, pair[0].path);
    }
    assert!(stdout(&out).contains("new 1") && stdout(&out).contains("skipped 1"), "{}", stdout(&out));
    let mut c = conn(&env).await;
    let titles: Vec<String> = documents::table.select(documents::title).load(&mut c).await.unwrap();
    assert_eq!(titles, ["Umgeleitet"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn redirect_loops_and_long_chains_fail_at_once_without_retries() {
    let server = FaultServer::start().await;
    server.route("/feed.xml", vec![server.feed(&["/good", "/self", "/ping", "/chain0"])]);
    server.route("/good", vec![Reply::html(article("Gut", BODY))]);
    server.route("/self", vec![Reply::redirect("/self")]);
    server.route("/ping", vec![Reply::redirect("/pong")]);
    server.route("/pong", vec![Reply::redirect("/ping")]);
    for i in 0..10 {
        server.route(&format!("/chain{i}"), vec![Reply::redirect(&format!("/chain{}", i + 1))]);
    }

    let env = Env::new().await;
    let out = harvest(&env, &server, &[]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("new 1") && stdout(&out).contains("failed 3"), "{}", stdout(&out));

    // each URL of a loop or a chain was asked once: the failure is permanent, not retried
    let paths: Vec<String> = server.log().into_iter().map(|h| h.path).collect();
    for path in ["/self", "/ping", "/pong", "/chain0", "/chain1", "/chain2", "/chain3", "/chain4", "/chain5"] {
        assert_eq!(server.hits(path).len(), 1, "{path} once: {paths:?}");
    }
    assert!(server.hits("/chain6").is_empty(), "the sixth redirect is not followed: {paths:?}");

    let errors = last_run(&env).await.error_list();
    let error_of = |path: &str| error_of(&errors, path);
    assert!(error_of("/self").contains("redirect loop"), "{}", error_of("/self"));
    assert!(error_of("/ping").contains("redirect loop"), "{}", error_of("/ping"));
    assert!(error_of("/chain0").contains("more than 5 redirects"), "{}", error_of("/chain0"));
}
