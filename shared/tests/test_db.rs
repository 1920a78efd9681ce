//! Every test gets its own migrated database: parallel tests never see each other's rows.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use govgraph_shared::db::{self, test_db::TestDatabase};
use govgraph_shared::models::{Source, State};
use govgraph_shared::schema::sources;
use govgraph_shared::sources_config::SourcesConfig;

#[tokio::test(flavor = "multi_thread")]
async fn test_databases_are_migrated_seeded_and_isolated() {
    let (a, b) = tokio::join!(TestDatabase::new(), TestDatabase::new());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_ne!(a.name(), b.name());
    let pool_a = db::pool(&a.url, 2).unwrap();
    let pool_b = db::pool(&b.url, 2).unwrap();
    let mut ca = pool_a.get().await.unwrap();
    let mut cb = pool_b.get().await.unwrap();

    // migrated and with the reference data
    assert_eq!(State::all(&mut ca).await.unwrap().len(), 17);

    let cfg =
        SourcesConfig::parse("[[source]]\nname = \"x\"\nkind = \"rss\"\nurl = \"https://example.org/feed\"").unwrap();
    Source::upsert(&mut ca, &cfg.sources[0]).await.unwrap();
    // a second upsert updates, not duplicates
    Source::upsert(&mut ca, &cfg.sources[0]).await.unwrap();
    let in_a: i64 = sources::table.count().get_result(&mut ca).await.unwrap();
    let in_b: i64 = sources::table.count().get_result(&mut cb).await.unwrap();
    assert_eq!((in_a, in_b), (1, 0));

    // migrations and reference data are idempotent
    assert!(db::run_migrations(&a.url).await.unwrap().is_empty());
    db::prepare(&a.url, &pool_a).await.unwrap();
    assert_eq!(State::all(&mut ca).await.unwrap().len(), 17);
}
