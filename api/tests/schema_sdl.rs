//! The checked-in `api/schema.graphql` is the schema the API serves: a change to the schema is a
//! visible diff. Run with `UPDATE_SCHEMA=1` to rewrite the file after an intended change.

use govgraph_shared::db;

#[tokio::test]
async fn checked_in_sdl_matches_the_schema() {
    // building the schema needs a pool, not a connection
    let pool = db::pool("postgres://unused@127.0.0.1:1/unused", 1).unwrap();
    let (tx, _) = tokio::sync::broadcast::channel(1);
    let (tx2, _) = tokio::sync::broadcast::channel(1);
    let states = govgraph_api::reference_cache::StatesCache::new(pool.clone());
    let live = govgraph_api::live::Live { announcements: tx, relations: tx2, states };
    let sdl = govgraph_api::build_schema(pool, &Default::default(), live).sdl();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.graphql");
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &sdl).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(checked_in == sdl, "api/schema.graphql is out of date; rerun with UPDATE_SCHEMA=1 and review the diff");
}
