//! The government registries' records as the embedded simulator keeps them: residence rights,
//! border crossings, consulate reference numbers, address codes and SGK workplaces.
//!
//! Records are plain values. Whether an identifier has the right shape or a district belongs to
//! its province is decided by the application before it imports; storage only keeps what it is
//! given and answers lookups.

use crate::StoreError;
use async_trait::async_trait;
use time::Date;

/// A work permit, work-permit exemption or residence permit held by a foreigner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidenceRightRecord {
    pub foreigner_id: String,
    /// `residence_permit`, `work_permit` or `work_permit_exemption`.
    pub kind: String,
    pub valid_from: Date,
    /// The last day the right is valid.
    pub valid_until: Date,
}

/// One entry into or exit from Türkiye.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BorderCrossingRecord {
    pub passport_number: String,
    /// ISO 3166-1 alpha-3 code of the issuing country.
    pub passport_country: String,
    pub birth_year: i32,
    /// `entry` or `exit`.
    pub direction: String,
    pub date: Date,
}

/// A reference number a Turkish mission abroad gave an applicant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsulateReferenceRecord {
    pub reference_number: String,
    pub passport_number: String,
    pub birth_year: i32,
}

/// An address of the address registry, by its 10-digit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressRecord {
    pub code: String,
    pub address: String,
    pub province: String,
    pub district: String,
}

/// A workplace registered with SGK, by its 26-digit number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkplaceRecord {
    pub sgk_number: String,
    pub name: String,
    pub province: String,
    pub district: String,
}

/// A record of a registry that is only ever looked up by its key, kept as JSON: the registry's
/// adapter decides its shape and checks it before import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedRecord {
    pub key: String,
    pub record: serde_json::Value,
}

/// Everything one import brings, stored all at once or not at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryRecords {
    pub residence_rights: Vec<ResidenceRightRecord>,
    pub border_crossings: Vec<BorderCrossingRecord>,
    pub consulate_references: Vec<ConsulateReferenceRecord>,
    pub addresses: Vec<AddressRecord>,
    pub workplaces: Vec<WorkplaceRecord>,
    /// Keyed records by registry name (`people`, …), in fixture order.
    pub keyed: Vec<(String, Vec<KeyedRecord>)>,
}

/// What an import did to one table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableImport {
    /// Records that were not there before.
    pub new: u64,
    /// Records whose key was known but whose other values differed, now replaced. Only tables
    /// with a key (reference numbers, address codes, SGK numbers) can have these.
    pub updated: u64,
    /// Records that were already there exactly as given.
    pub known: u64,
}

/// What an import did, table by table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub residence_rights: TableImport,
    pub border_crossings: TableImport,
    pub consulate_references: TableImport,
    pub addresses: TableImport,
    pub workplaces: TableImport,
    /// The keyed registries, in the order they were given.
    pub keyed: Vec<(String, TableImport)>,
}

impl ImportReport {
    /// Each table with its counts, named and ordered as in the fixture file.
    pub fn tables(&self) -> Vec<(&str, TableImport)> {
        let mut tables = vec![
            ("residence_rights", self.residence_rights),
            ("border_crossings", self.border_crossings),
            ("consulate_references", self.consulate_references),
            ("addresses", self.addresses),
            ("workplaces", self.workplaces),
        ];
        tables.extend(self.keyed.iter().map(|(name, t)| (name.as_str(), *t)));
        tables
    }
}

/// How an import treats what is stored about the same people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// Add to it (`izin registry import`).
    Merge,
    /// Replace it (the demo data, moved to today on each start).
    Replace,
}

impl RegistryRecords {
    /// The foreigner IDs whose residence rights these records list.
    pub fn foreigner_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .residence_rights
            .iter()
            .map(|r| r.foreigner_id.clone())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// The passports (number, issuing country) whose crossings these records list.
    pub fn passports(&self) -> Vec<(String, String)> {
        let mut passports: Vec<(String, String)> = self
            .border_crossings
            .iter()
            .map(|c| (c.passport_number.clone(), c.passport_country.clone()))
            .collect();
        passports.sort();
        passports.dedup();
        passports
    }
}

/// The simulated registries' data.
#[async_trait]
pub trait RegistryStore: Send + Sync + 'static {
    /// Adds the records in one transaction. Records already there count as known and change
    /// nothing, so importing the same records twice inserts nothing the second time; a keyed
    /// record (reference number, address code, SGK number) with new values replaces the old.
    /// With [`ImportMode::Replace`], the residence rights of every foreigner ID and the
    /// crossings of every passport in `records` are removed first, so those people's stories
    /// are exactly the new ones.
    async fn import_registry(
        &self,
        records: RegistryRecords,
        mode: ImportMode,
    ) -> Result<ImportReport, StoreError>;

    /// The foreigner's residence rights, oldest first.
    async fn residence_rights(
        &self,
        foreigner_id: &str,
    ) -> Result<Vec<ResidenceRightRecord>, StoreError>;

    /// The passport's crossings ordered by date; on one day, entries before exits.
    async fn border_crossings(
        &self,
        passport_number: &str,
        passport_country: &str,
    ) -> Result<Vec<BorderCrossingRecord>, StoreError>;

    async fn consulate_reference(
        &self,
        reference_number: &str,
    ) -> Result<Option<ConsulateReferenceRecord>, StoreError>;

    async fn address(&self, code: &str) -> Result<Option<AddressRecord>, StoreError>;

    async fn workplace(&self, sgk_number: &str) -> Result<Option<WorkplaceRecord>, StoreError>;

    /// The record `key` of the keyed registry `registry`. An import replaces a keyed record
    /// whose values changed, whatever the mode.
    async fn keyed_record(
        &self,
        registry: &str,
        key: &str,
    ) -> Result<Option<serde_json::Value>, StoreError>;
}
