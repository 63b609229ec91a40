//! Starting, running and stopping the portal.

use crate::config::{Config, DocumentKeySetting, LogFormat, MailSetting, Mode};
use crate::{demo_holder, demo_officers, registry};
use anyhow::Context;
use izin_adapters::files::FileStore;
use izin_adapters::mail::{Mailer, OutboxDirMailer, SmtpMailer};
use izin_app::proof::{DocumentKeys, ProofSettings};
use izin_app::registries::simulator::SimulatedRegistries;
use izin_app::{App, Keys, Policies, workers};
use izin_domain::SystemClock;
use izin_domain::catalog::ExemptionCatalog;
use izin_domain::proof::keys::KeyEncryptionKey;
use izin_i18n::Texts;
use izin_store::Store;
use izin_web::WebConfig;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

pub fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("IZIN_LOG")
        .or_else(|_| tracing_subscriber::EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.compact().try_init(),
    };
}

pub(crate) fn prepare_data_dir(config: &Config) -> anyhow::Result<()> {
    if config.uses_data_dir() {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {} (--data-dir)",
                config.data_dir.display()
            )
        })?;
    }
    Ok(())
}

/// Opens the configured database, migrating it; the data directory must exist.
pub(crate) async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    izin_store::open(&config.database).await.with_context(|| {
        format!(
            "cannot open the {} database (--database-url)",
            config.database.backend_name()
        )
    })
}

/// What the services are built from that needs no database: the texts, the reference data and
/// the exemption catalogue, each checked.
pub(crate) struct Catalogues {
    texts: Arc<Texts>,
    reference: Arc<izin_domain::reference::Reference>,
    catalog: Arc<ExemptionCatalog>,
}

impl Catalogues {
    pub(crate) fn load(config: &Config) -> anyhow::Result<Self> {
        let texts = Arc::new(Texts::load().context("the locale files are broken")?);
        let reference = Arc::new(
            izin_domain::reference::Reference::embedded()
                .context("the reference data in catalog/reference is broken")?,
        );
        let catalog = Arc::new(match &config.catalog_dir {
            Some(dir) => ExemptionCatalog::from_dir(dir).with_context(|| {
                format!(
                    "the catalogue in {} is broken (--catalog-dir)",
                    dir.display()
                )
            })?,
            None => ExemptionCatalog::embedded()
                .context("the catalogue in catalog/work-permit-exemption is broken")?,
        });
        Ok(Self {
            texts,
            reference,
            catalog,
        })
    }
}

/// The services over `store` as `serve` runs them (without its workers), for `serve` and the
/// commands that act through them (`izin payments import`). Mail they queue stays in the
/// database's outbox until a running portal's mail worker sends it.
pub(crate) async fn build_app(
    config: &Config,
    store: Arc<dyn Store>,
    catalogues: Catalogues,
) -> anyhow::Result<App> {
    let keys = Arc::new(
        Keys::load(store.as_ref())
            .await
            .context("cannot load the server keys")?,
    );
    let files = FileStore::open(&config.files).map_err(|e| anyhow::anyhow!("{e} (--files-url)"))?;
    let mailer: Arc<dyn Mailer> = match &config.mail {
        MailSetting::OutboxDir(dir) => Arc::new(
            OutboxDirMailer::new(dir.clone(), config.mail_from.clone(), mail_host(config))
                .with_context(|| format!("cannot create the mail outbox {}", dir.display()))?,
        ),
        MailSetting::Smtp(url) => Arc::new(
            SmtpMailer::new(url, config.mail_from.clone(), mail_host(config))
                .map_err(|e| anyhow::anyhow!("invalid setting --smtp-url (IZIN_SMTP_URL): {e}"))?,
        ),
    };
    let document_key = document_key(config)?;
    let mut policies = Policies::default();
    policies.otp.per_ip_per_hour = config.code_requests_per_ip_per_hour;
    policies.session.idle_timeout = config.session_idle_timeout;
    Ok(App {
        registries: Arc::new(SimulatedRegistries::new(store.clone())),
        carrier: Arc::new(izin_app::cargo::carrier::SimulatedPtt::new(store.clone())),
        store,
        clock: Arc::new(SystemClock),
        texts: catalogues.texts,
        reference: catalogues.reference,
        catalog: catalogues.catalog,
        keys,
        policies,
        mailer,
        files,
        proof: Arc::new(ProofSettings {
            base_url: config.base_url.trim_end_matches('/').to_owned(),
        }),
        proof_keys: Arc::new(DocumentKeys::new(document_key)),
        mail_queued: Arc::new(tokio::sync::Notify::new()),
        recent_verifications: Default::default(),
    })
}

/// The key that seals the document-signing keys: given, or read from its file — which is made,
/// readable by this user only, on first start. Instances sharing a database must share it.
pub(crate) fn document_key(config: &Config) -> anyhow::Result<KeyEncryptionKey> {
    let path = match &config.document_key {
        DocumentKeySetting::Given(key) => return Ok(key.clone()),
        DocumentKeySetting::File(path) => path,
    };
    match std::fs::read_to_string(path) {
        Ok(text) => KeyEncryptionKey::parse(text.trim()).map_err(|e| {
            anyhow::anyhow!("the document key in {} is unusable: {e}", path.display())
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = KeyEncryptionKey::generate(&mut rand::rng());
            write_private(path, &key.to_text()).with_context(|| {
                format!("cannot write a new document key to {}", path.display())
            })?;
            tracing::info!(path = %path.display(), "a new document key was written");
            Ok(key)
        }
        Err(e) => {
            Err(e).with_context(|| format!("cannot read the document key {}", path.display()))
        }
    }
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()
}

pub async fn migrate(config: Config) -> anyhow::Result<()> {
    prepare_data_dir(&config)?;
    let store = open_store(&config).await?;
    println!("The {} database schema is up to date.", store.backend());
    Ok(())
}

fn mail_host(config: &Config) -> String {
    config.mail_from.email.domain().to_owned()
}

/// Runs the portal until SIGTERM or Ctrl-C; in demo mode, loads the demo registry data first.
pub async fn serve(config: Config, mode: Mode) -> anyhow::Result<()> {
    let demo = mode == Mode::Demo;
    let started = Instant::now();
    prepare_data_dir(&config)?;
    let metrics = metrics_exporter_prometheus::PrometheusBuilder::new()
        .set_buckets(&[
            0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
        ])
        .context("metrics buckets")?
        .install_recorder()
        .context("cannot install the metrics recorder")?;
    // Histogram samples wait in the recorder until drained. Without a scrape they would pile up
    // for as long as the portal runs (a few bytes a request), so drain them as the exporter's
    // own server would.
    tokio::spawn({
        let metrics = metrics.clone();
        async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
            loop {
                every.tick().await;
                metrics.run_upkeep();
            }
        }
    });

    let catalogues = Catalogues::load(&config)?;
    let store = open_store(&config).await?;
    let demo_summary = if demo {
        let today = izin_domain::calendar::today_in_turkiye(time::OffsetDateTime::now_utc());
        Some(registry::load_demo(store.as_ref(), &catalogues.reference, today).await?)
    } else {
        None
    };
    let app = build_app(&config, store, catalogues).await?;
    app.files.check().await.with_context(|| {
        format!(
            "the file store {} is not usable (--files-url)",
            app.files.describe()
        )
    })?;
    // The signing key is made (or unsealed) now, so a wrong document key stops the start.
    app.proof_keys
        .current(app.store.as_ref(), time::OffsetDateTime::now_utc())
        .await
        .context("cannot open the document-signing key")?;
    let mailer = app.mailer.clone();
    // The demo card holder, made through the services once the App exists and before serving.
    let demo_holder = if demo {
        Some(
            demo_holder::ensure_demo_holder(&app)
                .await
                .context("cannot set up the demo card holder")?,
        )
    } else {
        None
    };
    let demo_officers = if demo {
        Some(
            demo_officers::ensure_demo_officers(&app)
                .await
                .context("cannot set up the demo officers")?,
        )
    } else {
        None
    };
    // With an address of their own, metrics are not served to the public listener.
    let (public_metrics, metrics_server) = match config.metrics_listen {
        None => (Some(metrics), None),
        Some(address) => {
            let listener = tokio::net::TcpListener::bind(address)
                .await
                .with_context(|| format!("cannot listen on {address} (--metrics-listen)"))?;
            (None, Some((listener, izin_web::metrics_router(metrics))))
        }
    };
    // Without a secret, notifications are refused (404); development and demo mode use a fixed
    // one, printed, so /dev/pay can sign with it.
    use izin_app::payments::notifications::{DEMO_SECRET, NotificationSecret};
    let payments_secret = match (&config.payments_secret, mode.dev_tools()) {
        (Some(secret), _) => Some(secret.clone()),
        (None, true) => Some(
            NotificationSecret::new(DEMO_SECRET.as_bytes()).context("the demo payments secret")?,
        ),
        (None, false) => None,
    };
    // The carrier's reports, the same way: refused without a secret, the demo's in dev/demo.
    let cargo_secret = match (&config.cargo_secret, mode.dev_tools()) {
        (Some(secret), _) => Some(secret.clone()),
        (None, true) => Some(
            NotificationSecret::new(izin_app::cargo::DEMO_SECRET.as_bytes())
                .context("the demo cargo secret")?,
        ),
        (None, false) => None,
    };
    let web = izin_web::router(
        app.clone(),
        WebConfig {
            base_url: config.base_url.clone(),
            trust_forwarded_for: config.trust_forwarded_for,
            dev_tools: mode.dev_tools(),
            payments_secret: payments_secret.clone(),
            cargo_secret: cargo_secret.clone(),
        },
        public_metrics,
    );
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {} (--listen)", config.listen))?;

    let shutdown = CancellationToken::new();
    let metrics_task = metrics_server.map(|(listener, router)| {
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async move { shutdown.cancelled().await })
                .await
        })
    });
    let mail_worker = tokio::spawn(workers::run_mail_worker(app.clone(), shutdown.clone()));
    let cleanup = tokio::spawn(workers::run_cleanup(app.clone(), shutdown.clone()));
    let payment_jobs = tokio::spawn(workers::run_payment_jobs(app.clone(), shutdown.clone()));
    let document_jobs = tokio::spawn(workers::run_document_jobs(app.clone(), shutdown.clone()));

    println!(
        "Izin is running: open {}/ in your browser.",
        config.base_url
    );
    if mode.dev_tools() {
        println!(
            "*** {} MODE: development tools are on ({}/dev/mailbox shows every message, sign-in \
             codes included). For trying the portal on this machine only; never with real \
             people's data. ***",
            if demo { "DEMO" } else { "DEVELOPMENT" },
            config.base_url
        );
        tracing::warn!(mode = mode.flag(), "development tools are on");
    }
    match (&config.mail, mode.dev_tools()) {
        (MailSetting::OutboxDir(dir), true) => println!(
            "Mail is written to {} and listed at {}/dev/mailbox (sign-in codes are there).",
            dir.display(),
            config.base_url
        ),
        (MailSetting::OutboxDir(dir), false) => println!(
            "Mail is written to {} as .eml files (start with --demo to read it in the browser at \
             /dev/mailbox).",
            dir.display()
        ),
        (MailSetting::Smtp(_), _) => println!("Mail is sent through {}.", mailer.describe()),
    }
    if let Some(address) = config.metrics_listen {
        println!("Metrics are served at http://{address}/metrics only.");
    }
    match (&config.payments_secret, payments_secret.is_some()) {
        (Some(_), _) => println!(
            "Payment notifications are accepted at {}/api/v1/payments/notifications.",
            config.base_url
        ),
        (None, true) => println!(
            "Payment notifications are signed with the demo secret \"{DEMO_SECRET}\"; pay at \
             {}/dev/pay as the Digital Tax Office would.",
            config.base_url
        ),
        (None, false) => {
            println!(
                "Payment notifications are off: set --payments-secret (IZIN_PAYMENTS_SECRET, at \
                 least 32 bytes) to accept them."
            );
            tracing::warn!("no payments secret: POST /api/v1/payments/notifications answers 404");
        }
    }
    if cargo_secret.is_none() {
        println!(
            "Cargo notifications are off: set --cargo-secret (IZIN_CARGO_SECRET, at least 32 \
             bytes) to accept PTT Cargo's status reports."
        );
    } else if config.cargo_secret.is_none() {
        println!(
            "Cargo status reports are signed with the demo secret; move shipments on at {}/dev/cargo.",
            config.base_url
        );
    }
    if let Some(summary) = demo_summary {
        println!("{summary}");
    }
    if let Some(holder) = demo_holder {
        println!("{holder}");
    }
    if let Some(officers) = demo_officers {
        println!("{officers}");
    }
    tracing::info!(
        listen = %config.listen,
        database = app.store.backend(),
        files = app.files.describe(),
        mail = %mailer.describe(),
        startup_ms = started.elapsed().as_millis() as u64,
        "izin started"
    );

    let serving = axum::serve(
        listener,
        web.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal(shutdown.clone()));
    let result = serving.await.context("the server stopped with an error");
    shutdown.cancel();
    // Requests in flight have finished; give the workers a moment to finish their message.
    let _ = tokio::time::timeout(Duration::from_secs(10), async {
        let _ = mail_worker.await;
        let _ = cleanup.await;
        let _ = payment_jobs.await;
        let _ = document_jobs.await;
        if let Some(task) = metrics_task {
            let _ = task.await;
        }
    })
    .await;
    tracing::info!("izin stopped");
    result
}

/// Resolves on Ctrl-C or SIGTERM (or when `shutdown` is cancelled elsewhere).
async fn shutdown_signal(shutdown: CancellationToken) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
        () = shutdown.cancelled() => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
}
