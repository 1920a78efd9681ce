//! What the reconciliation service names: its types (the actor kinds) and its properties (for
//! query narrowing, suggest, property proposals and data extension).

/// A type of the service: an actor kind, its English name and a German description.
pub struct ServiceType {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
}

/// The actor kinds as reconciliation types (ids as in the database and the GraphQL `kind`).
pub const TYPES: &[ServiceType] = &[
    ServiceType { id: "municipality", name: "Municipality", description: "Gemeinde, Stadt, Markt" },
    ServiceType { id: "district", name: "District", description: "Landkreis, Kreis, kreisfreie Stadt" },
    ServiceType {
        id: "municipal_federation",
        name: "Municipal federation",
        description: "Amt, Samtgemeinde, Verbandsgemeinde, Verwaltungsgemeinschaft",
    },
    ServiceType { id: "region", name: "Region", description: "Regierungsbezirk, Region" },
    ServiceType { id: "government", name: "Government", description: "Landesregierung, Bundesregierung" },
    ServiceType { id: "ministry", name: "Ministry", description: "Ministerium, Senatsverwaltung, Staatskanzlei" },
    ServiceType { id: "agency", name: "Agency", description: "Behörde, Amt, Landesbetrieb" },
    ServiceType {
        id: "municipal_association",
        name: "Municipal association",
        description: "Kommunaler Spitzenverband (Städtetag, Landkreistag, Städte- und Gemeindebund)",
    },
    ServiceType {
        id: "it_service_provider",
        name: "IT service provider",
        description: "Kommunaler oder staatlicher IT-Dienstleister",
    },
    ServiceType { id: "association", name: "Association", description: "Verband, Verein, Zweckverband" },
    ServiceType { id: "body", name: "Body", description: "Gremium, Konferenz, Rat" },
    ServiceType { id: "company", name: "Company", description: "Unternehmen" },
    ServiceType { id: "university", name: "University", description: "Hochschule, Forschungseinrichtung" },
    ServiceType { id: "group", name: "Group", description: "Arbeitsgruppe, Zusammenschluss" },
    ServiceType { id: "person", name: "Person", description: "Person" },
    ServiceType { id: "other", name: "Other", description: "Sonstige Akteure" },
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
                || t.id.starts_with(&p)
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
        let mut ids: Vec<&str> = TYPES.iter().map(|t| t.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), TYPES.len());
        assert_eq!(matching_types("munic").len(), 3);
        assert_eq!(matching_properties("AG").first().map(|p| p.id), Some("ags"));
        let proposed: Vec<&str> = proposed_for("municipality").iter().map(|p| p.id).collect();
        assert!(proposed.contains(&"population") && proposed.contains(&"district"));
        let proposed: Vec<&str> = proposed_for("ministry").iter().map(|p| p.id).collect();
        assert_eq!(proposed, ["state", "kind", "homepage"]);
    }
}
