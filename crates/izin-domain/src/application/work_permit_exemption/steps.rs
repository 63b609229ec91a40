//! The wizard's steps in order, which of them a status lets change, when each is complete and
//! where "Continue" resumes.

use super::*;

impl Step {
    /// The residence-right inquiry and the place of application.
    pub const PLACE: Step = Step::named("place");
    pub const CATEGORY: Step = Step::named("category");
    /// The KVKK consent.
    pub const CONSENT: Step = Step::named("consent");
    /// Workplace, employer and the requested period.
    pub const EMPLOYMENT: Step = Step::named("employment");
    /// The category's supporting documents.
    pub const DOCUMENTS: Step = Step::named("documents");
    /// Other information and additional documents (optional).
    pub const ADDITIONAL: Step = Step::named("additional");
}

/// The exemption's wizard. In a revision the place of application, the category and the consent
/// stay as submitted: they decide what was applied for and under which checks, so a different
/// one is a new application; the officer's request reopens the employment, the documents and the
/// rest.
pub static WIZARD: Wizard = Wizard {
    pages: &[
        (Step::PLACE, "step-inquiry"),
        (Step::PLACE, "step-place"),
        (Step::CATEGORY, "step-category"),
        (Step::CONSENT, "step-consent"),
        (Step::EMPLOYMENT, "step-employment"),
        (Step::DOCUMENTS, "step-documents"),
        (Step::ADDITIONAL, "step-additional"),
        (Step::PREVIEW, "step-preview"),
    ],
    reopened_in_revision: &[
        Step::EMPLOYMENT,
        Step::DOCUMENTS,
        Step::ADDITIONAL,
        Step::PREVIEW,
    ],
};

impl Draft {
    /// Whether the step holds what it asks for. The additional step is optional: it counts as
    /// complete once something was given; the preview is never "complete".
    pub fn step_complete(&self, step: Step, catalog: &ExemptionCatalog) -> bool {
        match step {
            Step::PLACE => self.place.is_some(),
            Step::CATEGORY => !self.category.is_empty(),
            Step::CONSENT => self.consent.is_some(),
            Step::EMPLOYMENT => {
                self.employment.occupation_code.is_some() && self.employment.end_date.is_some()
            }
            Step::DOCUMENTS => catalog.category(&self.category).is_some_and(|(_, c)| {
                c.documents.iter().filter(|slot| slot.required).all(|slot| {
                    self.documents
                        .get(&slot.slot)
                        .is_some_and(|f| !f.is_empty())
                })
            }),
            Step::ADDITIONAL => {
                self.other_information.is_some() || !self.additional_document_ids.is_empty()
            }
            _ => false,
        }
    }

    /// Where "Continue" resumes: the first required step not yet complete, else the preview.
    pub fn resume_at(&self, catalog: &ExemptionCatalog) -> Step {
        WIZARD
            .steps()
            .into_iter()
            .filter(|step| !matches!(*step, Step::ADDITIONAL | Step::PREVIEW))
            .find(|step| !self.step_complete(*step, catalog))
            .unwrap_or(Step::PREVIEW)
    }
}
