//! The wizard's rules as an applicant meets them, through the API and the pages, on both
//! databases: what a category admits, the deadline after entering Türkiye, a pending application
//! said up front, the address for a card or certificate, messages that name what to fix, and
//! warnings recorded for the officer.

use crate::applications::{call, codes, internship_employment, ready_internship, registry};
use crate::harness::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

crate::on_both_databases!(the_occupation_must_fit_the_category,);

fn error_codes_of(problem: &Value, field: &str) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter(|e| e["field"].as_str().is_some_and(|f| f.ends_with(field)))
                .map(|e| e["code"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn the_occupation_must_fit_the_category(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (bearer, id) = ready_internship(&app, &mut client, "occupation@example.com").await;
    let base = format!("/api/v1/applications/{id}");
    let contract = crate::applications::upload_other(&mut client, &bearer, "form.pdf").await;

    // The step refuses an occupation the compulsory internship does not admit.
    let mut manager = internship_employment(&contract);
    manager["occupation_code"] = json!("1219.01");
    let refused = call(
        &mut client,
        Method::PUT,
        &format!("{base}/employment"),
        &bearer,
        Some(manager.clone()),
    )
    .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let problem = refused.json();
    assert_eq!(
        error_codes_of(&problem, "occupation_code"),
        ["occupation-not-for-category"],
        "{problem}"
    );
    let message = problem["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("9901.02"), "{message}");

    // Saved under a category that admits it, then the category changed: "Create My
    // Application" refuses it, pointing at the occupation.
    call(
        &mut client,
        Method::PUT,
        &format!("{base}/category"),
        &bearer,
        Some(json!({"category": "research-and-experience"})),
    )
    .await
    .assert_status(StatusCode::OK);
    call(
        &mut client,
        Method::PUT,
        &format!("{base}/employment"),
        &bearer,
        Some(manager),
    )
    .await
    .assert_status(StatusCode::OK);
    call(
        &mut client,
        Method::PUT,
        &format!("{base}/category"),
        &bearer,
        Some(json!({"category": "compulsory-internship"})),
    )
    .await
    .assert_status(StatusCode::OK);
    let (status, problem) =
        crate::applications::submit_codes(&mut client, &bearer, &id).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        codes(&problem).contains(&"rule-occupation-not-for-category".to_owned()),
        "{problem}"
    );
    let failure = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "rule-occupation-not-for-category")
        .unwrap();
    assert_eq!(failure["field"], "employment.occupation_code");

    // The page offers only the admitted occupation.
    app.advance(time::Duration::minutes(2));
    client.sign_in("occupation@example.com").await;
    let page = client.get(&format!("/applications/{id}/employment")).await;
    page.assert_status(StatusCode::OK);
    assert!(page.body.contains("value=\"9901.02\""), "{}", page.body);
    assert!(!page.body.contains("value=\"1219.01\""), "{}", page.body);
}
