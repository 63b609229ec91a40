//! The back office on SQLite.

use super::auth::{check_code_tx, consume_code_tx, count_wrong_tx};
use super::officers::officer;
use super::outbox::enqueue_tx;
use super::{SqliteStore, append_audit_tx, from_micros, micros};
use crate::StoreError;
use crate::applications::{NewEvent, stored_kind, stored_lifecycle};
use crate::back_office::*;
use crate::model::{CodeCheck, Hash32, NewAuditEntry, RightCode};
use async_trait::async_trait;
use izin_domain::application::{Event, Facts, Role, Status};
use izin_domain::audit::Actor;
use izin_domain::back_office::Search;
use izin_domain::officer::Authority;
use izin_domain::otp::CodeRejection;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use time::OffsetDateTime;
use uuid::Uuid;

const ITEM_COLUMNS: &str = "id, number, kind, category, status, exemption_status, applicant_name, \
     nationality, submitted_at, assigned_to";

fn item(row: &rusqlite::Row<'_>) -> Result<QueueItem, StoreError> {
    Ok(QueueItem {
        id: row.get(0)?,
        number: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
        kind: stored_kind(&row.get::<_, String>(2)?)?,
        category: row.get(3)?,
        lifecycle: stored_lifecycle(
            &row.get::<_, String>(4)?,
            row.get::<_, Option<String>>(5)?.as_deref(),
        )?,
        applicant_name: row.get(6)?,
        nationality: row.get(7)?,
        submitted_at: from_micros(row.get(8)?)?,
        assigned_to: row.get(9)?,
    })
}

/// The authority, lifecycle and holder of an application, if it is `authority`'s.
fn held(
    conn: &Connection,
    id: Uuid,
    authority: Authority,
) -> Result<Option<(izin_domain::application::Lifecycle, Option<Uuid>)>, StoreError> {
    let found = conn
        .prepare_cached(
            "SELECT status, exemption_status, assigned_to FROM applications
              WHERE id = ?1 AND authority = ?2",
        )?
        .query_row(params![id, authority.code()], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, Option<String>>(1)?,
                row.get::<_, Option<Uuid>>(2)?,
            ))
        })
        .optional()?;
    found
        .map(|(status, exemption, holder)| {
            Ok((stored_lifecycle(&status, exemption.as_deref())?, holder))
        })
        .transpose()
}

fn take_tx(tx: &Connection, take: &Take) -> Result<TakeOutcome, StoreError> {
    let Some((lifecycle, holder)) = held(tx, take.id, take.authority)? else {
        return Ok(TakeOutcome::NotFound);
    };
    match holder {
        Some(other) if other != take.officer => return Ok(TakeOutcome::HeldBy(other)),
        Some(_) => return Ok(TakeOutcome::Taken { lifecycle }),
        None => {}
    }
    let next = match lifecycle.status {
        Status::Submitted => lifecycle
            .apply(Event::StartEvaluation, Role::Officer, Facts::default())
            .map_err(|e| StoreError::Backend(e.to_string()))?,
        Status::UnderEvaluation | Status::Revision => lifecycle,
        _ => return Ok(TakeOutcome::NotOpen(lifecycle)),
    };
    tx.prepare_cached(
        "UPDATE applications SET assigned_to = ?2, status = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![
        take.id,
        take.officer,
        next.status.code(),
        micros(take.now)
    ])?;
    if next != lifecycle {
        let version: i32 = tx
            .prepare_cached("SELECT version FROM applications WHERE id = ?1")?
            .query_row(params![take.id], |row| row.get(0))?;
        super::applications::record_event(
            tx,
            &NewEvent {
                application: take.id,
                at: take.now,
                actor: &Actor::Officer(take.officer),
                event: Event::StartEvaluation,
                from: lifecycle,
                to: next,
                reason: None,
                version,
            },
        )?;
        if let Some(mail) = &take.mail {
            enqueue_tx(tx, mail, take.now)?;
        }
    }
    append_audit_tx(tx, &take.audit)?;
    Ok(TakeOutcome::Taken { lifecycle: next })
}

/// The queue's SQL for `query`: only the conditions asked for, so each combination gets a plan
/// of its own.
fn queue_sql(query: &QueueQuery) -> (String, Vec<Value>) {
    // With a search, the unary plus keeps SQLite (which has no statistics to go by) from
    // reading the authority's whole queue in order to spare sorting the few matches: the
    // search's own index is then the only one that helps (`izin-bench queue`, 200 000
    // applications).
    let authority = if query.search.is_some() {
        "+authority"
    } else {
        "authority"
    };
    let mut sql = format!(
        "SELECT {ITEM_COLUMNS} FROM applications WHERE {authority} = ?1 AND submitted_at IS NOT NULL"
    );
    let mut values: Vec<Value> = vec![Value::Text(query.authority.code().to_owned())];
    let mut bind = |sql: &mut String, condition: &str, value: Value| {
        values.push(value);
        sql.push_str(&condition.replace('?', &format!("?{}", values.len())));
    };
    if let Some(status) = query.status {
        bind(
            &mut sql,
            " AND status = ?",
            Value::Text(status.code().into()),
        );
    }
    if let Some(kind) = query.kind {
        bind(&mut sql, " AND kind = ?", Value::Text(kind.code().into()));
    }
    if let Some(category) = &query.category {
        bind(&mut sql, " AND category = ?", Value::Text(category.clone()));
    }
    if let Some(from) = query.submitted_from {
        bind(
            &mut sql,
            " AND submitted_at >= ?",
            Value::Integer(micros(from)),
        );
    }
    if let Some(before) = query.submitted_before {
        bind(
            &mut sql,
            " AND submitted_at < ?",
            Value::Integer(micros(before)),
        );
    }
    if let Some(nationality) = &query.nationality {
        bind(
            &mut sql,
            " AND nationality = ?",
            Value::Text(nationality.clone()),
        );
    }
    match query.assigned {
        Assigned::Anyone => {}
        Assigned::Unassigned => sql.push_str(" AND assigned_to IS NULL"),
        Assigned::To(officer) => bind(
            &mut sql,
            " AND assigned_to = ?",
            Value::Blob(officer.as_bytes().to_vec()),
        ),
    }
    match &query.search {
        None => {}
        Some(Search::Number(number)) => {
            bind(&mut sql, " AND number = ?", Value::Text(number.clone()))
        }
        Some(Search::ForeignerId(id)) => {
            bind(&mut sql, " AND foreigner_id = ?", Value::Text(id.clone()))
        }
        Some(Search::Passport(passport)) => bind(
            &mut sql,
            " AND passport_number = ?",
            Value::Text(passport.clone()),
        ),
        Some(Search::Name(key)) => {
            bind(
                &mut sql,
                " AND ((applicant_key >= ?",
                Value::Text(key.clone()),
            );
            bind(
                &mut sql,
                " AND applicant_key < ?)",
                Value::Text(prefix_end(key)),
            );
            bind(
                &mut sql,
                " OR (applicant_key_given >= ?",
                Value::Text(key.clone()),
            );
            bind(
                &mut sql,
                " AND applicant_key_given < ?))",
                Value::Text(prefix_end(key)),
            );
        }
    }
    if let Some(after) = query.after {
        bind(
            &mut sql,
            " AND (submitted_at, id) > (?",
            Value::Integer(micros(after.submitted_at)),
        );
        bind(&mut sql, ", ?)", Value::Blob(after.id.as_bytes().to_vec()));
    }
    bind(
        &mut sql,
        " ORDER BY submitted_at, id LIMIT ?",
        Value::Integer(i64::from(query.limit) + 1),
    );
    (sql, values)
}

impl SqliteStore {
    /// How SQLite runs one page of the queue (`EXPLAIN QUERY PLAN` of the statement `queue`
    /// prepares, on a reader configured like the others), as an indented tree.
    pub async fn explain_queue(&self, query: &QueueQuery) -> Result<String, StoreError> {
        let (sql, values) = queue_sql(query);
        self.read(move |conn| {
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
            let rows = stmt.query_map(params_from_iter(values), |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, String>(3)?,
                ))
            })?;
            let mut depth: Vec<(i64, usize)> = Vec::new();
            let mut out = format!("-- {sql}\n");
            for row in rows {
                let (id, parent, detail) = row?;
                let level = depth
                    .iter()
                    .find(|(node, _)| *node == parent)
                    .map_or(0, |(_, level)| level + 1);
                depth.push((id, level));
                out.push_str(&format!("{}{detail}\n", "  ".repeat(level)));
            }
            Ok(out)
        })
        .await
    }
}

#[async_trait]
impl BackOfficeStore for SqliteStore {
    async fn check_officer_code(
        &self,
        check: CodeCheck,
    ) -> Result<Result<RightCode, CodeRejection>, StoreError> {
        self.write(move |tx| check_code_tx(tx, &check)).await
    }

    async fn count_wrong_code(&self, code_id: i64) -> Result<(), StoreError> {
        self.write(move |tx| count_wrong_tx(tx, code_id)).await
    }

    async fn open_officer_session(&self, open: OpenOfficerSession) -> Result<bool, StoreError> {
        self.write(move |tx| {
            if !consume_code_tx(tx, open.code_id, open.now)? {
                return Ok(false);
            }
            tx.prepare_cached(
                "INSERT INTO officer_sessions (token_hash, officer_id, created_at, last_seen_at, ip, user_agent)
                 VALUES (?1, ?2, ?3, ?3, ?4, ?5)",
            )?
            .execute(params![
                &open.token_hash[..],
                open.officer,
                micros(open.now),
                open.client.ip,
                open.client.user_agent
            ])?;
            append_audit_tx(tx, &open.audit)?;
            Ok(true)
        })
        .await
    }

    async fn officer_session(
        &self,
        token_hash: &Hash32,
    ) -> Result<Option<OfficerSessionRecord>, StoreError> {
        let token_hash = *token_hash;
        self.read(move |conn| {
            let found = conn
                .prepare_cached(
                    "SELECT o.id, o.email, o.authority, o.roles, o.created_at, o.disabled_at,
                            s.created_at, s.last_seen_at
                       FROM officer_sessions s JOIN officers o ON o.id = s.officer_id
                      WHERE s.token_hash = ?1 AND o.disabled_at IS NULL",
                )?
                .query_row(params![&token_hash[..]], |row| {
                    Ok((officer(row), row.get::<_, i64>(6)?, row.get::<_, i64>(7)?))
                })
                .optional()?;
            found
                .map(|(officer, created, seen)| {
                    Ok(OfficerSessionRecord {
                        officer: officer?,
                        created_at: from_micros(created)?,
                        last_seen_at: from_micros(seen)?,
                    })
                })
                .transpose()
        })
        .await
    }

    async fn touch_officer_session(
        &self,
        token_hash: &Hash32,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let token_hash = *token_hash;
        self.write(move |tx| {
            // A late touch with an older time (requests finish out of order) must not shorten
            // the idle timeout.
            tx.prepare_cached(
                "UPDATE officer_sessions SET last_seen_at = MAX(last_seen_at, ?2)
                  WHERE token_hash = ?1",
            )?
            .execute(params![&token_hash[..], micros(now)])?;
            Ok(())
        })
        .await
    }

    async fn end_officer_session(
        &self,
        token_hash: &Hash32,
        audit: NewAuditEntry,
    ) -> Result<bool, StoreError> {
        let token_hash = *token_hash;
        self.write(move |tx| {
            let ended = tx
                .prepare_cached("DELETE FROM officer_sessions WHERE token_hash = ?1")?
                .execute(params![&token_hash[..]])?;
            if ended > 0 {
                append_audit_tx(tx, &audit)?;
            }
            Ok(ended > 0)
        })
        .await
    }

    async fn queue(&self, query: QueueQuery) -> Result<QueuePage, StoreError> {
        self.read(move |conn| {
            let (sql, values) = queue_sql(&query);
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(values), |row| Ok(item(row)))?;
            let mut items = Vec::new();
            for row in rows {
                items.push(row??);
            }
            Ok(QueuePage::of(items, query.limit))
        })
        .await
    }

    async fn queue_counts(&self, authority: Authority) -> Result<Vec<(Status, i64)>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT status, SUM(count) FROM application_counts WHERE authority = ?1
                  GROUP BY status",
            )?;
            let rows = stmt.query_map(params![authority.code()], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
            })?;
            let mut counts = Vec::new();
            for row in rows {
                let (status, count) = row?;
                let status = Status::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("counted status {status:?}")))?;
                counts.push((status, count));
            }
            Ok(counts)
        })
        .await
    }

    async fn other_applications(
        &self,
        authority: Authority,
        user_id: Uuid,
        except: Uuid,
    ) -> Result<Vec<QueueItem>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {ITEM_COLUMNS} FROM applications
                  WHERE user_id = ?1 AND authority = ?2 AND id <> ?3 AND submitted_at IS NOT NULL
                  ORDER BY submitted_at DESC"
            ))?;
            let rows = stmt.query_map(params![user_id, authority.code(), except], |row| {
                Ok(item(row))
            })?;
            let mut items = Vec::new();
            for row in rows {
                items.push(row??);
            }
            Ok(items)
        })
        .await
    }

    async fn take_application(&self, take: Take) -> Result<TakeOutcome, StoreError> {
        self.write(move |tx| take_tx(tx, &take)).await
    }

    async fn assign_application(
        &self,
        assignment: Assignment,
    ) -> Result<AssignOutcome, StoreError> {
        self.write(move |tx| {
            let Some((lifecycle, _)) = held(tx, assignment.id, assignment.authority)? else {
                return Ok(AssignOutcome::NotFound);
            };
            if !matches!(lifecycle.status, Status::UnderEvaluation | Status::Revision) {
                return Ok(AssignOutcome::NotOpen(lifecycle));
            }
            tx.prepare_cached(
                "UPDATE applications SET assigned_to = ?2, updated_at = ?3 WHERE id = ?1",
            )?
            .execute(params![
                assignment.id,
                assignment.to,
                micros(assignment.now)
            ])?;
            append_audit_tx(tx, &assignment.audit)?;
            Ok(AssignOutcome::Assigned)
        })
        .await
    }

    async fn set_proposal(&self, write: ProposalWrite) -> Result<ProposalOutcome, StoreError> {
        self.write(move |tx| {
            let Some((lifecycle, holder)) = held(tx, write.id, write.authority)? else {
                return Ok(ProposalOutcome::NotFound);
            };
            if lifecycle.status != Status::UnderEvaluation {
                return Ok(ProposalOutcome::NotUnderEvaluation(lifecycle));
            }
            if holder != Some(write.officer) {
                return Ok(ProposalOutcome::NotHolder { held_by: holder });
            }
            let proposal = write
                .proposal
                .as_ref()
                .map(serde_json::to_string)
                .transpose()?;
            tx.prepare_cached(
                "UPDATE applications SET proposal = ?2, updated_at = ?3 WHERE id = ?1",
            )?
            .execute(params![write.id, proposal, micros(write.now)])?;
            append_audit_tx(tx, &write.audit)?;
            Ok(ProposalOutcome::Recorded)
        })
        .await
    }

    async fn add_note(&self, note: NewNote) -> Result<bool, StoreError> {
        self.write(move |tx| {
            if held(tx, note.application, note.authority)?.is_none() {
                return Ok(false);
            }
            tx.prepare_cached(
                "INSERT INTO officer_notes (application_id, officer_id, at, text)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                note.application,
                note.officer,
                micros(note.now),
                note.text
            ])?;
            append_audit_tx(tx, &note.audit)?;
            Ok(true)
        })
        .await
    }

    async fn notes(&self, application: Uuid) -> Result<Vec<NoteRecord>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT n.id, n.officer_id, o.email, n.at, n.text
                   FROM officer_notes n JOIN officers o ON o.id = n.officer_id
                  WHERE n.application_id = ?1 ORDER BY n.id",
            )?;
            let rows = stmt.query_map(params![application], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, Uuid>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, i64>(3)?,
                    row.get::<_, String>(4)?,
                ))
            })?;
            let mut notes = Vec::new();
            for row in rows {
                let (id, officer, officer_email, at, text) = row?;
                notes.push(NoteRecord {
                    id,
                    officer,
                    officer_email,
                    at: from_micros(at)?,
                    text,
                });
            }
            Ok(notes)
        })
        .await
    }
}
