//! Sign-in codes on PostgreSQL. Work on one address (for one client) and on one challenge is
//! serialised by an advisory lock on its key, so two instances cannot both send a code inside the
//! same minute or both count a stale guess.

use super::{PostgresStore, append_audit_tx, user_from_row};
use crate::StoreError;
use crate::model::*;
use crate::traits::AuthStore;
use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use izin_domain::audit::{Actor, AuditAction};
use izin_domain::otp::{
    AttemptDecision, CodeCandidate, CodeRejection, IssueDecision, IssueHistory, constant_time_eq,
};
use izin_domain::rate_limit::FixedWindow;
use izin_domain::ways_in::{DECLARATION_NOT_MATCHED, Declaration};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

const CODES_CONSIDERED: i64 = 10;

async fn lock(client: &impl GenericClient, key: &str) -> Result<(), StoreError> {
    client
        .execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 7))",
            &[&key],
        )
        .await?;
    Ok(())
}

pub(crate) async fn hit_rate_limit_tx(
    client: &impl GenericClient,
    bucket: &str,
    window: Duration,
    limit: u32,
    now: OffsetDateTime,
) -> Result<Result<(), i64>, StoreError> {
    let window = FixedWindow::containing(now, window);
    let stmt = client
        .prepare_cached(
            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
             ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
             RETURNING hits",
        )
        .await?;
    let hits: i32 = client
        .query_one(&stmt, &[&bucket, &window.start])
        .await?
        .try_get(0)?;
    Ok(match window.over_limit(i64::from(hits), limit, now) {
        Some(retry_after) => Err(retry_after),
        None => Ok(()),
    })
}

async fn refuse(
    client: &impl GenericClient,
    request: &IssueLoginCode,
    refusal: CodeRefusal,
) -> Result<IssueOutcome, StoreError> {
    let reason = refusal.code();
    append_audit_tx(
        client,
        &NewAuditEntry::new(
            request.now,
            Actor::Anonymous,
            AuditAction::CodeRefused,
            &request.client,
        )
        .subject(format!("email:{}", request.email.key()))
        .detail("reason", reason),
    )
    .await?;
    Ok(IssueOutcome::Refused(refusal))
}

async fn issue_tx(
    client: &impl GenericClient,
    request: &IssueLoginCode,
) -> Result<IssueOutcome, StoreError> {
    let now = request.now;
    let policy = request.policy;
    if let Some(ip) = &request.client.ip {
        let bucket = format!("login-code:ip:{ip}");
        if let Err(retry) =
            hit_rate_limit_tx(client, &bucket, Duration::HOUR, policy.per_ip_per_hour, now).await?
        {
            return refuse(
                client,
                request,
                CodeRefusal::ClientHourlyLimit {
                    retry_after_seconds: retry,
                },
            )
            .await;
        }
    }
    // Counted per address *and* client: another client's requests for this address must not
    // stop its owner from getting a code.
    let ip = request.client.ip.as_deref().unwrap_or_default();
    lock(client, &format!("{}\n{ip}", request.email.key())).await?;
    let stmt = client
        .prepare_cached(
            "SELECT MAX(issued_at), COUNT(*), MIN(issued_at) FROM login_codes
              WHERE email_key = $1 AND client_ip IS NOT DISTINCT FROM $2 AND issued_at > $3",
        )
        .await?;
    let row = client
        .query_one(
            &stmt,
            &[
                &request.email.key(),
                &request.client.ip,
                &(now - Duration::HOUR),
            ],
        )
        .await?;
    let count: i64 = row.try_get(1)?;
    let history = IssueHistory {
        last_issued_at: row.try_get(0)?,
        issued_in_last_hour: u32::try_from(count).unwrap_or(u32::MAX),
        oldest_in_last_hour: row.try_get(2)?,
    };
    match policy.decide_issue(&history, now) {
        IssueDecision::TooSoon { retry_after } => {
            return refuse(
                client,
                request,
                CodeRefusal::TooSoon {
                    retry_after_seconds: retry_after.whole_seconds().max(1),
                },
            )
            .await;
        }
        IssueDecision::HourlyLimit { retry_after } => {
            return refuse(
                client,
                request,
                CodeRefusal::AddressHourlyLimit {
                    retry_after_seconds: retry_after.whole_seconds().max(1),
                },
            )
            .await;
        }
        IssueDecision::Allow => {}
    }
    let expires_at = now + policy.lifetime;
    let stmt = client
        .prepare_cached(
            "INSERT INTO login_codes
                    (email_key, email, code_hash, challenge_hash, client_ip, issued_at, expires_at,
                     declared)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .await?;
    let declared = request
        .declared
        .as_ref()
        .map(serde_json::to_value)
        .transpose()?;
    client
        .execute(
            &stmt,
            &[
                &request.email.key(),
                &request.email.as_str(),
                &&request.code_hash[..],
                &&request.challenge_hash[..],
                &request.client.ip,
                &now,
                &expires_at,
                &declared,
            ],
        )
        .await?;
    super::outbox::enqueue_tx(client, &request.mail, now).await?;
    append_audit_tx(
        client,
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
    )
    .await?;
    Ok(IssueOutcome::Issued { expires_at })
}

async fn reject(
    client: &impl GenericClient,
    check: &CodeCheck,
    subject: String,
    rejection: CodeRejection,
) -> Result<CodeRejection, StoreError> {
    append_audit_tx(
        client,
        &NewAuditEntry::new(
            check.now,
            Actor::Anonymous,
            AuditAction::CodeRejected,
            &check.client,
        )
        .subject(subject)
        .detail("reason", rejection.code()),
    )
    .await?;
    Ok(rejection)
}

/// Checks a code entered under a challenge: the client's hourly limit, then the challenge's
/// newest codes (under the challenge's lock). A wrong code is counted and every refusal audited;
/// a right one is returned unused, for the caller to use in the same transaction as what it
/// allows.
pub(crate) async fn check_code_tx(
    client: &impl GenericClient,
    check: &CodeCheck,
) -> Result<Result<RightCode, CodeRejection>, StoreError> {
    let now = check.now;
    if let Some(ip) = &check.client.ip {
        let bucket = format!("login-verify:ip:{ip}");
        let limit = check.policy.verify_per_ip_per_hour;
        if let Err(retry) = hit_rate_limit_tx(client, &bucket, Duration::HOUR, limit, now).await? {
            let rejection = CodeRejection::TooManyAttempts {
                retry_after_seconds: retry,
            };
            return Ok(Err(reject(
                client,
                check,
                format!("client:{ip}"),
                rejection,
            )
            .await?));
        }
    }
    let challenge: String = check
        .challenge_hash
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    lock(client, &challenge).await?;
    let stmt = client
        .prepare_cached(
            "SELECT id, code_hash, expires_at, wrong_attempts, consumed_at IS NOT NULL, email_key, email,
                    declared
               FROM login_codes WHERE challenge_hash = $1
              ORDER BY issued_at DESC, id DESC LIMIT $2",
        )
        .await?;
    let rows = client
        .query(&stmt, &[&&check.challenge_hash[..], &CODES_CONSIDERED])
        .await?;
    let mut ids = Vec::with_capacity(rows.len());
    let mut candidates = Vec::with_capacity(rows.len());
    let mut address = None;
    for row in &rows {
        let hash: &[u8] = row.try_get(1)?;
        let wrong_attempts: i32 = row.try_get(3)?;
        ids.push(row.try_get::<_, i64>(0)?);
        if address.is_none() {
            address = Some((row.try_get::<_, String>(5)?, row.try_get(6)?));
        }
        candidates.push(CodeCandidate {
            matches: constant_time_eq(hash, &check.submitted_hash),
            expires_at: row.try_get(2)?,
            wrong_attempts: u32::try_from(wrong_attempts).unwrap_or(u32::MAX),
            consumed: row.try_get(4)?,
        });
    }
    let Some(email) = challenge_address(address, check.email.as_ref())? else {
        let unknown = "challenge:unknown".to_owned();
        return Ok(Err(
            reject(client, check, unknown, CodeRejection::NoCode).await?
        ));
    };
    let subject = format!("email:{}", email.key());
    match check.policy.decide_attempt(&candidates, now) {
        AttemptDecision::Reject(rejection) => {
            Ok(Err(reject(client, check, subject, rejection).await?))
        }
        AttemptDecision::CountWrong { rejection, .. } => {
            count_wrong_tx(client, ids[0]).await?;
            Ok(Err(reject(client, check, subject, rejection).await?))
        }
        AttemptDecision::Accept => Ok(Ok(RightCode {
            code_id: ids[0],
            email,
            declared: rows
                .first()
                .map(|row| row.try_get::<_, Option<serde_json::Value>>(7))
                .transpose()?
                .flatten()
                .map(serde_json::from_value)
                .transpose()?,
        })),
    }
}

/// Counts a wrong attempt against a code (a wrong code, or a wrong second factor with it).
pub(crate) async fn count_wrong_tx(
    client: &impl GenericClient,
    code_id: i64,
) -> Result<(), StoreError> {
    client
        .execute(
            "UPDATE login_codes SET wrong_attempts = wrong_attempts + 1 WHERE id = $1",
            &[&code_id],
        )
        .await?;
    Ok(())
}

/// Uses a right code up; false when a concurrent request used it first.
pub(crate) async fn consume_code_tx(
    client: &impl GenericClient,
    code_id: i64,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    Ok(client
        .execute(
            "UPDATE login_codes SET consumed_at = $2 WHERE id = $1 AND consumed_at IS NULL",
            &[&code_id, &now],
        )
        .await?
        == 1)
}

async fn sign_in_tx(
    client: &impl GenericClient,
    attempt: &CodeAttempt,
) -> Result<SignInOutcome, StoreError> {
    let now = attempt.now;
    let check = attempt.check();
    let (email, declared) = match check_code_tx(client, &check).await? {
        Ok(right) => {
            if !consume_code_tx(client, right.code_id, now).await? {
                let subject = format!("email:{}", right.email.key());
                let used = reject(client, &check, subject, CodeRejection::AlreadyUsed).await?;
                return Ok(SignInOutcome::Rejected(used));
            }
            (right.email, right.declared)
        }
        Err(rejection) => return Ok(SignInOutcome::Rejected(rejection)),
    };
    if declared.as_ref().is_some_and(|d| !d.matched) {
        append_audit_tx(
            client,
            &NewAuditEntry::new(
                now,
                Actor::Anonymous,
                AuditAction::CodeRejected,
                &attempt.client,
            )
            .subject(format!("email:{}", email.key()))
            .detail("reason", DECLARATION_NOT_MATCHED),
        )
        .await?;
        return Ok(SignInOutcome::DeclarationNotMatched);
    }
    let language = attempt.language.code();
    let row = client
        .query_one(
            "INSERT INTO users (id, email, email_key, language, created_at, last_sign_in_at)
             VALUES ($1, $2, $3, $4, $5, $5)
             ON CONFLICT (email_key) DO UPDATE
                SET last_sign_in_at = EXCLUDED.last_sign_in_at, language = EXCLUDED.language
             RETURNING id, email, language, created_at, last_sign_in_at, (xmax = 0) AS created",
            &[
                &attempt.new_user_id,
                &email.as_str(),
                &email.key(),
                &language,
                &now,
            ],
        )
        .await?;
    let user = user_from_row(&row, 0)?;
    let created: bool = row.try_get(5)?;
    client
        .execute(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, ip, user_agent)
             VALUES ($1, $2, $3, $3, $4, $5)",
            &[
                &&attempt.session_token_hash[..],
                &user.id,
                &now,
                &attempt.client.ip,
                &attempt.client.user_agent,
            ],
        )
        .await?;
    let user_subject = format!("user:{}", user.id);
    if let Some(declared) = &declared {
        client
            .execute(
                "UPDATE users SET declared_identity = $2, declared_at = $3 WHERE id = $1",
                &[
                    &user.id,
                    &serde_json::to_value(&declared.declaration)?,
                    &now,
                ],
            )
            .await?;
        append_audit_tx(
            client,
            &NewAuditEntry::new(
                now,
                Actor::User(user.id),
                AuditAction::IdentityDeclared,
                &attempt.client,
            )
            .subject(user_subject.clone())
            .detail("way", declared.declaration.way().code()),
        )
        .await?;
    }
    if created {
        append_audit_tx(
            client,
            &NewAuditEntry::new(
                now,
                Actor::User(user.id),
                AuditAction::AccountCreated,
                &attempt.client,
            )
            .subject(user_subject.clone()),
        )
        .await?;
    }
    append_audit_tx(
        client,
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
    )
    .await?;
    Ok(SignInOutcome::SignedIn { user, created })
}

#[async_trait]
impl AuthStore for PostgresStore {
    async fn issue_login_code(&self, request: IssueLoginCode) -> Result<IssueOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let outcome = issue_tx(&tx, &request).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn sign_in_with_code(&self, attempt: CodeAttempt) -> Result<SignInOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let outcome = sign_in_tx(&tx, &attempt).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn declared_identity(
        &self,
        user: Uuid,
    ) -> Result<Option<(Declaration, OffsetDateTime)>, StoreError> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "SELECT declared_identity, declared_at FROM users WHERE id = $1",
                &[&user],
            )
            .await?;
        let Some(row) = row else { return Ok(None) };
        match (
            row.try_get::<_, Option<serde_json::Value>>(0)?,
            row.try_get::<_, Option<OffsetDateTime>>(1)?,
        ) {
            (Some(value), Some(at)) => Ok(Some((serde_json::from_value(value)?, at))),
            _ => Ok(None),
        }
    }

    async fn hit_rate_limit(
        &self,
        bucket: &str,
        window: Duration,
        limit: u32,
        now: OffsetDateTime,
    ) -> Result<Result<(), i64>, StoreError> {
        let client = self.client().await?;
        hit_rate_limit_tx(&client, bucket, window, limit, now).await
    }
}
