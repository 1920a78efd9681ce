//! German words for the vocabularies of `shared::vocab` (the explorer's pages) and for dates and
//! numbers. Each table is an exhaustive `match` over the shared enum: a new term does not compile
//! until it has its word here.

use std::str::FromStr;

use govgraph_shared::vocab::{ActorKind, AgreementKind, Predicate, ProjectKind, Role, ServiceKind, Status};
use minijinja::Value as Tpl;

pub fn actor_kind(k: ActorKind) -> &'static str {
    match k {
        ActorKind::Government => "Regierung",
        ActorKind::Ministry => "Ministerium",
        ActorKind::Municipality => "Gemeinde",
        ActorKind::District => "Kreis",
        ActorKind::MunicipalAssociation => "Kommunaler Spitzenverband",
        ActorKind::MunicipalFederation => "Gemeindeverband",
        ActorKind::ItServiceProvider => "IT-Dienstleister",
        ActorKind::Company => "Unternehmen",
        ActorKind::Agency => "Behörde",
        ActorKind::University => "Hochschule",
        ActorKind::Body => "Gremium",
        ActorKind::Person => "Person",
        ActorKind::Group => "Gruppe",
        ActorKind::Association => "Verein oder Verband",
        ActorKind::Region => "Region",
        ActorKind::Other => "Sonstige",
    }
}

pub fn project_kind(k: ProjectKind) -> &'static str {
    match k {
        ProjectKind::Project => "Projekt",
        ProjectKind::Platform => "Plattform",
        ProjectKind::Programme => "Programm",
        ProjectKind::Network => "Netzwerk",
        ProjectKind::OzgThemenfeld => "OZG-Themenfeld",
        ProjectKind::Portal => "Portal",
        ProjectKind::Other => "Sonstiges",
    }
}

pub fn agreement_kind(k: AgreementKind) -> &'static str {
    match k {
        AgreementKind::FrameworkAgreement => "Rahmenvereinbarung",
        AgreementKind::CooperationAgreement => "Kooperationsvereinbarung",
        AgreementKind::AdministrativeAgreement => "Verwaltungsvereinbarung",
        AgreementKind::StateTreaty => "Staatsvertrag",
        AgreementKind::PositionPaper => "Positionspapier",
        AgreementKind::Strategy => "Strategie",
        AgreementKind::Founding => "Gründung",
        AgreementKind::Agreement => "Vereinbarung",
    }
}

pub fn service_kind(k: ServiceKind) -> &'static str {
    match k {
        ServiceKind::Ozg => "OZG-Leistung",
        ServiceKind::Leika => "LeiKa-Leistung",
        ServiceKind::Other => "Leistung",
    }
}

pub fn status(s: Status) -> &'static str {
    match s {
        Status::Reference => "Referenz",
        Status::Confirmed => "bestätigt",
        Status::Candidate => "Kandidat",
        Status::Rejected => "abgelehnt",
    }
}

/// The predicate read from its subject: "ist Partei von".
pub fn predicate(p: Predicate) -> &'static str {
    match p {
        Predicate::PartyTo => "ist Partei von",
        Predicate::Signed => "hat unterzeichnet",
        Predicate::Renews => "erneuert",
        Predicate::MemberOf => "ist Mitglied in",
        Predicate::HoldsPosition => "hat ein Amt bei",
        Predicate::Leads => "leitet",
        Predicate::Operates => "betreibt",
        Predicate::ParticipatesIn => "wirkt mit an",
        Predicate::Founded => "hat gegründet",
        Predicate::Serves => "ist zuständig für",
        Predicate::Offers => "bietet an",
        Predicate::LocatedIn => "liegt in",
    }
}

/// The predicate read from its object: "hat als Partei".
pub fn predicate_inverse(p: Predicate) -> &'static str {
    match p {
        Predicate::PartyTo => "hat als Partei",
        Predicate::Signed => "unterzeichnet von",
        Predicate::Renews => "erneuert durch",
        Predicate::MemberOf => "hat als Mitglied",
        Predicate::HoldsPosition => "Amtsträger",
        Predicate::Leads => "geleitet von",
        Predicate::Operates => "betrieben von",
        Predicate::ParticipatesIn => "mit Beteiligung von",
        Predicate::Founded => "gegründet von",
        Predicate::Serves => "betreut von",
        Predicate::Offers => "angeboten von",
        Predicate::LocatedIn => "umfasst",
    }
}

pub fn role(r: Role) -> &'static str {
    match r {
        Role::Chair => "Vorsitz",
        Role::DeputyChair => "stellvertretender Vorsitz",
        Role::Member => "Mitglied",
        Role::Guest => "Gast",
    }
}

/// A GraphQL enum value (`PARTY_TO`) as the shared vocabulary's term.
fn parse<T: FromStr>(value: &str) -> Option<T> {
    value.to_lowercase().parse().ok()
}

/// The German word of a GraphQL enum value of `vocabulary` (`actor_kind`, `project_kind`,
/// `agreement_kind`, `service_kind`, `kind` (any of the four), `status`, `predicate`,
/// `inverse`, `role`, `type`, `types` (the plural)); the value itself when it is not one.
pub fn word(value: &str, vocabulary: &str) -> String {
    let found = match vocabulary {
        "actor_kind" => parse(value).map(actor_kind),
        "project_kind" => parse(value).map(project_kind),
        "agreement_kind" => parse(value).map(agreement_kind),
        "service_kind" => parse(value).map(service_kind),
        "kind" => parse(value)
            .map(actor_kind)
            .or_else(|| parse(value).map(agreement_kind))
            .or_else(|| parse(value).map(project_kind))
            .or_else(|| parse(value).map(service_kind)),
        "status" => parse(value).map(status),
        "predicate" => parse(value).map(predicate),
        "inverse" => parse(value).map(predicate_inverse),
        "role" => parse(value).map(role),
        "types" => match value {
            "ANNOUNCEMENT" => Some("Meldungen"),
            "ACTOR" => Some("Akteure"),
            "PROJECT" => Some("Projekte"),
            "AGREEMENT" => Some("Vereinbarungen"),
            "SERVICE" => Some("Leistungen"),
            "STATE" => Some("Länder"),
            _ => None,
        },
        "type" => match value {
            "ANNOUNCEMENT" => Some("Meldung"),
            "ACTOR" => Some("Akteur"),
            "PROJECT" => Some("Projekt"),
            "AGREEMENT" => Some("Vereinbarung"),
            "SERVICE" => Some("Leistung"),
            "STATE" => Some("Land"),
            _ => None,
        },
        _ => None,
    };
    found.map_or_else(|| value.to_owned(), str::to_owned)
}

pub fn label_filter(value: Tpl, vocabulary: &str) -> String {
    match value.as_str() {
        Some(v) => word(v, vocabulary),
        None if value.is_none() || value.is_undefined() => String::new(),
        None => value.to_string(),
    }
}

const MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

/// `2024-03-05` (or the start of a timestamp) as "5. März 2024"; other text unchanged.
pub fn german_date(s: &str) -> String {
    let head: String = s.chars().take(10).collect();
    let mut parts = head.split('-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else { return s.to_owned() };
    match (y.parse::<i32>(), m.parse::<usize>(), d.parse::<u32>()) {
        (Ok(y), Ok(m @ 1..=12), Ok(d)) if y > 0 => format!("{d}. {} {y}", MONTHS[m - 1]),
        _ => s.to_owned(),
    }
}

pub fn de_date(value: Tpl) -> String {
    value.as_str().map(german_date).unwrap_or_default()
}

/// An integer with German thousands separators ("12.345").
pub fn german_number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

pub fn number(value: Tpl) -> String {
    match i64::try_from(value.clone()) {
        Ok(n) => german_number(n),
        Err(_) => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        for (value, vocabulary, expected) in [
            ("PARTY_TO", "predicate", "ist Partei von"),
            ("PARTY_TO", "inverse", "hat als Partei"),
            ("MUNICIPAL_ASSOCIATION", "actor_kind", "Kommunaler Spitzenverband"),
            ("FRAMEWORK_AGREEMENT", "kind", "Rahmenvereinbarung"),
            ("OZG_THEMENFELD", "kind", "OZG-Themenfeld"),
            ("DEPUTY_CHAIR", "role", "stellvertretender Vorsitz"),
            ("CANDIDATE", "status", "Kandidat"),
            ("ANNOUNCEMENT", "type", "Meldung"),
            ("AGREEMENT", "types", "Vereinbarungen"),
            ("NO_SUCH_THING", "predicate", "NO_SUCH_THING"),
            ("", "status", ""),
        ] {
            assert_eq!(word(value, vocabulary), expected, "{value} as {vocabulary}");
        }
    }

    #[test]
    fn dates_and_numbers() {
        assert_eq!(german_date("2024-03-05"), "5. März 2024");
        assert_eq!(german_date("2023-12-31T23:00:00+01:00"), "31. Dezember 2023");
        assert_eq!(german_date("2023-13-01"), "2023-13-01");
        assert_eq!(german_date("März"), "März");
        assert_eq!(german_date("ääääääääääää"), "ääääääääääää");
        assert_eq!(german_number(0), "0");
        assert_eq!(german_number(999), "999");
        assert_eq!(german_number(1000), "1.000");
        assert_eq!(german_number(1234567), "1.234.567");
        assert_eq!(german_number(-4200), "-4.200");
    }
}
