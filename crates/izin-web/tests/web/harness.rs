//! The test harness: the real router in-process over a fresh SQLite or PostgreSQL database, a
//! clock the test moves, mail read back from the outbox directory, and a browser-like client
//! that keeps cookies.

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use izin_adapters::files::{FileStore, FilesUrl};
use izin_adapters::mail::{OutboxDirMailer, StoredMessage, read_outbox};
use izin_app::storage::DatabaseUrl;
use izin_app::{App, Keys, Policies, workers};
use izin_domain::ManualClock;
use izin_i18n::Texts;
use izin_web::WebConfig;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use time::Duration;
use time::macros::datetime;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub app: App,
    pub clock: Arc<ManualClock>,
    pub outbox: PathBuf,
    _dir: tempfile::TempDir,
    _pg: Option<izin_testkit::PgDatabase>,
}

/// Options for building a test application.
#[derive(Clone)]
pub struct Options {
    pub base_url: String,
    pub dev_tools: bool,
    pub policies: Policies,
    /// The secret payment notifications are signed with (`None`: the endpoint answers 404).
    pub payments_secret: Option<Vec<u8>>,
    /// The secret cargo notifications are signed with (`None`: the endpoint answers 404).
    pub cargo_secret: Option<Vec<u8>>,
}

/// The payments secret of the test portal.
pub const PAYMENTS_SECRET: &[u8] = b"test-payments-secret-of-at-least-32-bytes";

/// The cargo secret of the test portal.
pub const CARGO_SECRET: &[u8] = b"test-cargo-secret-also-of-at-least-32-bytes";

impl Default for Options {
    fn default() -> Self {
        Self {
            base_url: "http://127.0.0.1:8080".into(),
            dev_tools: true,
            policies: Policies::default(),
            payments_secret: Some(PAYMENTS_SECRET.to_vec()),
            cargo_secret: Some(CARGO_SECRET.to_vec()),
        }
    }
}

fn metrics_handle() -> metrics_exporter_prometheus::PrometheusHandle {
    static HANDLE: OnceLock<metrics_exporter_prometheus::PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            metrics_exporter_prometheus::PrometheusBuilder::new()
                .install_recorder()
                .expect("install the metrics recorder once per test process")
        })
        .clone()
}

impl TestApp {
    pub async fn sqlite() -> Self {
        Self::build(None, Options::default())
            .await
            .expect("sqlite always available")
    }

    pub async fn postgres() -> Option<Self> {
        let pg = izin_testkit::postgres().await?;
        Self::build(Some(pg), Options::default()).await
    }

    pub async fn with(backend: &str, options: Options) -> Option<Self> {
        match backend {
            "sqlite" => Self::build(None, options).await,
            _ => {
                let pg = izin_testkit::postgres().await?;
                Self::build(Some(pg), options).await
            }
        }
    }

    async fn build(pg: Option<izin_testkit::PgDatabase>, options: Options) -> Option<Self> {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = match &pg {
            Some(db) => DatabaseUrl::Postgres {
                url: db.url.clone(),
            },
            None => DatabaseUrl::Sqlite {
                path: dir.path().join("izin.db"),
            },
        };
        let store = izin_app::storage::open(&url)
            .await
            .expect("open the test database");
        let clock = Arc::new(ManualClock::new(datetime!(2026-11-22 09:00 UTC)));
        let outbox = dir.path().join("outbox");
        let mailer = OutboxDirMailer::new(
            outbox.clone(),
            "Izin <no-reply@izin.test>".parse().unwrap(),
            "izin.test".into(),
        )
        .expect("outbox dir");
        let files = FileStore::open(&FilesUrl::Local(dir.path().join("files"))).expect("files dir");
        let app = App {
            keys: Arc::new(Keys::load(store.as_ref()).await.expect("keys")),
            catalog: Arc::new(
                izin_domain::catalog::ExemptionCatalog::embedded().expect("catalogue"),
            ),
            registries: Arc::new(izin_app::registries::simulator::SimulatedRegistries::new(
                store.clone(),
            )),
            carrier: Arc::new(izin_app::cargo::carrier::SimulatedPtt::new(store.clone())),
            store,
            clock: clock.clone(),
            texts: Arc::new(Texts::load().expect("texts")),
            reference: Arc::new(
                izin_domain::reference::Reference::embedded().expect("reference data"),
            ),
            policies: options.policies,
            mailer: Arc::new(mailer),
            files,
            proof: Arc::new(izin_app::proof::ProofSettings {
                base_url: options.base_url.trim_end_matches('/').to_owned(),
            }),
            proof_keys: Arc::new(izin_app::proof::DocumentKeys::new(
                izin_domain::proof::keys::KeyEncryptionKey::generate(&mut rand::rng()),
            )),
            mail_queued: Arc::new(tokio::sync::Notify::new()),
            recent_verifications: Default::default(),
        };
        let router = izin_web::router(
            app.clone(),
            WebConfig {
                base_url: options.base_url,
                trust_forwarded_for: false,
                dev_tools: options.dev_tools,
                payments_secret: options.payments_secret.as_deref().map(|s| {
                    izin_app::payments::notifications::NotificationSecret::new(s)
                        .expect("test payments secret")
                }),
                cargo_secret: options.cargo_secret.as_deref().map(|s| {
                    izin_app::payments::notifications::NotificationSecret::new(s)
                        .expect("test cargo secret")
                }),
            },
            Some(metrics_handle()),
        );
        Some(Self {
            router,
            app,
            clock,
            outbox,
            _dir: dir,
            _pg: pg,
        })
    }

    pub fn browser(&self) -> Browser<'_> {
        Browser {
            app: self,
            cookies: BTreeMap::new(),
            ip: "192.0.2.10:50000".parse().unwrap(),
            headers: Vec::new(),
        }
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// Produces the documents approvals issued, then delivers everything queued, as the workers
    /// would.
    pub async fn deliver_mail(&self) {
        self.produce_documents().await;
        workers::deliver_due_mail(&self.app)
            .await
            .expect("deliver mail");
    }

    /// Produces every Proof Document that is due, as the document worker would.
    pub async fn produce_documents(&self) -> usize {
        izin_app::proof::produce::produce_due_documents(&self.app)
            .await
            .expect("produce documents")
    }

    pub fn mails(&self) -> Vec<StoredMessage> {
        read_outbox(&self.outbox).unwrap_or_default()
    }

    /// The code in the newest message to `email`.
    pub async fn code_for(&self, email: &str) -> String {
        self.deliver_mail().await;
        let mails = self.mails();
        let mail = mails
            .iter()
            .find(|m| m.to.to_lowercase().contains(&email.to_lowercase()))
            .unwrap_or_else(|| panic!("no mail to {email} among {} messages", mails.len()));
        extract_code(&mail.text).unwrap_or_else(|| panic!("no code in {:?}", mail.text))
    }

    pub async fn audit_actions(&self, subject: &str) -> Vec<String> {
        self.app
            .store
            .audit_entries(Some(subject), 100)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect()
    }
}

pub fn extract_code(text: &str) -> Option<String> {
    let re = regex_lite::Regex::new(r"\b(\d{3}) (\d{3})\b").unwrap();
    re.captures(text).map(|c| format!("{}{}", &c[1], &c[2]))
}

/// A browser: keeps cookies, comes from one client address.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookies: BTreeMap<String, String>,
    pub ip: SocketAddr,
    pub headers: Vec<(String, String)>,
}

#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }

    /// The anti-forgery token of the first form on the page.
    pub fn csrf(&self) -> String {
        let re = regex_lite::Regex::new(r#"name="csrf" value="([^"]+)""#).unwrap();
        re.captures(&self.body)
            .map(|c| c[1].to_owned())
            .unwrap_or_else(|| panic!("no csrf token in {}", self.body))
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    #[track_caller]
    pub fn assert_status(&self, status: StatusCode) -> &Self {
        assert_eq!(self.status, status, "body: {}", self.body);
        self
    }

    #[track_caller]
    pub fn assert_redirect(&self, to: &str) -> &Self {
        assert!(
            self.status.is_redirection(),
            "expected a redirect, got {}: {}",
            self.status,
            self.body
        );
        assert_eq!(self.location(), to);
        self
    }

    #[track_caller]
    pub fn assert_contains(&self, text: &str) -> &Self {
        assert!(self.body.contains(text), "{text:?} not in: {}", self.body);
        self
    }
}

impl Browser<'_> {
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.get(name).map(String::as_str)
    }

    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        extra: &[(&str, &str)],
    ) -> Page {
        let mut request = Request::builder().method(method).uri(path);
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        for (name, value) in &self.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        let mut request = request.body(Body::from(body)).expect("request");
        request.extensions_mut().insert(ConnectInfo(self.ip));
        let response = self
            .app
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
            .await
            .expect("body");
        for set_cookie in headers.get_all(header::SET_COOKIE) {
            let set_cookie = set_cookie.to_str().unwrap_or_default();
            let pair = set_cookie.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() || set_cookie.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.send(Method::GET, path, None, Vec::new(), &[]).await
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(fields).expect("form");
        self.send(
            Method::POST,
            path,
            Some("application/x-www-form-urlencoded"),
            body.into_bytes(),
            &[],
        )
        .await
    }

    pub async fn post_json(
        &mut self,
        path: &str,
        json: serde_json::Value,
        extra: &[(&str, &str)],
    ) -> Page {
        self.send(
            Method::POST,
            path,
            Some("application/json"),
            json.to_string().into_bytes(),
            extra,
        )
        .await
    }

    /// Switches the language as the header's button does (a POST with the page's token) and
    /// follows the redirect to `next`.
    pub async fn switch_language(&mut self, language: &str, next: &str) -> Page {
        let page = self.get(next).await;
        let csrf = page.csrf();
        let switched = self
            .post_form(
                &format!("/lang/{language}"),
                &[("csrf", &csrf), ("next", next)],
            )
            .await;
        assert!(
            switched.status.is_redirection(),
            "switching to {language}: {} {}",
            switched.status,
            switched.body
        );
        let location = switched.location().to_owned();
        self.get(&location).await
    }

    /// Signs in through the pages as a person would; returns the panel page.
    pub async fn sign_in(&mut self, email: &str) -> Page {
        let login = self.get("/login?before=yes").await;
        let csrf = login.csrf();
        self.post_form(
            "/login/email",
            &[("csrf", &csrf), ("email", email), ("before", "yes")],
        )
        .await
        .assert_redirect("/login/code");
        let code = self.app.code_for(email).await;
        let code_page = self.get("/login/code").await;
        let csrf = code_page.csrf();
        self.post_form("/login/code", &[("csrf", &csrf), ("code", &code)])
            .await
            .assert_redirect("/panel");
        self.get("/panel").await
    }
}

/// Percent-encodes a query value.
pub fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// One part of a multipart body.
pub enum Part<'a> {
    Text(&'a str, &'a str),
    File {
        name: &'a str,
        file_name: &'a str,
        content_type: &'a str,
        bytes: &'a [u8],
    },
}

/// A `multipart/form-data` body and its content type.
pub fn multipart(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = "----izin-test-boundary-7d1f";
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match part {
            Part::Text(name, value) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                        .as_bytes(),
                );
            }
            Part::File {
                name,
                file_name,
                content_type,
                bytes,
            } => {
                // As browsers do (HTML's multipart encoding), quote-breaking characters are
                // percent-encoded in the file name.
                let file_name = file_name
                    .replace('\r', "%0D")
                    .replace('\n', "%0A")
                    .replace('"', "%22");
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n")
                        .as_bytes(),
                );
                body.extend_from_slice(bytes);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl TestApp {
    /// Signs up through the API and returns the bearer header value.
    pub async fn api_user(&self, email: &str) -> String {
        let mut client = self.browser();
        let sent = client
            .post_json(
                "/api/v1/auth/email-code",
                serde_json::json!({ "email": email }),
                &[],
            )
            .await;
        sent.assert_status(StatusCode::ACCEPTED);
        let challenge = sent.json()["challenge"]
            .as_str()
            .expect("a challenge")
            .to_owned();
        let code = self.code_for(email).await;
        let verified = client
            .post_json(
                "/api/v1/auth/email-code/verify",
                serde_json::json!({ "challenge": challenge, "code": code }),
                &[],
            )
            .await;
        verified.assert_status(StatusCode::OK);
        format!(
            "Bearer {}",
            verified.json()["token"].as_str().expect("token")
        )
    }

    /// Loads registry records (the fixture format) into the simulated registries.
    pub async fn import_registry(&self, fixture: serde_json::Value) {
        let reference = izin_domain::reference::Reference::embedded().expect("reference data");
        let today = izin_domain::calendar::today_in_turkiye(izin_domain::Clock::now(&*self.clock));
        let parsed = izin_app::registries::fixture::RegistryFixture::parse_as_of(
            &fixture.to_string(),
            &reference,
            today,
        )
        .expect("a valid registry fixture");
        izin_app::registries::simulator::import(self.app.store.as_ref(), parsed)
            .await
            .expect("import the registry fixture");
    }

    /// Every object in the file store.
    pub async fn stored_objects(&self) -> Vec<String> {
        self.app
            .files
            .list("")
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|k| !k.starts_with("probe/"))
            .collect()
    }
}

impl Browser<'_> {
    pub async fn api(
        &mut self,
        method: Method,
        path: &str,
        bearer: &str,
        json: Option<serde_json::Value>,
    ) -> Page {
        match json {
            Some(json) => {
                self.send(
                    method,
                    path,
                    Some("application/json"),
                    json.to_string().into_bytes(),
                    &[("authorization", bearer)],
                )
                .await
            }
            None => {
                self.send(method, path, None, Vec::new(), &[("authorization", bearer)])
                    .await
            }
        }
    }

    pub async fn post_multipart(
        &mut self,
        path: &str,
        parts: &[Part<'_>],
        extra: &[(&str, &str)],
    ) -> Page {
        let (content_type, body) = multipart(parts);
        self.send(Method::POST, path, Some(&content_type), body, extra)
            .await
    }
}

/// Runs each listed test against SQLite and against PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::harness::TestApp::sqlite().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(app) = $crate::harness::TestApp::postgres().await else { return };
                    super::$name(app).await;
                }
            )*
        }
    };
}
