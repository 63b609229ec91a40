//! The PostgreSQL backend (tokio-postgres with a deadpool pool): for several instances behind a
//! load balancer. Everything that must be shared — sessions, codes, rate-limit counters, queued
//! mail — lives here, and per-address work is serialised with transaction-scoped advisory locks.

mod applications;
mod auth;
mod back_office;
mod cargo;
mod officers;
mod outbox;
mod payments;
mod profile;
mod proof_documents;
mod registry;

use crate::StoreError;
use crate::migrate::{MIGRATIONS, latest_version};
use crate::model::*;
use crate::traits::*;
use async_trait::async_trait;
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use izin_domain::Language;
use std::time::Duration as StdDuration;
use time::OffsetDateTime;
use tokio_postgres::NoTls;
use uuid::Uuid;

/// Serialises schema migrations of concurrently starting instances.
const MIGRATION_LOCK: i64 = 0x697a_696e_5f6d_6967; // "izin_mig"
const POOL_SIZE: usize = 16;

#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
}

impl PostgresStore {
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Unavailable(format!("bad PostgreSQL URL: {e}")))?;
        if config.get_ssl_mode() == tokio_postgres::config::SslMode::Require {
            return Err(StoreError::Unavailable(
                "sslmode=require is not supported yet; connect over a trusted network or a local \
                 TLS-terminating proxy"
                    .into(),
            ));
        }
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(StdDuration::from_secs(10)))
            .create_timeout(Some(StdDuration::from_secs(10)))
            .build()
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let store = Self { pool };
        store.migrate().await?;
        Ok(store)
    }

    pub(crate) async fn client(&self) -> Result<deadpool_postgres::Client, StoreError> {
        Ok(self.pool.get().await?)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        client
            .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        let result = migrate_locked(&mut client).await;
        let unlock = client
            .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
            .await;
        result?;
        unlock?;
        Ok(())
    }
}

async fn migrate_locked(client: &mut deadpool_postgres::Client) -> Result<(), StoreError> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version    BIGINT PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )",
        )
        .await?;
    let current: i64 = client
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )
        .await?
        .get(0);
    if current > latest_version() {
        return Err(StoreError::Schema(format!(
            "the database is at schema version {current}, newer than this program ({}); run a newer izin",
            latest_version()
        )));
    }
    for migration in MIGRATIONS.iter().filter(|m| m.version > current) {
        let tx = client.transaction().await?;
        tx.batch_execute(migration.postgres).await.map_err(|e| {
            StoreError::Schema(format!(
                "migration {} ({}) failed: {e}",
                migration.version, migration.name
            ))
        })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
            &[&migration.version, &migration.name],
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

pub(crate) fn language(code: &str) -> Result<Language, StoreError> {
    Language::from_tag(code).ok_or_else(|| StoreError::Corrupt(format!("language {code:?}")))
}

/// Reads a user from columns `id, email, language, created_at, last_sign_in_at` at `offset`.
pub(crate) fn user_from_row(row: &tokio_postgres::Row, offset: usize) -> Result<User, StoreError> {
    Ok(User {
        id: row.try_get(offset)?,
        email: row.try_get(offset + 1)?,
        language: language(row.try_get(offset + 2)?)?,
        created_at: row.try_get(offset + 3)?,
        last_sign_in_at: row.try_get(offset + 4)?,
    })
}

pub(crate) async fn append_audit_tx(
    client: &impl GenericClient,
    entry: &NewAuditEntry,
) -> Result<i64, StoreError> {
    let stmt = client
        .prepare_cached(
            "INSERT INTO audit_log (at, actor_kind, actor_id, action, subject, details, ip, user_agent)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .await?;
    let row = client
        .query_one(
            &stmt,
            &[
                &entry.at,
                &entry.actor.kind(),
                &entry.actor.id(),
                &entry.action.code(),
                &entry.subject,
                &entry.details,
                &entry.client.ip,
                &entry.client.user_agent,
            ],
        )
        .await?;
    Ok(row.try_get(0)?)
}

#[async_trait]
impl HealthStore for PostgresStore {
    async fn ping(&self) -> Result<(), StoreError> {
        let client = self.client().await?;
        client.query_one("SELECT 1", &[]).await?;
        Ok(())
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn purge(&self, retention: Retention) -> Result<PurgeReport, StoreError> {
        let client = self.client().await?;
        let sessions = client
            .execute(
                "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2",
                &[
                    &retention.sessions_seen_before,
                    &retention.sessions_created_before,
                ],
            )
            .await?;
        let login_codes = client
            .execute(
                "DELETE FROM login_codes WHERE issued_at < $1",
                &[&retention.codes_issued_before],
            )
            .await?;
        let rate_limit_windows = client
            .execute(
                "DELETE FROM rate_limits WHERE window_start < $1",
                &[&retention.rate_windows_before],
            )
            .await?;
        let outbox_messages = client
            .execute(
                "DELETE FROM outbox WHERE status <> 'pending' AND finished_at < $1",
                &[&retention.outbox_finished_before],
            )
            .await?;
        Ok(PurgeReport {
            sessions,
            login_codes,
            rate_limit_windows,
            outbox_messages,
        })
    }
}

#[async_trait]
impl SettingsStore for PostgresStore {
    async fn secret(&self, name: &str, candidate: &[u8]) -> Result<Vec<u8>, StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                &[&name, &candidate],
            )
            .await?;
        let row = client
            .query_one("SELECT value FROM settings WHERE name = $1", &[&name])
            .await?;
        Ok(row.try_get(0)?)
    }
}

#[async_trait]
impl SessionStore for PostgresStore {
    async fn session(&self, token_hash: &Hash32) -> Result<Option<SessionRecord>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT s.created_at, s.last_seen_at,
                        u.id, u.email, u.language, u.created_at, u.last_sign_in_at
                   FROM sessions s JOIN users u ON u.id = s.user_id
                  WHERE s.token_hash = $1",
            )
            .await?;
        let Some(row) = client.query_opt(&stmt, &[&&token_hash[..]]).await? else {
            return Ok(None);
        };
        Ok(Some(SessionRecord {
            token_hash: *token_hash,
            user: user_from_row(&row, 2)?,
            created_at: row.try_get(0)?,
            last_seen_at: row.try_get(1)?,
        }))
    }

    async fn touch_session(
        &self,
        token_hash: &Hash32,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "UPDATE sessions SET last_seen_at = GREATEST(last_seen_at, $2) WHERE token_hash = $1",
            )
            .await?;
        client.execute(&stmt, &[&&token_hash[..], &now]).await?;
        Ok(())
    }

    async fn end_session(
        &self,
        token_hash: &Hash32,
        audit: NewAuditEntry,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let ended = tx
            .execute(
                "DELETE FROM sessions WHERE token_hash = $1",
                &[&&token_hash[..]],
            )
            .await?;
        if ended > 0 {
            append_audit_tx(&tx, &audit).await?;
        }
        tx.commit().await?;
        Ok(ended > 0)
    }
}

#[async_trait]
impl UserStore for PostgresStore {
    async fn user(&self, id: Uuid) -> Result<Option<User>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT id, email, language, created_at, last_sign_in_at FROM users WHERE id = $1",
            )
            .await?;
        client
            .query_opt(&stmt, &[&id])
            .await?
            .map(|row| user_from_row(&row, 0))
            .transpose()
    }

    async fn user_by_email_key(&self, email_key: &str) -> Result<Option<User>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT id, email, language, created_at, last_sign_in_at FROM users WHERE email_key = $1",
            )
            .await?;
        client
            .query_opt(&stmt, &[&email_key])
            .await?
            .map(|row| user_from_row(&row, 0))
            .transpose()
    }

    async fn set_user_language(
        &self,
        id: Uuid,
        language: Language,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let changed = tx
            .execute(
                "UPDATE users SET language = $2 WHERE id = $1 AND language <> $2",
                &[&id, &language.code()],
            )
            .await?;
        if changed > 0 {
            append_audit_tx(&tx, &audit).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

#[async_trait]
impl AuditStore for PostgresStore {
    async fn append_audit(&self, entry: NewAuditEntry) -> Result<i64, StoreError> {
        let client = self.client().await?;
        append_audit_tx(&client, &entry).await
    }

    async fn audit_entries(
        &self,
        subject: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT id, at, actor_kind, actor_id, action, subject, details, ip, user_agent
                   FROM audit_log
                  WHERE $1::text IS NULL OR subject = $1
                  ORDER BY id DESC
                  LIMIT $2",
            )
            .await?;
        let rows = client.query(&stmt, &[&subject, &i64::from(limit)]).await?;
        rows.iter()
            .map(|row| {
                Ok(AuditRecord {
                    id: row.try_get(0)?,
                    at: row.try_get(1)?,
                    actor_kind: row.try_get(2)?,
                    actor_id: row.try_get(3)?,
                    action: row.try_get(4)?,
                    subject: row.try_get(5)?,
                    details: row.try_get(6)?,
                    ip: row.try_get(7)?,
                    user_agent: row.try_get(8)?,
                })
            })
            .collect()
    }
}
