//! GraphiQL without a network: the page of `GET /graphql` and the files it loads (GraphiQL's UMD
//! build, React, ReactDOM, GraphiQL's style sheet), embedded in the binary at build time from the
//! npm packages listed in `api/assets/graphiql/README.md`. The page requests nothing outside the
//! server.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

/// GraphiQL's version; part of every asset URL, so that the assets can be cached as immutable.
pub const VERSION: &str = "4.0.3";

/// The path under which the assets are served: `/graphiql/{VERSION}/{file}`.
pub const ASSET_ROUTE: &str = "/graphiql/{version}/{file}";

/// (file name, content type, contents)
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("graphiql.min.js", "application/javascript; charset=utf-8", include_bytes!("../assets/graphiql/graphiql.min.js")),
    ("graphiql.min.css", "text/css; charset=utf-8", include_bytes!("../assets/graphiql/graphiql.min.css")),
    (
        "react.production.min.js",
        "application/javascript; charset=utf-8",
        include_bytes!("../assets/graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "application/javascript; charset=utf-8",
        include_bytes!("../assets/graphiql/react-dom.production.min.js"),
    ),
];

/// The HTML page for an endpoint (a path on this server, such as `/graphql`).
pub fn page(endpoint: &str) -> String {
    let asset = |file: &str| format!("/graphiql/{VERSION}/{file}");
    // the endpoint goes into a JavaScript string inside HTML: JSON-encode it and keep `<` out
    let endpoint =
        serde_json::to_string(endpoint).unwrap_or_else(|_| "\"/graphql\"".to_owned()).replace('<', "\\u003c");
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>govgraph</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{css}">
<style>body {{ height: 100%; margin: 0; width: 100%; overflow: hidden; }} #graphiql {{ height: 100vh; }}</style>
<script src="{react}"></script>
<script src="{react_dom}"></script>
<script src="{graphiql}"></script>
</head>
<body>
<div id="graphiql">Loading…</div>
<script>
  const url = new URL({endpoint}, window.location.origin).toString();
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {{
      fetcher: GraphiQL.createFetcher({{ url }}),
      defaultEditorToolsVisibility: true,
    }})
  );
</script>
</body>
</html>
"#,
        css = asset("graphiql.min.css"),
        react = asset("react.production.min.js"),
        react_dom = asset("react-dom.production.min.js"),
        graphiql = asset("graphiql.min.js"),
    )
}

/// `GET /graphiql/{version}/{file}`: an embedded asset, cached for a year (the version is in the
/// path); a 404 for another version or file.
pub async fn asset(path: web::Path<(String, String)>) -> HttpResponse {
    let (version, file) = path.into_inner();
    let found = (version == VERSION).then(|| ASSETS.iter().find(|(name, _, _)| *name == file)).flatten();
    match found {
        Some((_, content_type, bytes)) => HttpResponse::Ok()
            .content_type(*content_type)
            .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .body(*bytes),
        None => HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body("no such GraphiQL asset"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_names_only_local_assets() {
        let html = page("/graphql");
        assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("//unpkg"));
        for (name, _, _) in ASSETS {
            assert!(html.contains(&format!("/graphiql/{VERSION}/{name}")), "{name}");
        }
    }

    #[test]
    fn the_endpoint_cannot_close_the_script() {
        let html = page("/graphql</script><script>alert(1)</script>");
        assert!(!html.contains("</script><script>alert"));
    }
}
