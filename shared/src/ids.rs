//! Typed row ids: one newtype per table, so that the id of one table cannot be passed where the
//! id of another is expected (an announcement's id where an actor's is, say). They are `BIGINT` in
//! SQL and bind as such; [`new`](EntityId::new) makes one from a raw number (a decoded global id,
//! a NOTIFY payload), [`get`](EntityId::get) gives the number back.
//!
//! The kind tables (`actors`, `projects`, `agreements`, `services`) share their ids with
//! `entities`: their ids convert into an [`EntityId`], never the other way round, and [`KindId`]
//! is the id of a row of any one of them.

use std::fmt;

use diesel::deserialize::{self, FromSql};
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::BigInt;

macro_rules! row_id {
    ($($(#[$doc:meta])* $name:ident => $table:literal;)*) => {$(
        $(#[$doc])*
        #[doc = concat!("\n\nThe id of a row of `", $table, "`.")]
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = BigInt)]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// The table the id belongs to.
            pub const TABLE: &'static str = $table;

            /// The id with this number (from a decoded global id, a NOTIFY payload, ...).
            pub const fn new(id: i64) -> Self {
                Self(id)
            }

            /// The number.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ToSql<BigInt, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <i64 as ToSql<BigInt, Pg>>::to_sql(&self.0, out)
            }
        }

        impl FromSql<BigInt, Pg> for $name {
            fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
                <i64 as FromSql<BigInt, Pg>>::from_sql(bytes).map(Self)
            }
        }
    )*};
}

row_id! {
    /// A node of the graph (state, actor, project, agreement, service).
    EntityId => "entities";
    /// An actor; also an [`EntityId`].
    ActorId => "actors";
    /// A project; also an [`EntityId`].
    ProjectId => "projects";
    /// An agreement; also an [`EntityId`].
    AgreementId => "agreements";
    /// A service; also an [`EntityId`].
    ServiceId => "services";
    /// A document (an announcement in the API).
    DocumentId => "documents";
    /// An earlier version of a document.
    DocumentVersionId => "document_versions";
    /// An edge of the graph.
    RelationId => "relations";
    /// A piece of evidence for an edge.
    EvidenceId => "evidence";
    /// A mention of a node in a document.
    MentionId => "mentions";
    /// A configured source.
    SourceId => "sources";
    /// A harvest run of a source.
    HarvestRunId => "harvest_runs";
    /// A queued job.
    JobId => "jobs";
    /// A line of the audit log.
    AuditLogId => "audit_log";
}

macro_rules! kind_ids {
    ($($variant:ident($name:ident) => $entity_type:literal;)*) => {
        $(
            impl From<$name> for EntityId {
                fn from(id: $name) -> EntityId {
                    EntityId(id.0)
                }
            }
        )*

        /// The id of a row of one of the kind tables: a node an editor confirms, rejects or names.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum KindId {
            $($variant($name),)*
        }

        impl KindId {
            /// Its entity id.
            pub fn entity(self) -> EntityId {
                match self {
                    $(KindId::$variant(id) => id.into(),)*
                }
            }

            /// Its table.
            pub fn table(self) -> &'static str {
                match self {
                    $(KindId::$variant(_) => $name::TABLE,)*
                }
            }

            /// The `entities.entity_type` of its rows.
            pub fn entity_type(self) -> &'static str {
                match self {
                    $(KindId::$variant(_) => $entity_type,)*
                }
            }
        }

        $(
            impl From<$name> for KindId {
                fn from(id: $name) -> KindId {
                    KindId::$variant(id)
                }
            }
        )*
    };
}

kind_ids! {
    Actor(ActorId) => "actor";
    Project(ProjectId) => "project";
    Agreement(AgreementId) => "agreement";
    Service(ServiceId) => "service";
}

impl fmt::Display for KindId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.entity().fmt(f)
    }
}
