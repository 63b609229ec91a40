//! New Application and My Applications through the API, on both databases: the whole flow for
//! the internship category (domestic) and for research (abroad, with a card and fees), every
//! creation rule refusing once, the registries confirming and refusing, idempotent creation under
//! ten concurrent submits, revisions and cancellation requests, and 404 for everyone else.

use crate::harness::{Browser, Part, TestApp};
use crate::profile::complete_profile;
use axum::http::{Method, StatusCode};
use izin_documents::fixtures;
use izin_domain::application::Event;
use izin_domain::audit::{Actor, ClientInfo};
use serde_json::{Value, json};
use time::Duration;

crate::on_both_databases!(
    the_catalogue_is_served_in_the_requests_language,
    an_internship_goes_from_the_place_of_application_to_my_applications,
    a_research_stay_is_applied_for_from_abroad_with_a_card_and_fees,
    every_creation_rule_refuses_with_a_message_and_where_to_fix_it,
    the_registries_confirm_or_refuse_each_step,
    ten_concurrent_submits_create_one_application,
    a_revision_goes_back_to_evaluation_and_an_active_exemption_can_be_cancelled,
    drafts_survive_the_session_and_only_drafts_are_deleted,
    another_user_gets_404_on_every_application_route,
);

/// The foreigner ID `complete_profile` saves, and the passport it enters.
pub(crate) const FOREIGNER_ID: &str = "99123456740";
pub(crate) const PASSPORT: &str = "C01X00T47";
pub(crate) const INTERNSHIP_SGK: &str = "28540010111812660342762000";
pub(crate) const BOLU_SGK: &str = "52064080866666660146574000";
pub(crate) const ANKARA_ADDRESS: &str = "1928374650";
pub(crate) const REFERENCE: &str = "2026ANKR00012345";

pub(crate) fn registry() -> Value {
    json!({
        "residence_rights": [
            {"foreigner_id": FOREIGNER_ID, "kind": "residence_permit",
             "valid_from": "2026-01-15", "valid_until": "2028-01-14"}
        ],
        "border_crossings": [
            {"passport_number": PASSPORT, "passport_country": "DEU", "birth_year": 1995,
             "direction": "entry", "date": "2026-11-01"},
            {"passport_number": "C03456789", "passport_country": "AZE", "birth_year": 1987,
             "direction": "entry", "date": "2026-07-03"},
            {"passport_number": "C03456789", "passport_country": "AZE", "birth_year": 1987,
             "direction": "exit", "date": "2026-10-28"}
        ],
        "consulate_references": [
            {"reference_number": REFERENCE, "passport_number": PASSPORT, "birth_year": 1995},
            {"reference_number": "2026BAKU00352011", "passport_number": "C03456789", "birth_year": 1987}
        ],
        "addresses": [
            {"code": ANKARA_ADDRESS, "address": "Kavaklıdere Mah. Atatürk Blv. No: 211 İç Kapı No: 12",
             "province": "Ankara", "district": "Çankaya"}
        ],
        "workplaces": [
            {"sgk_number": INTERNSHIP_SGK, "name": "Staj yeri belirtilmemiş (zorunlu staj)",
             "province": "İstanbul", "district": "Fatih"},
            {"sgk_number": BOLU_SGK, "name": "Örnek Orman Ürünleri San. ve Tic. A.Ş.",
             "province": "Bolu", "district": "Merkez"}
        ]
    })
}

pub(crate) async fn upload_other(client: &mut Browser<'_>, bearer: &str, name: &str) -> String {
    let page = client
        .post_multipart(
            "/api/v1/me/documents",
            &[
                Part::Text("kind", "other"),
                Part::File {
                    name: "file",
                    file_name: name,
                    content_type: "application/pdf",
                    bytes: &fixtures::minimal_pdf(),
                },
            ],
            &[("authorization", bearer)],
        )
        .await;
    page.assert_status(StatusCode::CREATED);
    page.json()["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn call(
    client: &mut Browser<'_>,
    method: Method,
    path: &str,
    bearer: &str,
    body: Option<Value>,
) -> crate::harness::Page {
    client.api(method, path, bearer, body).await
}

pub(crate) fn codes(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["code"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn internship_employment(contract: &str) -> Value {
    json!({
        "occupation_code": "9901.02", "start_date": "2026-12-01", "end_date": "2027-02-26",
        "certificate_requested": false, "province": "İstanbul", "district": "Fatih",
        "about": "I am a 3rd grade student in Computer Engineering. I request an exemption for my mandatory internship of 60 working days.",
        "has_employer": true, "sgk_number": INTERNSHIP_SGK, "monthly_gross_salary": "0",
        "currency": "TRY", "employment_contract_document_id": contract, "insurance_paid": "domestic"
    })
}

/// A signed-up user with complete User Information and an internship draft that passes every
/// rule. Returns the bearer and the draft's id.
pub(crate) async fn ready_internship(
    app: &TestApp,
    client: &mut Browser<'_>,
    email: &str,
) -> (String, String) {
    let bearer = app.api_user(email).await;
    complete_profile(app, client, &bearer).await;
    let created = call(
        client,
        Method::POST,
        "/api/v1/applications",
        &bearer,
        Some(json!({"kind": "work-permit-exemption", "category": "compulsory-internship"})),
    )
    .await;
    created.assert_status(StatusCode::CREATED);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/applications/{id}");
    call(
        client,
        Method::PUT,
        &format!("{base}/place"),
        &bearer,
        Some(json!({"place": "domestic"})),
    )
    .await
    .assert_status(StatusCode::OK);
    call(
        client,
        Method::PUT,
        &format!("{base}/consent"),
        &bearer,
        Some(json!({"kvkk_explicit_consent": true})),
    )
    .await
    .assert_status(StatusCode::OK);
    let contract = upload_other(client, &bearer, "staj-basvuru-formu.pdf").await;
    call(
        client,
        Method::PUT,
        &format!("{base}/employment"),
        &bearer,
        Some(internship_employment(&contract)),
    )
    .await
    .assert_status(StatusCode::OK);
    for slot in [
        "student-id",
        "mandatory-internship-certificate",
        "internship-application-form",
    ] {
        let document = upload_other(client, &bearer, &format!("{slot}.pdf")).await;
        call(
            client,
            Method::POST,
            &format!("{base}/documents"),
            &bearer,
            Some(json!({"slot": slot, "document_id": document})),
        )
        .await
        .assert_status(StatusCode::OK);
    }
    (bearer, id)
}

async fn the_catalogue_is_served_in_the_requests_language(app: TestApp) {
    let mut client = app.browser();
    let en = client.get("/api/v1/catalog/work-permit-exemption").await;
    en.assert_status(StatusCode::OK);
    let body = en.json();
    let education = body["sectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "education")
        .expect("the education sector");
    assert_eq!(education["name"], "Education Sector");
    let internship = education["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "compulsory-internship")
        .expect("the internship category");
    assert_eq!(internship["letter"], "n");
    assert_eq!(internship["max_months"], 12);
    let slot = &internship["documents"][0];
    for key in ["slot", "label", "help", "required", "max_files", "types"] {
        assert!(!slot[key].is_null(), "document slots have {key}");
    }
    assert!(
        body["occupations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["code"] == "9901.02" && o["name"] == "Intern (Student)")
    );
    assert!(
        body["currencies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == "TRY")
    );
    let tr = client
        .send(
            Method::GET,
            "/api/v1/catalog/work-permit-exemption",
            None,
            Vec::new(),
            &[("accept-language", "tr")],
        )
        .await
        .json();
    assert_eq!(tr["sectors"][0]["name"], "Eğitim Sektörü");
    assert!(
        tr["occupations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["code"] == "9901.02" && o["name"] == "Stajyer (Öğrenci)")
    );
    let openapi = client.get("/api/openapi.json").await.json();
    for path in [
        "/api/v1/catalog/work-permit-exemption",
        "/api/v1/me/residence-right",
        "/api/v1/applications",
        "/api/v1/applications/{id}",
        "/api/v1/applications/{id}/place",
        "/api/v1/applications/{id}/consent",
        "/api/v1/applications/{id}/employment",
        "/api/v1/applications/{id}/documents",
        "/api/v1/applications/{id}/additional",
        "/api/v1/applications/{id}/preview",
        "/api/v1/applications/{id}/submit",
        "/api/v1/applications/{id}/revision/submit",
        "/api/v1/applications/{id}/cancellation-request",
    ] {
        assert!(openapi["paths"][path].is_object(), "{path} is described");
    }
}

async fn an_internship_goes_from_the_place_of_application_to_my_applications(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (bearer, id) = ready_internship(&app, &mut client, "intern@example.com").await;
    let base = format!("/api/v1/applications/{id}");

    let right = call(
        &mut client,
        Method::GET,
        "/api/v1/me/residence-right",
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(right["active"], true);
    assert_eq!(right["kind"], "residence_permit");
    assert_eq!(right["foreigner_id"], FOREIGNER_ID);

    // The steps read back as saved, with what the registries answered.
    let saved = call(&mut client, Method::GET, &base, &bearer, None)
        .await
        .json();
    assert_eq!(saved["status"], "DRAFT");
    assert_eq!(saved["data"]["place"]["place"], "domestic");
    assert_eq!(saved["data"]["place"]["residence_right"], true);
    assert_eq!(
        saved["data"]["consent"]["version"].as_str().unwrap().len(),
        16
    );
    assert_eq!(
        saved["data"]["employment"]["workplace_name"],
        "Staj yeri belirtilmemiş (zorunlu staj)"
    );
    assert_eq!(saved["data"]["employment"]["monthly_gross_salary"], "0.00");
    assert_eq!(saved["data"]["documents"].as_object().unwrap().len(), 3);
    assert_eq!(saved["actions"], json!(["continue", "delete"]));
    assert_eq!(
        saved["fees"]["due"], false,
        "under 3 months without a certificate is free"
    );

    // Additional documents: text and one more file.
    let extra = upload_other(&mut client, &bearer, "transcript.pdf").await;
    let additional = call(
        &mut client,
        Method::PUT,
        &format!("{base}/additional"),
        &bearer,
        Some(json!({"other_information": "My transcript is attached.", "document_ids": [extra]})),
    )
    .await;
    additional.assert_status(StatusCode::OK);
    assert_eq!(
        additional.json()["data"]["additional_document_ids"][0],
        extra.as_str()
    );

    let preview = call(
        &mut client,
        Method::GET,
        &format!("{base}/preview"),
        &bearer,
        None,
    )
    .await;
    preview.assert_status(StatusCode::OK);
    assert_eq!(
        preview.json()["ready"],
        true,
        "{}",
        preview.json()["failures"]
    );

    let submitted = client
        .send(
            Method::POST,
            &format!("{base}/submit"),
            None,
            Vec::new(),
            &[("authorization", &bearer), ("idempotency-key", "create-1")],
        )
        .await;
    submitted.assert_status(StatusCode::OK);
    let number = submitted.json()["number"].as_str().unwrap().to_owned();
    assert_eq!(submitted.json()["status"], "SUBMITTED");
    assert!(number.starts_with("2026-"), "{number}");
    // The same request again answers the same application.
    let again = client
        .send(
            Method::POST,
            &format!("{base}/submit"),
            None,
            Vec::new(),
            &[("authorization", &bearer), ("idempotency-key", "create-1")],
        )
        .await;
    again.assert_status(StatusCode::OK);
    assert_eq!(again.json()["number"], number.as_str());

    // My Applications.
    let list = call(
        &mut client,
        Method::GET,
        "/api/v1/applications",
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["number"], number.as_str());
    assert_eq!(list[0]["status"], "SUBMITTED");
    assert_eq!(list[0]["actions"], json!(["detail"]));
    assert!(list[0]["title"].as_str().unwrap().contains("Internship"));

    // Detail: frozen, with its history; later profile edits do not change what was submitted.
    call(
        &mut client,
        Method::PUT,
        "/api/v1/me/contact",
        &bearer,
        Some(json!({"phone": "+90 533 000 00 00", "address": "Başka bir adres, Çankaya / Ankara"})),
    )
    .await
    .assert_status(StatusCode::OK);
    let detail = call(&mut client, Method::GET, &base, &bearer, None)
        .await
        .json();
    assert_eq!(detail["history"].as_array().unwrap().len(), 1);
    assert_eq!(detail["history"][0]["event"], "submit");
    assert_eq!(detail["history"][0]["to_status"], "SUBMITTED");
    assert_eq!(detail["history"][0]["description"], "Application created");
    assert_eq!(detail["submitted"]["version"], 1);
    assert_eq!(
        detail["submitted"]["snapshot"]["profile"]["contact"]["address"],
        "Kızılay Mh. Atatürk Blv. No: 5, Çankaya / Ankara"
    );
    assert_eq!(
        detail["submitted"]["snapshot"]["documents"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    // Frozen: the step can no longer be changed, the documents no longer deleted.
    let locked = call(
        &mut client,
        Method::PUT,
        &format!("{base}/consent"),
        &bearer,
        Some(json!({"kvkk_explicit_consent": true})),
    )
    .await;
    locked.assert_status(StatusCode::CONFLICT);
    call(
        &mut client,
        Method::DELETE,
        &format!("/api/v1/me/documents/{extra}"),
        &bearer,
        None,
    )
    .await
    .assert_status(StatusCode::CONFLICT);

    // The confirmation mail, in the user's language, with the number.
    app.deliver_mail().await;
    let mails = app.mails();
    let confirmation = mails
        .iter()
        .find(|m| m.text.contains(&number))
        .expect("a confirmation mail with the number");
    assert!(confirmation.to.contains("intern@example.com"));
    assert!(
        confirmation.text.contains("başvurunuz oluşturuldu")
            || confirmation.text.contains("has been created")
    );
    let audit = app.audit_actions(&format!("application:{id}")).await;
    assert!(audit.contains(&"application.created".to_owned()));
    assert!(audit.contains(&"application.moved".to_owned()));
}

async fn a_research_stay_is_applied_for_from_abroad_with_a_card_and_fees(app: TestApp) {
    // Abroad: no residence right for this person, a consulate reference for the passport.
    let mut fixture = registry();
    fixture["residence_rights"] = json!([]);
    app.import_registry(fixture).await;
    let mut client = app.browser();
    let bearer = app.api_user("researcher@example.com").await;
    complete_profile(&app, &mut client, &bearer).await;
    let right = call(
        &mut client,
        Method::GET,
        "/api/v1/me/residence-right",
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(right["active"], false);
    let id = call(
        &mut client,
        Method::POST,
        "/api/v1/applications",
        &bearer,
        Some(json!({"kind": "work-permit-exemption", "category": "research-and-experience"})),
    )
    .await
    .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let base = format!("/api/v1/applications/{id}");
    let place = call(
        &mut client,
        Method::PUT,
        &format!("{base}/place"),
        &bearer,
        Some(json!({"place": "abroad", "reference_number": REFERENCE.to_lowercase()})),
    )
    .await;
    place.assert_status(StatusCode::OK);
    assert_eq!(place.json()["data"]["place"]["reference_number"], REFERENCE);
    call(
        &mut client,
        Method::PUT,
        &format!("{base}/consent"),
        &bearer,
        Some(json!({"kvkk_explicit_consent": true})),
    )
    .await
    .assert_status(StatusCode::OK);
    // Six months: a card is sent, so the residential code is asked and looked up.
    let employment = call(
        &mut client,
        Method::PUT,
        &format!("{base}/employment"),
        &bearer,
        Some(json!({
            "occupation_code": "2310.05", "start_date": "2027-01-04", "end_date": "2027-07-02",
            "residential_code": ANKARA_ADDRESS, "address_type": "workplace",
            "province": "Ankara", "district": "Çankaya",
            "about": "Visiting researcher at the university's materials laboratory for six months.",
            "has_employer": false, "insurance_paid": "abroad"
        })),
    )
    .await;
    if employment.json()["errors"][0]["code"] == "occupation-unknown" {
        panic!("pick an occupation code of the catalogue for this test");
    }
    employment.assert_status(StatusCode::OK);
    assert_eq!(
        employment.json()["data"]["employment"]["residential_address"],
        "Kavaklıdere Mah. Atatürk Blv. No: 211 İç Kapı No: 12"
    );
    for slot in ["host-acceptance-letter", "research-programme"] {
        let page = client
            .post_multipart(
                &format!("{base}/documents"),
                &[
                    Part::Text("slot", slot),
                    Part::File {
                        name: "file",
                        file_name: "letter.jpg",
                        content_type: "image/jpeg",
                        bytes: &fixtures::jpeg(800, 1000),
                    },
                ],
                &[("authorization", &bearer)],
            )
            .await;
        page.assert_status(StatusCode::OK);
    }
    let preview = call(
        &mut client,
        Method::GET,
        &format!("{base}/preview"),
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(preview["ready"], true, "{}", preview["failures"]);
    let fees = &preview["application"]["fees"];
    assert_eq!(
        fees["due"], true,
        "six months pay the exemption fee and the card"
    );
    assert_ne!(fees["exemption_fee"], "0.00");
    assert_ne!(fees["valuable_paper_fee"], "0.00");
    // The one money shape: each amount to its account, a decimal string, the year's table.
    let amounts = fees["amounts"].as_array().expect("amounts");
    let by_kind: Vec<(&str, &str, &str)> = amounts
        .iter()
        .map(|a| {
            (
                a["kind"].as_str().unwrap_or_default(),
                a["account_code"].as_str().unwrap_or_default(),
                a["amount"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        by_kind,
        vec![
            (
                "exemption_fee",
                "9280",
                fees["exemption_fee"].as_str().unwrap()
            ),
            (
                "valuable_paper_fee",
                "9268",
                fees["valuable_paper_fee"].as_str().unwrap()
            ),
        ]
    );
    for amount in amounts {
        assert_eq!(amount["currency"], "TRY");
        assert_eq!(amount["year"], fees["year"]);
        assert!(amount["published"].is_boolean());
    }
    let submitted = call(
        &mut client,
        Method::POST,
        &format!("{base}/submit"),
        &bearer,
        None,
    )
    .await;
    submitted.assert_status(StatusCode::OK);
    let list = call(
        &mut client,
        Method::GET,
        "/api/v1/applications",
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(list[0]["category"], "research-and-experience");
    assert_eq!(list[0]["start_date"], "2027-01-04");
}

pub(crate) async fn submit_codes(
    client: &mut Browser<'_>,
    bearer: &str,
    id: &str,
) -> (StatusCode, Value) {
    let page = call(
        client,
        Method::POST,
        &format!("/api/v1/applications/{id}/submit"),
        bearer,
        None,
    )
    .await;
    (page.status, page.json())
}

async fn every_creation_rule_refuses_with_a_message_and_where_to_fix_it(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (bearer, id) = ready_internship(&app, &mut client, "rules@example.com").await;
    let base = format!("/api/v1/applications/{id}");
    let preview = call(
        &mut client,
        Method::GET,
        &format!("{base}/preview"),
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(preview["ready"], true, "{}", preview["failures"]);

    // An empty draft: place, consent and the employment fields are missing.
    let empty = call(
        &mut client,
        Method::POST,
        "/api/v1/applications",
        &bearer,
        Some(json!({"kind": "work-permit-exemption", "category": "compulsory-internship"})),
    )
    .await
    .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, problem) = submit_codes(&mut client, &bearer, &empty).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["code"], "rules");
    let found = codes(&problem);
    for code in [
        "rule-place-missing",
        "rule-consent-missing",
        "rule-field-missing",
        "rule-document-missing",
    ] {
        assert!(found.contains(&code.to_owned()), "{code} in {found:?}");
    }
    let first_field = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "rule-field-missing")
        .unwrap();
    assert_eq!(first_field["step"], "employment");
    assert_eq!(first_field["field"], "employment.occupation_code");
    assert_eq!(
        first_field["message"],
        "Fill in \"Your Occupation Within the Work Permit Exemption\"."
    );
    let document = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "rule-document-missing")
        .unwrap();
    assert_eq!(document["message"], "Upload \"Student ID\".");
    call(
        &mut client,
        Method::DELETE,
        &format!("/api/v1/applications/{empty}"),
        &bearer,
        None,
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);

    // Each rule alone, on the ready draft.
    let only = |problem: &Value, code: &str| {
        assert_eq!(codes(problem), [code.to_owned()], "{problem}");
    };
    // User Information incomplete.
    call(
        &mut client,
        Method::PUT,
        "/api/v1/me/contact",
        &bearer,
        Some(json!({"phone": null, "address": "Kızılay Mh. Atatürk Blv. No: 5, Çankaya / Ankara"})),
    )
    .await
    .assert_status(StatusCode::OK);
    let (_, problem) = submit_codes(&mut client, &bearer, &id).await;
    only(&problem, "rule-profile-incomplete");
    assert_eq!(problem["errors"][0]["step"], "profile");
    call(
        &mut client,
        Method::PUT,
        "/api/v1/me/contact",
        &bearer,
        Some(crate::profile::contact()),
    )
    .await
    .assert_status(StatusCode::OK);
    // The passport expires less than 60 days after the end.
    let stored_passport = call(
        &mut client,
        Method::GET,
        "/api/v1/me/passport",
        &bearer,
        None,
    )
    .await
    .json();
    let mut expiring = crate::profile::passport("");
    expiring["expiry_date"] = json!("2027-04-01");
    expiring["scan_document_id"] = stored_passport["scan_document_id"].clone();
    call(
        &mut client,
        Method::PUT,
        "/api/v1/me/passport",
        &bearer,
        Some(expiring),
    )
    .await
    .assert_status(StatusCode::OK);
    let (_, problem) = submit_codes(&mut client, &bearer, &id).await;
    only(&problem, "rule-passport-expires-too-soon");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("31/01/2027"),
        "{problem}"
    );
    let mut renewed = crate::profile::passport("");
    renewed["scan_document_id"] = stored_passport["scan_document_id"].clone();
    call(
        &mut client,
        Method::PUT,
        "/api/v1/me/passport",
        &bearer,
        Some(renewed),
    )
    .await
    .assert_status(StatusCode::OK);
    // A required document removed.
    let saved = call(&mut client, Method::GET, &base, &bearer, None)
        .await
        .json();
    let student_id = saved["data"]["documents"]["student-id"][0]
        .as_str()
        .unwrap()
        .to_owned();
    call(
        &mut client,
        Method::DELETE,
        &format!("{base}/documents/{student_id}"),
        &bearer,
        None,
    )
    .await
    .assert_status(StatusCode::OK);
    let (_, problem) = submit_codes(&mut client, &bearer, &id).await;
    only(&problem, "rule-document-missing");
    call(
        &mut client,
        Method::POST,
        &format!("{base}/documents"),
        &bearer,
        Some(json!({"slot": "student-id", "document_id": student_id})),
    )
    .await
    .assert_status(StatusCode::OK);
    // Employer data incomplete: no salary.
    let contract = saved["data"]["employment"]["employment_contract_document_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut employment = internship_employment(&contract);
    employment["monthly_gross_salary"] = Value::Null;
    call(
        &mut client,
        Method::PUT,
        &format!("{base}/employment"),
        &bearer,
        Some(employment),
    )
    .await
    .assert_status(StatusCode::OK);
    let (_, problem) = submit_codes(&mut client, &bearer, &id).await;
    only(&problem, "rule-employer-incomplete");
    assert_eq!(
        problem["errors"][0]["message"],
        "You have an employer: fill in \"Monthly Gross Salary\"."
    );
    // Longer than the category allows (the category changed after the dates were saved).
    let mut long = internship_employment(&contract);
    long["end_date"] = json!("2027-05-31");
    long["residential_code"] = json!(ANKARA_ADDRESS);
    long["address_type"] = json!("residence");
    call(
        &mut client,
        Method::PUT,
        &format!("{base}/employment"),
        &bearer,
        Some(long),
    )
    .await
    .assert_status(StatusCode::OK);
    call(
        &mut client,
        Method::PUT,
        &format!("{base}/category"),
        &bearer,
        Some(json!({"category": "university-exchange-internship"})),
    )
    .await
    .assert_status(StatusCode::OK);
    let (_, problem) = submit_codes(&mut client, &bearer, &id).await;
    assert!(
        codes(&problem).contains(&"rule-period-too-long".to_owned()),
        "{problem}"
    );
    call(
        &mut client,
        Method::PUT,
        &format!("{base}/category"),
        &bearer,
        Some(json!({"category": "compulsory-internship"})),
    )
    .await
    .assert_status(StatusCode::OK);
    for slot in [
        "student-id",
        "mandatory-internship-certificate",
        "internship-application-form",
    ] {
        let document = upload_other(&mut client, &bearer, &format!("{slot}-2.pdf")).await;
        call(
            &mut client,
            Method::POST,
            &format!("{base}/documents"),
            &bearer,
            Some(json!({"slot": slot, "document_id": document})),
        )
        .await;
    }
    call(
        &mut client,
        Method::PUT,
        &format!("{base}/employment"),
        &bearer,
        Some(internship_employment(&contract)),
    )
    .await
    .assert_status(StatusCode::OK);
    // The end before the start and too long a period are refused when the step is saved.
    let mut backwards = internship_employment(&contract);
    backwards["end_date"] = json!("2026-11-30");
    let refused = call(
        &mut client,
        Method::PUT,
        &format!("{base}/employment"),
        &bearer,
        Some(backwards),
    )
    .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&refused.json()), ["end-before-start"]);
    let mut too_long = internship_employment(&contract);
    too_long["end_date"] = json!("2028-01-01");
    let refused = call(
        &mut client,
        Method::PUT,
        &format!("{base}/employment"),
        &bearer,
        Some(too_long),
    )
    .await;
    assert_eq!(codes(&refused.json()), ["period-too-long"]);

    // The ready draft goes through; then another (prepared meanwhile) is refused while the
    // first is pending.
    let (_, second) = ready_second_internship(&mut client, &bearer, &contract).await;
    let (status, created) = submit_codes(&mut client, &bearer, &id).await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let first_number = created["number"].as_str().unwrap().to_owned();
    let (_, problem) = submit_codes(&mut client, &bearer, &second).await;
    only(&problem, "rule-other-application-pending");
    assert_eq!(problem["errors"][0]["step"], "applications");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("({first_number})")),
        "{problem}"
    );

    // Once approved and ended, the same category waits 12 months.
    let uuid = uuid::Uuid::parse_str(&id).unwrap();
    let service = app.app.applications();
    let officer = Actor::Officer(uuid::Uuid::new_v4());
    let client_info = ClientInfo::default();
    service
        .apply(
            None,
            officer,
            uuid,
            Event::StartEvaluation,
            None,
            &client_info,
        )
        .await
        .unwrap();
    service
        .apply(
            None,
            officer,
            uuid,
            Event::ApproveDirectly,
            None,
            &client_info,
        )
        .await
        .unwrap();
    let (_, problem) = submit_codes(&mut client, &bearer, &second).await;
    only(&problem, "rule-waiting-period");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("26/02/2028"),
        "{problem}"
    );
    // Ten days later the requested start has passed (a new session: the old one timed out).
    app.advance(Duration::days(10));
    let bearer = app.api_user("rules@example.com").await;
    let (_, problem) = submit_codes(&mut client, &bearer, &second).await;
    let found = codes(&problem);
    assert!(
        found.contains(&"rule-start-in-past".to_owned()),
        "{found:?}"
    );
}

/// A second internship draft of the same user, otherwise ready.
async fn ready_second_internship(
    client: &mut Browser<'_>,
    bearer: &str,
    contract: &str,
) -> ((), String) {
    let id = call(
        client,
        Method::POST,
        "/api/v1/applications",
        bearer,
        Some(json!({"kind": "work-permit-exemption", "category": "compulsory-internship"})),
    )
    .await
    .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let base = format!("/api/v1/applications/{id}");
    call(
        client,
        Method::PUT,
        &format!("{base}/place"),
        bearer,
        Some(json!({"place": "domestic"})),
    )
    .await
    .assert_status(StatusCode::OK);
    call(
        client,
        Method::PUT,
        &format!("{base}/consent"),
        bearer,
        Some(json!({"kvkk_explicit_consent": true})),
    )
    .await
    .assert_status(StatusCode::OK);
    call(
        client,
        Method::PUT,
        &format!("{base}/employment"),
        bearer,
        Some(internship_employment(contract)),
    )
    .await
    .assert_status(StatusCode::OK);
    for slot in [
        "student-id",
        "mandatory-internship-certificate",
        "internship-application-form",
    ] {
        let document = upload_other(client, bearer, &format!("{slot}-3.pdf")).await;
        call(
            client,
            Method::POST,
            &format!("{base}/documents"),
            bearer,
            Some(json!({"slot": slot, "document_id": document})),
        )
        .await
        .assert_status(StatusCode::OK);
    }
    ((), id)
}

async fn the_registries_confirm_or_refuse_each_step(app: TestApp) {
    let mut fixture = registry();
    fixture["residence_rights"] = json!([]);
    app.import_registry(fixture).await;
    let mut client = app.browser();
    let bearer = app.api_user("registries@example.com").await;
    // Without a foreigner ID nothing can be asked: the seed's yellow message.
    let right = call(
        &mut client,
        Method::GET,
        "/api/v1/me/residence-right",
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(right["foreigner_id"], Value::Null);
    assert_eq!(right["active"], false);
    assert!(
        right["message"]
            .as_str()
            .unwrap()
            .contains("User Information")
    );
    complete_profile(&app, &mut client, &bearer).await;
    let id = call(
        &mut client,
        Method::POST,
        "/api/v1/applications",
        &bearer,
        Some(json!({"kind": "work-permit-exemption", "category": "compulsory-internship"})),
    )
    .await
    .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let place = format!("/api/v1/applications/{id}/place");
    let refused = |page: &crate::harness::Page| -> Vec<String> {
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            page.json()
        );
        codes(&page.json())
    };
    // Domestic without a right: the entry is looked up with the applicant's own passport (User
    // Information: PASSPORT issued by DEU, born 1995); another one is refused before any look-up.
    let page = call(
        &mut client,
        Method::PUT,
        &place,
        &bearer,
        Some(
            json!({"place": "domestic", "passport_number": "C03456789", "passport_country": "AZE"}),
        ),
    )
    .await;
    assert_eq!(
        refused(&page),
        ["passport-not-yours"],
        "someone else's passport"
    );
    let page = call(
        &mut client,
        Method::PUT,
        &place,
        &bearer,
        Some(json!({"place": "domestic", "passport_number": PASSPORT, "passport_country": "FRA"})),
    )
    .await;
    assert_eq!(
        refused(&page),
        ["passport-not-yours"],
        "another country's passport"
    );
    for body in [
        json!({"place": "domestic"}),
        json!({"place": "domestic", "passport_number": PASSPORT, "passport_country": "DEU"}),
    ] {
        let page = call(&mut client, Method::PUT, &place, &bearer, Some(body)).await;
        page.assert_status(StatusCode::OK);
        assert_eq!(page.json()["data"]["place"]["passport_number"], PASSPORT);
    }
    // Abroad: the reference number must exist and match the passport and the birth year.
    let page = call(
        &mut client,
        Method::PUT,
        &place,
        &bearer,
        Some(json!({"place": "abroad", "reference_number": "short"})),
    )
    .await;
    assert_eq!(refused(&page), ["reference-number-shape"]);
    let page = call(
        &mut client,
        Method::PUT,
        &place,
        &bearer,
        Some(json!({"place": "abroad", "reference_number": "2026XXXX99999999"})),
    )
    .await;
    assert_eq!(refused(&page), ["reference-number-unknown"]);
    let page = call(
        &mut client,
        Method::PUT,
        &place,
        &bearer,
        Some(json!({"place": "abroad", "reference_number": "2026BAKU00352011"})),
    )
    .await;
    assert_eq!(refused(&page), ["reference-number-mismatch"]);
    assert!(
        page.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("another passport")
    );
    let page = call(
        &mut client,
        Method::PUT,
        &place,
        &bearer,
        Some(json!({"place": "abroad", "reference_number": REFERENCE})),
    )
    .await;
    page.assert_status(StatusCode::OK);
    // With an active right, abroad is refused.
    app.import_registry(json!({"residence_rights": [{"foreigner_id": FOREIGNER_ID, "kind": "work_permit", "valid_from": "2026-01-01", "valid_until": "2027-12-31"}]})).await;
    let page = call(
        &mut client,
        Method::PUT,
        &place,
        &bearer,
        Some(json!({"place": "abroad", "reference_number": REFERENCE})),
    )
    .await;
    assert_eq!(refused(&page), ["place-abroad-with-residence-right"]);
    // Employment: the residential code and the SGK number are looked up.
    let employment = format!("/api/v1/applications/{id}/employment");
    let mut body = internship_employment("");
    body["employment_contract_document_id"] = Value::Null;
    body["end_date"] = json!("2027-05-31");
    body["residential_code"] = json!("1111111111");
    body["address_type"] = json!("residence");
    body["sgk_number"] = json!("11111111111111111111111111");
    let page = call(
        &mut client,
        Method::PUT,
        &employment,
        &bearer,
        Some(body.clone()),
    )
    .await;
    // 26 digits, but province 111 (digits 17–19) does not exist: said before any look-up.
    assert_eq!(refused(&page), ["sgk-number-province"]);
    assert!(
        page.body.contains("111") && page.body.contains("17"),
        "the message names the part: {}",
        page.body
    );
    body["sgk_number"] = json!("11111111111111110011111000");
    let page = call(
        &mut client,
        Method::PUT,
        &employment,
        &bearer,
        Some(body.clone()),
    )
    .await;
    assert_eq!(
        refused(&page),
        ["address-code-unknown", "sgk-number-unknown"]
    );
    body["residential_code"] = json!(ANKARA_ADDRESS);
    body["sgk_number"] = json!(BOLU_SGK);
    let page = call(&mut client, Method::PUT, &employment, &bearer, Some(body)).await;
    page.assert_status(StatusCode::OK);
    assert_eq!(
        page.json()["data"]["employment"]["workplace_name"],
        "Örnek Orman Ürünleri San. ve Tic. A.Ş."
    );
}

async fn ten_concurrent_submits_create_one_application(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (bearer, id) = ready_internship(&app, &mut client, "double@example.com").await;
    let path = format!("/api/v1/applications/{id}/submit");
    let mut tasks = Vec::new();
    for i in 0..10 {
        let router = app.router.clone();
        let bearer = bearer.clone();
        let path = path.clone();
        // Half repeat one request (a retried call), half are separate clicks.
        let key = if i % 2 == 0 {
            "same-key".to_owned()
        } else {
            format!("click-{i}")
        };
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let request = axum::http::Request::builder()
                .method(Method::POST)
                .uri(&path)
                .header("authorization", bearer)
                .header("idempotency-key", key)
                .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                    [192, 0, 2, 1],
                    4000,
                ))))
                .body(axum::body::Body::empty())
                .unwrap();
            let response = router.oneshot(request).await.unwrap();
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .unwrap();
            (
                status,
                serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null),
            )
        }));
    }
    let mut numbers = std::collections::BTreeSet::new();
    for task in tasks {
        let (status, body) = task.await.unwrap();
        match status {
            StatusCode::OK => {
                numbers.insert(body["number"].as_str().unwrap().to_owned());
            }
            StatusCode::CONFLICT => assert_eq!(body["code"], "not-editable", "{body}"),
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(numbers.len(), 1, "one application number: {numbers:?}");
    let list = call(
        &mut client,
        Method::GET,
        "/api/v1/applications",
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let detail = call(
        &mut client,
        Method::GET,
        &format!("/api/v1/applications/{id}"),
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(detail["history"].as_array().unwrap().len(), 1);
    app.deliver_mail().await;
    let number = numbers.into_iter().next().unwrap();
    assert_eq!(
        app.mails()
            .iter()
            .filter(|m| m.text.contains(&number))
            .count(),
        1,
        "one confirmation"
    );
}

async fn a_revision_goes_back_to_evaluation_and_an_active_exemption_can_be_cancelled(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (bearer, id) = ready_internship(&app, &mut client, "revision@example.com").await;
    let base = format!("/api/v1/applications/{id}");
    call(
        &mut client,
        Method::POST,
        &format!("{base}/submit"),
        &bearer,
        None,
    )
    .await
    .assert_status(StatusCode::OK);
    // Not in revision: nothing to resubmit.
    call(
        &mut client,
        Method::POST,
        &format!("{base}/revision/submit"),
        &bearer,
        None,
    )
    .await
    .assert_status(StatusCode::CONFLICT);
    let uuid = uuid::Uuid::parse_str(&id).unwrap();
    let service = app.app.applications();
    let officer = Actor::Officer(uuid::Uuid::new_v4());
    let info = ClientInfo::default();
    service
        .apply(None, officer, uuid, Event::StartEvaluation, None, &info)
        .await
        .unwrap();
    service
        .apply(
            None,
            officer,
            uuid,
            Event::RequestRevision,
            Some("Upload the signed internship application form."),
            &info,
        )
        .await
        .unwrap();
    let listed = call(
        &mut client,
        Method::GET,
        "/api/v1/applications",
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(listed[0]["status"], "REVISION");
    assert_eq!(listed[0]["actions"], json!(["detail", "revision"]));
    let detail = call(&mut client, Method::GET, &base, &bearer, None)
        .await
        .json();
    assert_eq!(
        detail["revision_message"],
        "Upload the signed internship application form."
    );
    // The place and the category stay as submitted; the rest reopens.
    call(
        &mut client,
        Method::PUT,
        &format!("{base}/place"),
        &bearer,
        Some(json!({"place": "domestic"})),
    )
    .await
    .assert_status(StatusCode::CONFLICT);
    let form = upload_other(&mut client, &bearer, "signed-form.pdf").await;
    let old = detail["data"]["documents"]["internship-application-form"][0]
        .as_str()
        .unwrap()
        .to_owned();
    call(
        &mut client,
        Method::DELETE,
        &format!("{base}/documents/{old}"),
        &bearer,
        None,
    )
    .await
    .assert_status(StatusCode::OK);
    call(
        &mut client,
        Method::POST,
        &format!("{base}/documents"),
        &bearer,
        Some(json!({"slot": "internship-application-form", "document_id": form})),
    )
    .await
    .assert_status(StatusCode::OK);
    let resubmitted = call(
        &mut client,
        Method::POST,
        &format!("{base}/revision/submit"),
        &bearer,
        None,
    )
    .await;
    resubmitted.assert_status(StatusCode::OK);
    let body = resubmitted.json();
    assert_eq!(body["status"], "UNDER_EVALUATION");
    assert_eq!(body["number"], detail["number"], "the number stays");
    assert_eq!(body["version"], 2);
    assert_eq!(body["submitted"]["version"], 2);
    let events: Vec<&str> = body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        ["submit", "start_evaluation", "request_revision", "resubmit"]
    );
    assert_eq!(
        body["history"][2]["reason"],
        "Upload the signed internship application form."
    );
    // The first version is still there, frozen with the old document.
    let versions = app.app.store.application_versions(uuid).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert!(versions[0].snapshot.to_string().contains(&old));
    assert!(versions[1].snapshot.to_string().contains(&form));
    // Approved: an active exemption; the holder asks for its cancellation once.
    service
        .apply(None, officer, uuid, Event::ApproveDirectly, None, &info)
        .await
        .unwrap();
    let listed = call(
        &mut client,
        Method::GET,
        "/api/v1/applications",
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(listed[0]["status"], "APPROVAL");
    assert_eq!(listed[0]["exemption_status"], "ACTIVE");
    assert!(listed[0]["concluded_at"].is_string());
    assert_eq!(listed[0]["actions"], json!(["detail", "cancellation"]));
    let requested = call(
        &mut client,
        Method::POST,
        &format!("{base}/cancellation-request"),
        &bearer,
        None,
    )
    .await;
    requested.assert_status(StatusCode::OK);
    let at = requested.json()["cancellation_requested_at"].clone();
    assert!(at.is_string());
    let again = call(
        &mut client,
        Method::POST,
        &format!("{base}/cancellation-request"),
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(
        again["cancellation_requested_at"], at,
        "the first request stands"
    );
    assert_eq!(
        again["exemption_status"], "ACTIVE",
        "until an officer decides"
    );
    assert_eq!(again["actions"], json!(["detail"]));
    let events = again["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["event"] == "request_cancellation")
        .count();
    assert_eq!(events, 1);
}

async fn drafts_survive_the_session_and_only_drafts_are_deleted(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (bearer, id) = ready_internship(&app, &mut client, "drafter@example.com").await;
    // Log out; a new session (a minute later, when a new code may be sent) finds the draft.
    call(
        &mut client,
        Method::POST,
        "/api/v1/auth/logout",
        &bearer,
        None,
    )
    .await;
    call(
        &mut client,
        Method::GET,
        "/api/v1/applications",
        &bearer,
        None,
    )
    .await
    .assert_status(StatusCode::UNAUTHORIZED);
    app.advance(Duration::minutes(2));
    let bearer = app.api_user("drafter@example.com").await;
    let draft = call(
        &mut client,
        Method::GET,
        &format!("/api/v1/applications/{id}"),
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(draft["status"], "DRAFT");
    assert_eq!(draft["data"]["employment"]["occupation_code"], "9901.02");
    assert_eq!(draft["data"]["documents"].as_object().unwrap().len(), 3);
    // A document deleted from Documents disappears from the draft instead of breaking it.
    let student_id = draft["data"]["documents"]["student-id"][0]
        .as_str()
        .unwrap()
        .to_owned();
    call(
        &mut client,
        Method::DELETE,
        &format!("/api/v1/me/documents/{student_id}"),
        &bearer,
        None,
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    let saved = call(
        &mut client,
        Method::PUT,
        &format!("/api/v1/applications/{id}/additional"),
        &bearer,
        Some(json!({"other_information": "x", "document_ids": []})),
    )
    .await;
    saved.assert_status(StatusCode::OK);
    assert!(saved.json()["data"]["documents"]["student-id"].is_null());
    // Unknown kinds and categories are refused.
    let page = call(
        &mut client,
        Method::POST,
        "/api/v1/applications",
        &bearer,
        Some(json!({"kind": "work-permit-exemption", "category": "astronaut"})),
    )
    .await;
    page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&page.json()), ["category-unknown"]);
    let page = call(
        &mut client,
        Method::POST,
        "/api/v1/applications",
        &bearer,
        Some(json!({"kind": "residence-permit", "category": "x"})),
    )
    .await;
    page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    // A draft is deleted; a submitted application is not.
    let other = call(
        &mut client,
        Method::POST,
        "/api/v1/applications",
        &bearer,
        Some(json!({"kind": "work-permit-exemption", "category": "compulsory-internship"})),
    )
    .await
    .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    call(
        &mut client,
        Method::DELETE,
        &format!("/api/v1/applications/{other}"),
        &bearer,
        None,
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    call(
        &mut client,
        Method::GET,
        &format!("/api/v1/applications/{other}"),
        &bearer,
        None,
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
    let new_id = upload_other(&mut client, &bearer, "id.pdf").await;
    call(
        &mut client,
        Method::POST,
        &format!("/api/v1/applications/{id}/documents"),
        &bearer,
        Some(json!({"slot": "student-id", "document_id": new_id})),
    )
    .await
    .assert_status(StatusCode::OK);
    call(
        &mut client,
        Method::POST,
        &format!("/api/v1/applications/{id}/submit"),
        &bearer,
        None,
    )
    .await
    .assert_status(StatusCode::OK);
    let page = call(
        &mut client,
        Method::DELETE,
        &format!("/api/v1/applications/{id}"),
        &bearer,
        None,
    )
    .await;
    page.assert_status(StatusCode::CONFLICT);
    assert_eq!(page.json()["code"], "not-editable");
}

async fn another_user_gets_404_on_every_application_route(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (owner, draft) = ready_internship(&app, &mut client, "owner@example.com").await;
    let (_, submitted) = {
        let id = call(
            &mut client,
            Method::POST,
            "/api/v1/applications",
            &owner,
            Some(json!({"kind": "work-permit-exemption", "category": "compulsory-internship"})),
        )
        .await
        .json()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        ((), id)
    };
    // Submit the ready one; the other stays a draft.
    call(
        &mut client,
        Method::POST,
        &format!("/api/v1/applications/{draft}/submit"),
        &owner,
        None,
    )
    .await
    .assert_status(StatusCode::OK);
    let stranger = app.api_user("stranger@example.com").await;
    let document = upload_other(&mut client, &stranger, "mine.pdf").await;
    for id in [&draft, &submitted] {
        let base = format!("/api/v1/applications/{id}");
        let attempts: Vec<(Method, String, Option<Value>)> = vec![
            (Method::GET, base.clone(), None),
            (Method::DELETE, base.clone(), None),
            (
                Method::PUT,
                format!("{base}/place"),
                Some(json!({"place": "domestic"})),
            ),
            (
                Method::PUT,
                format!("{base}/category"),
                Some(json!({"category": "compulsory-internship"})),
            ),
            (
                Method::PUT,
                format!("{base}/consent"),
                Some(json!({"kvkk_explicit_consent": true})),
            ),
            (
                Method::PUT,
                format!("{base}/employment"),
                Some(internship_employment(&document)),
            ),
            (
                Method::POST,
                format!("{base}/documents"),
                Some(json!({"slot": "student-id", "document_id": document})),
            ),
            (Method::DELETE, format!("{base}/documents/{document}"), None),
            (
                Method::PUT,
                format!("{base}/additional"),
                Some(json!({"other_information": "x", "document_ids": []})),
            ),
            (Method::GET, format!("{base}/preview"), None),
            (Method::POST, format!("{base}/submit"), None),
            (Method::POST, format!("{base}/revision/submit"), None),
            (Method::POST, format!("{base}/cancellation-request"), None),
        ];
        for (method, path, body) in attempts {
            let page = call(&mut client, method.clone(), &path, &stranger, body).await;
            assert_eq!(
                page.status,
                StatusCode::NOT_FOUND,
                "{method} {path}: {}",
                page.json()
            );
            assert_eq!(page.json()["code"], "not-found");
        }
        // A slot upload too.
        let page = client
            .post_multipart(
                &format!("{base}/documents"),
                &[
                    Part::Text("slot", "student-id"),
                    Part::File {
                        name: "file",
                        file_name: "x.pdf",
                        content_type: "application/pdf",
                        bytes: &fixtures::minimal_pdf(),
                    },
                ],
                &[("authorization", &stranger)],
            )
            .await;
        page.assert_status(StatusCode::NOT_FOUND);
    }
    // Nothing of the owner's changed, and the stranger's list is empty.
    let list = call(
        &mut client,
        Method::GET,
        "/api/v1/applications",
        &stranger,
        None,
    )
    .await
    .json();
    assert_eq!(list, json!([]));
    let owners = call(
        &mut client,
        Method::GET,
        "/api/v1/applications",
        &owner,
        None,
    )
    .await
    .json();
    assert_eq!(owners.as_array().unwrap().len(), 2);
    // The owner cannot use the stranger's document either.
    let page = call(
        &mut client,
        Method::POST,
        &format!("/api/v1/applications/{submitted}/documents"),
        &owner,
        Some(json!({"slot": "student-id", "document_id": document})),
    )
    .await;
    page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&page.json()), ["document-not-found"]);
}
