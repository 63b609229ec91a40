//! The SQLite backend (rusqlite): the embedded default for one instance.
//!
//! One writer thread owns the write connection and commits in groups: the units of work waiting
//! when it becomes free run one after another inside one `BEGIN IMMEDIATE` transaction, each in
//! its own savepoint (a unit that fails is rolled back alone), and every caller is answered only
//! after the group's `COMMIT`. With `synchronous = FULL` each acknowledged write survives power
//! loss, yet concurrent writers share one sync of the log instead of queueing for one each.
//! Readers come from a small pool and run concurrently under WAL.

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
use izin_domain::Language;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use time::OffsetDateTime;
use uuid::Uuid;

const MAX_IDLE_READERS: usize = 8;
const BUSY_TIMEOUT_MS: u32 = 5_000;
/// The most units of work one group commit takes.
const MAX_GROUP: usize = 64;

#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: std::sync::mpsc::Sender<Job>,
    readers: Mutex<Vec<Connection>>,
}

/// A unit of work for the writer thread. It runs inside the group's transaction and returns
/// whether it succeeded (else its savepoint is rolled back) and how to answer its caller once
/// the group's commit is known.
type Job = Box<dyn FnOnce(&Connection) -> Completion + Send>;

struct Completion {
    succeeded: bool,
    answer: Box<dyn FnOnce(Result<(), StoreError>) + Send>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and migrates it.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let path = path.to_owned();
        tokio::task::spawn_blocking(move || Self::open_blocking(path))
            .await
            .map_err(|e| StoreError::Backend(format!("storage task failed: {e}")))?
    }

    fn open_blocking(path: PathBuf) -> Result<Self, StoreError> {
        let mut writer = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", path.display())))?;
        configure(&writer, false)?;
        migrate(&mut writer)?;
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("izin-sqlite-writer".into())
            .spawn(move || run_writer(writer, queue))
            .map_err(|e| StoreError::Unavailable(format!("cannot start the writer thread: {e}")))?;
        Ok(Self {
            inner: Arc::new(Inner {
                path,
                writer: jobs,
                readers: Mutex::new(Vec::new()),
            }),
        })
    }

    /// Runs `work` as one unit of a write transaction that holds the write lock from its first
    /// statement; answers after the commit. Either all of `work`'s changes are durable or none.
    pub(crate) async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, answer) = tokio::sync::oneshot::channel::<Result<T, StoreError>>();
        let job: Job = Box::new(move |conn: &Connection| match work(conn) {
            Ok(value) => Completion {
                succeeded: true,
                answer: Box::new(move |commit: Result<(), StoreError>| {
                    let _ = reply.send(commit.map(|()| value));
                }),
            },
            Err(error) => Completion {
                succeeded: false,
                answer: Box::new(move |_| {
                    let _ = reply.send(Err(error));
                }),
            },
        });
        self.inner
            .writer
            .send(job)
            .map_err(|_| StoreError::Unavailable("the SQLite writer has stopped".into()))?;
        answer.await.map_err(|_| {
            StoreError::Unavailable("the SQLite writer could not run this change".into())
        })?
    }

    /// Runs `work` on a pooled read-only connection, on the calling thread.
    ///
    /// Reads are indexed lookups taking microseconds, and under WAL they never wait for a lock;
    /// handing them to the blocking pool would cost more than the query itself. At most one read
    /// runs per runtime thread at a time, so the pool stays as small as the runtime.
    pub(crate) async fn read<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        F: FnOnce(&Connection) -> Result<T, StoreError>,
    {
        let conn = self.inner.take_reader()?;
        let result = work(&conn);
        self.inner.return_reader(conn);
        result
    }
}

impl Inner {
    fn take_reader(&self) -> Result<Connection, StoreError> {
        if let Some(conn) = self
            .readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
        {
            return Ok(conn);
        }
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| {
            StoreError::Unavailable(format!("cannot open {}: {e}", self.path.display()))
        })?;
        configure(&conn, true)?;
        Ok(conn)
    }

    fn return_reader(&self, conn: Connection) {
        let mut readers = self.readers.lock().unwrap_or_else(PoisonError::into_inner);
        if readers.len() < MAX_IDLE_READERS {
            readers.push(conn);
        }
    }
}

/// The writer thread: takes the waiting units of work as one group, runs each in a savepoint of
/// one transaction, commits once and then answers every caller with the commit's outcome.
fn run_writer(conn: Connection, jobs: std::sync::mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
            tracing::error!(error = %e, "cannot begin a write transaction");
            // Dropping the units answers their callers with an error.
            continue;
        }
        let mut completions = Vec::with_capacity(group.len());
        let mut broken = false;
        for job in group {
            if broken || conn.execute_batch("SAVEPOINT unit").is_err() {
                broken = true;
                continue;
            }
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&conn))) {
                Ok(completion) => {
                    let end = if completion.succeeded {
                        "RELEASE unit"
                    } else {
                        "ROLLBACK TO unit; RELEASE unit"
                    };
                    if conn.execute_batch(end).is_err() {
                        broken = true;
                    }
                    completions.push(completion);
                }
                Err(_) => {
                    tracing::error!("a storage unit of work panicked; it is rolled back");
                    if conn
                        .execute_batch("ROLLBACK TO unit; RELEASE unit")
                        .is_err()
                    {
                        broken = true;
                    }
                }
            }
        }
        let commit = if broken {
            Err("the transaction could not be completed".to_owned())
        } else {
            conn.execute_batch("COMMIT").map_err(|e| e.to_string())
        };
        if commit.is_err() && !conn.is_autocommit() {
            let _ = conn.execute_batch("ROLLBACK");
        }
        for completion in completions {
            let outcome = match &commit {
                Ok(()) => Ok(()),
                Err(why) => Err(StoreError::Unavailable(format!("commit failed: {why}"))),
            };
            (completion.answer)(outcome);
        }
    }
}

fn configure(conn: &Connection, read_only: bool) -> Result<(), StoreError> {
    conn.busy_timeout(std::time::Duration::from_millis(u64::from(BUSY_TIMEOUT_MS)))?;
    conn.set_prepared_statement_cache_capacity(64);
    // A stable plan per statement: otherwise the bundled SQLite (built with STAT4) re-parses a
    // cached statement whenever a bound value changes, which costs more than the lookup.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Pages are read through a memory map and a 16 MiB cache instead of a read call each.
    conn.pragma_update(None, "mmap_size", 268_435_456_i64)?;
    conn.pragma_update(None, "cache_size", -16_000_i64)?;
    if read_only {
        // WAL is a property of the database file, set once by the writer.
        conn.pragma_update(None, "query_only", "ON")?;
    } else {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: every acknowledged commit is on disk, so it survives power loss.
        conn.pragma_update(None, "synchronous", "FULL")?;
    }
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at INTEGER NOT NULL
        ) STRICT;",
    )?;
    let current: i64 = tx.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |row| row.get(0),
    )?;
    if current > latest_version() {
        return Err(StoreError::Schema(format!(
            "the database is at schema version {current}, newer than this program ({}); \
             run a newer izin",
            latest_version()
        )));
    }
    for migration in MIGRATIONS.iter().filter(|m| m.version > current) {
        tx.execute_batch(migration.sqlite).map_err(|e| {
            StoreError::Schema(format!(
                "migration {} ({}) failed: {e}",
                migration.version, migration.name
            ))
        })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            params![
                migration.version,
                migration.name,
                micros(OffsetDateTime::now_utc())
            ],
        )?;
    }
    tx.commit()?;
    Ok(())
}

pub(crate) fn micros(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000) as i64
}

pub(crate) fn from_micros(value: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(value) * 1_000)
        .map_err(|e| StoreError::Corrupt(format!("timestamp {value}: {e}")))
}

pub(crate) fn opt_from_micros(value: Option<i64>) -> Result<Option<OffsetDateTime>, StoreError> {
    value.map(from_micros).transpose()
}

pub(crate) fn language(code: &str) -> Result<Language, StoreError> {
    Language::from_tag(code).ok_or_else(|| StoreError::Corrupt(format!("language {code:?}")))
}

/// Reads a user from columns `id, email, language, created_at, last_sign_in_at` at `offset`.
pub(crate) fn user_from_row(row: &rusqlite::Row<'_>, offset: usize) -> Result<User, StoreError> {
    let language_code: String = row.get(offset + 2)?;
    Ok(User {
        id: row.get(offset)?,
        email: row.get(offset + 1)?,
        language: language(&language_code)?,
        created_at: from_micros(row.get(offset + 3)?)?,
        last_sign_in_at: opt_from_micros(row.get(offset + 4)?)?,
    })
}

pub(crate) fn append_audit_tx(conn: &Connection, entry: &NewAuditEntry) -> Result<i64, StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO audit_log (at, actor_kind, actor_id, action, subject, details, ip, user_agent)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    stmt.execute(params![
        micros(entry.at),
        entry.actor.kind(),
        entry.actor.id(),
        entry.action.code(),
        entry.subject,
        serde_json::to_string(&entry.details)?,
        entry.client.ip,
        entry.client.user_agent,
    ])?;
    Ok(conn.last_insert_rowid())
}

#[async_trait]
impl HealthStore for SqliteStore {
    async fn ping(&self) -> Result<(), StoreError> {
        self.read(|conn| Ok(conn.query_row("SELECT 1", [], |_| Ok(()))?))
            .await
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn purge(&self, retention: Retention) -> Result<PurgeReport, StoreError> {
        self.write(move |tx| {
            let sessions = tx.execute(
                "DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2",
                params![
                    micros(retention.sessions_seen_before),
                    micros(retention.sessions_created_before)
                ],
            )?;
            let login_codes = tx.execute(
                "DELETE FROM login_codes WHERE issued_at < ?1",
                params![micros(retention.codes_issued_before)],
            )?;
            let rate_limit_windows = tx.execute(
                "DELETE FROM rate_limits WHERE window_start < ?1",
                params![micros(retention.rate_windows_before)],
            )?;
            let outbox_messages = tx.execute(
                "DELETE FROM outbox WHERE status <> 'pending' AND finished_at < ?1",
                params![micros(retention.outbox_finished_before)],
            )?;
            Ok(PurgeReport {
                sessions: sessions as u64,
                login_codes: login_codes as u64,
                rate_limit_windows: rate_limit_windows as u64,
                outbox_messages: outbox_messages as u64,
            })
        })
        .await
    }
}

#[async_trait]
impl SettingsStore for SqliteStore {
    async fn secret(&self, name: &str, candidate: &[u8]) -> Result<Vec<u8>, StoreError> {
        let name = name.to_owned();
        let candidate = candidate.to_vec();
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO settings (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
                params![name, candidate],
            )?;
            Ok(tx.query_row(
                "SELECT value FROM settings WHERE name = ?1",
                params![name],
                |row| row.get(0),
            )?)
        })
        .await
    }
}

#[async_trait]
impl SessionStore for SqliteStore {
    async fn session(&self, token_hash: &Hash32) -> Result<Option<SessionRecord>, StoreError> {
        let token_hash = *token_hash;
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT s.created_at, s.last_seen_at,
                        u.id, u.email, u.language, u.created_at, u.last_sign_in_at
                   FROM sessions s JOIN users u ON u.id = s.user_id
                  WHERE s.token_hash = ?1",
            )?;
            let row = stmt
                .query_row(params![&token_hash[..]], |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, i64>(1)?,
                        user_from_row(row, 2),
                    ))
                })
                .optional()?;
            let Some((created_at, last_seen_at, user)) = row else {
                return Ok(None);
            };
            Ok(Some(SessionRecord {
                token_hash,
                user: user?,
                created_at: from_micros(created_at)?,
                last_seen_at: from_micros(last_seen_at)?,
            }))
        })
        .await
    }

    async fn touch_session(
        &self,
        token_hash: &Hash32,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let token_hash = *token_hash;
        self.write(move |tx| {
            tx.execute(
                "UPDATE sessions SET last_seen_at = MAX(last_seen_at, ?2) WHERE token_hash = ?1",
                params![&token_hash[..], micros(now)],
            )?;
            Ok(())
        })
        .await
    }

    async fn end_session(
        &self,
        token_hash: &Hash32,
        audit: NewAuditEntry,
    ) -> Result<bool, StoreError> {
        let token_hash = *token_hash;
        self.write(move |tx| {
            let ended = tx.execute(
                "DELETE FROM sessions WHERE token_hash = ?1",
                params![&token_hash[..]],
            )?;
            if ended > 0 {
                append_audit_tx(tx, &audit)?;
            }
            Ok(ended > 0)
        })
        .await
    }
}

#[async_trait]
impl UserStore for SqliteStore {
    async fn user(&self, id: Uuid) -> Result<Option<User>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, email, language, created_at, last_sign_in_at FROM users WHERE id = ?1",
            )?;
            stmt.query_row(params![id], |row| Ok(user_from_row(row, 0)))
                .optional()?
                .transpose()
        })
        .await
    }

    async fn user_by_email_key(&self, email_key: &str) -> Result<Option<User>, StoreError> {
        let email_key = email_key.to_owned();
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, email, language, created_at, last_sign_in_at
                   FROM users WHERE email_key = ?1",
            )?;
            stmt.query_row(params![email_key], |row| Ok(user_from_row(row, 0)))
                .optional()?
                .transpose()
        })
        .await
    }

    async fn set_user_language(
        &self,
        id: Uuid,
        language: Language,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.write(move |tx| {
            let changed = tx.execute(
                "UPDATE users SET language = ?2 WHERE id = ?1 AND language <> ?2",
                params![id, language.code()],
            )?;
            if changed > 0 {
                append_audit_tx(tx, &audit)?;
            }
            Ok(())
        })
        .await
    }
}

#[async_trait]
impl AuditStore for SqliteStore {
    async fn append_audit(&self, entry: NewAuditEntry) -> Result<i64, StoreError> {
        self.write(move |tx| append_audit_tx(tx, &entry)).await
    }

    async fn audit_entries(
        &self,
        subject: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let subject = subject.map(str::to_owned);
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, at, actor_kind, actor_id, action, subject, details, ip, user_agent
                   FROM audit_log
                  WHERE ?1 IS NULL OR subject = ?1
                  ORDER BY id DESC
                  LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![subject, limit], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, Option<Uuid>>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, Option<String>>(5)?,
                    row.get::<_, String>(6)?,
                    row.get::<_, Option<String>>(7)?,
                    row.get::<_, Option<String>>(8)?,
                ))
            })?;
            let mut records = Vec::new();
            for row in rows {
                let (id, at, actor_kind, actor_id, action, subject, details, ip, user_agent) = row?;
                records.push(AuditRecord {
                    id,
                    at: from_micros(at)?,
                    actor_kind,
                    actor_id,
                    action,
                    subject,
                    details: serde_json::from_str(&details)?,
                    ip,
                    user_agent,
                });
            }
            Ok(records)
        })
        .await
    }
}
