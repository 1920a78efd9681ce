//! The explorer in a real browser: headless Chromium driven through WebDriver (chromedriver,
//! fantoccini) over the real binary serving a graph harvested from the seed site. A reader
//! searches, opens an announcement, follows a highlighted mention to the actor's page, opens the
//! network view and expands a node; an editor signs in with a token and confirms a candidate.
//! Every step takes a screenshot into `target/tmp/explorer-screenshots/`, and every page is
//! checked with axe-core (no serious or critical violations).
//!
//! Without Chromium and chromedriver (Debian's `chromium` and `chromium-driver`, which `.ci/run`
//! installs) the test says so and skips; with `GOVGRAPH_REQUIRE_BROWSER=1` (set by `.ci/run` once
//! they are installed) a missing browser fails it.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::Env;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const TOKEN: &str = "browser-test-token";

fn find_program(env_var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env_var).map(PathBuf::from).filter(|p| p.is_file()) {
        return Some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).flat_map(|dir| names.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

/// chromedriver on a free port; killed on drop.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_driver(program: &PathBuf) -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(program)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    // from here on, dropping the driver stops the process
    let driver = Driver { child, url: format!("http://127.0.0.1:{port}") };
    for _ in 0..100 {
        if reqwest::get(format!("{}/status", driver.url)).await.is_ok_and(|r| r.status().is_success()) {
            return driver;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on {}", driver.url);
}

struct Browser {
    client: Client,
    shots: PathBuf,
    step: usize,
    axe: String,
}

impl Browser {
    async fn screenshot(&mut self, name: &str) -> PathBuf {
        self.step += 1;
        let path = self.shots.join(format!("{:02}-{name}.png", self.step));
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::write(&path, png).unwrap();
        eprintln!("screenshot: {}", path.display());
        path
    }

    /// Runs axe-core on the page; panics on serious or critical violations.
    async fn accessible(&self, page: &str) {
        self.client.execute(&self.axe, vec![]).await.expect("load axe-core");
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                    .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))))
                    .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));",
                vec![],
            )
            .await
            .expect("run axe-core");
        let violations = result.as_array().cloned().unwrap_or_default();
        for v in &violations {
            eprintln!("axe on {page}: {} ({}): {} at {}", v["id"], v["impact"], v["help"], v["nodes"]);
        }
        let grave: Vec<&Value> =
            violations.iter().filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical"))).collect();
        assert!(grave.is_empty(), "serious or critical accessibility violations on {page}: {grave:#?}");
    }

    async fn text(&self, css: &str) -> String {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_read_follow_expand_and_review_in_chromium() {
    let chromium = find_program("CHROME", &["chromium", "chromium-browser", "google-chrome"]);
    let driver = find_program("CHROMEDRIVER", &["chromedriver"]);
    let (Some(chromium), Some(driver_program)) = (chromium, driver) else {
        let message = "SKIPPED explorer browser test: no Chromium and chromedriver found (install Debian's `chromium` and `chromium-driver`, or set CHROME and CHROMEDRIVER)";
        assert!(
            std::env::var("GOVGRAPH_REQUIRE_BROWSER").map_or(true, |v| v != "1"),
            "{message}, but GOVGRAPH_REQUIRE_BROWSER=1"
        );
        eprintln!("{message}");
        return;
    };

    // a graph harvested from the seed site, served with an editor's token
    let env = Env::new().await;
    let site = common::seed_site().await;
    env.harvest_seed_site(&site).await;
    let mut cmd = env.command();
    cmd.args(["serve", "--bind", "127.0.0.1:0"]).env("GOVGRAPH_API_TOKEN", format!("redaktion:{TOKEN}"));
    let server = common::spawn(cmd).await;
    let base = server.url.clone();

    let driver = start_driver(&driver_program).await;
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("chrome"));
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium.to_string_lossy(),
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000", "--lang=de-DE"],
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a Chromium session");
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("explorer-screenshots");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    let axe = std::fs::read_to_string(common::fixtures().join("axe-core/axe.min.js")).expect("the vendored axe-core");
    let mut b = Browser { client, shots, step: 0, axe };

    let outcome = async {
        // 1. the start page: counts, latest announcements, the search box
        b.client.goto(&format!("{base}/")).await.unwrap();
        assert_eq!(b.client.title().await.unwrap(), "Start – govgraph");
        let lang = b.client.find(Locator::Css("html")).await.unwrap().attr("lang").await.unwrap();
        assert_eq!(lang.as_deref(), Some("de"));
        let latest = b.client.find_all(Locator::Css("ol.announcements > li")).await.unwrap();
        assert_eq!(latest.len(), 5, "the five harvested announcements");
        b.screenshot("start").await;
        b.accessible("start").await;

        // 2. search for a word: hits with highlighted snippets and facets
        let input = b.client.find(Locator::Id("suche-start")).await.unwrap();
        input.send_keys("Rahmenvereinbarung").await.unwrap();
        b.client.find(Locator::Css(".big-search button[type=submit]")).await.unwrap().click().await.unwrap();
        let heading = b.text("#treffer").await;
        assert!(heading.contains("Treffer für „Rahmenvereinbarung“"), "{heading}");
        assert!(b.path().await.starts_with("/suche?q=Rahmenvereinbarung"));
        let marks = b.client.find_all(Locator::Css(".snippet mark")).await.unwrap();
        assert!(!marks.is_empty(), "the snippets mark the word");
        assert_eq!(marks[0].text().await.unwrap(), "Rahmenvereinbarung");
        let facet = b.client.find(Locator::Css("#facet-typ + ul a")).await.unwrap();
        assert!(!facet.text().await.unwrap().is_empty());
        b.screenshot("search").await;
        b.accessible("search").await;

        // 3. open an announcement from the hits: its text with linked mentions
        b.client.find(Locator::Css(".hits a[href^='/meldung/']")).await.unwrap().click().await.unwrap();
        b.text("article.announcement h1").await;
        let mentions = b.client.find_all(Locator::Css("a.mention[href^='/akteur/']")).await.unwrap();
        assert!(!mentions.is_empty(), "mentions of actors are links");
        b.screenshot("announcement").await;
        b.accessible("announcement").await;

        // 4. follow a highlighted mention to the actor's page
        let mention = &mentions[0];
        let name = mention.attr("title").await.unwrap().expect("a mention names its node");
        let target = mention.attr("href").await.unwrap().unwrap();
        mention.click().await.unwrap();
        assert_eq!(b.text("main h1").await, name);
        assert_eq!(b.path().await, target);
        let groups = b.client.find_all(Locator::Css("section.group h3")).await.unwrap();
        assert!(!groups.is_empty(), "the actor's relations, grouped by predicate");
        let evidence = b.client.find_all(Locator::Css("blockquote.evidence")).await.unwrap();
        assert!(!evidence.is_empty(), "each relation with its evidence");
        b.screenshot("actor").await;
        b.accessible("actor").await;

        // 5. the network view: drawn by cytoscape.js, a node expands on demand
        b.client.find(Locator::LinkText("Im Netzwerk zeigen")).await.unwrap().click().await.unwrap();
        b.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#netz canvas")).await.unwrap();
        let before = b.client.execute("return window.govgraphNetwork.nodes().length", vec![]).await.unwrap();
        let before = before.as_u64().unwrap();
        assert!(before > 1, "the neighbourhood is drawn");
        b.screenshot("network").await;
        b.accessible("network").await;
        // expand the first neighbour that brings new nodes
        let buttons = b.client.find_all(Locator::Css("button.expand:not([disabled])")).await.unwrap();
        assert!(!buttons.is_empty(), "the list offers to expand its nodes");
        let mut after = before;
        for button in buttons.iter().take(6) {
            button.click().await.unwrap();
            for _ in 0..50 {
                let n = b.client.execute("return window.govgraphNetwork.nodes().length", vec![]).await.unwrap();
                let done =
                    b.client.execute("return window.govgraphNetwork.nodes('.loading').length", vec![]).await.unwrap();
                after = n.as_u64().unwrap();
                if done.as_u64() == Some(0) && (after > before || button.text().await.unwrap() == "geladen") {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            if after > before {
                break;
            }
        }
        assert!(after > before, "expanding a node adds its neighbours ({before} -> {after})");
        let listed = b.client.find_all(Locator::Css("#knoten-liste > li")).await.unwrap().len() as u64;
        assert_eq!(listed, after, "the list beside the drawing grows with it");
        b.screenshot("network-expanded").await;

        // 6. review: sign in with the token, confirm a candidate, see it confirmed
        b.client.goto(&format!("{base}/pruefen")).await.unwrap();
        b.client.find(Locator::Id("token")).await.unwrap().send_keys(TOKEN).await.unwrap();
        b.screenshot("review-sign-in").await;
        b.accessible("review sign-in").await;
        b.client.find(Locator::Css("form.signin button")).await.unwrap().click().await.unwrap();
        assert!(b.text("form.signout").await.contains("redaktion"));
        let first = b.client.find(Locator::Css("section[aria-labelledby=q-akteure] li.candidate")).await.unwrap();
        let candidate_id = first.attr("id").await.unwrap().unwrap();
        let link = first.find(Locator::Css("p a")).await.unwrap();
        let candidate_name = link.text().await.unwrap();
        let candidate_page = link.attr("href").await.unwrap().unwrap();
        b.screenshot("review-queue").await;
        b.accessible("review queue").await;
        first.find(Locator::Css("button[aria-label$='bestätigen']")).await.unwrap().click().await.unwrap();
        assert_eq!(b.text("p.flash.ok").await, "Bestätigt.");
        let still_queued = b.client.find_all(Locator::Id(&candidate_id)).await.unwrap();
        assert!(still_queued.is_empty(), "{candidate_name} left the queue");
        let audit = b.text("table.audit tbody tr").await;
        assert!(
            audit.contains("redaktion") && audit.contains("set_status:confirmed"),
            "the audit log shows it: {audit}"
        );
        b.screenshot("review-confirmed").await;
        b.client.goto(&format!("{base}{candidate_page}")).await.unwrap();
        assert!(b.text(".subtitle").await.contains("bestätigt"), "{candidate_name} is confirmed on its page");
        b.screenshot("confirmed-actor").await;

        // 7. a phone's width: the pages reflow, nothing needs sideways scrolling
        b.client.set_window_size(390, 844).await.unwrap();
        for (name, path) in [
            ("narrow-actor", candidate_page.clone()),
            ("narrow-search", "/suche?q=Rahmenvereinbarung".to_owned()),
            ("narrow-start", "/".to_owned()),
        ] {
            b.client.goto(&format!("{base}{path}")).await.unwrap();
            b.screenshot(name).await;
            let wide = b
                .client
                .execute(
                    "return [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))",
                    vec![],
                )
                .await
                .unwrap();
            let overflow = b
                .client
                .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth", vec![])
                .await
                .unwrap();
            assert!(overflow.as_i64().unwrap_or(0) <= 1, "{path} scrolls sideways by {overflow} px at 390 px: {wide}");
        }
    };
    // close the session whatever happened, then report
    let result = tokio::time::timeout(Duration::from_secs(240), outcome).await;
    let _ = b.client.close().await;
    drop(driver);
    result.expect("the browser steps finished within four minutes");
}
