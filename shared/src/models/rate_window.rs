//! The request counts per client and time window that API processes share (`rate_windows`).

use diesel::sql_types::{Array, BigInt, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::Result;

/// A client's requests in a window, over all processes.
#[derive(Debug, Clone, PartialEq, Eq, diesel::QueryableByName)]
pub struct RateWindow {
    #[diesel(sql_type = Text)]
    pub client: String,
    #[diesel(sql_type = BigInt)]
    pub window_start: i64,
    #[diesel(sql_type = BigInt)]
    pub requests: i64,
}

impl RateWindow {
    /// Adds `counts` (client, requests) to the window starting at `window_start` and returns
    /// these clients' totals in it: one statement for any number of clients.
    pub async fn add(
        conn: &mut AsyncPgConnection,
        window_start: i64,
        counts: &[(String, i64)],
    ) -> Result<Vec<RateWindow>> {
        let clients: Vec<&str> = counts.iter().map(|(c, _)| c.as_str()).collect();
        let requests: Vec<i64> = counts.iter().map(|(_, n)| *n).collect();
        Ok(diesel::sql_query(
            "INSERT INTO rate_windows (client, window_start, requests) \
             SELECT c, $2, n FROM unnest($1::text[], $3::bigint[]) AS x(c, n) \
             ON CONFLICT (client, window_start) DO UPDATE SET requests = rate_windows.requests + EXCLUDED.requests \
             RETURNING client, window_start, requests",
        )
        .bind::<Array<Text>, _>(clients)
        .bind::<BigInt, _>(window_start)
        .bind::<Array<BigInt>, _>(requests)
        .load(conn)
        .await?)
    }

    /// Forgets the windows that started before `before`.
    pub async fn forget_before(conn: &mut AsyncPgConnection, before: i64) -> Result<usize> {
        Ok(diesel::sql_query("DELETE FROM rate_windows WHERE window_start < $1")
            .bind::<BigInt, _>(before)
            .execute(conn)
            .await?)
    }
}
