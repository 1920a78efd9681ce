//! The GraphQL types, one module each.

pub mod actor;
pub mod announcement;
pub mod edges;
pub mod harvest_run;
pub mod node_types;
pub mod relation;
pub mod source;
pub mod state;

pub use actor::Actor;
pub use announcement::Announcement;
pub use harvest_run::HarvestRun;
pub use relation::Relation;
pub use source::Source;
pub use state::State;

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// An opaque global id: the type name and the row id.
pub fn global_id(type_name: &str, id: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{type_name}:{id}")))
}

/// The type and key of any global id ("Actor", "42"; "State", "ST").
pub fn parse_any_id(id: &str) -> Option<(String, String)> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(id.trim()).ok()?).ok()?;
    let (t, key) = text.split_once(':')?;
    Some((t.to_owned(), key.to_owned()))
}

/// The row id in a global id of `type_name`.
pub fn parse_global_id(type_name: &str, id: &str) -> Option<i64> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(id).ok()?).ok()?;
    text.strip_prefix(type_name)?.strip_prefix(':')?.parse().ok()
}
