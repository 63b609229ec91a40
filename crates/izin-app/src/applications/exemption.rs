//! The work-permit exemption's wizard (Regulation on the Implementation of the International Labour
//! Force Law, Article 48(1)): the residence-right inquiry, the place of application checked against
//! the registries, the category, the KVKK consent, the workplace and employer, the supporting and
//! additional documents. Each step is saved on the server as soon as it is valid, so a draft
//! survives sign-out, an expired session or a closed browser.

use super::{ApplicationError, ApplicationService};
use crate::registries::ResidenceRight;
use bytes::Bytes;
use futures_util::Stream;
use izin_domain::application::work_permit_exemption::{
    AdditionalInput, Consent, Draft, EmploymentInput, Place, PlaceInput, PlaceRecord,
    check_employment, check_place, entry_deadline_args, entry_query,
};
use izin_domain::application::{Kind, Status, Step};
use izin_domain::audit::ClientInfo;
use izin_domain::catalog::ExemptionCatalog;
use izin_domain::documents::DocumentKind;
use izin_domain::identifiers::ForeignerId;
use izin_domain::profile::{FreeText, Violation};
use izin_domain::reference::Labels;
use izin_store::{ApplicationRecord, Document, User};
use std::collections::HashMap;
use uuid::Uuid;

/// The KVKK pages whose wording a consent is given to.
pub const KVKK_PAGES: &[&str] = &["kvkk-information", "kvkk-consent"];
/// "Other Information" may be long, but not unbounded.
pub const OTHER_INFORMATION_MAX: usize = 4000;
/// "Add Other Document" as often as needed, within reason.
pub const ADDITIONAL_DOCUMENTS_MAX: usize = 20;

/// Step 1, "Active Residence Right Inquiry", on the foreigner ID of User Information.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidenceRightInquiry {
    /// `None`: no foreigner ID in User Information, so nothing could be asked.
    pub foreigner_id: Option<ForeignerId>,
    pub right: Option<ResidenceRight>,
}

/// The kind with a category (by its code), in both languages.
pub fn describe_category(catalog: &ExemptionCatalog, category: Option<&str>) -> Labels {
    izin_domain::application::work_permit_exemption::describe_category(catalog, category)
}

trait DraftJson: Sized {
    fn deserialize_from(data: &serde_json::Value) -> Result<Self, serde_json::Error>;
}

impl DraftJson for Draft {
    fn deserialize_from(data: &serde_json::Value) -> Result<Self, serde_json::Error> {
        serde_json::from_value(data.clone())
    }
}

fn invalid(field: &str, code: &'static str) -> ApplicationError {
    ApplicationError::Invalid(vec![Violation::new(field, code)])
}

/// A declared previous passport's scan must be one of the user's documents when the place is
/// saved (checked again here, as a document may be deleted between the check and the save).
fn own_scan(
    place: &PlaceRecord,
    documents: &HashMap<Uuid, Document>,
) -> Result<(), ApplicationError> {
    match place
        .previous_passport
        .as_ref()
        .and_then(|p| p.scan_document_id)
    {
        Some(scan) if !documents.contains_key(&scan) => Err(invalid(
            "previous_passport.scan_document_id",
            "document-not-found",
        )),
        _ => Ok(()),
    }
}

fn only_work_permit_exemption(record: &ApplicationRecord) -> Result<(), ApplicationError> {
    // The exemption's steps do not exist on an application of another kind.
    if record.kind == Kind::WorkPermitExemption {
        Ok(())
    } else {
        Err(ApplicationError::NotFound)
    }
}

impl ApplicationService<'_> {
    /// Asks the residence-rights registry about the foreigner ID in User Information.
    pub async fn residence_right(
        &self,
        user: &User,
    ) -> Result<ResidenceRightInquiry, ApplicationError> {
        let profile = self.app.store.profile(user.id).await?;
        let Some(foreigner_id) = profile.personal.foreigner_id else {
            return Ok(ResidenceRightInquiry {
                foreigner_id: None,
                right: None,
            });
        };
        let right = self
            .app
            .registries
            .active_residence_right(&foreigner_id, self.today())
            .await?;
        Ok(ResidenceRightInquiry {
            foreigner_id: Some(foreigner_id),
            right,
        })
    }

    /// Applies a change to a work-permit-exemption draft.
    async fn edit_exemption<F>(
        &self,
        user: &User,
        id: Uuid,
        step: Step,
        client: &ClientInfo,
        mut change: F,
    ) -> Result<Draft, ApplicationError>
    where
        F: FnMut(&mut Draft, &HashMap<Uuid, Document>) -> Result<(), ApplicationError>,
    {
        let record = self
            .edit(user, id, step, client, |data, documents| {
                let mut draft = Draft::deserialize_from(data)?;
                change(&mut draft, documents)?;
                *data = serde_json::to_value(&draft)?;
                Ok(())
            })
            .await?;
        Ok(Draft::deserialize_from(&record.data)?)
    }

    /// A work-permit-exemption application of the user, read as its draft.
    pub async fn exemption_draft(
        &self,
        user: &User,
        id: Uuid,
    ) -> Result<(ApplicationRecord, Draft), ApplicationError> {
        let record = self.get(user, id).await?;
        only_work_permit_exemption(&record)?;
        let draft = Draft::deserialize_from(&record.data)?;
        Ok((record, draft))
    }

    /// Step 2, "Place of Application", checked against the registries: an active residence
    /// right, or an entry on the applicant's own passport (or a declared previous one) and birth
    /// year (domestic), or the consulate's reference number for their passport and birth year
    /// (abroad).
    pub async fn save_place(
        &self,
        user: &User,
        id: Uuid,
        input: &PlaceInput,
        client: &ClientInfo,
    ) -> Result<PlaceRecord, ApplicationError> {
        let (record, _) = self.exemption_draft(user, id).await?;
        if record.lifecycle.status != Status::Draft {
            return Err(ApplicationError::NotEditable(record.lifecycle.status));
        }
        let place = self.check_place(user, input).await?;
        let saved = place.clone();
        self.edit_exemption(user, id, Step::PLACE, client, move |draft, documents| {
            own_scan(&saved, documents)?;
            draft.place = Some(saved.clone());
            Ok(())
        })
        .await?;
        Ok(place)
    }

    /// Starts a work-permit-exemption draft from a confirmed place of application (the wizard's
    /// first page, before a category is chosen).
    pub async fn start_with_place(
        &self,
        user: &User,
        input: &PlaceInput,
        client: &ClientInfo,
    ) -> Result<ApplicationRecord, ApplicationError> {
        let place = self.check_place(user, input).await?;
        let record = self
            .create(user, Kind::WorkPermitExemption, None, None, client)
            .await?;
        self.edit_exemption(
            user,
            record.id,
            Step::PLACE,
            client,
            move |draft, documents| {
                own_scan(&place, documents)?;
                draft.place = Some(place.clone());
                Ok(())
            },
        )
        .await?;
        self.get(user, record.id).await
    }

    /// Checks a place of application against the registries without saving it.
    pub async fn check_place(
        &self,
        user: &User,
        input: &PlaceInput,
    ) -> Result<PlaceRecord, ApplicationError> {
        let fields = check_place(input, &self.app.reference).map_err(ApplicationError::Invalid)?;
        let inquiry = self.residence_right(user).await?;
        let today = self.today();
        let has_right = inquiry.right.is_some();
        let mut record = PlaceRecord {
            place: fields.place,
            residence_right: has_right,
            passport_number: None,
            passport_country: None,
            reference_number: None,
            checked_on: Some(today),
            entered_on: None,
            birth_year: None,
            previous_passport: None,
        };
        match fields.place {
            Place::Domestic if has_right => {}
            Place::Domestic => {
                // Only the applicant's own passport (or a previous one they declare) and
                // their own birth year: an entry never answers for someone else.
                let profile = self.app.store.profile(user.id).await?;
                let query = entry_query(&fields, &profile).map_err(ApplicationError::Invalid)?;
                if let Some(scan) = query
                    .previous_passport
                    .as_ref()
                    .and_then(|p| p.scan_document_id)
                    && self.app.store.document(user.id, scan).await?.is_none()
                {
                    return Err(invalid(
                        "previous_passport.scan_document_id",
                        "document-not-found",
                    ));
                }
                let Some(entered_on) = self
                    .app
                    .registries
                    .in_turkiye_since(
                        &query.passport_number,
                        &query.passport_country,
                        query.birth_year,
                        today,
                    )
                    .await?
                else {
                    return Err(ApplicationError::Invalid(vec![
                        Violation::new(query.field(), "passport-not-in-turkiye")
                            .arg("passport", query.passport_number.as_str())
                            .arg("country", query.passport_country.as_str())
                            .arg("year", query.birth_year.to_string()),
                    ]));
                };
                let rule = &self.app.catalog.domestic_application;
                if let Some(last_day) = rule.last_day_to_apply(entered_on)
                    && today > last_day
                {
                    let mut violation = Violation::new("place", "entry-deadline-passed");
                    for (name, value) in entry_deadline_args(rule, entered_on, last_day) {
                        violation = violation.arg(name, value);
                    }
                    return Err(ApplicationError::Invalid(vec![violation]));
                }
                record.passport_number = Some(query.passport_number);
                record.passport_country = Some(query.passport_country);
                record.entered_on = Some(entered_on);
                record.birth_year = Some(query.birth_year);
                record.previous_passport = query.previous_passport;
            }
            Place::Abroad if has_right => {
                return Err(invalid("place", "place-abroad-with-residence-right"));
            }
            Place::Abroad => {
                let Some(reference) = fields.reference_number else {
                    return Err(invalid("reference_number", "text-empty"));
                };
                let Some(found) = self.app.registries.consulate_reference(&reference).await? else {
                    return Err(invalid("reference_number", "reference-number-unknown"));
                };
                let profile = self.app.store.profile(user.id).await?;
                let (Some(passport), Some(born)) = (
                    profile.passport.passport_number.as_ref(),
                    profile.personal.date_of_birth,
                ) else {
                    return Err(invalid(
                        "reference_number",
                        "reference-number-needs-profile",
                    ));
                };
                if &found.passport_number != passport || found.birth_year != born.year() {
                    return Err(invalid("reference_number", "reference-number-mismatch"));
                }
                record.reference_number = Some(reference);
            }
        }
        Ok(record)
    }

    /// Step 3: the sector's category. Documents of slots the new category does not have are
    /// no longer part of the application (they stay in Documents).
    pub async fn save_category(
        &self,
        user: &User,
        id: Uuid,
        category: &str,
        client: &ClientInfo,
    ) -> Result<Draft, ApplicationError> {
        let catalog = self.app.catalog.clone();
        let Some((_, chosen)) = catalog.category(category.trim()) else {
            return Err(invalid("category", "category-unknown"));
        };
        let chosen = chosen.clone();
        self.edit_exemption(user, id, Step::CATEGORY, client, move |draft, _| {
            if draft.category != chosen.code {
                draft.category = chosen.code.clone();
                draft
                    .documents
                    .retain(|slot, _| chosen.slot(slot).is_some());
            }
            Ok(())
        })
        .await
    }

    /// Step 4: the explicit consent to the KVKK text, with the version of the text.
    pub async fn save_consent(
        &self,
        user: &User,
        id: Uuid,
        consent: bool,
        client: &ClientInfo,
    ) -> Result<Draft, ApplicationError> {
        if !consent {
            return Err(invalid("kvkk_explicit_consent", "consent-required"));
        }
        let given = Consent {
            version: self.app.texts.content_version(KVKK_PAGES),
            given_at: self.app.clock.now(),
        };
        self.edit_exemption(user, id, Step::CONSENT, client, move |draft, _| {
            if draft
                .consent
                .as_ref()
                .is_none_or(|c| c.version != given.version)
            {
                draft.consent = Some(given.clone());
            }
            Ok(())
        })
        .await
    }

    /// Step 5, "Workplace and Employer Information": shapes and dates, then the address code
    /// and the SGK number looked up (their address and workplace name kept), and the contract
    /// must be one of the user's documents.
    pub async fn save_employment(
        &self,
        user: &User,
        id: Uuid,
        input: &EmploymentInput,
        client: &ClientInfo,
    ) -> Result<Draft, ApplicationError> {
        let (_, draft) = self.exemption_draft(user, id).await?;
        let Some((_, category)) = self.app.catalog.category(&draft.category) else {
            return Err(invalid("category", "category-unknown"));
        };
        let mut employment = check_employment(
            input,
            category,
            &self.app.catalog,
            &self.app.reference,
            self.today(),
        )
        .map_err(ApplicationError::Invalid)?;
        let mut violations = Vec::new();
        if let Some(code) = &employment.residential_code {
            match self.app.registries.address(code).await? {
                Some(address) => employment.residential_address = Some(address.text),
                None => violations.push(Violation::new("residential_code", "address-code-unknown")),
            }
        }
        if let Some(sgk) = &employment.sgk_number {
            match self.app.registries.workplace(sgk).await? {
                Some(workplace) => {
                    employment.workplace_name = Some(workplace.name);
                    employment.workplace_province = Some(workplace.province);
                }
                None => violations.push(Violation::new("sgk_number", "sgk-number-unknown")),
            }
        }
        if let Some(document) = employment.employment_contract_document_id
            && self.app.store.document(user.id, document).await?.is_none()
        {
            violations.push(Violation::new(
                "employment_contract_document_id",
                "document-not-found",
            ));
        }
        if !violations.is_empty() {
            return Err(ApplicationError::Invalid(violations));
        }
        self.edit_exemption(
            user,
            id,
            Step::EMPLOYMENT,
            client,
            move |draft, documents| {
                if let Some(contract) = employment.employment_contract_document_id
                    && !documents.contains_key(&contract)
                {
                    return Err(invalid(
                        "employment_contract_document_id",
                        "document-not-found",
                    ));
                }
                draft.employment = employment.clone();
                Ok(())
            },
        )
        .await
    }

    /// Step 7, "Additional Documents": the "Other Information" text and the extra documents.
    pub async fn save_additional(
        &self,
        user: &User,
        id: Uuid,
        input: &AdditionalInput,
        client: &ClientInfo,
    ) -> Result<Draft, ApplicationError> {
        let mut violations = Vec::new();
        let text = input
            .other_information
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let other_information = match text.map(|t| FreeText::parse(t, 1, OTHER_INFORMATION_MAX)) {
            None => None,
            Some(Ok(text)) => Some(text),
            Some(Err(e)) => {
                violations.push(e.violation("other_information", 1, OTHER_INFORMATION_MAX));
                None
            }
        };
        let mut ids = Vec::new();
        for raw in &input.document_ids {
            match Uuid::parse_str(raw.trim()) {
                Ok(id) if !ids.contains(&id) => ids.push(id),
                Ok(_) => {}
                Err(_) => violations.push(Violation::new("document_ids", "document-invalid")),
            }
        }
        if ids.len() > ADDITIONAL_DOCUMENTS_MAX {
            violations.push(
                Violation::new("document_ids", "too-many-documents")
                    .arg("max", ADDITIONAL_DOCUMENTS_MAX.to_string()),
            );
        }
        if !violations.is_empty() {
            return Err(ApplicationError::Invalid(violations));
        }
        self.edit_exemption(
            user,
            id,
            Step::ADDITIONAL,
            client,
            move |draft, documents| {
                if ids.iter().any(|id| !documents.contains_key(id)) {
                    return Err(invalid("document_ids", "document-not-found"));
                }
                draft.other_information = other_information.clone();
                draft.additional_document_ids = ids.clone();
                Ok(())
            },
        )
        .await
    }

    /// "Add Other Document" with a new file.
    pub async fn upload_additional<S, E>(
        &self,
        user: &User,
        id: Uuid,
        file_name: &str,
        source: S,
        client: &ClientInfo,
    ) -> Result<(Draft, Document), ApplicationError>
    where
        S: Stream<Item = Result<Bytes, E>> + Send,
        E: std::fmt::Display,
    {
        let (record, draft) = self.exemption_draft(user, id).await?;
        editable(record.lifecycle.status)?;
        if draft.additional_document_ids.len() >= ADDITIONAL_DOCUMENTS_MAX {
            return Err(ApplicationError::Invalid(vec![
                Violation::new("file", "too-many-documents")
                    .arg("max", ADDITIONAL_DOCUMENTS_MAX.to_string()),
            ]));
        }
        let document = self
            .app
            .documents()
            .upload(user, DocumentKind::Other, file_name, source, client)
            .await?;
        let added = document.id;
        let result = self
            .edit_exemption(user, id, Step::ADDITIONAL, client, move |draft, _| {
                if draft.additional_document_ids.len() >= ADDITIONAL_DOCUMENTS_MAX {
                    return Err(invalid("file", "too-many-documents"));
                }
                if !draft.additional_document_ids.contains(&added) {
                    draft.additional_document_ids.push(added);
                }
                Ok(())
            })
            .await;
        match result {
            Ok(draft) => Ok((draft, document)),
            Err(e) => {
                let _ = self.app.documents().delete(user, document.id, client).await;
                Err(e)
            }
        }
    }
}

fn editable(status: Status) -> Result<(), ApplicationError> {
    match status {
        Status::Draft | Status::Revision => Ok(()),
        other => Err(ApplicationError::NotEditable(other)),
    }
}
