//! Sign-in codes on SQLite.

use super::{SqliteStore, append_audit_tx, from_micros, micros, opt_from_micros, user_from_row};
use crate::StoreError;
use crate::model::*;
use crate::traits::AuthStore;
use async_trait::async_trait;
use izin_domain::EmailAddress;
use izin_domain::audit::{Actor, AuditAction};
use izin_domain::otp::{
    AttemptDecision, CodeCandidate, CodeRejection, IssueDecision, IssueHistory, constant_time_eq,
};
use izin_domain::rate_limit::FixedWindow;
use izin_domain::ways_in::{DECLARATION_NOT_MATCHED, Declaration};
use rusqlite::{Connection, OptionalExtension, params};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// How many of an address's newest codes are weighed when one is entered.
const CODES_CONSIDERED: i64 = 10;

pub(crate) fn hit_rate_limit_tx(
    conn: &Connection,
    bucket: &str,
    window: Duration,
    limit: u32,
    now: OffsetDateTime,
) -> Result<Result<(), i64>, StoreError> {
    let window = FixedWindow::containing(now, window);
    let hits: i64 = conn
        .prepare_cached(
            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?1, ?2, 1)
             ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1
             RETURNING hits",
        )?
        .query_row(params![bucket, micros(window.start)], |row| row.get(0))?;
    Ok(match window.over_limit(hits, limit, now) {
        Some(retry_after) => Err(retry_after),
        None => Ok(()),
    })
}

fn refuse(
    conn: &Connection,
    request: &IssueLoginCode,
    refusal: CodeRefusal,
) -> Result<IssueOutcome, StoreError> {
    let reason = refusal.code();
    append_audit_tx(
        conn,
        &NewAuditEntry::new(
            request.now,
            Actor::Anonymous,
            AuditAction::CodeRefused,
            &request.client,
        )
        .subject(format!("email:{}", request.email.key()))
        .detail("reason", reason),
    )?;
    Ok(IssueOutcome::Refused(refusal))
}

fn issue_tx(conn: &Connection, request: &IssueLoginCode) -> Result<IssueOutcome, StoreError> {
    let now = request.now;
    let policy = request.policy;
    if let Some(ip) = &request.client.ip {
        let bucket = format!("login-code:ip:{ip}");
        if let Err(retry) =
            hit_rate_limit_tx(conn, &bucket, Duration::HOUR, policy.per_ip_per_hour, now)?
        {
            return refuse(
                conn,
                request,
                CodeRefusal::ClientHourlyLimit {
                    retry_after_seconds: retry,
                },
            );
        }
    }
    // Counted per address *and* client: another client's requests for this address must not
    // stop its owner from getting a code.
    let (last, count, oldest): (Option<i64>, i64, Option<i64>) = conn
        .prepare_cached(
            "SELECT MAX(issued_at), COUNT(*), MIN(issued_at) FROM login_codes
              WHERE email_key = ?1 AND client_ip IS ?2 AND issued_at > ?3",
        )?
        .query_row(
            params![
                request.email.key(),
                request.client.ip,
                micros(now - Duration::HOUR)
            ],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
    let history = IssueHistory {
        last_issued_at: opt_from_micros(last)?,
        issued_in_last_hour: u32::try_from(count).unwrap_or(u32::MAX),
        oldest_in_last_hour: opt_from_micros(oldest)?,
    };
    match policy.decide_issue(&history, now) {
        IssueDecision::TooSoon { retry_after } => {
            return refuse(
                conn,
                request,
                CodeRefusal::TooSoon {
                    retry_after_seconds: retry_after.whole_seconds().max(1),
                },
            );
        }
        IssueDecision::HourlyLimit { retry_after } => {
            return refuse(
                conn,
                request,
                CodeRefusal::AddressHourlyLimit {
                    retry_after_seconds: retry_after.whole_seconds().max(1),
                },
            );
        }
        IssueDecision::Allow => {}
    }
    let expires_at = now + policy.lifetime;
    conn.prepare_cached(
        "INSERT INTO login_codes
                (email_key, email, code_hash, challenge_hash, client_ip, issued_at, expires_at,
                 declared)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        request.email.key(),
        request.email.as_str(),
        &request.code_hash[..],
        &request.challenge_hash[..],
        request.client.ip,
        micros(now),
        micros(expires_at),
        request
            .declared
            .as_ref()
            .map(serde_json::to_string)
            .transpose()?
    ])?;
    super::outbox::enqueue_tx(conn, &request.mail, now)?;
    append_audit_tx(
        conn,
        &NewAuditEntry::new(
            now,
            Actor::Anonymous,
            AuditAction::CodeRequested,
            &request.client,
        )
        .subject(format!("email:{}", request.email.key()))
        .detail(
            "way",
            request
                .declared
                .as_ref()
                .map_or("email", |d| d.declaration.way().code()),
        ),
    )?;
    Ok(IssueOutcome::Issued { expires_at })
}

/// Checks a code entered under a challenge: the client's hourly limit, then the challenge's
/// newest codes. A wrong code is counted and every refusal audited; a right one is returned
/// unused, for the caller to use in the same transaction as what it allows.
pub(crate) fn check_code_tx(
    conn: &Connection,
    check: &CodeCheck,
) -> Result<Result<RightCode, CodeRejection>, StoreError> {
    let now = check.now;
    let reject = |rejection: CodeRejection, subject: String| {
        append_audit_tx(
            conn,
            &NewAuditEntry::new(
                now,
                Actor::Anonymous,
                AuditAction::CodeRejected,
                &check.client,
            )
            .subject(subject)
            .detail("reason", rejection.code()),
        )?;
        Ok::<_, StoreError>(Err(rejection))
    };
    if let Some(ip) = &check.client.ip {
        let bucket = format!("login-verify:ip:{ip}");
        let limit = check.policy.verify_per_ip_per_hour;
        if let Err(retry) = hit_rate_limit_tx(conn, &bucket, Duration::HOUR, limit, now)? {
            return reject(
                CodeRejection::TooManyAttempts {
                    retry_after_seconds: retry,
                },
                format!("client:{ip}"),
            );
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, code_hash, expires_at, wrong_attempts, consumed_at IS NOT NULL, email_key, email,
                declared
           FROM login_codes WHERE challenge_hash = ?1
          ORDER BY issued_at DESC, id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(
        params![&check.challenge_hash[..], CODES_CONSIDERED],
        |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, Vec<u8>>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, bool>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, Option<String>>(6)?,
                row.get::<_, Option<String>>(7)?,
            ))
        },
    )?;
    let mut ids = Vec::new();
    let mut candidates = Vec::new();
    let mut address = None;
    let mut newest_declared = None;
    for row in rows {
        let (id, hash, expires_at, wrong_attempts, consumed, email_key, email, declared) = row?;
        if ids.is_empty() {
            newest_declared = declared;
        }
        ids.push(id);
        address.get_or_insert((email_key, email));
        candidates.push(CodeCandidate {
            matches: constant_time_eq(&hash, &check.submitted_hash),
            expires_at: from_micros(expires_at)?,
            wrong_attempts: u32::try_from(wrong_attempts).unwrap_or(u32::MAX),
            consumed,
        });
    }
    drop(stmt);
    let Some(email) = challenge_address(address, check.email.as_ref())? else {
        return reject(CodeRejection::NoCode, "challenge:unknown".to_owned());
    };
    let subject = format!("email:{}", email.key());
    match check.policy.decide_attempt(&candidates, now) {
        AttemptDecision::Reject(rejection) => reject(rejection, subject),
        AttemptDecision::CountWrong { rejection, .. } => {
            count_wrong_tx(conn, ids[0])?;
            reject(rejection, subject)
        }
        AttemptDecision::Accept => Ok(Ok(RightCode {
            code_id: ids[0],
            email,
            declared: newest_declared
                .map(|text| serde_json::from_str(&text))
                .transpose()?,
        })),
    }
}

/// Counts a wrong attempt against a code (a wrong code, or a wrong second factor with it).
pub(crate) fn count_wrong_tx(conn: &Connection, code_id: i64) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE login_codes SET wrong_attempts = wrong_attempts + 1 WHERE id = ?1",
    )?
    .execute(params![code_id])?;
    Ok(())
}

/// Uses a right code up; false when a concurrent request used it first.
pub(crate) fn consume_code_tx(
    conn: &Connection,
    code_id: i64,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached(
            "UPDATE login_codes SET consumed_at = ?2 WHERE id = ?1 AND consumed_at IS NULL",
        )?
        .execute(params![code_id, micros(now)])?
        == 1)
}

/// Audits a sign-in refused after its code was found right.
fn audit_refusal(
    conn: &Connection,
    attempt: &CodeAttempt,
    email: &EmailAddress,
    reason: &str,
) -> Result<(), StoreError> {
    append_audit_tx(
        conn,
        &NewAuditEntry::new(
            attempt.now,
            Actor::Anonymous,
            AuditAction::CodeRejected,
            &attempt.client,
        )
        .subject(format!("email:{}", email.key()))
        .detail("reason", reason),
    )?;
    Ok(())
}

fn sign_in_tx(conn: &Connection, attempt: &CodeAttempt) -> Result<SignInOutcome, StoreError> {
    let now = attempt.now;
    let (email, declared) = match check_code_tx(conn, &attempt.check())? {
        Ok(right) => {
            if !consume_code_tx(conn, right.code_id, now)? {
                audit_refusal(
                    conn,
                    attempt,
                    &right.email,
                    CodeRejection::AlreadyUsed.code(),
                )?;
                return Ok(SignInOutcome::Rejected(CodeRejection::AlreadyUsed));
            }
            (right.email, right.declared)
        }
        Err(rejection) => return Ok(SignInOutcome::Rejected(rejection)),
    };
    if declared.as_ref().is_some_and(|d| !d.matched) {
        audit_refusal(conn, attempt, &email, DECLARATION_NOT_MATCHED)?;
        return Ok(SignInOutcome::DeclarationNotMatched);
    }
    let existing = conn
        .prepare_cached(
            "SELECT id, email, language, created_at, last_sign_in_at FROM users WHERE email_key = ?1",
        )?
        .query_row(params![email.key()], |row| Ok(user_from_row(row, 0)))
        .optional()?
        .transpose()?;
    let (user, created) = match existing {
        Some(mut user) => {
            conn.prepare_cached(
                "UPDATE users SET last_sign_in_at = ?2, language = ?3 WHERE id = ?1",
            )?
            .execute(params![user.id, micros(now), attempt.language.code()])?;
            user.last_sign_in_at = Some(now);
            user.language = attempt.language;
            (user, false)
        }
        None => {
            let user = User {
                id: attempt.new_user_id,
                email: email.as_str().to_owned(),
                language: attempt.language,
                created_at: now,
                last_sign_in_at: Some(now),
            };
            conn.prepare_cached(
                "INSERT INTO users (id, email, email_key, language, created_at, last_sign_in_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            )?
            .execute(params![
                user.id,
                user.email,
                email.key(),
                user.language.code(),
                micros(now)
            ])?;
            (user, true)
        }
    };
    conn.prepare_cached(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, ip, user_agent)
         VALUES (?1, ?2, ?3, ?3, ?4, ?5)",
    )?
    .execute(params![
        &attempt.session_token_hash[..],
        user.id,
        micros(now),
        attempt.client.ip,
        attempt.client.user_agent
    ])?;
    let user_subject = format!("user:{}", user.id);
    if let Some(declared) = &declared {
        conn.prepare_cached(
            "UPDATE users SET declared_identity = ?2, declared_at = ?3 WHERE id = ?1",
        )?
        .execute(params![
            user.id,
            serde_json::to_string(&declared.declaration)?,
            micros(now)
        ])?;
        append_audit_tx(
            conn,
            &NewAuditEntry::new(
                now,
                Actor::User(user.id),
                AuditAction::IdentityDeclared,
                &attempt.client,
            )
            .subject(user_subject.clone())
            .detail("way", declared.declaration.way().code()),
        )?;
    }
    if created {
        append_audit_tx(
            conn,
            &NewAuditEntry::new(
                now,
                Actor::User(user.id),
                AuditAction::AccountCreated,
                &attempt.client,
            )
            .subject(user_subject.clone()),
        )?;
    }
    append_audit_tx(
        conn,
        &NewAuditEntry::new(
            now,
            Actor::User(user.id),
            AuditAction::SignedIn,
            &attempt.client,
        )
        .subject(user_subject)
        .detail(
            "method",
            declared
                .as_ref()
                .map_or("email_code", |d| d.declaration.way().code()),
        ),
    )?;
    Ok(SignInOutcome::SignedIn { user, created })
}

#[async_trait]
impl AuthStore for SqliteStore {
    async fn issue_login_code(&self, request: IssueLoginCode) -> Result<IssueOutcome, StoreError> {
        self.write(move |tx| issue_tx(tx, &request)).await
    }

    async fn sign_in_with_code(&self, attempt: CodeAttempt) -> Result<SignInOutcome, StoreError> {
        self.write(move |tx| sign_in_tx(tx, &attempt)).await
    }

    async fn declared_identity(
        &self,
        user: Uuid,
    ) -> Result<Option<(Declaration, OffsetDateTime)>, StoreError> {
        self.read(move |conn| {
            let row: Option<(Option<String>, Option<i64>)> = conn
                .prepare_cached("SELECT declared_identity, declared_at FROM users WHERE id = ?1")?
                .query_row(params![user], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?;
            match row {
                Some((Some(text), Some(at))) => {
                    Ok(Some((serde_json::from_str(&text)?, from_micros(at)?)))
                }
                _ => Ok(None),
            }
        })
        .await
    }

    async fn hit_rate_limit(
        &self,
        bucket: &str,
        window: Duration,
        limit: u32,
        now: OffsetDateTime,
    ) -> Result<Result<(), i64>, StoreError> {
        let bucket = bucket.to_owned();
        self.write(move |tx| hit_rate_limit_tx(tx, &bucket, window, limit, now))
            .await
    }
}
