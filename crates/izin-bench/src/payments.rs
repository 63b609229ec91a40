//! `izin-bench payments`: the revenue administration's signed payment notifications under load,
//! on PostgreSQL and on SQLite in the same run, next to a raw database client writing the same
//! rows.
//!
//! For each database it seeds applications waiting for payment straight through the store
//! (signed-up users; drafts submitted, taken and approved with fees due, each approval leaving
//! its notice with a transaction reference number), then:
//!
//! - **signed notifications**: the portal's own router (`izin_web::router`, in process, driven
//!   with `tower::ServiceExt::oneshot`; no sockets) takes `POST /api/v1/payments/notifications`
//!   from 32 concurrent senders, each sending its next correctly signed notification
//!   (`NotificationSecret::sign`) as soon as the last is answered. Each pays one amount of a
//!   notice: three applications in four owe one amount, the fourth owes two (paid one at a
//!   time), so four notifications in five complete a payment and approve their application
//!   (history, audit, the approval mail written and queued);
//! - **raw baseline**: a raw client (tokio-postgres / rusqlite) writes, for the same payments and
//!   with the same concurrency, the rows such a notification writes, in one transaction each:
//!   the receipt, the notice's items, and for a completing payment the application's status,
//!   its history event, the mail (the portal's own approval mail, copied from its outbox) and
//!   the second audit row; the receipt's audit row always. On PostgreSQL this is one statement
//!   of data-modifying CTEs (one round trip, one transaction); on SQLite `BEGIN IMMEDIATE`, the
//!   statements, `COMMIT`, measured twice: each of the 32 writers with its own connection (they
//!   wait for the write lock in SQLite's busy handler), and the 32 taking turns through one lock
//!   in the process (no busy waits); the faster is the baseline.
//!
//! It prints requests/s and p50/p99 latency of each, and the notifications' share of the raw
//! rate (target ≥ 50 %).

use crate::applications::user_with_session;
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode};
use izin_app::payments::notifications::{NotificationSecret, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use izin_app::{App, Keys, Policies};
use izin_domain::application::{Blocking, Event, ExemptionStatus, Kind, Status};
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::back_office::QueueColumns;
use izin_domain::identifiers::ForeignerId;
use izin_domain::money::{Amount, FeeKind, Money};
use izin_domain::officer::Authority;
use izin_store::*;
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tower::ServiceExt;
use uuid::Uuid;

const SECRET: &[u8] = b"izin-bench-payments-secret-of-at-least-32-bytes";
const FEE_ACCOUNT: &str = "9280";
const FEE: i64 = 1_257_492;
const CARD_ACCOUNT: &str = "9268";
const CARD: i64 = 96_400;
const TARGET_PERCENT: f64 = 50.0;
/// How many applications are seeded at once (SQLite's writer commits them in groups).
const SEEDERS: usize = 64;
/// Applications seeded by default: 1.25 notifications each, enough for 12 s at 1 600/s on
/// PostgreSQL and at 5 800/s on SQLite (above the 2-core development machine's rates).
const POSTGRES_APPLICATIONS: usize = 16_000;
const SQLITE_APPLICATIONS: usize = 56_000;
/// Where the senders' requests come from, as the router sees it.
const SENDER_ADDRESS: ([u8; 4], u16) = ([127, 0, 0, 1], 40_000);

struct Options {
    /// The PostgreSQL server a scratch database is created on.
    server: String,
    senders: usize,
    warmup: Duration,
    duration: Duration,
    /// Applications seeded per database (`None`: enough for the duration on this machine,
    /// [`POSTGRES_APPLICATIONS`] and [`SQLITE_APPLICATIONS`]).
    applications: Option<usize>,
    postgres: bool,
    sqlite: bool,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        server: std::env::var("IZIN_BENCH_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into()),
        senders: 32,
        warmup: Duration::from_secs(2),
        duration: Duration::from_secs(10),
        applications: None,
        postgres: true,
        sqlite: true,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let number = |name: &str, text: String| {
            text.parse::<u64>()
                .map_err(|_| format!("{name}: a whole number, not {text:?}"))
        };
        match arg.as_str() {
            "--database" => options.server = value("--database")?,
            "--senders" => options.senders = number("--senders", value("--senders")?)? as usize,
            "--seconds" => {
                options.duration = Duration::from_secs(number("--seconds", value("--seconds")?)?)
            }
            "--warmup" => {
                options.warmup = Duration::from_secs(number("--warmup", value("--warmup")?)?)
            }
            "--applications" => {
                options.applications =
                    Some(number("--applications", value("--applications")?)? as usize)
            }
            "--sqlite-only" => options.postgres = false,
            "--postgres-only" => options.sqlite = false,
            "--help" | "-h" => {
                println!(
                    "izin-bench payments [--database postgres://postgres@127.0.0.1:5432/postgres] \\
                     [--senders 32] [--seconds 10] [--warmup 2] [--applications N] \\
                     [--sqlite-only | --postgres-only]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if options.senders == 0 || options.applications == Some(0) || options.duration.is_zero() {
        return Err("--senders, --applications and --seconds must be at least 1".into());
    }
    if !options.server.starts_with("postgres://") && !options.server.starts_with("postgresql://") {
        return Err(format!(
            "--database is the PostgreSQL server to create a scratch database on, not {:?}",
            options.server
        ));
    }
    Ok(options)
}

pub async fn main(args: &[String]) -> Result<(), String> {
    let options = options(args)?;
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "Payment notifications: {} senders, {} s measured after {} s of warm-up, {cores} cores",
        options.senders,
        options.duration.as_secs(),
        options.warmup.as_secs(),
    );
    let workdir = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
    let mut results = Vec::new();
    if options.postgres {
        match crate::postgres_database(&options.server).await {
            Ok((url, cleanup)) => {
                let outcome = run_backend(
                    "PostgreSQL",
                    DatabaseUrl::Postgres { url: url.clone() },
                    Raw::Postgres(url),
                    &workdir.path().join("postgres"),
                    options.applications.unwrap_or(POSTGRES_APPLICATIONS),
                    &options,
                )
                .await;
                cleanup.await;
                results.push(("PostgreSQL", outcome?));
            }
            Err(why) => println!("PostgreSQL skipped: {why}"),
        }
    }
    if options.sqlite {
        let dir = workdir.path().join("sqlite");
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = dir.join("izin.db");
        let outcome = run_backend(
            "SQLite",
            DatabaseUrl::Sqlite { path: path.clone() },
            Raw::Sqlite(path),
            &dir,
            options.applications.unwrap_or(SQLITE_APPLICATIONS),
            &options,
        )
        .await?;
        results.push(("SQLite", outcome));
    }
    println!();
    println!(
        "{:<44} {:>9} {:>8} {:>8} {:>8} {:>7}",
        "scenario", "req/s", "p50 ms", "p99 ms", "vs raw", "errors"
    );
    for (name, (portal, raws)) in &results {
        let best = raws
            .iter()
            .map(|(_, f)| f.per_second)
            .fold(f64::NAN, f64::max);
        for (label, raw) in raws {
            line(&format!("{name} raw: {label}"), raw, None);
        }
        line(
            &format!("{name} signed notifications (HTTP)"),
            portal,
            Some(best),
        );
    }
    Ok(())
}

fn line(name: &str, figures: &Figures, raw: Option<f64>) {
    let share = raw.map(|raw| figures.per_second / raw * 100.0);
    let verdict = match share {
        Some(s) if s >= TARGET_PERCENT => format!("meets ≥ {TARGET_PERCENT:.0} %"),
        Some(_) => format!("MISSES ≥ {TARGET_PERCENT:.0} %"),
        None => String::new(),
    };
    println!(
        "{name:<44} {:>9.0} {:>8.2} {:>8.2} {:>8} {:>7}  {verdict}",
        figures.per_second,
        figures.p50_ms,
        figures.p99_ms,
        share.map_or("—".into(), |s| format!("{s:.0} %")),
        figures.errors,
    );
}

enum Raw {
    Postgres(String),
    Sqlite(PathBuf),
}

/// Seeds, measures the portal, then the raw client; returns the portal's figures and each raw
/// variant's.
async fn run_backend(
    name: &str,
    url: DatabaseUrl,
    raw: Raw,
    dir: &Path,
    applications: usize,
    options: &Options,
) -> Result<(Figures, Vec<(&'static str, Figures)>), String> {
    println!();
    println!("{name}");
    let store = izin_store::open(&url)
        .await
        .map_err(|e| format!("cannot open the {name} database: {e}"))?;
    let started = Instant::now();
    let work = Arc::new(seed(store.clone(), applications, SEEDERS).await?);
    let completing = work.iter().filter(|p| p.completes).count();
    println!(
        "  seeded {} applications waiting for payment ({} notifications, {} of them completing \
         a payment) in {:.1} s",
        applications,
        work.len(),
        completing,
        started.elapsed().as_secs_f64()
    );

    let app = build_app(store.clone(), dir).await?;
    let secret = NotificationSecret::new(SECRET).map_err(|e| e.to_string())?;
    let router = izin_web::router(
        app,
        izin_web::WebConfig {
            base_url: "http://127.0.0.1:8080".into(),
            trust_forwarded_for: false,
            dev_tools: false,
            payments_secret: Some(secret.clone()),
            cargo_secret: None,
        },
        None,
    );
    let run = Uuid::now_v7().simple().to_string();
    let first_error = Arc::new(Mutex::new(None::<String>));
    let sender = Arc::new(Sender {
        router,
        secret,
        work: work.clone(),
        run: run.clone(),
    });
    let senders = (0..options.senders).map(|_| sender.clone()).collect();
    drop(sender);
    let errors = first_error.clone();
    let portal = closed_loop(
        senders,
        Some(work.len()),
        options.warmup,
        options.duration,
        Arc::new(move |sender: &Arc<Sender>, n| {
            let errors = errors.clone();
            Box::pin(async move {
                let outcome = sender.notify(n).await;
                if let Err(e) = &outcome
                    && let Ok(mut first) = errors.lock()
                {
                    first.get_or_insert_with(|| e.clone());
                }
                outcome.is_ok()
            })
        }),
    )
    .await?;
    if let Ok(first) = first_error.lock()
        && let Some(e) = first.as_ref()
    {
        println!("  first failed notification: {e}");
    }
    println!(
        "  signed notifications: {} answered in the window{}",
        portal.done,
        if portal.ran_out {
            " (the seeded payments ran out before the window ended: measured over the time \
             they lasted; seed more with --applications)"
        } else {
            ""
        }
    );
    let approved = count_approved(store.as_ref(), &work).await?;
    println!("  applications approved by the notifications: {approved}");
    // The raw client has the database to itself.
    drop(store);

    let mail = approval_mail(&raw).await?;
    let raws = match &raw {
        Raw::Postgres(url) => {
            reset_to_pending(&raw, &work).await?;
            vec![(
                "one statement of CTEs per payment",
                raw_postgres(url, &work, &mail, options).await?,
            )]
        }
        Raw::Sqlite(path) => {
            reset_to_pending(&raw, &work).await?;
            let own = raw_sqlite(path, &work, &mail, options, false).await?;
            reset_to_pending(&raw, &work).await?;
            let turns = raw_sqlite(path, &work, &mail, options, true).await?;
            vec![
                ("32 connections, busy waits", own),
                ("32 threads taking turns", turns),
            ]
        }
    };
    Ok((portal, raws))
}

/// The services over `store` as `izin serve` builds them (mail queued in the database, never
/// sent: no mail worker runs).
pub(crate) async fn build_app(store: Arc<dyn Store>, dir: &Path) -> Result<App, String> {
    let mailer = izin_adapters::mail::OutboxDirMailer::new(
        dir.join("outbox"),
        "Izin <no-reply@izin.localhost>"
            .parse()
            .map_err(|e| format!("mail sender: {e}"))?,
        "izin.localhost".into(),
    )
    .map_err(|e| format!("mail outbox: {e}"))?;
    let files = izin_adapters::files::FileStore::open(&izin_adapters::files::FilesUrl::Local(
        dir.join("files"),
    ))
    .map_err(|e| format!("file store: {e}"))?;
    Ok(App {
        keys: Arc::new(
            Keys::load(store.as_ref())
                .await
                .map_err(|e| format!("keys: {e}"))?,
        ),
        catalog: Arc::new(
            izin_domain::catalog::ExemptionCatalog::embedded()
                .map_err(|e| format!("catalogue: {e}"))?,
        ),
        registries: Arc::new(izin_app::registries::simulator::SimulatedRegistries::new(
            store.clone(),
        )),
        carrier: Arc::new(izin_app::cargo::carrier::SimulatedPtt::new(store.clone())),
        store,
        clock: Arc::new(izin_domain::SystemClock),
        texts: Arc::new(izin_i18n::Texts::load().map_err(|e| format!("texts: {e}"))?),
        reference: Arc::new(
            izin_domain::reference::Reference::embedded()
                .map_err(|e| format!("reference data: {e}"))?,
        ),
        policies: Policies::default(),
        mailer: Arc::new(mailer),
        files,
        mail_queued: Arc::new(tokio::sync::Notify::new()),
        recent_verifications: Default::default(),
        proof: Arc::new(izin_app::proof::ProofSettings {
            base_url: "http://127.0.0.1".into(),
        }),
        proof_keys: Arc::new(izin_app::proof::DocumentKeys::new(
            izin_domain::proof::keys::KeyEncryptionKey::generate(&mut rand::rng()),
        )),
    })
}

// ----- Seeding -----

/// One notification to send: it pays one amount of an application's notice.
struct Payment {
    application: Uuid,
    foreigner_id: String,
    reference: String,
    account_code: &'static str,
    amount: Money,
    /// The notice's items once this payment is counted (what the raw client writes).
    items_after: serde_json::Value,
    /// It pays the last amount due: the application is approved.
    completes: bool,
}

fn amount(account: &str, kind: FeeKind, kurus: i64, year: i32) -> Amount {
    Amount {
        account_code: account.into(),
        kind,
        amount: Money(kurus),
        currency: "TRY".into(),
        year,
        published: true,
    }
}

fn audit(now: OffsetDateTime, actor: Actor) -> NewAuditEntry {
    NewAuditEntry::new(
        now,
        actor,
        AuditAction::ApplicationMoved,
        &ClientInfo::default(),
    )
}

/// `count` applications waiting for payment, seeded `tasks` at a time; returns the payments
/// that settle them: first one for each application (in seeding order), then the second
/// amounts of those that owe two.
async fn seed(store: Arc<dyn Store>, count: usize, tasks: usize) -> Result<Vec<Payment>, String> {
    let year = OffsetDateTime::now_utc()
        .to_offset(izin_domain::calendar::TURKIYE)
        .year();
    let next = Arc::new(AtomicUsize::new(0));
    let mut running = Vec::new();
    for task in 0..tasks {
        let (store, next) = (store.clone(), next.clone());
        running.push(tokio::spawn(async move {
            let (user, _) =
                user_with_session(store.as_ref(), &format!("payer{task}@bench.example")).await;
            let mut seeded = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= count {
                    break;
                }
                seeded.push((n, pending(store.as_ref(), &user, n, year).await?));
            }
            Ok::<_, String>(seeded)
        }));
    }
    let mut all = Vec::with_capacity(count);
    for task in running {
        all.extend(task.await.map_err(|e| format!("seeding: {e}"))??);
    }
    all.sort_by_key(|(n, _)| *n);
    let mut firsts = Vec::with_capacity(count);
    let mut seconds = Vec::new();
    for (_, payments) in all {
        let mut payments = payments.into_iter();
        firsts.extend(payments.next());
        seconds.extend(payments);
    }
    firsts.extend(seconds);
    Ok(firsts)
}

/// The n-th application: submitted, taken and approved with fees due (one amount, or two for
/// every fourth), for a payer of its own.
async fn pending(
    store: &dyn Store,
    user: &User,
    n: usize,
    year: i32,
) -> Result<Vec<Payment>, String> {
    let failed = |what: &'static str| move |e: StoreError| format!("seeding: {what}: {e}");
    let now = OffsetDateTime::now_utc();
    let foreigner = ForeignerId::assigned(n as u64 + 1);
    let items = if n.is_multiple_of(4) {
        vec![
            amount(CARD_ACCOUNT, FeeKind::ValuablePaperFee, CARD, year),
            amount(FEE_ACCOUNT, FeeKind::ExemptionFee, FEE, year),
        ]
    } else {
        vec![amount(FEE_ACCOUNT, FeeKind::ExemptionFee, FEE, year)]
    };
    let id = Uuid::now_v7();
    let columns = ApplicationColumns {
        category: Some("compulsory-internship".into()),
        ..Default::default()
    };
    store
        .create_application(NewApplication {
            id,
            user_id: user.id,
            kind: Kind::WorkPermitExemption,
            parent: None,
            data: serde_json::json!({"category": "compulsory-internship"}),
            columns: columns.clone(),
            now,
            audit: audit(now, Actor::User(user.id)),
        })
        .await
        .map_err(failed("create"))?;
    let submitted = store
        .submit_application(Submission {
            owner: user.id,
            id,
            idempotency_key: None,
            expected_edits: 0,
            snapshot: serde_json::json!({"data": {"category": "compulsory-internship"}}),
            columns,
            documents: Vec::new(),
            queue: Some(QueueColumns {
                authority: Authority::Labour,
                applicant_name: "Ayşe Yılmaz".into(),
                applicant_key: "yilmaz ayse".into(),
                applicant_key_given: "ayse yilmaz".into(),
                nationality: Some("AZE".into()),
                foreigner_id: Some(foreigner.as_str().to_owned()),
                passport_number: Some(format!("P{n:08}")),
            }),
            year: now.year(),
            blocking: Blocking::default(),
            now,
            mail: None,
            payment: None,
            audit: audit(now, Actor::User(user.id)),
        })
        .await
        .map_err(failed("submit"))?;
    if !matches!(submitted, SubmitOutcome::Submitted { .. }) {
        return Err(format!("seeding: submit: {submitted:?}"));
    }
    let officer = Actor::Officer(Uuid::now_v7());
    for (event, payment) in [
        (Event::StartEvaluation, None),
        (
            Event::ApproveWithFees,
            Some(NewNotice {
                authority: Authority::Labour,
                foreigner_id: foreigner.as_str().to_owned(),
                foreigner_id_assigned: false,
                items: items.clone(),
                deadline: izin_domain::payment::deadline(now, 30),
                on_approval: Some(ExemptionStatus::Active),
                basis: None,
                mail: PaymentMail::none(),
            }),
        ),
    ] {
        let moved = store
            .transition_application(Transition {
                id,
                owner: None,
                event,
                actor: officer,
                reason: None,
                fees_due: payment.is_some(),
                approval_outcome: Some(ExemptionStatus::Active),
                resubmission: None,
                officer: None,
                payment,
                now,
                mail: None,
                audit: audit(now, officer),
            })
            .await
            .map_err(failed("move"))?;
        if !matches!(moved, TransitionOutcome::Moved { .. }) {
            return Err(format!("seeding: {event:?}: {moved:?}"));
        }
    }
    let notice = store
        .payment_notice(id)
        .await
        .map_err(failed("notice"))?
        .ok_or("seeding: the approval left no notice")?;
    let mut items_now = notice.items.clone();
    let mut payments = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(due) = items_now.get_mut(i) {
            due.paid = true;
        }
        payments.push(Payment {
            application: id,
            foreigner_id: foreigner.as_str().to_owned(),
            reference: notice.reference.as_str().to_owned(),
            account_code: if item.account_code == FEE_ACCOUNT {
                FEE_ACCOUNT
            } else {
                CARD_ACCOUNT
            },
            amount: item.amount,
            items_after: serde_json::to_value(&items_now).map_err(|e| e.to_string())?,
            completes: i + 1 == items.len(),
        });
    }
    Ok(payments)
}

// ----- Measuring -----

/// What a closed-loop run measured.
struct Figures {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// Operations that succeeded inside the measured window.
    done: usize,
    errors: u64,
    /// The work ran out before the window ended.
    ran_out: bool,
}

/// The window a run measures, and what every worker saw in it.
struct Window {
    start: Instant,
    measure_from: Instant,
    stop: Instant,
    errors: AtomicU64,
    ran_out: AtomicBool,
}

/// One operation: when it finished (nanoseconds after the start), how long it took (µs),
/// whether it succeeded.
type Sample = (u64, u32, bool);

impl Window {
    fn new(warmup: Duration, duration: Duration) -> Self {
        let start = Instant::now();
        Self {
            start,
            measure_from: start + warmup,
            stop: start + warmup + duration,
            errors: AtomicU64::new(0),
            ran_out: AtomicBool::new(false),
        }
    }

    fn open(&self) -> bool {
        Instant::now() < self.stop
    }

    fn record(&self, sent: Instant, ok: bool, samples: &mut Vec<Sample>) {
        let finished = Instant::now();
        samples.push((
            (finished - self.start).as_nanos() as u64,
            (finished - sent).as_micros() as u32,
            ok,
        ));
    }

    /// The figures of the measured window: from the end of the warm-up to the stop, or to the
    /// last answer when the work ran out before (from the start if it ran out in the warm-up).
    fn figures(&self, samples: Vec<Sample>) -> Figures {
        let ran_out = self.ran_out.load(Ordering::Relaxed);
        let nanos = |at: Instant| (at - self.start).as_nanos() as u64;
        let last = samples.iter().map(|s| s.0).max().unwrap_or(0);
        let mut from = nanos(self.measure_from);
        let to = if ran_out {
            (last + 1).min(nanos(self.stop))
        } else {
            nanos(self.stop)
        };
        if to <= from {
            from = 0;
        }
        let in_window = |s: &&Sample| s.0 >= from && s.0 < to;
        let mut latencies: Vec<u32> = samples
            .iter()
            .filter(in_window)
            .filter(|s| s.2)
            .map(|s| s.1)
            .collect();
        let errors = samples.iter().filter(in_window).filter(|s| !s.2).count() as u64
            + self.errors.load(Ordering::Relaxed);
        latencies.sort_unstable();
        let percentile = |p: f64| -> f64 {
            if latencies.is_empty() {
                return f64::NAN;
            }
            let index = ((latencies.len() as f64 - 1.0) * p).round() as usize;
            f64::from(latencies[index]) / 1000.0
        };
        Figures {
            per_second: latencies.len() as f64 / Duration::from_nanos(to - from).as_secs_f64(),
            p50_ms: percentile(0.50),
            p99_ms: percentile(0.99),
            done: latencies.len(),
            errors,
            ran_out,
        }
    }
}

type Operation<S> = Arc<
    dyn for<'a> Fn(&'a S, usize) -> Pin<Box<dyn Future<Output = bool> + Send + 'a>> + Send + Sync,
>;

/// Runs one task per state, each taking the next operation's number as soon as its last one
/// is done, until the window closes or (with `total`) the numbers run out.
async fn closed_loop<S: Send + Sync + 'static>(
    states: Vec<S>,
    total: Option<usize>,
    warmup: Duration,
    duration: Duration,
    operation: Operation<S>,
) -> Result<Figures, String> {
    let window = Arc::new(Window::new(warmup, duration));
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for state in states {
        let (window, next, operation) = (window.clone(), next.clone(), operation.clone());
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::with_capacity(65_536);
            while window.open() {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if total.is_some_and(|total| n >= total) {
                    window.ran_out.store(true, Ordering::Relaxed);
                    break;
                }
                let sent = Instant::now();
                let ok = operation(&state, n).await;
                window.record(sent, ok, &mut samples);
            }
            samples
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.map_err(|e| format!("a sender failed: {e}"))?);
    }
    Ok(window.figures(all))
}

// ----- The portal -----

/// What every sender shares: the router, the secret, the payments.
struct Sender {
    router: Router,
    secret: NotificationSecret,
    work: Arc<Vec<Payment>>,
    run: String,
}

impl Sender {
    /// Sends the n-th payment's notification, signed, and checks that it was matched.
    async fn notify(&self, n: usize) -> Result<(), String> {
        let payment = self.work.get(n).ok_or("no such payment")?;
        let now = OffsetDateTime::now_utc();
        let body = serde_json::json!({
            "payment_id": format!("GIB-{}-{n}", self.run),
            "reference_number": payment.reference,
            "foreigner_id": payment.foreigner_id,
            "account_code": payment.account_code,
            "amount": payment.amount.decimal(),
            "currency": "TRY",
            "paid_at": now.format(&Rfc3339).map_err(|e| e.to_string())?,
        })
        .to_string();
        let timestamp = now.unix_timestamp().to_string();
        let signature = self.secret.sign(&timestamp, body.as_bytes());
        let mut request = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/payments/notifications")
            .header("content-type", "application/json")
            .header(TIMESTAMP_HEADER, timestamp)
            .header(SIGNATURE_HEADER, signature)
            .body(Body::from(body))
            .map_err(|e| e.to_string())?;
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(SENDER_ADDRESS)));
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024)
            .await
            .map_err(|e| e.to_string())?;
        let answer: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        if status != StatusCode::OK || answer["matched"] != serde_json::Value::Bool(true) {
            return Err(format!(
                "{status}: {}",
                String::from_utf8_lossy(&bytes)
                    .chars()
                    .take(300)
                    .collect::<String>()
            ));
        }
        Ok(())
    }
}

/// How many of the seeded applications are APPROVED now.
async fn count_approved(store: &dyn Store, work: &[Payment]) -> Result<usize, String> {
    let mut approved = 0;
    for payment in work.iter().filter(|p| p.completes) {
        let record = store
            .application(None, payment.application)
            .await
            .map_err(|e| e.to_string())?;
        if record.is_some_and(|r| r.lifecycle.status == Status::Approval) {
            approved += 1;
        }
    }
    Ok(approved)
}

// ----- The raw client -----

/// The approval mail the portal queued last, to be written again by the raw client.
#[derive(Clone)]
struct Mail {
    kind: String,
    recipient: String,
    language: String,
    subject: String,
    body_text: Option<String>,
    body_html: Option<String>,
}

async fn approval_mail(raw: &Raw) -> Result<Mail, String> {
    const QUERY: &str = "SELECT kind, recipient, language, subject, body_text, body_html
                           FROM outbox ORDER BY id DESC LIMIT 1";
    match raw {
        Raw::Postgres(url) => {
            let client = pg_connect(url).await?;
            let row = client
                .query_one(QUERY, &[])
                .await
                .map_err(|e| format!("the portal queued no mail: {e}"))?;
            Ok(Mail {
                kind: row.get(0),
                recipient: row.get(1),
                language: row.get(2),
                subject: row.get(3),
                body_text: row.get(4),
                body_html: row.get(5),
            })
        }
        Raw::Sqlite(path) => {
            let conn = rusqlite::Connection::open(path).map_err(|e| e.to_string())?;
            conn.query_row(QUERY, [], |row| {
                Ok(Mail {
                    kind: row.get(0)?,
                    recipient: row.get(1)?,
                    language: row.get(2)?,
                    subject: row.get(3)?,
                    body_text: row.get(4)?,
                    body_html: row.get(5)?,
                })
            })
            .map_err(|e| format!("the portal queued no mail: {e}"))
        }
    }
}

/// Puts the seeded applications back to PAYMENT_PENDING, so that the raw client's first pass
/// changes their status as the notifications did (and the status counters' triggers fire).
async fn reset_to_pending(raw: &Raw, work: &[Payment]) -> Result<(), String> {
    let ids: Vec<Uuid> = work
        .iter()
        .filter(|p| p.completes)
        .map(|p| p.application)
        .collect();
    match raw {
        Raw::Postgres(url) => {
            let client = pg_connect(url).await?;
            client
                .execute(
                    "UPDATE applications SET status = 'PAYMENT_PENDING', exemption_status = NULL,
                            concluded_at = NULL
                      WHERE id = ANY($1)",
                    &[&ids],
                )
                .await
                .map_err(|e| e.to_string())?;
        }
        Raw::Sqlite(path) => {
            let mut conn = rusqlite::Connection::open(path).map_err(|e| e.to_string())?;
            conn.busy_timeout(Duration::from_secs(30))
                .map_err(|e| e.to_string())?;
            let tx = conn.transaction().map_err(|e| e.to_string())?;
            {
                let mut update = tx
                    .prepare(
                        "UPDATE applications SET status = 'PAYMENT_PENDING',
                                exemption_status = NULL, concluded_at = NULL
                          WHERE id = ?1",
                    )
                    .map_err(|e| e.to_string())?;
                for id in ids {
                    update.execute([id]).map_err(|e| e.to_string())?;
                }
            }
            tx.commit().map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// The values of the n-th raw write: the work list is replayed from the start when it runs
/// out, each pass moving the completed applications the other way (APPROVAL, then
/// PAYMENT_PENDING, …) so that every status update changes the status (on PostgreSQL a pass
/// starts when the one before has finished).
struct RawWrite<'a> {
    payment: &'a Payment,
    receipt: Uuid,
    payment_id: String,
    now: OffsetDateTime,
    from: Status,
    to: Status,
    to_exemption: Option<&'static str>,
    receipt_details: serde_json::Value,
    settled_details: serde_json::Value,
}

impl<'a> RawWrite<'a> {
    fn of(work: &'a [Payment], n: usize, run: &str) -> Self {
        let payment = &work[n % work.len()];
        let forward = (n / work.len()).is_multiple_of(2);
        let (from, to) = if forward {
            (Status::PaymentPending, Status::Approval)
        } else {
            (Status::Approval, Status::PaymentPending)
        };
        let receipt = Uuid::now_v7();
        Self {
            payment,
            receipt,
            payment_id: format!("RAW-{run}-{n}"),
            now: OffsetDateTime::now_utc(),
            from,
            to,
            to_exemption: forward.then_some(ExemptionStatus::Active.code()),
            receipt_details: serde_json::json!({
                "channel": "notification",
                "account_code": payment.account_code,
                "amount": payment.amount.decimal(),
                "receipt": receipt.to_string(),
                "matched": true,
                "reason": null,
            }),
            settled_details: serde_json::json!({"event": Event::ConfirmPayment.code()}),
        }
    }
}

async fn pg_connect(url: &str) -> Result<tokio_postgres::Client, String> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .map_err(|e| format!("connect to PostgreSQL: {e}"))?;
    tokio::spawn(connection);
    Ok(client)
}

/// The codes the portal writes, as SQL literals (the domain's own constants).
struct Codes {
    system: &'static str,
    confirm: &'static str,
    moved: &'static str,
    received: &'static str,
}

fn codes() -> Codes {
    Codes {
        system: Actor::System.kind(),
        confirm: Event::ConfirmPayment.code(),
        moved: AuditAction::ApplicationMoved.code(),
        received: AuditAction::PaymentReceived.code(),
    }
}

fn pg_receipt_insert() -> &'static str {
    "INSERT INTO payment_receipts (id, channel, payment_id, reference_number, foreigner_id,
            account_code, amount, currency, paid_at, received_at, application_id, authority,
            matched)
     VALUES ($1, 'notification', $2, $3, $4, $5, $6, 'TRY', $7, $7, $8, 'labour', TRUE)"
}

struct PgRaw {
    client: tokio_postgres::Client,
    complete: tokio_postgres::Statement,
    partial: tokio_postgres::Statement,
    work: Arc<Vec<Payment>>,
    mail: Arc<Mail>,
    run: String,
    /// Writes finished (shared by the writers): a pass over the work list starts only when the
    /// pass before has finished, or a write moving an application to APPROVAL and one moving
    /// another back could take the status counters' rows in opposite orders and deadlock.
    finished: Arc<AtomicUsize>,
}

impl PgRaw {
    async fn connect(
        url: &str,
        work: Arc<Vec<Payment>>,
        mail: Arc<Mail>,
        run: String,
        finished: Arc<AtomicUsize>,
    ) -> Result<Self, String> {
        let client = pg_connect(url).await?;
        let c = codes();
        let receipt = pg_receipt_insert();
        let audit = "INSERT INTO audit_log (at, actor_kind, action, details, ip)";
        let complete = format!(
            "WITH r AS ({receipt}),
                  n AS (UPDATE payment_notices SET items = $9, settled_at = $7
                         WHERE application_id = $8),
                  a AS (UPDATE applications SET status = $10, exemption_status = $11,
                               concluded_at = COALESCE(concluded_at, $7), updated_at = $7
                         WHERE id = $8),
                  e AS (INSERT INTO application_events (application_id, at, actor_kind, event,
                               from_status, to_status, to_exemption, version)
                        VALUES ($8, $7, '{system}', '{confirm}', $12, $10, $11, 1)),
                  o AS (INSERT INTO outbox (kind, recipient, language, subject, body_text,
                               body_html, created_at, next_attempt_at)
                        VALUES ($13, $14, $15, $16, $17, $18, $7, $7)),
                  s AS ({audit} VALUES ($7, '{system}', '{moved}', $19, '127.0.0.1'))
             {audit} VALUES ($7, '{system}', '{received}', $20, '127.0.0.1')",
            system = c.system,
            confirm = c.confirm,
            moved = c.moved,
            received = c.received,
        );
        let partial = format!(
            "WITH r AS ({receipt}),
                  n AS (UPDATE payment_notices SET items = $9 WHERE application_id = $8)
             {audit} VALUES ($7, '{system}', '{received}', $10, '127.0.0.1')",
            system = c.system,
            received = c.received,
        );
        let complete = client
            .prepare(&complete)
            .await
            .map_err(|e| format!("prepare: {e}"))?;
        let partial = client
            .prepare(&partial)
            .await
            .map_err(|e| format!("prepare: {e}"))?;
        Ok(Self {
            client,
            complete,
            partial,
            work,
            mail,
            run,
            finished,
        })
    }

    async fn write(&self, n: usize) -> Result<(), String> {
        let pass_start = n - n % self.work.len();
        while self.finished.load(Ordering::Acquire) < pass_start {
            tokio::time::sleep(Duration::from_micros(100)).await;
        }
        let written = self.write_now(n).await;
        self.finished.fetch_add(1, Ordering::Release);
        written
    }

    async fn write_now(&self, n: usize) -> Result<(), String> {
        let w = RawWrite::of(&self.work, n, &self.run);
        let p = w.payment;
        let amount = p.amount.0;
        let written = if p.completes {
            let mail = &self.mail;
            self.client
                .execute(
                    &self.complete,
                    &[
                        &w.receipt,
                        &w.payment_id,
                        &p.reference,
                        &p.foreigner_id,
                        &p.account_code,
                        &amount,
                        &w.now,
                        &p.application,
                        &p.items_after,
                        &w.to.code(),
                        &w.to_exemption,
                        &w.from.code(),
                        &mail.kind,
                        &mail.recipient,
                        &mail.language,
                        &mail.subject,
                        &mail.body_text,
                        &mail.body_html,
                        &w.settled_details,
                        &w.receipt_details,
                    ],
                )
                .await
        } else {
            self.client
                .execute(
                    &self.partial,
                    &[
                        &w.receipt,
                        &w.payment_id,
                        &p.reference,
                        &p.foreigner_id,
                        &p.account_code,
                        &amount,
                        &w.now,
                        &p.application,
                        &p.items_after,
                        &w.receipt_details,
                    ],
                )
                .await
        };
        written.map(|_| ()).map_err(|e| match e.as_db_error() {
            Some(db) => format!("{}: {}", db.code().code(), db.message()),
            None => e.to_string(),
        })
    }
}

async fn raw_postgres(
    url: &str,
    work: &Arc<Vec<Payment>>,
    mail: &Mail,
    options: &Options,
) -> Result<Figures, String> {
    let mail = Arc::new(mail.clone());
    let run = Uuid::now_v7().simple().to_string();
    let mut clients = Vec::new();
    let finished = Arc::new(AtomicUsize::new(0));
    for _ in 0..options.senders {
        clients.push(
            PgRaw::connect(
                url,
                work.clone(),
                mail.clone(),
                run.clone(),
                finished.clone(),
            )
            .await?,
        );
    }
    let first_error = Arc::new(Mutex::new(None::<String>));
    let errors = first_error.clone();
    let figures = closed_loop(
        clients,
        None,
        options.warmup,
        options.duration,
        Arc::new(move |raw: &PgRaw, n| {
            let errors = errors.clone();
            Box::pin(async move {
                let outcome = raw.write(n).await;
                if let Err(e) = &outcome
                    && let Ok(mut first) = errors.lock()
                {
                    first.get_or_insert_with(|| e.clone());
                }
                outcome.is_ok()
            })
        }),
    )
    .await?;
    if let Ok(first) = first_error.lock()
        && let Some(e) = first.as_ref()
    {
        println!("  first failed raw write: {e}");
    }
    Ok(figures)
}

fn micros(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1000) as i64
}

/// One raw write on SQLite: `BEGIN IMMEDIATE`, the statements, `COMMIT`.
fn sqlite_write(
    conn: &mut rusqlite::Connection,
    w: &RawWrite<'_>,
    mail: &Mail,
    codes: &Codes,
) -> rusqlite::Result<()> {
    let p = w.payment;
    let now = micros(w.now);
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.prepare_cached(
        "INSERT INTO payment_receipts (id, channel, payment_id, reference_number, foreigner_id,
                account_code, amount, currency, paid_at, received_at, application_id, authority,
                matched)
         VALUES (?1, 'notification', ?2, ?3, ?4, ?5, ?6, 'TRY', ?7, ?7, ?8, 'labour', 1)",
    )?
    .execute(rusqlite::params![
        w.receipt,
        w.payment_id,
        p.reference,
        p.foreigner_id,
        p.account_code,
        p.amount.0,
        now,
        p.application
    ])?;
    let items = p.items_after.to_string();
    let audit = "INSERT INTO audit_log (at, actor_kind, action, details, ip)
                 VALUES (?1, ?2, ?3, ?4, '127.0.0.1')";
    if p.completes {
        tx.prepare_cached(
            "UPDATE payment_notices SET items = ?2, settled_at = ?3 WHERE application_id = ?1",
        )?
        .execute(rusqlite::params![p.application, items, now])?;
        tx.prepare_cached(
            "UPDATE applications SET status = ?2, exemption_status = ?3,
                    concluded_at = COALESCE(concluded_at, ?4), updated_at = ?4
              WHERE id = ?1",
        )?
        .execute(rusqlite::params![
            p.application,
            w.to.code(),
            w.to_exemption,
            now
        ])?;
        tx.prepare_cached(
            "INSERT INTO application_events (application_id, at, actor_kind, event, from_status,
                    to_status, to_exemption, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)",
        )?
        .execute(rusqlite::params![
            p.application,
            now,
            codes.system,
            codes.confirm,
            w.from.code(),
            w.to.code(),
            w.to_exemption
        ])?;
        tx.prepare_cached(
            "INSERT INTO outbox (kind, recipient, language, subject, body_text, body_html,
                    created_at, next_attempt_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        )?
        .execute(rusqlite::params![
            mail.kind,
            mail.recipient,
            mail.language,
            mail.subject,
            mail.body_text,
            mail.body_html,
            now
        ])?;
        tx.prepare_cached(audit)?.execute(rusqlite::params![
            now,
            codes.system,
            codes.moved,
            w.settled_details.to_string()
        ])?;
    } else {
        tx.prepare_cached("UPDATE payment_notices SET items = ?2 WHERE application_id = ?1")?
            .execute(rusqlite::params![p.application, items])?;
    }
    tx.prepare_cached(audit)?.execute(rusqlite::params![
        now,
        codes.system,
        codes.received,
        w.receipt_details.to_string()
    ])?;
    tx.commit()
}

/// The raw client on SQLite: 32 threads, each with its own connection with the portal's
/// settings (WAL, `synchronous = FULL`, foreign keys); with `take_turns` they write one at a
/// time through a lock in the process instead of waiting in SQLite's busy handler.
async fn raw_sqlite(
    path: &Path,
    work: &Arc<Vec<Payment>>,
    mail: &Mail,
    options: &Options,
    take_turns: bool,
) -> Result<Figures, String> {
    let window = Arc::new(Window::new(options.warmup, options.duration));
    let next = Arc::new(AtomicUsize::new(0));
    let turn = Arc::new(Mutex::new(()));
    let mail = Arc::new(mail.clone());
    let run = Uuid::now_v7().simple().to_string();
    let first_error = Arc::new(Mutex::new(None::<String>));
    let mut threads = Vec::new();
    for _ in 0..options.senders {
        let (window, next, turn, work, mail, run, first_error) = (
            window.clone(),
            next.clone(),
            turn.clone(),
            work.clone(),
            mail.clone(),
            run.clone(),
            first_error.clone(),
        );
        let path = path.to_owned();
        threads.push(std::thread::spawn(
            move || -> Result<Vec<Sample>, String> {
                let mut conn = rusqlite::Connection::open(&path).map_err(|e| e.to_string())?;
                conn.busy_timeout(Duration::from_secs(30))
                    .map_err(|e| e.to_string())?;
                for (pragma, value) in [("foreign_keys", "ON"), ("synchronous", "FULL")] {
                    conn.pragma_update(None, pragma, value)
                        .map_err(|e| e.to_string())?;
                }
                let codes = codes();
                let mut samples = Vec::with_capacity(65_536);
                while window.open() {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let write = RawWrite::of(&work, n, &run);
                    let sent = Instant::now();
                    let outcome = if take_turns {
                        let _turn = turn.lock().map_err(|e| e.to_string())?;
                        sqlite_write(&mut conn, &write, &mail, &codes)
                    } else {
                        sqlite_write(&mut conn, &write, &mail, &codes)
                    };
                    if let Err(e) = &outcome
                        && let Ok(mut first) = first_error.lock()
                    {
                        first.get_or_insert_with(|| e.to_string());
                    }
                    window.record(sent, outcome.is_ok(), &mut samples);
                }
                Ok(samples)
            },
        ));
    }
    let figures = tokio::task::spawn_blocking(move || {
        let mut all = Vec::new();
        for thread in threads {
            all.extend(
                thread
                    .join()
                    .map_err(|_| "a raw writer panicked".to_owned())??,
            );
        }
        Ok::<_, String>(window.figures(all))
    })
    .await
    .map_err(|e| e.to_string())??;
    if let Ok(first) = first_error.lock()
        && let Some(e) = first.as_ref()
    {
        println!("  first failed raw write: {e}");
    }
    Ok(figures)
}
