//! A realistic synthetic graph for load benchmarks (`govgraph bench-seed`): at scale 1.0, 100,000
//! announcements, 12,000 actors, 2,000 agreements, 600 services and about 300,000 relations, each
//! with a sentence of evidence in an announcement. The announcements' texts draw on a vocabulary
//! whose words are in more or fewer of them (search and its facets are measured by how much of
//! the corpus a word matches); each has a publisher and one or two states. Set-based SQL: the whole
//! graph is written in a few statements. The rows are marked (`synthetic` slugs, `.invalid` URLs) and never mixed
//! into a real database by accident: the command refuses a database that holds harvested
//! announcements.

use diesel::sql_types::BigInt;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::Result;

const STATES: &str = "ARRAY['BW','BY','BE','BB','HB','HH','HE','MV','NI','NW','RP','SL','SN','ST','SH','TH']";

/// What was written.
#[derive(Debug, Default, Clone, Copy)]
pub struct Seeded {
    pub announcements: i64,
    pub actors: i64,
    pub agreements: i64,
    pub services: i64,
    pub relations: i64,
}

#[derive(diesel::QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn count(conn: &mut AsyncPgConnection, sql: &str) -> Result<i64> {
    let n: N = diesel::sql_query(sql).get_result(conn).await?;
    Ok(n.n)
}

/// Whether the database holds announcements that are not synthetic.
pub async fn has_real_documents(conn: &mut AsyncPgConnection) -> Result<bool> {
    Ok(count(conn, "SELECT count(*) AS n FROM documents WHERE canonical_url NOT LIKE 'https://synthetic.invalid/%'")
        .await?
        > 0)
}

/// Writes the synthetic graph at `scale` (1.0 = the sizes above).
pub async fn fill(conn: &mut AsyncPgConnection, scale: f64) -> Result<Seeded> {
    let n = |base: f64| ((base * scale).round() as i64).max(1);
    let words = "ARRAY['Digitalisierung','Kommunen','Landesregierung','Verwaltung','Onlinezugangsgesetz','Rahmenvereinbarung',\
        'Zweckverband','Portal','Bürgerservice','Kooperation','IT-Dienstleister','Landkreis','Gemeinde','Plattform',\
        'E-Government','Schnittstelle','Fachverfahren','Registermodernisierung','Breitband','Datenschutz']";
    let steps: Vec<(String, i64)> = vec![
        (
            format!(
                "WITH e AS (INSERT INTO entities (entity_type) SELECT 'actor' FROM generate_series(1, $1) RETURNING id) \
                 INSERT INTO actors (id, kind, name, slug, state_code, status) \
                 SELECT id, (ARRAY['municipality','district','ministry','it_service_provider','person','body','municipal_association'])[1 + id % 7], \
                 'Synthetischer Akteur ' || id, 'synthetic-actor-' || id, ({STATES})[1 + id % 16], 'candidate' FROM e"
            ),
            n(12_000.0),
        ),
        (
            format!(
                "WITH e AS (INSERT INTO entities (entity_type) SELECT 'agreement' FROM generate_series(1, $1) RETURNING id) \
                 INSERT INTO agreements (id, kind, title, slug, state_code, status, date_signed) \
                 SELECT id, 'framework_agreement', 'Synthetische Vereinbarung ' || id, 'synthetic-agreement-' || id, \
                 ({STATES})[1 + id % 16], 'candidate', DATE '2010-01-01' + (id % 5000)::int FROM e"
            ),
            n(2_000.0),
        ),
        (
            "WITH e AS (INSERT INTO entities (entity_type) SELECT 'service' FROM generate_series(1, $1) RETURNING id) \
             INSERT INTO services (id, kind, name, slug, status) \
             SELECT id, 'other', 'Synthetische Leistung ' || id, 'synthetic-service-' || id, 'candidate' FROM e"
                .to_owned(),
            n(600.0),
        ),
        (
            // the text: 9 sentences from a pool of 2,000, each of 12 words drawn from a vocabulary
            // of 420 (the 20 words, each followed by its 20 compounds), skewed so that a word's
            // share of the announcements falls with its place ("Digitalisierung" is in all of them,
            // "Rahmenvereinbarung" in a third, "Breitband" in a sixth, "Datenschutz" in a tenth);
            // the states are written in the same statement, so the search rows are written once
            format!(
                "WITH v AS (SELECT array_agg(word ORDER BY a, b) AS v FROM ( \
                   SELECT a, 0 AS b, w[a] AS word FROM (SELECT {words} AS w) x, generate_series(1, 20) a \
                   UNION ALL SELECT a, b, w[a] || lower(w[b]) FROM (SELECT {words} AS w) x, generate_series(1, 20) a, \
                     generate_series(1, 20) b) words), \
                 s AS (SELECT array_agg(sentence ORDER BY j) AS s FROM ( \
                   SELECT j, string_agg(v[1 + floor(420 * power((hashint8(j * 64 + m) & 1048575) / 1048576.0, 4))::int], ' ' \
                     ORDER BY m) || '.' AS sentence \
                   FROM v, generate_series(1, 2000) j, generate_series(1, 12) m GROUP BY j) sentences), \
                 d AS (INSERT INTO documents (url, canonical_url, title, published_at, publisher, text, content_hash, extractor, primary_state) \
                 SELECT 'https://synthetic.invalid/meldung/' || i, 'https://synthetic.invalid/meldung/' || i, \
                   'Synthetische Meldung ' || i || ': ' || v[1 + (hashint8(i) & 1048575) % 420] || ' und ' \
                     || v[1 + (hashint8(-i) & 1048575) % 420], \
                   now() - make_interval(hours => (i * 7919 % 87600)::int), \
                   'Synthetische Pressestelle ' || ({STATES})[1 + i % 16] || ' ' || (1 + (i / 16) % 12), \
                   s[1 + (hashint8(i * 16 + 1) & 1048575) % 2000] || ' ' || s[1 + (hashint8(i * 16 + 2) & 1048575) % 2000] || ' ' || \
                   s[1 + (hashint8(i * 16 + 3) & 1048575) % 2000] || ' ' || s[1 + (hashint8(i * 16 + 4) & 1048575) % 2000] || ' ' || \
                   s[1 + (hashint8(i * 16 + 5) & 1048575) % 2000] || ' ' || s[1 + (hashint8(i * 16 + 6) & 1048575) % 2000] || ' ' || \
                   s[1 + (hashint8(i * 16 + 7) & 1048575) % 2000] || ' ' || s[1 + (hashint8(i * 16 + 8) & 1048575) % 2000] || ' ' || \
                   s[1 + (hashint8(i * 16 + 9) & 1048575) % 2000], \
                   md5(i::text), 'synthetic', ({STATES})[1 + i % 16] \
                 FROM generate_series(1, $1) i, v, s RETURNING id, primary_state) \
                 INSERT INTO document_states (document_id, state_code, is_primary, score, signals) \
                 SELECT id, primary_state, true, 5.0::real, '{{synthetic}}'::text[] FROM d \
                 UNION ALL SELECT id, 'DE', false, 1.0::real, '{{synthetic}}'::text[] FROM d WHERE id % 5 = 0"
            ),
            n(100_000.0),
        ),
    ];
    for (sql, arg) in steps {
        diesel::sql_query(sql).bind::<BigInt, _>(arg).execute(conn).await?;
    }
    // edges between the synthetic nodes, each with a sentence in an announcement
    diesel::sql_query(
        "CREATE TEMP TABLE synth_nodes AS \
           SELECT row_number() OVER (ORDER BY id) AS k, id, 'actor' AS t FROM actors WHERE slug LIKE 'synthetic-actor-%' \
           UNION ALL SELECT row_number() OVER (ORDER BY id), id, 'agreement' FROM agreements WHERE slug LIKE 'synthetic-agreement-%' \
           UNION ALL SELECT row_number() OVER (ORDER BY id), id, 'service' FROM services WHERE slug LIKE 'synthetic-service-%'",
    )
    .execute(conn)
    .await?;
    diesel::sql_query(
        "CREATE TEMP TABLE synth_docs AS SELECT row_number() OVER (ORDER BY id) AS k, id FROM documents \
         WHERE canonical_url LIKE 'https://synthetic.invalid/%'",
    )
    .execute(conn)
    .await?;
    let (actors, agreements, services, docs) = (
        count(conn, "SELECT count(*) AS n FROM synth_nodes WHERE t = 'actor'").await?,
        count(conn, "SELECT count(*) AS n FROM synth_nodes WHERE t = 'agreement'").await?,
        count(conn, "SELECT count(*) AS n FROM synth_nodes WHERE t = 'service'").await?,
        count(conn, "SELECT count(*) AS n FROM synth_docs").await?,
    );
    diesel::sql_query(
        "WITH pairs AS ( \
           SELECT i, s.id AS subject_id, \
             CASE i % 10 WHEN 0 THEN 'member_of' WHEN 1 THEN 'holds_position' WHEN 2 THEN 'leads' WHEN 3 THEN 'operates' \
                         ELSE 'party_to' END AS predicate, \
             CASE WHEN i % 10 IN (0, 1) THEN a.id WHEN i % 10 IN (2, 3) THEN v.id ELSE g.id END AS object_id \
           FROM generate_series(1, $1) i \
           JOIN synth_nodes s ON s.t = 'actor' AND s.k = 1 + i % $2 \
           JOIN synth_nodes a ON a.t = 'actor' AND a.k = 1 + ((i / $2) * 7919 + i * 13) % $2 \
           JOIN synth_nodes g ON g.t = 'agreement' AND g.k = 1 + ((i / $2) * 104729 + i * 31) % $3 \
           JOIN synth_nodes v ON v.t = 'service' AND v.k = 1 + ((i / $2) * 15485863 + i * 17) % $4), \
         ins AS (INSERT INTO relations (subject_id, predicate, object_id, confidence) \
           SELECT subject_id, predicate, object_id, 0.7 FROM pairs WHERE subject_id <> object_id \
           ON CONFLICT DO NOTHING RETURNING id) \
         INSERT INTO evidence (relation_id, document_id, sentence, start_offset, end_offset, method, confidence) \
         SELECT ins.id, d.id, 'Synthetischer Beleg für die Beziehung ' || ins.id || '.', 0, 40, 'synthetic', 0.7 \
         FROM ins JOIN synth_docs d ON d.k = 1 + (ins.id * 2654435761) % $5",
    )
    .bind::<BigInt, _>(n(300_000.0))
    .bind::<BigInt, _>(actors.max(1))
    .bind::<BigInt, _>(agreements.max(1))
    .bind::<BigInt, _>(services.max(1))
    .bind::<BigInt, _>(docs.max(1))
    .execute(conn)
    .await?;
    diesel::sql_query("VACUUM ANALYZE").execute(conn).await?;
    Ok(Seeded {
        announcements: docs,
        actors,
        agreements,
        services,
        relations: count(conn, "SELECT count(*) AS n FROM relations r JOIN synth_nodes s ON s.id = r.subject_id")
            .await?,
    })
}
