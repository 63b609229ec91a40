//! The schema's history. Each migration exists once per database dialect; both lists always have
//! the same versions, and a database newer than the program is refused rather than guessed at.

pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "platform",
        sqlite: include_str!("../migrations/sqlite/0001_platform.sql"),
        postgres: include_str!("../migrations/postgres/0001_platform.sql"),
    },
    Migration {
        version: 2,
        name: "profile",
        sqlite: include_str!("../migrations/sqlite/0002_profile.sql"),
        postgres: include_str!("../migrations/postgres/0002_profile.sql"),
    },
    Migration {
        version: 3,
        name: "applications",
        sqlite: include_str!("../migrations/sqlite/0003_applications.sql"),
        postgres: include_str!("../migrations/postgres/0003_applications.sql"),
    },
    Migration {
        version: 4,
        name: "registries",
        sqlite: include_str!("../migrations/sqlite/0004_registries.sql"),
        postgres: include_str!("../migrations/postgres/0004_registries.sql"),
    },
    Migration {
        version: 5,
        name: "login challenges",
        sqlite: include_str!("../migrations/sqlite/0005_login_challenges.sql"),
        postgres: include_str!("../migrations/postgres/0005_login_challenges.sql"),
    },
    Migration {
        version: 6,
        name: "application parent",
        sqlite: include_str!("../migrations/sqlite/0006_application_parent.sql"),
        postgres: include_str!("../migrations/postgres/0006_application_parent.sql"),
    },
    Migration {
        version: 7,
        name: "registry records",
        sqlite: include_str!("../migrations/sqlite/0007_registry_records.sql"),
        postgres: include_str!("../migrations/postgres/0007_registry_records.sql"),
    },
    Migration {
        version: 8,
        name: "officers",
        sqlite: include_str!("../migrations/sqlite/0008_officers.sql"),
        postgres: include_str!("../migrations/postgres/0008_officers.sql"),
    },
    Migration {
        version: 9,
        name: "back office",
        sqlite: include_str!("../migrations/sqlite/0009_back_office.sql"),
        postgres: include_str!("../migrations/postgres/0009_back_office.sql"),
    },
    Migration {
        version: 10,
        name: "queue indexes",
        sqlite: include_str!("../migrations/sqlite/0010_queue_indexes.sql"),
        postgres: include_str!("../migrations/postgres/0010_queue_indexes.sql"),
    },
    Migration {
        version: 11,
        name: "payments",
        sqlite: include_str!("../migrations/sqlite/0011_payments.sql"),
        postgres: include_str!("../migrations/postgres/0011_payments.sql"),
    },
    Migration {
        version: 12,
        name: "proof documents",
        sqlite: include_str!("../migrations/sqlite/0012_proof_documents.sql"),
        postgres: include_str!("../migrations/postgres/0012_proof_documents.sql"),
    },
    Migration {
        version: 13,
        name: "declared identities",
        sqlite: include_str!("../migrations/sqlite/0013_declared_identities.sql"),
        postgres: include_str!("../migrations/postgres/0013_declared_identities.sql"),
    },
];

pub(crate) fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_contiguous_from_one() {
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version, index as i64 + 1, "{}", migration.name);
            assert!(!migration.sqlite.trim().is_empty());
            assert!(!migration.postgres.trim().is_empty());
        }
    }
}
