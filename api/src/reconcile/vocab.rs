//! What the reconciliation service names: its types (the actor kinds) and its properties (for
//! query narrowing, suggest, property proposals and data extension).

use govgraph_shared::vocab::ActorKind;

/// A type of the service: an actor kind, its English name and a German description.
pub struct ServiceType {
    pub kind: ActorKind,
    pub name: &'static str,
    pub description: &'static str,
}

impl ServiceType {
    /// The type's id: the kind as the database stores it (`municipality`).
    pub fn id(&self) -> &'static str {
        self.kind.as_str()
    }
}

/// The actor kinds as reconciliation types (ids as in the database and the GraphQL `kind`).
pub const TYPES: &[ServiceType] = &[
    ServiceType { kind: ActorKind::Municipality, name: "Municipality", description: "Gemeinde, Stadt, Markt" },
    ServiceType { kind: ActorKind::District, name: "District", description: "Landkreis, Kreis, kreisfreie Stadt" },
    ServiceType {
        kind: ActorKind::MunicipalFederation,
        name: "Municipal federation",
        description: "Amt, Samtgemeinde, Verbandsgemeinde, Verwaltungsgemeinschaft",
    },
    ServiceType { kind: ActorKind::Region, name: "Region", description: "Regierungsbezirk, Region" },
    ServiceType { kind: ActorKind::Government, name: "Government", description: "Landesregierung, Bundesregierung" },
    ServiceType {
        kind: ActorKind::Ministry,
        name: "Ministry",
        description: "Ministerium, Senatsverwaltung, Staatskanzlei",
    },
    ServiceType { kind: ActorKind::Agency, name: "Agency", description: "Behörde, Amt, Landesbetrieb" },
    ServiceType {
        kind: ActorKind::MunicipalAssociation,
        name: "Municipal association",
        description: "Kommunaler Spitzenverband (Städtetag, Landkreistag, Städte- und Gemeindebund)",
    },
    ServiceType {
        kind: ActorKind::ItServiceProvider,
        name: "IT service provider",
        description: "Kommunaler oder staatlicher IT-Dienstleister",
    },
    ServiceType { kind: ActorKind::Association, name: "Association", description: "Verband, Verein, Zweckverband" },
    ServiceType { kind: ActorKind::Body, name: "Body", description: "Gremium, Konferenz, Rat" },
    ServiceType { kind: ActorKind::Company, name: "Company", description: "Unternehmen" },
    ServiceType { kind: ActorKind::University, name: "University", description: "Hochschule, Forschungseinrichtung" },
    ServiceType { kind: ActorKind::Group, name: "Group", description: "Arbeitsgruppe, Zusammenschluss" },
    ServiceType { kind: ActorKind::Person, name: "Person", description: "Person" },
    ServiceType { kind: ActorKind::Other, name: "Other", description: "Sonstige Akteure" },
];

/// A property: for narrowing queries (`query`), for data extension (`extend`), or both.
pub struct ServiceProperty {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub query: bool,
    pub extend: bool,
}

pub const PROPERTIES: &[ServiceProperty] = &[
    ServiceProperty {
        id: "ags",
        name: "AGS",
        description: "Amtlicher Gemeindeschlüssel (8 digits; 5 for a district); an AGS in a query decides the match",
        query: true,
        extend: true,
    },
    ServiceProperty {
        id: "ars",
        name: "ARS",
        description: "Amtlicher Regionalschlüssel (12 digits; 9 for a municipal federation)",
        query: true,
        extend: true,
    },
    ServiceProperty {
        id: "state",
        name: "State",
        description: "Land, by code (SN), name (Sachsen) or official name (Freistaat Sachsen); narrows the candidates",
        query: true,
        extend: true,
    },
    ServiceProperty {
        id: "kind",
        name: "Kind",
        description: "The actor kind (municipality, district, ministry, ...); narrows the candidates like the type",
        query: true,
        extend: true,
    },
    ServiceProperty {
        id: "homepage",
        name: "Homepage",
        description: "The actor's web site",
        query: false,
        extend: true,
    },
    ServiceProperty {
        id: "population",
        name: "Population",
        description: "Inhabitants according to the Destatis register",
        query: false,
        extend: true,
    },
    ServiceProperty {
        id: "district",
        name: "Parent district",
        description: "The district (Landkreis, Kreis) the municipality or federation lies in, as an entity",
        query: false,
        extend: true,
    },
];

/// The types whose id or name starts with, or whose text contains, the prefix (folded).
pub fn matching_types(prefix: &str) -> Vec<&'static ServiceType> {
    let p = prefix.trim().to_lowercase();
    TYPES
        .iter()
        .filter(|t| {
            p.is_empty()
                || t.id().starts_with(&p)
                || t.name.to_lowercase().contains(&p)
                || t.description.to_lowercase().contains(&p)
        })
        .collect()
}

/// The properties whose id or name contains the prefix.
pub fn matching_properties(prefix: &str) -> Vec<&'static ServiceProperty> {
    let p = prefix.trim().to_lowercase();
    PROPERTIES.iter().filter(|q| p.is_empty() || q.id.contains(&p) || q.name.to_lowercase().contains(&p)).collect()
}

/// The property ids data extension proposes for a type (every type has a kind, state and homepage;
/// keys, population and the district belong to the register's kinds).
pub fn proposed_for(type_id: &str) -> Vec<&'static ServiceProperty> {
    let register = matches!(type_id, "municipality" | "district" | "municipal_federation" | "region");
    PROPERTIES
        .iter()
        .filter(|p| p.extend)
        .filter(|p| register || matches!(p.id, "state" | "kind" | "homepage"))
        .filter(|p| p.id != "district" || matches!(type_id, "municipality" | "municipal_federation"))
        .filter(|p| p.id != "population" || type_id == "municipality")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_lists_answer_prefixes() {
        // every actor kind is a type, once
        let mut ids: Vec<&str> = TYPES.iter().map(|t| t.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), TYPES.len());
        assert_eq!(ids.len(), ActorKind::ALL.len());
        assert_eq!(matching_types("munic").len(), 3);
        assert_eq!(matching_properties("AG").first().map(|p| p.id), Some("ags"));
        let proposed: Vec<&str> = proposed_for("municipality").iter().map(|p| p.id).collect();
        assert!(proposed.contains(&"population") && proposed.contains(&"district"));
        let proposed: Vec<&str> = proposed_for("ministry").iter().map(|p| p.id).collect();
        assert_eq!(proposed, ["state", "kind", "homepage"]);
    }
}
