//! Mutations, for editors with an API token (`Authorization: Bearer <token>`; tokens are
//! configured in `GOVGRAPH_API_TOKEN` as `name:token` pairs, comma-separated). A missing or wrong
//! token is refused with `UNAUTHENTICATED` before anything is read. Each change is written to the
//! audit log with the token's name and the time (`shared::models::curation`).

use async_graphql::{Context, ErrorExtensions, ID, Object};
use govgraph_shared::ids::{ActorId, KindId, RelationId};
use govgraph_shared::models::curation::{self, CurationError};
use govgraph_shared::sources_config::SourcesConfig;
use govgraph_shared::vocab::{SourceKind, StateCode, Status};

use crate::error::{ApiResult, bad_input, internal};
use crate::schema::conn;
use crate::types::{GlobalId, decode_id, wrong_type};

/// Who sends a request, when its token is valid; `Refused` says why not.
#[derive(Debug, Clone)]
pub enum Caller {
    Editor(String),
    Refused(String),
}

/// The configured tokens: `name:token` pairs, or one bare token (named "editor").
pub fn tokens(config: Option<&str>) -> Vec<(String, String)> {
    config
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| match t.split_once(':') {
            Some((name, token)) => (name.trim().to_owned(), token.trim().to_owned()),
            None => ("editor".to_owned(), t.to_owned()),
        })
        .collect()
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The caller of a request with this `Authorization` header.
pub fn caller(tokens: &[(String, String)], authorization: Option<&str>) -> Caller {
    if tokens.is_empty() {
        return Caller::Refused("mutations are disabled on this server (no GOVGRAPH_API_TOKEN is configured)".into());
    }
    let Some(given) = authorization.and_then(|h| h.strip_prefix("Bearer ")).map(str::trim) else {
        return Caller::Refused("mutations need an API token: send `Authorization: Bearer <token>`".into());
    };
    match tokens.iter().find(|(_, t)| same(t, given)) {
        Some((name, _)) => Caller::Editor(name.clone()),
        None => Caller::Refused("the API token is not valid".into()),
    }
}

/// The editor's name, or `UNAUTHENTICATED`.
pub(crate) fn editor(ctx: &Context<'_>) -> ApiResult<String> {
    match ctx.data_opt::<Caller>() {
        Some(Caller::Editor(name)) => Ok(name.clone()),
        Some(Caller::Refused(why)) => {
            Err(async_graphql::Error::new(why.clone()).extend_with(|_, e| e.set("code", "UNAUTHENTICATED")))
        }
        None => Err(async_graphql::Error::new("mutations need an API token")
            .extend_with(|_, e| e.set("code", "UNAUTHENTICATED"))),
    }
}

/// The node of an actor, project, agreement or service id; any other id is `BAD_USER_INPUT`.
fn kind_id(id: &ID) -> ApiResult<KindId> {
    const EXPECTED: &str = "an actor, project, agreement or service";
    let global = decode_id(id, &format!("the id of {EXPECTED}"))?;
    global.kind().ok_or_else(|| wrong_type(id, &global, EXPECTED))
}

/// The actor of an Actor id; any other id is `BAD_USER_INPUT`.
fn actor_id(id: &ID) -> ApiResult<ActorId> {
    match decode_id(id, "the id of an actor")? {
        GlobalId::Actor(actor) => Ok(actor),
        other => Err(wrong_type(id, &other, "an actor")),
    }
}

/// The edge of a Relation id; any other id is `BAD_USER_INPUT`.
fn relation_id(id: &ID) -> ApiResult<RelationId> {
    match decode_id(id, "the id of a relation")? {
        GlobalId::Relation(relation) => Ok(relation),
        other => Err(wrong_type(id, &other, "a relation")),
    }
}

fn not_found(id: &ID) -> async_graphql::Error {
    crate::error::ApiError::NotFound(format!("no node `{}`", id.as_str())).extend()
}

/// A curation error as a GraphQL error: a missing node is `NOT_FOUND` (named by `id`), a refused
/// change `BAD_USER_INPUT`.
fn refused(id: &ID, e: CurationError) -> async_graphql::Error {
    match e {
        CurationError::NotFound { .. } => not_found(id),
        CurationError::Reference { .. } | CurationError::SelfMerge => bad_input(e.to_string()),
        CurationError::Db(e) => internal(e),
    }
}

#[derive(Default)]
pub struct MutationRoot;

#[Object]
impl MutationRoot {
    /// Confirms a candidate (actor, project, agreement or service). A reference node (reference
    /// data, a register's unit) would leave the reference data: that needs `force: true`.
    async fn confirm(&self, ctx: &Context<'_>, id: ID, #[graphql(default = false)] force: bool) -> ApiResult<bool> {
        let who = editor(ctx)?;
        let node = kind_id(&id)?;
        let mut conn = conn(ctx).await?;
        curation::set_status(&mut conn, &who, node, Status::Confirmed, force).await.map_err(|e| refused(&id, e))?;
        Ok(true)
    }

    /// Rejects a candidate: it stays (so it is not found again as new) but lists leave it out.
    /// Rejecting a reference node (reference data, a register's unit) needs `force: true`.
    async fn reject(&self, ctx: &Context<'_>, id: ID, #[graphql(default = false)] force: bool) -> ApiResult<bool> {
        let who = editor(ctx)?;
        let node = kind_id(&id)?;
        let mut conn = conn(ctx).await?;
        curation::set_status(&mut conn, &who, node, Status::Rejected, force).await.map_err(|e| refused(&id, e))?;
        Ok(true)
    }

    /// Confirms or rejects an edge (`status`: CONFIRMED, REJECTED, or CANDIDATE again).
    async fn set_relation_status(&self, ctx: &Context<'_>, id: ID, status: Status) -> ApiResult<bool> {
        let who = editor(ctx)?;
        if status == Status::Reference {
            return Err(bad_input("`status` is CONFIRMED, REJECTED or CANDIDATE"));
        }
        let rel = relation_id(&id)?;
        let mut conn = conn(ctx).await?;
        curation::set_relation_status(&mut conn, &who, rel, status)
            .await
            .map_err(internal)?
            .then_some(true)
            .ok_or_else(|| not_found(&id))
    }

    /// Adds an alias to a node (found by its gazetteer on the next retag). An alias is not a
    /// rename: reference nodes take one without `force`.
    async fn add_alias(&self, ctx: &Context<'_>, id: ID, alias: String) -> ApiResult<bool> {
        let who = editor(ctx)?;
        let alias = alias.trim().to_owned();
        if alias.is_empty() || alias.chars().count() > 200 {
            return Err(bad_input("an alias has 1 to 200 characters"));
        }
        let node = kind_id(&id)?;
        let mut conn = conn(ctx).await?;
        curation::add_alias(&mut conn, &who, node, &alias).await.map_err(|e| refused(&id, e))?;
        Ok(true)
    }

    /// Merges actor `loser` into `survivor`: names become aliases, edges and mentions move, the
    /// loser's id resolves to the survivor from then on. Merging away a reference actor
    /// (reference data, a register's unit) needs `force: true`.
    async fn merge_actors(
        &self,
        ctx: &Context<'_>,
        survivor: ID,
        loser: ID,
        #[graphql(default = false)] force: bool,
    ) -> ApiResult<bool> {
        let who = editor(ctx)?;
        let (s, l) = (actor_id(&survivor)?, actor_id(&loser)?);
        let mut conn = conn(ctx).await?;
        curation::merge_actors(&mut conn, &who, s, l, force).await.map_err(|e| match e {
            CurationError::NotFound { id, .. } if id == s.into() => refused(&survivor, e),
            e => refused(&loser, e),
        })?;
        Ok(true)
    }

    /// Adds a source or updates it (by name): kind, URL, and optionally a six-field cron schedule
    /// (seconds first) and a state code. Returns the source's name.
    async fn put_source(
        &self,
        ctx: &Context<'_>,
        name: String,
        kind: SourceKind,
        url: String,
        schedule: Option<String>,
        state: Option<StateCode>,
    ) -> ApiResult<String> {
        let who = editor(ctx)?;
        let mut table = toml::map::Map::new();
        table.insert("name".into(), name.clone().into());
        table.insert("kind".into(), kind.as_str().into());
        table.insert("url".into(), url.into());
        if let Some(s) = schedule {
            table.insert("schedule".into(), s.into());
        }
        if let Some(s) = state {
            table.insert("state".into(), s.as_str().into());
        }
        let mut file = toml::map::Map::new();
        file.insert("source".into(), toml::Value::Array(vec![toml::Value::Table(table)]));
        let text = toml::to_string(&toml::Value::Table(file)).map_err(|e| bad_input(e.to_string()))?;
        let config = SourcesConfig::parse(&text).map_err(|e| bad_input(format!("the source is not valid: {e}")))?;
        let cfg = config.get(&name).ok_or_else(|| bad_input("the source is not valid"))?;
        let mut conn = conn(ctx).await?;
        curation::put_source(&mut conn, &who, cfg).await.map_err(internal)?;
        Ok(name)
    }

    /// Enables or disables a source.
    async fn set_source_enabled(&self, ctx: &Context<'_>, name: String, enabled: bool) -> ApiResult<bool> {
        let who = editor(ctx)?;
        let mut conn = conn(ctx).await?;
        curation::set_source_enabled(&mut conn, &who, &name, enabled)
            .await
            .map_err(internal)?
            .then_some(true)
            .ok_or_else(|| bad_input(format!("unknown source `{name}`")))
    }

    /// Queues a harvest of a source for the workers (false when one is queued or running).
    async fn start_harvest(&self, ctx: &Context<'_>, source: String) -> ApiResult<bool> {
        let who = editor(ctx)?;
        let mut conn = conn(ctx).await?;
        if govgraph_shared::models::Source::find_by_name(&mut conn, &source).await.map_err(internal)?.is_none() {
            return Err(bad_input(format!("unknown source `{source}`")));
        }
        curation::request_harvest(&mut conn, &who, &source).await.map_err(internal)
    }
}
