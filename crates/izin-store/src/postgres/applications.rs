//! Applications on PostgreSQL. A move locks the application's row (`FOR UPDATE`) before
//! deciding; a submission also locks its owner's row, so two drafts of one person submitted at
//! once on two instances cannot both pass the "no other pending application" rule.

use super::{PostgresStore, append_audit_tx};
use crate::StoreError;
use crate::applications::*;
use crate::model::*;
use crate::postgres::outbox::enqueue_tx;
use crate::postgres::payments::insert_notice;
use crate::postgres::proof_documents::issue_document;
use crate::traits::ApplicationStore;
use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use izin_domain::application::{
    Event, ExemptionStatus, Facts, PreviousExemption, Role, Status, TransitionError,
};
use izin_domain::audit::Actor;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

const SUMMARY_COLUMNS: &str = "id, kind, status, exemption_status, number, category, start_date, \
     end_date, cancellation_requested_at, created_at, updated_at, submitted_at, concluded_at, \
     parent_id";

pub(crate) const RECORD_COLUMNS: &str = "id, kind, status, exemption_status, number, category, start_date, \
     end_date, cancellation_requested_at, created_at, updated_at, submitted_at, concluded_at, \
     parent_id, user_id, version, edits, data, revision_message, idempotency_key, assigned_to, \
     decision, proposal";

fn summary_from_row(row: &tokio_postgres::Row) -> Result<ApplicationSummary, StoreError> {
    Ok(ApplicationSummary {
        id: row.try_get(0)?,
        kind: stored_kind(row.try_get(1)?)?,
        parent: row.try_get(13)?,
        lifecycle: stored_lifecycle(row.try_get(2)?, row.try_get(3)?)?,
        number: row.try_get(4)?,
        columns: ApplicationColumns {
            category: row.try_get(5)?,
            start_date: row.try_get(6)?,
            end_date: row.try_get(7)?,
        },
        cancellation_requested_at: row.try_get(8)?,
        created_at: row.try_get(9)?,
        updated_at: row.try_get(10)?,
        submitted_at: row.try_get(11)?,
        concluded_at: row.try_get(12)?,
    })
}

/// A JSON column read as its type (`None` when NULL).
fn json_column<T: serde::de::DeserializeOwned>(
    value: Option<serde_json::Value>,
) -> Result<Option<T>, StoreError> {
    value
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("application column: {e}")))
}

pub(crate) fn record_from_row(row: &tokio_postgres::Row) -> Result<ApplicationRecord, StoreError> {
    let summary = summary_from_row(row)?;
    Ok(ApplicationRecord {
        id: summary.id,
        user_id: row.try_get(14)?,
        kind: summary.kind,
        parent: summary.parent,
        lifecycle: summary.lifecycle,
        number: summary.number,
        version: row.try_get(15)?,
        edits: row.try_get(16)?,
        data: row.try_get(17)?,
        columns: summary.columns,
        revision_message: row.try_get(18)?,
        cancellation_requested_at: summary.cancellation_requested_at,
        idempotency_key: row.try_get(19)?,
        assigned_to: row.try_get(20)?,
        decision: json_column(row.try_get(21)?)?,
        proposal: json_column(row.try_get(22)?)?,
        created_at: summary.created_at,
        updated_at: summary.updated_at,
        submitted_at: summary.submitted_at,
        concluded_at: summary.concluded_at,
    })
}

/// Reads (and inside a transaction, with `lock`, locks) one application.
pub(crate) async fn load(
    client: &impl GenericClient,
    owner: Option<Uuid>,
    id: Uuid,
    lock: bool,
) -> Result<Option<ApplicationRecord>, StoreError> {
    let suffix = if lock { " FOR UPDATE" } else { "" };
    let stmt = client
        .prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM applications
              WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2){suffix}"
        ))
        .await?;
    client
        .query_opt(&stmt, &[&id, &owner])
        .await?
        .map(|row| record_from_row(&row))
        .transpose()
}

async fn foreign_documents(
    client: &impl GenericClient,
    owner: Uuid,
    documents: &[Uuid],
) -> Result<Vec<Uuid>, StoreError> {
    if documents.is_empty() {
        return Ok(Vec::new());
    }
    let stmt = client
        .prepare_cached(
            "SELECT d FROM unnest($1::uuid[]) AS d
              WHERE NOT EXISTS (SELECT 1 FROM documents WHERE id = d AND user_id = $2)",
        )
        .await?;
    client
        .query(&stmt, &[&documents, &owner])
        .await?
        .iter()
        .map(|row| Ok(row.try_get(0)?))
        .collect()
}

async fn set_citations(
    client: &impl GenericClient,
    application: Uuid,
    documents: &[Uuid],
    freeze_as: Option<&str>,
) -> Result<(), StoreError> {
    let delete = client
        .prepare_cached("DELETE FROM document_citations WHERE application_id = $1 AND NOT frozen")
        .await?;
    client.execute(&delete, &[&application]).await?;
    let cite = client
        .prepare_cached(
            "INSERT INTO document_citations (document_id, application_id, application_number, frozen)
             SELECT d, $2, $3, $4 FROM unnest($1::uuid[]) AS d
             ON CONFLICT (document_id, application_id)
             DO UPDATE SET application_number = COALESCE(EXCLUDED.application_number,
                                                         document_citations.application_number),
                           frozen = document_citations.frozen OR EXCLUDED.frozen",
        )
        .await?;
    client
        .execute(
            &cite,
            &[&documents, &application, &freeze_as, &freeze_as.is_some()],
        )
        .await?;
    if let Some(number) = freeze_as {
        let renumber = client
            .prepare_cached(
                "UPDATE document_citations SET application_number = $2 WHERE application_id = $1",
            )
            .await?;
        client.execute(&renumber, &[&application, &number]).await?;
    }
    Ok(())
}

pub(crate) async fn record_event(
    client: &impl GenericClient,
    e: &NewEvent<'_>,
) -> Result<(), StoreError> {
    let stmt = client
        .prepare_cached(
            "INSERT INTO application_events (application_id, at, actor_kind, actor_id, event,
                    from_status, from_exemption, to_status, to_exemption, reason, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .await?;
    client
        .execute(
            &stmt,
            &[
                &e.application,
                &e.at,
                &e.actor.kind(),
                &e.actor.id(),
                &e.event.code(),
                &e.from.status.code(),
                &e.from.exemption.map(ExemptionStatus::code),
                &e.to.status.code(),
                &e.to.exemption.map(ExemptionStatus::code),
                &e.reason,
                &e.version,
            ],
        )
        .await?;
    Ok(())
}

async fn insert_version(
    client: &impl GenericClient,
    application: Uuid,
    version: i32,
    snapshot: &serde_json::Value,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    let stmt = client
        .prepare_cached(
            "INSERT INTO application_versions (application_id, version, snapshot, submitted_at)
             VALUES ($1, $2, $3, $4)",
        )
        .await?;
    client
        .execute(&stmt, &[&application, &version, snapshot, &at])
        .await?;
    Ok(())
}

/// The owner's submitted, undecided applications other than `except`.
async fn pending_applications(
    client: &impl GenericClient,
    owner: Uuid,
    except: Uuid,
) -> Result<Vec<PendingApplication>, StoreError> {
    let stmt = client
        .prepare_cached(
            "SELECT kind, number, parent_id FROM applications
              WHERE user_id = $1 AND id <> $2 AND status = ANY($3)",
        )
        .await?;
    client
        .query(&stmt, &[&owner, &except, &pending_status_codes()])
        .await?
        .iter()
        .map(|row| {
            Ok(PendingApplication {
                kind: stored_kind(row.try_get(0)?)?,
                number: row.try_get(1)?,
                parent: row.try_get(2)?,
            })
        })
        .collect()
}

#[async_trait]
impl ApplicationStore for PostgresStore {
    async fn create_application(&self, new: NewApplication) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let stmt = tx
            .prepare_cached(
                "INSERT INTO applications (id, user_id, kind, status, data, category, start_date,
                        end_date, created_at, updated_at, parent_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)",
            )
            .await?;
        tx.execute(
            &stmt,
            &[
                &new.id,
                &new.user_id,
                &new.kind.code(),
                &Status::Draft.code(),
                &new.data,
                &new.columns.category,
                &new.columns.start_date,
                &new.columns.end_date,
                &new.now,
                &new.parent,
            ],
        )
        .await?;
        append_audit_tx(&tx, &new.audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn application(
        &self,
        owner: Option<Uuid>,
        id: Uuid,
    ) -> Result<Option<ApplicationRecord>, StoreError> {
        let client = self.client().await?;
        load(&client, owner, id, false).await
    }

    async fn applications(&self, owner: Uuid) -> Result<Vec<ApplicationSummary>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM applications WHERE user_id = $1
                  ORDER BY created_at DESC, id DESC"
            ))
            .await?;
        client
            .query(&stmt, &[&owner])
            .await?
            .iter()
            .map(summary_from_row)
            .collect()
    }

    async fn save_application(&self, edit: ApplicationEdit) -> Result<EditOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let Some(current) = load(&tx, Some(edit.owner), edit.id, true).await? else {
            return Ok(EditOutcome::NotFound);
        };
        if !matches!(current.lifecycle.status, Status::Draft | Status::Revision) {
            return Ok(EditOutcome::NotEditable);
        }
        if current.edits != edit.expected_edits {
            return Ok(EditOutcome::Stale);
        }
        let missing = foreign_documents(&tx, edit.owner, &edit.documents).await?;
        if !missing.is_empty() {
            return Ok(EditOutcome::MissingDocuments(missing));
        }
        let stmt = tx
            .prepare_cached(
                "UPDATE applications SET data = $2, category = $3, start_date = $4, end_date = $5,
                        edits = edits + 1, updated_at = $6
                  WHERE id = $1",
            )
            .await?;
        tx.execute(
            &stmt,
            &[
                &edit.id,
                &edit.data,
                &edit.columns.category,
                &edit.columns.start_date,
                &edit.columns.end_date,
                &edit.now,
            ],
        )
        .await?;
        set_citations(&tx, edit.id, &edit.documents, None).await?;
        append_audit_tx(&tx, &edit.audit).await?;
        tx.commit().await?;
        Ok(EditOutcome::Saved {
            edits: current.edits + 1,
        })
    }

    async fn delete_draft(
        &self,
        owner: Uuid,
        id: Uuid,
        audit: NewAuditEntry,
    ) -> Result<DeleteDraftOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let Some(current) = load(&tx, Some(owner), id, true).await? else {
            return Ok(DeleteDraftOutcome::NotFound);
        };
        if current.lifecycle.status != Status::Draft {
            return Ok(DeleteDraftOutcome::NotDraft);
        }
        tx.execute(
            "DELETE FROM document_citations WHERE application_id = $1",
            &[&id],
        )
        .await?;
        tx.execute("DELETE FROM applications WHERE id = $1", &[&id])
            .await?;
        append_audit_tx(&tx, &audit).await?;
        tx.commit().await?;
        Ok(DeleteDraftOutcome::Deleted)
    }

    async fn submit_application(&self, s: Submission) -> Result<SubmitOutcome, StoreError> {
        // Round trips, not statements, dominate here: after the owner's lock the checks go out
        // as one pipeline, then the update that takes the number, then the records it leaves as
        // another pipeline. The lock comes alone and first: pipelined statements whose
        // preparation is not cached yet may reach the server in any order, and every
        // submission must take its locks in the same order (owner, then application).
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let lock_user = tx
            .prepare_cached("SELECT 1 FROM users WHERE id = $1 FOR UPDATE")
            .await?;
        if tx.query_opt(&lock_user, &[&s.owner]).await?.is_none() {
            return Ok(SubmitOutcome::NotFound);
        }
        let earlier_with_key = async {
            let Some(key) = &s.idempotency_key else {
                return Ok(None);
            };
            let stmt = tx
                .prepare_cached(
                    "SELECT id, number FROM applications WHERE user_id = $1 AND idempotency_key = $2",
                )
                .await?;
            match tx.query_opt(&stmt, &[&s.owner, key]).await? {
                Some(row) => Ok::<_, StoreError>(Some((
                    row.try_get::<_, Uuid>(0)?,
                    row.try_get::<_, Option<String>>(1)?,
                ))),
                None => Ok(None),
            }
        };
        let (earlier, current, pending, missing) = tokio::try_join!(
            earlier_with_key,
            load(&tx, Some(s.owner), s.id, true),
            pending_applications(&tx, s.owner, s.id),
            foreign_documents(&tx, s.owner, &s.documents),
        )?;
        let found = SubmissionFindings {
            earlier_with_key: earlier,
            current,
            pending,
            missing_documents: missing,
        };
        let (from, next) = match s.decide(found) {
            Ok(moved) => moved,
            Err(outcome) => return Ok(outcome),
        };
        // A kind whose price the submission fixes waits for payment at once.
        let due = match &s.payment {
            Some(notice) => Some((
                notice,
                next.apply(Event::RequirePayment, Role::System, Facts::default())
                    .map_err(|e| StoreError::Backend(format!("require_payment refused: {e}")))?,
            )),
            None => None,
        };
        let status = due.as_ref().map_or(next, |(_, due)| *due).status;
        let draw = tx
            .prepare_cached("SELECT nextval('application_number_serial')")
            .await?;
        let serial: i64 = tx.query_one(&draw, &[]).await?.try_get(0)?;
        let number = application_number(s.year, serial)?;
        let stmt = tx
            .prepare_cached(
                "UPDATE applications
                    SET status = $2, number = $8, version = 1, idempotency_key = $3,
                        category = $4, start_date = $5, end_date = $6, submitted_at = $7,
                        updated_at = $7, authority = $9, applicant_name = $10,
                        applicant_key = $11, applicant_key_given = $12, nationality = $13,
                        foreigner_id = $14, passport_number = $15
                  WHERE id = $1",
            )
            .await?;
        let queue = QueueValues::of(s.queue.as_ref());
        tx.execute(
            &stmt,
            &[
                &s.id,
                &status.code(),
                &s.idempotency_key,
                &s.columns.category,
                &s.columns.start_date,
                &s.columns.end_date,
                &s.now,
                &number.as_str(),
                &queue.authority,
                &queue.applicant_name,
                &queue.applicant_key,
                &queue.applicant_key_given,
                &queue.nationality,
                &queue.foreigner_id,
                &queue.passport_number,
            ],
        )
        .await?;
        let records = s.records(from, next, &number);
        let queue_mail = async {
            if let Some(mail) = &records.mail {
                enqueue_tx(&tx, mail, s.now).await?;
            }
            Ok::<_, StoreError>(())
        };
        tokio::try_join!(
            insert_version(&tx, s.id, 1, &s.snapshot, s.now),
            set_citations(&tx, s.id, &s.documents, Some(number.as_str())),
            record_event(&tx, &records.event),
            queue_mail,
            append_audit_tx(&tx, &records.audit),
        )?;
        if let Some((notice, due)) = &due {
            record_event(
                &tx,
                &NewEvent {
                    application: s.id,
                    at: s.now,
                    actor: &Actor::System,
                    event: Event::RequirePayment,
                    from: next,
                    to: *due,
                    reason: None,
                    version: 1,
                },
            )
            .await?;
            insert_notice(&tx, s.id, notice, s.now).await?;
        }
        tx.commit().await?;
        Ok(SubmitOutcome::Submitted {
            number: number.as_str().to_owned(),
        })
    }

    async fn transition_application(&self, t: Transition) -> Result<TransitionOutcome, StoreError> {
        let role = transition_role(&t)?;
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let Some(current) = load(&tx, t.owner, t.id, true).await? else {
            return Ok(TransitionOutcome::NotFound);
        };
        if let Some(scope) = &t.officer {
            let authority: Option<String> = tx
                .query_one("SELECT authority FROM applications WHERE id = $1", &[&t.id])
                .await?
                .try_get(0)?;
            if let Err(outcome) = scope.admits(authority.as_deref(), current.assigned_to) {
                return Ok(outcome);
            }
        }
        if t.event == Event::Submit {
            return Ok(TransitionOutcome::Refused(TransitionError::NotAllowed {
                from: current.lifecycle.status,
                event: t.event,
            }));
        }
        let facts = Facts {
            fees_due: t.fees_due,
            reason: t.reason.as_deref(),
            approval_outcome: t.approval_outcome,
        };
        let next = match current.lifecycle.apply(t.event, role, facts) {
            Ok(next) => next,
            Err(refusal) => return Ok(TransitionOutcome::Refused(refusal)),
        };
        let mut version = current.version;
        if t.event == Event::Resubmit {
            let Some(resubmission) = &t.resubmission else {
                return Err(StoreError::Backend(
                    "a resubmission needs its snapshot".into(),
                ));
            };
            if current.edits != resubmission.expected_edits {
                return Ok(TransitionOutcome::Stale);
            }
            let missing = foreign_documents(&tx, current.user_id, &resubmission.documents).await?;
            if !missing.is_empty() {
                return Ok(TransitionOutcome::MissingDocuments(missing));
            }
            version += 1;
            insert_version(&tx, t.id, version, &resubmission.snapshot, t.now).await?;
            set_citations(
                &tx,
                t.id,
                &resubmission.documents,
                current.number.as_deref(),
            )
            .await?;
            let stmt = tx
                .prepare_cached(
                    "UPDATE applications SET category = $2, start_date = $3, end_date = $4,
                            applicant_name = COALESCE($5, applicant_name),
                            applicant_key = COALESCE($6, applicant_key),
                            applicant_key_given = COALESCE($7, applicant_key_given),
                            nationality = COALESCE($8, nationality),
                            foreigner_id = COALESCE($9, foreigner_id),
                            passport_number = COALESCE($10, passport_number)
                      WHERE id = $1",
                )
                .await?;
            let queue = QueueValues::of(resubmission.queue.as_ref());
            tx.execute(
                &stmt,
                &[
                    &t.id,
                    &resubmission.columns.category,
                    &resubmission.columns.start_date,
                    &resubmission.columns.end_date,
                    &queue.applicant_name,
                    &queue.applicant_key,
                    &queue.applicant_key_given,
                    &queue.nationality,
                    &queue.foreigner_id,
                    &queue.passport_number,
                ],
            )
            .await?;
        }
        let revision_message = match t.event {
            Event::RequestRevision => t.reason.clone(),
            _ if next.status == Status::Revision => current.revision_message.clone(),
            _ => None,
        };
        let concluded_at = if next.status.is_concluded() && !current.lifecycle.status.is_concluded()
        {
            Some(t.now)
        } else {
            current.concluded_at
        };
        let cancellation_requested_at = if t.event == Event::RequestCancellation {
            Some(current.cancellation_requested_at.unwrap_or(t.now))
        } else {
            current.cancellation_requested_at
        };
        let stmt = tx
            .prepare_cached(
                "UPDATE applications SET status = $2, exemption_status = $3, version = $4,
                        revision_message = $5, concluded_at = $6, cancellation_requested_at = $7,
                        updated_at = $8
                  WHERE id = $1",
            )
            .await?;
        tx.execute(
            &stmt,
            &[
                &t.id,
                &next.status.code(),
                &next.exemption.map(ExemptionStatus::code),
                &version,
                &revision_message,
                &concluded_at,
                &cancellation_requested_at,
                &t.now,
            ],
        )
        .await?;
        record_event(
            &tx,
            &NewEvent {
                application: t.id,
                at: t.now,
                actor: &t.actor,
                event: t.event,
                from: current.lifecycle,
                to: next,
                reason: t.reason.as_deref(),
                version,
            },
        )
        .await?;
        if let Some(scope) = &t.officer {
            let decision = scope
                .decision
                .as_ref()
                .map(serde_json::to_value)
                .transpose()?;
            tx.execute(
                "UPDATE applications SET decision = COALESCE($2, decision),
                        proposal = CASE WHEN $3 THEN NULL ELSE proposal END
                  WHERE id = $1",
                &[&t.id, &decision, &scope.clear_proposal],
            )
            .await?;
        }
        match &t.payment {
            // A move into PAYMENT_PENDING leaves its notice, whose mail replaces the move's.
            Some(notice) if next.status == Status::PaymentPending => {
                insert_notice(&tx, t.id, notice, t.now).await?;
            }
            _ if next.status == Status::Approval
                && current.lifecycle.status != Status::Approval =>
            {
                let subject = current.parent.unwrap_or(t.id);
                issue_document(&tx, t.id, subject, t.mail.as_ref(), t.now).await?;
            }
            _ => {
                if let Some(mail) = &t.mail {
                    enqueue_tx(&tx, mail, t.now).await?;
                }
            }
        }
        append_audit_tx(&tx, &t.audit).await?;
        tx.commit().await?;
        Ok(TransitionOutcome::Moved {
            lifecycle: next,
            version,
        })
    }

    async fn application_history(
        &self,
        id: Uuid,
    ) -> Result<Vec<ApplicationEventRecord>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT id, at, actor_kind, actor_id, event, from_status, from_exemption,
                        to_status, to_exemption, reason, version
                   FROM application_events WHERE application_id = $1 ORDER BY id",
            )
            .await?;
        client
            .query(&stmt, &[&id])
            .await?
            .iter()
            .map(|row| {
                let event: &str = row.try_get(4)?;
                Ok(ApplicationEventRecord {
                    id: row.try_get(0)?,
                    at: row.try_get(1)?,
                    actor_kind: row.try_get(2)?,
                    actor_id: row.try_get(3)?,
                    event: Event::parse(event)
                        .ok_or_else(|| StoreError::Corrupt(format!("event {event:?}")))?,
                    from: stored_lifecycle(row.try_get(5)?, row.try_get(6)?)?,
                    to: stored_lifecycle(row.try_get(7)?, row.try_get(8)?)?,
                    reason: row.try_get(9)?,
                    version: row.try_get(10)?,
                })
            })
            .collect()
    }

    async fn application_versions(&self, id: Uuid) -> Result<Vec<ApplicationVersion>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT version, snapshot, submitted_at FROM application_versions
                  WHERE application_id = $1 ORDER BY version",
            )
            .await?;
        client
            .query(&stmt, &[&id])
            .await?
            .iter()
            .map(|row| {
                Ok(ApplicationVersion {
                    version: row.try_get(0)?,
                    snapshot: row.try_get(1)?,
                    submitted_at: row.try_get(2)?,
                })
            })
            .collect()
    }

    async fn applications_among(
        &self,
        owner: Uuid,
        ids: Vec<Uuid>,
    ) -> Result<Vec<ApplicationRecord>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {RECORD_COLUMNS} FROM applications WHERE id = ANY($1) AND user_id = $2"
            ))
            .await?;
        client
            .query(&stmt, &[&ids, &owner])
            .await?
            .iter()
            .map(record_from_row)
            .collect()
    }

    async fn submission_facts(
        &self,
        owner: Uuid,
        except: Uuid,
    ) -> Result<SubmissionFacts, StoreError> {
        let client = self.client().await?;
        // Two independent reads, pipelined on one connection.
        let previous = async {
            let stmt = client
                .prepare_cached(
                    "SELECT category, end_date FROM applications
                      WHERE user_id = $1 AND status = 'APPROVAL' AND category IS NOT NULL
                        AND end_date IS NOT NULL",
                )
                .await?;
            client
                .query(&stmt, &[&owner])
                .await?
                .iter()
                .map(|row| {
                    Ok(PreviousExemption {
                        category: row.try_get(0)?,
                        ended_on: row.try_get::<_, Date>(1)?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()
        };
        let (pending, previous_exemptions) =
            tokio::try_join!(pending_applications(&client, owner, except), previous)?;
        Ok(SubmissionFacts {
            pending,
            previous_exemptions,
        })
    }
}
