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
