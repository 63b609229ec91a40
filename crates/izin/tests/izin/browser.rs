//! A person in headless Chromium: from the home page through the seed's login questions, the
//! e-mail code read from /dev/mailbox, the panel, the language switch and logging out, with a
//! screenshot of every page under target/screenshots/.

use crate::support::{Server, free_port};
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) struct Tools {
    chromium: PathBuf,
    chromedriver: PathBuf,
}

fn on_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

pub(crate) fn tools() -> Option<Tools> {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|p| on_path(p));
    let chromedriver = on_path("chromedriver");
    match (chromium, chromedriver) {
        (Some(chromium), Some(chromedriver)) => Some(Tools {
            chromium,
            chromedriver,
        }),
        _ => {
            izin_testkit::missing(
                "the browser test",
                "chromium and chromedriver are needed (Debian: chromium chromium-driver)",
            );
            None
        }
    }
}

pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) async fn start_driver(tools: &Tools) -> (Driver, String) {
    let port = free_port();
    let child = Command::new(&tools.chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (Driver(child), url)
}

pub(crate) async fn connect(
    tools: &Tools,
    driver_url: &str,
    profile: &std::path::Path,
    width: u32,
    height: u32,
) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": tools.chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--lang=en-US",
                format!("--window-size={width},{height}"),
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(driver_url)
        .await
        .expect("open a Chromium session")
}

pub(crate) struct Screenshots {
    dir: PathBuf,
    prefix: &'static str,
    count: u32,
}

impl Screenshots {
    pub(crate) fn new(prefix: &'static str) -> Self {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
        let dir = target.join("screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        Self {
            dir,
            prefix,
            count: 0,
        }
    }

    pub(crate) async fn take(&mut self, client: &Client, name: &str) {
        self.count += 1;
        let png = client.screenshot().await.expect("screenshot");
        std::fs::write(
            self.dir
                .join(format!("{}-{:02}-{name}.png", self.prefix, self.count)),
            png,
        )
        .expect("save screenshot");
    }
}

pub(crate) async fn click(client: &Client, css: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

pub(crate) async fn type_into(client: &Client, css: &str, text: &str) {
    let element = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    element
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("type into {css}: {e}"));
}

/// The visible text of the page, read again if a navigation replaced the page meanwhile.
pub(crate) async fn page_text(client: &Client) -> String {
    for _ in 0..50 {
        if let Ok(body) = client.find(Locator::Css("body")).await
            && let Ok(text) = body.text().await
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page has no readable body");
}

/// Waits until the page shows all of `needles`; returns its text.
pub(crate) async fn wait_for_text(client: &Client, needles: &[&str]) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let text = page_text(client).await;
        if needles.iter().all(|n| text.contains(n)) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "{needles:?} not on the page: {text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn path(client: &Client) -> String {
    client.current_url().await.expect("url").path().to_owned()
}

#[tokio::test]
async fn a_newcomer_signs_in_by_email_switches_language_and_logs_out() {
    let Some(tools) = tools() else { return };
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("data"), &["--dev"]).await;
    let (_driver, driver_url) = start_driver(&tools).await;
    // A phone-sized window: most applicants use one.
    let client = connect(&tools, &driver_url, &dir.path().join("profile"), 412, 915).await;
    let mut shots = Screenshots::new("newcomer");

    client.goto(&format!("{}/", server.base)).await.unwrap();
    assert!(
        page_text(&client)
            .await
            .contains("Apply for Work Permit Exemption")
    );
    shots.take(&client, "home").await;
    client
        .find(Locator::LinkText("Apply for Work Permit Exemption"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&client, &["Have you logged into this system before?"]).await;
    assert_eq!(path(&client).await, "/login");
    shots.take(&client, "login-questions").await;

    click(&client, "input[name=before][value=no]").await;
    click(&client, "form.questions button[type=submit]").await;
    click(&client, "input[name=in_turkiye][value=yes]").await;
    click(&client, "form.questions button[type=submit]").await;
    click(&client, "input[name=egov][value=no]").await;
    click(&client, "form.questions button[type=submit]").await;
    wait_for_text(
        &client,
        &[
            "Log in with your passport",
            "Your Passport Number with which you entered the country",
            "Create your account with your e-mail address",
        ],
    )
    .await;
    shots.take(&client, "login-new-user").await;

    // A mistake first: the error is explained and what was typed stays.
    type_into(&client, "#email", "newcomer.example.com").await;
    click(&client, "#email-login button[type=submit]").await;
    wait_for_text(&client, &["There is a problem", "with one @"]).await;
    shots.take(&client, "login-email-error").await;
    let email = client.find(Locator::Css("#email")).await.unwrap();
    assert_eq!(
        email.prop("value").await.unwrap().as_deref(),
        Some("newcomer.example.com")
    );
    email.clear().await.unwrap();
    email.send_keys("newcomer@example.com").await.unwrap();
    click(&client, "#email-login button[type=submit]").await;
    wait_for_text(&client, &["Enter your code", "newcomer@example.com"]).await;
    assert_eq!(path(&client).await, "/login/code");
    shots.take(&client, "code").await;

    // The code, from the development mailbox.
    let mut code = None;
    for _ in 0..100 {
        client
            .goto(&format!("{}/dev/mailbox", server.base))
            .await
            .unwrap();
        if client.find(Locator::Css("table.mailbox a")).await.is_ok() {
            shots.take(&client, "mailbox").await;
            click(&client, "table.mailbox a").await;
            let text = wait_for_text(&client, &["All messages", "Use this code"]).await;
            shots.take(&client, "mail").await;
            let re = regex_lite::Regex::new(r"\b(\d{3}) (\d{3})\b").unwrap();
            code = re.captures(&text).map(|c| format!("{} {}", &c[1], &c[2]));
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let code = code.expect("the code arrived in the mailbox");
    client
        .goto(&format!("{}/login/code", server.base))
        .await
        .unwrap();
    type_into(&client, "#code", &code).await;
    click(&client, "form[action='/login/code'] button[type=submit]").await;
    wait_for_text(
        &client,
        &["Welcome", "newcomer@example.com", "Application Guide - EN"],
    )
    .await;
    assert_eq!(path(&client).await, "/panel");
    shots.take(&client, "panel").await;

    click(&client, "[data-switch-language=tr]").await;
    wait_for_text(&client, &["Hoş geldiniz", "Başvurularım"]).await;
    shots.take(&client, "panel-tr").await;
    click(&client, "a[href='/guide/en']").await;
    wait_for_text(&client, &["Başvuru Kılavuzu - EN", "Check It"]).await;
    shots.take(&client, "guide-en").await;
    click(&client, ".sidebar form button[type=submit]").await;
    wait_for_text(&client, &["Çıkış yaptınız"]).await;
    assert_eq!(path(&client).await, "/signed-out");
    shots.take(&client, "signed-out-tr").await;
    client
        .goto(&format!("{}/panel", server.base))
        .await
        .unwrap();
    assert_eq!(path(&client).await, "/login");
    client.close().await.unwrap();
}

/// Signs in through the e-mail branch, reading the code from the development mailbox.
pub(crate) async fn sign_in(client: &Client, server: &Server, email: &str) {
    client
        .goto(&format!("{}/login?before=yes", server.base))
        .await
        .unwrap();
    type_into(client, "#email", email).await;
    click(client, "#email-login button[type=submit]").await;
    wait_for_text(client, &[email]).await;
    let mut code = None;
    for _ in 0..100 {
        client
            .goto(&format!("{}/dev/mailbox", server.base))
            .await
            .unwrap();
        if client.find(Locator::Css("table.mailbox a")).await.is_ok() {
            click(client, "table.mailbox a").await;
            let text = page_text(client).await;
            let re = regex_lite::Regex::new(r"\b(\d{3}) (\d{3})\b").unwrap();
            code = re.captures(&text).map(|c| format!("{}{}", &c[1], &c[2]));
            if code.is_some() {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    client
        .goto(&format!("{}/login/code", server.base))
        .await
        .unwrap();
    type_into(client, "#code", &code.expect("a code arrived")).await;
    click(client, "form[action='/login/code'] button[type=submit]").await;
    wait_for_text(client, &[email]).await;
    assert_eq!(path(client).await, "/panel");
}

pub(crate) async fn choose(client: &Client, select: &str, value: &str) {
    click(client, &format!("select#{select} option[value='{value}']")).await;
}

async fn save(client: &Client) {
    click(client, "form[data-section] button[type=submit]").await;
}

pub(crate) fn fixture_files(dir: &std::path::Path) -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    use izin_documents::fixtures;
    let photo = dir.join("vesikalık fotoğraf.jpg");
    std::fs::write(&photo, fixtures::jpeg_with_exif_gps(600, 800)).unwrap();
    let passport = dir.join("pasaport.pdf");
    std::fs::write(&passport, fixtures::two_page_pdf()).unwrap();
    let proof = dir.join("TÖMER belgesi.pdf");
    std::fs::write(&proof, fixtures::minimal_pdf()).unwrap();
    let diploma = dir.join("diploma.pdf");
    std::fs::write(&diploma, fixtures::minimal_pdf()).unwrap();
    (photo, passport, proof, diploma)
}

#[tokio::test]
async fn a_new_user_completes_user_information_in_both_languages() {
    let Some(tools) = tools() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (photo, passport, proof, diploma) = fixture_files(dir.path());
    let server = Server::start(&dir.path().join("data"), &["--dev"]).await;
    let (_driver, driver_url) = start_driver(&tools).await;
    let client = connect(&tools, &driver_url, &dir.path().join("profile"), 412, 915).await;
    let mut shots = Screenshots::new("profile");
    sign_in(&client, &server, "profil@example.com").await;

    click(&client, "a[href='/profile']").await;
    wait_for_text(
        &client,
        &["User Information", "Personal Information", "items missing"],
    )
    .await;
    shots.take(&client, "overview-empty").await;

    // 1. Personal Information, in English.
    click(&client, "a.button[href='/profile/personal']").await;
    wait_for_text(&client, &["Biometric Photograph", "Clear Changes"]).await;
    shots.take(&client, "personal-empty").await;
    type_into(&client, "#photo_document_id", photo.to_str().unwrap()).await;
    type_into(&client, "#first_name", "Ayşe Nur").await;
    type_into(&client, "#last_name", "Yılmaz").await;
    click(&client, "input[name=gender][value=female]").await;
    type_into(&client, "#father_name", "Mehmet").await;
    type_into(&client, "#mother_name", "Gülnara").await;
    choose(&client, "marital_status", "single").await;
    type_into(&client, "#place_of_birth", "Kazan").await;
    choose(&client, "nationality", "RUS").await;
    type_into(&client, "#date_of_birth", "01/04/1995").await;
    save(&client).await;
    wait_for_text(&client, &["Saved.", "Next: Contact Information"]).await;
    shots.take(&client, "personal-saved").await;
    let current = client
        .find(Locator::Css("#date_of_birth"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(current.as_deref(), Some("01/04/1995"));

    // 2. Contact Information: a number without its country code is explained, what was typed stays.
    click(&client, ".notice a").await;
    wait_for_text(&client, &["Contact Information", "profil@example.com"]).await;
    type_into(&client, "#phone", "0532 123 45 67").await;
    type_into(
        &client,
        "#address",
        "Kızılay Mh. Atatürk Blv. No: 5, Çankaya / Ankara",
    )
    .await;
    save(&client).await;
    wait_for_text(&client, &["There is a problem", "country code"]).await;
    shots.take(&client, "contact-error").await;
    let address = client
        .find(Locator::Css("#address"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        address.as_deref(),
        Some("Kızılay Mh. Atatürk Blv. No: 5, Çankaya / Ankara")
    );
    let phone = client.find(Locator::Css("#phone")).await.unwrap();
    phone.clear().await.unwrap();
    phone.send_keys("+90 532 123 45 67").await.unwrap();
    save(&client).await;
    wait_for_text(&client, &["Saved."]).await;
    shots.take(&client, "contact-saved").await;

    // 3. and 4. in Turkish.
    click(&client, "[data-switch-language=tr]").await;
    wait_for_text(&client, &["İletişim Bilgileri", "Kaydet"]).await;
    client
        .goto(&format!("{}/profile/passport", server.base))
        .await
        .unwrap();
    wait_for_text(&client, &["Pasaport Bilgileri", "Pasaport Türü"]).await;
    choose(&client, "passport_type", "ordinary").await;
    type_into(&client, "#passport_number", "75 1234567").await;
    choose(&client, "issuing_country", "RUS").await;
    type_into(&client, "#expiry_date", "31/01/2031").await;
    type_into(&client, "#scan_document_id", passport.to_str().unwrap()).await;
    shots.take(&client, "passport-filled-tr").await;
    save(&client).await;
    wait_for_text(&client, &["Kaydedildi.", "Sonraki: Eğitim Bilgileri"]).await;
    shots.take(&client, "passport-saved-tr").await;

    click(&client, ".notice a").await;
    wait_for_text(&client, &["Eğitim Bilgileri", "Ana dil"]).await;
    // The long list filters as one types.
    let filter = client
        .find(Locator::Css(
            "[data-field=native_language] input.list-filter",
        ))
        .await
        .unwrap();
    filter.send_keys("tatar").await.unwrap();
    choose(&client, "native_language", "tat").await;
    // Known Languages are ticked by tapping, one after the other (no Ctrl-click).
    let languages = client
        .find(Locator::Css(
            "[data-field=known_languages] input.list-filter",
        ))
        .await
        .unwrap();
    languages.send_keys("afar").await.unwrap();
    click(&client, "input[name=known_languages][value='aar']").await;
    // Emptying the filter (four backspaces) shows the whole list again.
    languages.send_keys(&"\u{E003}".repeat(4)).await.unwrap();
    click(&client, "input[name=known_languages][value='eng']").await;
    choose(&client, "turkish_level", "beginner").await;
    type_into(
        &client,
        "#turkish_proof_document_id",
        proof.to_str().unwrap(),
    )
    .await;
    choose(&client, "education_level", "bachelor").await;
    type_into(&client, "#high_school", "Kazan 1 No'lu Lise").await;
    type_into(&client, "#university", "Kazan Federal Üniversitesi").await;
    type_into(&client, "#diploma_document_id", diploma.to_str().unwrap()).await;
    shots.take(&client, "education-filled-tr").await;
    save(&client).await;
    wait_for_text(&client, &["Kaydedildi."]).await;
    shots.take(&client, "education-saved-tr").await;

    client
        .goto(&format!("{}/profile", server.base))
        .await
        .unwrap();
    let text = wait_for_text(&client, &["Kullanıcı Bilgileriniz tamamlandı"]).await;
    assert_eq!(text.matches("Tamamlandı").count(), 4, "{text}");
    shots.take(&client, "overview-complete-tr").await;
    click(&client, "a[href='/documents']").await;
    let text = wait_for_text(
        &client,
        &[
            "Belgeler",
            "pasaport.pdf",
            "TÖMER belgesi.pdf",
            "diploma.pdf",
            "vesikalık fotoğraf.jpg",
        ],
    )
    .await;
    assert!(text.contains("Biyometrik fotoğraf"), "{text}");
    shots.take(&client, "documents-tr").await;
    click(&client, "[data-switch-language=en]").await;
    wait_for_text(&client, &["Documents", "Biometric photograph"]).await;
    shots.take(&client, "documents-en").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_session_warning_extends_without_losing_what_was_typed() {
    let Some(tools) = tools() else { return };
    let dir = tempfile::tempdir().unwrap();
    // The warning comes two minutes before the end: here after eight seconds.
    let server = Server::start(
        &dir.path().join("data"),
        &["--dev", "--session-idle-timeout", "2m8s"],
    )
    .await;
    let (_driver, driver_url) = start_driver(&tools).await;
    let client = connect(&tools, &driver_url, &dir.path().join("profile"), 1280, 900).await;
    let mut shots = Screenshots::new("session");
    sign_in(&client, &server, "session@example.com").await;
    client
        .goto(&format!("{}/profile/contact", server.base))
        .await
        .unwrap();
    wait_for_text(&client, &["Contact Information"]).await;
    type_into(&client, "#address", "Typed but not yet saved, Ankara").await;
    let dialog = client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("#session-warning:not([hidden])"))
        .await
        .expect("the warning appears before the session ends");
    let text = dialog.text().await.unwrap();
    assert!(
        text.contains("You will be signed out soon") && text.contains(":"),
        "{text}"
    );
    shots.take(&client, "warning").await;
    click(&client, "#session-warning button[type=submit]").await;
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#session-warning[hidden]"))
        .await
        .expect("the warning goes away");
    let address = client
        .find(Locator::Css("#address"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        address.as_deref(),
        Some("Typed but not yet saved, Ankara"),
        "the page and its input stay"
    );
    assert_eq!(path(&client).await, "/profile/contact");
    shots.take(&client, "extended").await;
    // The server renewed the session: saving still works.
    type_into(&client, "#phone", "+90 532 123 45 67").await;
    click(&client, "form[data-section] button[type=submit]").await;
    wait_for_text(&client, &["Saved."]).await;
    client.close().await.unwrap();
}
