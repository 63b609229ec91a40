//! New Application and My Applications as a person clicks through them (server-rendered, no
//! JavaScript): every step saved, errors keep what was typed, the preview, "Create My
//! Application" once even when sent twice, My Applications and the Detail page, in both
//! languages; the yellow message without a foreigner ID; other users get 404.

use crate::harness::{Browser, Page, Part, TestApp};
use crate::profile::complete_profile;
use axum::http::StatusCode;
use izin_documents::fixtures;
use serde_json::json;
use time::Duration;

crate::on_both_databases!(
    a_foreigner_in_turkiye_applies_through_the_pages_in_english,
    a_foreigner_abroad_applies_through_the_pages_in_turkish,
    refused_steps_keep_what_was_typed_and_say_what_to_fix,
    without_a_foreigner_id_the_inquiry_shows_the_yellow_message,
    another_users_application_pages_are_not_found,
);

fn registry() -> serde_json::Value {
    json!({
        "residence_rights": [
            {"foreigner_id": "99123456740", "kind": "residence_permit",
             "valid_from": "2026-01-15", "valid_until": "2028-01-14"}
        ],
        "consulate_references": [
            {"reference_number": "2026ANKR00012345", "passport_number": "C01X00T47", "birth_year": 1995}
        ],
        "workplaces": [
            {"sgk_number": "28540010111812660342762000", "name": "Staj yeri belirtilmemiş (zorunlu staj)",
             "province": "İstanbul", "district": "Fatih"}
        ],
        "addresses": [
            {"code": "1928374650", "address": "Kavaklıdere Mah. Atatürk Blv. No: 211 İç Kapı No: 12",
             "province": "Ankara", "district": "Çankaya"}
        ]
    })
}

/// A user with complete User Information, signed in through the pages.
async fn signed_in_with_profile<'a>(app: &'a TestApp, email: &str, language: &str) -> Browser<'a> {
    let mut api = app.browser();
    let bearer = app.api_user(email).await;
    complete_profile(app, &mut api, &bearer).await;
    app.advance(Duration::minutes(2));
    let mut browser = app.browser();
    browser.sign_in(email).await;
    browser.switch_language(language, "/panel").await;
    browser
}

fn capture(page: &Page, pattern: &str) -> String {
    regex_lite::Regex::new(pattern)
        .unwrap()
        .captures(&page.body)
        .unwrap_or_else(|| panic!("{pattern} not in {}", page.body))[1]
        .replace("&amp;", "&")
}

fn application_id(location: &str) -> String {
    location
        .trim_start_matches("/applications/")
        .split('/')
        .next()
        .unwrap()
        .to_owned()
}

async fn upload_into_slots(browser: &mut Browser<'_>, id: &str, slots: &[&str]) {
    for slot in slots {
        let page = browser.get(&format!("/applications/{id}/documents")).await;
        let action = capture(&page, r#"action="(/applications/[^"]+/documents/upload)""#);
        let uploaded = browser
            .post_multipart(
                &action,
                &[
                    Part::Text("csrf", &page.csrf()),
                    Part::Text("slot", slot),
                    Part::File {
                        name: "file",
                        file_name: &format!("{slot}.pdf"),
                        content_type: "application/pdf",
                        bytes: &fixtures::minimal_pdf(),
                    },
                ],
                &[],
            )
            .await;
        uploaded.assert_status(StatusCode::SEE_OTHER);
    }
}

async fn a_foreigner_in_turkiye_applies_through_the_pages_in_english(app: TestApp) {
    app.import_registry(registry()).await;
    let mut browser = signed_in_with_profile(&app, "pages-en@example.com", "en").await;
    let start = browser.get("/applications/new").await;
    start
        .assert_status(StatusCode::OK)
        .assert_contains("Active Residence Right Inquiry")
        .assert_contains("Inquiry (Completed)")
        .assert_contains("data-active-right=\"yes\"")
        .assert_contains("Domestic Application (I am in Türkiye or I have active residence right)")
        .assert_contains("Continue to Application Type Selection");
    let csrf = start.csrf();
    let created = browser
        .post_form(
            "/applications/new",
            &[("csrf", &csrf), ("place", "domestic")],
        )
        .await;
    created.assert_status(StatusCode::SEE_OTHER);
    let id = application_id(created.location());
    assert_eq!(created.location(), format!("/applications/{id}/category"));
    // The draft exists from the first step: it is in My Applications with Continue.
    browser
        .get("/applications")
        .await
        .assert_contains(&format!("/applications/{id}/continue"))
        .assert_contains("Draft");

    let category = browser.get(&format!("/applications/{id}/category")).await;
    category
        .assert_contains("Applications made by selecting the wrong type will be rejected")
        .assert_contains("Internship / Student Subject to Compulsory Internship (n)");
    browser
        .post_form(
            &format!("/applications/{id}/category"),
            &[
                ("csrf", &category.csrf()),
                ("category", "compulsory-internship"),
            ],
        )
        .await
        .assert_redirect(&format!("/applications/{id}/consent"));

    let consent = browser.get(&format!("/applications/{id}/consent")).await;
    consent.assert_contains("Law No. 6698");
    browser
        .post_form(
            &format!("/applications/{id}/consent"),
            &[("csrf", &consent.csrf())],
        )
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Tick the box to give your explicit consent");
    browser
        .post_form(
            &format!("/applications/{id}/consent"),
            &[("csrf", &consent.csrf()), ("kvkk_explicit_consent", "true")],
        )
        .await
        .assert_redirect(&format!("/applications/{id}/employment"));

    let employment = browser.get(&format!("/applications/{id}/employment")).await;
    employment
        .assert_contains("You can apply for no more than 12 months")
        .assert_contains("9901.02 Intern (Student)")
        .assert_contains("Are you requesting a work permit exemption certificate?");
    // The internship's usual occupation is already chosen.
    assert!(
        employment
            .body
            .contains("<option value=\"9901.02\" selected>")
    );
    let action = capture(&employment, r#"action="(/applications/[^"]+/employment)""#);
    let saved = browser
        .post_multipart(
            &action,
            &[
                Part::Text("csrf", &employment.csrf()),
                Part::Text("occupation_code", "9901.02"),
                Part::Text("start_date", "2026-12-01"),
                Part::Text("end_date", "2027-02-26"),
                Part::Text("certificate_requested", "false"),
                Part::Text("province", "İstanbul"),
                Part::Text("district", "Fatih"),
                Part::Text(
                    "about",
                    "Compulsory internship of 60 working days in the software team.",
                ),
                Part::Text("has_employer", "true"),
                Part::Text("sgk_number", "2854 0010 1118 1266 0342 7620 00"),
                Part::Text("monthly_gross_salary", "0"),
                Part::Text("currency", "TRY"),
                Part::Text("employment_contract_document_id", ""),
                Part::File {
                    name: "employment_contract_document_id_file",
                    file_name: "internship-form.pdf",
                    content_type: "application/pdf",
                    bytes: &fixtures::minimal_pdf(),
                },
                Part::Text("insurance_paid", "domestic"),
            ],
            &[],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), format!("/applications/{id}/documents"));
    browser
        .get(&format!("/applications/{id}/employment"))
        .await
        .assert_contains("Workplace: Staj yeri belirtilmemiş (zorunlu staj)")
        .assert_contains("internship-form.pdf");

    let documents = browser.get(&format!("/applications/{id}/documents")).await;
    documents
        .assert_contains("Student ID")
        .assert_contains("Upload File")
        .assert_contains("Use one of your documents");
    upload_into_slots(
        &mut browser,
        &id,
        &["student-id", "mandatory-internship-certificate"],
    )
    .await;
    // The third slot reuses a document already uploaded (the internship form).
    let documents = browser.get(&format!("/applications/{id}/documents")).await;
    let reuse = capture(
        &documents,
        // The list starts with "Please choose", so a stray click attaches nothing.
        r#"id="slot-internship-application-form-reuse" name="document_id">\s*<option value="">Please choose</option>\s*<option value="([^"]+)""#,
    );
    browser
        .post_form(
            &format!("/applications/{id}/documents"),
            &[
                ("csrf", &documents.csrf()),
                ("slot", "internship-application-form"),
                ("document_id", &reuse),
            ],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);

    let additional = browser.get(&format!("/applications/{id}/additional")).await;
    additional
        .assert_contains("Other Information")
        .assert_contains("Add Other Document");
    let action = capture(&additional, r#"action="(/applications/[^"]+/additional)""#);
    browser
        .post_multipart(
            &action,
            &[
                Part::Text("csrf", &additional.csrf()),
                Part::Text("other_information", "Nothing more to add."),
                Part::Text("then", "preview"),
            ],
            &[],
        )
        .await
        .assert_redirect(&format!("/applications/{id}/preview"));

    let preview = browser.get(&format!("/applications/{id}/preview")).await;
    preview
        .assert_status(StatusCode::OK)
        .assert_contains("Attention! Your application has not been created yet!")
        .assert_contains("Personal Information")
        .assert_contains("Ayşe Nur")
        .assert_contains("Job and Employer Information")
        .assert_contains("Supporting Documents")
        .assert_contains("Nothing more to add.")
        .assert_contains("No fee is charged.")
        .assert_contains("Go Back to the Editing Screen")
        .assert_contains("Create My Application");
    assert!(
        !preview.body.contains("data-rule"),
        "no rule fails: {}",
        preview.body
    );
    let key = capture(&preview, r#"name="idempotency_key" value="([^"]+)""#);
    // A double click: the same form twice.
    let first = browser
        .post_form(
            &format!("/applications/{id}/submit"),
            &[("csrf", &preview.csrf()), ("idempotency_key", &key)],
        )
        .await;
    first.assert_redirect(&format!("/applications/{id}/created"));
    let second = browser
        .post_form(
            &format!("/applications/{id}/submit"),
            &[("csrf", &preview.csrf()), ("idempotency_key", &key)],
        )
        .await;
    assert!(second.status.is_redirection());
    let created = browser.get(&format!("/applications/{id}/created")).await;
    created.assert_contains("Your application has been created");
    let number = capture(&created, r#"data-number="([^"]+)""#);

    let list = browser.get("/applications").await;
    list.assert_contains("Application No")
        .assert_contains("Conclusion Date")
        .assert_contains("Exemption Status")
        .assert_contains(&number)
        .assert_contains("SUBMITTED")
        .assert_contains(&format!("/applications/{id}\">Detail"));
    assert_eq!(
        list.body.matches("data-application=").count(),
        1,
        "one application"
    );
    let detail = browser.get(&format!("/applications/{id}")).await;
    detail
        .assert_contains(&format!("Application {number}"))
        .assert_contains("History")
        .assert_contains("Application created")
        .assert_contains("data-event=\"submit\"");
}

async fn a_foreigner_abroad_applies_through_the_pages_in_turkish(app: TestApp) {
    let mut fixture = registry();
    fixture["residence_rights"] = json!([]);
    app.import_registry(fixture).await;
    let mut browser = signed_in_with_profile(&app, "pages-tr@example.com", "tr").await;
    let start = browser.get("/applications/new").await;
    start
        .assert_contains("Aktif İkamet Hakkı Sorgulama")
        .assert_contains("data-active-right=\"no\"")
        .assert_contains("Yurt Dışı Başvuru (Türkiye dışındayım)");
    let refused = browser
        .post_form(
            "/applications/new",
            &[
                ("csrf", &start.csrf()),
                ("place", "abroad"),
                ("reference_number", "2026XXXX00000000"),
            ],
        )
        .await;
    refused
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Türk dış temsilciliklerince verilmiş böyle bir referans numarası yok")
        .assert_contains("value=\"2026XXXX00000000\"");
    let created = browser
        .post_form(
            "/applications/new",
            &[
                ("csrf", &start.csrf()),
                ("place", "abroad"),
                ("reference_number", "2026ANKR00012345"),
            ],
        )
        .await;
    created.assert_status(StatusCode::SEE_OTHER);
    let id = application_id(created.location());
    let category = browser.get(&format!("/applications/{id}/category")).await;
    category.assert_contains("Yanlış tür seçilerek yapılan başvurular reddedilecektir");
    browser
        .post_form(
            &format!("/applications/{id}/category"),
            &[
                ("csrf", &category.csrf()),
                ("category", "compulsory-internship"),
            ],
        )
        .await
        .assert_redirect(&format!("/applications/{id}/consent"));
    browser
        .post_form(
            &format!("/applications/{id}/consent"),
            &[
                ("csrf", &category.csrf()),
                ("kvkk_explicit_consent", "true"),
            ],
        )
        .await
        .assert_redirect(&format!("/applications/{id}/employment"));
    let employment = browser.get(&format!("/applications/{id}/employment")).await;
    employment.assert_contains("Çalışma İzni Muafiyeti Kapsamındaki Mesleğiniz");
    let action = capture(&employment, r#"action="(/applications/[^"]+/employment)""#);
    browser
        .post_multipart(
            &action,
            &[
                Part::Text("csrf", &employment.csrf()),
                Part::Text("occupation_code", "9901.02"),
                Part::Text("start_date", "2027-01-04"),
                Part::Text("end_date", "2027-02-26"),
                Part::Text("certificate_requested", "true"),
                // The certificate is sent by cargo: where to.
                Part::Text("residential_code", "1928374650"),
                Part::Text("address_type", "residence"),
                Part::Text("province", "İstanbul"),
                Part::Text("district", "Fatih"),
                Part::Text("about", "Zorunlu stajımı yazılım ekibinde yapacağım."),
                Part::Text("has_employer", "false"),
                Part::Text("insurance_paid", "abroad"),
            ],
            &[],
        )
        .await
        .assert_redirect(&format!("/applications/{id}/documents"));
    upload_into_slots(
        &mut browser,
        &id,
        &[
            "student-id",
            "mandatory-internship-certificate",
            "internship-application-form",
        ],
    )
    .await;
    let preview = browser.get(&format!("/applications/{id}/preview")).await;
    preview
        .assert_contains("Dikkat! Başvurunuz henüz oluşturulmadı!")
        .assert_contains("Değerli kâğıt bedeli")
        .assert_contains("Başvurumu Oluştur");
    let key = capture(&preview, r#"name="idempotency_key" value="([^"]+)""#);
    browser
        .post_form(
            &format!("/applications/{id}/submit"),
            &[("csrf", &preview.csrf()), ("idempotency_key", &key)],
        )
        .await
        .assert_redirect(&format!("/applications/{id}/created"));
    browser
        .get(&format!("/applications/{id}/created"))
        .await
        .assert_contains("Başvurunuz oluşturuldu");
    browser
        .get("/applications")
        .await
        .assert_contains("Başvuru No")
        .assert_contains("GÖNDERİLDİ")
        .assert_contains("Detay");
    browser
        .get(&format!("/applications/{id}"))
        .await
        .assert_contains("Başvuru oluşturuldu")
        .assert_contains("Yurt Dışı Başvuru");
}

async fn refused_steps_keep_what_was_typed_and_say_what_to_fix(app: TestApp) {
    app.import_registry(registry()).await;
    let mut browser = signed_in_with_profile(&app, "typed@example.com", "en").await;
    let start = browser.get("/applications/new").await;
    let id = application_id(
        browser
            .post_form(
                "/applications/new",
                &[("csrf", &start.csrf()), ("place", "domestic")],
            )
            .await
            .location(),
    );
    browser
        .post_form(
            &format!("/applications/{id}/category"),
            &[
                ("csrf", &start.csrf()),
                ("category", "compulsory-internship"),
            ],
        )
        .await;
    let employment = browser.get(&format!("/applications/{id}/employment")).await;
    let action = capture(&employment, r#"action="(/applications/[^"]+/employment)""#);
    let refused = browser
        .post_multipart(
            &action,
            &[
                Part::Text("csrf", &employment.csrf()),
                Part::Text("occupation_code", "9901.02"),
                Part::Text("start_date", "2026-12-10"),
                Part::Text("end_date", "2026-12-01"),
                Part::Text("about", "Short internship at the company."),
                Part::Text("sgk_number", "123"),
            ],
            &[],
        )
        .await;
    refused
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("There is a problem")
        .assert_contains("href=\"#end_date\"")
        .assert_contains("The end date must be after the start date.")
        .assert_contains("An SGK registration number has 26 digits; you typed 3.")
        .assert_contains("value=\"2026-12-10\"")
        .assert_contains("Short internship at the company.");
    // The preview lists what is missing, each with a link to where it is fixed.
    let preview = browser.get(&format!("/applications/{id}/preview")).await;
    preview
        .assert_contains("Your application cannot be created yet")
        .assert_contains("Give your explicit consent to the KVKK text.")
        .assert_contains(&format!(
            "href=\"/applications/{id}/consent#kvkk_explicit_consent\""
        ))
        .assert_contains("Upload &#34;Student ID&#34;.")
        .assert_contains("disabled");
    // Sign out and back in: the draft is resumed where it was left.
    let panel = browser.get("/panel").await;
    browser
        .post_form("/logout", &[("csrf", &panel.csrf())])
        .await;
    app.advance(Duration::minutes(2));
    browser.sign_in("typed@example.com").await;
    browser
        .get(&format!("/applications/{id}/continue"))
        .await
        .assert_redirect(&format!("/applications/{id}/consent"));
    // A draft can be deleted after confirming.
    let confirm = browser.get(&format!("/applications/{id}/delete")).await;
    confirm.assert_contains("Delete this draft?");
    browser
        .post_form(
            &format!("/applications/{id}/delete"),
            &[("csrf", &confirm.csrf())],
        )
        .await
        .assert_redirect("/applications?deleted=1");
    browser
        .get(&format!("/applications/{id}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

async fn without_a_foreigner_id_the_inquiry_shows_the_yellow_message(app: TestApp) {
    let mut browser = app.browser();
    browser.sign_in("no-id@example.com").await;
    let start = browser.get("/applications/new").await;
    start
        .assert_contains("data-active-right=\"no\"")
        .assert_contains("If you haven&#39;t entered your Foreigner ID number")
        .assert_contains("href=\"/profile/personal\"");
    let empty = browser.get("/applications").await;
    empty.assert_contains("You have no applications yet.");
}

async fn another_users_application_pages_are_not_found(app: TestApp) {
    app.import_registry(registry()).await;
    let mut owner = signed_in_with_profile(&app, "page-owner@example.com", "en").await;
    let start = owner.get("/applications/new").await;
    let id = application_id(
        owner
            .post_form(
                "/applications/new",
                &[("csrf", &start.csrf()), ("place", "domestic")],
            )
            .await
            .location(),
    );
    let mut stranger = app.browser();
    stranger.sign_in("page-stranger@example.com").await;
    let csrf = stranger.get("/panel").await.csrf();
    for step in [
        "",
        "/continue",
        "/place",
        "/category",
        "/consent",
        "/employment",
        "/documents",
        "/additional",
        "/preview",
        "/created",
        "/cancellation",
        "/delete",
    ] {
        let page = stranger.get(&format!("/applications/{id}{step}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "GET {step}");
    }
    for step in [
        "/place",
        "/category",
        "/consent",
        "/documents",
        "/additional/remove",
        "/submit",
        "/revision/submit",
        "/cancellation",
        "/delete",
    ] {
        let page = stranger
            .post_form(
                &format!("/applications/{id}{step}"),
                &[
                    ("csrf", &csrf),
                    ("place", "domestic"),
                    ("category", "compulsory-internship"),
                ],
            )
            .await;
        assert_eq!(
            page.status,
            StatusCode::NOT_FOUND,
            "POST {step}: {}",
            page.body
        );
    }
    assert!(!stranger.get("/applications").await.body.contains(&id));
    owner
        .get(&format!("/applications/{id}/category"))
        .await
        .assert_status(StatusCode::OK);
}
