//! End to end: the real binary harvests a fixture site made of the five seed documents over real
//! HTTP into a real PostgreSQL, and the GraphQL API answers with what a user relies on.

mod common;

use std::collections::BTreeSet;

use common::{Env, FixtureSite, squash, stderr, stdout};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
struct Expected {
    page: Vec<ExpectedPage>,
}

#[derive(Deserialize)]
struct ExpectedPage {
    path: String,
    title: String,
    states: Vec<String>,
    published: String,
    published_source: String,
    first: String,
    last: String,
    absent: Vec<String>,
    #[serde(default)]
    absent_paragraphs: Vec<String>,
}

fn expected() -> Expected {
    let text = std::fs::read_to_string(common::fixtures().join("seed-site/expected.toml")).unwrap();
    toml::from_str(&text).unwrap()
}

async fn seed_site() -> FixtureSite {
    // one page is served as windows-1252 in the header too
    common::seed_site().await
}

fn sources(site: &FixtureSite) -> String {
    format!(
        r#"
[[source]]
name = "seed-rss"
kind = "rss"
url = "{base}/feed.xml"

[[source]]
name = "seed-atom"
kind = "rss"
url = "{base}/atom.xml"

[[source]]
name = "dead"
kind = "rss"
url = "http://127.0.0.1:9/feed.xml"
"#,
        base = site.base
    )
}

const ANNOUNCEMENTS: &str = r#"query($first: Int, $after: String, $state: StateCode) {
  announcements(first: $first, after: $after, filter: { state: $state }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id title url canonicalUrl publishedAt publishedDate publishedDateSource place
                          pressReleaseNumber text states { code } primaryState { code } source { name } } }
  }
}"#;

/// The announcement of an `announcements` answer whose canonical URL ends with `path`.
fn announcement<'a>(data: &'a Value, path: &str) -> &'a Value {
    data["announcements"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .find(|n| n["canonicalUrl"].as_str().unwrap().ends_with(path))
        .unwrap_or_else(|| panic!("{path} was not stored"))
}

const RUNS: &str = r#"{ harvestRuns(first: 10) { totalCount edges { node {
  status itemsSeen itemsNew itemsUnchanged itemsFailed message errors { url message } source { name } } } } }"#;

#[tokio::test(flavor = "multi_thread")]
async fn harvests_the_seed_site_into_the_graph() {
    let site = seed_site().await;
    let env = Env::new().await;
    let sources = env.sources(&sources(&site));
    let sources = sources.to_str().unwrap();

    let first = env.run(&["harvest", "--sources", sources, "--source", "seed-rss"]).await;
    assert!(first.status.success(), "first harvest failed: {}{}", stdout(&first), stderr(&first));
    assert!(stdout(&first).contains("succeeded"), "{}", stdout(&first));
    assert!(stdout(&first).contains("new 5"), "{}", stdout(&first));

    let mut server = env.spawn_server(&["serve", "--bind", "127.0.0.1:0"]).await;
    let data = server.data(ANNOUNCEMENTS, json!({ "first": 10 })).await;
    let conn = &data["announcements"];
    assert_eq!(conn["totalCount"], 5);
    let nodes: Vec<&Value> = conn["edges"].as_array().unwrap().iter().map(|e| &e["node"]).collect();
    assert_eq!(nodes.len(), 5);

    for page in expected().page {
        let node = announcement(&data, &page.path);
        assert_eq!(node["title"], page.title.as_str(), "{}", page.path);
        assert_eq!(node["publishedDate"], page.published.as_str(), "{}", page.path);
        assert_eq!(node["publishedDateSource"], page.published_source.as_str(), "{}", page.path);
        assert_eq!(node["source"]["name"], "seed-rss");

        // the gold states, and nothing but them (DE, the federal level, may be added)
        let states: BTreeSet<&str> =
            node["states"].as_array().unwrap().iter().map(|s| s["code"].as_str().unwrap()).collect();
        let laender: BTreeSet<&str> = states.iter().copied().filter(|c| *c != "DE").collect();
        let gold: BTreeSet<&str> = page.states.iter().map(String::as_str).collect();
        assert_eq!(laender, gold, "{}: states {states:?}", page.path);
        assert!(gold.contains(node["primaryState"]["code"].as_str().unwrap()), "{}", page.path);

        let text = node["text"].as_str().unwrap();
        let flat = squash(text);
        assert!(flat.contains(&squash(&page.first)), "{}: the text lacks its beginning:\n{text}", page.path);
        assert!(flat.contains(&squash(&page.last)), "{}: the text lacks its end:\n{text}", page.path);
        for furniture in &page.absent {
            assert!(!text.contains(furniture.as_str()), "{}: `{furniture}` reached the text:\n{text}", page.path);
        }
        for furniture in &page.absent_paragraphs {
            assert!(!text.split("\n\n").any(|p| p.trim() == furniture), "{}: `{furniture}` is a paragraph", page.path);
        }
    }
    // tracking parameters do not reach the key
    assert!(nodes.iter().all(|n| !n["canonicalUrl"].as_str().unwrap().contains("utm_")));
    // the windows-1252 page arrives as UTF-8 with its umlauts
    let pm = announcement(&data, "001.html");
    assert!(pm["text"].as_str().unwrap().contains("Spitzenverbände Sachsen-Anhalts"));
    assert_eq!(pm["place"], "Magdeburg");
    assert_eq!(pm["pressReleaseNumber"], "31");

    // newest first, the undated (none here) last; pages join up without gaps or repeats
    let dates: Vec<&str> = nodes.iter().map(|n| n["publishedAt"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = server.data(ANNOUNCEMENTS, json!({ "first": 2, "after": after })).await;
        let c = &page["announcements"];
        assert_eq!(c["totalCount"], 5);
        for e in c["edges"].as_array().unwrap() {
            seen.push(e["node"]["id"].as_str().unwrap().to_owned());
        }
        if !c["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = c["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    let all: Vec<String> = nodes.iter().map(|n| n["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(seen, all);

    // filter by state
    let sn = server.data(ANNOUNCEMENTS, json!({ "first": 10, "state": "SN" })).await;
    assert_eq!(sn["announcements"]["totalCount"], 2);

    // a second harvest, and the same pages through the Atom feed, store nothing new
    let second = env.run(&["harvest", "--sources", sources, "--source", "seed-rss"]).await;
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(stdout(&second).contains("new 0") && stdout(&second).contains("unchanged 5"), "{}", stdout(&second));
    let atom = env.run(&["harvest", "--sources", sources, "--source", "seed-atom"]).await;
    assert!(atom.status.success(), "{}", stderr(&atom));
    assert!(stdout(&atom).contains("new 0"), "{}", stdout(&atom));
    let data = server.data(ANNOUNCEMENTS, json!({ "first": 10 })).await;
    assert_eq!(data["announcements"]["totalCount"], 5);

    // an unreachable source fails loudly and shows as a failed run
    let dead = env.run(&["harvest", "--sources", sources, "--source", "dead"]).await;
    assert!(!dead.status.success());
    assert!(stderr(&dead).contains("could not be harvested"), "{}", stderr(&dead));
    let runs = server.data(RUNS, json!({})).await;
    let runs = &runs["harvestRuns"];
    assert_eq!(runs["totalCount"], 4);
    let newest = &runs["edges"][0]["node"];
    assert_eq!(newest["status"], "FAILED");
    assert_eq!(newest["source"]["name"], "dead");
    assert!(newest["errors"][0]["url"].as_str().unwrap().contains("127.0.0.1:9"));
    let first_run = &runs["edges"][3]["node"];
    assert_eq!((first_run["status"].as_str(), first_run["itemsNew"].as_i64()), (Some("SUCCEEDED"), Some(5)));
    let second_run = &runs["edges"][2]["node"];
    assert_eq!((second_run["itemsNew"].as_i64(), second_run["itemsUnchanged"].as_i64()), (Some(0), Some(5)));
    // what an operator asks after a night: which runs failed?
    let failed = server
        .data(
            r#"{ harvestRuns(filter: { status: FAILED }) { totalCount nodes { source { name } errors { url } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(failed["harvestRuns"]["totalCount"], 1);
    assert_eq!(failed["harvestRuns"]["nodes"][0]["source"]["name"], "dead");

    assert!(server.terminate().await.success());
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_sources_and_bad_queries_get_clear_errors() {
    let site = seed_site().await;
    let env = Env::new().await;
    let sources = env.sources(&sources(&site));
    let out = env.run(&["harvest", "--sources", sources.to_str().unwrap(), "--source", "nope"]).await;
    assert!(!out.status.success());
    assert!(stderr(&out).contains("unknown source `nope`"), "{}", stderr(&out));
    assert!(stderr(&out).contains("seed-rss"), "the message lists the known sources: {}", stderr(&out));

    let server = env.spawn_server(&["serve", "--bind", "127.0.0.1:0"]).await;
    // a state outside the vocabulary does not run
    let answer = server.graphql(ANNOUNCEMENTS, json!({ "state": "XX" })).await;
    assert!(answer["data"].is_null() && answer["errors"][0]["message"].as_str().unwrap().contains("XX"), "{answer}");
    for (vars, needle) in
        [(json!({ "first": 1000 }), "between 0 and 100"), (json!({ "after": "not-a-cursor" }), "not a cursor")]
    {
        let answer = server.graphql(ANNOUNCEMENTS, vars.clone()).await;
        let error = &answer["errors"][0];
        assert!(error["message"].as_str().unwrap().contains(needle), "{vars}: {answer}");
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{vars}: {answer}");
    }
    let answer = server.graphql("{ announcements(first: 1) { nope } }", json!({})).await;
    assert!(answer["errors"][0]["message"].as_str().unwrap().contains("nope"), "{answer}");
}

#[tokio::test(flavor = "multi_thread")]
async fn up_migrates_schedules_harvests_and_serves() {
    let site = seed_site().await;
    let env = Env::new().await;
    let sources = env.sources(&format!(
        "[[source]]\nname = \"seed-rss\"\nkind = \"rss\"\nurl = \"{}/feed.xml\"\nschedule = \"0 0 3 * * *\"\n",
        site.base
    ));
    let mut server = env.spawn_server(&["up", "--bind", "127.0.0.1:0", "--sources", sources.to_str().unwrap()]).await;

    let health = reqwest::get(format!("{}/healthz", server.url)).await.unwrap();
    assert!(health.status().is_success());
    let graphiql = reqwest::get(format!("{}/graphql", server.url)).await.unwrap().text().await.unwrap();
    assert!(graphiql.to_lowercase().contains("graphiql"));
    let states = server.data("{ states { code name agsPrefix } }", json!({})).await;
    let states = states["states"].as_array().unwrap();
    assert_eq!(states.len(), 17);
    assert_eq!(states[0]["code"], "SH");
    assert_eq!(states[16]["code"], "DE");

    // a source that never ran is harvested at start, through the job queue
    let mut total = 0;
    for _ in 0..120 {
        let data = server.data("{ announcements(first: 1) { totalCount } }", json!({})).await;
        total = data["announcements"]["totalCount"].as_i64().unwrap();
        if total == 5 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert_eq!(total, 5);
    let runs = server.data(RUNS, json!({})).await;
    assert_eq!(runs["harvestRuns"]["edges"][0]["node"]["status"], "SUCCEEDED");
    assert!(server.terminate().await.success(), "up stops cleanly on SIGTERM");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_private_cluster_is_started_and_stopped_when_asked_for() {
    let env = Env::new().await;
    let data_dir = env.dir.join("private");
    let out = tokio::task::spawn_blocking({
        let mut cmd = env.command();
        cmd.env_remove("DATABASE_URL")
            .env("GOVGRAPH_DATABASE", "private")
            .env("GOVGRAPH_DATA_DIR", &data_dir)
            .arg("migrate");
        move || cmd.output().unwrap()
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("private PostgreSQL cluster started in"), "{}", stdout(&out));
    assert!(data_dir.join("pgdata/PG_VERSION").exists());
    // stopped on exit
    assert!(!data_dir.join("pgdata/postmaster.pid").exists());
}

fn listing_sources(site: &FixtureSite) -> String {
    let selectors = r#"
[source.selectors]
item = "li.listEntry"
link = "h4.listEntryTitle a"
date = "div.listEntryDate"
next_page = "div.pageNaviList a.pageNaviNextLink"
"#;
    format!(
        "[[source]]\nname = \"listing\"\nkind = \"html\"\nurl = \"{base}/liste/index.html\"\nmax_pages = 5\n{selectors}\n\
         [[source]]\nname = \"sitemap\"\nkind = \"sitemap\"\nurl = \"{base}/sitemap.xml\"\nurl_pattern = \"/artikel/\"\n\n\
         [[source]]\nname = \"redesigned\"\nkind = \"html\"\nurl = \"{base}/liste/umgebaut.html\"\n{selectors}",
        base = site.base
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn listings_and_sitemaps_are_harvested_and_a_changed_structure_is_reported() {
    let site = seed_site().await;
    let env = Env::new().await;
    let sources = env.sources(&listing_sources(&site));
    let sources = sources.to_str().unwrap();

    let out = env.run(&["harvest", "--sources", sources, "--source", "listing"]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("seen 5, new 5"), "both listing pages were read: {}", stdout(&out));
    let again = env.run(&["harvest", "--sources", sources, "--source", "listing"]).await;
    assert!(stdout(&again).contains("new 0"), "{}", stdout(&again));

    // the sitemap index leads to the same five pages, and its pattern keeps other pages out
    let out = env.run(&["harvest", "--sources", sources, "--source", "sitemap"]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("seen 5, new 0, updated 0, unchanged 5, failed 0"), "{}", stdout(&out));

    // a listing whose selectors match nothing is degraded, with a message that says why
    let out = env.run(&["harvest", "--sources", sources, "--source", "redesigned"]).await;
    assert!(out.status.success(), "a degraded run is not a failure: {}", stderr(&out));
    assert!(stdout(&out).contains("degraded"), "{}", stdout(&out));

    let server = env.spawn_server(&["serve", "--bind", "127.0.0.1:0"]).await;
    let data = server.data(ANNOUNCEMENTS, json!({ "first": 10 })).await;
    assert_eq!(data["announcements"]["totalCount"], 5);
    let pm = announcement(&data, "001.html");
    assert_eq!(pm["publishedDate"], "2014-07-15");
    let runs = server.data(RUNS, json!({})).await;
    let newest = &runs["harvestRuns"]["edges"][0]["node"];
    assert_eq!(newest["status"], "DEGRADED");
    assert!(newest["message"].as_str().unwrap().contains("matched nothing"), "{newest}");
}

#[tokio::test(flavor = "multi_thread")]
async fn robots_txt_and_the_per_host_delay_are_honoured() {
    let site = seed_site().await;
    site.set_robots("User-agent: *\nDisallow: /artikel/003.html\n");
    let env = Env::new().await;
    let sources = env.sources(&format!(
        "[[source]]\nname = \"polite\"\nkind = \"rss\"\nurl = \"{}/feed.xml\"\ndelay_ms = 300\n",
        site.base
    ));
    let out = env.run(&["harvest", "--sources", sources.to_str().unwrap(), "--source", "polite"]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("new 4") && stdout(&out).contains("skipped 1"), "{}", stdout(&out));

    let requests = site.requests();
    let paths: Vec<&str> = requests.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths[0], "/robots.txt", "robots.txt is read first: {paths:?}");
    assert_eq!(paths.iter().filter(|p| **p == "/robots.txt").count(), 1, "and once: {paths:?}");
    assert!(!paths.contains(&"/artikel/003.html"), "a disallowed page was requested: {paths:?}");
    for pair in requests.windows(2) {
        let gap = pair[1].1.duration_since(pair[0].1);
        assert!(gap >= std::time::Duration::from_millis(295), "{} came {gap:?} after {}", pair[1].0, pair[0].0);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn reparse_reads_the_archive_without_fetching_and_sources_lists_the_runs() {
    let site = seed_site().await;
    let env = Env::new().await;
    let sources = env.sources(&sources(&site));
    let sources = sources.to_str().unwrap();
    let out = env.run(&["harvest", "--sources", sources, "--source", "seed-rss"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    drop(site); // nothing can be fetched any more

    // what an older extractor might have left behind
    {
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        use govgraph_shared::schema::documents;
        let mut c = govgraph_shared::db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
        diesel::update(documents::table.filter(documents::canonical_url.like("%001.html")))
            .set((documents::text.eq("Startseite Impressum verstümmelt"), documents::content_hash.eq("old")))
            .execute(&mut c)
            .await
            .unwrap();
    }
    let out = env.run(&["reparse"]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("seen 5, updated 1, unchanged 4, failed 0"), "{}", stdout(&out));
    let server = env.spawn_server(&["serve", "--bind", "127.0.0.1:0"]).await;
    let data = server.data(ANNOUNCEMENTS, json!({ "first": 10 })).await;
    let pm = announcement(&data, "001.html");
    assert!(pm["text"].as_str().unwrap().starts_with("Land und kommunale Spitzenverbände Sachsen-Anhalts"));

    let out = env.run(&["sources", "--sources", sources]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let listing = stdout(&out);
    let line = listing.lines().find(|l| l.starts_with("seed-rss")).unwrap_or_else(|| panic!("{listing}"));
    assert!(line.contains("succeeded (5 new, 0 failed)") && line.contains("on demand"), "{line}");
    assert!(listing.lines().any(|l| l.starts_with("dead") && l.contains("never")), "{listing}");
}
