//! The government registries the application wizard asks: residence rights, border crossings,
//! consulate reference numbers, the address registry, SGK workplaces and the migration
//! authority's records of people.
//!
//! Services see only the [`Registries`] port and its answers. Today one adapter implements it,
//! [`simulator::SimulatedRegistries`], which answers from the database filled from a JSON
//! [`fixture`]; adapters for the real systems will implement the same trait, so nothing outside
//! an adapter may depend on which one is in use.

pub mod fixture;
pub mod simulator;

use async_trait::async_trait;
use izin_domain::identifiers::{
    AddressCode, ForeignerId, PassportNumber, ReferenceNumber, SgkNumber,
};
use izin_domain::profile::CountryCode;
use std::fmt;
use time::Date;

/// What kind of right to stay or work in Türkiye a foreigner holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResidenceRightKind {
    ResidencePermit,
    WorkPermit,
    WorkPermitExemption,
}

impl ResidenceRightKind {
    pub const ALL: [Self; 3] = [
        Self::ResidencePermit,
        Self::WorkPermit,
        Self::WorkPermitExemption,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::ResidencePermit => "residence_permit",
            Self::WorkPermit => "work_permit",
            Self::WorkPermitExemption => "work_permit_exemption",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// A residence right as the registry records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResidenceRight {
    pub kind: ResidenceRightKind,
    pub valid_from: Date,
    /// The last day the right is valid.
    pub valid_until: Date,
}

impl ResidenceRight {
    pub fn is_valid_on(&self, day: Date) -> bool {
        self.valid_from <= day && day <= self.valid_until
    }
}

/// What a consulate recorded under a reference number it gave an applicant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsulateReference {
    pub passport_number: PassportNumber,
    pub birth_year: i32,
}

/// An address of the address registry, with its province and district as the reference data
/// spells them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub text: String,
    pub province: String,
    pub district: String,
}

/// A workplace registered with SGK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workplace {
    pub name: String,
    pub province: String,
    pub district: String,
}

/// A person as the migration authority records them: the identity a card is printed with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RegisteredPerson {
    pub first_name: String,
    pub last_name: String,
    pub mother_name: String,
    pub father_name: String,
    /// ISO 3166-1 alpha-3.
    pub nationality: String,
    #[serde(with = "izin_domain::calendar::iso_day")]
    pub date_of_birth: Date,
}

/// Which registry an error comes from, so people can be told which system is down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegistryName {
    ResidenceRights,
    BorderCrossings,
    ConsulateReferences,
    Addresses,
    Workplaces,
    /// The Presidency of Migration Management's records of people.
    People,
}

impl fmt::Display for RegistryName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ResidenceRights => "residence-rights",
            Self::BorderCrossings => "border-crossings",
            Self::ConsulateReferences => "consulate-references",
            Self::Addresses => "address",
            Self::Workplaces => "SGK-workplace",
            Self::People => "migration-management",
        })
    }
}

/// The registry did not give a usable answer; asking again later may work. "Not found" is not
/// an error: lookups answer `None`.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The registry could not be reached or failed while answering.
    #[error("the {registry} registry did not answer: {source}")]
    Unavailable {
        registry: RegistryName,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The registry answered with something that cannot be understood.
    #[error("the {registry} registry gave an unreadable answer: {problem}")]
    Unreadable {
        registry: RegistryName,
        problem: String,
    },
}

impl RegistryError {
    pub fn registry(&self) -> RegistryName {
        match self {
            Self::Unavailable { registry, .. } | Self::Unreadable { registry, .. } => *registry,
        }
    }
}

/// The government registries, as the services ask them.
#[async_trait]
pub trait Registries: Send + Sync + 'static {
    /// A residence right (work permit, exemption or residence permit) valid on `on`. When
    /// several are, the one that lasts longest.
    async fn active_residence_right(
        &self,
        foreigner_id: &ForeignerId,
        on: Date,
    ) -> Result<Option<ResidenceRight>, RegistryError>;

    /// The day the holder of the passport entered Türkiye, if they are there on `on`: their
    /// last crossing up to `on` is an entry (`None`: not in Türkiye). A passport is known by
    /// its number and issuing country together, and only crossings recorded for a holder born
    /// in `birth_year` count, so that an entry answers for its own traveller only. Crossings
    /// are known by day only; an entry and an exit on one day count as entering, then leaving.
    async fn in_turkiye_since(
        &self,
        passport: &PassportNumber,
        country: &CountryCode,
        birth_year: i32,
        on: Date,
    ) -> Result<Option<Date>, RegistryError>;

    async fn consulate_reference(
        &self,
        reference: &ReferenceNumber,
    ) -> Result<Option<ConsulateReference>, RegistryError>;

    async fn address(&self, code: &AddressCode) -> Result<Option<Address>, RegistryError>;

    async fn workplace(&self, sgk: &SgkNumber) -> Result<Option<Workplace>, RegistryError>;

    /// The person the migration authority records under a foreigner ID.
    async fn person(
        &self,
        foreigner_id: &ForeignerId,
    ) -> Result<Option<RegisteredPerson>, RegistryError>;

    /// A new foreigner identity number from the migration authority, for a person who has none
    /// (an applicant from abroad, approved and now due to pay): valid and held by nobody.
    async fn allocate_foreigner_id(&self) -> Result<ForeignerId, RegistryError>;
}
