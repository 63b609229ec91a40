//! The passport and consulate-reference ways in through the API, on both databases: the same
//! answer whether or not anything matched, the outcome only after the code, the account of the
//! address reached, and the passport identity kept as declared.

use crate::applications::{PASSPORT, REFERENCE, registry};
use crate::harness::{Browser, Page, TestApp};
use axum::http::StatusCode;
use izin_domain::ways_in::Declaration;
use serde_json::{Value, json};

crate::on_both_databases!(
    a_passport_in_turkiye_reaches_the_account_of_the_address_and_is_kept_as_declared,
    a_passport_not_in_turkiye_gets_the_same_answer_and_is_refused_after_the_code,
    a_reference_abroad_signs_in_only_with_its_passport_and_birth_year,
    declared_fields_are_checked_and_codes_are_throttled_per_address_and_client,
);

/// Asks for a code the declared way; the answer must be 202 with a challenge.
async fn ask(client: &mut Browser<'_>, path: &str, body: Value) -> String {
    let sent = client.post_json(path, body, &[]).await;
    sent.assert_status(StatusCode::ACCEPTED);
    let answer = sent.json();
    let mut keys: Vec<&str> = answer
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    // The same shape whatever the registry said.
    assert_eq!(
        keys,
        [
            "challenge",
            "email",
            "expires_in_seconds",
            "resend_after_seconds"
        ]
    );
    answer["challenge"].as_str().expect("challenge").to_owned()
}

async fn verify(app: &TestApp, client: &mut Browser<'_>, email: &str, challenge: &str) -> Page {
    let code = app.code_for(email).await;
    client
        .post_json(
            "/api/v1/auth/email-code/verify",
            json!({ "challenge": challenge, "code": code }),
            &[],
        )
        .await
}

async fn declared(app: &TestApp, user_id: &str) -> Option<Declaration> {
    let id = uuid::Uuid::parse_str(user_id).expect("a user id");
    app.app
        .store
        .declared_identity(id)
        .await
        .expect("read")
        .map(|(declaration, _)| declaration)
}

async fn a_passport_in_turkiye_reaches_the_account_of_the_address_and_is_kept_as_declared(
    app: TestApp,
) {
    app.import_registry(registry()).await;
    // The person first signed up with their address alone.
    let bearer = app.api_user("holder@example.com").await;
    let mut client = app.browser();
    let me = client
        .api(axum::http::Method::GET, "/api/v1/me", &bearer, None)
        .await;
    let user_id = me.json()["id"].as_str().expect("id").to_owned();
    assert_eq!(declared(&app, &user_id).await, None);

    app.advance(time::Duration::minutes(2));
    let mut client = app.browser();
    let challenge = ask(
        &mut client,
        "/api/v1/auth/passport",
        json!({"passport_number": PASSPORT.to_lowercase(), "passport_country": "deu",
               "birth_year": 1995, "email": "Holder@Example.com"}),
    )
    .await;
    let signed_in = verify(&app, &mut client, "holder@example.com", &challenge).await;
    signed_in.assert_status(StatusCode::OK);
    let body = signed_in.json();
    assert_eq!(body["account_created"], false, "the address's own account");
    assert_eq!(body["user"]["id"], user_id.as_str());
    let Some(Declaration::Passport(passport)) = declared(&app, &user_id).await else {
        panic!("the passport is kept as declared");
    };
    assert_eq!(passport.passport_number.as_str(), PASSPORT);
    assert_eq!(passport.birth_year, 1995);
    let actions = app.audit_actions(&format!("user:{user_id}")).await;
    assert!(
        actions.iter().any(|a| a == "account.identity_declared"),
        "{actions:?}"
    );
}

async fn a_passport_not_in_turkiye_gets_the_same_answer_and_is_refused_after_the_code(
    app: TestApp,
) {
    app.import_registry(registry()).await;
    // C03456789 (AZE, 1987) left Türkiye on 2026-10-28; PASSPORT was born in 1995, not 1990.
    for (n, (passport, country, birth_year)) in [
        ("C03456789", "AZE", 1987),
        (PASSPORT, "DEU", 1990),
        (PASSPORT, "FRA", 1995),
    ]
    .into_iter()
    .enumerate()
    {
        // A new client each time: the last one is signed in by e-mail.
        let mut client = app.browser();
        let email = format!("stranger{n}@example.com");
        let challenge = ask(
            &mut client,
            "/api/v1/auth/passport",
            json!({"passport_number": passport, "passport_country": country,
                   "birth_year": birth_year, "email": email}),
        )
        .await;
        let refused = verify(&app, &mut client, &email, &challenge).await;
        refused.assert_status(StatusCode::FORBIDDEN);
        assert_eq!(refused.json()["code"], "declaration-not-matched");
        assert!(
            refused
                .set_cookies()
                .iter()
                .all(|c| !c.starts_with("izin_session=")),
            "no session"
        );
        // The code is used up, and no account was made for the address.
        let again = verify(&app, &mut client, &email, &challenge).await;
        again.assert_status(StatusCode::UNAUTHORIZED);
        app.advance(time::Duration::minutes(2));
        let sent = client
            .post_json("/api/v1/auth/email-code", json!({ "email": email }), &[])
            .await;
        sent.assert_status(StatusCode::ACCEPTED);
        let challenge = sent.json()["challenge"]
            .as_str()
            .expect("challenge")
            .to_owned();
        let first = verify(&app, &mut client, &email, &challenge).await;
        first.assert_status(StatusCode::OK);
        assert_eq!(first.json()["account_created"], true);
    }
}

async fn a_reference_abroad_signs_in_only_with_its_passport_and_birth_year(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let challenge = ask(
        &mut client,
        "/api/v1/auth/reference",
        json!({"reference_number": REFERENCE, "passport_number": PASSPORT,
               "birth_year": 1994, "email": "abroad@example.com"}),
    )
    .await;
    let refused = verify(&app, &mut client, "abroad@example.com", &challenge).await;
    refused.assert_status(StatusCode::FORBIDDEN);

    app.advance(time::Duration::minutes(2));
    let challenge = ask(
        &mut client,
        "/api/v1/auth/reference",
        json!({"reference_number": REFERENCE.to_lowercase(), "passport_number": PASSPORT,
               "birth_year": 1995, "email": "abroad@example.com"}),
    )
    .await;
    let signed_in = verify(&app, &mut client, "abroad@example.com", &challenge).await;
    signed_in.assert_status(StatusCode::OK);
    assert_eq!(signed_in.json()["account_created"], true);
    let user_id = signed_in.json()["user"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let Some(Declaration::Reference(reference)) = declared(&app, &user_id).await else {
        panic!("the reference is kept as declared");
    };
    assert_eq!(reference.reference_number.as_str(), REFERENCE);
}

async fn declared_fields_are_checked_and_codes_are_throttled_per_address_and_client(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let invalid = client
        .post_json(
            "/api/v1/auth/passport",
            json!({"passport_number": "U1", "passport_country": "XXX",
                   "birth_year": 1850, "email": "not-an-address"}),
            &[],
        )
        .await;
    invalid.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields: Vec<String> = invalid.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        ["birth_year", "email", "passport_country", "passport_number"]
    );
    assert_eq!(
        app.mails().len(),
        0,
        "nothing is sent for a refused request"
    );

    // A second code for the same address from the same client within a minute is refused,
    // whichever way it is asked for — and another person's passport does not matter.
    ask(
        &mut client,
        "/api/v1/auth/reference",
        json!({"reference_number": REFERENCE, "passport_number": PASSPORT,
               "birth_year": 1995, "email": "hurry@example.com"}),
    )
    .await;
    let too_soon = client
        .post_json(
            "/api/v1/auth/passport",
            json!({"passport_number": PASSPORT, "passport_country": "DEU",
                   "birth_year": 1995, "email": "hurry@example.com"}),
            &[],
        )
        .await;
    too_soon.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(too_soon.json()["code"], "code-too-soon");
    // The same passport for another address is not held back by it.
    ask(
        &mut client,
        "/api/v1/auth/passport",
        json!({"passport_number": PASSPORT, "passport_country": "DEU",
               "birth_year": 1995, "email": "other@example.com"}),
    )
    .await;
}
