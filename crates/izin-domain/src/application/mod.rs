//! Applications: one lifecycle for every kind, and the kinds themselves. The work-permit
//! exemption is the first kind; residence permits will be further kinds on the same lifecycle.

pub mod lifecycle;
pub mod new_card;
pub mod snapshot;
pub mod work_permit_exemption;

pub use lifecycle::{Event, ExemptionStatus, Facts, Lifecycle, Role, Status, TransitionError};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys_have_one_rule() {
        assert_eq!(IdempotencyKey::parse(""), Ok(None));
        assert_eq!(IdempotencyKey::parse("   "), Ok(None));
        let key = IdempotencyKey::parse(" 7f0c2a90-7b4e-4d8c-9a51-0f2a1e0d6b11 ")
            .unwrap()
            .unwrap();
        assert_eq!(key.as_str(), "7f0c2a90-7b4e-4d8c-9a51-0f2a1e0d6b11");
        assert!(IdempotencyKey::parse(&"k".repeat(200)).unwrap().is_some());
        assert_eq!(
            IdempotencyKey::parse(&"k".repeat(201)),
            Err(IdempotencyKeyError::TooLong)
        );
        assert_eq!(
            IdempotencyKey::parse("a b"),
            Err(IdempotencyKeyError::BadCharacters)
        );
        assert_eq!(
            IdempotencyKey::parse("anahtar-ğ"),
            Err(IdempotencyKeyError::BadCharacters)
        );
    }
}

/// The kinds of application the portal takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    WorkPermitExemption,
}

impl Kind {
    /// Every kind, in the order New Application offers them.
    pub const ALL: [Kind; 1] = [Kind::WorkPermitExemption];

    pub fn code(self) -> &'static str {
        match self {
            Kind::WorkPermitExemption => "work-permit-exemption",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "work-permit-exemption" => Some(Kind::WorkPermitExemption),
            _ => None,
        }
    }
}

use crate::profile::Profile;
use crate::records::PendingApplication;
use std::collections::HashSet;
use time::Date;
use uuid::Uuid;

pub use snapshot::{FrozenDocument, Snapshot, SnapshotError};
pub use work_permit_exemption::FeeAssessment;

/// What a client sends so that repeating "Create My Application" answers the first number
/// instead of failing: 1 to 200 visible ASCII characters (a UUID is usual). The same rule holds
/// for the pages' hidden field and the API's `Idempotency-Key` header; a key that breaks it is
/// refused, never silently ignored (a retry would then be refused as a second submission).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

/// Why an idempotency key is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdempotencyKeyError {
    #[error(
        "an idempotency key has at most {} characters",
        IdempotencyKey::MAX_LEN
    )]
    TooLong,
    #[error("an idempotency key is visible ASCII characters only")]
    BadCharacters,
}

impl IdempotencyKey {
    pub const MAX_LEN: usize = 200;

    /// `Ok(None)` for an empty value (no key was given).
    pub fn parse(raw: &str) -> Result<Option<Self>, IdempotencyKeyError> {
        let key = raw.trim();
        if key.is_empty() {
            return Ok(None);
        }
        if !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(IdempotencyKeyError::BadCharacters);
        }
        if key.len() > Self::MAX_LEN {
            return Err(IdempotencyKeyError::TooLong);
        }
        Ok(Some(Self(key.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The wizard's steps, where a rule's failure is fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// User Information (the profile), outside the wizard.
    Profile,
    Place,
    Category,
    Consent,
    Employment,
    Documents,
    Additional,
    Preview,
    /// My Applications (another application is pending).
    MyApplications,
}

impl Step {
    pub fn code(self) -> &'static str {
        match self {
            Step::Profile => "profile",
            Step::Place => "place",
            Step::Category => "category",
            Step::Consent => "consent",
            Step::Employment => "employment",
            Step::Documents => "documents",
            Step::Additional => "additional",
            Step::Preview => "preview",
            Step::MyApplications => "applications",
        }
    }
}

/// A rule of "Create My Application" that failed: a stable code (the message id), the step (and
/// field) to fix it in, and values the message quotes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuleFailure {
    pub code: &'static str,
    pub step: Step,
    pub field: Option<&'static str>,
    pub args: Vec<(&'static str, String)>,
}

/// A previous approved exemption of the applicant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousExemption {
    pub category: String,
    pub ended_on: Date,
}

/// What the rules need to know besides the application itself.
pub struct SubmissionContext<'a> {
    pub today: Date,
    pub profile: &'a Profile,
    /// Another application is submitted and not yet concluded.
    pub other_pending: bool,
    pub previous_exemptions: Vec<PreviousExemption>,
    /// The applicant's existing documents.
    pub documents: &'a HashSet<Uuid>,
}

/// Which pending applications stop a new one, as each kind declares it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Blocking {
    /// Pending applications of these kinds block.
    pub kinds: Vec<Kind>,
    /// Only those about the same parent application block (a new card waits only for another
    /// new card of the same exemption).
    pub same_parent: bool,
}

impl Blocking {
    /// Whether `pending` stops a new application about `parent`.
    pub fn blocks(&self, parent: Option<Uuid>, pending: &PendingApplication) -> bool {
        self.kinds.contains(&pending.kind) && (!self.same_parent || pending.parent == parent)
    }

    /// The first of `pending` that stops a new application about `parent`.
    pub fn first_blocking<'a>(
        &self,
        parent: Option<Uuid>,
        pending: &'a [PendingApplication],
    ) -> Option<&'a PendingApplication> {
        pending.iter().find(|p| self.blocks(parent, p))
    }
}

/// A kind of application: what the engine needs to know of it. The engine (lifecycle, storage,
/// creation, history) is the same for every kind; the kind reads its own data once per use
/// ([`ApplicationKind::read`]) and answers from the typed result.
pub trait ApplicationKind: Send + Sync {
    fn kind(&self) -> Kind;
    /// Which pending applications (submitted, not yet decided) stop a new application of this
    /// kind from being made.
    fn blocking(&self) -> Blocking;
    /// The outcome an approval starts (an exemption becomes ACTIVE); `None` for a kind whose
    /// approval is the end of the matter.
    fn outcome_on_approval(&self) -> Option<ExemptionStatus>;
    /// The kind (and, for kinds with categories, the category) named in both languages, for
    /// lists, mails and titles.
    fn title(&self, category: Option<&str>) -> crate::reference::Labels;
    /// A new draft's data, in `category` for kinds that have categories.
    fn new_draft(&self, category: Option<&str>) -> Result<serde_json::Value, NewDraftError>;
    /// The application's data as this kind's draft.
    fn read<'a>(
        &'a self,
        data: &serde_json::Value,
    ) -> Result<Box<dyn KindData + 'a>, serde_json::Error>;
}

/// Why a draft could not be started.
#[derive(Debug, thiserror::Error)]
pub enum NewDraftError {
    /// The category is not one of the kind's.
    #[error("unknown category")]
    UnknownCategory,
    #[error(transparent)]
    Data(#[from] serde_json::Error),
}

/// One application's data, read by its kind.
pub trait KindData: Send + Sync {
    /// Every rule that stops creation now, each with where to fix it.
    fn submission_failures(&self, ctx: &SubmissionContext<'_>) -> Vec<RuleFailure>;
    /// What the application costs if approved in `year` (`None`: this kind has no fee).
    fn fees(&self, year: i32) -> Option<FeeAssessment>;
    /// The requested period.
    fn period(&self) -> (Option<Date>, Option<Date>);
    /// The catalogue category, for waiting periods between applications.
    fn category(&self) -> Option<String>;
    /// The documents the application cites (frozen when it is created), sorted, once each.
    fn cited_documents(&self) -> Vec<Uuid>;
    /// Drops references to documents for which `exists` is false (the user deleted them);
    /// whether anything was dropped.
    fn forget_documents(&mut self, exists: &dyn Fn(Uuid) -> bool) -> bool;
    /// The data as stored.
    fn to_stored(&self) -> Result<serde_json::Value, serde_json::Error>;
}
