//! Tagging documents: the states a document concerns ([`states`]) and the municipalities and
//! districts it names ([`places`]).

pub mod places;
pub mod states;

pub use states::{StateTag, StateTagger};
