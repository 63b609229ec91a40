//! The rules "Create My Application" checks, each failure with the step and field to fix, and the
//! work-permit exemption as a kind of application.

use super::*;
use crate::application::ProofFacts;
use crate::reference::Labels;

pub(crate) fn failure(code: &'static str, step: Step, field: Option<&'static str>) -> RuleFailure {
    RuleFailure {
        code,
        step,
        field,
        args: Vec::new(),
    }
}

/// The work-permit exemption as a kind of application.
#[derive(Debug, Clone)]
pub struct WorkPermitExemption {
    pub catalog: std::sync::Arc<ExemptionCatalog>,
}

impl WorkPermitExemption {
    pub fn draft(data: &serde_json::Value) -> Result<Draft, serde_json::Error> {
        serde_json::from_value(data.clone())
    }

    /// Every rule of "Create My Application", each failure with the step to fix it in.
    pub fn failures(&self, draft: &Draft, ctx: &SubmissionContext<'_>) -> Vec<RuleFailure> {
        let mut failures = Vec::new();
        let completeness = ctx.profile.completeness(ctx.today);
        if !completeness.complete {
            let missing: usize = completeness.sections.iter().map(|s| s.missing.len()).sum();
            failures.push(RuleFailure {
                code: "rule-profile-incomplete",
                step: Step::PROFILE,
                field: None,
                args: vec![("count", missing.to_string())],
            });
        }
        let Some((_, category)) = self.catalog.category(&draft.category) else {
            failures.push(failure(
                "rule-category-missing",
                Step::CATEGORY,
                Some("category"),
            ));
            return failures;
        };
        match &draft.place {
            None => failures.push(failure("rule-place-missing", Step::PLACE, Some("place"))),
            Some(place) if place.rests_on_entry() => {
                match (place.entered_on, place.birth_year) {
                    // Confirmed before the entry day was recorded, or before the entry was
                    // tied to the applicant's own passport and birth year: confirm it again.
                    (None, _) | (_, None) => failures.push(failure(
                        "rule-place-confirm-again",
                        Step::PLACE,
                        Some("place"),
                    )),
                    (Some(entered_on), Some(_)) => {
                        if !place.checked_with(ctx.profile) {
                            failures.push(failure(
                                "rule-place-check-outdated",
                                Step::PLACE,
                                Some("place"),
                            ));
                        }
                        if let Some(previous) = &place.previous_passport
                            && previous
                                .scan_document_id
                                .is_none_or(|id| !ctx.documents.contains(&id))
                        {
                            failures.push(failure(
                                "rule-previous-passport-scan-missing",
                                Step::PLACE,
                                Some("previous_passport.scan_document_id"),
                            ));
                        }
                        if let Some(last_day) = self
                            .catalog
                            .domestic_application
                            .last_day_to_apply(entered_on)
                            && ctx.today > last_day
                        {
                            failures.push(RuleFailure {
                                code: "rule-entry-deadline-passed",
                                step: Step::PLACE,
                                field: Some("place"),
                                args: entry_deadline_args(
                                    &self.catalog.domestic_application,
                                    entered_on,
                                    last_day,
                                ),
                            });
                        }
                    }
                }
            }
            Some(_) => {}
        }
        if draft.consent.is_none() {
            failures.push(failure(
                "rule-consent-missing",
                Step::CONSENT,
                Some("kvkk_explicit_consent"),
            ));
        }
        let e = &draft.employment;
        let mut missing = |present: bool, field: &'static str| {
            if !present {
                failures.push(failure("rule-field-missing", Step::EMPLOYMENT, Some(field)));
            }
        };
        missing(e.occupation_code.is_some(), "occupation_code");
        missing(e.start_date.is_some(), "start_date");
        missing(e.end_date.is_some(), "end_date");
        missing(e.province.is_some(), "province");
        missing(e.district.is_some(), "district");
        missing(e.about.is_some(), "about");
        missing(e.has_employer.is_some(), "has_employer");
        missing(e.insurance_paid.is_some(), "insurance_paid");
        if e.under_three_months() == Some(true) {
            missing(e.certificate_requested.is_some(), "certificate_requested");
        }
        if e.document_sent() == Some(true) {
            missing(e.residential_code.is_some(), "residential_code");
            missing(e.address_type.is_some(), "address_type");
        }
        // Saved under another category, or before the catalogue narrowed the category.
        if let Some(occupation) = &e.occupation_code
            && !category.admits_occupation(occupation.as_str())
        {
            let violation = occupation_not_admitted(category);
            failures.push(RuleFailure {
                code: "rule-occupation-not-for-category",
                step: Step::EMPLOYMENT,
                field: Some("occupation_code"),
                args: violation.args,
            });
        }
        if e.has_employer == Some(true) {
            for (present, field) in [
                (e.sgk_number.is_some(), "sgk_number"),
                (e.monthly_gross_salary.is_some(), "monthly_gross_salary"),
                (e.currency.is_some(), "currency"),
                (
                    e.employment_contract_document_id
                        .is_some_and(|id| ctx.documents.contains(&id)),
                    "employment_contract_document_id",
                ),
            ] {
                if !present {
                    failures.push(failure(
                        "rule-employer-incomplete",
                        Step::EMPLOYMENT,
                        Some(field),
                    ));
                }
            }
        }
        if let (Some(start), Some(end)) = (e.start_date, e.end_date) {
            if start < ctx.today {
                failures.push(failure(
                    "rule-start-in-past",
                    Step::EMPLOYMENT,
                    Some("start_date"),
                ));
            }
            if end <= start {
                failures.push(failure(
                    "rule-end-before-start",
                    Step::EMPLOYMENT,
                    Some("end_date"),
                ));
            } else if end >= add_months(start, i32::from(category.max_months)) {
                failures.push(RuleFailure {
                    code: "rule-period-too-long",
                    step: Step::EMPLOYMENT,
                    field: Some("end_date"),
                    args: vec![("months", category.max_months.to_string())],
                });
            }
            if let Some(expiry) = ctx.profile.passport.expiry_date {
                let latest_end = expiry - time::Duration::days(PASSPORT_MARGIN_DAYS);
                if end > latest_end {
                    failures.push(RuleFailure {
                        code: "rule-passport-expires-too-soon",
                        step: Step::EMPLOYMENT,
                        field: Some("end_date"),
                        args: vec![
                            ("days", PASSPORT_MARGIN_DAYS.to_string()),
                            ("latest", crate::calendar::format_date(latest_end)),
                        ],
                    });
                }
            }
        }
        if ctx.other_pending {
            failures.push(failure(
                "rule-other-application-pending",
                Step::MY_APPLICATIONS,
                None,
            ));
        }
        for previous in ctx
            .previous_exemptions
            .iter()
            .filter(|p| p.category == draft.category)
        {
            let allowed_from =
                add_months(previous.ended_on, i32::from(category.reapply_wait_months));
            if ctx.today < allowed_from {
                failures.push(RuleFailure {
                    code: "rule-waiting-period",
                    step: Step::CATEGORY,
                    field: Some("category"),
                    args: vec![
                        ("months", category.reapply_wait_months.to_string()),
                        ("date", crate::calendar::format_date(allowed_from)),
                    ],
                });
                break;
            }
        }
        for slot in category.documents.iter().filter(|s| s.required) {
            let present = draft
                .documents
                .get(&slot.slot)
                .is_some_and(|ids| ids.iter().any(|id| ctx.documents.contains(id)));
            if !present {
                failures.push(RuleFailure {
                    code: "rule-document-missing",
                    step: Step::DOCUMENTS,
                    field: None,
                    args: vec![("slot", slot.slot.clone())],
                });
            }
        }
        failures
    }
}

impl ApplicationKind for WorkPermitExemption {
    fn kind(&self) -> Kind {
        Kind::WorkPermitExemption
    }

    /// The Ministry of Labour and Social Security (Law No. 6735, Article 16).
    fn authority(&self) -> crate::officer::Authority {
        crate::officer::Authority::Labour
    }

    fn wizard(&self) -> &'static Wizard {
        &WIZARD
    }

    /// Only one work-permit exemption may be pending at a time.
    fn blocking(&self) -> Blocking {
        Blocking {
            kinds: vec![Kind::WorkPermitExemption],
            same_parent: false,
        }
    }

    /// An approved exemption is ACTIVE until it ends, expires or is cancelled.
    fn outcome_on_approval(&self) -> Option<ExemptionStatus> {
        Some(ExemptionStatus::Active)
    }

    fn has_categories(&self) -> bool {
        true
    }

    fn documents_step(&self) -> Step {
        Step::DOCUMENTS
    }

    fn slot_label(&self, category: Option<&str>, slot: &str) -> Option<Labels> {
        self.catalog
            .category(category?)
            .and_then(|(_, c)| c.slot(slot))
            .map(|s| s.label.clone())
    }

    fn second_approval(&self, category: Option<&str>) -> bool {
        category
            .and_then(|code| self.catalog.category(code))
            .is_some_and(|(_, c)| c.second_approval.is_some())
    }

    fn title(&self, category: Option<&str>) -> super::super::Title {
        super::super::Title::Labels(describe_category(&self.catalog, category))
    }

    fn new_draft(
        &self,
        category: Option<&str>,
        _parent: Option<&super::super::Parent<'_>>,
    ) -> Result<serde_json::Value, NewDraftError> {
        let category = match category.map(str::trim) {
            Some(code) if self.catalog.category(code).is_some() => code.to_owned(),
            Some(_) => return Err(NewDraftError::UnknownCategory),
            None => String::new(),
        };
        Ok(serde_json::to_value(Draft {
            category,
            ..Draft::default()
        })?)
    }

    fn read<'a>(
        &'a self,
        data: &serde_json::Value,
    ) -> Result<Box<dyn KindData + 'a>, serde_json::Error> {
        Ok(Box::new(ExemptionData {
            kind: self,
            draft: Self::draft(data)?,
        }))
    }
}

/// "Work Permit Exemption — Internship / … (n)" in both languages: the kind, with the category
/// when there is one (category names carry their Article 48 letter already).
pub fn describe_category(catalog: &ExemptionCatalog, category: Option<&str>) -> Labels {
    let category = category
        .and_then(|code| catalog.category(code))
        .map(|(_, c)| c);
    let name = |language: crate::Language, kind: &str| match category {
        Some(c) => format!("{kind} — {}", c.name.get(language)),
        None => kind.to_owned(),
    };
    Labels {
        tr: name(crate::Language::Tr, "Çalışma İzni Muafiyeti"),
        en: name(crate::Language::En, "Work Permit Exemption"),
    }
}

/// A work-permit-exemption draft with the catalogue its rules read.
pub(crate) struct ExemptionData<'a> {
    kind: &'a WorkPermitExemption,
    draft: Draft,
}

impl KindData for ExemptionData<'_> {
    fn step_complete(&self, step: Step) -> bool {
        self.draft.step_complete(step, &self.kind.catalog)
    }

    fn resume_at(&self) -> Step {
        self.draft.resume_at(&self.kind.catalog)
    }

    fn slot(&self, slot: &str) -> Result<super::super::SlotRules, Violation> {
        let Some((_, category)) = self.kind.catalog.category(&self.draft.category) else {
            return Err(Violation::new("category", "category-unknown"));
        };
        let Some(rules) = category.slot(slot) else {
            return Err(Violation::new("slot", "slot-unknown"));
        };
        Ok(super::super::SlotRules {
            slot: rules.slot.clone(),
            accepts: rules.accepts(),
            max_files: rules.max_files,
        })
    }

    fn slot_documents(&self, slot: &str) -> Vec<Uuid> {
        self.draft.documents.get(slot).cloned().unwrap_or_default()
    }

    fn registry_facts(&self, profile: &Profile) -> Vec<super::super::RegistryFact> {
        use super::super::{RegistryCheck, RegistryFact};
        let mut facts = Vec::new();
        let draft = &self.draft;
        let checked = |on: Option<Date>| on.map(crate::calendar::format_date).unwrap_or_default();
        if let Some(place) = &draft.place {
            if place.residence_right {
                if let Some(id) = &profile.personal.foreigner_id {
                    facts.push(RegistryFact {
                        check: RegistryCheck::ResidenceRight(id.clone()),
                        at_submission: format!("active ({})", checked(place.checked_on)),
                    });
                }
            } else if let Some(reference) = &place.reference_number {
                facts.push(RegistryFact {
                    check: RegistryCheck::ConsulateReference(reference.clone()),
                    at_submission: format!("confirmed ({})", checked(place.checked_on)),
                });
            } else if let (Some(passport), Some(country), Some(birth_year)) = (
                place
                    .previous_passport
                    .as_ref()
                    .map(|p| p.number.clone())
                    .or_else(|| place.passport_number.clone()),
                place
                    .previous_passport
                    .as_ref()
                    .map(|p| p.country.clone())
                    .or_else(|| place.passport_country.clone()),
                place.birth_year,
            ) {
                facts.push(RegistryFact {
                    check: RegistryCheck::Entry {
                        passport,
                        country,
                        birth_year,
                    },
                    at_submission: checked(place.entered_on),
                });
            }
        }
        let employment = &draft.employment;
        if let Some(sgk) = &employment.sgk_number {
            facts.push(RegistryFact {
                check: RegistryCheck::Workplace(sgk.clone()),
                at_submission: [
                    employment.workplace_name.clone(),
                    employment.workplace_province.clone(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", "),
            });
        }
        if let Some(code) = &employment.residential_code {
            facts.push(RegistryFact {
                check: RegistryCheck::Address(code.clone()),
                at_submission: employment.residential_address.clone().unwrap_or_default(),
            });
        }
        facts
    }

    fn slot_codes(&self) -> Vec<String> {
        self.kind
            .catalog
            .category(&self.draft.category)
            .map(|(_, category)| category.documents.iter().map(|d| d.slot.clone()).collect())
            .unwrap_or_default()
    }

    fn put_in_slot(&mut self, slot: &str, document: Uuid) {
        self.draft
            .documents
            .entry(slot.to_owned())
            .or_default()
            .push(document);
    }

    /// Supporting documents and additional documents alike.
    fn take_out(&mut self, document: Uuid) -> bool {
        let draft = &mut self.draft;
        let attached = draft.documents.values().flatten().any(|d| *d == document)
            || draft.additional_document_ids.contains(&document);
        for files in draft.documents.values_mut() {
            files.retain(|d| *d != document);
        }
        draft.documents.retain(|_, files| !files.is_empty());
        draft.additional_document_ids.retain(|d| *d != document);
        attached
    }

    fn submission_failures(&self, ctx: &SubmissionContext<'_>) -> Vec<RuleFailure> {
        self.kind.failures(&self.draft, ctx)
    }

    fn fees(&self, year: i32) -> Option<FeeAssessment> {
        Some(assess_fees(
            &self.draft.employment,
            &self.kind.catalog.fees,
            year,
        ))
    }

    fn period(&self) -> (Option<Date>, Option<Date>) {
        (
            self.draft.employment.start_date,
            self.draft.employment.end_date,
        )
    }

    fn category(&self) -> Option<String> {
        Some(self.draft.category.clone())
    }

    fn delivery_address(&self) -> Option<String> {
        let employment = &self.draft.employment;
        let address = employment.residential_address.clone()?;
        let place: Vec<&str> = [&employment.district, &employment.province]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .filter(|part| !address.contains(part))
            .collect();
        Some(if place.is_empty() {
            address
        } else {
            format!("{address}, {}", place.join("/"))
        })
    }

    fn proof_facts(&self) -> Option<ProofFacts> {
        let employment = &self.draft.employment;
        Some(ProofFacts {
            category: Some(self.draft.category.clone()),
            occupation: employment
                .occupation_code
                .as_ref()
                .map(|o| o.as_str().to_owned()),
            workplace: employment.workplace_name.clone(),
            valid_from: employment.start_date?,
            valid_until: employment.end_date?,
            with_card: employment.document_sent()?,
        })
    }

    fn cited_documents(&self) -> Vec<Uuid> {
        let draft = &self.draft;
        let mut ids: Vec<Uuid> = draft.documents.values().flatten().copied().collect();
        ids.extend(draft.employment.employment_contract_document_id);
        ids.extend(draft.additional_document_ids.iter().copied());
        // The previous passport's scan is frozen with the application, for the officer.
        ids.extend(
            draft
                .place
                .as_ref()
                .and_then(|p| p.previous_passport.as_ref())
                .and_then(|p| p.scan_document_id),
        );
        ids.sort();
        ids.dedup();
        ids
    }

    fn forget_documents(&mut self, exists: &dyn Fn(Uuid) -> bool) -> bool {
        let draft = &mut self.draft;
        let before = draft.clone();
        for ids in draft.documents.values_mut() {
            ids.retain(|id| exists(*id));
        }
        draft.documents.retain(|_, ids| !ids.is_empty());
        draft.additional_document_ids.retain(|id| exists(*id));
        if draft
            .employment
            .employment_contract_document_id
            .is_some_and(|id| !exists(id))
        {
            draft.employment.employment_contract_document_id = None;
        }
        if let Some(previous) = draft
            .place
            .as_mut()
            .and_then(|p| p.previous_passport.as_mut())
            && previous.scan_document_id.is_some_and(|id| !exists(id))
        {
            previous.scan_document_id = None;
        }
        *draft != before
    }

    fn to_stored(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::to_value(&self.draft)
    }
}
