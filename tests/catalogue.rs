//! Catalogue data: the Destatis register of municipalities as a source (first load, a re-run that
//! changes nothing, a changed row, a malformed row, a removed row, a file in the wrong format) and
//! the offline snapshot loaded by `govgraph bootstrap`.

mod common;

use common::faults::{FaultServer, Reply};
use common::{Env, stderr, stdout};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use govgraph_shared::db;
use govgraph_shared::schema::{actors, evidence, relations};

fn excerpt() -> String {
    std::fs::read_to_string(common::fixtures().join("catalog/gv100ad_excerpt.txt")).unwrap()
}

async fn count_kind(env: &Env, kind: &str) -> i64 {
    let mut c = db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    actors::table.filter(actors::kind.eq(kind)).count().get_result(&mut c).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_register_is_upserted_by_its_keys() {
    let server = FaultServer::start().await;
    let text = excerpt();
    server.route("/GV100AD.txt", vec![Reply::with_type("text/plain; charset=utf-8", text.clone())]);
    let env = Env::new().await;
    let sources = env.sources(&format!(
        "[[source]]\nname = \"gv\"\nkind = \"gemeindeverzeichnis\"\nurl = \"{}\"\n",
        server.url("/GV100AD.txt")
    ));
    let sources = sources.to_str().unwrap();
    let args = ["harvest", "--sources", sources, "--source", "gv"];
    let harvest = || env.run(&args);

    let out = harvest().await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let municipalities = count_kind(&env, "municipality").await;
    assert_eq!(municipalities, 311);
    assert_eq!(count_kind(&env, "district").await, 8);

    let mut c = db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    // the key is the identity, the name only a label
    let (name, state, ars): (String, Option<String>, Option<String>) = actors::table
        .filter(actors::kind.eq("municipality").and(actors::ags.eq("15084015")))
        .select((actors::name, actors::state_code, actors::ars))
        .first(&mut c)
        .await
        .unwrap();
    assert_eq!(
        (name.as_str(), state.as_deref(), ars.as_deref()),
        ("Bad Bibra, Stadt", Some("ST"), Some("150845051015"))
    );
    // municipality -> district -> state, each edge with its evidence
    let edges: i64 =
        relations::table.filter(relations::predicate.eq("located_in")).count().get_result(&mut c).await.unwrap();
    let federations = count_kind(&env, "municipal_federation").await;
    assert_eq!(edges, municipalities + 8 + federations);
    let with_evidence: i64 = evidence::table
        .filter(evidence::method.eq("catalogue:gemeindeverzeichnis"))
        .count()
        .get_result(&mut c)
        .await
        .unwrap();
    assert_eq!(with_evidence, edges);

    // a re-run changes nothing
    let out = harvest().await;
    assert!(stdout(&out).contains("new 0, updated 0"), "{}", stdout(&out));

    // a renamed municipality (same key), a malformed row, a municipality no longer listed
    let renamed = text.replace("Bad Bibra, Stadt", "Bad Bibra, Kurst");
    let gone = renamed.lines().find(|l| l.starts_with("60") && l.contains("Flensburg")).unwrap().to_owned();
    let changed = format!("{}99 kaputte Zeile\n", renamed.replace(&format!("{gone}\n"), ""));
    server.route("/GV100AD.txt", vec![Reply::with_type("text/plain; charset=utf-8", changed.clone())]);
    let out = harvest().await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("partial"), "{}", stdout(&out));
    assert!(stdout(&out).contains("new 0, updated 1"), "{}", stdout(&out));
    let bad_line = changed.lines().count();
    assert!(stdout(&out).contains(&format!("error: line {bad_line}: unknown record type `99`")), "{}", stdout(&out));
    let name: String =
        actors::table.filter(actors::ags.eq("15084015")).select(actors::name).first(&mut c).await.unwrap();
    assert_eq!(name, "Bad Bibra, Kurst");
    let unlisted: Option<chrono::NaiveDate> =
        actors::table.filter(actors::ags.eq("01001000")).select(actors::unlisted_since).first(&mut c).await.unwrap();
    assert!(unlisted.is_some(), "a municipality no longer listed is kept and marked");
    let runs: Vec<i32> = govgraph_shared::schema::harvest_runs::table
        .order(govgraph_shared::schema::harvest_runs::id.desc())
        .select(govgraph_shared::schema::harvest_runs::items_removed)
        .limit(1)
        .load(&mut c)
        .await
        .unwrap();
    assert_eq!(runs, [1]);

    // a file in the wrong format changes nothing
    server.route("/GV100AD.txt", vec![Reply::html("<html><body>Wartungsarbeiten</body></html>")]);
    let out = harvest().await;
    assert!(!out.status.success());
    assert!(stderr(&out).contains("not a GV100AD file"), "{}", stderr(&out));
    assert_eq!(count_kind(&env, "municipality").await, municipalities);
    let name: String =
        actors::table.filter(actors::ags.eq("15084015")).select(actors::name).first(&mut c).await.unwrap();
    assert_eq!(name, "Bad Bibra, Kurst");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tabular_exports_load_the_same_units_as_the_fixed_width_file() {
    let server = FaultServer::start().await;
    let fixture = |name: &str| std::fs::read(common::fixtures().join("catalog").join(name)).unwrap();
    let xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    server.route("/register", vec![Reply::with_type(xlsx_type, fixture("gv100ad_excerpt.xlsx"))]);
    let env = Env::new().await;
    let sources = env.sources(&format!(
        "[[source]]\nname = \"gv\"\nkind = \"gemeindeverzeichnis\"\nurl = \"{}\"\n",
        server.url("/register")
    ));
    let args = ["harvest", "--sources", sources.to_str().unwrap(), "--source", "gv"];
    let out = env.run(&args).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!((count_kind(&env, "municipality").await, count_kind(&env, "district").await), (311, 8));

    // the same register as CSV: nothing is new, nothing changes
    server.route("/register", vec![Reply::with_type("text/csv", fixture("gv100ad_excerpt.csv"))]);
    let out = env.run(&args).await;
    assert!(stdout(&out).contains("new 0, updated 0"), "{}{}", stdout(&out), stderr(&out));
    // the fixed-width text adds the seats of the Länder, districts and associations (the tables
    // have no seat column); the 311 municipalities are unchanged
    server.route("/register", vec![Reply::with_type("text/plain", fixture("gv100ad_excerpt.txt"))]);
    let out = env.run(&args).await;
    assert!(stdout(&out).contains("new 0, updated 38, unchanged 311"), "{}{}", stdout(&out), stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn bootstrap_loads_the_whole_register_once() {
    let env = Env::new().await;
    let out = env.run(&["bootstrap"]).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(count_kind(&env, "municipality").await, 10_953);
    assert_eq!(count_kind(&env, "district").await, 400);
    assert!(count_kind(&env, "municipal_federation").await > 1_000);
    {
        use govgraph_shared::schema::{projects, services, states};
        let mut c = db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
        let ozg: i64 = services::table.filter(services::kind.eq("ozg")).count().get_result(&mut c).await.unwrap();
        let leika: i64 = services::table.filter(services::kind.eq("leika")).count().get_result(&mut c).await.unwrap();
        let themenfelder: i64 =
            projects::table.filter(projects::kind.eq("ozg_themenfeld")).count().get_result(&mut c).await.unwrap();
        assert_eq!((ozg, themenfelder), (557, 14));
        assert!(leika > 5_200, "{leika}");
        // "which OZG services belong to the Themenfeld that Mecklenburg-Vorpommern leads?"
        let led: Vec<String> = relations::table
            .inner_join(states::table.on(states::entity_id.eq(relations::subject_id)))
            .inner_join(projects::table.on(projects::id.eq(relations::object_id)))
            .filter(states::code.eq("MV").and(relations::predicate.eq("leads")))
            .select(projects::name)
            .load(&mut c)
            .await
            .unwrap();
        assert_eq!(led, ["Bauen & Wohnen"]);
        let building: i64 = services::table
            .filter(services::kind.eq("ozg").and(services::themenfeld.eq("Bauen & Wohnen")))
            .count()
            .get_result(&mut c)
            .await
            .unwrap();
        assert!(building > 20, "{building}");
    }
    let out = env.run(&["bootstrap"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(": 0 new, 0 updated,") && stdout(&out).contains("0 no longer listed, 0 new edges"),
        "{}",
        stdout(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_ozg_catalogue_is_loaded_by_its_keys() {
    use govgraph_shared::schema::services;
    let server = FaultServer::start().await;
    let themen = "themenfeld_id,themenfeld\n1,Arbeit & Ruhestand\n2,Bauen & Wohnen\n";
    let ozg = "ozg_id,ozg_leistung,lebenslage,themenfeld\n\
               10000,Elterngeld,Geburt,Familie & Kind\n\
               10513,Abbruchgenehmigung,Bauen & Immobilien,Bauen & Wohnen\n";
    server.route("/themenfelder.csv", vec![Reply::with_type("text/csv", themen)]);
    server.route("/ozg.csv", vec![Reply::with_type("text/csv", ozg)]);
    let env = Env::new().await;
    let sources = env.sources(&format!(
        "[[source]]\nname = \"ozg\"\nkind = \"ozg_catalogue\"\nurl = \"{}\"\nthemenfelder_url = \"{}\"\n",
        server.url("/ozg.csv"),
        server.url("/themenfelder.csv")
    ));
    let sources = sources.to_str().unwrap();
    let args = ["harvest", "--sources", sources, "--source", "ozg"];

    let out = env.run(&args).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("new 4"), "2 Themenfelder and 2 services: {}", stdout(&out));
    let out = env.run(&args).await;
    assert!(stdout(&out).contains("new 0, updated 0, unchanged 4"), "{}", stdout(&out));

    // a renamed service, a malformed row
    let changed = ozg.replace("Abbruchgenehmigung,", "Abrissgenehmigung,") + "abc,Kaputt,,\n";
    server.route("/ozg.csv", vec![Reply::with_type("text/csv", changed)]);
    let out = env.run(&args).await;
    assert!(stdout(&out).contains("partial") && stdout(&out).contains("updated 1"), "{}", stdout(&out));
    assert!(stdout(&out).contains("error: line 4: `abc` is not an OZG id"), "{}", stdout(&out));
    let mut c = db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    let name: String =
        services::table.filter(services::ozg_id.eq("10513")).select(services::name).first(&mut c).await.unwrap();
    assert_eq!(name, "Abrissgenehmigung");

    // a file in the wrong format changes nothing
    server.route("/ozg.csv", vec![Reply::html("<html><body>Not found</body></html>")]);
    let out = env.run(&args).await;
    assert!(!out.status.success());
    assert!(stderr(&out).contains("the column `ozg_id` is missing"), "{}", stderr(&out));
    let n: i64 = services::table.count().get_result(&mut c).await.unwrap();
    assert_eq!(n, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_harvested_document_links_the_municipalities_it_names() {
    use govgraph_shared::schema::{documents, mentions};
    let site = common::FixtureSite::start("seed-site", &[]).await;
    let env = Env::new().await;
    assert!(env.run(&["bootstrap"]).await.status.success());
    let sources =
        env.sources(&format!("[[source]]\nname = \"seed\"\nkind = \"rss\"\nurl = \"{}/feed.xml\"\n", site.base));
    let out = env.run(&["harvest", "--sources", sources.to_str().unwrap(), "--source", "seed"]).await;
    assert!(out.status.success(), "{}", stderr(&out));

    let mut c = db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    let linked = |path: &'static str| {
        mentions::table
            .inner_join(documents::table)
            .inner_join(actors::table.on(actors::id.eq(mentions::entity_id)))
            .filter(documents::canonical_url.like(format!("%{path}")))
            .select((mentions::surface, actors::ags))
            .order(mentions::start_offset)
    };
    let places: Vec<(String, Option<String>)> = linked("002.html").load(&mut c).await.unwrap();
    let keys: Vec<&str> = places.iter().filter_map(|(_, k)| k.as_deref()).collect();
    assert!(keys.contains(&"14628410"), "Wilsdruff: {places:?}");
    assert!(keys.contains(&"13075039"), "Greifswald: {places:?}");
    assert!(keys.contains(&"14612000"), "Dresden, the city, not its district: {places:?}");
    let places: Vec<(String, Option<String>)> = linked("000.html").load(&mut c).await.unwrap();
    let keys: Vec<&str> = places.iter().filter_map(|(_, k)| k.as_deref()).collect();
    assert!(keys.contains(&"15084") && keys.contains(&"15085"), "Burgenlandkreis and Landkreis Harz: {places:?}");
    // "in der Stummschen Reithalle in Neunkirchen": a venue only, kept as the place, not a node
    // (which Neunkirchen a text means is checked in `tagging::places`' tests)
    let places: Vec<(String, Option<String>)> = linked("004.html").load(&mut c).await.unwrap();
    assert!(!places.iter().any(|(s, _)| s == "Neunkirchen"), "{places:?}");
    // offsets point into the stored text
    let (text, start, end, surface): (String, i32, i32, String) = mentions::table
        .inner_join(documents::table)
        .select((documents::text, mentions::start_offset, mentions::end_offset, mentions::surface))
        .first(&mut c)
        .await
        .unwrap();
    assert_eq!(text.chars().skip(start as usize).take((end - start) as usize).collect::<String>(), surface);
}

#[tokio::test(flavor = "multi_thread")]
async fn ckan_publishers_are_paged_and_matched_to_known_actors() {
    let server = FaultServer::start().await;
    let ok = |result: serde_json::Value| {
        Reply::with_type("application/json", serde_json::json!({ "success": true, "result": result }).to_string())
    };
    let org = |name: &str, title: &str| serde_json::json!({ "name": name, "title": title, "package_count": 0 });
    let api = "/ckan/api/3/action";
    server.route(
        &format!("{api}/organization_list?all_fields=true&limit=2&offset=0"),
        vec![ok(serde_json::json!([
            org("stala", "Statistisches Landesamt Schleswig-Holstein"),
            org("kiel", "Kiel, Landeshauptstadt")
        ]))],
    );
    server.route(
        &format!("{api}/organization_list?all_fields=true&limit=2&offset=2"),
        vec![ok(serde_json::json!([{ "name": "geo", "title": "Landesamt für Vermessung", "extras": [{ "key": "url", "value": "https://geo.example.org" }] }]))],
    );
    let ds = |org: &str| serde_json::json!({ "name": format!("ds-{org}"), "organization": { "name": org } });
    server.route(
        &format!("{api}/package_search?rows=2&start=0"),
        vec![ok(serde_json::json!({ "count": 3, "results": [ds("kiel"), ds("stala")] }))],
    );
    server.route(
        &format!("{api}/package_search?rows=2&start=2"),
        vec![ok(serde_json::json!({ "count": 3, "results": [ds("kiel")] }))],
    );

    let env = Env::new().await;
    assert!(env.run(&["bootstrap"]).await.status.success());
    let sources = env.sources(&format!(
        "[[source]]\nname = \"portal\"\nkind = \"ckan\"\nurl = \"{}\"\nstate = \"SH\"\npage_size = 2\n",
        server.url("/ckan")
    ));
    let args = ["harvest", "--sources", sources.to_str().unwrap(), "--source", "portal"];
    let out = env.run(&args).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("new 2, updated 1, unchanged 0"),
        "two new publishers, Kiel matched: {}",
        stdout(&out)
    );

    let mut c = db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    let kiel: serde_json::Value = actors::table
        .filter(actors::kind.eq("municipality").and(actors::ags.eq("01002000")))
        .select(actors::attributes)
        .first(&mut c)
        .await
        .unwrap();
    assert_eq!(kiel["publisher"]["127.0.0.1"]["datasets"], 2, "{kiel}");
    let geo: (String, Option<String>, Option<String>) = actors::table
        .filter(actors::name.eq("Landesamt für Vermessung"))
        .select((actors::kind, actors::homepage, actors::state_code))
        .first(&mut c)
        .await
        .unwrap();
    assert_eq!(geo, ("agency".into(), Some("https://geo.example.org".into()), Some("SH".into())));

    let out = env.run(&args).await;
    assert!(stdout(&out).contains("new 0, updated 0, unchanged 3"), "{}", stdout(&out));
    server.route(
        &format!("{api}/organization_list?all_fields=true&limit=2&offset=0"),
        vec![Reply::html("<html>Wartung</html>")],
    );
    let out = env.run(&args).await;
    assert!(!out.status.success());
    assert!(stderr(&out).contains("is not a CKAN action API answer"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_generic_csv_table_is_loaded_with_its_column_mapping() {
    let server = FaultServer::start().await;
    let table = std::fs::read_to_string(common::fixtures().join("catalog/nrw_it_dienstleister.csv")).unwrap();
    let rows = table.lines().count() as i64 - 1;
    server.route("/it.csv", vec![Reply::with_type("text/csv", table.clone())]);
    let env = Env::new().await;
    let sources = env.sources(&format!(
        "[[source]]\nname = \"nrw-it\"\nkind = \"csv\"\nurl = \"{}\"\nstate = \"NW\"\nactor_kind = \"it_service_provider\"\n\
         [source.columns]\nname = \"name\"\nkey = \"url\"\nhomepage = \"url\"\ntown = \"town\"\n",
        server.url("/it.csv")
    ));
    let args = ["harvest", "--sources", sources.to_str().unwrap(), "--source", "nrw-it"];
    // the reference data already holds providers of its own
    let before = count_kind(&env, "it_service_provider").await;
    let out = env.run(&args).await;
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains(&format!("new {rows}")), "{}", stdout(&out));
    assert_eq!(count_kind(&env, "it_service_provider").await, before + rows);
    let out = env.run(&args).await;
    assert!(stdout(&out).contains(&format!("new 0, updated 0, unchanged {rows}")), "{}", stdout(&out));

    let changed = table
        .replace("civitec,Mühlenstr.,53721,Siegburg,civitec.de", "civitec,Mühlenstr.,53721,Siegburg-Mitte,civitec.de")
        + ",,,,\n";
    server.route("/it.csv", vec![Reply::with_type("text/csv", changed)]);
    let out = env.run(&args).await;
    assert!(stdout(&out).contains("updated 1") && stdout(&out).contains("partial"), "{}", stdout(&out));
    assert!(stdout(&out).contains(&format!("error: line {}: no name or key", rows + 2)), "{}", stdout(&out));
    let mut c = db::pool(&env.db.url, 1).unwrap().get().await.unwrap();
    let (homepage, state, town): (Option<String>, Option<String>, serde_json::Value) = actors::table
        .filter(actors::slug.eq("nrw-it-civitec-de"))
        .select((actors::homepage, actors::state_code, actors::attributes))
        .first(&mut c)
        .await
        .unwrap();
    assert_eq!((homepage.as_deref(), state.as_deref()), (Some("civitec.de"), Some("NW")));
    assert_eq!(town["fields"]["town"], "Siegburg-Mitte");

    server.route("/it.csv", vec![Reply::with_type("text/csv", "Bezeichnung;Ort\nx;y\n")]);
    let out = env.run(&args).await;
    assert!(!out.status.success() && stderr(&out).contains("the column `name` is missing"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_graph_serves_actors_with_their_edges_and_evidence() {
    let env = Env::new().await;
    assert!(env.run(&["bootstrap"]).await.status.success());
    let server = env.spawn_server(&["serve", "--bind", "127.0.0.1:0"]).await;
    let data = server
        .data(
            r#"{ actor(ags: "15084015") { name kind state { code } ags ars legalForm population areaKm2 postcode attributes
                   relations(filter: { predicates: [LOCATED_IN] }) { nodes { predicate subject { id }
                     object { __typename ... on Actor { name kind } } evidence { method } } } }
                 actors(first: 2, filter: { state: SL, kind: DISTRICT }) { totalCount edges { node { name ags seat } } pageInfo { hasNextPage } } }"#,
            serde_json::json!({}),
        )
        .await;
    let actor = &data["actor"];
    assert_eq!(
        (actor["name"].as_str(), actor["kind"].as_str(), actor["state"]["code"].as_str()),
        (Some("Bad Bibra, Stadt"), Some("MUNICIPALITY"), Some("ST"))
    );
    assert_eq!(actor["attributes"]["type"], "Stadt");
    // what users read is typed: the register's form, inhabitants, area, postcode
    assert_eq!(actor["legalForm"], "Stadt");
    assert!(actor["population"].as_i64().is_some_and(|n| n > 1000), "{actor}");
    assert!(actor["areaKm2"].as_f64().is_some_and(|a| a > 1.0), "{actor}");
    assert!(actor["postcode"].as_str().is_some_and(|p| p.len() == 5), "{actor}");
    let districts = data["actors"]["edges"].as_array().unwrap();
    assert!(districts.iter().all(|d| d["node"]["seat"].is_string()), "a district has its seat: {districts:?}");
    let rel = &actor["relations"]["nodes"][0];
    assert_eq!(
        (rel["object"]["name"].as_str(), rel["object"]["__typename"].as_str(), rel["object"]["kind"].as_str()),
        (Some("Burgenlandkreis"), Some("Actor"), Some("DISTRICT"))
    );
    assert_eq!(rel["evidence"][0]["method"], "reference:gv100ad-snapshot");
    assert_eq!(rel["predicate"], "LOCATED_IN");
    assert_eq!(data["actors"]["totalCount"], 6, "the Saarland has six districts");
    assert_eq!(data["actors"]["pageInfo"]["hasNextPage"], true);
    let answer = server.graphql(r#"{ actor { name } }"#, serde_json::json!({})).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
}
