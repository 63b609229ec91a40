//! `izin-bench documents`: Proof Documents and `/verify`, measured in one run. Seeds approved
//! work-permit exemptions (SQLite by default, `--postgres URL` for PostgreSQL), produces their
//! documents one by one exactly as the worker does (sign, typeset with a photo, store, record,
//! queue the mail), reporting p50/p99 per document and the process's resident memory before and
//! after; then serves the portal and drives `GET /api/v1/verify/{number}?code=…` at 64
//! connections beside the bare axum "hello" in the same run, in turns over three rounds (medians
//! reported).

use crate::load::{self, MakeRequest};
use crate::{Process, free_port, release_binary, resident_kib, wait_until_up};
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Request};
use izin_domain::application::work_permit_exemption::{Draft, Employment};
use izin_domain::application::{Blocking, Event, ExemptionStatus, Kind, Snapshot};
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::documents::{ContentType, DocumentKind};
use izin_domain::identifiers::OccupationCode;
use izin_domain::profile::{PersonName, Profile};
use izin_domain::records::Document;
use izin_store::*;
use sha2::{Digest, Sha256};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use uuid::Uuid;

/// Rounds of hello, floor and /verify, taken in turns.
const ROUNDS: usize = 3;

struct Options {
    documents: usize,
    connections: usize,
    duration: Duration,
    postgres: Option<String>,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        documents: 100,
        connections: 64,
        duration: Duration::from_secs(5),
        postgres: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().cloned().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--documents" => {
                options.documents = value()?.parse().map_err(|e| format!("--documents: {e}"))?
            }
            "--connections" => {
                options.connections = value()?
                    .parse()
                    .map_err(|e| format!("--connections: {e}"))?
            }
            "--duration" => {
                options.duration =
                    Duration::from_secs(value()?.parse().map_err(|e| format!("--duration: {e}"))?)
            }
            "--postgres" => options.postgres = Some(value()?),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
}

fn audit(now: OffsetDateTime, actor: Actor) -> NewAuditEntry {
    NewAuditEntry::new(
        now,
        actor,
        AuditAction::ApplicationMoved,
        &ClientInfo::default(),
    )
}

/// An approved internship with a photo, of a holder of its own: the worker will produce its
/// document. Answers the application's id.
async fn approved(app: &izin_app::App, index: usize, photo: &[u8]) -> Result<Uuid, String> {
    let store = &app.store;
    let now = OffsetDateTime::now_utc();
    let (signed, _) = crate::applications::user_with_session(
        store.as_ref(),
        &format!("holder{index}@bench.example"),
    )
    .await;
    let photo_id = Uuid::now_v7();
    let key = format!("documents/{}/{photo_id}", signed.id);
    app.files
        .put_bytes(&key, Bytes::copy_from_slice(photo))
        .await
        .map_err(|e| format!("photo: {e}"))?;
    store
        .insert_document(
            Document {
                id: photo_id,
                user_id: signed.id,
                kind: DocumentKind::Photo,
                file_name: "photo.jpg".into(),
                content_type: ContentType::Jpeg,
                size: photo.len() as i64,
                sha256: Sha256::digest(photo).into(),
                storage_key: key,
                created_at: now,
                replaces: None,
            },
            NewAuditEntry::new(
                now,
                Actor::User(signed.id),
                AuditAction::DocumentUploaded,
                &ClientInfo::default(),
            ),
        )
        .await
        .map_err(|e| format!("photo row: {e}"))?;
    let mut profile = Profile::default();
    profile.personal.first_name = PersonName::parse("Ayşe Gül").ok();
    profile.personal.last_name = PersonName::parse(&format!("Çağlayan-İşçi{index}")).ok();
    profile.personal.photo_document_id = Some(photo_id);
    let today = izin_domain::calendar::today_in_turkiye(now);
    let draft = Draft {
        category: "compulsory-internship".into(),
        employment: Employment {
            occupation_code: OccupationCode::parse("9901.02").ok(),
            start_date: Some(today),
            end_date: Some(today + time::Duration::days(80)),
            certificate_requested: Some(true),
            residential_address: Some("Kızılay Mah. Atatürk Bulvarı No: 1".into()),
            province: Some("Ankara".into()),
            district: Some("Çankaya".into()),
            workplace_name: Some("Örnek Yazılım A.Ş.".into()),
            ..Employment::default()
        },
        ..Draft::default()
    };
    let data = serde_json::to_value(&draft).map_err(|e| e.to_string())?;
    let snapshot = Snapshot {
        format: izin_domain::application::snapshot::SNAPSHOT_FORMAT,
        kind: Kind::WorkPermitExemption,
        catalog_version: app.catalog.version.clone(),
        data: data.clone(),
        profile,
        documents: Vec::new(),
        fees: None,
    }
    .to_stored()
    .map_err(|e| e.to_string())?;
    let id = Uuid::now_v7();
    let columns = ApplicationColumns {
        category: Some(draft.category.clone()),
        start_date: draft.employment.start_date,
        end_date: draft.employment.end_date,
    };
    store
        .create_application(NewApplication {
            id,
            user_id: signed.id,
            kind: Kind::WorkPermitExemption,
            parent: None,
            data,
            columns: columns.clone(),
            now,
            audit: audit(now, Actor::User(signed.id)),
        })
        .await
        .map_err(|e| e.to_string())?;
    store
        .submit_application(Submission {
            owner: signed.id,
            id,
            idempotency_key: None,
            expected_edits: 0,
            snapshot,
            columns,
            documents: Vec::new(),
            queue: None,
            year: today.year(),
            blocking: Blocking::default(),
            now,
            mail: None,
            payment: None,
            audit: audit(now, Actor::User(signed.id)),
        })
        .await
        .map_err(|e| e.to_string())?;
    for event in [Event::StartEvaluation, Event::ApproveDirectly] {
        let officer = Uuid::now_v7();
        store
            .transition_application(Transition {
                id,
                owner: None,
                event,
                actor: Actor::Officer(officer),
                reason: None,
                fees_due: false,
                approval_outcome: Some(ExemptionStatus::Active),
                resubmission: None,
                officer: None,
                payment: None,
                now,
                mail: None,
                audit: audit(now, Actor::Officer(officer)),
            })
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(id)
}

fn self_rss_kib() -> Option<u64> {
    resident_kib(std::process::id())
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

pub async fn main(args: &[String]) -> Result<(), String> {
    let options = options(args)?;
    let workdir = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
    let dir = workdir.path();
    let (url, cleanup) = match &options.postgres {
        Some(server) => {
            let (url, cleanup) = crate::postgres_database(server).await?;
            (DatabaseUrl::Postgres { url }, Some(cleanup))
        }
        None => (
            DatabaseUrl::Sqlite {
                path: dir.join("izin.db"),
            },
            None,
        ),
    };
    let backend = if options.postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let store = izin_store::open(&url)
        .await
        .map_err(|e| format!("cannot open the {backend} database: {e}"))?;
    let mut app = crate::payments::build_app(store.clone(), dir).await?;
    // A known document key, so that the portal started below opens the same signing key.
    let document_key = izin_domain::proof::keys::KeyEncryptionKey::generate(&mut rand::rng());
    app.proof_keys = Arc::new(izin_app::proof::DocumentKeys::new(document_key.clone()));
    let photo = izin_documents::fixtures::jpeg(600, 800);
    println!(
        "Proof Documents on {backend}: {} documents produced one by one, then /verify at {} connections for {} s",
        options.documents,
        options.connections,
        options.duration.as_secs()
    );
    let mut applications = Vec::with_capacity(options.documents);
    for index in 0..options.documents {
        applications.push(approved(&app, index, &photo).await?);
    }
    // The key is made before the first document, as at start-up.
    app.proof_keys
        .current(app.store.as_ref(), OffsetDateTime::now_utc())
        .await
        .map_err(|e| e.to_string())?;
    let rss_before = self_rss_kib();
    let mut timings = Vec::with_capacity(options.documents);
    loop {
        let jobs = app
            .store
            .claim_document_jobs(OffsetDateTime::now_utc(), time::Duration::minutes(5), 1)
            .await
            .map_err(|e| e.to_string())?;
        let Some(job) = jobs.first() else { break };
        let started = Instant::now();
        izin_app::proof::produce::produce(&app, job)
            .await
            .map_err(|e| format!("document {}: {e}", job.number))?;
        timings.push(started.elapsed());
    }
    let rss_after = self_rss_kib();
    timings.sort();
    let p99 = percentile(&timings, 0.99);
    println!(
        "producing a document: {} documents, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({})",
        timings.len(),
        percentile(&timings, 0.5),
        p99,
        timings
            .last()
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0),
        if p99 <= 200.0 {
            "meets p99 ≤ 200 ms"
        } else {
            "MISSES p99 ≤ 200 ms"
        }
    );
    match (rss_before, rss_after) {
        (Some(before), Some(after)) => {
            let growth = (after as f64 - before as f64) / 1024.0;
            println!(
                "resident memory while producing: {:.1} → {:.1} MiB (+{growth:.1} MiB, {})",
                before as f64 / 1024.0,
                after as f64 / 1024.0,
                if growth <= 64.0 {
                    "meets ≤ 64 MiB"
                } else {
                    "MISSES ≤ 64 MiB"
                }
            );
        }
        _ => println!("resident memory: unknown (no /proc)"),
    }

    // /verify over HTTP beside the bare axum hello.
    let mut lookups: Vec<(String, String)> = Vec::new();
    for id in &applications {
        for record in app
            .store
            .proof_documents_of(*id)
            .await
            .map_err(|e| e.to_string())?
        {
            lookups.push((
                record.number.to_string(),
                record.verification_code.to_string(),
            ));
        }
    }
    if lookups.is_empty() {
        return Err("no document was produced".into());
    }
    // The portal in a process of its own (as deployed), on the same database.
    let port = free_port();
    let address = format!("127.0.0.1:{port}");
    let key_text = document_key.to_text();
    let mut extra = vec!["--document-key", key_text.as_str()];
    let database = match &url {
        DatabaseUrl::Postgres { url } => Some(url.clone()),
        DatabaseUrl::Sqlite { .. } => None,
    };
    if let Some(database) = &database {
        extra.extend(["--database-url", database.as_str()]);
    }
    let izin = crate::start_izin_with(dir, port, &extra);
    let hello_address = format!("127.0.0.1:{}", free_port());
    let hello = Process(
        Command::new(release_binary("bench-hello"))
            .arg(&hello_address)
            .spawn()
            .map_err(|e| format!("start bench-hello: {e}"))?,
    );
    wait_until_up(&hello_address, "/").await;
    wait_until_up(&address, "/healthz").await;
    let warmup = Duration::from_secs(2);
    // The addresses are built before the run, so the load generator (on the same two cores)
    // does no more work per request for /verify than for hello.
    let uris: Arc<Vec<hyper::Uri>> = Arc::new(
        lookups
            .iter()
            .map(|(number, code)| {
                format!("http://{address}/api/v1/verify/{number}?code={code}")
                    .parse()
                    .map_err(|e| format!("verify address: {e}"))
            })
            .collect::<Result<_, String>>()?,
    );
    let host = address.clone();
    let make: MakeRequest = Arc::new(move |n| {
        Request::builder()
            .method(Method::GET)
            .uri(uris[(n as usize) % uris.len()].clone())
            .header("host", &host)
            .body(Full::new(Bytes::new()))
            .expect("request")
    });
    // Hello, the floor and /verify take turns, round after round: the machine's speed drifts
    // (other tenants, frequency), and a ratio of two runs minutes apart measures the drift.
    let mut rounds = Vec::with_capacity(ROUNDS);
    println!();
    println!(
        "{:<34} {:>10} {:>9} {:>9} {:>8} {:>9}",
        "scenario (round by round)", "req/s", "p50 ms", "p99 ms", "vs hello", "errors"
    );
    for round in 1..=ROUNDS {
        let baseline = load::run(
            &hello_address,
            options.connections,
            warmup,
            options.duration,
            crate::get(&hello_address, "/", &[]),
        )
        .await;
        // The portal's own floor: every layer a /verify request crosses, without the database.
        let floor = load::run(
            &address,
            options.connections,
            warmup,
            options.duration,
            crate::get(&address, "/healthz", &[]),
        )
        .await;
        let verify = load::run(
            &address,
            options.connections,
            warmup,
            options.duration,
            make.clone(),
        )
        .await;
        crate::row(&format!("{round}: bare axum hello"), &baseline, None, None);
        crate::row(
            &format!("{round}: GET /healthz (no database)"),
            &floor,
            Some(baseline.requests_per_second),
            None,
        );
        crate::row(
            &format!("{round}: GET /api/v1/verify/{{number}}"),
            &verify,
            Some(baseline.requests_per_second),
            None,
        );
        rounds.push((
            verify.requests_per_second / baseline.requests_per_second * 100.0,
            verify.p99_ms,
        ));
    }
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let share = median(rounds.iter().map(|r| r.0).collect());
    let p99 = median(rounds.iter().map(|r| r.1).collect());
    println!(
        "/verify, medians of {ROUNDS} rounds: {share:.0} % of hello ({}), p99 {p99:.2} ms ({})",
        if share >= 40.0 {
            "meets ≥ 40 %"
        } else {
            "MISSES ≥ 40 %"
        },
        if p99 <= 5.0 {
            "meets ≤ 5 ms"
        } else {
            "MISSES ≤ 5 ms"
        }
    );
    drop(hello);
    drop(izin);
    if let Some(cleanup) = cleanup {
        cleanup.await;
    }
    Ok(())
}
