//! What a new applicant tripped over, tried again in headless Chromium on the real binary with
//! the demo registries: typing into a "Type to filter the list" box never changes a saved value
//! (only an exact name, or a code the option shows, chooses); the place hint waits for a place;
//! the preview of a created application never looks submittable again; and My Applications fits
//! a desktop and a phone in both languages (screenshots under target/screenshots/).

use crate::application_browser::{Person, fill_user_information};
use crate::browser::{
    Screenshots, choose, click, connect, page_text, path, sign_in, start_driver, tools, type_into,
    wait_for_text,
};
use crate::support::Server;
use fantoccini::{Client, Locator};
use izin_domain::application::Event;
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_store::{NewAuditEntry, Store, Transition, TransitionOutcome};
use std::sync::Arc;
use uuid::Uuid;

/// Empties a filter box the way a person does (select all, delete), so the page hears it.
async fn clear_filter(client: &Client, select: &str) {
    let box_ = filter_box(client, select).await;
    box_.send_keys("\u{E009}a\u{E009}\u{E003}").await.unwrap();
}

async fn filter_box(client: &Client, select: &str) -> fantoccini::elements::Element {
    client
        .find(Locator::Css(&format!(
            "[data-field={select}] input.list-filter"
        )))
        .await
        .unwrap_or_else(|e| panic!("no filter box for {select}: {e}"))
}

async fn selected(client: &Client, select: &str) -> String {
    client
        .find(Locator::Css(&format!("select#{select}")))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Types `text` into the filter box of `select` and checks what the list then holds.
pub(crate) async fn filter(client: &Client, select: &str, text: &str, expected: &str) {
    clear_filter(client, select).await;
    filter_box(client, select)
        .await
        .send_keys(text)
        .await
        .unwrap();
    assert_eq!(
        selected(client, select).await,
        expected,
        "after typing {text:?} into the filter of {select}"
    );
}

async fn save_profile_section(client: &Client, done: &str) {
    click(client, "form[data-section] button[type=submit]").await;
    wait_for_text(client, &[done]).await;
}

/// Moves an application as an officer would, straight in the portal's database (the back
/// office is not built yet).
async fn officer_moves(store: &Arc<dyn Store>, id: Uuid, events: &[Event]) {
    let officer = Uuid::now_v7();
    for event in events {
        let now = time::OffsetDateTime::now_utc();
        let outcome = store
            .transition_application(Transition {
                payment: None,
                id,
                owner: None,
                event: *event,
                actor: Actor::Officer(officer),
                reason: None,
                fees_due: false,
                approval_outcome: Some(izin_domain::application::ExemptionStatus::Active),
                resubmission: None,
                officer: None,
                now,
                mail: None,
                audit: NewAuditEntry::new(
                    now,
                    Actor::Officer(officer),
                    AuditAction::ApplicationMoved,
                    &ClientInfo::default(),
                ),
            })
            .await
            .unwrap();
        assert!(
            matches!(outcome, TransitionOutcome::Moved { .. }),
            "{event:?}: {outcome:?}"
        );
    }
}

/// Every cell of My Applications shows all of its content: nothing sticks out of its cell,
/// the table needs no sideways scrolling, and a cell's links stay together in its value column.
async fn assert_table_fits(client: &Client, what: &str) {
    let report = client
        .execute(
            r#"
            const problems = [];
            const page = document.documentElement;
            if (page.scrollWidth > window.innerWidth + 1) {
              problems.push("the page scrolls sideways: " + page.scrollWidth + " > " + window.innerWidth);
            }
            const scroller = document.querySelector(".table-scroll");
            if (scroller && scroller.scrollWidth > scroller.clientWidth + 1) {
              problems.push("the table is wider than its box: " + scroller.scrollWidth + " > " + scroller.clientWidth);
            }
            document.querySelectorAll("table.applications .status").forEach(function (status) {
              if (status.getClientRects().length > 1) {
                problems.push("the situation '" + status.textContent.trim() + "' is broken over lines");
              }
            });
            document.querySelectorAll("table.applications td").forEach(function (cell) {
              const box = cell.getBoundingClientRect();
              cell.querySelectorAll("a, span, .status").forEach(function (inner) {
                const r = inner.getBoundingClientRect();
                if (r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1)) {
                  problems.push("'" + inner.textContent.trim() + "' sticks out of its cell");
                }
              });
              const links = cell.querySelectorAll("a");
              if (links.length > 1) {
                const first = links[0].getBoundingClientRect().left;
                links.forEach(function (link) {
                  if (link.getBoundingClientRect().left < first - 1) {
                    problems.push("'" + link.textContent.trim() + "' falls out of the actions");
                  }
                });
              }
            });
            return problems;
            "#,
            vec![],
        )
        .await
        .unwrap();
    let problems: Vec<String> = serde_json::from_value(report).unwrap();
    assert!(problems.is_empty(), "{what}: {problems:#?}");
}

/// A bearer token for `email`, signing in through the API with the code from the outbox.
async fn api_token(server: &Server, outbox: &std::path::Path, email: &str) -> String {
    let before = std::fs::read_dir(outbox).map(|d| d.count()).unwrap_or(0);
    // One new code a minute per address: the browser's sign-in may have just had one.
    let sent = loop {
        let sent = server
            .request(
                "POST",
                "/api/v1/auth/email-code",
                &[],
                Some(&serde_json::json!({ "email": email })),
            )
            .await
            .unwrap();
        if sent.status != 429 {
            break sent;
        }
        let wait = sent.json()["retry_after"].as_u64().unwrap_or(5);
        tokio::time::sleep(std::time::Duration::from_secs(wait + 1)).await;
    };
    assert_eq!(sent.status, 202, "{}", sent.body);
    let mails = crate::support::wait_for_mail(&[outbox.to_path_buf()], before + 1).await;
    let newest = mails
        .iter()
        .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .unwrap();
    let code = crate::support::code_in(newest);
    let mut verify = serde_json::json!({ "email": email, "code": code });
    if let Some(challenge) = sent.json().get("challenge") {
        verify["challenge"] = challenge.clone();
    }
    let verified = server
        .request("POST", "/api/v1/auth/email-code/verify", &[], Some(&verify))
        .await
        .unwrap();
    assert_eq!(verified.status, 200, "{}", verified.body);
    format!("Bearer {}", verified.json()["token"].as_str().unwrap())
}

async fn api(
    server: &Server,
    bearer: &str,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> serde_json::Value {
    let response = server
        .request(method, path, &[("Authorization", bearer)], body.as_ref())
        .await
        .unwrap();
    assert!(
        (200..300).contains(&response.status),
        "{method} {path}: {} {}",
        response.status,
        response.body
    );
    if response.body.trim().is_empty() {
        serde_json::Value::Null
    } else {
        response.json()
    }
}

/// An inter-university exchange internship (another category: the first one's waits 12
/// months), made ready through the API with the User Information documents.
async fn ready_exchange_internship_by_api(server: &Server, bearer: &str) -> String {
    let id = api(
        server,
        bearer,
        "POST",
        "/api/v1/applications",
        Some(serde_json::json!({"kind": "work-permit-exemption", "category": "university-exchange-internship"})),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let base = format!("/api/v1/applications/{id}");
    api(
        server,
        bearer,
        "PUT",
        &format!("{base}/place"),
        Some(serde_json::json!({"place": "domestic"})),
    )
    .await;
    api(
        server,
        bearer,
        "PUT",
        &format!("{base}/consent"),
        Some(serde_json::json!({"kvkk_explicit_consent": true})),
    )
    .await;
    let documents = api(server, bearer, "GET", "/api/v1/me/documents", None).await;
    let pdf = documents
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["content_type"] == "application/pdf")
        .expect("a PDF among the User Information documents")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let today = izin_domain::calendar::today_in_turkiye(time::OffsetDateTime::now_utc());
    let start = today + time::Duration::days(20);
    let end = start + time::Duration::days(40);
    api(
        server,
        bearer,
        "PUT",
        &format!("{base}/employment"),
        Some(serde_json::json!({
            "occupation_code": "9901.02",
            "start_date": izin_domain::calendar::format_date(start),
            "end_date": izin_domain::calendar::format_date(end),
            "certificate_requested": false, "province": "İstanbul", "district": "Fatih",
            "about": "Compulsory internship of 25 working days in the software team.",
            "has_employer": true, "sgk_number": "28540010111812660342762000",
            "monthly_gross_salary": "0", "currency": "TRY",
            "employment_contract_document_id": pdf, "insurance_paid": "domestic"
        })),
    )
    .await;
    for slot in [
        "student-id",
        "exchange-acceptance-letter",
        "internship-agreement",
    ] {
        api(
            server,
            bearer,
            "POST",
            &format!("{base}/documents"),
            Some(serde_json::json!({"slot": slot, "document_id": pdf})),
        )
        .await;
    }
    id
}

#[tokio::test]
async fn typing_never_changes_a_saved_choice_and_my_applications_fits_every_screen() {
    let Some(tools) = tools() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = Server::start(&data, &["--demo"]).await;
    let (_driver, driver_url) = start_driver(&tools).await;
    let client = connect(&tools, &driver_url, &dir.path().join("profile"), 1366, 900).await;
    let mut shots = Screenshots::new("applicant");
    let files = dir.path().join("files");
    std::fs::create_dir_all(&files).unwrap();
    let email = "filters@example.com";
    sign_in(&client, &server, email).await;
    let person = Person {
        first_name: "Ayşe",
        nationality: "DEU",
        born: "01/04/1990",
        foreigner_id: Some("99587021348"),
        passport_number: "C01X00T47",
        passport_country: "DEU",
    };
    fill_user_information(&client, &server, &files, &person, "Saved.", &mut shots).await;

    // Nationality: the chosen Germany stays whatever is typed; only an exact name chooses.
    let personal = format!("{}/profile/personal", server.base);
    client.goto(&personal).await.unwrap();
    filter(&client, "nationality", "kaza", "DEU").await;
    filter(&client, "nationality", "germ", "DEU").await;
    filter(&client, "nationality", "kaz", "DEU").await;
    shots.take(&client, "filter-typed").await;
    save_profile_section(&client, "Saved.").await;
    assert_eq!(
        selected(&client, "nationality").await,
        "DEU",
        "saved as chosen"
    );
    filter(&client, "nationality", "Kazakhstan", "KAZ").await;
    save_profile_section(&client, "Saved.").await;
    assert_eq!(
        selected(&client, "nationality").await,
        "KAZ",
        "the exact name chose"
    );
    filter(&client, "nationality", "germany", "DEU").await;
    // Enter in a filter box never sends the form.
    filter_box(&client, "nationality")
        .await
        .send_keys("\u{E007}")
        .await
        .unwrap();
    assert_eq!(path(&client).await, "/profile/personal");
    save_profile_section(&client, "Saved.").await;
    assert_eq!(selected(&client, "nationality").await, "DEU");

    // Nationality of Spouse: married, spouse chosen by its exact name, then typing keeps it.
    choose(&client, "marital_status", "married").await;
    type_into(&client, "#spouse_first_name", "Elnur").await;
    type_into(&client, "#spouse_last_name", "Məmmədov").await;
    filter(&client, "spouse_nationality", "Azerbaijan", "AZE").await;
    save_profile_section(&client, "Saved.").await;
    filter(&client, "spouse_nationality", "kaza", "AZE").await;
    save_profile_section(&client, "Saved.").await;
    assert_eq!(selected(&client, "spouse_nationality").await, "AZE");

    // Country of Issue of Passport (Passport Information): an exact name chooses, then typing
    // part of another name keeps the chosen one.
    client
        .goto(&format!("{}/profile/passport", server.base))
        .await
        .unwrap();
    assert_eq!(selected(&client, "issuing_country").await, "DEU");
    filter(&client, "issuing_country", "Azerbaijan", "AZE").await;
    save_profile_section(&client, "Saved.").await;
    assert_eq!(
        selected(&client, "issuing_country").await,
        "AZE",
        "the exact name chose"
    );
    filter(&client, "issuing_country", "germ", "AZE").await;
    filter(&client, "issuing_country", "kaz", "AZE").await;
    save_profile_section(&client, "Saved.").await;
    assert_eq!(
        selected(&client, "issuing_country").await,
        "AZE",
        "saved as chosen"
    );
    filter(&client, "issuing_country", "Germany", "DEU").await;
    save_profile_section(&client, "Saved.").await;
    assert_eq!(selected(&client, "issuing_country").await, "DEU");

    // Native Language.
    client
        .goto(&format!("{}/profile/education", server.base))
        .await
        .unwrap();
    filter(&client, "native_language", "tata", "aze").await;
    save_profile_section(&client, "Saved.").await;
    assert_eq!(selected(&client, "native_language").await, "aze");

    // New Application: the place hint waits until a place is chosen.
    client
        .goto(&format!("{}/applications/new", server.base))
        .await
        .unwrap();
    let hint = client
        .find(Locator::Css("[data-show-when='place=domestic']"))
        .await
        .unwrap();
    assert!(!hint.is_displayed().await.unwrap(), "shown before a place");
    click(&client, "input[name=place][value=domestic]").await;
    assert!(hint.is_displayed().await.unwrap());
    click(&client, "form button.button-primary").await;
    wait_for_text(&client, &["Applications made by selecting the wrong type"]).await;
    click(&client, "input[name=category][value=compulsory-internship]").await;
    click(&client, "form button.button-primary").await;
    wait_for_text(&client, &["6698"]).await;
    click(&client, "#kvkk_explicit_consent").await;
    click(&client, "form button.button-primary").await;

    // Occupation: typing the code the hint gives keeps the internship's 9901.02.
    wait_for_text(&client, &["You can apply for no more than 12 months"]).await;
    filter(&client, "occupation_code", "9901.02", "9901.02").await;
    filter(&client, "occupation_code", "stajyer", "9901.02").await;
    // Province: İstanbul chosen, then typing part of another keeps it.
    choose(&client, "province", "İstanbul").await;
    filter(&client, "province", "izm", "İstanbul").await;
    shots.take(&client, "employment-filtered").await;
    choose(&client, "district", "Fatih").await;
    let today = izin_domain::calendar::today_in_turkiye(time::OffsetDateTime::now_utc());
    let start = izin_domain::calendar::display_date(today + time::Duration::days(14));
    let end = izin_domain::calendar::display_date(today + time::Duration::days(60));
    type_into(&client, "#start_date", &start).await;
    type_into(&client, "#end_date", &end).await;
    click(&client, "input[name=certificate_requested][value=false]").await;
    type_into(
        &client,
        "#about",
        "I am a 3rd grade student. I request an exemption for my mandatory internship of 30 working days.",
    )
    .await;
    click(&client, "input[name=has_employer][value=true]").await;
    type_into(&client, "#sgk_number", "28540010111812660342762000").await;
    type_into(&client, "#monthly_gross_salary", "0").await;
    choose(&client, "currency", "TRY").await;
    let contract = files.join("staj başvuru formu.pdf");
    std::fs::write(&contract, izin_documents::fixtures::minimal_pdf()).unwrap();
    type_into(
        &client,
        "#employment_contract_document_id",
        contract.to_str().unwrap(),
    )
    .await;
    click(&client, "input[name=insurance_paid][value=domestic]").await;
    click(&client, "form[data-wizard-form] button[type=submit]").await;
    wait_for_text(&client, &["Student ID"]).await;
    let application = path(&client).await.split('/').nth(2).unwrap().to_owned();
    client
        .goto(&format!(
            "{}/applications/{application}/employment",
            server.base
        ))
        .await
        .unwrap();
    assert_eq!(selected(&client, "occupation_code").await, "9901.02");
    assert_eq!(selected(&client, "province").await, "İstanbul");
    client
        .goto(&format!(
            "{}/applications/{application}/documents",
            server.base
        ))
        .await
        .unwrap();
    for slot in [
        "student-id",
        "mandatory-internship-certificate",
        "internship-application-form",
    ] {
        let file = files.join(format!("{slot}.pdf"));
        std::fs::write(&file, izin_documents::fixtures::minimal_pdf()).unwrap();
        type_into(
            &client,
            &format!("#slot-{slot}-file"),
            file.to_str().unwrap(),
        )
        .await;
        click(&client, &format!("#slot-{slot} form.slot-upload button")).await;
        wait_for_text(&client, &[&format!("{slot}.pdf")]).await;
    }
    client
        .goto(&format!(
            "{}/applications/{application}/preview",
            server.base
        ))
        .await
        .unwrap();
    wait_for_text(
        &client,
        &["Attention! Your application has not been created yet!"],
    )
    .await;
    click(&client, "form[action$='/submit'] button[type=submit]").await;
    wait_for_text(&client, &["Your application has been created"]).await;

    // Back: the preview is fetched again and never offers "Create My Application" for a
    // created application.
    client.back().await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let text = page_text(&client).await;
        let enabled_create = client
            .find(Locator::Css(
                "form[action$='/submit'] button[type=submit]:not([disabled])",
            ))
            .await
            .is_ok();
        if !enabled_create && !text.contains("has not been created yet") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "Back shows a submittable preview: {text}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    shots.take(&client, "back-after-create").await;

    // My Applications with an approved exemption, one under evaluation and a draft.
    let store: Arc<dyn Store> = izin_store::open(&izin_store::DatabaseUrl::Sqlite {
        path: data.join("izin.db"),
    })
    .await
    .unwrap();
    let first = Uuid::parse_str(&application).unwrap();
    officer_moves(
        &store,
        first,
        &[Event::StartEvaluation, Event::ApproveDirectly],
    )
    .await;
    let bearer = api_token(&server, &data.join("outbox"), email).await;
    let second = ready_exchange_internship_by_api(&server, &bearer).await;
    let draft = api(
        &server,
        &bearer,
        "POST",
        "/api/v1/applications",
        Some(serde_json::json!({"kind": "work-permit-exemption", "category": "compulsory-internship"})),
    )
    .await;
    assert_eq!(draft["status"], "DRAFT");
    api(
        &server,
        &bearer,
        "POST",
        &format!("/api/v1/applications/{second}/submit"),
        None,
    )
    .await;
    officer_moves(
        &store,
        Uuid::parse_str(&second).unwrap(),
        &[Event::StartEvaluation],
    )
    .await;

    for (language, switch) in [
        ("en", "[data-switch-language=en]"),
        ("tr", "[data-switch-language=tr]"),
    ] {
        client
            .goto(&format!("{}/applications", server.base))
            .await
            .unwrap();
        click(&client, switch).await;
        let status = if language == "en" {
            "UNDER EVALUATION"
        } else {
            "DEĞERLENDİRMEDE"
        };
        for (width, height) in [(1366, 900), (375, 812)] {
            client.set_window_size(width, height).await.unwrap();
            client
                .goto(&format!("{}/applications", server.base))
                .await
                .unwrap();
            wait_for_text(&client, &[status]).await;
            client
                .execute(
                    "document.querySelector('table.applications').scrollIntoView()",
                    vec![],
                )
                .await
                .unwrap();
            shots
                .take(&client, &format!("my-applications-{language}-{width}"))
                .await;
            assert_table_fits(&client, &format!("{language} at {width} px")).await;
        }
        client.set_window_size(1366, 900).await.unwrap();
    }
    client.close().await.unwrap();
}
