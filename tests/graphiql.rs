//! GraphiQL on a closed network: the page of `GET /graphql` and every file it loads come from the
//! govgraph server itself (embedded in the binary), with their content types and cache headers.

mod common;

use common::Env;

/// The values of `src="..."` and `href="..."` attributes in an HTML page.
fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["src=\"", "href=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            let end = rest.find('"').expect("a closed attribute");
            out.push(rest[..end].to_owned());
            rest = &rest[end..];
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn graphiql_loads_nothing_from_outside() {
    let env = Env::new().await;
    let server = env.spawn_server(&["serve", "--bind", "127.0.0.1:0"]).await;
    let page = reqwest::get(format!("{}/graphql", server.url)).await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = page.text().await.unwrap();
    assert!(html.contains("GraphiQL"), "{html}");
    // no address outside the server, whatever the scheme
    for outside in ["http://", "https://", "//unpkg", "//cdn", "src=\"//", "href=\"//"] {
        assert!(!html.contains(outside), "`{outside}` in {html}");
    }

    let refs = references(&html);
    let assets: Vec<&String> = refs.iter().filter(|r| !r.starts_with("data:")).collect();
    assert_eq!(assets.len(), 4, "{refs:?}");
    let vendored = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("api/assets/graphiql");
    for asset in assets {
        assert!(asset.starts_with('/'), "{asset} is a path on the server");
        let r = reqwest::get(format!("{}{asset}", server.url)).await.unwrap();
        assert_eq!(r.status(), 200, "{asset}");
        let content_type = r.headers()["content-type"].to_str().unwrap().to_owned();
        let expected = if asset.ends_with(".css") { "text/css" } else { "application/javascript" };
        assert!(content_type.starts_with(expected), "{asset}: {content_type}");
        let cache = r.headers()["cache-control"].to_str().unwrap().to_owned();
        assert!(cache.contains("max-age=31536000") && cache.contains("immutable"), "{asset}: {cache}");
        let body = r.bytes().await.unwrap();
        let file = asset.rsplit('/').next().unwrap();
        assert_eq!(body.as_ref(), std::fs::read(vendored.join(file)).unwrap().as_slice(), "{asset} as vendored");
    }
    let missing = reqwest::get(format!("{}/graphiql/0.0.0/graphiql.min.js", server.url)).await.unwrap();
    assert_eq!(missing.status(), 404);
    let traversal = reqwest::get(format!("{}/graphiql/4.0.3/..%2F..%2FCargo.toml", server.url)).await.unwrap();
    assert_eq!(traversal.status(), 404);
}
