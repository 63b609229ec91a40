//! Officers on SQLite.

use super::{SqliteStore, append_audit_tx, from_micros, micros, opt_from_micros};
use crate::StoreError;
use crate::model::NewAuditEntry;
use crate::officers::*;
use async_trait::async_trait;
use izin_domain::officer::Authority;
use izin_domain::records::Officer;
use rusqlite::{Connection, OptionalExtension, Row, params};
use time::OffsetDateTime;
use uuid::Uuid;

const COLUMNS: &str = "id, email, authority, roles, created_at, disabled_at";

pub(crate) fn officer(row: &Row<'_>) -> Result<Officer, StoreError> {
    Ok(Officer {
        id: row.get(0)?,
        email: row.get(1)?,
        authority: authority_column(&row.get::<_, String>(2)?)?,
        roles: roles_column(&row.get::<_, String>(3)?)?,
        created_at: from_micros(row.get(4)?)?,
        disabled_at: opt_from_micros(row.get(5)?)?,
    })
}

fn by_email_key(conn: &Connection, email_key: &str) -> Result<Option<Officer>, StoreError> {
    let found = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM officers WHERE email_key = ?1"
        ))?
        .query_row(params![email_key], |row| Ok(officer(row)))
        .optional()?;
    found.transpose()
}

#[async_trait]
impl OfficerStore for SqliteStore {
    async fn add_officer(&self, new: NewOfficer) -> Result<AddOfficerOutcome, StoreError> {
        self.write(move |tx| {
            let inserted = tx
                .prepare_cached(
                    "INSERT INTO officers (id, email, email_key, authority, roles, totp_secret,
                            created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (email_key) DO NOTHING",
                )?
                .execute(params![
                    new.id,
                    new.email,
                    new.email_key,
                    new.authority.code(),
                    new.roles.codes(),
                    new.totp_secret,
                    micros(new.now)
                ])?;
            if inserted == 0 {
                return Ok(AddOfficerOutcome::EmailTaken);
            }
            let mut stmt = tx.prepare_cached(
                "INSERT INTO officer_recovery_codes (officer_id, code_hash) VALUES (?1, ?2)",
            )?;
            for hash in &new.recovery_hashes {
                stmt.execute(params![new.id, hash])?;
            }
            append_audit_tx(tx, &new.audit)?;
            Ok(AddOfficerOutcome::Added)
        })
        .await
    }

    async fn officers(&self, authority: Option<Authority>) -> Result<Vec<Officer>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM officers
                  WHERE ?1 IS NULL OR authority = ?1
                  ORDER BY email_key"
            ))?;
            let rows = stmt.query_map(params![authority.map(Authority::code)], |row| {
                Ok(officer(row))
            })?;
            let mut found = Vec::new();
            for row in rows {
                found.push(row??);
            }
            Ok(found)
        })
        .await
    }

    async fn officer_by_email_key(&self, email_key: &str) -> Result<Option<Officer>, StoreError> {
        self.read(|conn| by_email_key(conn, email_key)).await
    }

    async fn second_factor(&self, officer: Uuid) -> Result<Option<SecondFactor>, StoreError> {
        self.read(|conn| {
            Ok(conn
                .prepare_cached("SELECT totp_secret, totp_last_step FROM officers WHERE id = ?1")?
                .query_row(params![officer], |row| {
                    Ok(SecondFactor {
                        totp_secret: row.get(0)?,
                        totp_last_step: row.get(1)?,
                    })
                })
                .optional()?)
        })
        .await
    }

    async fn use_totp_step(&self, officer: Uuid, step: i64) -> Result<bool, StoreError> {
        self.write(move |tx| {
            let changed = tx
                .prepare_cached(
                    "UPDATE officers SET totp_last_step = ?2
                      WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)",
                )?
                .execute(params![officer, step])?;
            Ok(changed == 1)
        })
        .await
    }

    async fn use_recovery_code(
        &self,
        officer: Uuid,
        code_hash: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let code_hash = code_hash.to_owned();
        self.write(move |tx| {
            let changed = tx
                .prepare_cached(
                    "UPDATE officer_recovery_codes SET used_at = ?3
                      WHERE officer_id = ?1 AND code_hash = ?2 AND used_at IS NULL",
                )?
                .execute(params![officer, code_hash, micros(now)])?;
            Ok(changed == 1)
        })
        .await
    }

    async fn disable_officer(
        &self,
        email_key: &str,
        now: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> Result<DisableOfficerOutcome, StoreError> {
        let email_key = email_key.to_owned();
        self.write(move |tx| {
            let Some(found) = by_email_key(tx, &email_key)? else {
                return Ok(DisableOfficerOutcome::NotFound);
            };
            if found.disabled_at.is_some() {
                return Ok(DisableOfficerOutcome::AlreadyDisabled);
            }
            tx.prepare_cached("UPDATE officers SET disabled_at = ?2 WHERE id = ?1")?
                .execute(params![found.id, micros(now)])?;
            // Disabling ends every session of the officer at once.
            tx.prepare_cached("DELETE FROM officer_sessions WHERE officer_id = ?1")?
                .execute(params![found.id])?;
            append_audit_tx(tx, &audit)?;
            Ok(DisableOfficerOutcome::Disabled)
        })
        .await
    }
}
