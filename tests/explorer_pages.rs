//! The explorer's pages over HTTP, without a browser (reading works without JavaScript): on a
//! graph harvested from the seed site and on the synthetic benchmark graph (`bench-seed`), a
//! crawl from `/` follows every link of the pages it reaches, and each page, feed and export it
//! links to answers. Then what each kind of page must show.

mod common;

use std::collections::{BTreeSet, VecDeque};

use common::{Env, Server, stderr, stdout};

/// The `href`s of a page, HTML entities undone.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|h| h.replace("&#x2f;", "/").replace("&amp;", "&").replace("&#x27;", "'").replace("&quot;", "\""))
        .collect()
}

/// Crawls the explorer from `/` (at most `limit` pages); returns the pages seen. Every page and
/// every feed or export linked must answer 200.
async fn crawl(server: &Server, limit: usize) -> BTreeSet<String> {
    let client = reqwest::Client::new();
    let mut queue = VecDeque::from(["/".to_owned()]);
    let mut seen = BTreeSet::from(["/".to_owned()]);
    let mut pages = BTreeSet::new();
    while let Some(path) = queue.pop_front() {
        if pages.len() >= limit {
            break;
        }
        let response = client.get(format!("{}{path}", server.url)).send().await.unwrap();
        let status = response.status();
        let content_type =
            response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let body = response.text().await.unwrap();
        assert_eq!(status, 200, "{path} answers {status}: {}", body.chars().take(400).collect::<String>());
        if !content_type.starts_with("text/html") || path.starts_with("/graphql") {
            continue;
        }
        pages.insert(path.clone());
        assert!(body.contains("<html lang=\"de\">"), "{path} is a German page");
        assert!(body.contains("<main"), "{path} has a main landmark");
        for link in links(&body) {
            // own pages only; the originals of announcements lie elsewhere
            if !link.starts_with('/') || link.starts_with("//") || link.starts_with("/graphql") {
                continue;
            }
            if seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
    }
    pages
}

async fn serve(env: &Env) -> Server {
    env.spawn_server(&["serve", "--bind", "127.0.0.1:0"]).await
}

async fn page(server: &Server, path: &str) -> (u16, String) {
    let response = reqwest::get(format!("{}{path}", server.url)).await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn every_link_of_the_seed_graph_explorer_answers() {
    let env = Env::new().await;
    let site = common::seed_site().await;
    env.harvest_seed_site(&site).await;
    let server = serve(&env).await;
    let pages = crawl(&server, 400).await;
    for prefix in ["/meldung/", "/akteur/", "/vereinbarung/", "/land/", "/suche", "/netz"] {
        assert!(pages.iter().any(|p| p.starts_with(prefix)), "the crawl reached a {prefix} page: {pages:#?}");
    }

    // an announcement: its text with the mentions as links, the relations it is evidence for
    let id = server
        .data(
            "{ announcements(first: 1, filter: { text: \"Rahmenvereinbarung\" }) { nodes { id title } } }",
            serde_json::json!({}),
        )
        .await;
    let id = id["announcements"]["nodes"][0]["id"].as_str().unwrap().to_owned();
    let (status, html) = page(&server, &format!("/meldung/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("class=\"mention\""), "mentions are highlighted");
    assert!(html.contains("Beziehungen, die diese Meldung belegt"));
    assert!(!html.contains("<script"), "reading needs no JavaScript");

    // a search: facets as links, snippets marked, the feed of the same query
    let (status, html) = page(&server, "/suche?q=Rahmenvereinbarung&land=ST").await;
    assert_eq!(status, 200);
    assert!(html.contains("<mark>Rahmenvereinbarung</mark>"));
    assert!(html.contains("aria-current=\"true\""), "the chosen Land is marked among the facets");
    assert!(
        html.contains("/feeds&#x2f;announcements.atom?text=Rahmenvereinbarung&amp;state=ST")
            || html.contains("announcements.atom?text=Rahmenvereinbarung&amp;state=ST")
    );

    // a word nothing contains: no hits, a count of nought, no error
    let none = server
        .data(
            "{ search(query: \"Quantenkryptographie\") { totalCount facets { state { value } } edges { snippet } } }",
            serde_json::json!({}),
        )
        .await;
    assert_eq!(none["search"]["totalCount"], 0);
    let (status, html) = page(&server, "/suche?q=Quantenkryptographie").await;
    assert_eq!(status, 200);
    assert!(html.contains("0 Treffer"), "{html}");

    // an agreement: signatories with their offices, the renewal chain back to 2006
    let found = server
        .data(
            "{ agreements(first: 1, filter: { text: \"IKT und E-Government\" }) { nodes { slug } } }",
            serde_json::json!({}),
        )
        .await;
    let slug = found["agreements"]["nodes"][0]["slug"].as_str().unwrap().to_owned();
    let (status, html) = page(&server, &format!("/vereinbarung/{slug}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Michael Richter"), "a signatory");
    assert!(html.contains("Staatssekretär, Ministerium der Finanzen"), "with the office he signed in");
    let chain = html.split("id=\"kette\"").nth(1).unwrap_or_default();
    assert!(chain.contains("2006") && chain.contains("(diese)"), "the renewal chain: {chain}");

    // what goes wrong is a page with the right status, never a crash
    for (path, expected) in [
        ("/akteur/gibt-es-nicht", 404),
        ("/vereinbarung/gibt-es-nicht", 404),
        ("/meldung/kaputt", 400),
        ("/land/XX", 400),
        ("/?land=XX", 400),
        ("/suche?q=x&jahr=zwanzig", 400),
        ("/netz?knoten=gibt-es-nicht", 404),
        ("/netz?knoten=st-landesregierung&tiefe=9", 400),
        ("/explorer/1/gibt-es-nicht.js", 404),
    ] {
        let (status, html) = page(&server, path).await;
        assert_eq!(status, expected, "{path}: {}", html.chars().take(300).collect::<String>());
    }
}

#[tokio::test]
async fn the_synthetic_graph_explorer_answers() {
    let env = Env::new().await;
    let out = env.run(&["bench-seed", "--scale", "0.01"]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let server = serve(&env).await;
    let pages = crawl(&server, 150).await;
    assert!(pages.len() >= 50, "the crawl found the graph's pages: {}", pages.len());
    // each kind of node page, picked through the API
    let data = server
        .data(
            "{ actors(first: 1, filter: { kind: MUNICIPALITY }) { nodes { slug name } }
               agreements(first: 1) { nodes { slug name } }
               projects(first: 1) { nodes { slug name } }
               services(first: 1) { nodes { slug name } } }",
            serde_json::json!({}),
        )
        .await;
    for (list, prefix) in
        [("actors", "akteur"), ("agreements", "vereinbarung"), ("projects", "projekt"), ("services", "leistung")]
    {
        let node = &data[list]["nodes"][0];
        let (status, html) = page(&server, &format!("/{prefix}/{}", node["slug"].as_str().unwrap())).await;
        assert_eq!(status, 200, "{list}");
        let name = node["name"].as_str().unwrap().replace('&', "&amp;");
        assert!(html.contains(&format!("<h1>{name}</h1>")), "{list}: the page of {name}");
    }
    let (status, html) = page(&server, "/suche?q=Digitalisierung").await;
    assert_eq!(status, 200);
    assert!(html.contains("Treffer für"));
}

#[tokio::test]
async fn review_actions_go_through_the_mutations_into_the_audit_log() {
    const TOKEN: &str = "review-token";
    let env = Env::new().await;
    let site = common::seed_site().await;
    env.harvest_seed_site(&site).await;
    let mut cmd = env.command();
    cmd.args(["serve", "--bind", "127.0.0.1:0"]).env("GOVGRAPH_API_TOKEN", format!("ines:{TOKEN}"));
    let server = common::spawn(cmd).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let url = |p: &str| format!("{}{p}", server.url);

    // without a session: the sign-in form; a wrong token is refused
    let html = client.get(url("/pruefen")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("id=\"token\""));
    let wrong = client.post(url("/pruefen/anmelden")).form(&[("token", "falsch")]).send().await.unwrap();
    assert_eq!(wrong.status(), 303);
    assert!(wrong.headers().get("set-cookie").is_none());
    let unsigned =
        client.post(url("/pruefen/aktion")).form(&[("aktion", "ablehnen"), ("id", "x")]).send().await.unwrap();
    assert!(unsigned.headers()["location"].to_str().unwrap().contains("fehler="), "no action without a token");

    // sign in: the session cookie
    let signed = client.post(url("/pruefen/anmelden")).form(&[("token", TOKEN)]).send().await.unwrap();
    assert_eq!(signed.status(), 303);
    let cookie = signed.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let session = cookie.split(';').next().unwrap().to_owned();

    // two candidate actors of the queue: an alias for one, then merge it into the other
    let queue = server
        .data(
            "{ actors(first: 2, filter: { status: CANDIDATE, kind: PERSON }) { nodes { id name slug } } }",
            serde_json::json!({}),
        )
        .await;
    let (a, b) = (&queue["actors"]["nodes"][0], &queue["actors"]["nodes"][1]);
    let act = |fields: Vec<(&'static str, String)>| {
        let (client, session, url) = (client.clone(), session.clone(), url("/pruefen/aktion"));
        async move {
            let r = client.post(url).header("cookie", session).form(&fields).send().await.unwrap();
            assert_eq!(r.status(), 303);
            r.headers()["location"].to_str().unwrap().to_owned()
        }
    };
    let done =
        act(vec![("aktion", "alias".into()), ("id", a["id"].as_str().unwrap().into()), ("alias", "Testalias".into())])
            .await;
    assert!(done.starts_with("/pruefen?ok="), "{done}");
    let done = act(vec![
        ("aktion", "zusammenfuehren".into()),
        ("id", a["id"].as_str().unwrap().into()),
        ("mit", b["slug"].as_str().unwrap().into()),
    ])
    .await;
    assert!(done.starts_with("/pruefen?ok="), "{done}");
    let merged =
        server.data("query($s: String!) { actor(slug: $s) { aliases } }", serde_json::json!({ "s": b["slug"] })).await;
    let aliases: Vec<&str> = merged["actor"]["aliases"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert!(aliases.contains(&"Testalias") && aliases.contains(&a["name"].as_str().unwrap()), "{aliases:?}");
    // a bad action says why, on the page
    let failed = act(vec![
        ("aktion", "zusammenfuehren".into()),
        ("id", b["id"].as_str().unwrap().into()),
        ("mit", "gibt-es-nicht".into()),
    ])
    .await;
    assert!(failed.starts_with("/pruefen?fehler="), "{failed}");

    // the audit log, in the API and on the page, names the token
    let log = server.data_as(TOKEN, "{ auditLog(first: 5) { who action } }", serde_json::json!({})).await;
    let actions: Vec<&str> = log["auditLog"].as_array().unwrap().iter().filter_map(|l| l["action"].as_str()).collect();
    assert_eq!(&actions[..2], ["merge_actors", "add_alias"]);
    assert!(log["auditLog"].as_array().unwrap().iter().all(|l| l["who"] == "ines"));
    let page = client.get(url("/pruefen")).header("cookie", &session).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("merge_actors") && page.contains("Angemeldet als <strong>ines</strong>"));
    let anonymous = server.graphql("{ auditLog { who } }", serde_json::json!({})).await;
    assert_eq!(anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");

    // a form from another site is refused
    let forged = client
        .post(url("/pruefen/aktion"))
        .header("cookie", &session)
        .header("origin", "http://evil.example")
        .form(&[("aktion", "ablehnen"), ("id", b["id"].as_str().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
}
