//! One application as an officer evaluates it: the frozen versions, the history, the internal
//! notes, the applicant's other applications at the same authority, what a revision may reopen
//! and what an approval would cost. Opening it and viewing one of its documents are reads of
//! personal data, each audited with who, what and when.

use super::{BackOffice, BackOfficeError};
use crate::applications::ApplicationError;
use bytes::Bytes;
use futures_util::Stream;
use izin_adapters::files::FileError;
use izin_domain::application::snapshot::Snapshot;
use izin_domain::application::{ApplicationKind, KindData, Step};
use izin_domain::audit::ClientInfo;
use izin_domain::money::Amount;
use izin_domain::officer::{OfficerAction, Role};
use izin_domain::profile::Section;
use izin_domain::records::{
    ApplicationEventRecord, ApplicationRecord, ApplicationVersion, Document, Officer,
};
use izin_domain::reference::Labels;
use izin_store::{NoteRecord, QueueItem};
use uuid::Uuid;

/// Something a revision request can reopen: a wizard step, a document slot or a User
/// Information section, named `step:…`, `slot:…` or `profile:…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reopenable {
    pub name: String,
    /// The message id of its label (`step-…`, `slot-…`, `profile-section-…`), or the catalogue's
    /// labels for a slot that has them.
    pub label: ReopenLabel,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReopenLabel {
    Message(String),
    Labels(Labels),
}

/// What an officer sees of one application.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub record: ApplicationRecord,
    pub title: Labels,
    /// The submitted versions, oldest first.
    pub versions: Vec<ApplicationVersion>,
    pub history: Vec<ApplicationEventRecord>,
    pub notes: Vec<NoteRecord>,
    /// The applicant's other submitted applications at this authority.
    pub others: Vec<QueueItem>,
    /// The address of the officer holding it.
    pub holder: Option<String>,
    /// The address of the officer whose approval waits for a second officer.
    pub proposed_by: Option<String>,
    pub reopenable: Vec<Reopenable>,
    /// The amounts an approval today would set (`None` when a review decides them).
    pub amounts: Option<Vec<Amount>>,
    /// The choices of a fee review (empty when the fees follow from the data).
    pub review_outcomes: &'static [&'static str],
    /// Whether an approval needs a second officer.
    pub second_approval: bool,
    /// What the signed-in officer may do now.
    pub may: Permissions,
    /// The documents the submitted versions hold (their metadata).
    pub documents: Vec<Document>,
    /// The applicant's account address.
    pub applicant_email: Option<String>,
    /// The registry answers the application rests on, as at submission (each can be asked
    /// again: [`BackOffice::recheck`]).
    pub registry_facts: Vec<izin_domain::application::RegistryFact>,
}

/// The actions open to the signed-in officer on this application now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Permissions {
    pub take: bool,
    pub release: bool,
    pub reassign: bool,
    /// Request a revision, reject, approve (as the holder).
    pub decide: bool,
    /// Confirm or send back another officer's approval.
    pub confirm: bool,
    /// Cancel an active exemption.
    pub cancel: bool,
    pub note: bool,
}

impl BackOffice<'_> {
    /// The application as the officer evaluates it; the read is audited.
    pub async fn evaluation(
        &self,
        officer: &Officer,
        id: Uuid,
        client: &ClientInfo,
    ) -> Result<Evaluation, BackOfficeError> {
        let record = self
            .application_for(officer, id, OfficerAction::Read)
            .await?;
        let store = &self.app.store;
        let (versions, history, notes, others, officers) = tokio::try_join!(
            store.application_versions(id),
            store.application_history(id),
            store.notes(id),
            store.other_applications(officer.authority, record.user_id, id),
            store.officers(Some(officer.authority)),
        )?;
        self.record_read(
            officer,
            format!("application:{id}"),
            "application",
            None,
            client,
        )
        .await?;
        let email_of = |id: Uuid| {
            officers
                .iter()
                .find(|o| o.id == id)
                .map_or_else(|| id.to_string(), |o| o.email.clone())
        };
        let applications = self.app.applications();
        let kind = applications.kind(record.kind);
        let data = kind
            .read(&record.data)
            .map_err(|e| BackOfficeError::Application(ApplicationError::Data(e)))?;
        let year = izin_domain::calendar::today_in_turkiye(self.app.clock.now()).year();
        let amounts = (!data.fees_decided_after_review()).then(|| {
            data.fees(year)
                .map(|fees| fees.amounts(&self.app.catalog.fees))
                .unwrap_or_default()
        });
        let category = record.columns.category.as_deref();
        let reopenable = reopenable(kind.as_ref(), data.as_ref(), category);
        let status = record.lifecycle.status;
        let holds = record.assigned_to == Some(officer.id);
        let open = matches!(
            status,
            izin_domain::application::Status::Submitted
                | izin_domain::application::Status::UnderEvaluation
                | izin_domain::application::Status::Revision
        );
        let has = |role| officer.roles.has(role);
        let may = Permissions {
            take: open && record.assigned_to.is_none() && has(Role::Evaluator),
            release: record.assigned_to.is_some() && open && (holds || has(Role::Approver)),
            reassign: open
                && status != izin_domain::application::Status::Submitted
                && has(Role::Approver),
            decide: holds
                && status == izin_domain::application::Status::UnderEvaluation
                && record.proposal.is_none()
                && has(Role::Evaluator),
            confirm: record
                .proposal
                .as_ref()
                .is_some_and(|p| p.proposed_by != officer.id)
                && has(Role::Approver),
            cancel: record.lifecycle.exemption
                == Some(izin_domain::application::ExemptionStatus::Active)
                && has(Role::Evaluator),
            note: has(Role::Evaluator) || has(Role::Approver),
        };
        // One read of the applicant's documents, instead of one per frozen citation.
        let mut owned: std::collections::HashMap<Uuid, Document> = store
            .documents(record.user_id)
            .await?
            .into_iter()
            .map(|listing| (listing.document.id, listing.document))
            .collect();
        let documents: Vec<Document> = versions
            .iter()
            .filter_map(|version| Snapshot::read(&version.snapshot).ok())
            .flat_map(|snapshot| frozen_documents(&snapshot))
            .filter_map(|document_id| owned.remove(&document_id))
            .collect();
        let applicant_email = store.user(record.user_id).await?.map(|u| u.email);
        let registry_facts = super::registry_checks::facts_of(kind.as_ref(), &versions);
        Ok(Evaluation {
            registry_facts,
            applicant_email,
            documents,
            title: applications.describe(&record),
            holder: record.assigned_to.map(email_of),
            proposed_by: record.proposal.as_ref().map(|p| email_of(p.proposed_by)),
            second_approval: kind.second_approval(category),
            review_outcomes: data.review_outcomes(),
            amounts,
            reopenable,
            versions,
            history,
            notes,
            others,
            may,
            record,
        })
    }

    /// A document of the application (one its submitted versions cite, or a photo or scan of
    /// the profile they froze), for an officer of its authority; the read is audited.
    pub async fn document(
        &self,
        officer: &Officer,
        id: Uuid,
        document_id: Uuid,
        client: &ClientInfo,
    ) -> Result<
        (
            Document,
            impl Stream<Item = Result<Bytes, FileError>> + Send + use<>,
        ),
        BackOfficeError,
    > {
        let record = self
            .application_for(officer, id, OfficerAction::Read)
            .await?;
        let versions = self.app.store.application_versions(id).await?;
        let cited = versions
            .iter()
            .filter_map(|v| Snapshot::read(&v.snapshot).ok())
            .any(|snapshot| frozen_documents(&snapshot).contains(&document_id));
        if !cited {
            return Err(BackOfficeError::NotFound);
        }
        let document = self
            .app
            .store
            .document(record.user_id, document_id)
            .await?
            .ok_or(BackOfficeError::NotFound)?;
        self.record_read(
            officer,
            format!("application:{id}"),
            "document",
            Some(("document", document_id.to_string())),
            client,
        )
        .await?;
        let stream = self
            .app
            .files
            .get_stream(&document.storage_key)
            .await
            .map_err(|e| BackOfficeError::Files(e.to_string()))?;
        Ok((document, stream))
    }
}

/// What a revision of an application of `kind` with `data` may reopen: the steps the kind lets
/// change in a revision, the document slots the application has, the User Information sections.
pub(crate) fn reopenable(
    kind: &dyn ApplicationKind,
    data: &dyn KindData,
    category: Option<&str>,
) -> Vec<Reopenable> {
    let wizard = kind.wizard();
    let mut reopenable: Vec<Reopenable> = wizard
        .reopened_in_revision
        .iter()
        .filter(|step| **step != Step::PREVIEW)
        .map(|step| Reopenable {
            name: format!("step:{}", step.code()),
            label: ReopenLabel::Message(step_label(wizard, *step)),
        })
        .collect();
    reopenable.extend(data.slot_codes().into_iter().map(|slot| Reopenable {
        label: kind.slot_label(category, &slot).map_or_else(
            || ReopenLabel::Message(format!("slot-{slot}")),
            ReopenLabel::Labels,
        ),
        name: format!("slot:{slot}"),
    }));
    reopenable.extend(Section::ALL.into_iter().map(|section| Reopenable {
        name: format!("profile:{}", section.code()),
        label: ReopenLabel::Message(format!("profile-section-{}", section.code())),
    }));
    reopenable
}

/// Every document a frozen version holds: those it cites and the profile's photo and scans.
pub fn frozen_documents(snapshot: &Snapshot) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = snapshot.documents.iter().map(|d| d.id).collect();
    ids.extend(snapshot.profile.personal.photo_document_id);
    ids.extend(snapshot.profile.passport.scan_document_id);
    ids
}

/// The message id naming `step` in the wizard's steps bar.
fn step_label(wizard: &izin_domain::application::Wizard, step: Step) -> String {
    wizard
        .pages
        .iter()
        .rev()
        .find(|(s, _)| *s == step)
        .map_or_else(
            || format!("step-{}", step.code()),
            |(_, id)| (*id).to_owned(),
        )
}
