//! Configuration mistakes stop start-up with one clear line; migrate and serve do their jobs.

use crate::support::{Server, izin};

#[test]
fn a_wrong_setting_stops_start_up_with_one_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);
    let cases: &[Case] = &[
        (&["--listen", "nonsense"], &[], "--listen (IZIN_LISTEN)"),
        (
            &[],
            &[("IZIN_DATABASE_URL", "mysql://db/izin")],
            "--database-url (IZIN_DATABASE_URL)",
        ),
        (
            &["--base-url", "ftp://x"],
            &[],
            "--base-url (IZIN_BASE_URL)",
        ),
        (
            &["--smtp-url", "mail.example.org"],
            &[],
            "--smtp-url (IZIN_SMTP_URL)",
        ),
        (
            &["--files-url", "ftp://bucket"],
            &[],
            "--files-url (IZIN_FILES_URL)",
        ),
        (
            &[],
            &[("IZIN_LOG_FORMAT", "yaml")],
            "--log-format (IZIN_LOG_FORMAT)",
        ),
    ];
    for (args, envs, setting) in cases {
        let output = izin()
            .args(["serve", "--data-dir"])
            .arg(dir.path())
            .args(*args)
            .envs(envs.iter().copied())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{setting}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(setting), "{stderr:?} should name {setting}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr:?}");
    }
}

#[test]
fn a_busy_port_is_named() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let output = izin()
        .args(["serve", "--listen", &address, "--data-dir"])
        .arg(dir.path())
        .env("IZIN_LOG", "error")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--listen"), "{stderr}");
}

#[test]
fn migrate_creates_the_database_in_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("fresh/data");
    let output = izin()
        .arg("migrate")
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(data.join("izin.db").is_file());
    // Running it again changes nothing and succeeds.
    assert!(
        izin()
            .arg("migrate")
            .arg("--data-dir")
            .arg(&data)
            .status()
            .unwrap()
            .success()
    );
}

#[tokio::test]
async fn serve_creates_its_data_says_where_to_look_and_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut server = Server::start(&data, &[]).await;
    for sub in ["izin.db", "files", "outbox"] {
        assert!(data.join(sub).exists(), "{sub} created on first start");
    }
    let home = server.request("GET", "/", &[], None).await.unwrap();
    assert_eq!(home.status, 200);
    assert_eq!(
        server
            .request("GET", "/readyz", &[], None)
            .await
            .unwrap()
            .status,
        200
    );
    let printed = server.printed().join("\n");
    assert!(
        printed.contains(&format!("open {}/", server.base)),
        "{printed}"
    );
    assert!(
        printed.contains("outbox") && printed.contains("--demo"),
        "{printed}"
    );
    // Not a development mode: no development tools, no banner.
    assert!(
        !printed.contains("MODE: development tools are on"),
        "{printed}"
    );
    let mailbox = server
        .request("GET", "/dev/mailbox", &[], None)
        .await
        .unwrap();
    assert_eq!(mailbox.status, 404);
    assert!(!home.body.contains("data-dev-mode"));
    assert!(server.stop(), "SIGTERM ends izin cleanly");
}

#[tokio::test]
async fn development_tools_are_announced_and_never_served_on_a_deployment() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    for mode in ["--dev", "--demo"] {
        let mut server = Server::start(&data, &[mode]).await;
        let printed = server.printed().join("\n");
        assert!(
            printed.contains("MODE: development tools are on"),
            "{printed}"
        );
        let home = server.request("GET", "/", &[], None).await.unwrap();
        assert!(
            home.body.contains("data-dev-mode"),
            "the banner on every page"
        );
        let mailbox = server
            .request("GET", "/dev/mailbox", &[], None)
            .await
            .unwrap();
        assert_eq!(mailbox.status, 200);
        assert!(server.stop());
    }
    // Refused before anything starts: a public listen address, or an https address.
    for (mode, extra) in [
        ("--demo", ["--listen", "0.0.0.0:0"]),
        ("--dev", ["--base-url", "https://izin.example.org"]),
    ] {
        let output = izin()
            .arg("serve")
            .arg(mode)
            .args(extra)
            .arg("--data-dir")
            .arg(&data)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{mode} {extra:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(mode) && stderr.contains("/dev/mailbox"),
            "{stderr}"
        );
    }
}

#[tokio::test]
async fn metrics_may_be_served_only_on_an_address_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let port = crate::support::free_port();
    let metrics_listen = format!("127.0.0.1:{port}");
    let mut server = Server::start(
        &dir.path().join("data"),
        &["--metrics-listen", &metrics_listen],
    )
    .await;
    let public = server.request("GET", "/metrics", &[], None).await.unwrap();
    assert_eq!(public.status, 404, "not on the public listener");
    let mut stream = tokio::net::TcpStream::connect(&metrics_listen)
        .await
        .unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("izin_"), "{answer}");
    assert!(server.stop());
}

const DEMO_REGISTRY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo/registry.json");

/// How many records each list of the demo file has, in the order the import reports them.
fn demo_counts() -> Vec<(&'static str, usize)> {
    let demo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(DEMO_REGISTRY).unwrap()).unwrap();
    [
        "residence_rights",
        "border_crossings",
        "consulate_references",
        "addresses",
        "workplaces",
        "people",
    ]
    .into_iter()
    .map(|table| (table, demo[table].as_array().unwrap().len()))
    .collect()
}

fn registry_import(storage: &[&std::ffi::OsStr], file: &std::path::Path) -> std::process::Output {
    izin()
        .args(["registry", "import"])
        .arg(file)
        .args(storage)
        .env("IZIN_LOG", "warn")
        .output()
        .unwrap()
}

fn stdout_of(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn importing_the_demo_file_twice_adds_nothing_the_second_time(storage: &[&std::ffi::OsStr]) {
    let counts = demo_counts();
    let first = stdout_of(&registry_import(storage, DEMO_REGISTRY.as_ref()));
    let expected: String = counts
        .iter()
        .map(|(table, n)| format!("{table}: {n} new, 0 already known\n"))
        .collect();
    assert_eq!(first, expected);
    let second = stdout_of(&registry_import(storage, DEMO_REGISTRY.as_ref()));
    let expected: String = counts
        .iter()
        .map(|(table, n)| format!("{table}: 0 new, {n} already known\n"))
        .collect();
    assert_eq!(second, expected);
}

#[tokio::test]
async fn the_demo_registry_imports_once_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("new/data");
    importing_the_demo_file_twice_adds_nothing_the_second_time(&[
        "--data-dir".as_ref(),
        data.as_os_str(),
    ])
    .await;
    assert!(data.join("izin.db").is_file(), "the data directory is made");
}

#[tokio::test]
async fn the_demo_registry_imports_once_on_postgres() {
    let Some(db) = izin_testkit::postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    importing_the_demo_file_twice_adds_nothing_the_second_time(&[
        "--data-dir".as_ref(),
        dir.path().as_os_str(),
        "--database-url".as_ref(),
        db.url.as_ref(),
    ])
    .await;
}

#[test]
fn a_malformed_registry_file_is_refused_whole_naming_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let storage = ["--data-dir".as_ref(), data.as_os_str()];
    let good_right = serde_json::json!({"foreigner_id": "99587021348", "kind": "work_permit",
                                        "valid_from": "2026-01-01", "valid_until": "2027-01-01"});
    let address = serde_json::json!({"code": "1234567890", "address": "Kızılay Mh. 1. Sokak No: 5",
                                     "province": "Ankara", "district": "Çankaya"});
    let mut bad_right = good_right.clone();
    bad_right["foreigner_id"] = "99587021349".into();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        serde_json::json!({"residence_rights": [good_right, bad_right], "addresses": [address]})
            .to_string(),
    )
    .unwrap();
    let output = registry_import(&storage, &bad);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "izin: {}: residence_rights[1].foreigner_id: the check digits do not match",
            bad.display()
        )
    );
    assert!(output.stdout.is_empty());

    // Nothing of the file was stored: its good records are all new afterwards.
    let good = dir.path().join("good.json");
    std::fs::write(
        &good,
        serde_json::json!({"residence_rights": [good_right], "addresses": [address]}).to_string(),
    )
    .unwrap();
    let printed = stdout_of(&registry_import(&storage, &good));
    assert!(
        printed.contains("residence_rights: 1 new, 0 already known")
            && printed.contains("addresses: 1 new, 0 already known"),
        "{printed}"
    );

    let missing = registry_import(&storage, &dir.path().join("missing.json"));
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("missing.json: cannot read"));
}

#[tokio::test]
async fn serve_demo_loads_the_demo_registry_and_says_what_to_type() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut server = Server::start(&data, &["--demo"]).await;
    let printed = server.printed().join("\n");
    for expected in [
        "Demo registry data is loaded",
        "foreigner ID 99587021348",
        "passport C01X00T47",
        "reference number 2026BAKU00352011",
        "address code 3406512874",
        "SGK number 52064080866666660146574000",
    ] {
        assert!(printed.contains(expected), "{expected} in {printed}");
    }
    // The demo's stories are told as of its `as_of` day and moved to today: the in-Türkiye
    // passport entered ten days ago, whatever day it is.
    let today = izin_domain::calendar::today_in_turkiye(time::OffsetDateTime::now_utc());
    let ten_days_ago = today - time::Duration::days(10);
    let entered = format!(
        "entered Türkiye on {}",
        izin_domain::calendar::display_date(ten_days_ago)
    );
    assert!(printed.contains(&entered), "{entered} in {printed}");
    assert!(server.stop());
    // A second start replaces the demo people's records instead of adding to them.
    let mut again = Server::start(&data, &["--demo"]).await;
    assert!(again.printed().join("\n").contains(&entered));
    assert!(again.stop());
    let db = rusqlite::Connection::open(data.join("izin.db")).unwrap();
    let dates: Vec<String> = db
        .prepare(
            "SELECT date FROM registry_border_crossings
              WHERE passport_number = 'C01X00T47' AND passport_country = 'DEU' ORDER BY date",
        )
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(dates.len(), 3, "{dates:?}");
    assert_eq!(
        dates.last().map(String::as_str),
        Some(izin_domain::calendar::format_date(ten_days_ago).as_str())
    );
}

#[test]
fn demo_goes_with_serve_only() {
    let dir = tempfile::tempdir().unwrap();
    let output = izin()
        .args(["--demo", "migrate", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--demo"));
}

#[test]
fn a_broken_catalogue_stops_start_up_naming_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("catalog");
    std::fs::create_dir(&catalog).unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../catalog/work-permit-exemption");
    for name in [
        "work-permit-exemption.json",
        "occupations.json",
        "currencies.json",
        "fees.json",
    ] {
        std::fs::copy(shipped.join(name), catalog.join(name)).unwrap();
    }
    let entries = catalog.join("work-permit-exemption.json");
    let text = std::fs::read_to_string(&entries).unwrap();
    let broken = text.replacen("\"max_months\": 12", "\"max_months\": 0", 1);
    assert_ne!(
        broken, text,
        "the shipped catalogue changed shape; pick another entry"
    );
    std::fs::write(&entries, broken).unwrap();

    let mut child = izin()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path().join("data"))
        .arg("--catalog-dir")
        .arg(&catalog)
        .env("IZIN_LOG", "error")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Were the catalogue not checked, the server would start and run: give up after a while.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("izin started with a broken catalogue");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--catalog-dir")
            && stderr.contains(
                "work-permit-exemption.json: education/compulsory-internship: max_months must be 1–60"
            ),
        "{stderr}"
    );
    assert!(
        !dir.path().join("data").join("izin.db").exists(),
        "nothing is created before the catalogue is known to be good"
    );
}

#[tokio::test]
async fn a_catalogue_directory_replaces_the_built_in_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("catalog");
    std::fs::create_dir(&catalog).unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../catalog/work-permit-exemption");
    for name in ["occupations.json", "currencies.json", "fees.json"] {
        std::fs::copy(shipped.join(name), catalog.join(name)).unwrap();
    }
    let text = std::fs::read_to_string(shipped.join("work-permit-exemption.json")).unwrap();
    let edited = text.replacen(
        "\"en\": \"Education Sector\"",
        "\"en\": \"Education Sector (edited)\"",
        1,
    );
    assert_ne!(
        edited, text,
        "the shipped catalogue changed shape; pick another entry"
    );
    std::fs::write(catalog.join("work-permit-exemption.json"), edited).unwrap();

    let catalog_dir = catalog.to_str().unwrap();
    let server = Server::start(&dir.path().join("data"), &["--catalog-dir", catalog_dir]).await;
    let response = server
        .request(
            "GET",
            "/api/v1/catalog/work-permit-exemption",
            &[("Accept-Language", "en")],
            None,
        )
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert!(
        response.body.contains("Education Sector (edited)"),
        "{}",
        &response.body[..response.body.len().min(300)]
    );
}

const DEMO_HOLDER: &str = "anna.demo@izin.example";

/// The `.eml` files in `outbox` now.
fn mail_files(outbox: &std::path::Path) -> std::collections::HashSet<std::path::PathBuf> {
    std::fs::read_dir(outbox)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.ends_with(".eml") && !n.starts_with('.'))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Signs in through the API with the code mailed to `email`; returns the bearer header value.
async fn api_sign_in(server: &Server, outbox: &std::path::Path, email: &str) -> String {
    let before = mail_files(outbox);
    let sent = server
        .request(
            "POST",
            "/api/v1/auth/email-code",
            &[("Accept-Language", "en")],
            Some(&serde_json::json!({ "email": email })),
        )
        .await
        .unwrap();
    assert_eq!(sent.status, 202, "{}", sent.body);
    // The code's message is the new one carrying a code (other mail may arrive meanwhile).
    let shaped = regex_lite::Regex::new(r"\b\d{3} \d{3}\b").unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mail = loop {
        let found = mail_files(outbox).into_iter().find(|p| {
            !before.contains(p)
                && std::fs::read_to_string(p).is_ok_and(|text| {
                    text.contains(email) && shaped.is_match(&text.replace("=\r\n", ""))
                })
        });
        if let Some(mail) = found {
            break mail;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no sign-in code for {email}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let verify = serde_json::json!({
        "email": email,
        "code": crate::support::code_in(&mail),
        "challenge": sent.json()["challenge"],
    });
    let verified = server
        .request("POST", "/api/v1/auth/email-code/verify", &[], Some(&verify))
        .await
        .unwrap();
    assert_eq!(verified.status, 200, "{}", verified.body);
    format!("Bearer {}", verified.json()["token"].as_str().unwrap())
}

/// The holder's applications in APPROVAL, from the API.
async fn approved(server: &Server, bearer: &str) -> Vec<serde_json::Value> {
    let list = server
        .request(
            "GET",
            "/api/v1/applications",
            &[("Authorization", bearer)],
            None,
        )
        .await
        .unwrap();
    assert_eq!(list.status, 200, "{}", list.body);
    list.json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status"] == "APPROVAL")
        .cloned()
        .collect()
}

#[tokio::test]
async fn demo_mode_has_an_approved_exemption_with_a_card_to_renew() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let outbox = data.join("outbox");
    let mut server = Server::start(&data, &["--demo"]).await;
    let printed = server.printed().join("\n");
    assert!(
        printed.contains(&format!("New card: sign in as {DEMO_HOLDER}")),
        "{printed}"
    );
    let bearer = api_sign_in(&server, &outbox, DEMO_HOLDER).await;
    let approved_now = approved(&server, &bearer).await;
    assert_eq!(approved_now.len(), 1, "{approved_now:?}");
    let exemption = &approved_now[0];
    assert_eq!(exemption["kind"], "work-permit-exemption");
    assert_eq!(exemption["exemption_status"], "ACTIVE");
    let parent = exemption["id"].as_str().unwrap().to_owned();

    // A new card for it, for a change in personal information: the migration registry has
    // her married surname, the exemption was approved with the one she had.
    let auth = [("Authorization", bearer.as_str())];
    let created = server
        .request(
            "POST",
            "/api/v1/applications",
            &auth,
            Some(&serde_json::json!({"kind": "new-card", "parent": parent})),
        )
        .await
        .unwrap();
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let card = server
        .request(
            "PUT",
            &format!("/api/v1/applications/{id}/card"),
            &auth,
            Some(&serde_json::json!({"reason": "personal_information_change"})),
        )
        .await
        .unwrap();
    assert_eq!(card.status, 200, "{}", card.body);
    let preview = server
        .request(
            "GET",
            &format!("/api/v1/applications/{id}/preview"),
            &auth,
            None,
        )
        .await
        .unwrap();
    assert_eq!(preview.status, 200, "{}", preview.body);
    let preview = preview.json();
    assert_eq!(
        preview["comparison"]["differs"],
        serde_json::json!(["last_name"]),
        "{preview}"
    );
    assert_eq!(preview["comparison"]["system"]["last_name"], "Schmidt");
    assert_eq!(preview["comparison"]["registry"]["last_name"], "Müller");
    assert!(server.stop());

    // Started again on the same data: the holder is there once, with her one exemption.
    let mut again = Server::start(&data, &["--demo"]).await;
    assert!(
        again
            .printed()
            .join("\n")
            .contains(&format!("New card: sign in as {DEMO_HOLDER}"))
    );
    let approved_again = approved(&again, &bearer).await;
    assert_eq!(approved_again.len(), 1, "{approved_again:?}");
    assert_eq!(approved_again[0]["id"], parent.as_str());
    // One demo officer of each authority, with every role, once however often it starts.
    assert!(
        again
            .printed()
            .join("\n")
            .contains("TOTP secret JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    );
    assert!(again.stop());
    assert_eq!(
        stdout_of(&officer(&data, &["list"])),
        "officer.labour@izin.example\tlabour\tevaluator,approver,admin\tactive\n\
         officer.migration@izin.example\tmigration\tevaluator,approver,admin\tactive\n"
    );
    let db = rusqlite::Connection::open(data.join("izin.db")).unwrap();
    let (users, exemptions): (i64, i64) = db
        .query_row(
            "SELECT (SELECT COUNT(*) FROM users WHERE email_key = ?1),
                    (SELECT COUNT(*) FROM applications WHERE kind = 'work-permit-exemption')",
            [DEMO_HOLDER],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!((users, exemptions), (1, 1));
}

fn officer(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    izin()
        .arg("officer")
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env("IZIN_LOG", "warn")
        .output()
        .unwrap()
}

/// An administrator adds officers from the command line: the enrolment is printed once (a TOTP
/// secret an app accepts, its otpauth URI, eight recovery codes), an address is taken once,
/// listing shows authority and roles, disabling is said and shown.
#[test]
fn officers_are_added_listed_and_disabled_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let added = stdout_of(&officer(
        &data,
        &[
            "add",
            "ayse.kaya@csgb.gov.tr",
            "--authority",
            "labour",
            "--role",
            "evaluator,approver",
        ],
    ));
    assert!(added.contains("Officer added: ayse.kaya@csgb.gov.tr (labour: evaluator,approver)"));
    let secret = added
        .lines()
        .find_map(|l| l.strip_prefix("TOTP secret (type it into an authenticator app): "))
        .expect("the secret line");
    let secret = izin_domain::totp::TotpSecret::parse(secret).expect("an app accepts it");
    assert_eq!(secret.as_bytes().len(), 20);
    assert!(added.contains(&format!(
        "otpauth://totp/Izin:ayse.kaya@csgb.gov.tr?secret={}",
        secret.base32()
    )));
    let recovery: Vec<&str> = added
        .lines()
        .filter(|l| l.starts_with("  ") && l.trim().len() == 14)
        .collect();
    assert_eq!(recovery.len(), 8, "{added}");

    let taken = officer(
        &data,
        &[
            "add",
            "AYSE.KAYA@csgb.gov.tr",
            "--authority",
            "migration",
            "--role",
            "admin",
        ],
    );
    assert!(!taken.status.success());
    assert!(String::from_utf8_lossy(&taken.stderr).contains("an officer with this address exists"));
    let wrong_role = officer(
        &data,
        &[
            "add",
            "x@goc.gov.tr",
            "--authority",
            "migration",
            "--role",
            "boss",
        ],
    );
    assert!(!wrong_role.status.success());
    assert!(String::from_utf8_lossy(&wrong_role.stderr).contains("unknown role \"boss\""));
    stdout_of(&officer(
        &data,
        &[
            "add",
            "mehmet@goc.gov.tr",
            "--authority",
            "migration",
            "--role",
            "admin",
        ],
    ));

    let listed = stdout_of(&officer(&data, &["list"]));
    assert_eq!(
        listed,
        "ayse.kaya@csgb.gov.tr\tlabour\tevaluator,approver\tactive\n\
         mehmet@goc.gov.tr\tmigration\tadmin\tactive\n"
    );
    let labour = stdout_of(&officer(&data, &["list", "--authority", "labour"]));
    assert_eq!(labour.lines().count(), 1);

    let disabled = stdout_of(&officer(&data, &["disable", "Ayse.Kaya@csgb.gov.tr"]));
    assert_eq!(disabled, "Disabled: ayse.kaya@csgb.gov.tr (labour)\n");
    assert!(stdout_of(&officer(&data, &["list", "--authority", "labour"])).contains("\tdisabled "));
    let nobody = officer(&data, &["disable", "nobody@csgb.gov.tr"]);
    assert!(!nobody.status.success());
    // Nothing of the second factor reaches the list or the disabling answer.
    assert!(!listed.contains(&secret.base32()));
}
