//! The end-to-end harness: a fixture web site on 127.0.0.1 and a free port, the real `govgraph`
//! binary run against a fresh database, and a GraphQL client over HTTP.
#![allow(dead_code)]

pub mod faults;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use govgraph_shared::db::test_db::TestDatabase;
use serde_json::{Value, json};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A static site served from a fixture folder: `{{BASE}}` in XML files becomes the site's URL;
/// `text/html` carries no charset except where `charsets` names one.
pub struct FixtureSite {
    pub base: String,
    handle: actix_web::dev::ServerHandle,
    state: web::Data<SiteState>,
}

/// One request the site received: its path and when it arrived.
pub type Logged = (String, std::time::Instant);

struct SiteState {
    root: PathBuf,
    base: String,
    charsets: Vec<(String, String)>,
    robots: std::sync::Mutex<Option<String>>,
    log: std::sync::Mutex<Vec<Logged>>,
}

async fn serve_file(req: HttpRequest, state: web::Data<SiteState>) -> HttpResponse {
    state.log.lock().unwrap().push((req.path().to_owned(), std::time::Instant::now()));
    let rel = req.path().trim_start_matches('/');
    if rel == "robots.txt" {
        return match state.robots.lock().unwrap().clone() {
            Some(txt) => HttpResponse::Ok().content_type("text/plain").body(txt),
            None => HttpResponse::NotFound().finish(),
        };
    }
    if rel.contains("..") {
        return HttpResponse::BadRequest().finish();
    }
    let path = state.root.join(rel);
    let Ok(bytes) = std::fs::read(&path) else {
        return HttpResponse::NotFound().body("not found");
    };
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
    match ext {
        "xml" => {
            let text = String::from_utf8_lossy(&bytes).replace("{{BASE}}", &state.base);
            let ct = if text.contains("<feed") { "application/atom+xml" } else { "application/rss+xml" };
            HttpResponse::Ok().content_type(ct).body(text)
        }
        "html" => {
            let ct = state
                .charsets
                .iter()
                .find(|(p, _)| p == rel)
                .map_or_else(|| "text/html".to_owned(), |(_, cs)| format!("text/html; charset={cs}"));
            HttpResponse::Ok().content_type(ct).body(bytes)
        }
        _ => HttpResponse::Ok().body(bytes),
    }
}

impl FixtureSite {
    pub async fn start(folder: &str, charsets: &[(&str, &str)]) -> FixtureSite {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = web::Data::new(SiteState {
            root: fixtures().join(folder),
            base: base.clone(),
            charsets: charsets.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
            robots: std::sync::Mutex::new(None),
            log: std::sync::Mutex::new(Vec::new()),
        });
        let site_state = state.clone();
        let server =
            HttpServer::new(move || App::new().app_data(state.clone()).default_service(web::get().to(serve_file)))
                .workers(1)
                .listen(listener)
                .unwrap()
                .disable_signals()
                .run();
        let handle = server.handle();
        tokio::spawn(server);
        FixtureSite { base, handle, state: site_state }
    }

    /// Serves `txt` as /robots.txt (without it, /robots.txt is a 404).
    pub fn set_robots(&self, txt: &str) {
        *self.state.robots.lock().unwrap() = Some(txt.to_owned());
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<Logged> {
        self.state.log.lock().unwrap().clone()
    }
}

impl Drop for FixtureSite {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        tokio::spawn(async move { handle.stop(false).await });
    }
}

/// A fresh database and the environment that points the binary at it.
pub struct Env {
    pub db: TestDatabase,
    pub dir: PathBuf,
}

impl Env {
    pub async fn new() -> Env {
        let db = TestDatabase::new().await.expect("a test database");
        let dir = std::env::temp_dir().join(db.name());
        std::fs::create_dir_all(&dir).unwrap();
        Env { db, dir }
    }

    /// Writes a sources file and returns its path.
    pub fn sources(&self, toml_text: &str) -> PathBuf {
        let path = self.dir.join("sources.toml");
        std::fs::write(&path, toml_text).unwrap();
        path
    }

    /// Harvests the seed site's RSS feed as the source `seed-rss`; the harvest must succeed.
    pub async fn harvest_seed_site(&self, site: &FixtureSite) {
        let sources = self
            .sources(&format!("[[source]]\nname = \"seed-rss\"\nkind = \"rss\"\nurl = \"{}/feed.xml\"\n", site.base));
        let out = self.run(&["harvest", "--sources", sources.to_str().unwrap(), "--source", "seed-rss"]).await;
        assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    }

    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_govgraph"));
        cmd.env("DATABASE_URL", &self.db.url)
            .env("GOVGRAPH_ALLOW_PRIVATE_HOSTS", "1")
            .env("GOVGRAPH_DATA_DIR", &self.dir)
            .env("GOVGRAPH_FETCH_TIMEOUT_SECS", "10")
            // politeness is tested on its own; elsewhere it would only make tests slow
            .env("GOVGRAPH_FETCH_DELAY_MS", "0")
            .env("RUST_LOG", "warn")
            .env_remove("GOVGRAPH_BIND")
            .env_remove("GOVGRAPH_SOURCES");
        cmd
    }

    /// Runs `govgraph ARGS` to completion.
    pub async fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[]).await
    }

    /// Runs `govgraph ARGS` with extra environment variables.
    pub async fn run_with(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        let mut cmd = self.command();
        cmd.args(args).envs(vars.iter().copied());
        tokio::task::spawn_blocking(move || cmd.output().expect("run govgraph")).await.unwrap()
    }

    /// Starts a long-running `govgraph ARGS` that prints "listening on http://ADDR".
    pub async fn spawn_server(&self, args: &[&str]) -> Server {
        let mut cmd = self.command();
        cmd.args(args);
        spawn(cmd).await
    }
}

/// Starts a long-running govgraph command that prints "listening on http://ADDR"; its log goes
/// to the test's output.
pub async fn spawn(cmd: Command) -> Server {
    spawn_logging_to(cmd, Stdio::inherit()).await
}

/// Starts a long-running govgraph command that prints "listening on http://ADDR", its log going to
/// `stderr` (`Stdio::piped()` to read it from `child.stderr`).
pub async fn spawn_logging_to(mut cmd: Command, stderr: Stdio) -> Server {
    {
        cmd.stdout(Stdio::piped()).stderr(stderr);
        let mut child = cmd.spawn().expect("spawn govgraph");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = line.split("listening on ").nth(1) {
                    let _ = tx.send(addr.split_whitespace().next().unwrap_or_default().to_owned());
                }
            }
        });
        let url = tokio::task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(120)))
            .await
            .unwrap()
            .expect("govgraph printed the address it listens on");
        Server { child, url }
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The five seed documents as a web site (page 001 in windows-1252, header and meta).
pub async fn seed_site() -> FixtureSite {
    FixtureSite::start("seed-site", &[("artikel/001.html", "windows-1252")]).await
}

/// A running govgraph process with its API.
pub struct Server {
    pub child: Child,
    pub url: String,
}

impl Server {
    /// The SQL statements the server has sent so far (its `/metrics` counter).
    pub async fn queries_run(&self) -> u64 {
        let text = reqwest::get(format!("{}/metrics", self.url)).await.unwrap().text().await.unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix("govgraph_db_queries_total "))
            .and_then(|n| n.trim().parse().ok())
            .expect("the metric")
    }

    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        let client = reqwest::Client::new();
        let response = client
            .post(format!("{}/graphql", self.url))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("POST /graphql");
        assert!(response.status().is_success(), "HTTP {}", response.status());
        response.json().await.expect("a JSON answer")
    }

    /// The whole answer (data and errors) to a query or mutation sent with an editor's token.
    pub async fn graphql_as(&self, token: &str, query: &str, variables: Value) -> Value {
        reqwest::Client::new()
            .post(format!("{}/graphql", self.url))
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("POST /graphql")
            .json()
            .await
            .expect("a JSON answer")
    }

    /// The `data` of a query or mutation that must succeed, sent with an editor's token.
    pub async fn data_as(&self, token: &str, query: &str, variables: Value) -> Value {
        let answer = self.graphql_as(token, query, variables).await;
        assert!(answer.get("errors").is_none(), "errors: {answer}");
        answer["data"].clone()
    }

    /// The `data` of a query that must succeed.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let answer = self.graphql(query, variables).await;
        assert!(answer.get("errors").is_none(), "errors: {answer}");
        answer["data"].clone()
    }

    /// Sends SIGTERM and waits for the exit status.
    pub async fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        for _ in 0..300 {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("govgraph did not stop within 30 s of SIGTERM");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Whitespace collapsed to single spaces.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
