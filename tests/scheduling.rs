//! The scheduler follows the `sources` table: a source that an editor adds through the API is
//! harvested at once and then on its schedule by a worker that is already running, a disabled one
//! stops, and a restart with another sources file retires the file's old sources but keeps the
//! editors' ones (also a file source that an editor has put since).

mod common;

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{Env, Server};
use serde_json::{Value, json};

const TOKEN: &str = "s3cret-token";

fn worker(env: &Env, sources: &std::path::Path) -> Child {
    env.command()
        .args(["worker", "--sources", sources.to_str().unwrap()])
        .env("GOVGRAPH_SCHEDULE_RELOAD_SECS", "1")
        .env("GOVGRAPH_FETCH_DELAY_MS", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn stop(mut child: Child) {
    let _ = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    assert!(child.wait().unwrap().success(), "the worker did not stop cleanly");
}

async fn runs_of(server: &Server, source: &str) -> i64 {
    let data = server
        .data("query($s: String) { harvestRuns(filter: { source: $s }) { totalCount } }", json!({ "s": source }))
        .await;
    data["harvestRuns"]["totalCount"].as_i64().unwrap()
}

async fn sources(server: &Server) -> Vec<(String, String, bool)> {
    let data = server.data("{ sources(first: 100) { nodes { name origin enabled } } }", json!({})).await;
    let nodes = data["sources"]["nodes"].as_array().unwrap().clone();
    let field = |n: &Value, k: &str| n[k].as_str().unwrap().to_owned();
    nodes.iter().map(|n| (field(n, "name"), field(n, "origin"), n["enabled"].as_bool().unwrap())).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn sources_added_through_the_api_are_scheduled_by_a_running_worker() {
    let site = common::seed_site().await;
    let env = Env::new().await;
    let file = env.sources(&format!(
        "[[source]]\nname = \"seed-rss\"\nkind = \"rss\"\nurl = \"{0}/feed.xml\"\n\n\
         [[source]]\nname = \"seed-c\"\nkind = \"rss\"\nurl = \"{0}/feed.xml\"\n",
        site.base
    ));
    let mut cmd = env.command();
    cmd.args(["serve", "--bind", "127.0.0.1:0"]).env("GOVGRAPH_API_TOKEN", format!("ed:{TOKEN}"));
    let server = common::spawn(cmd).await;
    let running = worker(&env, &file);

    // an editor adds a source that runs every two seconds
    server
        .data_as(
            TOKEN,
            r#"mutation($url: String!) { putSource(name: "seed-atom", kind: RSS, url: $url, schedule: "*/2 * * * * *") }"#,
            json!({ "url": format!("{}/atom.xml", site.base) }),
        )
        .await;
    // its first harvest at once, then at least one on its schedule
    let deadline = Instant::now() + Duration::from_secs(60);
    while runs_of(&server, "seed-atom").await < 3 {
        assert!(Instant::now() < deadline, "the new source was not scheduled");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // disabled, it stops once the worker has read the table again
    server.data_as(TOKEN, r#"mutation { setSourceEnabled(name: "seed-atom", enabled: false) }"#, json!({})).await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    let settled = runs_of(&server, "seed-atom").await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(runs_of(&server, "seed-atom").await, settled, "a disabled source kept running");
    server.data_as(TOKEN, r#"mutation { setSourceEnabled(name: "seed-atom", enabled: true) }"#, json!({})).await;
    // an editor takes over a source of the file
    server
        .data_as(
            TOKEN,
            r#"mutation($url: String!) { putSource(name: "seed-c", kind: RSS, url: $url) }"#,
            json!({ "url": format!("{}/feed.xml", site.base) }),
        )
        .await;
    stop(running);

    // a restart with a file that no longer names `seed-rss` and `seed-c` retires the first; the
    // editors' sources stay
    let file =
        env.sources(&format!("[[source]]\nname = \"seed-b\"\nkind = \"rss\"\nurl = \"{}/feed.xml\"\n", site.base));
    let running = worker(&env, &file);
    let deadline = Instant::now() + Duration::from_secs(60);
    let expected = vec![
        ("seed-atom".to_owned(), "API".to_owned(), true),
        ("seed-b".to_owned(), "FILE".to_owned(), true),
        ("seed-c".to_owned(), "API".to_owned(), true),
        ("seed-rss".to_owned(), "FILE".to_owned(), false),
    ];
    loop {
        let now = sources(&server).await;
        if now == expected {
            break;
        }
        assert!(Instant::now() < deadline, "{now:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    stop(running);
}
