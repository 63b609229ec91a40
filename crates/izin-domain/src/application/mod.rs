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
    NewCard,
}

impl Kind {
    /// Every kind, in the order New Application offers them.
    pub const ALL: [Kind; 2] = [Kind::WorkPermitExemption, Kind::NewCard];

    pub fn code(self) -> &'static str {
        match self {
            Kind::WorkPermitExemption => "work-permit-exemption",
            Kind::NewCard => "new-card",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "work-permit-exemption" => Some(Kind::WorkPermitExemption),
            "new-card" => Some(Kind::NewCard),
            _ => None,
        }
    }
}

use crate::profile::{Profile, Violation};
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

/// A step of a kind's wizard, or another place where a rule's failure is fixed, named by the
/// code its address and the API use (`place`, `card`, …). The engine knows only the places every
/// kind shares ([`Step::PROFILE`], [`Step::PREVIEW`], [`Step::MY_APPLICATIONS`]); each kind
/// declares its own steps beside its rules and lists them in its [`Wizard`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Step(&'static str);

impl Step {
    /// User Information (the profile), outside every wizard.
    pub const PROFILE: Step = Step::named("profile");
    /// The last step of every wizard: the preview with its "Create" button.
    pub const PREVIEW: Step = Step::named("preview");
    /// My Applications (another application is pending).
    pub const MY_APPLICATIONS: Step = Step::named("applications");

    /// A step called `code` (lower-case ASCII, as it appears in an address).
    pub const fn named(code: &'static str) -> Step {
        Step(code)
    }

    pub fn code(self) -> &'static str {
        self.0
    }
}

impl serde::Serialize for Step {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

/// A kind's wizard: the pages its header lists (a step may span several pages), in order, and
/// which steps an officer's revision request reopens. Every wizard ends with the preview.
#[derive(Debug)]
pub struct Wizard {
    /// Each header entry: its step and the message id of its title.
    pub pages: &'static [(Step, &'static str)],
    /// The steps that can still change in REVISION; the rest stay as submitted.
    pub reopened_in_revision: &'static [Step],
}

impl Wizard {
    /// The steps, in order, each once.
    pub fn steps(&self) -> Vec<Step> {
        let mut steps: Vec<Step> = Vec::new();
        for (step, _) in self.pages {
            if !steps.contains(step) {
                steps.push(*step);
            }
        }
        steps
    }

    /// The step named `code` in its address.
    pub fn parse(&self, code: &str) -> Option<Step> {
        self.pages
            .iter()
            .map(|(step, _)| *step)
            .find(|step| step.code() == code)
    }

    /// Whether `step` can be changed in an application of `status`: every step of a draft, the
    /// reopened ones of a revision, nothing otherwise.
    pub fn editable_in(&self, step: Step, status: Status) -> bool {
        let in_wizard = self.pages.iter().any(|(s, _)| *s == step);
        match status {
            Status::Draft => in_wizard,
            Status::Revision => in_wizard && self.reopened_in_revision.contains(&step),
            _ => false,
        }
    }

    /// The step "Next" leads to; the preview is the last.
    pub fn next(&self, step: Step) -> Step {
        let steps = self.steps();
        steps
            .iter()
            .position(|s| *s == step)
            .and_then(|i| steps.get(i + 1))
            .copied()
            .unwrap_or(Step::PREVIEW)
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

/// The application another is about (a new card's exemption), as the kind about it sees it.
#[derive(Debug, Clone, Copy)]
pub struct Parent<'a> {
    pub id: Uuid,
    pub kind: Kind,
    pub lifecycle: Lifecycle,
    /// Its data now.
    pub data: &'a serde_json::Value,
    /// What was last submitted (and so approved, for a concluded one).
    pub snapshot: Option<&'a Snapshot>,
}

/// Why an application cannot be made about its parent: the message id that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{code}")]
pub struct ParentRefused {
    pub code: &'static str,
}

/// A kind of application: what the engine needs to know of it. The engine (lifecycle, storage,
/// creation, history) is the same for every kind; the kind reads its own data once per use
/// ([`ApplicationKind::read`]) and answers from the typed result.
pub trait ApplicationKind: Send + Sync {
    fn kind(&self) -> Kind;
    /// The authority that decides applications of this kind.
    fn authority(&self) -> crate::officer::Authority;
    /// The kind's wizard: its steps and what a revision reopens.
    fn wizard(&self) -> &'static Wizard;
    /// Which pending applications (submitted, not yet decided) stop a new application of this
    /// kind from being made.
    fn blocking(&self) -> Blocking;
    /// The outcome an approval starts (an exemption becomes ACTIVE); `None` for a kind whose
    /// approval is the end of the matter.
    fn outcome_on_approval(&self) -> Option<ExemptionStatus>;
    /// The kind (and, for kinds with categories, the category) named in both languages, for
    /// lists, mails and titles: catalogue labels, or the id of a locale message.
    fn title(&self, category: Option<&str>) -> Title;
    /// The step whose documents are attached to slots (and taken out again).
    fn documents_step(&self) -> Step;
    /// Whether `step` of `record` can change now: every step of a draft; in a revision, what the
    /// officer reopened (a reopened slot opens the step that holds it; the preview always) among
    /// what the kind lets change in a revision — or all of that when no officer named anything.
    fn step_editable(&self, step: Step, record: &crate::records::ApplicationRecord) -> bool {
        let wizard = self.wizard();
        let status = record.lifecycle.status;
        match record.reopened() {
            Some(reopened) if status == Status::Revision => {
                wizard.editable_in(step, status)
                    && (step == Step::PREVIEW
                        || reopened.iter().any(|name| {
                            name.strip_prefix("step:") == Some(step.code())
                                || (name.starts_with("slot:") && step == self.documents_step())
                        }))
            }
            _ => wizard.editable_in(step, status),
        }
    }
    /// Whether the document slot `slot` of `record` can change now: in a revision that names
    /// what reopens, only a reopened slot or one of a reopened step.
    fn slot_editable(&self, slot: &str, record: &crate::records::ApplicationRecord) -> bool {
        let step = self.documents_step();
        if !self.step_editable(step, record) {
            return false;
        }
        match record.reopened() {
            Some(reopened) => reopened.iter().any(|name| {
                name.strip_prefix("slot:") == Some(slot)
                    || name.strip_prefix("step:") == Some(step.code())
            }),
            None => true,
        }
    }
    /// Whether applications of this kind are made in one of its categories (a work-permit
    /// exemption's category); a kind without names none.
    fn has_categories(&self) -> bool {
        false
    }
    /// The label of the document slot `slot` (of `category`, for kinds whose slots depend on it),
    /// when the kind's catalogue names it; otherwise the locale text `slot-{slot}` names it.
    fn slot_label(&self, _category: Option<&str>, _slot: &str) -> Option<crate::reference::Labels> {
        None
    }
    /// Whether an approval in `category` needs a second officer (four eyes), as the catalogue
    /// says; no kind needs one unless its catalogue says so.
    fn second_approval(&self, _category: Option<&str>) -> bool {
        false
    }
    /// The kind of application one of this kind is about (a new card is about a work-permit
    /// exemption); `None` for a kind that stands on its own.
    fn parent_kind(&self) -> Option<Kind> {
        None
    }
    /// Whether an application of this kind may be made about `parent` (of [`Self::parent_kind`])
    /// now; checked when the draft is started and again when it is submitted.
    fn check_parent(&self, _parent: &Parent<'_>) -> Result<(), ParentRefused> {
        Ok(())
    }
    /// Whether an application in `lifecycle` can be this kind's parent at all: the part of
    /// [`Self::check_parent`] that needs no data, so that My Applications reads the data only of
    /// applications it may offer something for.
    fn parent_lifecycle_allows(&self, _lifecycle: Lifecycle) -> bool {
        true
    }
    /// A new draft's data, in `category` for kinds that have categories, about `parent` for kinds
    /// that are about another application.
    fn new_draft(
        &self,
        category: Option<&str>,
        parent: Option<&Parent<'_>>,
    ) -> Result<serde_json::Value, NewDraftError>;
    /// The application's data as this kind's draft.
    fn read<'a>(
        &'a self,
        data: &serde_json::Value,
    ) -> Result<Box<dyn KindData + 'a>, serde_json::Error>;
}

/// What an approved application's Proof Document states beyond the holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofFacts {
    /// The catalogue category the document grants, for kinds that have categories.
    pub category: Option<String>,
    /// The occupation code, where the kind records one.
    pub occupation: Option<String>,
    /// The workplace's registered name, when there is one.
    pub workplace: Option<String>,
    pub valid_from: Date,
    pub valid_until: Date,
    /// Whether a printed card is sent by cargo (seed §4.8).
    pub with_card: bool,
}

/// How a kind names an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Title {
    /// Both languages, from the catalogue.
    Labels(crate::reference::Labels),
    /// A locale message id (the locale files hold both languages).
    Message(&'static str),
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

/// What a document slot of an application takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotRules {
    pub slot: String,
    pub accepts: Vec<crate::documents::ContentType>,
    pub max_files: u8,
}

/// A government registry's answer an application rests on, as it stood at submission: an officer
/// asks it again ("check again now") to see whether it still holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryFact {
    pub check: RegistryCheck,
    /// What the registry said then, as the application recorded it (names, codes, dates).
    pub at_submission: String,
}

/// What to ask a registry again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryCheck {
    /// An active residence right under the foreigner ID.
    ResidenceRight(crate::identifiers::ForeignerId),
    /// The last entry to Türkiye of a passport's holder born in `birth_year`.
    Entry {
        passport: crate::identifiers::PassportNumber,
        country: crate::profile::CountryCode,
        birth_year: i32,
    },
    /// A Turkish mission's reference number.
    ConsulateReference(crate::identifiers::ReferenceNumber),
    /// The address behind an address code.
    Address(crate::identifiers::AddressCode),
    /// The workplace registered under an SGK number.
    Workplace(crate::identifiers::SgkNumber),
}

impl RegistryCheck {
    /// `residence_right`, `entry`, `consulate_reference`, `address`, `workplace`.
    pub fn code(&self) -> &'static str {
        match self {
            RegistryCheck::ResidenceRight(_) => "residence_right",
            RegistryCheck::Entry { .. } => "entry",
            RegistryCheck::ConsulateReference(_) => "consulate_reference",
            RegistryCheck::Address(_) => "address",
            RegistryCheck::Workplace(_) => "workplace",
        }
    }

    /// What is looked up, as shown to the officer.
    pub fn key(&self) -> String {
        match self {
            RegistryCheck::ResidenceRight(id) => id.as_str().to_owned(),
            RegistryCheck::Entry {
                passport, country, ..
            } => format!("{} ({})", passport.as_str(), country.as_str()),
            RegistryCheck::ConsulateReference(reference) => reference.as_str().to_owned(),
            RegistryCheck::Address(code) => code.as_str().to_owned(),
            RegistryCheck::Workplace(sgk) => sgk.as_str().to_owned(),
        }
    }
}

/// One application's data, read by its kind.
pub trait KindData: Send + Sync {
    /// Whether `step` holds what it asks for (the preview never does).
    fn step_complete(&self, step: Step) -> bool;
    /// Where "Continue" resumes: the first required step not yet complete, else the preview.
    fn resume_at(&self) -> Step;
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
    /// The rules of the document slot `slot`, or why the application has no such slot now (the
    /// violation names the field to fix: a category to choose first, an unknown slot).
    fn slot(&self, slot: &str) -> Result<SlotRules, Violation>;
    /// The documents in `slot`, in order.
    fn slot_documents(&self, slot: &str) -> Vec<Uuid>;
    /// Adds `document` to `slot` (its rules checked by the caller).
    fn put_in_slot(&mut self, slot: &str, document: Uuid);
    /// Takes `document` out of wherever the application cites it as an attachment; whether it
    /// was there.
    fn take_out(&mut self, document: Uuid) -> bool;
    /// Whether the fees are decided by an officer's review rather than known now (the amounts
    /// are then "0 ₺ or as the review decides").
    fn fees_decided_after_review(&self) -> bool {
        false
    }
    /// Whether the price is due as soon as the application is submitted, before any officer
    /// looks at it (a new card for a lost card or a change of personal information: the seed
    /// sends these to PAYMENT_PENDING on submission).
    fn payment_due_on_submission(&self) -> bool {
        false
    }
    /// The decisions an officer's review of the fees chooses among (when
    /// [`Self::fees_decided_after_review`]), as codes with locale labels `review-{code}`.
    fn review_outcomes(&self) -> &'static [&'static str] {
        &[]
    }
    /// What the application costs in `year` after the review decided `outcome` (`None`: not one
    /// of [`Self::review_outcomes`]).
    fn fees_after_review(&self, _outcome: &str, _year: i32) -> Option<FeeAssessment> {
        None
    }
    /// The document slots the application has now (for an officer to reopen in a revision).
    fn slot_codes(&self) -> Vec<String>;
    /// The registry answers the application rests on, submitted with `profile`.
    fn registry_facts(&self, _profile: &crate::profile::Profile) -> Vec<RegistryFact> {
        Vec::new()
    }
    /// The identity the application was approved with, compared with the migration authority's
    /// record, for kinds that show it.
    fn identity_comparison(&self) -> Option<&crate::identity::Comparison> {
        None
    }
    /// What the Proof Document an approval issues states (what it grants, its validity, whether
    /// a printed card is sent); `None` for a kind whose approval re-issues its parent's document
    /// (a new card states what the exemption it is about states).
    fn proof_facts(&self) -> Option<ProofFacts> {
        None
    }
    /// Where a printed card of this application is sent, as the application gives it.
    fn delivery_address(&self) -> Option<String> {
        None
    }
    /// Drops references to documents for which `exists` is false (the user deleted them);
    /// whether anything was dropped.
    fn forget_documents(&mut self, exists: &dyn Fn(Uuid) -> bool) -> bool;
    /// The data as stored.
    fn to_stored(&self) -> Result<serde_json::Value, serde_json::Error>;
}
