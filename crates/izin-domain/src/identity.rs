//! A person's identity as a card or a permit prints it, and the comparison of two records of it
//! field by field: the identity an application was approved with against the one the migration
//! authority records now (a new card for a change in personal information shows both columns
//! with the fields that differ).

use crate::calendar::iso_date;
use serde::Serialize;
use time::Date;

/// A person's identity as a card prints it. Field names are User Information's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Identity {
    pub foreigner_id: String,
    pub first_name: String,
    pub last_name: String,
    pub mother_name: String,
    pub father_name: String,
    /// ISO 3166-1 alpha-3.
    pub nationality: String,
    /// `YYYY-MM-DD`.
    #[serde(with = "iso_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub date_of_birth: Option<Date>,
}

impl Identity {
    /// The identity User Information records (empty where a field is not filled in).
    pub fn of(personal: &crate::profile::PersonalSection) -> Identity {
        let name = |n: &Option<crate::profile::PersonName>| {
            n.as_ref()
                .map(|n| n.as_str().to_owned())
                .unwrap_or_default()
        };
        Identity {
            foreigner_id: personal
                .foreigner_id
                .as_ref()
                .map(|id| id.as_str().to_owned())
                .unwrap_or_default(),
            first_name: name(&personal.first_name),
            last_name: name(&personal.last_name),
            mother_name: name(&personal.mother_name),
            father_name: name(&personal.father_name),
            nationality: personal
                .nationality
                .as_ref()
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default(),
            date_of_birth: personal.date_of_birth,
        }
    }
}

/// Both columns, and the names of the fields that differ, in the order shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comparison {
    /// As the application was approved with.
    pub system: Identity,
    /// As the migration authority records it now.
    pub registry: Identity,
    /// The names of the fields that differ (`last_name`, …).
    pub differs: Vec<String>,
}

/// A name as compared: letters in one case (Turkish dotted and dotless i kept apart), spaces
/// collapsed, so that `MÜLLER` and `Müller ` are the same name and `Işık` and `Isik` are not.
fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .flat_map(|c| match c {
            'i' => vec!['İ'],
            'ı' => vec!['I'],
            other => other.to_uppercase().collect(),
        })
        .collect()
}

/// Compares the identity the exemption was approved with (`system`) with the registry's.
pub fn compare(system: Identity, registry: Identity) -> Comparison {
    let mut differs = Vec::new();
    if system.foreigner_id != registry.foreigner_id {
        differs.push("foreigner_id".to_owned());
    }
    for (field, ours, theirs) in [
        ("first_name", &system.first_name, &registry.first_name),
        ("last_name", &system.last_name, &registry.last_name),
        ("mother_name", &system.mother_name, &registry.mother_name),
        ("father_name", &system.father_name, &registry.father_name),
    ] {
        if name_key(ours) != name_key(theirs) {
            differs.push(field.to_owned());
        }
    }
    if !system
        .nationality
        .eq_ignore_ascii_case(&registry.nationality)
    {
        differs.push("nationality".to_owned());
    }
    if system.date_of_birth != registry.date_of_birth {
        differs.push("date_of_birth".to_owned());
    }
    Comparison {
        system,
        registry,
        differs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn anna() -> Identity {
        Identity {
            foreigner_id: "99271840606".into(),
            first_name: "Anna".into(),
            last_name: "Schmidt".into(),
            mother_name: "Maria".into(),
            father_name: "Thomas".into(),
            nationality: "DEU".into(),
            date_of_birth: Some(date!(1990 - 06 - 23)),
        }
    }

    #[test]
    fn the_same_person_written_differently_is_the_same() {
        let shouted = Identity {
            first_name: " ANNA ".into(),
            last_name: "schmidt".into(),
            nationality: "deu".into(),
            ..anna()
        };
        assert!(compare(anna(), shouted).differs.is_empty());
    }

    #[test]
    fn every_changed_field_is_named_in_order() {
        let changed = Identity {
            last_name: "Müller".into(),
            nationality: "AUT".into(),
            date_of_birth: Some(date!(1990 - 06 - 24)),
            ..anna()
        };
        let comparison = compare(anna(), changed);
        assert_eq!(
            comparison.differs,
            ["last_name", "nationality", "date_of_birth"]
        );
        assert_eq!(comparison.system.last_name, "Schmidt");
        assert_eq!(comparison.registry.last_name, "Müller");
    }

    #[test]
    fn dotted_and_dotless_i_are_different_letters() {
        let turkish = Identity {
            first_name: "Işık".into(),
            ..anna()
        };
        let ascii = Identity {
            first_name: "Isik".into(),
            ..anna()
        };
        assert_eq!(compare(turkish.clone(), ascii).differs, ["first_name"]);
        let upper = Identity {
            first_name: "IŞIK".into(),
            ..anna()
        };
        assert!(compare(turkish, upper).differs.is_empty());
    }
}
