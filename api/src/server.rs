//! The HTTP side: `POST /graphql`, GraphiQL on `GET /graphql`, `GET /schema.graphql`,
//! `GET /healthz`.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{App, HttpResponse, HttpServer, web};
use async_graphql::http::GraphiQLSource;
use async_graphql_actix_web::{GraphQLRequest, GraphQLResponse};
use govgraph_shared::db::Pool;

use crate::schema::{GovgraphSchema, build_schema};

/// The largest request body accepted.
const MAX_BODY: usize = 256 * 1024;

async fn graphql(schema: web::Data<GovgraphSchema>, req: GraphQLRequest) -> GraphQLResponse {
    schema.execute(req.into_inner()).await.into()
}

async fn graphiql() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(GraphiQLSource::build().endpoint("/graphql").title("govgraph").finish())
}

async fn sdl(schema: web::Data<GovgraphSchema>) -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; charset=utf-8").body(schema.sdl())
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// Serves the API on `listener` (bind port 0 for a free port).
pub fn serve(pool: Pool, listener: TcpListener) -> std::io::Result<Server> {
    let schema = web::Data::new(build_schema(pool));
    let server = HttpServer::new(move || {
        App::new()
            .app_data(schema.clone())
            .app_data(web::PayloadConfig::new(MAX_BODY))
            .app_data(web::JsonConfig::default().limit(MAX_BODY))
            .route("/graphql", web::post().to(graphql))
            .route("/graphql", web::get().to(graphiql))
            .route("/schema.graphql", web::get().to(sdl))
            .route("/healthz", web::get().to(healthz))
    })
    .listen(listener)?
    .disable_signals()
    .run();
    Ok(server)
}
