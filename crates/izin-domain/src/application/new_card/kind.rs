//! The New Card Application as a kind of application: one step ("card": the reason, what it
//! needs, the address) and the preview; about an ACTIVE work-permit exemption that came with a
//! card; waits only for another new card of the same exemption; its approval ends the matter (a
//! new card has no outcome status of its own: the exemption stays ACTIVE).

use super::*;
use crate::application::work_permit_exemption::{Draft as ExemptionDraft, FeeAssessment};
use crate::application::{
    ApplicationKind, Blocking, Kind, KindData, NewDraftError, Parent, ParentRefused, RuleFailure,
    SlotRules, Step, SubmissionContext, Title, Wizard,
};
use crate::catalog::ExemptionCatalog;
use crate::documents::ContentType;
use crate::profile::Violation;
use std::sync::Arc;
use time::Date;

impl Step {
    /// The new card's one step: the reason, its description and documents, and the address.
    pub const CARD: Step = Step::named("card");
}

/// The card step, then the preview. An officer's revision request reopens both (the description
/// and the documents of an administration error are what a review asks about).
pub static WIZARD: Wizard = Wizard {
    pages: &[(Step::CARD, "step-card"), (Step::PREVIEW, "step-preview")],
    reopened_in_revision: &[Step::CARD, Step::PREVIEW],
};

/// Each slot: its code, how many files, which types (a scan or a photograph of paper).
const SLOTS: [(&str, u8); 2] = [(SUPPORTING_SLOT, 5), (CARD_FRONT_BACK_SLOT, 2)];
const SLOT_TYPES: [ContentType; 3] = [ContentType::Pdf, ContentType::Jpeg, ContentType::Png];

/// The New Card Application, with the fee table its amounts come from.
#[derive(Debug, Clone)]
pub struct NewCard {
    pub catalog: Arc<ExemptionCatalog>,
}

impl NewCard {
    pub fn draft(data: &serde_json::Value) -> Result<NewCardDraft, serde_json::Error> {
        NewCardDraft::deserialize(data)
    }

    /// The exemption a new card is about, as approved: its data as the exemption's draft.
    fn exemption(parent: &Parent<'_>) -> Option<ExemptionDraft> {
        match parent.snapshot {
            Some(snapshot) => snapshot.data::<ExemptionDraft>().ok(),
            None => ExemptionDraft::deserialize(parent.data).ok(),
        }
    }
}

impl ApplicationKind for NewCard {
    fn kind(&self) -> Kind {
        Kind::NewCard
    }

    /// The Ministry of Labour and Social Security (Law No. 6735, Article 16).
    fn authority(&self) -> crate::officer::Authority {
        crate::officer::Authority::Labour
    }

    fn wizard(&self) -> &'static Wizard {
        &WIZARD
    }

    /// Only another new card of the same exemption.
    fn blocking(&self) -> Blocking {
        Blocking {
            kinds: vec![Kind::NewCard],
            same_parent: true,
        }
    }

    fn outcome_on_approval(&self) -> Option<crate::application::ExemptionStatus> {
        None
    }

    fn title(&self, _category: Option<&str>) -> Title {
        Title::Message("kind-new-card")
    }

    fn documents_step(&self) -> Step {
        Step::CARD
    }

    fn parent_kind(&self) -> Option<Kind> {
        Some(Kind::WorkPermitExemption)
    }

    fn parent_lifecycle_allows(&self, lifecycle: Lifecycle) -> bool {
        is_active_exemption(lifecycle)
    }

    fn check_parent(&self, parent: &Parent<'_>) -> Result<(), ParentRefused> {
        let Some(exemption) = Self::exemption(parent) else {
            return Err(ParentRefused {
                code: ParentRefusal::NoCard.code(),
            });
        };
        check_parent(parent.lifecycle, &exemption.employment, &self.catalog.fees)
            .map_err(|e| ParentRefused { code: e.code() })
    }

    /// Copies in the exemption's registered address and the identity it was approved with.
    fn new_draft(
        &self,
        category: Option<&str>,
        parent: Option<&Parent<'_>>,
    ) -> Result<serde_json::Value, NewDraftError> {
        if category.is_some() {
            return Err(NewDraftError::UnknownCategory);
        }
        let exemption = parent.and_then(Self::exemption);
        let registered_address = exemption.as_ref().and_then(|e| {
            let employment = &e.employment;
            employment
                .residential_address
                .clone()
                .map(|address| DeliveryAddress {
                    residential_code: employment.residential_code.clone(),
                    address,
                    province: employment.province.clone(),
                    district: employment.district.clone(),
                })
        });
        let system_identity = parent
            .and_then(|p| p.snapshot)
            .map(|snapshot| Identity::of(&snapshot.profile.personal));
        Ok(serde_json::to_value(NewCardDraft {
            registered_address,
            system_identity,
            ..NewCardDraft::default()
        })?)
    }

    fn read<'a>(
        &'a self,
        data: &serde_json::Value,
    ) -> Result<Box<dyn KindData + 'a>, serde_json::Error> {
        Ok(Box::new(NewCardData {
            kind: self,
            draft: Self::draft(data)?,
        }))
    }
}

/// A new-card draft with the fee table its amounts read.
struct NewCardData<'a> {
    kind: &'a NewCard,
    draft: NewCardDraft,
}

impl KindData for NewCardData<'_> {
    fn step_complete(&self, step: Step) -> bool {
        step == Step::CARD && problems(&self.draft, self.draft.comparison.as_ref()).is_empty()
    }

    fn resume_at(&self) -> Step {
        if self.step_complete(Step::CARD) {
            Step::PREVIEW
        } else {
            Step::CARD
        }
    }

    fn submission_failures(&self, ctx: &SubmissionContext<'_>) -> Vec<RuleFailure> {
        let mut failures: Vec<RuleFailure> = problems(&self.draft, self.draft.comparison.as_ref())
            .into_iter()
            .map(|p| RuleFailure {
                code: p.code,
                step: Step::CARD,
                field: Some(p.field),
                args: if p.code == "rule-document-missing" {
                    vec![("slot", p.field.to_owned())]
                } else {
                    Vec::new()
                },
            })
            .collect();
        if ctx.other_pending {
            failures.push(RuleFailure {
                code: "rule-other-application-pending",
                step: Step::MY_APPLICATIONS,
                field: None,
                args: Vec::new(),
            });
        }
        failures
    }

    fn fees(&self, year: i32) -> Option<FeeAssessment> {
        assessment(self.draft.reason?, &self.kind.catalog.fees, year)
    }

    fn payment_due_on_submission(&self) -> bool {
        self.draft
            .reason
            .is_some_and(|reason| !reason.reviewed_by_an_officer())
    }

    fn fees_decided_after_review(&self) -> bool {
        self.draft
            .reason
            .is_some_and(Reason::reviewed_by_an_officer)
    }

    fn review_outcomes(&self) -> &'static [&'static str] {
        if self.fees_decided_after_review() {
            &ReviewOutcome::CODES
        } else {
            &[]
        }
    }

    fn fees_after_review(&self, outcome: &str, year: i32) -> Option<FeeAssessment> {
        if !self.fees_decided_after_review() {
            return None;
        }
        reviewed(
            ReviewOutcome::parse(outcome)?,
            &self.kind.catalog.fees,
            year,
        )
    }

    fn slot_codes(&self) -> Vec<String> {
        SLOTS.iter().map(|(code, _)| (*code).to_owned()).collect()
    }

    fn identity_comparison(&self) -> Option<&Comparison> {
        self.draft
            .comparison
            .as_ref()
            .filter(|_| self.draft.reason == Some(Reason::PersonalInformationChange))
    }

    fn period(&self) -> (Option<Date>, Option<Date>) {
        (None, None)
    }

    fn category(&self) -> Option<String> {
        None
    }

    fn delivery_address(&self) -> Option<String> {
        self.draft
            .different_address
            .as_ref()
            .or(self.draft.registered_address.as_ref())
            .map(|a| a.address.clone())
    }

    fn cited_documents(&self) -> Vec<Uuid> {
        let mut ids: Vec<Uuid> = self.draft.documents.values().flatten().copied().collect();
        ids.sort();
        ids.dedup();
        ids
    }

    fn slot(&self, slot: &str) -> Result<SlotRules, Violation> {
        SLOTS
            .iter()
            .find(|(code, _)| *code == slot)
            .map(|(code, max_files)| SlotRules {
                slot: (*code).to_owned(),
                accepts: SLOT_TYPES.to_vec(),
                max_files: *max_files,
            })
            .ok_or_else(|| Violation::new("slot", "slot-unknown"))
    }

    fn slot_documents(&self, slot: &str) -> Vec<Uuid> {
        self.draft.documents.get(slot).cloned().unwrap_or_default()
    }

    fn put_in_slot(&mut self, slot: &str, document: Uuid) {
        self.draft
            .documents
            .entry(slot.to_owned())
            .or_default()
            .push(document);
    }

    fn take_out(&mut self, document: Uuid) -> bool {
        let attached = self
            .draft
            .documents
            .values()
            .flatten()
            .any(|d| *d == document);
        for files in self.draft.documents.values_mut() {
            files.retain(|d| *d != document);
        }
        self.draft.documents.retain(|_, files| !files.is_empty());
        attached
    }

    fn forget_documents(&mut self, exists: &dyn Fn(Uuid) -> bool) -> bool {
        let before = self.draft.documents.clone();
        for files in self.draft.documents.values_mut() {
            files.retain(|d| exists(*d));
        }
        self.draft.documents.retain(|_, files| !files.is_empty());
        before != self.draft.documents
    }

    fn to_stored(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::to_value(&self.draft)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::lifecycle::{ExemptionStatus, Lifecycle, Status};
    use crate::application::snapshot::{SNAPSHOT_FORMAT, Snapshot};
    use crate::application::work_permit_exemption::Employment;
    use crate::identifiers::ForeignerId;
    use crate::profile::{CountryCode, PersonName, Profile};
    use std::collections::HashSet;
    use time::macros::date;

    fn kind() -> NewCard {
        NewCard {
            catalog: Arc::new(ExemptionCatalog::embedded().expect("catalogue")),
        }
    }

    fn exemption(end: Date) -> ExemptionDraft {
        ExemptionDraft {
            category: "research-and-experience".into(),
            employment: Employment {
                start_date: Some(date!(2027 - 01 - 04)),
                end_date: Some(end),
                certificate_requested: Some(false),
                residential_code: Some(AddressCode::parse("1928374650").expect("code")),
                residential_address: Some("Kavaklıdere Mah. Atatürk Blv. No: 211".into()),
                province: Some("Ankara".into()),
                district: Some("Çankaya".into()),
                ..Employment::default()
            },
            ..ExemptionDraft::default()
        }
    }

    fn snapshot(draft: &ExemptionDraft) -> Snapshot {
        let mut profile = Profile::default();
        profile.personal.first_name = Some(PersonName::parse("Ayşe Nur").expect("name"));
        profile.personal.last_name = Some(PersonName::parse("Yılmaz").expect("name"));
        profile.personal.nationality = Some(CountryCode::parse("AZE").expect("country"));
        profile.personal.date_of_birth = Some(date!(1995 - 04 - 01));
        profile.personal.foreigner_id = Some(ForeignerId::parse("99123456740").expect("id"));
        Snapshot {
            format: SNAPSHOT_FORMAT,
            kind: Kind::WorkPermitExemption,
            catalog_version: "test".into(),
            data: serde_json::to_value(draft).expect("json"),
            profile,
            documents: Vec::new(),
            fees: None,
        }
    }

    const ACTIVE: Lifecycle = Lifecycle {
        status: Status::Approval,
        exemption: Some(ExemptionStatus::Active),
    };

    fn parent<'a>(
        data: &'a serde_json::Value,
        snapshot: &'a Snapshot,
        lifecycle: Lifecycle,
    ) -> Parent<'a> {
        Parent {
            id: Uuid::from_u128(7),
            kind: Kind::WorkPermitExemption,
            lifecycle,
            data,
            snapshot: Some(snapshot),
        }
    }

    #[test]
    fn a_new_card_is_about_an_active_card_bearing_exemption_and_copies_what_it_compares() {
        let kind = kind();
        assert_eq!(kind.parent_kind(), Some(Kind::WorkPermitExemption));
        let year = exemption(date!(2027 - 07 - 02));
        let frozen = snapshot(&year);
        let data = frozen.data.clone();
        assert_eq!(kind.check_parent(&parent(&data, &frozen, ACTIVE)), Ok(()));
        let cancelled = Lifecycle {
            exemption: Some(ExemptionStatus::Cancelled),
            ..ACTIVE
        };
        assert_eq!(
            kind.check_parent(&parent(&data, &frozen, cancelled)),
            Err(ParentRefused {
                code: "new-card-exemption-not-active"
            })
        );
        let short = snapshot(&exemption(date!(2027 - 03 - 01)));
        assert_eq!(
            kind.check_parent(&parent(&short.data, &short, ACTIVE)),
            Err(ParentRefused {
                code: "new-card-exemption-without-card"
            })
        );
        // The draft starts with the registered address and the identity as approved.
        let started = kind
            .new_draft(None, Some(&parent(&data, &frozen, ACTIVE)))
            .expect("draft");
        let draft = NewCard::draft(&started).expect("reads back");
        let address = draft.registered_address.expect("address");
        assert_eq!(address.address, "Kavaklıdere Mah. Atatürk Blv. No: 211");
        assert_eq!(address.province.as_deref(), Some("Ankara"));
        let identity = draft.system_identity.expect("identity");
        assert_eq!(identity.last_name, "Yılmaz");
        assert_eq!(identity.foreigner_id, "99123456740");
        assert!(matches!(
            kind.new_draft(Some("research-and-experience"), None),
            Err(NewDraftError::UnknownCategory)
        ));
    }

    #[test]
    fn the_kind_reads_its_draft_with_its_rules_fees_and_slots() {
        let kind = kind();
        let frozen = snapshot(&exemption(date!(2027 - 07 - 02)));
        let data = frozen.data.clone();
        let started = kind
            .new_draft(None, Some(&parent(&data, &frozen, ACTIVE)))
            .expect("draft");
        let mut read = kind.read(&started).expect("reads");
        assert_eq!(read.resume_at(), Step::CARD);
        assert!(read.fees(2026).is_none(), "no reason, no fee yet");
        let profile = Profile::default();
        let documents = HashSet::new();
        let ctx = SubmissionContext {
            today: date!(2026 - 11 - 28),
            profile: &profile,
            other_pending: true,
            previous_exemptions: Vec::new(),
            documents: &documents,
        };
        let failures: Vec<(&str, &str)> = read
            .submission_failures(&ctx)
            .iter()
            .map(|f| (f.code, f.step.code()))
            .collect();
        assert_eq!(
            failures,
            [
                ("rule-field-missing", "card"),
                ("rule-other-application-pending", "applications")
            ]
        );
        // Slots: the two of the seed, each with its room; nothing else.
        assert_eq!(read.slot(SUPPORTING_SLOT).expect("slot").max_files, 5);
        assert_eq!(read.slot(CARD_FRONT_BACK_SLOT).expect("slot").max_files, 2);
        assert_eq!(
            read.slot("host-acceptance-letter").map_err(|v| v.code),
            Err("slot-unknown")
        );
        let scan = Uuid::from_u128(9);
        read.put_in_slot(CARD_FRONT_BACK_SLOT, scan);
        assert_eq!(read.cited_documents(), [scan]);
        assert!(read.forget_documents(&|id| id != scan));
        assert!(read.cited_documents().is_empty());
        // Fees by reason.
        let mut draft = NewCard::draft(&started).expect("draft");
        draft.reason = Some(Reason::LostOrStolen);
        let lost = kind
            .read(&serde_json::to_value(&draft).expect("json"))
            .expect("reads");
        let fees = lost.fees(2025).expect("fees");
        assert_eq!(fees.exemption_fee.decimal(), "5285.80");
        assert_eq!(fees.valuable_paper_fee.decimal(), "810.00");
        assert!(!lost.fees_decided_after_review());
        assert!(lost.step_complete(Step::CARD));
        draft.reason = Some(Reason::AdministrationError);
        let reviewed = kind
            .read(&serde_json::to_value(&draft).expect("json"))
            .expect("reads");
        assert!(reviewed.fees(2025).is_none());
        assert!(reviewed.fees_decided_after_review());
        // Only another new card of the same exemption blocks one; approval ends the matter.
        assert_eq!(
            kind.blocking(),
            Blocking {
                kinds: vec![Kind::NewCard],
                same_parent: true
            }
        );
        assert_eq!(kind.outcome_on_approval(), None);
    }

    #[test]
    fn the_card_step_is_typed_and_checked_whole() {
        let checked = CardInput {
            reason: " lost_or_stolen ".into(),
            description: Some("   ".into()),
            different_address: Some("1928374650".into()),
        }
        .check()
        .expect("valid");
        assert_eq!(checked.reason, Reason::LostOrStolen);
        assert_eq!(checked.description, None);
        assert!(checked.different_address.is_some());
        let refused = CardInput {
            reason: "stolen".into(),
            description: Some("short".into()),
            different_address: Some("12".into()),
        }
        .check()
        .expect_err("invalid");
        let fields: Vec<(&str, &str)> =
            refused.iter().map(|v| (v.field.as_str(), v.code)).collect();
        assert_eq!(
            fields,
            [
                ("reason", "choice-invalid"),
                ("description", "text-too-short"),
                ("different_address.residential_code", "address-code-shape"),
            ]
        );
        assert_eq!(
            CardInput::default().check().expect_err("empty")[0].code,
            "choice-required"
        );
    }
}
