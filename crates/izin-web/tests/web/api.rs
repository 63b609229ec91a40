//! The JSON API: the same sign-in through `/api/v1`, its errors as problem documents, and the
//! OpenAPI description.

use crate::harness::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::json;
use time::Duration;

crate::on_both_databases!(
    a_client_signs_up_and_reads_me_with_the_token,
    wrong_and_malformed_codes_are_problems,
    code_requests_are_throttled_with_retry_after,
    bad_bodies_get_problem_documents,
    logout_revokes_the_token,
    cookie_sessions_need_the_csrf_header_on_the_api,
    a_stranger_who_knows_an_address_cannot_lock_its_owner_out,
    malformed_addresses_are_problems_and_pages_never_plain_text,
);

async fn a_client_signs_up_and_reads_me_with_the_token(app: TestApp) {
    let mut client = app.browser();
    let accepted = client
        .post_json(
            "/api/v1/auth/email-code",
            json!({"email": "API@example.com"}),
            &[],
        )
        .await;
    accepted.assert_status(StatusCode::ACCEPTED);
    assert_eq!(accepted.json()["expires_in_seconds"], 600);
    let challenge = accepted.json()["challenge"].as_str().unwrap().to_owned();
    assert_eq!(challenge.len(), 22);
    let code = app.code_for("api@example.com").await;
    let mut fresh = app.browser();
    let verified = fresh
        .post_json(
            "/api/v1/auth/email-code/verify",
            json!({"challenge": challenge, "email": "api@example.com", "code": code}),
            &[],
        )
        .await;
    verified.assert_status(StatusCode::OK);
    let body = verified.json();
    let token = body["token"].as_str().unwrap().to_owned();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["account_created"], true);
    assert_eq!(
        body["user"]["email"], "API@example.com",
        "kept as typed when the first code was asked for"
    );
    assert!(
        fresh.cookie("izin_session").is_some(),
        "the session cookie is set too"
    );

    let mut bearer = app.browser();
    let me = bearer
        .send(
            Method::GET,
            "/api/v1/me",
            None,
            Vec::new(),
            &[("authorization", &format!("Bearer {token}"))],
        )
        .await;
    me.assert_status(StatusCode::OK);
    assert_eq!(me.json()["email"], "API@example.com");
    assert_eq!(me.json()["language"], "en");
    assert_eq!(me.header("cache-control"), "no-store");

    let anonymous = app.browser().get("/api/v1/me").await;
    anonymous.assert_status(StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.header("content-type"), "application/problem+json");
    assert_eq!(anonymous.json()["code"], "unauthenticated");
    let garbage = app
        .browser()
        .send(
            Method::GET,
            "/api/v1/me",
            None,
            Vec::new(),
            &[("authorization", "Bearer nonsense")],
        )
        .await;
    garbage.assert_status(StatusCode::UNAUTHORIZED);
}

async fn wrong_and_malformed_codes_are_problems(app: TestApp) {
    let mut client = app.browser().with_header("accept-language", "tr");
    let sent = client
        .post_json(
            "/api/v1/auth/email-code",
            json!({"email": "kod@example.com"}),
            &[],
        )
        .await;
    sent.assert_status(StatusCode::ACCEPTED);
    let challenge = sent.json()["challenge"].as_str().unwrap().to_owned();
    let code = app.code_for("kod@example.com").await;
    let wrong = format!("{}{}", &code[..5], (code.as_bytes()[5] - b'0' + 1) % 10);
    let refused = client
        .post_json(
            "/api/v1/auth/email-code/verify",
            json!({"challenge": challenge, "email": "kod@example.com", "code": wrong}),
            &[],
        )
        .await;
    refused.assert_status(StatusCode::UNAUTHORIZED);
    let problem = refused.json();
    assert_eq!(problem["code"], "code-wrong");
    assert_eq!(
        problem["title"],
        "Kod doğru değil. 4 deneme hakkınız kaldı."
    );
    let malformed = client
        .post_json(
            "/api/v1/auth/email-code/verify",
            json!({"challenge": challenge, "email": "kod@example", "code": "12"}),
            &[],
        )
        .await;
    malformed.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(malformed.json()["errors"][0]["field"], "email");
    assert_eq!(malformed.json()["errors"][0]["code"], "email-bad-domain");
    let short = client
        .post_json(
            "/api/v1/auth/email-code/verify",
            json!({"challenge": challenge, "email": "kod@example.com", "code": "12"}),
            &[],
        )
        .await;
    assert_eq!(short.json()["errors"][0]["field"], "code");
    assert_eq!(
        short.json()["errors"][0]["message"],
        "Kod tam olarak 6 rakamdan oluşur. Kontrol edip yeniden deneyin."
    );
}

async fn code_requests_are_throttled_with_retry_after(app: TestApp) {
    let mut client = app.browser();
    client
        .post_json(
            "/api/v1/auth/email-code",
            json!({"email": "fast@example.com"}),
            &[],
        )
        .await
        .assert_status(StatusCode::ACCEPTED);
    app.advance(Duration::seconds(15));
    let throttled = client
        .post_json(
            "/api/v1/auth/email-code",
            json!({"email": "fast@example.com"}),
            &[],
        )
        .await;
    throttled.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(throttled.header("retry-after"), "45");
    assert_eq!(throttled.json()["code"], "code-too-soon");
    assert_eq!(throttled.json()["retry_after"], 45);
    // Ten codes an hour per address.
    for _ in 0..9 {
        app.advance(Duration::minutes(1));
        client
            .post_json(
                "/api/v1/auth/email-code",
                json!({"email": "fast@example.com"}),
                &[],
            )
            .await
            .assert_status(StatusCode::ACCEPTED);
    }
    app.advance(Duration::minutes(1));
    let hourly = client
        .post_json(
            "/api/v1/auth/email-code",
            json!({"email": "fast@example.com"}),
            &[],
        )
        .await;
    hourly.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(hourly.json()["code"], "code-hourly-limit");
}

async fn bad_bodies_get_problem_documents(app: TestApp) {
    let mut client = app.browser();
    let cases: Vec<(Option<&str>, Vec<u8>, StatusCode, &str)> = vec![
        (
            Some("application/json"),
            b"{not json".to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid-json",
        ),
        (
            Some("application/json"),
            br#"{"email":"a@example.com"} trailing"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid-json",
        ),
        (
            Some("application/json"),
            br#"{"email":"a@example.com","admin":true}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
        (
            Some("application/json"),
            br#"{"email":42}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
        (
            Some("application/json"),
            br#"{}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
        (
            Some("text/plain"),
            br#"{"email":"a@example.com"}"#.to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
        ),
        (
            None,
            br#"{"email":"a@example.com"}"#.to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
        ),
        (
            Some("application/json"),
            format!(r#"{{"email":"{}"}}"#, "a".repeat(200 * 1024)).into_bytes(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload-too-large",
        ),
    ];
    for (content_type, body, status, code) in cases {
        let page = client
            .send(
                Method::POST,
                "/api/v1/auth/email-code",
                content_type,
                body,
                &[],
            )
            .await;
        page.assert_status(status);
        assert_eq!(
            page.header("content-type"),
            "application/problem+json",
            "{}",
            page.body
        );
        assert_eq!(page.json()["code"], code, "{}", page.body);
        assert_eq!(page.json()["status"], status.as_u16());
    }
    // A body of the wrong shape names the field and says what to send, without parser jargon.
    let shape = |body: &[u8]| body.to_vec();
    for (body, field, code, says) in [
        (
            shape(br#"{"email":42}"#),
            "email",
            "field-wrong-type",
            "text",
        ),
        (
            shape(br#"{"email":"a@example.com","admin":true}"#),
            "admin",
            "field-unknown",
            "not part of this call",
        ),
        (shape(br#"{}"#), "email", "field-required", "required"),
        // Serde would read `["a@example.com"]` by position; every body here is an object.
        (
            shape(br#"["a@example.com"]"#),
            "body",
            "field-wrong-type",
            "object",
        ),
        (shape(br#"[null]"#), "body", "field-wrong-type", "object"),
    ] {
        let answer = client
            .send(
                Method::POST,
                "/api/v1/auth/email-code",
                Some("application/json"),
                body,
                &[],
            )
            .await
            .json();
        assert_eq!(answer["errors"][0]["field"], field, "{answer}");
        assert_eq!(answer["errors"][0]["code"], code, "{answer}");
        let message = answer["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{answer}");
        assert!(
            !message.contains("invalid type") && !message.contains("line 1"),
            "no parser jargon: {answer}"
        );
    }
    let missing = client.get("/api/v1/nothing-here").await;
    missing.assert_status(StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["code"], "not-found");
    let wrong_method = client
        .send(Method::DELETE, "/api/v1/me", None, Vec::new(), &[])
        .await;
    wrong_method.assert_status(StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.json()["code"], "method-not-allowed");
}

async fn logout_revokes_the_token(app: TestApp) {
    let mut client = app.browser();
    let sent = client
        .post_json(
            "/api/v1/auth/email-code",
            json!({"email": "out@example.com"}),
            &[],
        )
        .await;
    let challenge = sent.json()["challenge"].as_str().unwrap().to_owned();
    let code = app.code_for("out@example.com").await;
    let token = client
        .post_json(
            "/api/v1/auth/email-code/verify",
            json!({"challenge": challenge, "code": code}),
            &[],
        )
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let auth = format!("Bearer {token}");
    let mut api = app.browser();
    api.send(
        Method::POST,
        "/api/v1/auth/logout",
        None,
        Vec::new(),
        &[("authorization", &auth)],
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    let after = api
        .send(
            Method::GET,
            "/api/v1/me",
            None,
            Vec::new(),
            &[("authorization", &auth)],
        )
        .await;
    after.assert_status(StatusCode::UNAUTHORIZED);
    assert_eq!(after.json()["code"], "session-expired");
}

async fn cookie_sessions_need_the_csrf_header_on_the_api(app: TestApp) {
    let mut browser = app.browser();
    let panel = browser.sign_in("cookie@example.com").await;
    browser
        .get("/api/v1/me")
        .await
        .assert_status(StatusCode::OK);
    let refused = browser
        .send(Method::POST, "/api/v1/auth/logout", None, Vec::new(), &[])
        .await;
    refused.assert_status(StatusCode::FORBIDDEN);
    assert_eq!(refused.json()["code"], "csrf");
    browser
        .send(
            Method::POST,
            "/api/v1/auth/logout",
            None,
            Vec::new(),
            &[("x-csrf-token", &panel.csrf())],
        )
        .await
        .assert_status(StatusCode::NO_CONTENT);
}

async fn a_stranger_who_knows_an_address_cannot_lock_its_owner_out(app: TestApp) {
    let victim_address = "victim@example.com";
    let mut owner = app.browser();
    let sent = owner
        .post_json(
            "/api/v1/auth/email-code",
            json!({"email": victim_address}),
            &[],
        )
        .await;
    sent.assert_status(StatusCode::ACCEPTED);
    let owners_challenge = sent.json()["challenge"].as_str().unwrap().to_owned();
    let code = app.code_for(victim_address).await;

    let mut stranger = app.browser();
    stranger.ip = "198.51.100.23:41000".parse().unwrap();
    // Without a challenge, a code cannot even be tried.
    let bare = stranger
        .post_json(
            "/api/v1/auth/email-code/verify",
            json!({"email": victim_address, "code": "000000"}),
            &[],
        )
        .await;
    bare.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    // The stranger asks for codes for the address (the mails go to the owner) and guesses
    // under those challenges: only their own challenges wear out.
    let mut strangers_challenges = Vec::new();
    let ask = async |stranger: &mut crate::harness::Browser<'_>| {
        app.advance(Duration::minutes(1));
        stranger
            .post_json(
                "/api/v1/auth/email-code",
                json!({"email": victim_address}),
                &[],
            )
            .await
    };
    for minute in 0..5 {
        let asked = ask(&mut stranger).await;
        asked.assert_status(StatusCode::ACCEPTED);
        let challenge = asked.json()["challenge"].as_str().unwrap().to_owned();
        for _ in 0..5 {
            stranger
                .post_json(
                    "/api/v1/auth/email-code/verify",
                    json!({"challenge": challenge, "code": format!("{minute:06}")}),
                    &[],
                )
                .await;
        }
        strangers_challenges.push(challenge);
    }
    // The owner's code, under the owner's challenge, still signs in.
    let signed_in = owner
        .post_json(
            "/api/v1/auth/email-code/verify",
            json!({"challenge": owners_challenge, "code": code}),
            &[],
        )
        .await;
    signed_in.assert_status(StatusCode::OK);
    // The stranger uses up their codes for the hour; the owner can still ask at once.
    for _ in 5..10 {
        ask(&mut stranger).await.assert_status(StatusCode::ACCEPTED);
    }
    ask(&mut stranger)
        .await
        .assert_status(StatusCode::TOO_MANY_REQUESTS);
    // (A fresh client at the owner's address, as after signing out.)
    app.browser()
        .post_json(
            "/api/v1/auth/email-code",
            json!({"email": victim_address}),
            &[],
        )
        .await
        .assert_status(StatusCode::ACCEPTED);
    // One client may try only so many codes an hour.
    let mut tries = 0;
    let limited = loop {
        let answer = stranger
            .post_json(
                "/api/v1/auth/email-code/verify",
                json!({"challenge": strangers_challenges[0], "code": "123456"}),
                &[],
            )
            .await;
        tries += 1;
        if answer.status == StatusCode::TOO_MANY_REQUESTS || tries > 100 {
            break answer;
        }
    };
    limited.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.json()["code"], "code-too-many-attempts");
    assert!(limited.json()["retry_after"].as_i64().unwrap() > 0);
}

async fn malformed_addresses_are_problems_and_pages_never_plain_text(app: TestApp) {
    let bearer = app.api_user("paths@example.com").await;
    let mut client = app.browser();
    let api = client
        .api(
            Method::GET,
            "/api/v1/applications/not-a-uuid",
            &bearer,
            None,
        )
        .await;
    api.assert_status(StatusCode::BAD_REQUEST);
    assert_eq!(api.header("content-type"), "application/problem+json");
    assert_eq!(api.json()["code"], "invalid-path");
    assert_eq!(api.json()["errors"][0]["field"], "id");
    assert!(!api.body.contains("Cannot parse"), "{}", api.body);
    let documents = client
        .api(
            Method::DELETE,
            "/api/v1/applications/01a2beef-0000-7000-8000-000000000000/documents/x",
            &bearer,
            None,
        )
        .await;
    documents.assert_status(StatusCode::BAD_REQUEST);
    assert_eq!(documents.json()["errors"][0]["field"], "document_id");

    // Pages answer with a page in the person's language, with a way back.
    let mut browser = app.browser().with_header("accept-language", "tr");
    app.advance(Duration::minutes(2));
    browser.sign_in("paths@example.com").await;
    let page = browser.get("/applications/not-a-uuid").await;
    page.assert_status(StatusCode::NOT_FOUND);
    assert!(page.header("content-type").starts_with("text/html"));
    page.assert_contains("<html lang=\"tr\">")
        .assert_contains("href=\"/\"");
    let mangled = app.browser().get("/login/code?wait=abc").await;
    assert!(
        mangled.header("content-type").starts_with("text/html") || mangled.status.is_redirection(),
        "{} {}",
        mangled.status,
        mangled.body
    );
    let login = app.browser().get("/login?before=maybe&notice=%ZZ").await;
    assert!(
        login.header("content-type").starts_with("text/html"),
        "{}",
        login.body
    );
}
