//! The domestic place of application rests on the applicant's own entry to Türkiye (security
//! finding: an entry record could be claimed with someone else's passport), on both databases:
//! the passport of User Information with the applicant's year of birth, or a previous passport
//! they declare with a scan, which the officer then sees.

use crate::applications::{PASSPORT, call, codes, ready_internship, upload_other};
use crate::harness::{Browser, Page, Part, TestApp};
use crate::profile::complete_profile;
use axum::http::{Method, StatusCode};
use izin_documents::fixtures;
use serde_json::{Value, json};
use time::Duration;

crate::on_both_databases!(
    someone_elses_passport_is_refused_at_the_place_step,
    the_applicants_own_passport_and_birth_year_confirm_the_entry,
    a_renewed_passport_is_declared_with_a_scan_the_officer_sees,
    the_place_page_shows_the_own_passport_and_takes_a_previous_one,
);

/// The previous passport `PASSPORT`'s holder entered with, before it was renewed.
const PREVIOUS: &str = "P1234567";

/// No residence right: a domestic application rests on an entry. `PASSPORT` (DEU, born 1995)
/// entered three weeks ago, `PREVIOUS` (DEU, born 1995) twelve days ago.
fn registry() -> Value {
    let mut fixture = crate::applications::registry();
    fixture["residence_rights"] = json!([]);
    fixture["border_crossings"] = json!([
        {"passport_number": PASSPORT, "passport_country": "DEU", "birth_year": 1995,
         "direction": "entry", "date": "2026-11-01"},
        {"passport_number": PREVIOUS, "passport_country": "DEU", "birth_year": 1995,
         "direction": "entry", "date": "2026-11-10"}
    ]);
    fixture
}

/// A signed-up user with complete User Information and an internship draft; returns the
/// bearer and the draft's id.
async fn draft(app: &TestApp, client: &mut Browser<'_>, email: &str) -> (String, String) {
    let bearer = app.api_user(email).await;
    complete_profile(app, client, &bearer).await;
    let id = call(
        client,
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
    (bearer, id)
}

/// Replaces some fields of a User Information section.
async fn change(client: &mut Browser<'_>, bearer: &str, section: &str, fields: Value) {
    let path = format!("/api/v1/me/{section}");
    let mut body = call(client, Method::GET, &path, bearer, None).await.json();
    body.as_object_mut().unwrap().remove("verified_fields");
    if section == "contact" {
        body.as_object_mut().unwrap().remove("email");
    }
    for (key, value) in fields.as_object().unwrap() {
        body[key] = value.clone();
    }
    call(client, Method::PUT, &path, bearer, Some(body))
        .await
        .assert_status(StatusCode::OK);
}

fn refused(page: &Page) -> Vec<String> {
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    codes(&page.json())
}

fn message(page: &Page) -> String {
    page.json()["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn someone_elses_passport_is_refused_at_the_place_step(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (bearer, id) = draft(&app, &mut client, "probe@example.com").await;
    // The prober's own passport is U7654321 issued by Azerbaijan.
    change(
        &mut client,
        &bearer,
        "passport",
        json!({"passport_number": "U7654321", "issuing_country": "AZE"}),
    )
    .await;
    // The finding's exact request: someone else's passport, whose entry is on record.
    let place = format!("/api/v1/applications/{id}/place");
    let probe =
        json!({"place": "domestic", "passport_number": PASSPORT, "passport_country": "DEU"});
    let page = call(
        &mut client,
        Method::PUT,
        &place,
        &bearer,
        Some(probe.clone()),
    )
    .await;
    assert_eq!(refused(&page), ["passport-not-yours"]);
    assert_eq!(page.json()["errors"][0]["field"], "passport_number");
    let said = message(&page);
    assert!(
        said.contains("U7654321") && said.contains("previous passport"),
        "says which passport is theirs and what to do: {said}"
    );
    let mut turkish = app.browser().with_header("accept-language", "tr");
    let page = call(
        &mut turkish,
        Method::PUT,
        &place,
        &bearer,
        Some(probe.clone()),
    )
    .await;
    assert!(
        message(&page).contains("Bu sizin pasaportunuz değil"),
        "{}",
        page.body
    );
    // Nothing was confirmed.
    let application = call(
        &mut client,
        Method::GET,
        &format!("/api/v1/applications/{id}"),
        &bearer,
        None,
    )
    .await
    .json();
    assert!(application["data"]["place"].is_null(), "{application}");
}

async fn the_applicants_own_passport_and_birth_year_confirm_the_entry(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    // User Information: PASSPORT issued by DEU, born 1995-04-01.
    let (bearer, id) = draft(&app, &mut client, "own@example.com").await;
    let place = format!("/api/v1/applications/{id}/place");
    // The passport need not be typed again; typed, it must be the same.
    for body in [
        json!({"place": "domestic"}),
        json!({"place": "domestic", "passport_number": PASSPORT, "passport_country": "deu"}),
    ] {
        let page = call(&mut client, Method::PUT, &place, &bearer, Some(body)).await;
        page.assert_status(StatusCode::OK);
        let confirmed = &page.json()["data"]["place"];
        assert_eq!(confirmed["passport_number"], PASSPORT);
        assert_eq!(confirmed["passport_country"], "DEU");
        assert_eq!(confirmed["birth_year"], 1995);
        assert_eq!(confirmed["entered_on"], "2026-11-01");
        assert!(confirmed["previous_passport"].is_null());
    }
    // The right number from another country is another passport.
    let page = call(
        &mut client,
        Method::PUT,
        &place,
        &bearer,
        Some(json!({"place": "domestic", "passport_number": PASSPORT, "passport_country": "FRA"})),
    )
    .await;
    assert_eq!(refused(&page), ["passport-not-yours"]);

    // Another year of birth than the entry record's: the confirmed place is outdated, and
    // confirming it again is refused, saying what to check.
    change(
        &mut client,
        &bearer,
        "personal",
        json!({"date_of_birth": "1996-04-01"}),
    )
    .await;
    let preview = call(
        &mut client,
        Method::GET,
        &format!("/api/v1/applications/{id}/preview"),
        &bearer,
        None,
    )
    .await
    .json();
    assert!(
        preview["failures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "rule-place-check-outdated" && f["step"] == "place"),
        "{preview}"
    );
    let page = call(
        &mut client,
        Method::PUT,
        &place,
        &bearer,
        Some(json!({"place": "domestic"})),
    )
    .await;
    assert_eq!(refused(&page), ["passport-not-in-turkiye"]);
    let said = message(&page);
    assert!(
        said.contains(PASSPORT)
            && said.contains("1996")
            && said.contains("date of birth in Personal Information")
            && said.contains("country of issue in Passport Information"),
        "{said}"
    );
    let mut turkish = app.browser().with_header("accept-language", "tr");
    let page = call(
        &mut turkish,
        Method::PUT,
        &place,
        &bearer,
        Some(json!({"place": "domestic"})),
    )
    .await;
    assert!(
        message(&page).contains("1996 doğumlu") && message(&page).contains("doğum tarihinizi"),
        "{}",
        page.body
    );

    // Without a country of issue there is nothing to look the entry up with.
    change(
        &mut client,
        &bearer,
        "personal",
        json!({"date_of_birth": "1995-04-01"}),
    )
    .await;
    change(
        &mut client,
        &bearer,
        "passport",
        json!({"issuing_country": null}),
    )
    .await;
    let page = call(
        &mut client,
        Method::PUT,
        &place,
        &bearer,
        Some(json!({"place": "domestic"})),
    )
    .await;
    assert_eq!(refused(&page), ["entry-needs-profile"]);
    assert!(message(&page).contains("country of issue"), "{}", page.body);
}

async fn a_renewed_passport_is_declared_with_a_scan_the_officer_sees(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let email = "renewed@example.com";
    let (bearer, id) = ready_internship(&app, &mut client, email).await;
    let place = format!("/api/v1/applications/{id}/place");
    let declared = |scan: Option<&str>| {
        json!({"place": "domestic", "previous_passport":
            {"number": PREVIOUS, "country": "deu", "scan_document_id": scan}})
    };
    // The scan is required, and must be one of the applicant's own documents.
    let page = call(
        &mut client,
        Method::PUT,
        &place,
        &bearer,
        Some(declared(None)),
    )
    .await;
    assert_eq!(refused(&page), ["previous-passport-scan-required"]);
    let stranger = app.api_user("stranger@example.com").await;
    let strangers = upload_other(&mut client, &stranger, "their-passport.pdf").await;
    let page = call(
        &mut client,
        Method::PUT,
        &place,
        &bearer,
        Some(declared(Some(&strangers))),
    )
    .await;
    assert_eq!(refused(&page), ["document-not-found"]);
    assert_eq!(
        page.json()["errors"][0]["field"],
        "previous_passport.scan_document_id"
    );
    // The current passport is not a previous one.
    let page = call(
        &mut client,
        Method::PUT,
        &place,
        &bearer,
        Some(json!({"place": "domestic", "previous_passport":
            {"number": PASSPORT, "country": "DEU", "scan_document_id": strangers}})),
    )
    .await;
    assert_eq!(refused(&page), ["previous-passport-is-current"]);

    // A scan of the data page as an image, then the declaration with it.
    let uploaded = client
        .post_multipart(
            "/api/v1/me/documents",
            &[
                Part::Text("kind", "other"),
                Part::File {
                    name: "file",
                    file_name: "eski-pasaport.jpg",
                    content_type: "image/jpeg",
                    bytes: &fixtures::jpeg(800, 600),
                },
            ],
            &[("authorization", &bearer)],
        )
        .await;
    uploaded.assert_status(StatusCode::CREATED);
    let scan = uploaded.json()["id"].as_str().unwrap().to_owned();
    let page = call(
        &mut client,
        Method::PUT,
        &place,
        &bearer,
        Some(declared(Some(&scan))),
    )
    .await;
    page.assert_status(StatusCode::OK);
    let application = call(
        &mut client,
        Method::GET,
        &format!("/api/v1/applications/{id}"),
        &bearer,
        None,
    )
    .await
    .json();
    let confirmed = &application["data"]["place"];
    assert_eq!(confirmed["passport_number"], PREVIOUS, "{application}");
    assert_eq!(confirmed["passport_country"], "DEU");
    assert_eq!(confirmed["entered_on"], "2026-11-10");
    assert_eq!(confirmed["birth_year"], 1995);
    assert_eq!(
        confirmed["previous_passport"],
        json!({"number": PREVIOUS, "country": "DEU", "scan_document_id": scan})
    );
    assert!(
        application["documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"] == scan.as_str()),
        "the scan is one of the application's documents: {application}"
    );

    // Created: the declaration is frozen with the application, and the scan cannot be deleted.
    let submitted = call(
        &mut client,
        Method::POST,
        &format!("/api/v1/applications/{id}/submit"),
        &bearer,
        None,
    )
    .await;
    submitted.assert_status(StatusCode::OK);
    let number = submitted.json()["number"].as_str().unwrap().to_owned();
    let application = call(
        &mut client,
        Method::GET,
        &format!("/api/v1/applications/{id}"),
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(
        application["submitted"]["snapshot"]["data"]["place"]["previous_passport"]["number"],
        PREVIOUS
    );
    call(
        &mut client,
        Method::DELETE,
        &format!("/api/v1/me/documents/{scan}"),
        &bearer,
        None,
    )
    .await
    .assert_status(StatusCode::CONFLICT);

    // The Detail page shows the officer's view of it.
    app.advance(Duration::minutes(2));
    let mut browser = app.browser();
    browser.sign_in(email).await;
    let detail = browser.get(&format!("/applications/{id}")).await;
    detail
        .assert_status(StatusCode::OK)
        .assert_contains(&number)
        .assert_contains(&format!("{PREVIOUS} — Germany"))
        .assert_contains("Previous Passport (declared)")
        .assert_contains("Day of Entry to Türkiye")
        .assert_contains("10/11/2026")
        .assert_contains("eski-pasaport.jpg")
        .assert_contains(&format!("/documents/{scan}/download"));
}

async fn the_place_page_shows_the_own_passport_and_takes_a_previous_one(app: TestApp) {
    app.import_registry(registry()).await;
    let email = "place-page@example.com";
    let mut api = app.browser();
    let bearer = app.api_user(email).await;
    complete_profile(&app, &mut api, &bearer).await;
    app.advance(Duration::minutes(2));
    let mut browser = app.browser();
    browser.sign_in(email).await;

    // The passport of User Information is shown, not asked for; the previous passport's
    // fields are in the page (scripts hide them until the box is ticked).
    let start = browser.get("/applications/new").await;
    start
        .assert_status(StatusCode::OK)
        .assert_contains("enctype=\"multipart/form-data\"")
        .assert_contains(&format!("data-own-passport-number>{PASSPORT}<"))
        .assert_contains("Germany")
        .assert_contains("<dd>1995</dd>")
        .assert_contains("name=\"previous_passport\" value=\"yes\"")
        .assert_contains("data-show-when=\"previous_passport=yes\"")
        .assert_contains("name=\"previous_passport_scan_document_id_file\"")
        .assert_contains("I entered Türkiye with a previous passport");
    assert!(
        !start.body.contains("name=\"passport_number\""),
        "nothing to type again"
    );

    // Someone else's passport sent with the form is refused like in the API.
    let probe = browser
        .post_form(
            "/applications/new",
            &[
                ("csrf", &start.csrf()),
                ("place", "domestic"),
                ("passport_number", "U7654321"),
                ("passport_country", "AZE"),
            ],
        )
        .await;
    probe
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("This is not your passport")
        .assert_contains("href=\"#passport_number\"");

    // A previous passport without its scan: refused, what was typed stays.
    let refused = browser
        .post_multipart(
            "/applications/new",
            &[
                Part::Text("csrf", &start.csrf()),
                Part::Text("place", "domestic"),
                Part::Text("previous_passport", "yes"),
                Part::Text("previous_passport_number", PREVIOUS),
                Part::Text("previous_passport_country", "DEU"),
                Part::Text("previous_passport_scan_document_id", ""),
                Part::File {
                    name: "previous_passport_scan_document_id_file",
                    file_name: "",
                    content_type: "application/octet-stream",
                    bytes: b"",
                },
            ],
            &[],
        )
        .await;
    refused
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("Upload a scan of the previous passport&#39;s data page")
        .assert_contains("href=\"#previous_passport_scan_document_id\"")
        .assert_contains(&format!("value=\"{PREVIOUS}\""))
        .assert_contains("name=\"previous_passport\" value=\"yes\" checked");

    // With the scan: the draft starts, resting on the previous passport's entry.
    let created = browser
        .post_multipart(
            "/applications/new",
            &[
                Part::Text("csrf", &start.csrf()),
                Part::Text("place", "domestic"),
                Part::Text("previous_passport", "yes"),
                Part::Text("previous_passport_number", PREVIOUS),
                Part::Text("previous_passport_country", "DEU"),
                Part::Text("previous_passport_scan_document_id", ""),
                Part::File {
                    name: "previous_passport_scan_document_id_file",
                    file_name: "old-passport.pdf",
                    content_type: "application/pdf",
                    bytes: &fixtures::minimal_pdf(),
                },
            ],
            &[],
        )
        .await;
    created.assert_status(StatusCode::SEE_OTHER);
    let location = created.location().to_owned();
    let id = location
        .trim_start_matches("/applications/")
        .trim_end_matches("/category")
        .to_owned();
    let page = browser.get(&format!("/applications/{id}/place")).await;
    page.assert_contains(
        "Confirmed: your entry to Türkiye with your previous passport P1234567 was found.",
    )
    .assert_contains("name=\"previous_passport\" value=\"yes\" checked")
    .assert_contains("old-passport.pdf");
    let application = call(
        &mut api,
        Method::GET,
        &format!("/api/v1/applications/{id}"),
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(
        application["data"]["place"]["previous_passport"]["number"], PREVIOUS,
        "{application}"
    );

    // Unticked again (without scripts the fields still show, and are ignored): the entry is
    // looked up with the passport of User Information.
    let saved = browser
        .post_multipart(
            &format!("/applications/{id}/place"),
            &[
                Part::Text("csrf", &page.csrf()),
                Part::Text("place", "domestic"),
                Part::Text("previous_passport_number", PREVIOUS),
                Part::Text("previous_passport_country", "DEU"),
                Part::File {
                    name: "previous_passport_scan_document_id_file",
                    file_name: "",
                    content_type: "application/octet-stream",
                    bytes: b"",
                },
            ],
            &[],
        )
        .await;
    saved.assert_redirect(&format!("/applications/{id}/category"));
    let application = call(
        &mut api,
        Method::GET,
        &format!("/api/v1/applications/{id}"),
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(application["data"]["place"]["passport_number"], PASSPORT);
    assert!(application["data"]["place"]["previous_passport"].is_null());
}
