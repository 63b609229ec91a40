//! Settings: command-line flags first, then `IZIN_*` environment variables, then an optional
//! TOML file, then defaults. Every value is checked before anything starts; a wrong one stops
//! start-up with one line that names the setting.

use clap::Args;
use izin_adapters::files::FilesUrl;
use izin_store::DatabaseUrl;
use lettre::message::Mailbox;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, Args)]
pub struct Flags {
    /// A TOML file with any of the settings below (keys in snake_case).
    #[arg(long, env = "IZIN_CONFIG", global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Address and port to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "IZIN_LISTEN", global = true, value_name = "ADDR:PORT")]
    pub listen: Option<String>,
    /// Directory for the embedded database, files and outgoing mail [default: ./data].
    #[arg(long, env = "IZIN_DATA_DIR", global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// sqlite://PATH or postgres://USER@HOST/DB [default: an SQLite file in the data directory].
    #[arg(long, env = "IZIN_DATABASE_URL", global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// A directory, or s3://BUCKET/PREFIX (credentials from AWS_* variables) [default: DATA_DIR/files].
    #[arg(long, env = "IZIN_FILES_URL", global = true, value_name = "URL")]
    pub files_url: Option<String>,
    /// smtp://, smtps:// or smtp://…?tls=required; without it mail is written to DATA_DIR/outbox.
    #[arg(long, env = "IZIN_SMTP_URL", global = true, value_name = "URL")]
    pub smtp_url: Option<String>,
    /// The sender of outgoing mail [default: Izin <no-reply@izin.localhost>].
    #[arg(long, env = "IZIN_MAIL_FROM", global = true, value_name = "MAILBOX")]
    pub mail_from: Option<String>,
    /// The address people use to reach the portal; https makes cookies Secure [default: http://LISTEN].
    #[arg(long, env = "IZIN_BASE_URL", global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Take the client address from X-Forwarded-For (only behind a proxy that sets it) [default: false].
    #[arg(
        long,
        env = "IZIN_TRUST_FORWARDED_FOR",
        global = true,
        value_name = "BOOL"
    )]
    pub trust_forwarded_for: Option<String>,
    /// Sign-in code requests allowed per client address per hour [default: 30].
    #[arg(
        long,
        env = "IZIN_CODE_REQUESTS_PER_IP_PER_HOUR",
        global = true,
        value_name = "N"
    )]
    pub code_requests_per_ip_per_hour: Option<String>,
    /// `text` or `json` [default: text].
    #[arg(long, env = "IZIN_LOG_FORMAT", global = true, value_name = "FORMAT")]
    pub log_format: Option<String>,
    /// How long a session lasts without activity, like 30m or 90s [default: 30m].
    #[arg(
        long,
        env = "IZIN_SESSION_IDLE_TIMEOUT",
        global = true,
        value_name = "DURATION"
    )]
    pub session_idle_timeout: Option<String>,
    /// A separate address and port for /metrics (then not served on --listen) [default: none:
    /// /metrics is served on --listen].
    #[arg(
        long,
        env = "IZIN_METRICS_LISTEN",
        global = true,
        value_name = "ADDR:PORT"
    )]
    pub metrics_listen: Option<String>,
    /// A directory with the work-permit-exemption catalogue files (work-permit-exemption.json,
    /// occupations.json, currencies.json, fees.json) to use instead of the built-in ones.
    #[arg(long, env = "IZIN_CATALOG_DIR", global = true, value_name = "DIR")]
    pub catalog_dir: Option<PathBuf>,
    /// The secret the revenue administration signs payment notifications with, at least 32
    /// bytes [default: none: POST /api/v1/payments/notifications answers 404].
    #[arg(
        long,
        env = "IZIN_PAYMENTS_SECRET",
        global = true,
        value_name = "SECRET",
        hide_env_values = true
    )]
    pub payments_secret: Option<String>,
    /// The key that seals the document-signing keys in the database: 64 hex or 43 base64url
    /// characters. Every instance needs the same [default: read from --document-key-file].
    #[arg(
        long,
        env = "IZIN_DOCUMENT_KEY",
        global = true,
        value_name = "KEY",
        hide_env_values = true
    )]
    pub document_key: Option<String>,
    /// The shared secret PTT Cargo signs its status reports with, at least 32 bytes
    /// [default: none: POST /api/v1/cargo/notifications answers 404].
    #[arg(
        long,
        env = "IZIN_CARGO_SECRET",
        global = true,
        value_name = "SECRET",
        hide_env_values = true
    )]
    pub cargo_secret: Option<String>,
    /// A file holding that key, created with a new key on first start when missing
    /// [default: DATA_DIR/document-key].
    #[arg(
        long,
        env = "IZIN_DOCUMENT_KEY_FILE",
        global = true,
        value_name = "PATH"
    )]
    pub document_key_file: Option<PathBuf>,
}

/// The optional TOML file: the same settings by their snake_case names.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    files_url: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    base_url: Option<String>,
    trust_forwarded_for: Option<bool>,
    code_requests_per_ip_per_hour: Option<u32>,
    log_format: Option<String>,
    session_idle_timeout: Option<String>,
    metrics_listen: Option<String>,
    catalog_dir: Option<PathBuf>,
    payments_secret: Option<String>,
    document_key: Option<String>,
    document_key_file: Option<PathBuf>,
    cargo_secret: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub enum MailSetting {
    OutboxDir(PathBuf),
    Smtp(String),
}

/// Checked settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database: DatabaseUrl,
    pub files: FilesUrl,
    pub mail: MailSetting,
    pub mail_from: Mailbox,
    pub base_url: String,
    pub trust_forwarded_for: bool,
    pub code_requests_per_ip_per_hour: u32,
    pub log_format: LogFormat,
    pub session_idle_timeout: time::Duration,
    /// `None`: /metrics is served on `listen`.
    pub metrics_listen: Option<SocketAddr>,
    /// `None`: the catalogue compiled into the program.
    pub catalog_dir: Option<PathBuf>,
    /// `None`: payment notifications are not accepted (the endpoint answers 404).
    pub payments_secret: Option<izin_app::payments::notifications::NotificationSecret>,
    /// Where the key that seals the document-signing keys comes from.
    pub document_key: DocumentKeySetting,
    /// `None`: cargo status reports are not accepted (the endpoint answers 404).
    pub cargo_secret: Option<izin_app::payments::notifications::NotificationSecret>,
}

/// The key-encryption key of the document-signing keys: given, or kept in a file.
#[derive(Debug, Clone)]
pub enum DocumentKeySetting {
    Given(izin_domain::proof::keys::KeyEncryptionKey),
    /// Read from this file; a new key is written there on first start when it is missing.
    File(PathBuf),
}

/// What the portal is started for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A deployment: no development tools.
    Production,
    /// `--dev`: the development tools (/dev/mailbox, and the simulators to come) for someone
    /// working on the portal on their own machine.
    Development,
    /// `--demo`: development mode with the demo registry data.
    Demo,
}

impl Mode {
    /// `--demo` wins over `--dev`: demo mode is development mode with the demo data.
    pub fn of(demo: bool, dev: bool) -> Self {
        match (demo, dev) {
            (true, _) => Mode::Demo,
            (false, true) => Mode::Development,
            (false, false) => Mode::Production,
        }
    }

    pub fn dev_tools(self) -> bool {
        self != Mode::Production
    }

    pub fn flag(self) -> &'static str {
        match self {
            Mode::Production => "",
            Mode::Development => "--dev",
            Mode::Demo => "--demo",
        }
    }
}

/// A setting that is wrong, named as the person would write it.
#[derive(Debug, thiserror::Error)]
#[error("invalid setting {setting}: {problem}")]
pub struct ConfigError {
    pub setting: String,
    pub problem: String,
}

fn wrong(flag: &str, problem: impl Into<String>) -> ConfigError {
    let env = format!(
        "IZIN_{}",
        flag.trim_start_matches("--")
            .replace('-', "_")
            .to_uppercase()
    );
    ConfigError {
        setting: format!("{flag} ({env})"),
        problem: problem.into(),
    }
}

fn parse_bool(flag: &str, raw: &str) -> Result<bool, ConfigError> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        other => Err(wrong(flag, format!("{other:?} is not true or false"))),
    }
}

fn check_base_url(raw: &str) -> Result<String, ConfigError> {
    let trimmed = raw.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or_else(|| {
            wrong(
                "--base-url",
                format!("{raw:?} must start with http:// or https://"),
            )
        })?;
    if rest.is_empty()
        || rest.contains('/')
        || rest.contains('?')
        || rest.contains('#')
        || rest.contains(' ')
    {
        return Err(wrong(
            "--base-url",
            format!("{raw:?} must be only scheme, host and port, like https://izin.example.org"),
        ));
    }
    Ok(trimmed.to_owned())
}

impl Config {
    pub fn resolve(flags: &Flags) -> Result<Self, ConfigError> {
        let file = match &flags.config {
            Some(path) => read_file(path)?,
            None => FileSettings::default(),
        };
        let listen_raw = flags
            .listen
            .clone()
            .or(file.listen)
            .unwrap_or_else(|| "127.0.0.1:8080".into());
        let listen: SocketAddr = listen_raw.trim().parse().map_err(|_| {
            wrong(
                "--listen",
                format!("{listen_raw:?} is not an address like 127.0.0.1:8080"),
            )
        })?;
        let data_dir = flags
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("data"));
        if data_dir.as_os_str().is_empty() {
            return Err(wrong("--data-dir", "the directory name is empty"));
        }
        let database = match flags.database_url.clone().or(file.database_url) {
            Some(raw) => DatabaseUrl::parse(&raw).map_err(|e| wrong("--database-url", e))?,
            None => DatabaseUrl::Sqlite {
                path: data_dir.join("izin.db"),
            },
        };
        let files = match flags.files_url.clone().or(file.files_url) {
            Some(raw) => FilesUrl::parse(&raw).map_err(|e| wrong("--files-url", e))?,
            None => FilesUrl::Local(data_dir.join("files")),
        };
        let mail = match flags.smtp_url.clone().or(file.smtp_url) {
            Some(raw) if !raw.trim().is_empty() => {
                let raw = raw.trim().to_owned();
                if !(raw.starts_with("smtp://") || raw.starts_with("smtps://")) {
                    return Err(wrong(
                        "--smtp-url",
                        "expected smtp://HOST:PORT or smtps://USER:PASSWORD@HOST:PORT",
                    ));
                }
                MailSetting::Smtp(raw)
            }
            _ => MailSetting::OutboxDir(data_dir.join("outbox")),
        };
        let mail_from_raw = flags
            .mail_from
            .clone()
            .or(file.mail_from)
            .unwrap_or_else(|| "Izin <no-reply@izin.localhost>".into());
        let mail_from: Mailbox = mail_from_raw.parse().map_err(|e| {
            wrong(
                "--mail-from",
                format!(
                    "{mail_from_raw:?} is not a mailbox like \"Izin <no-reply@example.org>\": {e}"
                ),
            )
        })?;
        let base_url = match flags.base_url.clone().or(file.base_url) {
            Some(raw) => check_base_url(&raw)?,
            None if listen.ip().is_unspecified() => format!("http://127.0.0.1:{}", listen.port()),
            None => format!("http://{listen}"),
        };
        let trust_forwarded_for = match &flags.trust_forwarded_for {
            Some(raw) => parse_bool("--trust-forwarded-for", raw)?,
            None => file.trust_forwarded_for.unwrap_or(false),
        };
        let code_requests_per_ip_per_hour = match &flags.code_requests_per_ip_per_hour {
            Some(raw) => raw
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| {
                    wrong(
                        "--code-requests-per-ip-per-hour",
                        format!("{raw:?} is not a whole number above zero"),
                    )
                })?,
            None => file.code_requests_per_ip_per_hour.unwrap_or(30),
        };
        let log_format = match flags
            .log_format
            .clone()
            .or(file.log_format)
            .as_deref()
            .map(str::trim)
        {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(wrong(
                    "--log-format",
                    format!("{other:?} is neither text nor json"),
                ));
            }
        };
        let idle_raw = flags
            .session_idle_timeout
            .clone()
            .or(file.session_idle_timeout);
        let session_idle_timeout = match idle_raw {
            None => time::Duration::minutes(30),
            Some(raw) => parse_duration(&raw)
                .filter(|d| {
                    *d >= time::Duration::minutes(2) + time::Duration::seconds(5)
                        && *d <= time::Duration::hours(12)
                })
                .ok_or_else(|| {
                    wrong(
                        "--session-idle-timeout",
                        format!("{raw:?} is not a duration between 2m5s and 12h, like 30m"),
                    )
                })?,
        };
        let metrics_listen = match flags.metrics_listen.clone().or(file.metrics_listen) {
            None => None,
            Some(raw) => Some(raw.trim().parse::<SocketAddr>().map_err(|_| {
                wrong(
                    "--metrics-listen",
                    format!("{raw:?} is not an address like 127.0.0.1:9090"),
                )
            })?),
        };
        if metrics_listen == Some(listen) {
            return Err(wrong(
                "--metrics-listen",
                "must differ from --listen, or metrics would be public again",
            ));
        }
        let payments_secret = match flags.payments_secret.clone().or(file.payments_secret) {
            None => None,
            Some(raw) => Some(
                izin_app::payments::notifications::NotificationSecret::new(raw.as_bytes())
                    .map_err(|e| wrong("--payments-secret", e.to_string()))?,
            ),
        };
        let document_key = match (
            flags.document_key.clone().or(file.document_key),
            flags.document_key_file.clone().or(file.document_key_file),
        ) {
            (Some(_), Some(_)) => {
                return Err(wrong(
                    "--document-key",
                    "give the key or a key file (--document-key-file), not both",
                ));
            }
            (Some(raw), None) => DocumentKeySetting::Given(
                izin_domain::proof::keys::KeyEncryptionKey::parse(raw.trim())
                    .map_err(|e| wrong("--document-key", e.to_string()))?,
            ),
            (None, Some(path)) => DocumentKeySetting::File(path),
            (None, None) => DocumentKeySetting::File(data_dir.join("document-key")),
        };
        let cargo_secret = match flags.cargo_secret.clone().or(file.cargo_secret) {
            None => None,
            Some(raw) => Some(
                izin_app::payments::notifications::NotificationSecret::new(raw.as_bytes())
                    .map_err(|e| wrong("--cargo-secret", e.to_string()))?,
            ),
        };
        Ok(Config {
            listen,
            data_dir,
            database,
            files,
            mail,
            mail_from,
            base_url,
            trust_forwarded_for,
            code_requests_per_ip_per_hour,
            log_format,
            session_idle_timeout,
            metrics_listen,
            catalog_dir: flags.catalog_dir.clone().or(file.catalog_dir),
            payments_secret,
            document_key,
            cargo_secret,
        })
    }

    /// Development tools hand every sign-in code to whoever asks: they run only where nobody
    /// else can reach them, never on a deployment.
    pub fn check_mode(&self, mode: Mode) -> Result<(), ConfigError> {
        if !mode.dev_tools() {
            return Ok(());
        }
        let problem = |what: String| ConfigError {
            setting: mode.flag().to_owned(),
            problem: format!(
                "{what}: development mode serves /dev/mailbox, which shows every sign-in code, \
                 so it runs only on a loopback address with an http:// base URL (drop {} for \
                 a deployment)",
                mode.flag()
            ),
        };
        if !self.listen.ip().is_loopback() {
            return Err(problem(format!(
                "--listen {} is not a loopback address",
                self.listen
            )));
        }
        if self.base_url.starts_with("https://") {
            return Err(problem(format!("--base-url {} is https", self.base_url)));
        }
        Ok(())
    }

    /// Whether anything is kept in the data directory (and it must exist).
    pub fn uses_data_dir(&self) -> bool {
        matches!(self.database, DatabaseUrl::Sqlite { .. })
            || matches!(self.files, FilesUrl::Local(_))
            || matches!(self.mail, MailSetting::OutboxDir(_))
    }
}

/// Parses `90s`, `30m`, `2h` or a combination such as `2m5s`.
fn parse_duration(raw: &str) -> Option<time::Duration> {
    let mut total = time::Duration::ZERO;
    let mut number = String::new();
    let mut any = false;
    for c in raw.trim().chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let value: i64 = number.parse().ok()?;
        number.clear();
        total += match c {
            's' => time::Duration::seconds(value),
            'm' => time::Duration::minutes(value),
            'h' => time::Duration::hours(value),
            _ => return None,
        };
        any = true;
    }
    (number.is_empty() && any).then_some(total)
}

fn read_file(path: &Path) -> Result<FileSettings, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| wrong("--config", format!("cannot read {}: {e}", path.display())))?;
    toml::from_str(&text).map_err(|e| {
        let message = e.message().to_owned();
        wrong("--config", format!("{}: {message}", path.display()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags() -> Flags {
        Flags::default()
    }

    #[test]
    fn defaults_keep_everything_under_data() {
        let config = Config::resolve(&flags()).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(
            config.database,
            DatabaseUrl::Sqlite {
                path: "data/izin.db".into()
            }
        );
        assert_eq!(config.files, FilesUrl::Local("data/files".into()));
        assert!(
            matches!(config.mail, MailSetting::OutboxDir(ref dir) if dir == Path::new("data/outbox"))
        );
        assert_eq!(config.base_url, "http://127.0.0.1:8080");
        assert_eq!(config.code_requests_per_ip_per_hour, 30);
        assert_eq!(config.session_idle_timeout, time::Duration::minutes(30));
        assert_eq!(parse_duration("2m5s"), Some(time::Duration::seconds(125)));
        assert_eq!(parse_duration("90s"), Some(time::Duration::seconds(90)));
        assert_eq!(parse_duration("m"), None);
        assert!(config.uses_data_dir());
    }

    #[test]
    fn development_tools_run_only_on_loopback_over_http() {
        let local = Config::resolve(&flags()).unwrap();
        for mode in [Mode::Development, Mode::Demo, Mode::Production] {
            assert!(local.check_mode(mode).is_ok(), "{mode:?}");
        }
        let public = Config::resolve(&Flags {
            listen: Some("0.0.0.0:8080".into()),
            ..flags()
        })
        .unwrap();
        let refused = public.check_mode(Mode::Demo).unwrap_err();
        assert_eq!(refused.setting, "--demo");
        assert!(
            refused.problem.contains("not a loopback address"),
            "{refused}"
        );
        assert!(public.check_mode(Mode::Production).is_ok());
        let https = Config::resolve(&Flags {
            base_url: Some("https://izin.example.org".into()),
            ..flags()
        })
        .unwrap();
        let refused = https.check_mode(Mode::Development).unwrap_err();
        assert_eq!(refused.setting, "--dev");
        assert!(refused.problem.contains("is https"), "{refused}");
        assert!(https.check_mode(Mode::Production).is_ok());
    }

    #[test]
    fn metrics_may_have_an_address_of_their_own() {
        let config = Config::resolve(&Flags {
            metrics_listen: Some("127.0.0.1:9090".into()),
            ..flags()
        })
        .unwrap();
        assert_eq!(
            config.metrics_listen.map(|a| a.to_string()).as_deref(),
            Some("127.0.0.1:9090")
        );
        assert_eq!(Config::resolve(&flags()).unwrap().metrics_listen, None);
        let same = Config::resolve(&Flags {
            metrics_listen: Some("127.0.0.1:8080".into()),
            ..flags()
        })
        .unwrap_err();
        assert_eq!(same.setting, "--metrics-listen (IZIN_METRICS_LISTEN)");
    }

    #[test]
    fn each_wrong_value_names_its_setting() {
        let cases: Vec<(Flags, &str)> = vec![
            (
                Flags {
                    listen: Some("localhost".into()),
                    ..flags()
                },
                "--listen (IZIN_LISTEN)",
            ),
            (
                Flags {
                    database_url: Some("mysql://x".into()),
                    ..flags()
                },
                "--database-url (IZIN_DATABASE_URL)",
            ),
            (
                Flags {
                    files_url: Some("ftp://x".into()),
                    ..flags()
                },
                "--files-url (IZIN_FILES_URL)",
            ),
            (
                Flags {
                    smtp_url: Some("http://mail".into()),
                    ..flags()
                },
                "--smtp-url (IZIN_SMTP_URL)",
            ),
            (
                Flags {
                    base_url: Some("izin.example.org".into()),
                    ..flags()
                },
                "--base-url (IZIN_BASE_URL)",
            ),
            (
                Flags {
                    base_url: Some("https://x.org/path".into()),
                    ..flags()
                },
                "--base-url (IZIN_BASE_URL)",
            ),
            (
                Flags {
                    mail_from: Some("not a mailbox".into()),
                    ..flags()
                },
                "--mail-from (IZIN_MAIL_FROM)",
            ),
            (
                Flags {
                    log_format: Some("xml".into()),
                    ..flags()
                },
                "--log-format (IZIN_LOG_FORMAT)",
            ),
            (
                Flags {
                    trust_forwarded_for: Some("maybe".into()),
                    ..flags()
                },
                "--trust-forwarded-for (IZIN_TRUST_FORWARDED_FOR)",
            ),
            (
                Flags {
                    code_requests_per_ip_per_hour: Some("0".into()),
                    ..flags()
                },
                "--code-requests-per-ip-per-hour",
            ),
        ];
        for (flags, setting) in cases {
            let error = Config::resolve(&flags).unwrap_err();
            assert!(
                error.to_string().contains(setting),
                "{error} should name {setting}"
            );
            assert!(!error.to_string().contains('\n'), "one line: {error}");
        }
    }

    #[test]
    fn the_file_fills_what_flags_leave_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("izin.toml");
        std::fs::write(&path, "listen = \"0.0.0.0:9000\"\nbase_url = \"https://izin.example.org/\"\ndata_dir = \"/srv/izin\"\n").unwrap();
        let config = Config::resolve(&Flags {
            config: Some(path.clone()),
            listen: Some("127.0.0.1:9100".into()),
            ..flags()
        })
        .unwrap();
        assert_eq!(
            config.listen.to_string(),
            "127.0.0.1:9100",
            "flags win over the file"
        );
        assert_eq!(config.base_url, "https://izin.example.org");
        assert_eq!(
            config.database,
            DatabaseUrl::Sqlite {
                path: "/srv/izin/izin.db".into()
            }
        );

        std::fs::write(&path, "listn = \"x\"\n").unwrap();
        let error = Config::resolve(&Flags {
            config: Some(path),
            ..flags()
        })
        .unwrap_err();
        assert!(error.to_string().contains("--config"), "{error}");
        assert!(error.to_string().contains("listn"), "{error}");
    }
}
