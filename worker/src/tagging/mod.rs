//! Tagging documents: the states a document concerns ([`states`]), the municipalities and
//! districts it names ([`places`]), the known entities it names ([`gazetteer`]), what it reveals
//! that no list holds ([`discovery`]), and the relations its sentences state ([`relations`]).
//! [`analysis`] runs them in order over one document; [`sentences`] splits the text.

pub mod agreements;
pub mod analysis;
pub mod bodies;
pub mod discovery;
pub mod gazetteer;
pub mod organisations;
pub mod persons;
pub mod places;
pub mod projects;
pub mod relations;
pub mod sentences;
pub mod states;
pub mod store;

pub use analysis::Tagger;
pub use states::{StateTag, StateTagger};
