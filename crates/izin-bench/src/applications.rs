//! The application scenarios: "Create My Application" (the submit call alone) with 32 users at
//! once against the raw insert rate of the same database, and My Applications for a user with
//! 50 applications.
//!
//! Users, their complete User Information, documents and ready drafts are written straight
//! through the storage layer (built with the domain's own types, so they are exactly what the
//! wizard would have saved); only the measured calls go over HTTP.

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Request};
use izin_domain::EmailAddress;
use izin_domain::Language;
use izin_domain::application::work_permit_exemption::{
    Consent, Draft, EmploymentInput, Place, PlaceRecord, check_employment,
};
use izin_domain::application::{Event, Kind};
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::catalog::ExemptionCatalog;
use izin_domain::documents::{ContentType, DocumentKind};
use izin_domain::otp::OtpPolicy;
use izin_domain::profile::*;
use izin_domain::reference::Reference;
use izin_store::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use uuid::Uuid;

/// One prepared applicant: a bearer token and a draft that passes every rule.
#[derive(Clone)]
pub struct Prepared {
    pub token: String,
    pub application: Uuid,
}

struct Fixtures {
    reference: Reference,
    catalog: ExemptionCatalog,
    kvkk_version: String,
}

fn fixtures() -> Fixtures {
    let texts = izin_i18n::Texts::load().expect("texts");
    Fixtures {
        reference: Reference::embedded().expect("reference data"),
        catalog: ExemptionCatalog::embedded().expect("catalogue"),
        kvkk_version: texts.content_version(&["kvkk-information", "kvkk-consent"]),
    }
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn audit(user: Uuid, action: AuditAction) -> NewAuditEntry {
    NewAuditEntry::new(
        OffsetDateTime::now_utc(),
        Actor::User(user),
        action,
        &ClientInfo::default(),
    )
}

/// The portal's limits, without the per-client-address one (every bench user comes from here).
fn bench_policy() -> OtpPolicy {
    OtpPolicy {
        per_ip_per_hour: u32::MAX,
        ..OtpPolicy::default()
    }
}

/// Signs a new user in the way the portal does (a code, then a session) and returns the user
/// and the session's bearer token.
pub(crate) async fn user_with_session(store: &dyn Store, email: &str) -> (User, String) {
    let now = OffsetDateTime::now_utc();
    let address = EmailAddress::parse(email).expect("address");
    let code_hash = sha256(format!("bench-code:{email}").as_bytes());
    let challenge_hash = sha256(format!("bench-challenge:{email}").as_bytes());
    store
        .issue_login_code(IssueLoginCode {
            email: address.clone(),
            code_hash,
            challenge_hash,
            policy: bench_policy(),
            now,
            mail: NewMail {
                kind: "bench".into(),
                recipient: email.into(),
                language: Language::En,
                subject: "bench".into(),
                body_text: "bench".into(),
                body_html: None,
                not_after: Some(now),
            },
            client: ClientInfo::default(),
            declared: None,
        })
        .await
        .expect("issue a code");
    // The shape of the portal's tokens: 43 URL-safe characters.
    let token = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple())[..43].to_owned();
    let outcome = store
        .sign_in_with_code(CodeAttempt {
            challenge_hash,
            email: Some(address),
            submitted_hash: code_hash,
            policy: bench_policy(),
            now,
            new_user_id: Uuid::now_v7(),
            language: Language::En,
            session_token_hash: sha256(token.as_bytes()),
            client: ClientInfo::default(),
        })
        .await
        .expect("sign in");
    match outcome {
        SignInOutcome::SignedIn { user, .. } => (user, token),
        other => panic!("bench sign-in refused: {other:?}"),
    }
}

fn document(user: &User, kind: DocumentKind, content_type: ContentType) -> Document {
    let id = Uuid::now_v7();
    Document {
        id,
        user_id: user.id,
        kind,
        file_name: format!("{}.pdf", kind.code()),
        content_type,
        size: 2048,
        sha256: sha256(id.as_bytes()),
        storage_key: format!("documents/bench/{id}"),
        created_at: OffsetDateTime::now_utc(),
        replaces: None,
    }
}

/// Complete User Information for `user`; returns the documents it stored (the last one is a
/// general document for the application's slots).
async fn complete_profile(store: &dyn Store, fx: &Fixtures, user: &User) -> Uuid {
    let photo = document(user, DocumentKind::Photo, ContentType::Jpeg);
    let scan = document(user, DocumentKind::Passport, ContentType::Pdf);
    let diploma = document(user, DocumentKind::Diploma, ContentType::Pdf);
    let other = document(user, DocumentKind::Other, ContentType::Pdf);
    for d in [&photo, &scan, &diploma, &other] {
        store
            .insert_document(d.clone(), audit(user.id, AuditAction::DocumentUploaded))
            .await
            .expect("insert a document");
    }
    let ctx = RuleContext {
        today: izin_domain::calendar::today_in_turkiye(OffsetDateTime::now_utc()),
        reference: &fx.reference,
    };
    let sections = [
        SectionData::Personal(
            PersonalSection::from_input(
                &PersonalInput {
                    first_name: Some("Ayşe".into()),
                    last_name: Some("Yılmaz".into()),
                    gender: Some("female".into()),
                    father_name: Some("Mehmet".into()),
                    mother_name: Some("Fatma".into()),
                    marital_status: Some("single".into()),
                    place_of_birth: Some("Bakı".into()),
                    nationality: Some("AZE".into()),
                    date_of_birth: Some(format!("{BIRTH_YEAR}-04-01")),
                    photo_document_id: Some(photo.id.to_string()),
                    ..Default::default()
                },
                &ctx,
            )
            .expect("personal"),
        ),
        SectionData::Contact(
            ContactSection::from_input(
                &ContactInput {
                    phone: Some("+90 532 123 45 67".into()),
                    address: Some("Kızılay Mh. Atatürk Blv. No: 5, Çankaya / Ankara".into()),
                    ..Default::default()
                },
                &ctx,
            )
            .expect("contact"),
        ),
        SectionData::Passport(
            PassportSection::from_input(
                &PassportInput {
                    passport_type: Some("ordinary".into()),
                    passport_number: Some("C01X00T47".into()),
                    issuing_country: Some("DEU".into()),
                    expiry_date: Some("2031-01-31".into()),
                    scan_document_id: Some(scan.id.to_string()),
                },
                &ctx,
            )
            .expect("passport"),
        ),
        SectionData::Education(
            EducationSection::from_input(
                &EducationInput {
                    native_language: Some("aze".into()),
                    education_level: Some("secondary".into()),
                    diploma_document_id: Some(diploma.id.to_string()),
                    ..Default::default()
                },
                &ctx,
            )
            .expect("education"),
        ),
    ];
    for section in sections {
        store
            .save_profile_section(
                user.id,
                section,
                OffsetDateTime::now_utc(),
                audit(user.id, AuditAction::ProfileSectionSaved),
            )
            .await
            .expect("save a section");
    }
    other.id
}

/// The benchmark applicant's year of birth: in User Information and in the confirmed entry.
const BIRTH_YEAR: i32 = 1999;

/// A compulsory-internship draft with every step done, as the wizard would have saved it.
fn ready_draft(
    fx: &Fixtures,
    document: Uuid,
    start_in_days: i64,
) -> (serde_json::Value, ApplicationColumns) {
    let today = izin_domain::calendar::today_in_turkiye(OffsetDateTime::now_utc());
    let start = today + time::Duration::days(start_in_days);
    let end = start + time::Duration::days(60);
    let (_, category) = fx
        .catalog
        .category("compulsory-internship")
        .expect("category");
    let employment = check_employment(
        &EmploymentInput {
            occupation_code: Some("9901.02".into()),
            start_date: Some(izin_domain::calendar::format_date(start)),
            end_date: Some(izin_domain::calendar::format_date(end)),
            certificate_requested: Some(false),
            province: Some("İstanbul".into()),
            district: Some("Fatih".into()),
            about: Some("Compulsory internship of 40 working days in the software team.".into()),
            has_employer: Some(true),
            sgk_number: Some("28540010111812660342762000".into()),
            monthly_gross_salary: Some(serde_json::json!("0")),
            currency: Some("TRY".into()),
            employment_contract_document_id: Some(document.to_string()),
            insurance_paid: Some("domestic".into()),
            ..Default::default()
        },
        category,
        &fx.catalog,
        &fx.reference,
        today,
    )
    .expect("a valid employment step");
    let mut documents = BTreeMap::new();
    for slot in &category.documents {
        documents.insert(slot.slot.clone(), vec![document]);
    }
    let draft = Draft {
        category: category.code.clone(),
        place: Some(PlaceRecord {
            place: Place::Domestic,
            residence_right: false,
            passport_number: izin_domain::identifiers::PassportNumber::parse("C01X00T47").ok(),
            passport_country: CountryCode::parse("DEU").ok(),
            reference_number: None,
            checked_on: Some(today),
            entered_on: Some(today),
            birth_year: Some(BIRTH_YEAR),
            previous_passport: None,
        }),
        consent: Some(Consent {
            version: fx.kvkk_version.clone(),
            given_at: OffsetDateTime::now_utc(),
        }),
        employment,
        documents,
        other_information: None,
        additional_document_ids: Vec::new(),
    };
    let columns = ApplicationColumns {
        category: Some(draft.category.clone()),
        start_date: Some(start),
        end_date: Some(end),
    };
    (serde_json::to_value(&draft).expect("draft json"), columns)
}

async fn create_draft(
    store: &dyn Store,
    fx: &Fixtures,
    user: &User,
    document: Uuid,
    offset: i64,
) -> Uuid {
    let (data, columns) = ready_draft(fx, document, 20 + offset);
    let id = Uuid::now_v7();
    store
        .create_application(NewApplication {
            id,
            user_id: user.id,
            kind: Kind::WorkPermitExemption,
            parent: None,
            data,
            columns,
            now: OffsetDateTime::now_utc(),
            audit: audit(user.id, AuditAction::ApplicationCreated)
                .subject(format!("application:{id}")),
        })
        .await
        .expect("create a draft");
    id
}

/// `count` applicants, each with a ready draft, prepared `concurrency` at a time.
pub async fn prepare_submitters(
    store: Arc<dyn Store>,
    count: usize,
    concurrency: usize,
) -> Vec<Prepared> {
    let fx = Arc::new(fixtures());
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (store, fx, next) = (store.clone(), fx.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut prepared = Vec::new();
            loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if n >= count {
                    break;
                }
                let (user, token) =
                    user_with_session(store.as_ref(), &format!("submitter{n}@bench.example")).await;
                let document = complete_profile(store.as_ref(), &fx, &user).await;
                let application = create_draft(store.as_ref(), &fx, &user, document, 0).await;
                prepared.push(Prepared { token, application });
            }
            prepared
        }));
    }
    let mut all = Vec::with_capacity(count);
    for task in tasks {
        all.extend(task.await.expect("prepare"));
    }
    all
}

/// A user with `count` applications: all but the last concluded, as years of use leave them,
/// and the last a draft.
pub async fn prepare_history(store: Arc<dyn Store>, count: usize) -> String {
    let fx = fixtures();
    let (user, token) = user_with_session(store.as_ref(), "history@bench.example").await;
    let document = complete_profile(store.as_ref(), &fx, &user).await;
    let officer = Actor::Officer(Uuid::now_v7());
    for n in 0..count {
        let id = create_draft(store.as_ref(), &fx, &user, document, n as i64).await;
        if n + 1 == count {
            break;
        }
        let now = OffsetDateTime::now_utc();
        // Frozen as a submission freezes it, so My Applications reads it like any other.
        let draft = store
            .application(Some(user.id), id)
            .await
            .expect("read the draft")
            .expect("the draft exists");
        let snapshot = izin_domain::application::snapshot::Snapshot {
            format: izin_domain::application::snapshot::SNAPSHOT_FORMAT,
            kind: Kind::WorkPermitExemption,
            catalog_version: "bench".into(),
            data: draft.data,
            profile: store.profile(user.id).await.expect("the profile"),
            documents: Vec::new(),
            fees: None,
        };
        let outcome = store
            .submit_application(Submission {
                payment: None,
                owner: user.id,
                id,
                idempotency_key: None,
                expected_edits: 0,
                snapshot: serde_json::to_value(&snapshot).expect("a snapshot"),
                columns: ApplicationColumns::default(),
                documents: vec![document],
                queue: None,
                year: now.year(),
                blocking: izin_domain::application::Blocking {
                    kinds: vec![izin_domain::application::Kind::WorkPermitExemption],
                    same_parent: false,
                },
                now,
                mail: None,
                audit: audit(user.id, AuditAction::ApplicationMoved),
            })
            .await
            .expect("submit");
        assert!(
            matches!(outcome, SubmitOutcome::Submitted { .. }),
            "{outcome:?}"
        );
        for event in [Event::StartEvaluation, Event::ApproveDirectly] {
            store
                .transition_application(Transition {
                    payment: None,
                    id,
                    owner: None,
                    event,
                    actor: officer,
                    reason: None,
                    fees_due: false,
                    approval_outcome: Some(izin_domain::application::ExemptionStatus::Active),
                    resubmission: None,
                    officer: None,
                    now,
                    mail: None,
                    audit: NewAuditEntry::new(
                        now,
                        officer,
                        AuditAction::ApplicationMoved,
                        &ClientInfo::default(),
                    ),
                })
                .await
                .expect("move");
        }
    }
    token
}

/// Single-row inserts, each its own durable transaction, `connections` at once, for `duration`:
/// what the database itself sustains. `path` is a file of its own beside the portal's database
/// (same disk, same settings), so that these writers do not hold the portal's write lock.
pub async fn raw_insert_rate_sqlite(
    path: &std::path::Path,
    connections: usize,
    duration: Duration,
    payload: &str,
) -> f64 {
    {
        let conn = rusqlite::Connection::open(path).expect("open sqlite");
        conn.pragma_update(None, "journal_mode", "WAL")
            .expect("wal");
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)",
        )
        .expect("create bench_raw");
    }
    let stop = Instant::now() + duration;
    let mut threads = Vec::new();
    for _ in 0..connections {
        let path = path.to_owned();
        let payload = payload.to_owned();
        threads.push(std::thread::spawn(move || {
            // The portal's settings: WAL (set on the file above), every commit synced.
            let mut conn = rusqlite::Connection::open(&path).expect("open sqlite");
            conn.busy_timeout(Duration::from_secs(10))
                .expect("busy timeout");
            conn.pragma_update(None, "synchronous", "FULL")
                .expect("full");
            let mut done = 0u64;
            while Instant::now() < stop {
                let inserted = (|| -> rusqlite::Result<()> {
                    let tx =
                        conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                    tx.execute("INSERT INTO bench_raw (payload) VALUES (?1)", [&payload])?;
                    tx.commit()
                })();
                if inserted.is_ok() {
                    done += 1;
                }
            }
            done
        }));
    }
    let total: u64 = threads.into_iter().map(|t| t.join().unwrap_or(0)).sum();
    total as f64 / duration.as_secs_f64()
}

pub async fn raw_insert_rate_postgres(
    url: &str,
    connections: usize,
    duration: Duration,
    payload: &str,
) -> f64 {
    let (setup, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connect to PostgreSQL");
    tokio::spawn(connection);
    setup
        .batch_execute("CREATE TABLE IF NOT EXISTS bench_raw (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL)")
        .await
        .expect("create bench_raw");
    let stop = Instant::now() + duration;
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let url = url.to_owned();
        let payload = payload.to_owned();
        tasks.push(tokio::spawn(async move {
            let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .expect("connect to PostgreSQL");
            tokio::spawn(connection);
            let insert = client
                .prepare("INSERT INTO bench_raw (payload) VALUES ($1)")
                .await
                .expect("prepare");
            let mut done = 0u64;
            while Instant::now() < stop {
                client.execute(&insert, &[&payload]).await.expect("insert");
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap_or(0);
    }
    total as f64 / duration.as_secs_f64()
}

/// `POST /api/v1/applications/{id}/submit` for the n-th prepared applicant.
pub fn submit_request(address: &str, prepared: Arc<Vec<Prepared>>) -> crate::load::MakeRequest {
    let host = address.to_owned();
    Arc::new(move |n| {
        let p = &prepared[(n as usize) % prepared.len()];
        Request::builder()
            .method(Method::POST)
            .uri(format!(
                "http://{host}/api/v1/applications/{}/submit",
                p.application
            ))
            .header("host", &host)
            .header("authorization", format!("Bearer {}", p.token))
            .header("idempotency-key", format!("bench-{}", p.application))
            .body(Full::new(Bytes::new()))
            .expect("request")
    })
}

/// An application's data as the raw inserts' payload: the row a submission must at least write.
pub fn raw_payload() -> String {
    let fx = fixtures();
    ready_draft(&fx, Uuid::now_v7(), 20).0.to_string()
}
