//! User Information through the API and the pages: each section saved, read back, cleared and
//! completed; every field's bad values; documents the sections point to.

use crate::harness::{Browser, Part, TestApp};
use axum::http::{Method, StatusCode};
use izin_documents::fixtures;
use izin_domain::Clock;
use serde_json::{Value, json};

crate::on_both_databases!(
    every_section_saves_reads_back_and_completes,
    every_bad_value_is_reported_and_nothing_is_stored,
    sections_only_point_at_the_users_own_documents_of_the_right_kind,
    verified_values_cannot_be_changed_through_the_api,
    the_section_pages_save_keep_input_on_errors_and_clear_changes,
    the_passport_names_its_country_of_issue,
    free_text_with_hidden_characters_is_refused_saying_where,
);

async fn upload(
    client: &mut Browser<'_>,
    bearer: &str,
    kind: &str,
    file_name: &str,
    content_type: &str,
    bytes: &[u8],
) -> crate::harness::Page {
    client
        .post_multipart(
            "/api/v1/me/documents",
            &[
                Part::Text("kind", kind),
                Part::File {
                    name: "file",
                    file_name,
                    content_type,
                    bytes,
                },
            ],
            &[("authorization", bearer)],
        )
        .await
}

async fn uploaded_id(
    client: &mut Browser<'_>,
    bearer: &str,
    kind: &str,
    file_name: &str,
    content_type: &str,
    bytes: &[u8],
) -> String {
    let page = upload(client, bearer, kind, file_name, content_type, bytes).await;
    page.assert_status(StatusCode::CREATED);
    page.json()["id"].as_str().unwrap().to_owned()
}

pub fn personal(photo: &str) -> Value {
    json!({
        "first_name": "Ayşe Nur", "last_name": "Yılmaz", "gender": "female",
        "father_name": "Mehmet", "mother_name": "Fatma", "marital_status": "married",
        "place_of_birth": "Bakı", "nationality": "AZE", "date_of_birth": "1995-04-01",
        "foreigner_id": "99123456740", "photo_document_id": photo,
        "spouse": { "first_name": "Ali", "last_name": "Veli", "nationality": "TUR", "tr_id": "10000000146" }
    })
}

pub fn contact() -> Value {
    json!({ "phone": "+90 532 123 45 67", "address": "Kızılay Mh. Atatürk Blv. No: 5, Çankaya / Ankara",
            "second_email": "ikinci@example.com", "second_phone": null })
}

pub fn passport(scan: &str) -> Value {
    json!({ "passport_type": "ordinary", "passport_number": "C01X00T47", "issuing_country": "DEU",
            "expiry_date": "2030-01-31", "scan_document_id": scan })
}

pub fn education(proof: &str, diploma: &str) -> Value {
    json!({ "native_language": "tat", "known_languages": ["aar", "eng"], "turkish_level": "beginner",
            "turkish_proof_document_id": proof, "education_level": "bachelor", "high_school": "Kazan Lisesi",
            "university": "Kazan Federal University", "postgraduate": null, "diploma_document_id": diploma })
}

/// Fills every section through the API, as a complete profile for later tests.
pub async fn complete_profile(app: &TestApp, client: &mut Browser<'_>, bearer: &str) {
    let photo = uploaded_id(
        client,
        bearer,
        "photo",
        "photo.jpg",
        "image/jpeg",
        &fixtures::jpeg(600, 800),
    )
    .await;
    let scan = uploaded_id(
        client,
        bearer,
        "passport",
        "passport.pdf",
        "application/pdf",
        &fixtures::minimal_pdf(),
    )
    .await;
    let proof = uploaded_id(
        client,
        bearer,
        "turkish_proof",
        "tomer.pdf",
        "application/pdf",
        &fixtures::minimal_pdf(),
    )
    .await;
    let diploma = uploaded_id(
        client,
        bearer,
        "diploma",
        "diploma.pdf",
        "application/pdf",
        &fixtures::two_page_pdf(),
    )
    .await;
    for (path, body) in [
        ("/api/v1/me/personal", personal(&photo)),
        ("/api/v1/me/contact", contact()),
        ("/api/v1/me/passport", passport(&scan)),
        ("/api/v1/me/education", education(&proof, &diploma)),
    ] {
        client
            .api(Method::PUT, path, bearer, Some(body))
            .await
            .assert_status(StatusCode::OK);
    }
    let _ = app;
}

async fn every_section_saves_reads_back_and_completes(app: TestApp) {
    let bearer = app.api_user("profile@example.com").await;
    let mut client = app.browser();
    let empty = client
        .api(Method::GET, "/api/v1/me/completeness", &bearer, None)
        .await
        .json();
    assert_eq!(empty["complete"], false);
    assert_eq!(empty["sections"][0]["section"], "personal");
    assert!(
        empty["sections"][0]["missing"]
            .as_array()
            .unwrap()
            .contains(&json!("photo_document_id"))
    );

    complete_profile(&app, &mut client, &bearer).await;
    let completeness = client
        .api(Method::GET, "/api/v1/me/completeness", &bearer, None)
        .await
        .json();
    assert_eq!(completeness["complete"], true, "{completeness}");

    let personal = client
        .api(Method::GET, "/api/v1/me/personal", &bearer, None)
        .await
        .json();
    assert_eq!(personal["first_name"], "Ayşe Nur");
    assert_eq!(personal["nationality"], "AZE");
    assert_eq!(personal["date_of_birth"], "1995-04-01");
    assert_eq!(personal["spouse"]["tr_id"], "10000000146");
    assert_eq!(personal["verified_fields"], json!([]));
    let contact = client
        .api(Method::GET, "/api/v1/me/contact", &bearer, None)
        .await
        .json();
    assert_eq!(contact["email"], "profile@example.com");
    assert_eq!(contact["phone"], "+905321234567");
    let education = client
        .api(Method::GET, "/api/v1/me/education", &bearer, None)
        .await
        .json();
    assert_eq!(education["known_languages"], json!(["aar", "eng"]));

    // Saving one section leaves the others; clearing a field makes the profile incomplete again.
    let mut changed = contact.clone();
    changed.as_object_mut().unwrap().remove("verified_fields");
    changed["address"] = Value::Null;
    client
        .api(Method::PUT, "/api/v1/me/contact", &bearer, Some(changed))
        .await
        .assert_status(StatusCode::OK);
    let completeness = client
        .api(Method::GET, "/api/v1/me/completeness", &bearer, None)
        .await
        .json();
    assert_eq!(completeness["complete"], false);
    assert_eq!(completeness["sections"][1]["missing"], json!(["address"]));
    assert_eq!(
        client
            .api(Method::GET, "/api/v1/me/personal", &bearer, None)
            .await
            .json()["first_name"],
        "Ayşe Nur"
    );
    let audit = app
        .audit_actions(&format!(
            "user:{}",
            app.app
                .store
                .user_by_email_key("profile@example.com")
                .await
                .unwrap()
                .unwrap()
                .id
        ))
        .await;
    assert!(
        audit
            .iter()
            .filter(|a| *a == "profile.section_saved")
            .count()
            >= 5
    );
}

fn fields(page: &crate::harness::Page) -> Vec<(String, String)> {
    page.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn every_bad_value_is_reported_and_nothing_is_stored(app: TestApp) {
    let bearer = app.api_user("bad@example.com").await;
    let mut client = app.browser().with_header("accept-language", "tr");
    let bad_personal = json!({
        "first_name": "Ayşe2", "last_name": "", "gender": "other", "father_name": "<b>", "mother_name": "x".repeat(101),
        "marital_status": "complicated", "place_of_birth": "B", "nationality": "ZZZ", "date_of_birth": "2030-02-30",
        "foreigner_id": "99123456741", "photo_document_id": "not-a-uuid",
        "spouse": { "tr_id": "12345678901", "nationality": "XXX" }
    });
    let refused = client
        .api(
            Method::PUT,
            "/api/v1/me/personal",
            &bearer,
            Some(bad_personal),
        )
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.header("content-type"), "application/problem+json");
    let found = fields(&refused);
    for expected in [
        ("first_name", "name-characters"),
        ("gender", "choice-invalid"),
        ("father_name", "name-characters"),
        ("mother_name", "text-too-long"),
        ("marital_status", "choice-invalid"),
        ("place_of_birth", "text-too-short"),
        ("nationality", "country-unknown"),
        ("date_of_birth", "date-invalid"),
        ("foreigner_id", "tr-id-checksum"),
        ("photo_document_id", "document-invalid"),
    ] {
        assert!(
            found.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} not in {found:?}"
        );
    }
    let messages = refused.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_owned())
        .collect::<Vec<_>>();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("Listeden bir ülke seçin")),
        "messages in the request's language: {messages:?}"
    );
    let young = json!({ "date_of_birth": "2015-01-01" });
    assert_eq!(
        fields(
            &client
                .api(Method::PUT, "/api/v1/me/personal", &bearer, Some(young))
                .await
        ),
        [("date_of_birth".to_owned(), "age-under-minimum".to_owned())]
    );
    let future = json!({ "date_of_birth": "2027-01-01" });
    assert_eq!(
        fields(
            &client
                .api(Method::PUT, "/api/v1/me/personal", &bearer, Some(future))
                .await
        )[0]
        .1,
        "date-in-future"
    );

    let bad_contact = json!({ "phone": "0532 123 45 67", "address": "short", "second_email": "x@y", "second_phone": "+90 12" });
    let found = fields(
        &client
            .api(
                Method::PUT,
                "/api/v1/me/contact",
                &bearer,
                Some(bad_contact),
            )
            .await,
    );
    assert_eq!(
        found,
        [
            ("phone".to_owned(), "phone-shape".to_owned()),
            ("address".to_owned(), "text-too-short".to_owned()),
            ("second_email".to_owned(), "email-bad-domain".to_owned()),
            ("second_phone".to_owned(), "phone-invalid".to_owned()),
        ]
    );

    let bad_passport = json!({ "passport_type": "golden", "passport_number": "A1", "expiry_date": "2026-11-22", "scan_document_id": null });
    let found = fields(
        &client
            .api(
                Method::PUT,
                "/api/v1/me/passport",
                &bearer,
                Some(bad_passport),
            )
            .await,
    );
    assert!(found.contains(&("passport_type".into(), "choice-invalid".into())));
    assert!(found.contains(&("passport_number".into(), "passport-number-shape".into())));
    assert!(
        found.contains(&("expiry_date".into(), "passport-expired".into())),
        "expiring today is refused: {found:?}"
    );

    let bad_education = json!({ "native_language": "xx", "known_languages": ["eng", "zzz"], "turkish_level": "fluent", "education_level": "phd" });
    let found = fields(
        &client
            .api(
                Method::PUT,
                "/api/v1/me/education",
                &bearer,
                Some(bad_education),
            )
            .await,
    );
    assert_eq!(
        found,
        [
            ("native_language".to_owned(), "language-unknown".to_owned()),
            (
                "known_languages[1]".to_owned(),
                "language-unknown".to_owned()
            ),
            ("turkish_level".to_owned(), "choice-invalid".to_owned()),
            ("education_level".to_owned(), "choice-invalid".to_owned()),
        ]
    );

    let unknown_field = client
        .api(
            Method::PUT,
            "/api/v1/me/personal",
            &bearer,
            Some(json!({ "first_name": "Ali", "is_admin": true })),
        )
        .await;
    unknown_field.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown_field.json()["code"], "validation");
    assert_eq!(unknown_field.json()["errors"][0]["field"], "is_admin");
    assert_eq!(unknown_field.json()["errors"][0]["code"], "field-unknown");

    // Nothing of the refused requests was stored.
    for section in ["personal", "contact", "passport", "education"] {
        let body = client
            .api(Method::GET, &format!("/api/v1/me/{section}"), &bearer, None)
            .await
            .json();
        for (key, value) in body.as_object().unwrap() {
            if key != "verified_fields" && key != "email" && key != "known_languages" {
                assert!(value.is_null(), "{section}.{key} was stored: {value}");
            }
        }
    }
}

async fn sections_only_point_at_the_users_own_documents_of_the_right_kind(app: TestApp) {
    let owner = app.api_user("own@example.com").await;
    let other = app.api_user("other@example.com").await;
    let mut client = app.browser();
    let others_photo = uploaded_id(
        &mut client,
        &other,
        "photo",
        "p.png",
        "image/png",
        &fixtures::png(480, 640),
    )
    .await;
    let own_scan = uploaded_id(
        &mut client,
        &owner,
        "passport",
        "p.pdf",
        "application/pdf",
        &fixtures::minimal_pdf(),
    )
    .await;
    let stolen = client
        .api(
            Method::PUT,
            "/api/v1/me/personal",
            &owner,
            Some(json!({ "photo_document_id": others_photo })),
        )
        .await;
    assert_eq!(
        fields(&stolen),
        [(
            "photo_document_id".to_owned(),
            "document-not-found".to_owned()
        )]
    );
    let wrong_kind = client
        .api(
            Method::PUT,
            "/api/v1/me/personal",
            &owner,
            Some(json!({ "photo_document_id": own_scan })),
        )
        .await;
    assert_eq!(
        fields(&wrong_kind),
        [(
            "photo_document_id".to_owned(),
            "document-wrong-kind".to_owned()
        )]
    );
    // A deleted document no longer counts: the section is incomplete again.
    client
        .api(
            Method::PUT,
            "/api/v1/me/passport",
            &owner,
            Some(passport(&own_scan)),
        )
        .await
        .assert_status(StatusCode::OK);
    client
        .api(
            Method::DELETE,
            &format!("/api/v1/me/documents/{own_scan}"),
            &owner,
            None,
        )
        .await
        .assert_status(StatusCode::NO_CONTENT);
    let passport_now = client
        .api(Method::GET, "/api/v1/me/passport", &owner, None)
        .await
        .json();
    assert!(passport_now["scan_document_id"].is_null(), "{passport_now}");
    let completeness = client
        .api(Method::GET, "/api/v1/me/completeness", &owner, None)
        .await
        .json();
    assert_eq!(
        completeness["sections"][2]["missing"],
        json!(["scan_document_id"])
    );
}

async fn verified_values_cannot_be_changed_through_the_api(app: TestApp) {
    let bearer = app.api_user("verified@example.com").await;
    let mut client = app.browser();
    client
        .api(
            Method::PUT,
            "/api/v1/me/personal",
            &bearer,
            Some(json!({ "first_name": "Registry Name" })),
        )
        .await
        .assert_status(StatusCode::OK);
    let user = app
        .app
        .store
        .user_by_email_key("verified@example.com")
        .await
        .unwrap()
        .unwrap();
    app.app
        .store
        .set_verified_fields(
            user.id,
            ["personal.first_name".to_owned()].into(),
            app.clock.now(),
        )
        .await
        .unwrap();
    client
        .api(
            Method::PUT,
            "/api/v1/me/personal",
            &bearer,
            Some(json!({ "first_name": "Changed", "last_name": "Kaya" })),
        )
        .await
        .assert_status(StatusCode::OK);
    let body = client
        .api(Method::GET, "/api/v1/me/personal", &bearer, None)
        .await
        .json();
    assert_eq!(body["first_name"], "Registry Name");
    assert_eq!(body["last_name"], "Kaya");
    assert_eq!(body["verified_fields"], json!(["first_name"]));
}

async fn the_section_pages_save_keep_input_on_errors_and_clear_changes(app: TestApp) {
    let mut browser = app.browser();
    browser.sign_in("pages@example.com").await;
    let overview = browser.get("/profile").await;
    overview
        .assert_status(StatusCode::OK)
        .assert_contains("Personal Information")
        .assert_contains("items missing");
    let form = browser.get("/profile/personal").await;
    form.assert_contains("Biometric Photograph")
        .assert_contains("Clear Changes")
        .assert_contains("enctype=\"multipart/form-data\"");
    let action = regex_lite::Regex::new(r#"action="(/profile/personal)""#)
        .unwrap()
        .captures(&form.body)
        .unwrap()[1]
        .to_owned();
    let token = form.csrf();
    let photo = fixtures::jpeg(600, 800);
    // A good photo and a bad date: the photo is kept, the typed values stay, the error is explained.
    let refused = browser
        .post_multipart(
            &action,
            &[
                Part::Text("csrf", &token),
                Part::Text("first_name", "Ayşe"),
                Part::Text("last_name", "Yılmaz"),
                Part::Text("date_of_birth", "31.02.1990"),
                Part::Text("photo_document_id", ""),
                Part::File {
                    name: "photo_document_id_file",
                    file_name: "vesikalık.jpg",
                    content_type: "image/jpeg",
                    bytes: &photo,
                },
            ],
            &[],
        )
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    refused
        .assert_contains("There is a problem")
        .assert_contains("href=\"#date_of_birth\"")
        .assert_contains("Enter a real date as day/month/year, for example 17/05/1990.")
        .assert_contains("value=\"Ayşe\"")
        .assert_contains("value=\"31.02.1990\"")
        .assert_contains("vesikalık.jpg");
    // Nothing of the section was stored, but the photo is among the documents.
    let user = app
        .app
        .store
        .user_by_email_key("pages@example.com")
        .await
        .unwrap()
        .unwrap();
    assert!(
        app.app
            .store
            .profile(user.id)
            .await
            .unwrap()
            .personal
            .first_name
            .is_none()
    );
    let documents = app.app.store.documents(user.id).await.unwrap();
    assert_eq!(documents.len(), 1);
    let photo_id = documents[0].document.id.to_string();
    assert!(
        refused.body.contains(&format!("value=\"{photo_id}\"")),
        "the kept photo is carried in the form"
    );

    let saved = browser
        .post_multipart(
            &action,
            &[
                Part::Text("csrf", &token),
                Part::Text("first_name", "Ayşe"),
                Part::Text("last_name", "Yılmaz"),
                Part::Text("date_of_birth", "1990-02-28"),
                Part::Text("marital_status", "single"),
                Part::Text("photo_document_id", &photo_id),
                Part::File {
                    name: "photo_document_id_file",
                    file_name: "",
                    content_type: "application/octet-stream",
                    bytes: b"",
                },
            ],
            &[],
        )
        .await;
    saved.assert_redirect("/profile/personal?saved=1");
    let page = browser.get("/profile/personal?saved=1").await;
    page.assert_contains("Saved.")
        .assert_contains("Next: Contact Information")
        .assert_contains("value=\"28/02/1990\"")
        .assert_contains("vesikalık.jpg");
    // The contact form is a plain form: its anti-forgery token travels in the body.
    let contact = browser.get("/profile/contact").await;
    contact
        .assert_contains("pages@example.com")
        .assert_contains("readonly");
    let csrf = contact.csrf();
    browser
        .post_form(
            "/profile/contact",
            &[
                ("csrf", &csrf),
                ("phone", "+49 30 901820"),
                ("address", "Unter den Linden 1, 10117 Berlin"),
            ],
        )
        .await
        .assert_redirect("/profile/contact?saved=1");
    let overview = browser.get("/profile").await;
    overview.assert_contains("Complete");
    let mut turkish = app.browser();
    turkish.cookies = browser.cookies.clone();
    turkish.cookies.insert("izin_lang".into(), "tr".into());
    turkish
        .get("/profile/education")
        .await
        .assert_contains("Eğitim Bilgileri")
        .assert_contains("Değişiklikleri Temizle")
        .assert_contains("Tatarca");
}

async fn the_passport_names_its_country_of_issue(app: TestApp) {
    let bearer = app.api_user("issued@example.com").await;
    let mut client = app.browser();
    let scan = uploaded_id(
        &mut client,
        &bearer,
        "passport",
        "p.pdf",
        "application/pdf",
        &fixtures::minimal_pdf(),
    )
    .await;
    let missing = |completeness: &Value| completeness["sections"][2]["missing"].clone();
    // Without it (as before it was asked): saved, read back as null, and the section is
    // incomplete, naming it.
    let mut without = passport(&scan);
    without.as_object_mut().unwrap().remove("issuing_country");
    client
        .api(Method::PUT, "/api/v1/me/passport", &bearer, Some(without))
        .await
        .assert_status(StatusCode::OK);
    let stored = client
        .api(Method::GET, "/api/v1/me/passport", &bearer, None)
        .await
        .json();
    assert!(stored["issuing_country"].is_null(), "{stored}");
    let completeness = client
        .api(Method::GET, "/api/v1/me/completeness", &bearer, None)
        .await
        .json();
    assert_eq!(missing(&completeness), json!(["issuing_country"]));
    // With a code of the reference list, in any case: stored upper-case, section complete.
    let mut with = passport(&scan);
    with["issuing_country"] = json!("aze");
    let saved = client
        .api(Method::PUT, "/api/v1/me/passport", &bearer, Some(with))
        .await;
    saved.assert_status(StatusCode::OK);
    assert_eq!(saved.json()["issuing_country"], "AZE");
    let completeness = client
        .api(Method::GET, "/api/v1/me/completeness", &bearer, None)
        .await
        .json();
    assert_eq!(missing(&completeness), json!([]));
    // A code that is not a country is refused and nothing is stored.
    for bad in ["XXX", "Germany"] {
        let mut refused = passport(&scan);
        refused["issuing_country"] = json!(bad);
        refused["passport_number"] = json!("Z9999999");
        let page = client
            .api(Method::PUT, "/api/v1/me/passport", &bearer, Some(refused))
            .await;
        assert_eq!(
            fields(&page),
            [("issuing_country".to_owned(), "country-unknown".to_owned())],
            "{bad}"
        );
    }
    let stored = client
        .api(Method::GET, "/api/v1/me/passport", &bearer, None)
        .await
        .json();
    assert_eq!(stored["issuing_country"], "AZE");
    assert_eq!(stored["passport_number"], "C01X00T47");

    // The Passport Information page asks for it with a searchable list, as a required field.
    app.advance(time::Duration::minutes(2));
    let mut browser = app.browser();
    browser.sign_in("issued@example.com").await;
    let page = browser.get("/profile/passport").await;
    page.assert_status(StatusCode::OK)
        .assert_contains("<label for=\"issuing_country\">Country of Issue of Passport</label>")
        .assert_contains("<select id=\"issuing_country\" name=\"issuing_country\" data-searchable")
        .assert_contains("<option value=\"AZE\" selected>Azerbaijan</option>");
    let action = "/profile/passport";
    let refused = browser
        .post_multipart(
            action,
            &[
                Part::Text("csrf", &page.csrf()),
                Part::Text("passport_type", "ordinary"),
                Part::Text("passport_number", "C01X00T47"),
                Part::Text("issuing_country", "QQQ"),
                Part::Text("expiry_date", "31/01/2030"),
                Part::Text("scan_document_id", &scan),
            ],
            &[],
        )
        .await;
    refused
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("href=\"#issuing_country\"")
        .assert_contains("Choose a country from the list.");
    browser
        .post_multipart(
            action,
            &[
                Part::Text("csrf", &page.csrf()),
                Part::Text("passport_type", "ordinary"),
                Part::Text("passport_number", "C01X00T47"),
                Part::Text("issuing_country", "DEU"),
                Part::Text("expiry_date", "31/01/2030"),
                Part::Text("scan_document_id", &scan),
            ],
            &[],
        )
        .await
        .assert_redirect("/profile/passport?saved=1");
    let stored = client
        .api(Method::GET, "/api/v1/me/passport", &bearer, None)
        .await
        .json();
    assert_eq!(stored["issuing_country"], "DEU");
}

/// Issue 8.10: control characters were silently dropped and direction overrides (which can make
/// a value read differently in an officer's view) were stored. Both are now refused, saying
/// which character, through the API and the pages, and nothing is stored.
async fn free_text_with_hidden_characters_is_refused_saying_where(app: TestApp) {
    let bearer = app.api_user("hidden@example.com").await;
    let mut client = app.browser();
    let cases = [
        (
            "Kızılay\u{0} Mh. Atatürk Blv. No: 5",
            "text-control-character",
            "8",
            "control character",
        ),
        (
            "Kızılay Mh. \u{1b}[2J Atatürk Blv. 5",
            "text-control-character",
            "13",
            "control character",
        ),
        (
            "Atatürk Blv. No: \u{202E}5 .hM yalızıK",
            "text-direction-override",
            "18",
            "text-direction override",
        ),
        (
            "Atatürk Blv. \u{2067}No: 5\u{2069} Ankara",
            "text-direction-override",
            "14",
            "text-direction override",
        ),
    ];
    for (address, code, position, message) in cases {
        let mut body = contact();
        body["address"] = json!(address);
        let refused = client
            .api(Method::PUT, "/api/v1/me/contact", &bearer, Some(body))
            .await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let problem = refused.json();
        let field = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == "address")
            .unwrap_or_else(|| panic!("no address entry in {problem}"));
        assert_eq!(field["code"], code, "{problem}");
        let text = field["message"].as_str().unwrap();
        assert!(text.contains(message) && text.contains(position), "{text}");
        let stored = client
            .api(Method::GET, "/api/v1/me/contact", &bearer, None)
            .await;
        assert!(
            stored.status != StatusCode::OK || stored.json()["address"].is_null(),
            "stored after refusal: {}",
            stored.body
        );
    }
    // Line breaks and tabs, and right-to-left text with its direction marks, are kept as typed.
    let mut body = contact();
    let kept = "شارع الاستقلال \u{200F}رقم 5\nKızılay\tAnkara";
    body["address"] = json!(kept);
    let saved = client
        .api(Method::PUT, "/api/v1/me/contact", &bearer, Some(body))
        .await;
    saved.assert_status(StatusCode::OK);
    assert_eq!(saved.json()["address"], kept);

    // The page says the same in the person's language and keeps what was typed.
    let mut browser = app.browser();
    browser.sign_in("hidden-pages@example.com").await;
    let form = browser.get("/profile/contact").await;
    let refused = browser
        .post_form(
            "/profile/contact",
            &[
                ("csrf", &form.csrf()),
                ("phone", "+49 30 901820"),
                ("address", "Unter den Linden 1,\u{0} 10117 Berlin"),
            ],
        )
        .await;
    refused
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("invisible control character (character 20)")
        .assert_contains("+49 30 901820");
    let after = browser.get("/profile/contact").await;
    assert!(!after.body.contains("10117 Berlin"), "stored after refusal");
}
