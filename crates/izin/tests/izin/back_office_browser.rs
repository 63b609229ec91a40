//! The back office as people click through it, in headless Chromium on the real binary in demo
//! mode: an applicant (in English, on a phone) creates an internship application; the demo
//! Labour officer (in Turkish, on a desktop) signs in with the e-mail code and the authenticator
//! code, takes it from the queue and asks for a revision that reopens the employment step; the
//! applicant lengthens the internship and sends it back; the officer sees the change highlighted
//! and approves, confirming the estimated 2026 fee as an administrator; the applicant sees
//! PAYMENT PENDING with the amounts, in both languages (screenshots under
//! target/screenshots/back-office-*).

use crate::application_browser::{Person, Texts, category_to_creation, fill_user_information};
use crate::browser::{
    Screenshots, click, connect, page_text, path, sign_in, start_driver, tools, type_into,
    wait_for_text,
};
use crate::support::Server;
use fantoccini::{Client, Locator};
use izin_domain::totp::{TotpSecret, step_of};
use std::time::Duration;

const OFFICER: &str = "officer.labour@izin.example";
/// The demo officers' public TOTP secret, as `izin serve --demo` prints it.
const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// The authenticator app's code now.
fn authenticator_code() -> String {
    let secret = TotpSecret::parse(SECRET).expect("the demo secret");
    let step = step_of(time::OffsetDateTime::now_utc());
    format!("{:06}", secret.code_at_step(step).expect("a code"))
}

/// The newest code mailed to `email`, read from the development mailbox.
async fn code_mailed_to(client: &Client, server: &Server, email: &str) -> String {
    let re = regex_lite::Regex::new(r"\b(\d{3}) (\d{3})\b").unwrap();
    for _ in 0..100 {
        client
            .goto(&format!("{}/dev/mailbox", server.base))
            .await
            .unwrap();
        let rows = client
            .find_all(Locator::Css("table.mailbox tbody tr"))
            .await
            .unwrap_or_default();
        for row in rows {
            if row.text().await.unwrap_or_default().contains(email) {
                row.find(Locator::Css("a"))
                    .await
                    .unwrap()
                    .click()
                    .await
                    .unwrap();
                let text = page_text(client).await;
                if let Some(c) = re.captures(&text) {
                    return format!("{}{}", &c[1], &c[2]);
                }
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no code arrived for {email}");
}

async fn officer_sign_in(client: &Client, server: &Server, shots: &mut Screenshots) {
    client
        .goto(&format!("{}/officer", server.base))
        .await
        .unwrap();
    click(client, "[data-switch-language=tr]").await;
    wait_for_text(client, &["Uzman girişi"]).await;
    type_into(client, "#email", OFFICER).await;
    click(client, "form[action='/officer/code'] button[type=submit]").await;
    wait_for_text(client, &["E-postadaki kod"]).await;
    // The page keeps its challenge; the code is read in another tab of the same session.
    let sign_in_url = client.current_url().await.unwrap();
    let challenge = client
        .find(Locator::Css("input[name=challenge]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    let code = code_mailed_to(client, server, OFFICER).await;
    // Back to the sign-in form: it is a POST answer, so it is rebuilt with the challenge kept.
    client.goto(sign_in_url.as_str()).await.unwrap();
    client
        .execute(
            "const f = document.createElement('form'); f.method = 'post'; f.action = '/officer/sign-in';\
             f.id = 'rebuilt';\
             for (const [n, v] of Object.entries(arguments[0])) { const i = document.createElement('input');\
               i.type = 'hidden'; i.name = n; i.value = v; f.appendChild(i); }\
             document.body.appendChild(f);",
            vec![serde_json::json!({
                "csrf": client.find(Locator::Css("input[name=csrf]")).await.unwrap().prop("value").await.unwrap().unwrap_or_default(),
                "challenge": challenge,
                "email": OFFICER,
                "code": code,
                "totp": authenticator_code(),
            })],
        )
        .await
        .unwrap();
    shots.take(client, "officer-sign-in").await;
    client
        .execute("document.getElementById('rebuilt').submit()", vec![])
        .await
        .unwrap();
    wait_for_text(client, &["İş kuyruğu", OFFICER]).await;
    assert_eq!(path(client).await, "/officer/queue");
}

#[tokio::test]
async fn an_officer_asks_for_a_revision_and_approves_and_the_applicant_sees_the_amounts() {
    let Some(tools) = tools() else { return };
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("data"), &["--demo"]).await;
    let (_driver, driver_url) = start_driver(&tools).await;

    // The applicant, in English on a phone, creates the application.
    let files = dir.path().join("files");
    std::fs::create_dir_all(&files).unwrap();
    let applicant = connect(&tools, &driver_url, &dir.path().join("applicant"), 412, 915).await;
    let mut shots = Screenshots::new("back-office-applicant");
    sign_in(&applicant, &server, "intern@example.com").await;
    let person = Person {
        first_name: "Ayşe",
        nationality: "DEU",
        born: "01/04/1990",
        foreigner_id: Some("99587021348"),
        passport_number: "C01X00T47",
        passport_country: "DEU",
    };
    fill_user_information(&applicant, &server, &files, &person, "Saved.", &mut shots).await;
    click(&applicant, "a[href='/applications/new']").await;
    wait_for_text(&applicant, &["Inquiry (Completed)"]).await;
    click(&applicant, "input[name=place][value=domestic]").await;
    click(&applicant, "form button.button-primary").await;
    let english = Texts {
        wrong_type: "Applications made by selecting the wrong type will be rejected",
        limit: "You can apply for no more than 12 months",
        about: "I am a 3rd grade student. I request an exemption for my mandatory internship.",
        student_id: "Student ID",
        add_other: "Add Other Document",
        other: "My school's letter is attached.",
        attention: "Attention! Your application has not been created yet!",
        create: "Create My Application",
        created: "Your application has been created",
        my_applications: "My Applications",
        submitted: "SUBMITTED",
        history_created: "Application created",
    };
    let number = category_to_creation(&applicant, &files, &english, &mut shots).await;

    // The officer, in Turkish on a desktop: signs in, finds it, takes it, asks for a revision.
    let officer = connect(&tools, &driver_url, &dir.path().join("officer"), 1280, 900).await;
    let mut office = Screenshots::new("back-office-officer");
    officer_sign_in(&officer, &server, &mut office).await;
    wait_for_text(&officer, &[&number, "GÖNDERİLDİ"]).await;
    office.take(&officer, "queue").await;
    click(&officer, &format!("tr[data-number='{number}'] a")).await;
    wait_for_text(&officer, &[&number, "Bu başvuru kimsenin üzerinde değil."]).await;
    click(&officer, "[data-action=take]").await;
    wait_for_text(&officer, &[OFFICER, "DEĞERLENDİRMEDE"]).await;
    office.take(&officer, "taken").await;
    officer
        .execute(
            "document.querySelectorAll('.decide details').forEach(d => d.open = true)",
            vec![],
        )
        .await
        .unwrap();
    type_into(
        &officer,
        "#revision-message",
        "The school's letter says the internship lasts until 30 June 2027. Correct the end date.",
    )
    .await;
    click(&officer, "[data-reopen='step:employment']").await;
    office.take(&officer, "revision-request").await;
    click(&officer, "[data-action=revision]").await;
    wait_for_text(&officer, &["REVİZYON"]).await;

    // The applicant reads it, lengthens the internship and sends it back.
    applicant
        .goto(&format!("{}/applications", server.base))
        .await
        .unwrap();
    wait_for_text(&applicant, &[&number, "REVISION"]).await;
    applicant
        .goto(&format!("{}/applications", server.base))
        .await
        .unwrap();
    let revise = applicant
        .find(Locator::Css("a[href$='/revise']"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .expect("the revision link");
    let application = revise.trim_end_matches("/revise").to_owned();
    click(&applicant, "a[href$='/revise']").await;
    wait_for_text(&applicant, &["30 June 2027"]).await;
    shots.take(&applicant, "revision-asked").await;
    let end = applicant.find(Locator::Css("#end_date")).await.unwrap();
    end.clear().await.unwrap();
    end.send_keys("30/06/2027").await.unwrap();
    type_into(&applicant, "#residential_code", "1928374650").await;
    click(&applicant, "input[name=address_type][value=residence]").await;
    shots.take(&applicant, "revision-employment").await;
    click(&applicant, "form[data-wizard-form] button[type=submit]").await;
    // Only the employment step was reopened: the next stop is the preview.
    wait_for_text(&applicant, &[&number]).await;
    applicant
        .goto(&format!("{}{application}/preview", server.base))
        .await
        .unwrap();
    wait_for_text(&applicant, &["12,574.92", "964.00", "Send My Revision"]).await;
    shots.take(&applicant, "revision-preview").await;
    click(
        &applicant,
        "form[action$='/revision/submit'] button[type=submit]",
    )
    .await;
    wait_for_text(&applicant, &["UNDER EVALUATION"]).await;

    // The officer sees what changed and approves, confirming the estimated fee.
    officer.refresh().await.unwrap();
    wait_for_text(&officer, &["DEĞERLENDİRMEDE", "2. sürüm"]).await;
    assert!(
        officer.find(Locator::Css("[data-changed]")).await.is_ok(),
        "the change is highlighted"
    );
    officer
        .execute(
            "document.querySelector('[data-changed]').scrollIntoView({block: 'center'})",
            vec![],
        )
        .await
        .unwrap();
    office.take(&officer, "changes-highlighted").await;
    click(&officer, "input[name=confirm_estimate]").await;
    click(&officer, "[data-action=approve]").await;
    wait_for_text(&officer, &["ÖDEME BEKLENİYOR"]).await;
    office.take(&officer, "approved").await;

    // The applicant sees PAYMENT PENDING with the payment notice, in English and in Turkish:
    // the amounts with their account codes, the foreigner ID, the transaction reference number,
    // the last day to pay and both ways to pay.
    applicant
        .goto(&format!("{}/applications", server.base))
        .await
        .unwrap();
    wait_for_text(&applicant, &[&number, "PAYMENT PENDING"]).await;
    click(&applicant, "td.actions a").await;
    wait_for_text(
        &applicant,
        &[
            "Transaction reference number",
            "9280",
            "9268",
            "99587021348",
            "Last day to pay",
            "There is no need to submit a receipt.",
        ],
    )
    .await;
    applicant
        .execute(
            "document.querySelector('[data-payment]').scrollIntoView({block: 'start'})",
            vec![],
        )
        .await
        .unwrap();
    shots.take(&applicant, "payment-notice-en").await;
    click(&applicant, "[data-switch-language=tr]").await;
    wait_for_text(&applicant, &["İşlem Referans Numarası", "ÖDEME BEKLENİYOR"]).await;
    applicant
        .execute(
            "document.querySelector('[data-payment]').scrollIntoView({block: 'start'})",
            vec![],
        )
        .await
        .unwrap();
    shots.take(&applicant, "payment-notice-tr").await;
    click(&applicant, "[data-switch-language=en]").await;
    wait_for_text(&applicant, &["Transaction reference number"]).await;

    // The demo's Digital Tax Office, reached from the notice with both numbers filled in: the
    // amounts, "Pay", and the signed notifications make the application APPROVED.
    click(&applicant, "[data-dev-pay]").await;
    wait_for_text(
        &applicant,
        &["Digital Tax Office (demo)", "964.00", "Not paid yet"],
    )
    .await;
    shots.take(&applicant, "dev-pay").await;
    click(&applicant, "[data-pay]").await;
    wait_for_text(&applicant, &["Paid: 9280", "Paid: 9268"]).await;
    shots.take(&applicant, "dev-pay-paid").await;
    applicant
        .goto(&format!("{}{application}", server.base))
        .await
        .unwrap();
    wait_for_text(&applicant, &["APPROVAL", "Every amount is paid."]).await;
    shots.take(&applicant, "approved").await;

    // The document worker produces the Proof Document; Detail offers it, and the approval mail
    // carries it.
    let mut offered = false;
    for _ in 0..100 {
        applicant
            .goto(&format!("{}{application}", server.base))
            .await
            .unwrap();
        if page_text(&applicant)
            .await
            .contains("Download the Proof Document")
        {
            offered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(offered, "the document was produced");
    applicant
        .execute(
            "document.querySelector('[data-proof-document]').scrollIntoView({block: 'start'})",
            vec![],
        )
        .await
        .unwrap();
    shots.take(&applicant, "document").await;
    let pdf = approval_pdf(&dir.path().join("data").join("outbox"), &number).await;
    applicant
        .goto(&format!("{}/dev/mailbox", server.base))
        .await
        .unwrap();
    wait_for_text(&applicant, &["intern@example.com"]).await;
    // Nothing is scanned: the QR code's link is read from the PDF and followed.
    let link = qr_link(dir.path(), &pdf);
    assert!(
        link.starts_with(&format!("{}/verify?", server.base)),
        "{link}"
    );
    applicant.goto(&link).await.unwrap();
    wait_for_text(
        &applicant,
        &[
            "VALID",
            "The document is genuine and valid today.",
            "The digital signature in the QR code is valid.",
        ],
    )
    .await;
    shots.take(&applicant, "verify-valid-en").await;
    click(&applicant, "[data-switch-language=tr]").await;
    wait_for_text(
        &applicant,
        &["GEÇERLİ", "QR koddaki elektronik imza geçerlidir."],
    )
    .await;
    shots.take(&applicant, "verify-valid-tr").await;
    applicant.close().await.unwrap();
    officer.close().await.unwrap();
}

/// The PDF attached to the approval mail of application `number`, as the outbox holds it.
async fn approval_pdf(outbox: &std::path::Path, number: &str) -> Vec<u8> {
    for _ in 0..100 {
        let found = izin_adapters::mail::read_outbox(outbox)
            .unwrap_or_default()
            .into_iter()
            .filter(|m| m.subject.contains(number))
            .flat_map(|m| m.attachments)
            .find(|a| a.content_type == "application/pdf");
        if let Some(file) = found {
            return file.bytes;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("no approval mail with a PDF for {number}");
}

/// The QR code's text on the PDF's first page, rasterised with Debian's pdftoppm.
fn qr_link(dir: &std::path::Path, pdf: &[u8]) -> String {
    let file = dir.join("approval.pdf");
    std::fs::write(&file, pdf).unwrap();
    let prefix = dir.join("approval-page");
    let status = std::process::Command::new("pdftoppm")
        .args([
            "-r",
            "300",
            "-png",
            "-singlefile",
            "-gray",
            "-f",
            "1",
            "-l",
            "1",
        ])
        .arg(&file)
        .arg(&prefix)
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(status.success());
    let page = image::open(prefix.with_extension("png"))
        .unwrap()
        .into_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(page);
    prepared
        .detect_grids()
        .iter()
        .find_map(|grid| grid.decode().ok().map(|(_, content)| content))
        .expect("a QR code on the page")
}
