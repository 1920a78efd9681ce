//! The closed vocabularies of the graph, each defined once: a Rust enum that is stored as its
//! `snake_case` word in a `TEXT` column (diesel `ToSql`/`FromSql`; the column's SQL `CHECK` stays
//! the database's own guard), read and written by serde as that word, and, with the `graphql`
//! feature (the API's), a GraphQL enum whose values are the words in upper case (`PARTY_TO`).
//!
//! A word the vocabulary does not know is an [`UnknownTerm`] error: in a row (a database that
//! allows more than this build knows) it fails the read instead of passing a guess on.

use std::fmt;
use std::str::FromStr;

use diesel::deserialize::{self, FromSql};
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

/// A word that is not in its vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{term}` is no {vocabulary}: one of {known}")]
pub struct UnknownTerm {
    pub vocabulary: &'static str,
    pub term: String,
    pub known: String,
}

/// Defines a vocabulary: `Name { Variant = "word", ... }`, each variant with its doc comment
/// (which becomes the GraphQL description).
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident ($what:literal) {
        $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+
    }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = Text)]
        #[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// Every term, in the order of the definition.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word stored in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The term for a word as the database stores it (`party_to`), or as the API and
            /// users write it (`PARTY_TO`, ` Party_To `).
            pub fn parse_loose(word: &str) -> Result<$name, UnknownTerm> {
                word.trim().to_lowercase().parse()
            }
        }

        impl FromStr for $name {
            type Err = UnknownTerm;

            fn from_str(word: &str) -> Result<$name, UnknownTerm> {
                match word {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownTerm {
                        vocabulary: $what,
                        term: word.to_owned(),
                        known: [$($text),+].join(", "),
                    }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ToSql<Text, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <str as ToSql<Text, Pg>>::to_sql(self.as_str(), out)
            }
        }

        impl FromSql<Text, Pg> for $name {
            fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
                let word = <String as FromSql<Text, Pg>>::from_sql(bytes)?;
                Ok(word.parse::<$name>()?)
            }
        }
    };
}

vocabulary! {
    /// What an actor is.
    ActorKind ("actor kind") {
        /// A Land's or the federal government.
        Government = "government",
        Ministry = "ministry",
        Municipality = "municipality",
        /// A Landkreis (or a kreisfreie Stadt as district).
        District = "district",
        /// A municipal association (Landkreistag, Städtetag, ...).
        MunicipalAssociation = "municipal_association",
        /// A Verbandsgemeinde, Amt or Verwaltungsgemeinschaft of the register.
        MunicipalFederation = "municipal_federation",
        ItServiceProvider = "it_service_provider",
        Company = "company",
        Agency = "agency",
        University = "university",
        /// A board, council, committee or conference.
        Body = "body",
        Person = "person",
        Group = "group",
        Association = "association",
        Region = "region",
        Other = "other",
    }
}

vocabulary! {
    /// What a project is.
    ProjectKind ("project kind") {
        Project = "project",
        Platform = "platform",
        Programme = "programme",
        Network = "network",
        /// An OZG Themenfeld.
        OzgThemenfeld = "ozg_themenfeld",
        Portal = "portal",
        Other = "other",
    }
}

vocabulary! {
    /// What an agreement is.
    AgreementKind ("agreement kind") {
        FrameworkAgreement = "framework_agreement",
        CooperationAgreement = "cooperation_agreement",
        AdministrativeAgreement = "administrative_agreement",
        /// A Staatsvertrag.
        StateTreaty = "state_treaty",
        PositionPaper = "position_paper",
        Strategy = "strategy",
        /// The founding of an organisation.
        Founding = "founding",
        Agreement = "agreement",
    }
}

vocabulary! {
    /// Which catalogue a service comes from.
    ServiceKind ("service kind") {
        /// The OZG catalogue.
        Ozg = "ozg",
        /// The Leistungskatalog (LeiKa).
        Leika = "leika",
        Other = "other",
    }
}

vocabulary! {
    /// Where a node or an edge stands: from reference data or a register, confirmed by an editor,
    /// a candidate read from texts, or rejected.
    Status ("status") {
        /// From a register or the reference data.
        Reference = "reference",
        /// Confirmed by an editor.
        Confirmed = "confirmed",
        /// Read from texts, not yet confirmed.
        Candidate = "candidate",
        /// Rejected by an editor: kept, so that it is not found again as new, but left out of lists.
        Rejected = "rejected",
    }
}

vocabulary! {
    /// What an edge says: the subject ... the object.
    Predicate ("predicate") {
        /// An actor is party to an agreement.
        PartyTo = "party_to",
        /// A person or actor signed an agreement.
        Signed = "signed",
        /// An agreement renews an earlier one.
        Renews = "renews",
        /// An actor sits in a body (with a role).
        MemberOf = "member_of",
        /// A person holds a position at an actor (with a title).
        HoldsPosition = "holds_position",
        Leads = "leads",
        Operates = "operates",
        ParticipatesIn = "participates_in",
        Founded = "founded",
        Serves = "serves",
        /// A project offers a service.
        Offers = "offers",
        /// An actor lies in a district or state.
        LocatedIn = "located_in",
    }
}

vocabulary! {
    /// The role of a member of a body (`member_of` edges).
    Role ("role") {
        Chair = "chair",
        DeputyChair = "deputy_chair",
        Member = "member",
        Guest = "guest",
    }
}

vocabulary! {
    /// The type of a node of the graph.
    NodeType ("node type") {
        State = "state",
        Actor = "actor",
        Project = "project",
        Agreement = "agreement",
        Service = "service",
    }
}

vocabulary! {
    /// What a search finds: announcements, and the nodes by name.
    HitType ("search hit type") {
        Actor = "actor",
        Agreement = "agreement",
        Announcement = "announcement",
        Project = "project",
        Service = "service",
    }
}

vocabulary! {
    /// The outcome of a harvest run.
    RunStatus ("run status") {
        Running = "running",
        /// Every item was read.
        Succeeded = "succeeded",
        /// Read, but some items failed.
        Partial = "partial",
        /// Answered, but with far fewer items than usual (or none).
        Degraded = "degraded",
        /// The source could not be read.
        Failed = "failed",
        /// The process stopped before the run finished.
        Interrupted = "interrupted",
    }
}

vocabulary! {
    /// What started a harvest run.
    RunTrigger ("run trigger") {
        /// The command line.
        Manual = "manual",
        /// The source's schedule.
        Schedule = "schedule",
        /// `startHarvest` in the API.
        Api = "api",
    }
}

vocabulary! {
    /// What a source is and how it is read.
    SourceKind ("source kind") {
        /// RSS 0.9x/1.0/2.0, Atom or JSON Feed; each item is followed to its page.
        Rss = "rss",
        /// A listing page read with CSS selectors.
        Html = "html",
        /// A sitemap or sitemap index.
        Sitemap = "sitemap",
        /// A single page.
        Page = "page",
        /// The Destatis register of municipalities.
        Gemeindeverzeichnis = "gemeindeverzeichnis",
        /// The OZG service catalogue.
        OzgCatalogue = "ozg_catalogue",
        /// LeiKa service entries.
        Leika = "leika",
        /// A CKAN catalogue API.
        Ckan = "ckan",
        /// A generic CSV/JSON table.
        Csv = "csv",
    }
}

impl SourceKind {
    /// Catalogue kinds load a register or catalogue into the graph; the others harvest documents.
    pub fn is_catalogue(self) -> bool {
        !matches!(self, SourceKind::Rss | SourceKind::Html | SourceKind::Sitemap | SourceKind::Page)
    }
}

vocabulary! {
    /// Where a source is defined.
    SourceOrigin ("source origin") {
        /// The sources file, mirrored at every start.
        File = "file",
        /// Added through `putSource`.
        Api = "api",
    }
}

vocabulary! {
    /// A Land (ISO 3166-2:DE without the prefix), or `DE` for the federal level.
    StateCode ("state code") {
        /// Baden-Württemberg
        Bw = "BW",
        /// Bayern
        By = "BY",
        /// Berlin
        Be = "BE",
        /// Brandenburg
        Bb = "BB",
        /// Bremen
        Hb = "HB",
        /// Hamburg
        Hh = "HH",
        /// Hessen
        He = "HE",
        /// Mecklenburg-Vorpommern
        Mv = "MV",
        /// Niedersachsen
        Ni = "NI",
        /// Nordrhein-Westfalen
        Nw = "NW",
        /// Rheinland-Pfalz
        Rp = "RP",
        /// Saarland
        Sl = "SL",
        /// Sachsen
        Sn = "SN",
        /// Sachsen-Anhalt
        St = "ST",
        /// Schleswig-Holstein
        Sh = "SH",
        /// Thüringen
        Th = "TH",
        /// The federal level (Bund)
        De = "DE",
    }
}

impl StateCode {
    /// The code as users write it ("st", " ST ").
    pub fn parse_code(code: &str) -> Result<StateCode, UnknownTerm> {
        code.trim().to_uppercase().parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_back_and_unknown_words_are_errors() {
        for p in Predicate::ALL {
            assert_eq!(p.as_str().parse::<Predicate>().unwrap(), *p);
            assert_eq!(Predicate::parse_loose(&p.as_str().to_uppercase()).unwrap(), *p);
        }
        assert_eq!(StateCode::parse_code(" st").unwrap(), StateCode::St);
        let e = "munipality".parse::<ActorKind>().unwrap_err();
        assert!(e.to_string().contains("municipality"), "{e}");
        assert_eq!(serde_json::to_string(&Role::DeputyChair).unwrap(), "\"deputy_chair\"");
    }

    #[test]
    fn the_vocabularies_match_the_sql_checks() {
        // every word of a vocabulary appears in the migrations' CHECK for its column
        let sql: String = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations"))
            .unwrap()
            .flat_map(|d| std::fs::read_to_string(d.unwrap().path().join("up.sql")))
            .collect();
        let words: Vec<&str> = [
            ActorKind::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
            ProjectKind::ALL.iter().map(|t| t.as_str()).collect(),
            AgreementKind::ALL.iter().map(|t| t.as_str()).collect(),
            ServiceKind::ALL.iter().map(|t| t.as_str()).collect(),
            Status::ALL.iter().map(|t| t.as_str()).collect(),
            Predicate::ALL.iter().map(|t| t.as_str()).collect(),
            Role::ALL.iter().map(|t| t.as_str()).collect(),
            NodeType::ALL.iter().map(|t| t.as_str()).collect(),
            RunStatus::ALL.iter().map(|t| t.as_str()).collect(),
            RunTrigger::ALL.iter().map(|t| t.as_str()).collect(),
            SourceKind::ALL.iter().map(|t| t.as_str()).collect(),
            SourceOrigin::ALL.iter().map(|t| t.as_str()).collect(),
        ]
        .concat();
        for w in words {
            assert!(sql.contains(&format!("'{w}'")), "`{w}` is in no CHECK of the migrations");
        }
    }
}
