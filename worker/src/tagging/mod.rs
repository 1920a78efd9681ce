//! Tagging documents. For now: the states a document concerns ([`states`]).

pub mod states;

pub use states::{StateTag, StateTagger};
