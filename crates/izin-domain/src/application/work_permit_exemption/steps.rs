//! The wizard's steps in order, which of them a status lets change, when each is complete and
//! where "Continue" resumes.

use super::*;

impl Step {
    /// The exemption wizard's steps, in order (the residence-right inquiry opens Place).
    pub const WIZARD: [Step; 7] = [
        Step::Place,
        Step::Category,
        Step::Consent,
        Step::Employment,
        Step::Documents,
        Step::Additional,
        Step::Preview,
    ];

    /// The wizard step named `code` in its address (`place`, `employment`, …).
    pub fn parse(code: &str) -> Option<Step> {
        Step::WIZARD.into_iter().find(|step| step.code() == code)
    }

    /// Whether the step can be changed in an application of `status`. A draft changes freely.
    /// In a revision the place of application, the category and the consent stay as submitted:
    /// they decide what was applied for and under which checks, so a different one is a new
    /// application; the officer's request reopens the employment, the documents and the rest.
    pub fn editable_in(self, status: Status) -> bool {
        let in_wizard = Step::WIZARD.contains(&self);
        match status {
            Status::Draft => in_wizard,
            Status::Revision => {
                in_wizard && !matches!(self, Step::Place | Step::Category | Step::Consent)
            }
            _ => false,
        }
    }

    /// The step "Next" leads to; the preview is the last.
    pub fn next(self) -> Step {
        let position = Step::WIZARD.iter().position(|s| *s == self);
        position
            .and_then(|i| Step::WIZARD.get(i + 1))
            .copied()
            .unwrap_or(Step::Preview)
    }
}

impl Draft {
    /// Whether the step holds what it asks for. The additional step is optional: it counts as
    /// complete once something was given; the preview is never "complete".
    pub fn step_complete(&self, step: Step, catalog: &ExemptionCatalog) -> bool {
        match step {
            Step::Place => self.place.is_some(),
            Step::Category => !self.category.is_empty(),
            Step::Consent => self.consent.is_some(),
            Step::Employment => {
                self.employment.occupation_code.is_some() && self.employment.end_date.is_some()
            }
            Step::Documents => catalog.category(&self.category).is_some_and(|(_, c)| {
                c.documents.iter().filter(|slot| slot.required).all(|slot| {
                    self.documents
                        .get(&slot.slot)
                        .is_some_and(|f| !f.is_empty())
                })
            }),
            Step::Additional => {
                self.other_information.is_some() || !self.additional_document_ids.is_empty()
            }
            Step::Preview | Step::Profile | Step::MyApplications => false,
        }
    }

    /// Where "Continue" resumes: the first required step not yet complete, else the preview.
    pub fn resume_at(&self, catalog: &ExemptionCatalog) -> Step {
        Step::WIZARD
            .into_iter()
            .filter(|step| !matches!(step, Step::Additional | Step::Preview))
            .find(|step| !self.step_complete(*step, catalog))
            .unwrap_or(Step::Preview)
    }
}
