//! Officers on PostgreSQL.

use super::{PostgresStore, append_audit_tx};
use crate::StoreError;
use crate::model::NewAuditEntry;
use crate::officers::*;
use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use izin_domain::officer::Authority;
use izin_domain::records::Officer;
use time::OffsetDateTime;
use tokio_postgres::Row;
use uuid::Uuid;

const COLUMNS: &str = "id, email, authority, roles, created_at, disabled_at";

pub(crate) fn officer(row: &Row) -> Result<Officer, StoreError> {
    Ok(Officer {
        id: row.try_get(0)?,
        email: row.try_get(1)?,
        authority: authority_column(row.try_get(2)?)?,
        roles: roles_column(row.try_get(3)?)?,
        created_at: row.try_get(4)?,
        disabled_at: row.try_get(5)?,
    })
}

async fn by_email_key(
    client: &impl GenericClient,
    email_key: &str,
    lock: bool,
) -> Result<Option<Officer>, StoreError> {
    let stmt = client
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM officers WHERE email_key = $1{}",
            if lock { " FOR UPDATE" } else { "" }
        ))
        .await?;
    client
        .query_opt(&stmt, &[&email_key])
        .await?
        .map(|row| officer(&row))
        .transpose()
}

#[async_trait]
impl OfficerStore for PostgresStore {
    async fn add_officer(&self, new: NewOfficer) -> Result<AddOfficerOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let stmt = tx
            .prepare_cached(
                "INSERT INTO officers (id, email, email_key, authority, roles, totp_secret,
                        created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (email_key) DO NOTHING",
            )
            .await?;
        let inserted = tx
            .execute(
                &stmt,
                &[
                    &new.id,
                    &new.email,
                    &new.email_key,
                    &new.authority.code(),
                    &new.roles.codes(),
                    &new.totp_secret,
                    &new.now,
                ],
            )
            .await?;
        if inserted == 0 {
            return Ok(AddOfficerOutcome::EmailTaken);
        }
        let stmt = tx
            .prepare_cached(
                "INSERT INTO officer_recovery_codes (officer_id, code_hash) VALUES ($1, $2)",
            )
            .await?;
        for hash in &new.recovery_hashes {
            tx.execute(&stmt, &[&new.id, hash]).await?;
        }
        append_audit_tx(&tx, &new.audit).await?;
        tx.commit().await?;
        Ok(AddOfficerOutcome::Added)
    }

    async fn officers(&self, authority: Option<Authority>) -> Result<Vec<Officer>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM officers
                  WHERE $1::text IS NULL OR authority = $1
                  ORDER BY email_key"
            ))
            .await?;
        let authority = authority.map(Authority::code);
        client
            .query(&stmt, &[&authority])
            .await?
            .iter()
            .map(officer)
            .collect()
    }

    async fn officer_by_email_key(&self, email_key: &str) -> Result<Option<Officer>, StoreError> {
        let client = self.client().await?;
        by_email_key(&client, email_key, false).await
    }

    async fn second_factor(&self, officer: Uuid) -> Result<Option<SecondFactor>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached("SELECT totp_secret, totp_last_step FROM officers WHERE id = $1")
            .await?;
        client
            .query_opt(&stmt, &[&officer])
            .await?
            .map(|row| {
                Ok(SecondFactor {
                    totp_secret: row.try_get(0)?,
                    totp_last_step: row.try_get(1)?,
                })
            })
            .transpose()
    }

    async fn use_totp_step(&self, officer: Uuid, step: i64) -> Result<bool, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "UPDATE officers SET totp_last_step = $2
                  WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
            )
            .await?;
        Ok(client.execute(&stmt, &[&officer, &step]).await? == 1)
    }

    async fn use_recovery_code(
        &self,
        officer: Uuid,
        code_hash: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "UPDATE officer_recovery_codes SET used_at = $3
                  WHERE officer_id = $1 AND code_hash = $2 AND used_at IS NULL",
            )
            .await?;
        Ok(client.execute(&stmt, &[&officer, &code_hash, &now]).await? == 1)
    }

    async fn disable_officer(
        &self,
        email_key: &str,
        now: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> Result<DisableOfficerOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let Some(found) = by_email_key(&tx, email_key, true).await? else {
            return Ok(DisableOfficerOutcome::NotFound);
        };
        if found.disabled_at.is_some() {
            return Ok(DisableOfficerOutcome::AlreadyDisabled);
        }
        let stmt = tx
            .prepare_cached("UPDATE officers SET disabled_at = $2 WHERE id = $1")
            .await?;
        tx.execute(&stmt, &[&found.id, &now]).await?;
        // Disabling ends every session of the officer at once.
        tx.execute(
            "DELETE FROM officer_sessions WHERE officer_id = $1",
            &[&found.id],
        )
        .await?;
        append_audit_tx(&tx, &audit).await?;
        tx.commit().await?;
        Ok(DisableOfficerOutcome::Disabled)
    }
}
