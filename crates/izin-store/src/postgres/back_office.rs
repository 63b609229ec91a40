//! The back office on PostgreSQL. An application's row is locked (`FOR UPDATE`) before it is
//! taken, given or decided on, so two officers taking it at once are served one after the other:
//! the first takes it, the second is told who holds it.

use super::auth::{check_code_tx, consume_code_tx, count_wrong_tx};
use super::officers::officer;
use super::outbox::enqueue_tx;
use super::{PostgresStore, append_audit_tx};
use crate::StoreError;
use crate::applications::{NewEvent, stored_kind, stored_lifecycle};
use crate::back_office::*;
use crate::model::{CodeCheck, Hash32, NewAuditEntry, RightCode};
use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use izin_domain::application::{Event, Facts, Lifecycle, Role, Status};
use izin_domain::audit::Actor;
use izin_domain::back_office::Search;
use izin_domain::officer::Authority;
use izin_domain::otp::CodeRejection;
use time::OffsetDateTime;
use tokio_postgres::types::{ToSql, Type};
use uuid::Uuid;

const ITEM_COLUMNS: &str = "id, number, kind, category, status, exemption_status, applicant_name, \
     nationality, submitted_at, assigned_to";

fn item(row: &tokio_postgres::Row) -> Result<QueueItem, StoreError> {
    Ok(QueueItem {
        id: row.try_get(0)?,
        number: row.try_get::<_, Option<String>>(1)?.unwrap_or_default(),
        kind: stored_kind(row.try_get(2)?)?,
        category: row.try_get(3)?,
        lifecycle: stored_lifecycle(row.try_get(4)?, row.try_get(5)?)?,
        applicant_name: row.try_get(6)?,
        nationality: row.try_get(7)?,
        submitted_at: row.try_get(8)?,
        assigned_to: row.try_get(9)?,
    })
}

/// The lifecycle and holder of an application if it is `authority`'s, its row locked.
async fn held(
    client: &impl GenericClient,
    id: Uuid,
    authority: Authority,
) -> Result<Option<(Lifecycle, Option<Uuid>, i32)>, StoreError> {
    let stmt = client
        .prepare_cached(
            "SELECT status, exemption_status, assigned_to, version FROM applications
              WHERE id = $1 AND authority = $2 FOR UPDATE",
        )
        .await?;
    client
        .query_opt(&stmt, &[&id, &authority.code()])
        .await?
        .map(|row| {
            Ok((
                stored_lifecycle(row.try_get(0)?, row.try_get(1)?)?,
                row.try_get(2)?,
                row.try_get(3)?,
            ))
        })
        .transpose()
}

async fn take_tx(client: &impl GenericClient, take: &Take) -> Result<TakeOutcome, StoreError> {
    let Some((lifecycle, holder, version)) = held(client, take.id, take.authority).await? else {
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
    let stmt = client
        .prepare_cached(
            "UPDATE applications SET assigned_to = $2, status = $3, updated_at = $4 WHERE id = $1",
        )
        .await?;
    client
        .execute(
            &stmt,
            &[&take.id, &take.officer, &next.status.code(), &take.now],
        )
        .await?;
    if next != lifecycle {
        super::applications::record_event(
            client,
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
        )
        .await?;
        if let Some(mail) = &take.mail {
            enqueue_tx(client, mail, take.now).await?;
        }
    }
    append_audit_tx(client, &take.audit).await?;
    Ok(TakeOutcome::Taken { lifecycle: next })
}

/// One value the queue's SQL binds, with the type it is sent as.
enum Value {
    Text(String),
    Time(OffsetDateTime),
    Id(Uuid),
    Int(i64),
}

impl Value {
    fn typed(&self) -> (&(dyn ToSql + Sync), Type) {
        match self {
            Value::Text(v) => (v, Type::TEXT),
            Value::Time(v) => (v, Type::TIMESTAMPTZ),
            Value::Id(v) => (v, Type::UUID),
            Value::Int(v) => (v, Type::INT8),
        }
    }
}

/// The queue's SQL for `query`: only the conditions asked for, so each combination is prepared
/// (and planned) on its own.
fn queue_sql(query: &QueueQuery) -> (String, Vec<Value>) {
    let mut sql = format!(
        "SELECT {ITEM_COLUMNS} FROM applications WHERE authority = $1 AND submitted_at IS NOT NULL"
    );
    let mut values = vec![Value::Text(query.authority.code().to_owned())];
    let mut bind = |sql: &mut String, condition: &str, value: Value| {
        values.push(value);
        sql.push_str(&condition.replace('?', &format!("${}", values.len())));
    };
    if let Some(status) = query.status {
        bind(
            &mut sql,
            " AND status = ?",
            Value::Text(status.code().to_owned()),
        );
    }
    if let Some(kind) = query.kind {
        bind(
            &mut sql,
            " AND kind = ?",
            Value::Text(kind.code().to_owned()),
        );
    }
    if let Some(category) = &query.category {
        bind(&mut sql, " AND category = ?", Value::Text(category.clone()));
    }
    if let Some(from) = query.submitted_from {
        bind(&mut sql, " AND submitted_at >= ?", Value::Time(from));
    }
    if let Some(before) = query.submitted_before {
        bind(&mut sql, " AND submitted_at < ?", Value::Time(before));
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
        Assigned::To(officer) => bind(&mut sql, " AND assigned_to = ?", Value::Id(officer)),
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
            // Byte-wise prefix ranges, which the text_pattern_ops indexes serve.
            bind(
                &mut sql,
                " AND ((applicant_key ~>=~ ?",
                Value::Text(key.clone()),
            );
            bind(
                &mut sql,
                " AND applicant_key ~<~ ?)",
                Value::Text(prefix_end(key)),
            );
            bind(
                &mut sql,
                " OR (applicant_key_given ~>=~ ?",
                Value::Text(key.clone()),
            );
            bind(
                &mut sql,
                " AND applicant_key_given ~<~ ?))",
                Value::Text(prefix_end(key)),
            );
        }
    }
    if let Some(after) = query.after {
        bind(
            &mut sql,
            " AND (submitted_at, id) > (?",
            Value::Time(after.submitted_at),
        );
        bind(&mut sql, ", ?)", Value::Id(after.id));
    }
    bind(
        &mut sql,
        " ORDER BY submitted_at, id LIMIT ?",
        Value::Int(i64::from(query.limit) + 1),
    );
    (sql, values)
}

impl PostgresStore {
    /// How the server runs one page of the queue, for the benchmark and whoever tunes the
    /// indexes: `EXPLAIN (ANALYZE, BUFFERS)` of the statement `queue` sends, with its values
    /// (planned for them, as `queue`'s are).
    pub async fn explain_queue(&self, query: &QueueQuery) -> Result<String, StoreError> {
        let client = self.client().await?;
        let (sql, values) = queue_sql(query);
        let params: Vec<_> = values.iter().map(Value::typed).collect();
        let mut out = format!("-- {sql}\n");
        for row in client
            .query_typed(&format!("EXPLAIN (ANALYZE, BUFFERS) {sql}"), &params)
            .await?
        {
            out.push_str(row.try_get::<_, &str>(0)?);
            out.push('\n');
        }
        Ok(out)
    }
}

#[async_trait]
impl BackOfficeStore for PostgresStore {
    async fn check_officer_code(
        &self,
        check: CodeCheck,
    ) -> Result<Result<RightCode, CodeRejection>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let outcome = check_code_tx(&tx, &check).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn count_wrong_code(&self, code_id: i64) -> Result<(), StoreError> {
        let client = self.client().await?;
        count_wrong_tx(&client, code_id).await
    }

    async fn open_officer_session(&self, open: OpenOfficerSession) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        if !consume_code_tx(&tx, open.code_id, open.now).await? {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO officer_sessions (token_hash, officer_id, created_at, last_seen_at, ip, user_agent)
             VALUES ($1, $2, $3, $3, $4, $5)",
            &[
                &&open.token_hash[..],
                &open.officer,
                &open.now,
                &open.client.ip,
                &open.client.user_agent,
            ],
        )
        .await?;
        append_audit_tx(&tx, &open.audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn officer_session(
        &self,
        token_hash: &Hash32,
    ) -> Result<Option<OfficerSessionRecord>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT o.id, o.email, o.authority, o.roles, o.created_at, o.disabled_at,
                        s.created_at, s.last_seen_at
                   FROM officer_sessions s JOIN officers o ON o.id = s.officer_id
                  WHERE s.token_hash = $1 AND o.disabled_at IS NULL",
            )
            .await?;
        client
            .query_opt(&stmt, &[&&token_hash[..]])
            .await?
            .map(|row| {
                Ok(OfficerSessionRecord {
                    officer: officer(&row)?,
                    created_at: row.try_get(6)?,
                    last_seen_at: row.try_get(7)?,
                })
            })
            .transpose()
    }

    async fn touch_officer_session(
        &self,
        token_hash: &Hash32,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let client = self.client().await?;
        // A late touch with an older time (requests finish out of order) must not shorten the
        // idle timeout.
        client
            .execute(
                "UPDATE officer_sessions SET last_seen_at = GREATEST(last_seen_at, $2)
                  WHERE token_hash = $1",
                &[&&token_hash[..], &now],
            )
            .await?;
        Ok(())
    }

    async fn end_officer_session(
        &self,
        token_hash: &Hash32,
        audit: NewAuditEntry,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let ended = tx
            .execute(
                "DELETE FROM officer_sessions WHERE token_hash = $1",
                &[&&token_hash[..]],
            )
            .await?;
        if ended > 0 {
            append_audit_tx(&tx, &audit).await?;
        }
        tx.commit().await?;
        Ok(ended > 0)
    }

    async fn queue(&self, query: QueueQuery) -> Result<QueuePage, StoreError> {
        let client = self.client().await?;
        let (sql, values) = queue_sql(&query);
        let params: Vec<_> = values.iter().map(Value::typed).collect();
        // Sent unnamed, so the server plans it for these values each time. A prepared
        // statement may settle after five runs on a generic plan, one for all values, and the
        // values are skewed: the plan that suits a common name (read the queue in order, keep
        // the matches) reads all of the authority's applications for a name nobody has — 490 ms
        // over a million, against 0.3 ms for the plan made for that name (`izin-bench queue`).
        // Planning costs a fraction of a millisecond; the round trip is the same.
        let rows = client.query_typed(&sql, &params).await?;
        let items = rows.iter().map(item).collect::<Result<Vec<_>, _>>()?;
        Ok(QueuePage::of(items, query.limit))
    }

    async fn queue_counts(&self, authority: Authority) -> Result<Vec<(Status, i64)>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT status, SUM(count)::BIGINT FROM application_counts WHERE authority = $1
                  GROUP BY status",
            )
            .await?;
        client
            .query(&stmt, &[&authority.code()])
            .await?
            .iter()
            .map(|row| {
                let status: &str = row.try_get(0)?;
                let status = Status::parse(status)
                    .ok_or_else(|| StoreError::Corrupt(format!("counted status {status:?}")))?;
                Ok((status, row.try_get(1)?))
            })
            .collect()
    }

    async fn other_applications(
        &self,
        authority: Authority,
        user_id: Uuid,
        except: Uuid,
    ) -> Result<Vec<QueueItem>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {ITEM_COLUMNS} FROM applications
                  WHERE user_id = $1 AND authority = $2 AND id <> $3 AND submitted_at IS NOT NULL
                  ORDER BY submitted_at DESC"
            ))
            .await?;
        client
            .query(&stmt, &[&user_id, &authority.code(), &except])
            .await?
            .iter()
            .map(item)
            .collect()
    }

    async fn take_application(&self, take: Take) -> Result<TakeOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let outcome = take_tx(&tx, &take).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn assign_application(
        &self,
        assignment: Assignment,
    ) -> Result<AssignOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let Some((lifecycle, _, _)) = held(&tx, assignment.id, assignment.authority).await? else {
            return Ok(AssignOutcome::NotFound);
        };
        if !matches!(lifecycle.status, Status::UnderEvaluation | Status::Revision) {
            return Ok(AssignOutcome::NotOpen(lifecycle));
        }
        tx.execute(
            "UPDATE applications SET assigned_to = $2, updated_at = $3 WHERE id = $1",
            &[&assignment.id, &assignment.to, &assignment.now],
        )
        .await?;
        append_audit_tx(&tx, &assignment.audit).await?;
        tx.commit().await?;
        Ok(AssignOutcome::Assigned)
    }

    async fn set_proposal(&self, write: ProposalWrite) -> Result<ProposalOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let Some((lifecycle, holder, _)) = held(&tx, write.id, write.authority).await? else {
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
            .map(serde_json::to_value)
            .transpose()?;
        tx.execute(
            "UPDATE applications SET proposal = $2, updated_at = $3 WHERE id = $1",
            &[&write.id, &proposal, &write.now],
        )
        .await?;
        append_audit_tx(&tx, &write.audit).await?;
        tx.commit().await?;
        Ok(ProposalOutcome::Recorded)
    }

    async fn add_note(&self, note: NewNote) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        if held(&tx, note.application, note.authority).await?.is_none() {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO officer_notes (application_id, officer_id, at, text)
             VALUES ($1, $2, $3, $4)",
            &[&note.application, &note.officer, &note.now, &note.text],
        )
        .await?;
        append_audit_tx(&tx, &note.audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn notes(&self, application: Uuid) -> Result<Vec<NoteRecord>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT n.id, n.officer_id, o.email, n.at, n.text
                   FROM officer_notes n JOIN officers o ON o.id = n.officer_id
                  WHERE n.application_id = $1 ORDER BY n.id",
            )
            .await?;
        client
            .query(&stmt, &[&application])
            .await?
            .iter()
            .map(|row| {
                Ok(NoteRecord {
                    id: row.try_get(0)?,
                    officer: row.try_get(1)?,
                    officer_email: row.try_get(2)?,
                    at: row.try_get(3)?,
                    text: row.try_get(4)?,
                })
            })
            .collect()
    }
}
