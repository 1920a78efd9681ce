//! Crashes and several workers: a `kill -9` in the middle of a run loses nothing and doubles
//! nothing; two worker processes on one database never run a source twice at once.

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::faults::{FaultServer, Reply, article};
use common::{Env, stderr, stdout};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use govgraph_shared::db;
use govgraph_shared::schema::{documents, harvest_runs};

/// status, started, finished, worker
type RunRow = (String, chrono::DateTime<chrono::Utc>, Option<chrono::DateTime<chrono::Utc>>, Option<String>);

fn slow_site(server: &FaultServer, n: usize, every: Duration) -> Vec<String> {
    let paths: Vec<String> = (0..n).map(|i| format!("/artikel/{i}")).collect();
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    server.route("/feed.xml", vec![server.feed(&refs)]);
    for (i, p) in paths.iter().enumerate() {
        let text = format!(
            "Meldung {i}: Das Land und die Kommunen vereinbaren die gemeinsame Nutzung der Plattform.\n\n\
             Die Vereinbarung Nummer {i} gilt ab dem kommenden Jahr für alle beteiligten Verwaltungen."
        );
        server.route(
            p,
            vec![Reply::Drip {
                content_type: "text/html; charset=utf-8".into(),
                body: article(&format!("Meldung {i}"), &text).into_bytes(),
                chunks: 2,
                every,
            }],
        );
    }
    paths
}

async fn count_documents(url: &str) -> i64 {
    let mut c = db::pool(url, 1).unwrap().get().await.unwrap();
    documents::table.count().get_result(&mut c).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_mid_run_loses_nothing_and_doubles_nothing() {
    let server = FaultServer::start().await;
    slow_site(&server, 10, Duration::from_millis(150));
    let env = Env::new().await;
    let sources =
        env.sources(&format!("[[source]]\nname = \"slow\"\nkind = \"rss\"\nurl = \"{}\"\n", server.url("/feed.xml")));
    let sources = sources.to_str().unwrap();

    let mut child = env
        .command()
        .args(["harvest", "--sources", sources, "--source", "slow"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while count_documents(&env.db.url).await < 3 {
        assert!(Instant::now() < deadline, "the harvest stored nothing");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let before = count_documents(&env.db.url).await;
    assert!(before < 10, "the run finished before it was killed");

    let out = env.run(&["harvest", "--sources", sources, "--source", "slow"]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains(&format!("new {}, updated 0, unchanged {before}", 10 - before)), "{}", stdout(&out));
    assert_eq!(count_documents(&env.db.url).await, 10);

    let mut c = db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    let statuses: Vec<String> =
        harvest_runs::table.order(harvest_runs::id).select(harvest_runs::status).load(&mut c).await.unwrap();
    assert_eq!(statuses, ["interrupted", "succeeded"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_workers_never_run_a_source_twice_at_once() {
    let server = FaultServer::start().await;
    slow_site(&server, 4, Duration::from_millis(150));
    let env = Env::new().await;
    // every second: far more often than a run takes
    let sources = env.sources(&format!(
        "[[source]]\nname = \"busy\"\nkind = \"rss\"\nurl = \"{}\"\nschedule = \"* * * * * *\"\n",
        server.url("/feed.xml")
    ));
    let spawn = || {
        env.command()
            .args(["worker", "--sources", sources.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut workers = [spawn(), spawn()];
    tokio::time::sleep(Duration::from_secs(8)).await;
    for w in &workers {
        let _ = std::process::Command::new("kill").args(["-TERM", &w.id().to_string()]).status();
    }
    for w in &mut workers {
        assert!(w.wait().unwrap().success(), "a worker did not stop cleanly");
    }

    let mut c = db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    let runs: Vec<RunRow> = harvest_runs::table
        .order(harvest_runs::started_at)
        .select((harvest_runs::status, harvest_runs::started_at, harvest_runs::finished_at, harvest_runs::worker))
        .load(&mut c)
        .await
        .unwrap();
    assert!(runs.len() >= 2, "the source ran {} times in 8 s", runs.len());
    for pair in runs.windows(2) {
        let finished = pair[0].2.expect("every run finished or was interrupted");
        assert!(pair[1].1 >= finished, "two runs overlapped: {:?} and {:?}", pair[0], pair[1]);
    }
    assert!(runs.iter().all(|r| r.0 != "running"));
    assert_eq!(count_documents(&env.db.url).await, 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn up_stops_cleanly_in_the_middle_of_a_harvest_after_serving_requests() {
    let server = FaultServer::start().await;
    slow_site(&server, 10, Duration::from_millis(150));
    let env = Env::new().await;
    let sources =
        env.sources(&format!("[[source]]\nname = \"slow\"\nkind = \"rss\"\nurl = \"{}\"\n", server.url("/feed.xml")));
    let mut cmd = env.command();
    cmd.args(["up", "--bind", "127.0.0.1:0", "--sources", sources.to_str().unwrap()])
        .env("GOVGRAPH_DB_POOL_SIZE", "3")
        .env("GOVGRAPH_FETCH_DELAY_MS", "0")
        .env("RUST_LOG", "warn");
    let mut up = common::spawn_logging_to(cmd, Stdio::piped()).await;
    // the API opens connections of its own while the worker harvests
    let client = reqwest::Client::new();
    let requests = (0..20).map(|_| {
        client
            .post(format!("{}/graphql", up.url))
            .json(&serde_json::json!({ "query": "{ stats { nodesByType { key count } } }" }))
            .send()
    });
    for r in futures_util::future::join_all(requests).await {
        assert!(r.unwrap().status().is_success());
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while count_documents(&env.db.url).await < 2 {
        assert!(Instant::now() < deadline, "the harvest stored nothing");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(up.terminate().await.success(), "up did not stop cleanly");
    let mut log = String::new();
    std::io::Read::read_to_string(&mut up.child.stderr.take().unwrap(), &mut log).unwrap();
    assert!(!log.contains("ERROR"), "errors on a clean stop: {log}");

    // the run was closed and its job finished: nothing is left running or queued
    let mut c = db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    let statuses: Vec<String> = harvest_runs::table.select(harvest_runs::status).load(&mut c).await.unwrap();
    assert!(!statuses.is_empty() && !statuses.contains(&"running".to_owned()), "{statuses:?}");
    let jobs: i64 = govgraph_shared::schema::jobs::table.count().get_result(&mut c).await.unwrap();
    assert_eq!(jobs, 0, "the job of the stopped run is still queued");
}
