//! The embedded registry simulator: answers the [`Registries`] questions from the records a
//! fixture file put into the portal's own database, so the portal can be developed, tested and
//! demonstrated without the government systems.

use super::fixture::{CrossingDirection, RegistryFixture};
use super::{
    Address, ConsulateReference, RegisteredPerson, Registries, RegistryError, RegistryName,
    ResidenceRight, ResidenceRightKind, Workplace,
};
use async_trait::async_trait;
use izin_domain::identifiers::{
    AddressCode, ForeignerId, PassportNumber, ReferenceNumber, SgkNumber,
};
use izin_domain::profile::CountryCode;
use izin_store::{
    AddressRecord, BorderCrossingRecord, ConsulateReferenceRecord, ImportMode, ImportReport,
    KeyedRecord, RegistryRecords, ResidenceRightRecord, Store, StoreError, WorkplaceRecord,
};

/// The keyed registry holding the migration authority's people, by foreigner ID.
const PEOPLE: &str = "people";
use std::sync::Arc;
use time::Date;

/// The registries, simulated from the database.
#[derive(Clone)]
pub struct SimulatedRegistries {
    store: Arc<dyn Store>,
}

impl SimulatedRegistries {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }
}

/// Stores a checked fixture's records. Records already stored count as known and change nothing.
pub async fn import(
    store: &dyn Store,
    fixture: RegistryFixture,
) -> Result<ImportReport, StoreError> {
    store
        .import_registry(records(fixture)?, ImportMode::Merge)
        .await
}

/// Stores a checked fixture's records in place of what is stored about the same people (their
/// residence rights and their passports' crossings), so their stories are exactly these.
pub async fn replace(
    store: &dyn Store,
    fixture: RegistryFixture,
) -> Result<ImportReport, StoreError> {
    store
        .import_registry(records(fixture)?, ImportMode::Replace)
        .await
}

fn records(fixture: RegistryFixture) -> Result<RegistryRecords, StoreError> {
    let people = fixture
        .people
        .into_iter()
        .map(|p| {
            Ok(KeyedRecord {
                key: p.foreigner_id.as_str().to_owned(),
                record: serde_json::to_value(RegisteredPerson {
                    first_name: p.first_name,
                    last_name: p.last_name,
                    mother_name: p.mother_name,
                    father_name: p.father_name,
                    nationality: p.nationality.as_str().to_owned(),
                    date_of_birth: p.date_of_birth,
                })?,
            })
        })
        .collect::<Result<Vec<_>, serde_json::Error>>()?;
    Ok(RegistryRecords {
        residence_rights: fixture
            .residence_rights
            .into_iter()
            .map(|r| ResidenceRightRecord {
                foreigner_id: r.foreigner_id.as_str().to_owned(),
                kind: r.kind.code().to_owned(),
                valid_from: r.valid_from,
                valid_until: r.valid_until,
            })
            .collect(),
        border_crossings: fixture
            .border_crossings
            .into_iter()
            .map(|c| BorderCrossingRecord {
                passport_number: c.passport_number.as_str().to_owned(),
                passport_country: c.passport_country.as_str().to_owned(),
                birth_year: c.birth_year,
                direction: c.direction.code().to_owned(),
                date: c.date,
            })
            .collect(),
        consulate_references: fixture
            .consulate_references
            .into_iter()
            .map(|c| ConsulateReferenceRecord {
                reference_number: c.reference_number.as_str().to_owned(),
                passport_number: c.passport_number.as_str().to_owned(),
                birth_year: c.birth_year,
            })
            .collect(),
        addresses: fixture
            .addresses
            .into_iter()
            .map(|a| AddressRecord {
                code: a.code.as_str().to_owned(),
                address: a.address,
                province: a.province,
                district: a.district,
            })
            .collect(),
        workplaces: fixture
            .workplaces
            .into_iter()
            .map(|w| WorkplaceRecord {
                sgk_number: w.sgk_number.as_str().to_owned(),
                name: w.name,
                province: w.province,
                district: w.district,
            })
            .collect(),
        keyed: vec![(PEOPLE.to_owned(), people)],
    })
}

fn unavailable(registry: RegistryName) -> impl FnOnce(StoreError) -> RegistryError {
    move |e| RegistryError::Unavailable {
        registry,
        source: Box::new(e),
    }
}

fn unreadable(registry: RegistryName, problem: String) -> RegistryError {
    RegistryError::Unreadable { registry, problem }
}

#[async_trait]
impl Registries for SimulatedRegistries {
    async fn active_residence_right(
        &self,
        foreigner_id: &ForeignerId,
        on: Date,
    ) -> Result<Option<ResidenceRight>, RegistryError> {
        let registry = RegistryName::ResidenceRights;
        let records = self
            .store
            .residence_rights(foreigner_id.as_str())
            .await
            .map_err(unavailable(registry))?;
        let mut active: Option<ResidenceRight> = None;
        for record in records {
            let kind = ResidenceRightKind::parse(&record.kind)
                .ok_or_else(|| unreadable(registry, format!("kind {:?}", record.kind)))?;
            let right = ResidenceRight {
                kind,
                valid_from: record.valid_from,
                valid_until: record.valid_until,
            };
            if right.is_valid_on(on) && active.is_none_or(|a| right.valid_until > a.valid_until) {
                active = Some(right);
            }
        }
        Ok(active)
    }

    async fn in_turkiye_since(
        &self,
        passport: &PassportNumber,
        country: &CountryCode,
        birth_year: i32,
        on: Date,
    ) -> Result<Option<Date>, RegistryError> {
        let registry = RegistryName::BorderCrossings;
        let crossings = self
            .store
            .border_crossings(passport.as_str(), country.as_str())
            .await
            .map_err(unavailable(registry))?;
        // The store lists crossings in the order they happened (on one day, entries first).
        // A crossing recorded for a holder born in another year is another traveller's.
        match crossings
            .iter()
            .rev()
            .filter(|c| c.birth_year == birth_year)
            .find(|c| c.date <= on)
        {
            None => Ok(None),
            Some(last) => match CrossingDirection::parse(&last.direction) {
                Some(CrossingDirection::Entry) => Ok(Some(last.date)),
                Some(CrossingDirection::Exit) => Ok(None),
                None => Err(unreadable(
                    registry,
                    format!("direction {:?}", last.direction),
                )),
            },
        }
    }

    async fn consulate_reference(
        &self,
        reference: &ReferenceNumber,
    ) -> Result<Option<ConsulateReference>, RegistryError> {
        let registry = RegistryName::ConsulateReferences;
        let Some(record) = self
            .store
            .consulate_reference(reference.as_str())
            .await
            .map_err(unavailable(registry))?
        else {
            return Ok(None);
        };
        let passport_number = PassportNumber::parse(&record.passport_number)
            .map_err(|e| unreadable(registry, format!("passport number: {e}")))?;
        Ok(Some(ConsulateReference {
            passport_number,
            birth_year: record.birth_year,
        }))
    }

    async fn address(&self, code: &AddressCode) -> Result<Option<Address>, RegistryError> {
        let record = self
            .store
            .address(code.as_str())
            .await
            .map_err(unavailable(RegistryName::Addresses))?;
        Ok(record.map(|a| Address {
            text: a.address,
            province: a.province,
            district: a.district,
        }))
    }

    async fn workplace(&self, sgk: &SgkNumber) -> Result<Option<Workplace>, RegistryError> {
        let record = self
            .store
            .workplace(sgk.as_str())
            .await
            .map_err(unavailable(RegistryName::Workplaces))?;
        Ok(record.map(|w| Workplace {
            name: w.name,
            province: w.province,
            district: w.district,
        }))
    }

    async fn person(
        &self,
        foreigner_id: &ForeignerId,
    ) -> Result<Option<RegisteredPerson>, RegistryError> {
        let registry = RegistryName::People;
        let record = self
            .store
            .keyed_record(PEOPLE, foreigner_id.as_str())
            .await
            .map_err(unavailable(registry))?;
        record
            .map(|r| serde_json::from_value(r).map_err(|e| unreadable(registry, e.to_string())))
            .transpose()
    }

    async fn allocate_foreigner_id(&self) -> Result<ForeignerId, RegistryError> {
        let registry = RegistryName::People;
        // Like the real registry, hand out only numbers nobody holds: the counter never repeats
        // itself, and numbers the fixtures or people already use are skipped.
        for _ in 0..1_000 {
            let serial = self
                .store
                .draw_foreigner_id_serial()
                .await
                .map_err(unavailable(registry))?;
            let candidate = ForeignerId::assigned(serial);
            let taken = self
                .store
                .foreigner_id_in_use(candidate.as_str())
                .await
                .map_err(unavailable(registry))?;
            if !taken {
                return Ok(candidate);
            }
        }
        Err(unreadable(
            registry,
            "no free foreigner identity number after 1000 draws".into(),
        ))
    }
}
