use async_graphql::{ComplexObject, SimpleObject};
use govgraph_shared::models;

/// A Land, or the federal level (code `DE`).
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct State {
    /// ISO 3166-2:DE code without the prefix ("ST", "SN", ...), or "DE" for the federal level.
    pub code: String,
    /// The state's name ("Sachsen-Anhalt"; "Bund" for DE).
    pub name: String,
    /// The first two digits of every AGS in the state (none for DE).
    pub ags_prefix: Option<String>,
    /// The capital.
    pub capital: Option<String>,
    /// The names texts use for it, with short forms.
    pub names: Vec<String>,
}

#[ComplexObject]
impl State {
    /// The global id.
    pub async fn id(&self) -> async_graphql::ID {
        use base64::Engine;
        async_graphql::ID(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("State:{}", self.code)))
    }
    /// The newest announcements about this state (at most 100).
    #[graphql(complexity = "crate::pagination::price(first, child_complexity)")]
    async fn announcements(
        &self,
        ctx: &async_graphql::Context<'_>,
        first: Option<i32>,
    ) -> crate::error::ApiResult<Vec<super::Announcement>> {
        let first = crate::pagination::page_size(first)?;
        let mut conn = crate::schema::conn(ctx).await?;
        let filter = models::DocumentFilter { state: Some(self.code.clone()), ..Default::default() };
        Ok(models::Document::list(&mut conn, &filter, models::Page { first, after: None })
            .await
            .map_err(crate::error::internal)?
            .into_iter()
            .map(super::Announcement)
            .collect())
    }
    /// Actors of this state by name, optionally of one kind (at most 100).
    #[graphql(complexity = "crate::pagination::price(first, child_complexity)")]
    async fn actors(
        &self,
        ctx: &async_graphql::Context<'_>,
        first: Option<i32>,
        kind: Option<String>,
    ) -> crate::error::ApiResult<Vec<super::Actor>> {
        let first = crate::pagination::page_size(first)?;
        let mut conn = crate::schema::conn(ctx).await?;
        let filter = models::graph::ActorFilter {
            state: Some(self.code.clone()),
            kind: kind.map(|k| k.to_lowercase()),
            text: None,
            modified_since: None,
        };
        Ok(models::graph::Actor::list(&mut conn, &filter, models::Page { first, after: None })
            .await
            .map_err(crate::error::internal)?
            .into_iter()
            .map(super::Actor)
            .collect())
    }
    /// Agreements of this state by title (at most 100).
    #[graphql(complexity = "crate::pagination::price(first, child_complexity)")]
    async fn agreements(
        &self,
        ctx: &async_graphql::Context<'_>,
        first: Option<i32>,
    ) -> crate::error::ApiResult<Vec<super::node_types::Agreement>> {
        use models::nodes::{NodeFilter, NodeRow, NodeTable};
        let first = crate::pagination::page_size(first)?;
        let mut conn = crate::schema::conn(ctx).await?;
        let filter = NodeFilter { state: Some(self.code.clone()), ..Default::default() };
        Ok(NodeRow::list(&mut conn, NodeTable::Agreements, &filter, models::Page { first, after: None })
            .await
            .map_err(crate::error::internal)?
            .into_iter()
            .map(super::node_types::Agreement)
            .collect())
    }
    /// True for the federal level.
    async fn federal(&self) -> bool {
        self.code == "DE"
    }
}

impl From<models::State> for State {
    fn from(s: models::State) -> Self {
        State { code: s.code, name: s.name, ags_prefix: s.ags_prefix, capital: s.capital, names: s.names }
    }
}
