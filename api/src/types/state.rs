use async_graphql::{ComplexObject, Context, SimpleObject};
use govgraph_shared::models;
use govgraph_shared::vocab::StateCode;

use crate::error::ApiResult;
use crate::pagination::{DEFAULT_PAGE, Page, PageArgs};

/// A Land, or the federal level (code `DE`).
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct State {
    /// ISO 3166-2:DE code without the prefix (`ST`, `SN`, ...), or `DE` for the federal level.
    pub code: StateCode,
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
    /// The announcements about this state, newest first.
    #[graphql(complexity = "crate::pagination::price(first.or(last), child_complexity)")]
    async fn announcements(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Page<super::Announcement>> {
        let window =
            PageArgs::new(first, after, last, before).window(DEFAULT_PAGE, crate::schema::decode_document_cursor)?;
        let filter = models::DocumentFilter { state: Some(self.code.as_str().to_owned()), ..Default::default() };
        crate::schema::announcement_page(ctx, &filter, &window).await
    }
    /// The actors of this state by name, optionally of one kind.
    #[graphql(complexity = "crate::pagination::price(first.or(last), child_complexity)")]
    async fn actors(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(desc = "Which of them (its `state`, if given, must be this state).")] filter: Option<
            crate::filters::ActorFilter,
        >,
    ) -> ApiResult<Page<super::Actor>> {
        let window = PageArgs::new(first, after, last, before)
            .window(DEFAULT_PAGE, |c| crate::pagination::decode_named("actor", c))?;
        let filter = filter.unwrap_or_default();
        if filter.state.is_some_and(|s| s != self.code) {
            return Err(crate::error::bad_input("`filter.state` of a state's actors is that state"));
        }
        let filter = models::graph::ActorFilter { state: Some(self.code), ..filter.into_model() };
        crate::schema::actor_page(ctx, &filter, &window).await
    }
    /// The agreements of this state by title.
    #[graphql(complexity = "crate::pagination::price(first.or(last), child_complexity)")]
    async fn agreements(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Page<super::node_types::Agreement>> {
        use models::nodes::{NodeFilter, NodeTable};
        let window = PageArgs::new(first, after, last, before)
            .window(DEFAULT_PAGE, |c| crate::pagination::decode_named("agreement", c))?;
        let filter = NodeFilter { state: Some(self.code), ..Default::default() };
        crate::roots::node_page(ctx, NodeTable::Agreements, &filter, &window, super::node_types::Agreement).await
    }
    /// True for the federal level.
    async fn federal(&self) -> bool {
        self.code == StateCode::De
    }
}

impl State {
    /// The state of a row (none for a code outside the vocabulary, which the reference data never
    /// has).
    pub fn from_row(s: models::State) -> Option<State> {
        let Ok(code) = s.code.parse::<StateCode>() else {
            tracing::warn!(code = %s.code, "a state code outside the vocabulary");
            return None;
        };
        Some(State { code, name: s.name, ags_prefix: s.ags_prefix, capital: s.capital, names: s.names })
    }
}
