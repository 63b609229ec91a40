//! Applications, whatever their kind: creating drafts, saving them without ever losing an edit,
//! "Create My Application", My Applications with each application's history, revisions,
//! cancellation requests, and the moves officers and the portal make.
//!
//! The kind-specific steps of the work-permit exemption's wizard are in [`exemption`]; a new kind
//! (a residence permit) brings its own steps and an [`ApplicationKind`] and reuses all of this.

pub mod exemption;
mod new_card;
mod slots;

use crate::App;
use crate::documents::UploadError;
use crate::registries::RegistryError;
use izin_domain::Language;
use izin_domain::application::snapshot::SNAPSHOT_FORMAT;
use izin_domain::application::work_permit_exemption::{FeeAssessment, WorkPermitExemption};
use izin_domain::application::{
    ApplicationKind, Event, FrozenDocument, IdempotencyKey, Kind, KindData, Lifecycle,
    NewDraftError, Parent, ParentRefused, RuleFailure, Snapshot, SnapshotError, Status, Step,
    SubmissionContext, Title, TransitionError,
};
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::back_office::QueueColumns;
use izin_domain::calendar::today_in_turkiye;
use izin_domain::profile::{Profile, Violation};
use izin_store::{
    ApplicationColumns, ApplicationEdit, ApplicationEventRecord, ApplicationRecord,
    ApplicationSummary, ApplicationVersion, DeleteDraftOutcome, Document, EditOutcome,
    MailForNumber, NewApplication, NewAuditEntry, PendingApplication, Resubmission, Submission,
    SubmitOutcome, Transition, TransitionOutcome, User,
};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use uuid::Uuid;

/// How often a save or a submission is retried when another request changed the application
/// in between (each retry re-reads and re-checks).
const STALE_RETRIES: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum ApplicationError {
    /// Not there, or not this user's: the same answer, so nobody learns which.
    #[error("no such application")]
    NotFound,
    #[error("unknown application kind or category")]
    UnknownCategory,
    /// This kind is about another application and none was named, or it stands on its own and
    /// one was.
    #[error("the parent application is missing or not expected")]
    ParentMismatch,
    /// The application it would be about does not allow it now (the kind's rule).
    #[error("refused because of the parent application: {0}")]
    ParentRefused(ParentRefused),
    /// The document asked to be taken out is not part of the application.
    #[error("the document is not part of the application")]
    DocumentNotAttached,
    /// A step's values are wrong; each violation names its field.
    #[error("{} invalid field(s)", .0.len())]
    Invalid(Vec<Violation>),
    /// The application is past the point where this can change.
    #[error("the application is {0:?} and cannot be changed this way")]
    NotEditable(Status),
    /// "Create My Application" (or a resubmission) refused, with every failed rule.
    #[error("{} rule(s) not met", .0.len())]
    Rules(Vec<RuleFailure>),
    #[error("this Idempotency-Key was used for another application")]
    KeyReused,
    /// Another application that blocks this kind is pending (the kind's rule).
    #[error("another application is pending")]
    OtherPending { number: Option<String> },
    /// Other requests kept changing the application; the caller may try again.
    #[error("the application was changed by another request")]
    Conflict,
    #[error("transition refused: {0}")]
    Transition(TransitionError),
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Upload(#[from] UploadError),
    #[error(transparent)]
    Store(#[from] crate::StorageFailure),
    #[error("stored application data is unreadable: {0}")]
    Data(#[from] serde_json::Error),
    /// The catalogue names no payment terms for a kind with a price (a deployment error).
    #[error("no payment terms for this kind")]
    NoPaymentTerms,
}

crate::failure::storage_failure_converts!(ApplicationError);

impl From<crate::payments::PaymentError> for ApplicationError {
    fn from(error: crate::payments::PaymentError) -> Self {
        use crate::payments::PaymentError;
        match error {
            PaymentError::NotFound => ApplicationError::NotFound,
            PaymentError::NoTerms(_) => ApplicationError::NoPaymentTerms,
            PaymentError::Registry(e) => ApplicationError::Registry(e),
            PaymentError::Store(e) => ApplicationError::Store(e),
        }
    }
}

/// An application with everything the Detail page and the API show.
#[derive(Debug, Clone)]
pub struct ApplicationDetail {
    pub record: ApplicationRecord,
    pub history: Vec<ApplicationEventRecord>,
    pub versions: Vec<ApplicationVersion>,
    /// The owner's documents the application uses (frozen ones included), by id.
    pub documents: HashMap<Uuid, Document>,
    pub fees: Option<FeeAssessment>,
    /// The kinds of application that could be started about this one now.
    pub offers: Vec<Kind>,
    /// What is due and how to pay it, once an approval (or the kind, at submission) made a
    /// payment due.
    pub payment: Option<izin_domain::payment::PaymentNotice>,
    /// The Proof Documents its approval issued, oldest first.
    pub proof_documents: Vec<crate::proof::HolderDocument>,
    /// Its cards in the post, newest first.
    pub shipments: Vec<izin_store::ShipmentRecord>,
}

impl ApplicationDetail {
    /// What was last submitted (`None` for a draft).
    pub fn submitted(&self) -> Option<&ApplicationVersion> {
        self.versions.last()
    }

    /// What was last submitted, read as the frozen record it is (`None` for a draft).
    pub fn submitted_snapshot(&self) -> Option<Result<Snapshot, SnapshotError>> {
        self.submitted()
            .map(|version| Snapshot::read(&version.snapshot))
    }
}

/// What "Show Application Preview" shows, and what "Create My Application" would refuse.
#[derive(Debug, Clone)]
pub struct Preview {
    pub record: ApplicationRecord,
    pub profile: Profile,
    pub documents: HashMap<Uuid, Document>,
    pub failures: Vec<RuleFailure>,
    pub fees: Option<FeeAssessment>,
    /// The fees are decided by an officer's review, not known now.
    pub fees_decided_after_review: bool,
    /// The identity compared with the migration authority's record, for kinds that show it.
    pub identity_comparison: Option<izin_domain::identity::Comparison>,
    /// The documents the application cites, as its kind reads them.
    pub cited_documents: Vec<Uuid>,
    /// The columns stored beside the data.
    pub columns: ApplicationColumns,
}

pub struct ApplicationService<'a> {
    pub(crate) app: &'a App,
}

impl ApplicationService<'_> {
    pub(crate) fn today(&self) -> time::Date {
        today_in_turkiye(self.app.clock.now())
    }

    /// The rules and fees of a kind.
    pub fn kind(&self, kind: Kind) -> Arc<dyn ApplicationKind> {
        match kind {
            Kind::WorkPermitExemption => Arc::new(WorkPermitExemption {
                catalog: self.app.catalog.clone(),
            }),
            Kind::NewCard => Arc::new(izin_domain::application::new_card::NewCard {
                catalog: self.app.catalog.clone(),
            }),
        }
    }

    fn audit(
        &self,
        user: &User,
        action: AuditAction,
        id: Uuid,
        client: &ClientInfo,
    ) -> NewAuditEntry {
        NewAuditEntry::new(self.app.clock.now(), Actor::User(user.id), action, client)
            .subject(format!("application:{id}"))
    }

    /// The user's pending application that stops a new one of `kind`, if any (the kind's rule
    /// of which pending applications block it).
    pub async fn blocking_application(
        &self,
        user: &User,
        kind: Kind,
        parent: Option<Uuid>,
    ) -> Result<Option<PendingApplication>, crate::StorageFailure> {
        let facts = self
            .app
            .store
            .submission_facts(user.id, Uuid::nil())
            .await?;
        Ok(facts
            .pending_blocking(&self.kind(kind).blocking(), parent)
            .cloned())
    }

    /// The user's application `id` with its last submitted version, as a parent of another.
    pub async fn parent_of(
        &self,
        user: &User,
        id: Uuid,
    ) -> Result<(ApplicationRecord, Option<Snapshot>), ApplicationError> {
        let record = self.get(user, id).await?;
        let snapshot = self
            .app
            .store
            .application_versions(id)
            .await?
            .last()
            .map(Self::frozen)
            .transpose()?;
        Ok((record, snapshot))
    }

    fn frozen(version: &ApplicationVersion) -> Result<Snapshot, ApplicationError> {
        Snapshot::read(&version.snapshot).map_err(|e| match e {
            SnapshotError::Shape(e) => ApplicationError::Data(e),
            SnapshotError::UnknownFormat(_) => ApplicationError::Data(serde::de::Error::custom(e)),
        })
    }

    /// Checks that an application of `kind` may be made about the user's application
    /// `parent_id` now: it exists and is the user's (else [`ApplicationError::NotFound`]), is of
    /// the kind's parent kind, and the kind's own rule allows it.
    async fn checked_parent(
        &self,
        user: &User,
        kind: &dyn ApplicationKind,
        parent_id: Uuid,
    ) -> Result<(ApplicationRecord, Option<Snapshot>), ApplicationError> {
        let (record, snapshot) = self.parent_of(user, parent_id).await?;
        if Some(record.kind) != kind.parent_kind() {
            return Err(ApplicationError::NotFound);
        }
        kind.check_parent(&Self::parent_view(&record, snapshot.as_ref()))
            .map_err(ApplicationError::ParentRefused)?;
        Ok((record, snapshot))
    }

    fn parent_view<'r>(
        record: &'r ApplicationRecord,
        snapshot: Option<&'r Snapshot>,
    ) -> Parent<'r> {
        Parent {
            id: record.id,
            kind: record.kind,
            lifecycle: record.lifecycle,
            data: &record.data,
            snapshot,
        }
    }

    /// For each of `summaries`, the kinds of application that could be started about it now
    /// (a new card for an active exemption that came with one, unless one is pending): what My
    /// Applications offers under Actions.
    pub async fn offers(
        &self,
        user: &User,
        summaries: &[ApplicationSummary],
    ) -> Result<HashMap<Uuid, Vec<Kind>>, ApplicationError> {
        let mut offers: HashMap<Uuid, Vec<Kind>> = HashMap::new();
        let about: Vec<(Kind, Arc<dyn ApplicationKind>)> = Kind::ALL
            .into_iter()
            .map(|k| (k, self.kind(k)))
            .filter(|(_, rules)| rules.parent_kind().is_some())
            .collect();
        if about.is_empty() {
            return Ok(offers);
        }
        let candidates_for = |kind: Kind, lifecycle: Lifecycle| {
            about.iter().filter(move |(_, rules)| {
                rules.parent_kind() == Some(kind) && rules.parent_lifecycle_allows(lifecycle)
            })
        };
        let possible_parents: Vec<Uuid> = summaries
            .iter()
            .filter(|s| s.lifecycle.status != Status::Draft)
            .filter(|s| candidates_for(s.kind, s.lifecycle).next().is_some())
            .map(|s| s.id)
            .collect();
        if possible_parents.is_empty() {
            return Ok(offers);
        }
        let (facts, parents) = tokio::try_join!(
            self.app.store.submission_facts(user.id, Uuid::nil()),
            self.app.store.applications_among(user.id, possible_parents),
        )?;
        for record in parents {
            // A submitted application's data is what its last version froze (it cannot change
            // after), so the offer is weighed on it without reading the frozen versions.
            let parent = Self::parent_view(&record, None);
            for (kind, rules) in candidates_for(record.kind, record.lifecycle) {
                if rules.check_parent(&parent).is_ok()
                    && facts
                        .pending_blocking(&rules.blocking(), Some(record.id))
                        .is_none()
                {
                    offers.entry(record.id).or_default().push(*kind);
                }
            }
        }
        Ok(offers)
    }

    /// Starts a draft of `kind` in `category` (about the user's application `parent`, for kinds
    /// that are about another); refused while an application that blocks it is pending, so
    /// nobody fills in a whole wizard they cannot submit.
    pub async fn create(
        &self,
        user: &User,
        kind: Kind,
        category: Option<&str>,
        parent: Option<Uuid>,
        client: &ClientInfo,
    ) -> Result<ApplicationRecord, ApplicationError> {
        let rules = self.kind(kind);
        let parent_record = match (rules.parent_kind(), parent) {
            (None, None) => None,
            (Some(_), Some(parent_id)) => {
                Some(self.checked_parent(user, rules.as_ref(), parent_id).await?)
            }
            _ => return Err(ApplicationError::ParentMismatch),
        };
        if let Some(pending) = self.blocking_application(user, kind, parent).await? {
            return Err(ApplicationError::OtherPending {
                number: pending.number,
            });
        }
        let parent_view = parent_record
            .as_ref()
            .map(|(record, snapshot)| Self::parent_view(record, snapshot.as_ref()));
        let data = rules
            .new_draft(category, parent_view.as_ref())
            .map_err(|e| match e {
                NewDraftError::UnknownCategory => ApplicationError::UnknownCategory,
                NewDraftError::Data(e) => ApplicationError::Data(e),
            })?;
        let id = Uuid::now_v7();
        let columns = Self::columns(self.kind(kind).read(&data)?.as_ref());
        self.app
            .store
            .create_application(NewApplication {
                id,
                user_id: user.id,
                kind,
                parent,
                data,
                columns,
                now: self.app.clock.now(),
                audit: self
                    .audit(user, AuditAction::ApplicationCreated, id, client)
                    .detail("kind", kind.code())
                    .detail("category", category.unwrap_or_default()),
            })
            .await?;
        metrics::counter!("izin_applications_created_total", "kind" => kind.code()).increment(1);
        self.get(user, id).await
    }

    /// My Applications: drafts and submitted applications, newest first.
    pub async fn list(
        &self,
        user: &User,
    ) -> Result<Vec<ApplicationSummary>, crate::StorageFailure> {
        Ok(self.app.store.applications(user.id).await?)
    }

    /// One of the user's applications.
    pub async fn get(&self, user: &User, id: Uuid) -> Result<ApplicationRecord, ApplicationError> {
        self.app
            .store
            .application(Some(user.id), id)
            .await?
            .ok_or(ApplicationError::NotFound)
    }

    /// The Detail page: the application, what was submitted, its documents and its history.
    pub async fn detail(
        &self,
        user: &User,
        id: Uuid,
    ) -> Result<ApplicationDetail, ApplicationError> {
        let record = self.get(user, id).await?;
        let (history, versions, documents, payment, issued, shipments) = tokio::try_join!(
            self.app.store.application_history(id),
            self.app.store.application_versions(id),
            self.app.store.documents(user.id),
            self.app.store.payment_notice(record.id),
            self.app.store.proof_documents_of(record.id),
            self.app.store.shipments_of_application(record.id),
        )?;
        let today = self.today();
        let proof_documents = issued
            .into_iter()
            .map(|record| crate::proof::holder_document(record, today))
            .collect();
        let kind = self.kind(record.kind);
        let data = kind.read(&record.data)?;
        let cited: HashSet<Uuid> = data.cited_documents().into_iter().collect();
        let documents = documents
            .into_iter()
            .filter(|listing| {
                cited.contains(&listing.document.id)
                    || listing.citations.iter().any(|c| c.application_id == id)
            })
            .map(|listing| (listing.document.id, listing.document))
            .collect();
        let fees = data.fees(self.today().year());
        let offers = self
            .offers(user, &[record.summary()])
            .await?
            .remove(&record.id)
            .unwrap_or_default();
        Ok(ApplicationDetail {
            record,
            history,
            versions,
            documents,
            fees,
            offers,
            payment,
            proof_documents,
            shipments,
        })
    }

    /// The user's documents by id.
    pub(crate) async fn documents(
        &self,
        user: &User,
    ) -> Result<HashMap<Uuid, Document>, crate::StorageFailure> {
        Ok(self
            .app
            .store
            .documents(user.id)
            .await?
            .into_iter()
            .map(|listing| (listing.document.id, listing.document))
            .collect())
    }

    /// The columns copied out of the data so lists and rules need not parse it.
    fn columns(data: &dyn KindData) -> ApplicationColumns {
        let (start_date, end_date) = data.period();
        ApplicationColumns {
            category: data.category(),
            start_date,
            end_date,
        }
    }

    /// Applies `change` to the application's data and saves it, re-reading and re-applying when
    /// another request saved in between, so no edit overwrites another. References to documents
    /// the user has since deleted are dropped first.
    pub(crate) async fn edit<F>(
        &self,
        user: &User,
        id: Uuid,
        step: Step,
        client: &ClientInfo,
        mut change: F,
    ) -> Result<ApplicationRecord, ApplicationError>
    where
        F: FnMut(&mut serde_json::Value, &HashMap<Uuid, Document>) -> Result<(), ApplicationError>,
    {
        for _ in 0..STALE_RETRIES {
            let record = self.get(user, id).await?;
            let kind = self.kind(record.kind);
            if kind.wizard().parse(step.code()).is_none() {
                // Another kind's step: it does not exist on this application.
                return Err(ApplicationError::NotFound);
            }
            if !kind.step_editable(step, &record) {
                return Err(ApplicationError::NotEditable(record.lifecycle.status));
            }
            let documents = self.documents(user).await?;
            let mut current = kind.read(&record.data)?;
            current.forget_documents(&|id| documents.contains_key(&id));
            let mut data = current.to_stored()?;
            change(&mut data, &documents)?;
            let changed = kind.read(&data)?;
            let cited = changed.cited_documents();
            let columns = Self::columns(changed.as_ref());
            let outcome = self
                .app
                .store
                .save_application(ApplicationEdit {
                    owner: user.id,
                    id,
                    expected_edits: record.edits,
                    columns,
                    data,
                    documents: cited,
                    now: self.app.clock.now(),
                    audit: self
                        .audit(user, AuditAction::ApplicationSaved, id, client)
                        .detail("step", step.code()),
                })
                .await?;
            match outcome {
                EditOutcome::Saved { .. } => return self.get(user, id).await,
                EditOutcome::Stale | EditOutcome::MissingDocuments(_) => continue,
                EditOutcome::NotFound => return Err(ApplicationError::NotFound),
                EditOutcome::NotEditable => {
                    return Err(ApplicationError::NotEditable(
                        self.get(user, id).await?.lifecycle.status,
                    ));
                }
            }
        }
        Err(ApplicationError::Conflict)
    }

    /// Removes a draft. Submitted applications stay for ever.
    pub async fn delete_draft(
        &self,
        user: &User,
        id: Uuid,
        client: &ClientInfo,
    ) -> Result<(), ApplicationError> {
        let audit = self.audit(user, AuditAction::ApplicationDeleted, id, client);
        match self.app.store.delete_draft(user.id, id, audit).await? {
            DeleteDraftOutcome::Deleted => Ok(()),
            DeleteDraftOutcome::NotFound => Err(ApplicationError::NotFound),
            DeleteDraftOutcome::NotDraft => Err(ApplicationError::NotEditable(
                self.get(user, id).await?.lifecycle.status,
            )),
        }
    }

    /// Checks every creation rule on the current data, without submitting.
    pub async fn preview(&self, user: &User, id: Uuid) -> Result<Preview, ApplicationError> {
        // Four independent reads, at once: a submit waits for the slowest, not for their sum.
        let (record, (profile, documents, facts)) = tokio::try_join!(self.get(user, id), async {
            tokio::try_join!(
                async { Ok(self.app.store.profile(user.id).await?) },
                self.documents(user),
                async { Ok(self.app.store.submission_facts(user.id, id).await?) },
            )
            .map_err(ApplicationError::from)
        })?;
        let ids: HashSet<Uuid> = documents.keys().copied().collect();
        let kind = self.kind(record.kind);
        let blocking = facts.pending_blocking(&kind.blocking(), record.parent);
        let pending_number = blocking.and_then(|p| p.number.clone());
        let data = kind.read(&record.data)?;
        let mut failures = data.submission_failures(&SubmissionContext {
            today: self.today(),
            profile: &profile,
            other_pending: blocking.is_some(),
            previous_exemptions: facts.previous_exemptions,
            documents: &ids,
        });
        if record.lifecycle.status == Status::Revision {
            // The application itself is the pending one. The steps a revision does not reopen
            // (the exemption's place of application, with its deadline after entering) were
            // checked when it was created and cannot be changed now, so neither time passing nor
            // a later change of User Information may leave a revision that can never be sent
            // back: only what the applicant can still fix is held against it.
            failures.retain(|f| {
                f.code != "rule-other-application-pending"
                    && (f.step == Step::PROFILE || kind.step_editable(f.step, &record))
            });
        }
        if let Some(parent_id) = record.parent {
            // The application it is about may have changed since the draft was started (an
            // exemption cancelled): checked again, as the kind's rule.
            let (parent, snapshot) = self.parent_of(user, parent_id).await?;
            if let Err(refused) = kind.check_parent(&Self::parent_view(&parent, snapshot.as_ref()))
            {
                failures.push(RuleFailure {
                    code: refused.code,
                    step: Step::MY_APPLICATIONS,
                    field: None,
                    args: Vec::new(),
                });
            }
        }
        for failure in &mut failures {
            if failure.code == "rule-other-application-pending"
                && let Some(number) = &pending_number
            {
                failure.args.push(("number", number.clone()));
            }
        }
        let fees = data.fees(self.today().year());
        let fees_decided_after_review = data.fees_decided_after_review();
        let identity_comparison = data.identity_comparison().cloned();
        let cited_documents = data.cited_documents();
        let columns = Self::columns(data.as_ref());
        Ok(Preview {
            record,
            profile,
            documents,
            failures,
            fees,
            fees_decided_after_review,
            identity_comparison,
            cited_documents,
            columns,
        })
    }

    /// What is frozen at submission: the data, the profile it was checked with, the documents'
    /// fingerprints and the fees as assessed.
    fn snapshot(&self, preview: &Preview) -> Result<serde_json::Value, ApplicationError> {
        let documents = preview
            .cited_documents
            .iter()
            .filter_map(|id| preview.documents.get(id))
            .map(|d| FrozenDocument {
                id: d.id,
                file_name: d.file_name.clone(),
                content_type: d.content_type.mime().to_owned(),
                size: d.size,
                sha256: hex(&d.sha256),
            })
            .collect();
        let snapshot = Snapshot {
            format: SNAPSHOT_FORMAT,
            kind: preview.record.kind,
            catalog_version: self.app.catalog.version.clone(),
            data: preview.record.data.clone(),
            profile: preview.profile.clone(),
            documents,
            fees: preview.fees,
        };
        Ok(serde_json::to_value(&snapshot)?)
    }

    /// The notice a kind whose price is due on submission leaves (`None` for every other kind,
    /// or when nothing is due).
    async fn payment_on_submission(
        &self,
        preview: &Preview,
        client: &ClientInfo,
    ) -> Result<Option<izin_store::NewNotice>, ApplicationError> {
        let kind = self.kind(preview.record.kind);
        let data = kind.read(&preview.record.data)?;
        if !data.payment_due_on_submission() {
            return Ok(None);
        }
        let amounts = preview
            .fees
            .map(|f| f.amounts(&self.app.catalog.fees))
            .unwrap_or_default();
        if amounts.is_empty() {
            return Ok(None);
        }
        Ok(Some(
            self.app
                .payments()
                .notice_for(&preview.record, amounts, None, client)
                .await?,
        ))
    }

    /// "Create My Application": checks every rule and, if all hold, creates the application at
    /// once — number, frozen version, documents, history, confirmation mail, audit. A repeat
    /// with the same key answers the same number.
    pub async fn submit(
        &self,
        user: &User,
        id: Uuid,
        idempotency_key: Option<&IdempotencyKey>,
        client: &ClientInfo,
    ) -> Result<String, ApplicationError> {
        for _ in 0..STALE_RETRIES {
            let preview = self.preview(user, id).await?;
            if preview.record.lifecycle.status != Status::Draft {
                // A repeat of the request that created it gets its answer.
                if let (Some(key), Some(number)) = (idempotency_key, &preview.record.number)
                    && preview.record.idempotency_key.as_deref() == Some(key.as_str())
                {
                    return Ok(number.clone());
                }
                return Err(ApplicationError::NotEditable(
                    preview.record.lifecycle.status,
                ));
            }
            if !preview.failures.is_empty() {
                return Err(ApplicationError::Rules(preview.failures));
            }
            let kind = self.kind(preview.record.kind);
            let now = self.app.clock.now();
            let payment = self.payment_on_submission(&preview, client).await?;
            let mail = {
                let (texts, user, kind) = (
                    self.app.texts.clone(),
                    user.clone(),
                    self.describe(&preview.record),
                );
                MailForNumber::new(move |number| {
                    crate::mails::application_submitted(&texts, &user, &kind, number)
                })
            };
            let outcome = self
                .app
                .store
                .submit_application(Submission {
                    owner: user.id,
                    id,
                    idempotency_key: idempotency_key.map(|k| k.as_str().to_owned()),
                    expected_edits: preview.record.edits,
                    snapshot: self.snapshot(&preview)?,
                    columns: preview.columns.clone(),
                    documents: preview.cited_documents.clone(),
                    queue: Some(QueueColumns::of(kind.authority(), &preview.profile)),
                    year: self.today().year(),
                    blocking: kind.blocking(),
                    now,
                    mail: Some(mail),
                    payment,
                    audit: self
                        .audit(user, AuditAction::ApplicationMoved, id, client)
                        .detail("event", Event::Submit.code()),
                })
                .await?;
            match outcome {
                SubmitOutcome::Submitted { number } => {
                    self.app.mail_queued.notify_one();
                    metrics::counter!("izin_applications_submitted_total", "kind" => preview.record.kind.code())
                        .increment(1);
                    return Ok(number);
                }
                SubmitOutcome::AlreadySubmitted { number } => return Ok(number),
                SubmitOutcome::KeyReused => return Err(ApplicationError::KeyReused),
                SubmitOutcome::NotFound => return Err(ApplicationError::NotFound),
                SubmitOutcome::NotDraft(lifecycle) => {
                    return Err(ApplicationError::NotEditable(lifecycle.status));
                }
                SubmitOutcome::OtherPending { number } => {
                    return Err(ApplicationError::Rules(vec![RuleFailure {
                        code: "rule-other-application-pending",
                        step: izin_domain::application::Step::MY_APPLICATIONS,
                        field: None,
                        args: number.map(|n| ("number", n)).into_iter().collect(),
                    }]));
                }
                // Changed in between (a save, a deleted document): check again.
                SubmitOutcome::Stale | SubmitOutcome::MissingDocuments(_) => continue,
            }
        }
        Err(ApplicationError::Conflict)
    }

    /// "Make a Revision", then send it back: re-checks the rules, freezes a new version and
    /// returns the application to evaluation under the same number.
    pub async fn resubmit(
        &self,
        user: &User,
        id: Uuid,
        client: &ClientInfo,
    ) -> Result<ApplicationRecord, ApplicationError> {
        for _ in 0..STALE_RETRIES {
            let mut preview = self.preview(user, id).await?;
            if let Some(reopened) = preview.record.reopened() {
                // Only the User Information sections the officer reopened are frozen again.
                let previous = self
                    .app
                    .store
                    .application_versions(id)
                    .await?
                    .last()
                    .and_then(|v| Snapshot::read(&v.snapshot).ok());
                if let Some(previous) = previous {
                    preview.profile = izin_domain::back_office::refrozen_profile(
                        &previous.profile,
                        &preview.profile,
                        reopened,
                    );
                }
            }
            if preview.record.lifecycle.status != Status::Revision {
                return Err(ApplicationError::NotEditable(
                    preview.record.lifecycle.status,
                ));
            }
            if !preview.failures.is_empty() {
                return Err(ApplicationError::Rules(preview.failures));
            }
            let resubmission = Resubmission {
                expected_edits: preview.record.edits,
                snapshot: self.snapshot(&preview)?,
                columns: preview.columns.clone(),
                documents: preview.cited_documents.clone(),
                queue: Some(QueueColumns::of(
                    self.kind(preview.record.kind).authority(),
                    &preview.profile,
                )),
            };
            let outcome = self
                .app
                .store
                .transition_application(Transition {
                    id,
                    owner: Some(user.id),
                    event: Event::Resubmit,
                    actor: Actor::User(user.id),
                    reason: None,
                    fees_due: preview.fees.is_some_and(|f| f.is_due()),
                    approval_outcome: self.kind(preview.record.kind).outcome_on_approval(),
                    resubmission: Some(resubmission),
                    officer: None,
                    payment: None,
                    now: self.app.clock.now(),
                    mail: None,
                    audit: self
                        .audit(user, AuditAction::ApplicationMoved, id, client)
                        .detail("event", Event::Resubmit.code()),
                })
                .await?;
            match outcome {
                TransitionOutcome::Moved { .. } => return self.get(user, id).await,
                TransitionOutcome::NotFound | TransitionOutcome::NotHolder { .. } => {
                    return Err(ApplicationError::NotFound);
                }
                TransitionOutcome::Refused(refusal) => {
                    return Err(ApplicationError::Transition(refusal));
                }
                TransitionOutcome::Stale | TransitionOutcome::MissingDocuments(_) => continue,
            }
        }
        Err(ApplicationError::Conflict)
    }

    /// "Exemption Cancellation": the holder's confirmed request, recorded for the officers.
    pub async fn request_cancellation(
        &self,
        user: &User,
        id: Uuid,
        client: &ClientInfo,
    ) -> Result<ApplicationRecord, ApplicationError> {
        let record = self.get(user, id).await?;
        if record.cancellation_requested_at.is_some() {
            // Asked already: the request stands, nothing more to record.
            return Ok(record);
        }
        self.apply(
            Some(user),
            Actor::User(user.id),
            id,
            Event::RequestCancellation,
            None,
            client,
        )
        .await
    }

    /// Any other move, by an officer, the portal or the applicant (withdrawal). Fees due come
    /// from the kind's fee policy; the lifecycle decides whether the move is possible.
    pub async fn apply(
        &self,
        owner: Option<&User>,
        actor: Actor,
        id: Uuid,
        event: Event,
        reason: Option<&str>,
        client: &ClientInfo,
    ) -> Result<ApplicationRecord, ApplicationError> {
        let record = self
            .app
            .store
            .application(owner.map(|u| u.id), id)
            .await?
            .ok_or(ApplicationError::NotFound)?;
        let kind = self.kind(record.kind);
        let fees = kind.read(&record.data)?.fees(self.today().year());
        let now = self.app.clock.now();
        let outcome = self
            .app
            .store
            .transition_application(Transition {
                id,
                owner: owner.map(|u| u.id),
                event,
                actor,
                reason: reason.map(str::to_owned),
                fees_due: fees.is_some_and(|f| f.is_due()),
                approval_outcome: kind.outcome_on_approval(),
                resubmission: None,
                officer: None,
                payment: None,
                now,
                mail: None,
                audit: NewAuditEntry::new(now, actor, AuditAction::ApplicationMoved, client)
                    .subject(format!("application:{id}"))
                    .detail("event", event.code()),
            })
            .await?;
        match outcome {
            TransitionOutcome::Moved { .. } => self
                .app
                .store
                .application(owner.map(|u| u.id), id)
                .await?
                .ok_or(ApplicationError::NotFound),
            // Only officers' moves name a holder; this path has none.
            TransitionOutcome::NotFound | TransitionOutcome::NotHolder { .. } => {
                Err(ApplicationError::NotFound)
            }
            TransitionOutcome::Refused(refusal) => Err(ApplicationError::Transition(refusal)),
            TransitionOutcome::Stale | TransitionOutcome::MissingDocuments(_) => {
                Err(ApplicationError::Conflict)
            }
        }
    }

    /// The application's kind and category, named in both languages (for mail and lists).
    pub fn describe(&self, record: &ApplicationRecord) -> izin_domain::reference::Labels {
        self.title(record.kind, record.columns.category.as_deref())
    }

    /// A kind (with its category, for kinds that have them) named in both languages.
    pub fn title(&self, kind: Kind, category: Option<&str>) -> izin_domain::reference::Labels {
        match self.kind(kind).title(category) {
            Title::Labels(labels) => labels,
            Title::Message(id) => izin_domain::reference::Labels {
                tr: self.app.texts.get(Language::Tr, id).to_owned(),
                en: self.app.texts.get(Language::En, id).to_owned(),
            },
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
