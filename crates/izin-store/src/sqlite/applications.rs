//! Applications on SQLite. Every write runs on the one writer connection, so the checks made
//! inside a transaction (is another application pending? is this still the edit the rules saw?)
//! cannot be overtaken.

use super::{SqliteStore, append_audit_tx, from_micros, micros, opt_from_micros};
use crate::StoreError;
use crate::applications::*;
use crate::model::*;
use crate::sqlite::outbox::enqueue_tx;
use crate::sqlite::payments::insert_notice;
use crate::sqlite::proof_documents::issue_document;
use crate::traits::ApplicationStore;
use async_trait::async_trait;
use izin_domain::application::{Event, ExemptionStatus, Facts, PreviousExemption, Role, Status};
use izin_domain::audit::Actor;
use rusqlite::{Connection, OptionalExtension, params};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

const SUMMARY_COLUMNS: &str = "id, kind, status, exemption_status, number, category, start_date, \
     end_date, cancellation_requested_at, created_at, updated_at, submitted_at, concluded_at, \
     parent_id";

pub(crate) const RECORD_COLUMNS: &str = "id, kind, status, exemption_status, number, category, start_date, \
     end_date, cancellation_requested_at, created_at, updated_at, submitted_at, concluded_at, \
     parent_id, user_id, version, edits, data, revision_message, idempotency_key, assigned_to, \
     decision, proposal";

fn date_text(date: Option<Date>) -> Option<String> {
    date.map(|d| d.to_string())
}

pub(crate) fn parse_date(text: Option<String>) -> Result<Option<Date>, StoreError> {
    text.map(|t| {
        Date::parse(
            &t,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .map_err(|e| StoreError::Corrupt(format!("date {t:?}: {e}")))
    })
    .transpose()
}

fn summary_from_row(row: &rusqlite::Row<'_>) -> Result<ApplicationSummary, StoreError> {
    Ok(ApplicationSummary {
        id: row.get(0)?,
        kind: stored_kind(&row.get::<_, String>(1)?)?,
        parent: row.get(13)?,
        lifecycle: stored_lifecycle(
            &row.get::<_, String>(2)?,
            row.get::<_, Option<String>>(3)?.as_deref(),
        )?,
        number: row.get(4)?,
        columns: ApplicationColumns {
            category: row.get(5)?,
            start_date: parse_date(row.get(6)?)?,
            end_date: parse_date(row.get(7)?)?,
        },
        cancellation_requested_at: opt_from_micros(row.get(8)?)?,
        created_at: from_micros(row.get(9)?)?,
        updated_at: from_micros(row.get(10)?)?,
        submitted_at: opt_from_micros(row.get(11)?)?,
        concluded_at: opt_from_micros(row.get(12)?)?,
    })
}

/// A JSON column read as its type (`None` when NULL).
fn json_column<T: serde::de::DeserializeOwned>(
    value: Option<String>,
) -> Result<Option<T>, StoreError> {
    value
        .map(|text| serde_json::from_str(&text))
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("application column: {e}")))
}

pub(crate) fn record_from_row(row: &rusqlite::Row<'_>) -> Result<ApplicationRecord, StoreError> {
    let summary = summary_from_row(row)?;
    let data: String = row.get(17)?;
    Ok(ApplicationRecord {
        id: summary.id,
        user_id: row.get(14)?,
        kind: summary.kind,
        parent: summary.parent,
        lifecycle: summary.lifecycle,
        number: summary.number,
        version: row.get(15)?,
        edits: row.get(16)?,
        data: serde_json::from_str(&data)?,
        columns: summary.columns,
        revision_message: row.get(18)?,
        cancellation_requested_at: summary.cancellation_requested_at,
        idempotency_key: row.get(19)?,
        assigned_to: row.get(20)?,
        decision: json_column(row.get(21)?)?,
        proposal: json_column(row.get(22)?)?,
        created_at: summary.created_at,
        updated_at: summary.updated_at,
        submitted_at: summary.submitted_at,
        concluded_at: summary.concluded_at,
    })
}

pub(crate) fn load(
    conn: &Connection,
    owner: Option<Uuid>,
    id: Uuid,
) -> Result<Option<ApplicationRecord>, StoreError> {
    conn.prepare_cached(&format!(
        "SELECT {RECORD_COLUMNS} FROM applications WHERE id = ?1 AND (?2 IS NULL OR user_id = ?2)"
    ))?
    .query_row(params![id, owner], |row| Ok(record_from_row(row)))
    .optional()?
    .transpose()
}

/// The documents of `documents` that are not `owner`'s.
fn foreign_documents(
    conn: &Connection,
    owner: Uuid,
    documents: &[Uuid],
) -> Result<Vec<Uuid>, StoreError> {
    let mut owned = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM documents WHERE id = ?1 AND user_id = ?2)")?;
    let mut missing = Vec::new();
    for id in documents {
        let exists: bool = owned.query_row(params![id, owner], |row| row.get(0))?;
        if !exists {
            missing.push(*id);
        }
    }
    Ok(missing)
}

/// Makes the application cite exactly `documents` (besides what earlier versions froze);
/// `freeze_as` freezes them under the application's number.
fn set_citations(
    conn: &Connection,
    application: Uuid,
    documents: &[Uuid],
    freeze_as: Option<&str>,
) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM document_citations WHERE application_id = ?1 AND frozen = 0")?
        .execute(params![application])?;
    let mut cite = conn.prepare_cached(
        "INSERT INTO document_citations (document_id, application_id, application_number, frozen)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (document_id, application_id)
         DO UPDATE SET application_number = COALESCE(excluded.application_number, application_number),
                       frozen = MAX(frozen, excluded.frozen)",
    )?;
    for document in documents {
        cite.execute(params![
            document,
            application,
            freeze_as,
            freeze_as.is_some()
        ])?;
    }
    if let Some(number) = freeze_as {
        conn.prepare_cached(
            "UPDATE document_citations SET application_number = ?2 WHERE application_id = ?1",
        )?
        .execute(params![application, number])?;
    }
    Ok(())
}

pub(crate) fn record_event(conn: &Connection, e: &NewEvent<'_>) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO application_events (application_id, at, actor_kind, actor_id, event,
                from_status, from_exemption, to_status, to_exemption, reason, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        e.application,
        micros(e.at),
        e.actor.kind(),
        e.actor.id(),
        e.event.code(),
        e.from.status.code(),
        e.from.exemption.map(ExemptionStatus::code),
        e.to.status.code(),
        e.to.exemption.map(ExemptionStatus::code),
        e.reason,
        e.version
    ])?;
    Ok(())
}

fn insert_version(
    conn: &Connection,
    application: Uuid,
    version: i32,
    snapshot: &serde_json::Value,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO application_versions (application_id, version, snapshot, submitted_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        application,
        version,
        serde_json::to_string(snapshot)?,
        micros(at)
    ])?;
    Ok(())
}

/// The owner's submitted, undecided applications other than `except`.
fn pending_applications(
    conn: &Connection,
    owner: Uuid,
    except: Uuid,
) -> Result<Vec<PendingApplication>, StoreError> {
    let pending = pending_status_codes();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT kind, number, parent_id FROM applications
          WHERE user_id = ?1 AND id <> ?2 AND status IN ({})",
        pending
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(", ")
    ))?;
    let rows = stmt
        .query_map(params![owner, except], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, Option<String>>(1)?,
                row.get::<_, Option<Uuid>>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(kind, number, parent)| {
            Ok(PendingApplication {
                kind: stored_kind(&kind)?,
                number,
                parent,
            })
        })
        .collect()
}

#[async_trait]
impl ApplicationStore for SqliteStore {
    async fn create_application(&self, new: NewApplication) -> Result<(), StoreError> {
        let data = serde_json::to_string(&new.data)?;
        self.write(move |tx| {
            tx.prepare_cached(
                "INSERT INTO applications (id, user_id, kind, status, data, category, start_date,
                        end_date, created_at, updated_at, parent_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)",
            )?
            .execute(params![
                new.id,
                new.user_id,
                new.kind.code(),
                Status::Draft.code(),
                data,
                new.columns.category,
                date_text(new.columns.start_date),
                date_text(new.columns.end_date),
                micros(new.now),
                new.parent
            ])?;
            append_audit_tx(tx, &new.audit)?;
            Ok(())
        })
        .await
    }

    async fn application(
        &self,
        owner: Option<Uuid>,
        id: Uuid,
    ) -> Result<Option<ApplicationRecord>, StoreError> {
        self.read(move |conn| load(conn, owner, id)).await
    }

    async fn applications(&self, owner: Uuid) -> Result<Vec<ApplicationSummary>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM applications WHERE user_id = ?1
                  ORDER BY created_at DESC, id DESC"
            ))?;
            stmt.query_map(params![owner], |row| Ok(summary_from_row(row)))?
                .collect::<Result<Result<Vec<_>, StoreError>, rusqlite::Error>>()?
        })
        .await
    }

    async fn save_application(&self, edit: ApplicationEdit) -> Result<EditOutcome, StoreError> {
        let data = serde_json::to_string(&edit.data)?;
        self.write(move |tx| {
            let Some(current) = load(tx, Some(edit.owner), edit.id)? else {
                return Ok(EditOutcome::NotFound);
            };
            if !matches!(current.lifecycle.status, Status::Draft | Status::Revision) {
                return Ok(EditOutcome::NotEditable);
            }
            if current.edits != edit.expected_edits {
                return Ok(EditOutcome::Stale);
            }
            let missing = foreign_documents(tx, edit.owner, &edit.documents)?;
            if !missing.is_empty() {
                return Ok(EditOutcome::MissingDocuments(missing));
            }
            tx.prepare_cached(
                "UPDATE applications SET data = ?2, category = ?3, start_date = ?4, end_date = ?5,
                        edits = edits + 1, updated_at = ?6
                  WHERE id = ?1",
            )?
            .execute(params![
                edit.id,
                data,
                edit.columns.category,
                date_text(edit.columns.start_date),
                date_text(edit.columns.end_date),
                micros(edit.now)
            ])?;
            set_citations(tx, edit.id, &edit.documents, None)?;
            append_audit_tx(tx, &edit.audit)?;
            Ok(EditOutcome::Saved {
                edits: current.edits + 1,
            })
        })
        .await
    }

    async fn delete_draft(
        &self,
        owner: Uuid,
        id: Uuid,
        audit: NewAuditEntry,
    ) -> Result<DeleteDraftOutcome, StoreError> {
        self.write(move |tx| {
            let Some(current) = load(tx, Some(owner), id)? else {
                return Ok(DeleteDraftOutcome::NotFound);
            };
            if current.lifecycle.status != Status::Draft {
                return Ok(DeleteDraftOutcome::NotDraft);
            }
            tx.execute(
                "DELETE FROM document_citations WHERE application_id = ?1",
                params![id],
            )?;
            tx.execute("DELETE FROM applications WHERE id = ?1", params![id])?;
            append_audit_tx(tx, &audit)?;
            Ok(DeleteDraftOutcome::Deleted)
        })
        .await
    }

    async fn submit_application(
        &self,
        submission: Submission,
    ) -> Result<SubmitOutcome, StoreError> {
        let snapshot = submission.snapshot.clone();
        self.write(move |tx| {
            let s = &submission;
            let earlier_with_key = match &s.idempotency_key {
                Some(key) => tx
                    .prepare_cached(
                        "SELECT id, number FROM applications WHERE user_id = ?1 AND idempotency_key = ?2",
                    )?
                    .query_row(params![s.owner, key], |row| Ok((row.get(0)?, row.get(1)?)))
                    .optional()?,
                None => None,
            };
            let found = SubmissionFindings {
                earlier_with_key,
                current: load(tx, Some(s.owner), s.id)?,
                pending: pending_applications(tx, s.owner, s.id)?,
                missing_documents: foreign_documents(tx, s.owner, &s.documents)?,
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
            let serial: i64 = tx
                .prepare_cached(
                    "UPDATE counters SET value = value + 1 WHERE name = 'application_number' RETURNING value",
                )?
                .query_row([], |row| row.get(0))?;
            let number = application_number(s.year, serial)?;
            let queue = QueueValues::of(s.queue.as_ref());
            tx.prepare_cached(
                "UPDATE applications SET status = ?2, number = ?3, version = 1, idempotency_key = ?4,
                        category = ?5, start_date = ?6, end_date = ?7, submitted_at = ?8, updated_at = ?8,
                        authority = ?9, applicant_name = ?10, applicant_key = ?11,
                        applicant_key_given = ?12, nationality = ?13, foreigner_id = ?14,
                        passport_number = ?15
                  WHERE id = ?1",
            )?
            .execute(params![
                s.id,
                status.code(),
                number.as_str(),
                s.idempotency_key,
                s.columns.category,
                date_text(s.columns.start_date),
                date_text(s.columns.end_date),
                micros(s.now),
                queue.authority,
                queue.applicant_name,
                queue.applicant_key,
                queue.applicant_key_given,
                queue.nationality,
                queue.foreigner_id,
                queue.passport_number
            ])?;
            insert_version(tx, s.id, 1, &snapshot, s.now)?;
            set_citations(tx, s.id, &s.documents, Some(number.as_str()))?;
            let records = s.records(from, next, &number);
            record_event(tx, &records.event)?;
            if let Some(mail) = &records.mail {
                enqueue_tx(tx, mail, s.now)?;
            }
            append_audit_tx(tx, &records.audit)?;
            if let Some((notice, due)) = &due {
                record_event(
                    tx,
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
                )?;
                insert_notice(tx, s.id, notice, s.now)?;
            }
            Ok(SubmitOutcome::Submitted {
                number: number.as_str().to_owned(),
            })
        })
        .await
    }

    async fn transition_application(
        &self,
        transition: Transition,
    ) -> Result<TransitionOutcome, StoreError> {
        self.write(move |tx| {
            let t = &transition;
            let role = transition_role(t)?;
            let Some(current) = load(tx, t.owner, t.id)? else {
                return Ok(TransitionOutcome::NotFound);
            };
            if let Some(scope) = &t.officer {
                let authority: Option<String> = tx
                    .prepare_cached("SELECT authority FROM applications WHERE id = ?1")?
                    .query_row(params![t.id], |row| row.get(0))?;
                if let Err(outcome) = scope.admits(authority.as_deref(), current.assigned_to) {
                    return Ok(outcome);
                }
            }
            if t.event == Event::Submit {
                return Ok(TransitionOutcome::Refused(
                    izin_domain::application::TransitionError::NotAllowed {
                        from: current.lifecycle.status,
                        event: t.event,
                    },
                ));
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
                let missing = foreign_documents(tx, current.user_id, &resubmission.documents)?;
                if !missing.is_empty() {
                    return Ok(TransitionOutcome::MissingDocuments(missing));
                }
                version += 1;
                insert_version(tx, t.id, version, &resubmission.snapshot, t.now)?;
                set_citations(tx, t.id, &resubmission.documents, current.number.as_deref())?;
                let queue = QueueValues::of(resubmission.queue.as_ref());
                tx.prepare_cached(
                    "UPDATE applications SET category = ?2, start_date = ?3, end_date = ?4,
                            applicant_name = COALESCE(?5, applicant_name),
                            applicant_key = COALESCE(?6, applicant_key),
                            applicant_key_given = COALESCE(?7, applicant_key_given),
                            nationality = COALESCE(?8, nationality),
                            foreigner_id = COALESCE(?9, foreigner_id),
                            passport_number = COALESCE(?10, passport_number)
                      WHERE id = ?1",
                )?
                .execute(params![
                    t.id,
                    resubmission.columns.category,
                    date_text(resubmission.columns.start_date),
                    date_text(resubmission.columns.end_date),
                    queue.applicant_name,
                    queue.applicant_key,
                    queue.applicant_key_given,
                    queue.nationality,
                    queue.foreigner_id,
                    queue.passport_number
                ])?;
            }
            let revision_message = match t.event {
                Event::RequestRevision => t.reason.clone(),
                _ if next.status == Status::Revision => current.revision_message.clone(),
                _ => None,
            };
            let concluded_at =
                if next.status.is_concluded() && !current.lifecycle.status.is_concluded() {
                    Some(micros(t.now))
                } else {
                    current.concluded_at.map(micros)
                };
            let cancellation_requested_at = if t.event == Event::RequestCancellation {
                Some(micros(current.cancellation_requested_at.unwrap_or(t.now)))
            } else {
                current.cancellation_requested_at.map(micros)
            };
            tx.prepare_cached(
                "UPDATE applications SET status = ?2, exemption_status = ?3, version = ?4,
                        revision_message = ?5, concluded_at = ?6, cancellation_requested_at = ?7,
                        updated_at = ?8
                  WHERE id = ?1",
            )?
            .execute(params![
                t.id,
                next.status.code(),
                next.exemption.map(ExemptionStatus::code),
                version,
                revision_message,
                concluded_at,
                cancellation_requested_at,
                micros(t.now)
            ])?;
            record_event(
                tx,
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
            )?;
            if let Some(scope) = &t.officer {
                let decision = scope
                    .decision
                    .as_ref()
                    .map(serde_json::to_string)
                    .transpose()?;
                tx.prepare_cached(
                    "UPDATE applications SET decision = COALESCE(?2, decision),
                            proposal = CASE WHEN ?3 THEN NULL ELSE proposal END
                      WHERE id = ?1",
                )?
                .execute(params![t.id, decision, scope.clear_proposal])?;
            }
            match &t.payment {
                // A move into PAYMENT_PENDING leaves its notice, whose mail replaces the move's.
                Some(notice) if next.status == Status::PaymentPending => {
                    insert_notice(tx, t.id, notice, t.now)?;
                }
                _ if next.status == Status::Approval
                    && current.lifecycle.status != Status::Approval =>
                {
                    let subject = current.parent.unwrap_or(t.id);
                    issue_document(tx, t.id, subject, t.mail.as_ref(), t.now)?;
                }
                _ => {
                    if let Some(mail) = &t.mail {
                        enqueue_tx(tx, mail, t.now)?;
                    }
                }
            }
            append_audit_tx(tx, &t.audit)?;
            Ok(TransitionOutcome::Moved {
                lifecycle: next,
                version,
            })
        })
        .await
    }

    async fn application_history(
        &self,
        id: Uuid,
    ) -> Result<Vec<ApplicationEventRecord>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, at, actor_kind, actor_id, event, from_status, from_exemption,
                        to_status, to_exemption, reason, version
                   FROM application_events WHERE application_id = ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map(params![id], |row| {
                Ok((|| -> Result<ApplicationEventRecord, StoreError> {
                    let event: String = row.get(4)?;
                    Ok(ApplicationEventRecord {
                        id: row.get(0)?,
                        at: from_micros(row.get(1)?)?,
                        actor_kind: row.get(2)?,
                        actor_id: row.get(3)?,
                        event: Event::parse(&event)
                            .ok_or_else(|| StoreError::Corrupt(format!("event {event:?}")))?,
                        from: stored_lifecycle(
                            &row.get::<_, String>(5)?,
                            row.get::<_, Option<String>>(6)?.as_deref(),
                        )?,
                        to: stored_lifecycle(
                            &row.get::<_, String>(7)?,
                            row.get::<_, Option<String>>(8)?.as_deref(),
                        )?,
                        reason: row.get(9)?,
                        version: row.get(10)?,
                    })
                })())
            })?;
            rows.collect::<Result<Result<Vec<_>, StoreError>, rusqlite::Error>>()?
        })
        .await
    }

    async fn application_versions(&self, id: Uuid) -> Result<Vec<ApplicationVersion>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT version, snapshot, submitted_at FROM application_versions
                  WHERE application_id = ?1 ORDER BY version",
            )?;
            let rows = stmt.query_map(params![id], |row| {
                Ok((
                    row.get::<_, i32>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i64>(2)?,
                ))
            })?;
            let mut versions = Vec::new();
            for row in rows {
                let (version, snapshot, at) = row?;
                versions.push(ApplicationVersion {
                    version,
                    snapshot: serde_json::from_str(&snapshot)?,
                    submitted_at: from_micros(at)?,
                });
            }
            Ok(versions)
        })
        .await
    }

    async fn applications_among(
        &self,
        owner: Uuid,
        ids: Vec<Uuid>,
    ) -> Result<Vec<ApplicationRecord>, StoreError> {
        self.read(move |conn| {
            let mut found = Vec::with_capacity(ids.len());
            for id in ids {
                found.extend(load(conn, Some(owner), id)?);
            }
            Ok(found)
        })
        .await
    }

    async fn submission_facts(
        &self,
        owner: Uuid,
        except: Uuid,
    ) -> Result<SubmissionFacts, StoreError> {
        self.read(move |conn| {
            let pending = pending_applications(conn, owner, except)?;
            let mut stmt = conn.prepare_cached(
                "SELECT category, end_date FROM applications
                  WHERE user_id = ?1 AND status = 'APPROVAL' AND category IS NOT NULL
                    AND end_date IS NOT NULL",
            )?;
            let rows = stmt.query_map(params![owner], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, Option<String>>(1)?))
            })?;
            let mut previous_exemptions = Vec::new();
            for row in rows {
                let (category, end) = row?;
                if let Some(ended_on) = parse_date(end)? {
                    previous_exemptions.push(PreviousExemption { category, ended_on });
                }
            }
            Ok(SubmissionFacts {
                pending,
                previous_exemptions,
            })
        })
        .await
    }
}
