//! The domestic place of application rests on the applicant's own entry to Türkiye (security
//! finding: an entry record could be claimed with someone else's passport), on both databases.

use crate::applications::{PASSPORT, call};
use crate::harness::TestApp;
use crate::profile::complete_profile;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

crate::on_both_databases!(someone_elses_passport_is_refused_at_the_place_step);

/// No residence right: a domestic application rests on an entry. `PASSPORT` (DEU, born 1995)
/// entered three weeks ago.
fn registry() -> Value {
    json!({
        "residence_rights": [],
        "border_crossings": [
            {"passport_number": PASSPORT, "passport_country": "DEU", "birth_year": 1995,
             "direction": "entry", "date": "2026-11-01"}
        ]
    })
}

/// A signed-up user with complete User Information and an internship draft; returns the
/// bearer and the draft's place address.
async fn draft(
    app: &TestApp,
    client: &mut crate::harness::Browser<'_>,
    email: &str,
) -> (String, String) {
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

async fn someone_elses_passport_is_refused_at_the_place_step(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (bearer, id) = draft(&app, &mut client, "probe@example.com").await;
    // The prober's own passport is another one.
    let mut own = call(
        &mut client,
        Method::GET,
        "/api/v1/me/passport",
        &bearer,
        None,
    )
    .await
    .json();
    own.as_object_mut().unwrap().remove("verified_fields");
    own["passport_number"] = json!("U7654321");
    call(
        &mut client,
        Method::PUT,
        "/api/v1/me/passport",
        &bearer,
        Some(own),
    )
    .await
    .assert_status(StatusCode::OK);
    // The finding's exact request: someone else's passport, whose entry is on record.
    let probe = call(
        &mut client,
        Method::PUT,
        &format!("/api/v1/applications/{id}/place"),
        &bearer,
        Some(json!({"place": "domestic", "passport_number": PASSPORT, "passport_country": "DEU"})),
    )
    .await;
    assert_eq!(
        probe.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another person's entry was accepted: {}",
        probe.body
    );
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
