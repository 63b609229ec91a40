//! The back office through the API and its pages, on both databases: officers sign in with an
//! e-mail code and a second factor (wrong, replayed and recovery codes), their sessions are apart
//! from applicants' and end when idle or disabled; an officer of the authority takes an
//! application (one winner), asks for a revision that reopens exactly what was named, the
//! applicant revises, the officer approves (the amounts, an unpublished fee confirmed by an
//! administrator), rejects with a coded reason, and four eyes where the catalogue asks; every
//! route answers 404 to another authority's officer and to applicants, 403 to a missing role.

use crate::applications::{call, internship_employment, ready_internship, registry, upload_other};
use crate::harness::{Browser, TestApp};
use axum::http::{Method, StatusCode};
use izin_app::officers::{Enrolment, add_with_secret};
use izin_domain::Clock;
use izin_domain::audit::{Actor, ClientInfo};
use izin_domain::officer::{Authority, Role, Roles};
use izin_domain::totp::{TotpSecret, step_of};
use serde_json::{Value, json};
use time::Duration;

crate::on_both_databases!(
    officers_sign_in_with_an_email_code_and_a_second_factor,
    officer_and_applicant_sessions_never_cross,
    an_officer_evaluates_asks_for_a_revision_and_approves,
    amounts_due_need_a_published_fee_or_an_administrator,
    a_rejection_tells_the_applicant_why_and_how_to_object,
    four_eyes_where_the_catalogue_asks,
    every_officer_route_refuses_the_wrong_officer,
    the_queue_filters_searches_and_pages,
    officers_work_through_the_pages_and_administrators_manage_officers,
);

/// Adds an officer with a fresh second factor.
pub(crate) async fn officer(
    app: &TestApp,
    email: &str,
    authority: Authority,
    roles: &[Role],
) -> Enrolment {
    add_with_secret(
        app.app.store.as_ref(),
        app.clock.now(),
        email,
        authority,
        Roles::of(roles).expect("roles"),
        TotpSecret::generate(&mut rand::rng()),
        Actor::System,
        &ClientInfo::default(),
    )
    .await
    .expect("officer added")
}

/// The authenticator's code now.
fn totp(app: &TestApp, enrolment: &Enrolment) -> String {
    let step = step_of(app.clock.now());
    format!("{:06}", enrolment.secret.code_at_step(step).expect("code"))
}

/// Asks for an officer's e-mail code: the challenge.
async fn ask_code(app: &TestApp, client: &mut Browser<'_>, email: &str) -> String {
    let sent = client
        .post_json(
            "/api/v1/officer/auth/email-code",
            json!({ "email": email }),
            &[],
        )
        .await;
    sent.assert_status(StatusCode::ACCEPTED);
    let challenge = sent.json()["challenge"]
        .as_str()
        .expect("challenge")
        .to_owned();
    app.deliver_mail().await;
    challenge
}

async fn verify(
    client: &mut Browser<'_>,
    challenge: &str,
    code: &str,
    second: &str,
) -> crate::harness::Page {
    client
        .post_json(
            "/api/v1/officer/auth/verify",
            json!({ "challenge": challenge, "code": code, "totp": second }),
            &[],
        )
        .await
}

/// Signs an officer in through the API: the bearer header value. Moves the clock on by a TOTP
/// step first, so that signing the same officer in again is not a replay.
pub(crate) async fn officer_bearer(app: &TestApp, enrolment: &Enrolment) -> String {
    app.advance(Duration::seconds(31));
    let mut client = app.browser();
    let email = enrolment.officer.email.clone();
    let challenge = ask_code(app, &mut client, &email).await;
    let code = app.code_for(&email).await;
    let signed_in = verify(&mut client, &challenge, &code, &totp(app, enrolment)).await;
    signed_in.assert_status(StatusCode::OK);
    format!(
        "Bearer {}",
        signed_in.json()["token"].as_str().expect("token")
    )
}

/// An applicant's internship, submitted: the applicant's bearer, its id and number.
async fn submitted(
    app: &TestApp,
    client: &mut Browser<'_>,
    email: &str,
) -> (String, String, String) {
    let (bearer, id) = ready_internship(app, client, email).await;
    let number = submit(client, &bearer, &id).await;
    (bearer, id, number)
}

/// Submits the applicant's application `id`; answers its number.
pub(crate) async fn submit(client: &mut Browser<'_>, bearer: &str, id: &str) -> String {
    let answer = call(
        client,
        Method::POST,
        &format!("/api/v1/applications/{id}/submit"),
        bearer,
        None,
    )
    .await;
    answer.assert_status(StatusCode::OK);
    answer.json()["number"].as_str().expect("number").to_owned()
}

/// A Labour officer with `roles`, enrolled as `email`, takes the application `id` and approves
/// it, accepting the fee estimate.
pub(crate) async fn take_and_approve(
    app: &TestApp,
    client: &mut Browser<'_>,
    id: &str,
    email: &str,
    roles: &[Role],
) {
    let enrolment = officer(app, email, Authority::Labour, roles).await;
    let token = officer_bearer(app, &enrolment).await;
    act(client, &token, id, "take", json!({}))
        .await
        .assert_status(StatusCode::OK);
    act(
        client,
        &token,
        id,
        "approve",
        json!({"confirm_estimate": true}),
    )
    .await
    .assert_status(StatusCode::OK);
}

fn officer_path(id: &str, action: &str) -> String {
    if action.is_empty() {
        format!("/api/v1/officer/applications/{id}")
    } else {
        format!("/api/v1/officer/applications/{id}/{action}")
    }
}

pub(crate) async fn act(
    client: &mut Browser<'_>,
    bearer: &str,
    id: &str,
    action: &str,
    body: Value,
) -> crate::harness::Page {
    call(
        client,
        Method::POST,
        &officer_path(id, action),
        bearer,
        Some(body),
    )
    .await
}

/// The newest mail to `email` whose subject names `number`.
pub(crate) fn mail_about(
    app: &TestApp,
    email: &str,
    number: &str,
) -> izin_adapters::mail::StoredMessage {
    app.mails()
        .into_iter()
        .find(|m| m.to.contains(email) && m.subject.contains(number))
        .unwrap_or_else(|| panic!("no mail to {email} about {number}"))
}

async fn officers_sign_in_with_an_email_code_and_a_second_factor(app: TestApp) {
    let enrolment = officer(
        &app,
        "ayse.officer@labour.example",
        Authority::Labour,
        &[Role::Evaluator],
    )
    .await;
    let email = enrolment.officer.email.clone();
    let mut client = app.browser();

    // An address that is no officer's gets the same answer, and no mail.
    let before = app.mails().len();
    ask_code(&app, &mut client, "nobody@labour.example").await;
    assert_eq!(
        app.mails().len(),
        before,
        "no code to an address that is no officer's"
    );

    // The e-mail code alone is not enough; a wrong second factor counts against the code.
    let challenge = ask_code(&app, &mut client, &email).await;
    let code = app.code_for(&email).await;
    let wrong = verify(&mut client, &challenge, &code, "000000").await;
    wrong.assert_status(StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.json()["code"], "second-factor-wrong");
    let empty = verify(&mut client, &challenge, &code, "").await;
    empty.assert_status(StatusCode::UNAUTHORIZED);
    // An applicant's sign-in cannot use the officer's code.
    let crossed = client
        .post_json(
            "/api/v1/auth/email-code/verify",
            json!({ "challenge": challenge, "code": code }),
            &[],
        )
        .await;
    crossed.assert_status(StatusCode::UNAUTHORIZED);
    assert!(
        app.app
            .store
            .user_by_email_key(&email)
            .await
            .unwrap()
            .is_none()
    );

    let signed_in = verify(&mut client, &challenge, &code, &totp(&app, &enrolment)).await;
    signed_in.assert_status(StatusCode::OK);
    // The browser now holds an officer's session cookie; the rest is asked by a new client.
    let mut client = app.browser();
    let body = signed_in.json();
    assert_eq!(body["officer"]["authority"], "labour");
    assert_eq!(body["officer"]["roles"], json!(["evaluator"]));
    // The same code and step again: the code is used, and so is the step.
    let again = verify(&mut client, &challenge, &code, &totp(&app, &enrolment)).await;
    again.assert_status(StatusCode::UNAUTHORIZED);

    // A new code with the authenticator code already used (same 30 s step): refused as replayed.
    app.advance(Duration::seconds(61));
    let used_step = format!(
        "{:06}",
        enrolment
            .secret
            .code_at_step(step_of(app.clock.now()) - 2)
            .unwrap()
    );
    let challenge = ask_code(&app, &mut client, &email).await;
    let code = app.code_for(&email).await;
    let replayed = verify(&mut client, &challenge, &code, &used_step).await;
    replayed.assert_status(StatusCode::UNAUTHORIZED);
    assert!(
        ["second-factor-used", "second-factor-wrong"]
            .contains(&replayed.json()["code"].as_str().unwrap_or_default()),
        "{}",
        replayed.json()
    );

    // A recovery code works once.
    let recovery = enrolment.recovery_codes[0].as_str().to_owned();
    verify(&mut client, &challenge, &code, &recovery)
        .await
        .assert_status(StatusCode::OK);
    let mut client = app.browser();
    app.advance(Duration::seconds(61));
    let challenge = ask_code(&app, &mut client, &email).await;
    let code = app.code_for(&email).await;
    let reused = verify(&mut client, &challenge, &code, &recovery).await;
    reused.assert_status(StatusCode::UNAUTHORIZED);
    assert_eq!(reused.json()["code"], "second-factor-wrong");

    let subject = format!("officer:{}", enrolment.officer.id);
    let actions = app.audit_actions(&subject).await;
    assert!(
        actions.iter().filter(|a| *a == "officer.signed_in").count() >= 2,
        "{actions:?}"
    );
}

async fn officer_and_applicant_sessions_never_cross(app: TestApp) {
    let enrolment = officer(
        &app,
        "mehmet@labour.example",
        Authority::Labour,
        &[Role::Evaluator],
    )
    .await;
    let officer_token = officer_bearer(&app, &enrolment).await;
    let applicant = app.api_user("applicant@example.com").await;
    let mut client = app.browser();

    // An applicant's token is not found on an officer route; an officer's is no applicant's.
    call(
        &mut client,
        Method::GET,
        "/api/v1/officer/applications",
        &applicant,
        None,
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
    call(&mut client, Method::GET, "/api/v1/me", &officer_token, None)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    call(
        &mut client,
        Method::GET,
        "/api/v1/officer/applications",
        &officer_token,
        None,
    )
    .await
    .assert_status(StatusCode::OK);
    // An applicant's browser session does not open the back office's pages.
    let mut browser = app.browser();
    browser.sign_in("browsing@example.com").await;
    browser
        .get("/officer/queue")
        .await
        .assert_redirect("/officer");

    // Fifteen idle minutes end the officer's session.
    app.advance(Duration::minutes(16));
    let ended = call(
        &mut client,
        Method::GET,
        "/api/v1/officer/applications",
        &officer_token,
        None,
    )
    .await;
    ended.assert_status(StatusCode::UNAUTHORIZED);
    assert_eq!(ended.json()["code"], "session-expired");

    // Disabling an officer ends their sessions at once.
    let fresh = officer_bearer(&app, &enrolment).await;
    call(
        &mut client,
        Method::GET,
        "/api/v1/officer/applications",
        &fresh,
        None,
    )
    .await
    .assert_status(StatusCode::OK);
    izin_app::officers::disable(
        app.app.store.as_ref(),
        app.clock.now(),
        &enrolment.officer.email,
        Actor::System,
        &ClientInfo::default(),
    )
    .await
    .expect("disabled");
    call(
        &mut client,
        Method::GET,
        "/api/v1/officer/applications",
        &fresh,
        None,
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
}

async fn an_officer_evaluates_asks_for_a_revision_and_approves(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (applicant, id, number) = submitted(&app, &mut client, "revised@example.com").await;
    let evaluator = officer(
        &app,
        "evaluator@labour.example",
        Authority::Labour,
        &[Role::Evaluator],
    )
    .await;
    let colleague = officer(
        &app,
        "colleague@labour.example",
        Authority::Labour,
        &[Role::Evaluator],
    )
    .await;
    let officer_token = officer_bearer(&app, &evaluator).await;
    let colleague_token = officer_bearer(&app, &colleague).await;

    // The queue lists it; taking it starts the evaluation and tells the applicant.
    let queue = call(
        &mut client,
        Method::GET,
        "/api/v1/officer/applications?status=SUBMITTED",
        &officer_token,
        None,
    )
    .await
    .json();
    assert!(
        queue["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["number"] == number.as_str())
    );
    assert_eq!(queue["counts"]["SUBMITTED"], 1);
    let taken = act(&mut client, &officer_token, &id, "take", json!({})).await;
    taken.assert_status(StatusCode::OK);
    assert_eq!(taken.json()["status"], "UNDER_EVALUATION");
    app.deliver_mail().await;
    assert!(
        mail_about(&app, "revised@example.com", &number)
            .subject
            .contains(&number)
    );
    // One holder: the colleague is told who has it.
    let held = act(&mut client, &colleague_token, &id, "take", json!({})).await;
    held.assert_status(StatusCode::CONFLICT);
    assert_eq!(held.json()["detail"], "evaluator@labour.example");
    // Deciding needs holding it.
    let not_holder = act(&mut client, &colleague_token, &id, "approve", json!({})).await;
    not_holder.assert_status(StatusCode::CONFLICT);
    assert_eq!(not_holder.json()["code"], "officer-not-holder");

    // The evaluation: frozen data, documents, history, what a revision can reopen.
    let evaluation = call(
        &mut client,
        Method::GET,
        &officer_path(&id, ""),
        &officer_token,
        None,
    )
    .await
    .json();
    assert_eq!(evaluation["assigned_to"], "evaluator@labour.example");
    let reopenable: Vec<String> = serde_json::from_value(evaluation["reopenable"].clone()).unwrap();
    assert!(
        reopenable.contains(&"slot:internship-application-form".to_owned()),
        "{reopenable:?}"
    );
    assert!(reopenable.contains(&"profile:passport".to_owned()));
    let document = evaluation["documents"][0]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    let opened = call(&mut client, Method::GET, &document, &officer_token, None).await;
    opened.assert_status(StatusCode::OK);
    assert!(opened.header("content-disposition").starts_with("inline"));
    assert_eq!(opened.header("cache-control"), "no-store");
    assert_eq!(opened.header("x-content-type-options"), "nosniff");
    // The registry answers at submission, each asked again on demand.
    let answers = evaluation["registry_answers"].as_array().unwrap().clone();
    let workplace = answers
        .iter()
        .find(|a| a["registry"] == "workplace")
        .unwrap_or_else(|| panic!("{answers:?}"));
    assert!(!workplace["at_submission"].as_str().unwrap().is_empty());
    let index = workplace["index"].as_u64().unwrap();
    let again = act(
        &mut client,
        &officer_token,
        &id,
        &format!("registry/{index}"),
        json!({}),
    )
    .await;
    again.assert_status(StatusCode::OK);
    assert_eq!(again.json()["found"], true);
    assert!(
        answers.iter().any(|a| a["registry"] == "residence_right"),
        "{answers:?}"
    );
    let reads = app.audit_actions(&format!("application:{id}")).await;
    assert!(
        reads.iter().filter(|a| *a == "officer.read").count() >= 2,
        "{reads:?}"
    );

    // Unknown names to reopen, or none, are refused; the lifecycle refuses approving twice later.
    let invalid = act(
        &mut client,
        &officer_token,
        &id,
        "request-revision",
        json!({"message": "x", "reopen": ["step:place"]}),
    )
    .await;
    invalid.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let revision = act(
        &mut client,
        &officer_token,
        &id,
        "request-revision",
        json!({"message": "Upload the signed internship application form.", "reopen": ["slot:internship-application-form"]}),
    )
    .await;
    revision.assert_status(StatusCode::OK);
    assert_eq!(revision.json()["status"], "REVISION");
    app.deliver_mail().await;
    assert!(
        mail_about(&app, "revised@example.com", &number)
            .text
            .contains("Upload the signed internship application form.")
    );

    // The applicant sees what to change and can change only that.
    let base = format!("/api/v1/applications/{id}");
    let detail = call(&mut client, Method::GET, &base, &applicant, None)
        .await
        .json();
    assert_eq!(detail["status"], "REVISION");
    assert_eq!(detail["decision"]["decision"], "revision");
    assert_eq!(
        detail["decision"]["reopen"],
        json!(["slot:internship-application-form"])
    );
    let contract = upload_other(&mut client, &applicant, "contract-2.pdf").await;
    call(
        &mut client,
        Method::PUT,
        &format!("{base}/employment"),
        &applicant,
        Some(internship_employment(&contract)),
    )
    .await
    .assert_status(StatusCode::CONFLICT);
    let other = upload_other(&mut client, &applicant, "student-id-2.pdf").await;
    call(
        &mut client,
        Method::POST,
        &format!("{base}/documents"),
        &applicant,
        Some(json!({"slot": "student-id", "document_id": other})),
    )
    .await
    .assert_status(StatusCode::CONFLICT);
    let old = detail["data"]["documents"]["internship-application-form"][0]
        .as_str()
        .unwrap()
        .to_owned();
    call(
        &mut client,
        Method::DELETE,
        &format!("{base}/documents/{old}"),
        &applicant,
        None,
    )
    .await
    .assert_status(StatusCode::OK);
    let form = upload_other(&mut client, &applicant, "signed-form.pdf").await;
    call(
        &mut client,
        Method::POST,
        &format!("{base}/documents"),
        &applicant,
        Some(json!({"slot": "internship-application-form", "document_id": form})),
    )
    .await
    .assert_status(StatusCode::OK);
    let resubmitted = call(
        &mut client,
        Method::POST,
        &format!("{base}/revision/submit"),
        &applicant,
        None,
    )
    .await;
    resubmitted.assert_status(StatusCode::OK);
    assert_eq!(resubmitted.json()["version"], 2);

    // The resubmission returns to the officer who asked for it.
    let evaluation = call(
        &mut client,
        Method::GET,
        &officer_path(&id, ""),
        &officer_token,
        None,
    )
    .await
    .json();
    assert_eq!(evaluation["status"], "UNDER_EVALUATION");
    assert_eq!(evaluation["assigned_to"], "evaluator@labour.example");
    assert_eq!(evaluation["versions"].as_array().unwrap().len(), 2);

    // A short internship without a certificate: nothing due, approved directly.
    let approved = act(&mut client, &officer_token, &id, "approve", json!({})).await;
    approved.assert_status(StatusCode::OK);
    assert_eq!(approved.json()["status"], "APPROVAL");
    assert_eq!(approved.json()["amounts"], json!([]));
    let detail = call(&mut client, Method::GET, &base, &applicant, None)
        .await
        .json();
    assert_eq!(detail["status"], "APPROVAL");
    // A decided application: the lifecycle refuses, naming the status.
    let twice = act(
        &mut client,
        &officer_token,
        &id,
        "reject",
        json!({"reason": "conditions-not-met"}),
    )
    .await;
    twice.assert_status(StatusCode::CONFLICT);
    assert_eq!(twice.json()["current_status"], "APPROVAL");
}

async fn amounts_due_need_a_published_fee_or_an_administrator(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    // Six months: the exemption fee for one started year and the valuable paper fee.
    let (applicant, id) =
        crate::payments::six_month_internship(&app, &mut client, "paying@example.com").await;
    let base = format!("/api/v1/applications/{id}");
    call(
        &mut client,
        Method::POST,
        &format!("{base}/submit"),
        &applicant,
        None,
    )
    .await
    .assert_status(StatusCode::OK);
    let evaluator = officer(
        &app,
        "plain@labour.example",
        Authority::Labour,
        &[Role::Evaluator],
    )
    .await;
    let admin = officer(
        &app,
        "chief@labour.example",
        Authority::Labour,
        &[Role::Evaluator, Role::Admin],
    )
    .await;
    let evaluator_token = officer_bearer(&app, &evaluator).await;
    let admin_token = officer_bearer(&app, &admin).await;
    act(&mut client, &evaluator_token, &id, "take", json!({}))
        .await
        .assert_status(StatusCode::OK);
    // 2026's exemption fee is not published: never used silently.
    let refused = act(
        &mut client,
        &evaluator_token,
        &id,
        "approve",
        json!({"confirm_estimate": true}),
    )
    .await;
    refused.assert_status(StatusCode::CONFLICT);
    assert_eq!(refused.json()["code"], "officer-fee-unpublished");
    assert!(refused.json()["title"].as_str().unwrap().contains("2026"));
    // An administrator confirms (audited).
    act(&mut client, &evaluator_token, &id, "release", json!({}))
        .await
        .assert_status(StatusCode::OK);
    act(&mut client, &admin_token, &id, "take", json!({}))
        .await
        .assert_status(StatusCode::OK);
    let approved = act(
        &mut client,
        &admin_token,
        &id,
        "approve",
        json!({"confirm_estimate": true}),
    )
    .await;
    approved.assert_status(StatusCode::OK);
    let body = approved.json();
    assert_eq!(body["status"], "PAYMENT_PENDING");
    let amounts = body["amounts"].as_array().unwrap();
    assert_eq!(amounts.len(), 2);
    assert_eq!(amounts[0]["account_code"], "9280");
    assert_eq!(amounts[0]["amount"], "12574.92");
    assert_eq!(amounts[0]["published"], false);
    assert_eq!(amounts[1]["account_code"], "9268");
    assert_eq!(amounts[1]["amount"], "964.00");
    assert_eq!(amounts[1]["published"], true);
    // The applicant sees PAYMENT PENDING with the amounts, on the API and the page.
    let detail = call(&mut client, Method::GET, &base, &applicant, None)
        .await
        .json();
    assert_eq!(detail["status"], "PAYMENT_PENDING");
    assert_eq!(detail["decision"]["amounts"][0]["amount"], "12574.92");
    let number = detail["number"].as_str().unwrap().to_owned();
    app.deliver_mail().await;
    let mail = mail_about(&app, "paying@example.com", &number);
    assert!(
        mail.text.contains("9280") && mail.text.contains("9268"),
        "{}",
        mail.text
    );
    let audit = app.audit_actions(&format!("application:{id}")).await;
    assert!(audit.iter().any(|a| a == "application.moved"), "{audit:?}");
}

async fn a_rejection_tells_the_applicant_why_and_how_to_object(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (applicant, id, number) = submitted(&app, &mut client, "rejected@example.com").await;
    let evaluator = officer(
        &app,
        "strict@labour.example",
        Authority::Labour,
        &[Role::Evaluator],
    )
    .await;
    let token = officer_bearer(&app, &evaluator).await;
    let reasons = call(
        &mut client,
        Method::GET,
        "/api/v1/officer/reasons?kind=work-permit-exemption&action=reject",
        &token,
        None,
    )
    .await
    .json();
    let first = &reasons[0];
    assert!(first["legal_basis"].as_str().is_some_and(|b| !b.is_empty()));
    act(&mut client, &token, &id, "take", json!({}))
        .await
        .assert_status(StatusCode::OK);
    act(
        &mut client,
        &token,
        &id,
        "reject",
        json!({"reason": "no-such-reason"}),
    )
    .await
    .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let rejected = act(
        &mut client,
        &token,
        &id,
        "reject",
        json!({"reason": "conditions-not-met", "text": "The school's letter is missing."}),
    )
    .await;
    rejected.assert_status(StatusCode::OK);
    assert_eq!(rejected.json()["status"], "REJECTED");
    let detail = call(
        &mut client,
        Method::GET,
        &format!("/api/v1/applications/{id}"),
        &applicant,
        None,
    )
    .await
    .json();
    assert_eq!(detail["decision"]["decision"], "rejected");
    assert_eq!(detail["decision"]["reason"]["code"], "conditions-not-met");
    assert!(
        detail["decision"]["reason"]["objection"]
            .as_str()
            .is_some_and(|o| o.contains("30"))
    );
    assert_eq!(
        detail["decision"]["text"],
        "The school's letter is missing."
    );
    // The page says it too, in the applicant's language.
    app.advance(Duration::seconds(61));
    let mut browser = app.browser();
    browser.sign_in("rejected@example.com").await;
    let page = browser.get(&format!("/applications/{id}")).await;
    page.assert_status(StatusCode::OK)
        .assert_contains("data-decision=\"rejected\"")
        .assert_contains("The school&#39;s letter is missing.");
    app.deliver_mail().await;
    let mail = mail_about(&app, "rejected@example.com", &number);
    assert!(mail.text.contains("6735"), "{}", mail.text);
}

/// A submitted application of the board-member category (whose approvals need a second officer
/// in the catalogue), put straight into storage: its id.
async fn board_member_application(app: &TestApp, email: &str) -> String {
    use izin_domain::application::{Blocking, Kind};
    use izin_domain::audit::AuditAction;
    use izin_store::{ApplicationColumns, NewApplication, NewAuditEntry, Submission};
    app.api_user(email).await;
    let user = app
        .app
        .store
        .user_by_email_key(email)
        .await
        .unwrap()
        .expect("user");
    let kind = app.app.applications().kind(Kind::WorkPermitExemption);
    let id = uuid::Uuid::now_v7();
    let now = app.clock.now();
    let audit = || {
        NewAuditEntry::new(
            now,
            Actor::User(user.id),
            AuditAction::ApplicationCreated,
            &ClientInfo::default(),
        )
    };
    let columns = ApplicationColumns {
        category: Some("board-member-partner".into()),
        ..ApplicationColumns::default()
    };
    app.app
        .store
        .create_application(NewApplication {
            id,
            user_id: user.id,
            kind: Kind::WorkPermitExemption,
            parent: None,
            data: kind.new_draft(Some("board-member-partner"), None).unwrap(),
            columns: columns.clone(),
            now,
            audit: audit(),
        })
        .await
        .unwrap();
    let outcome = app
        .app
        .store
        .submit_application(Submission {
            payment: None,
            owner: user.id,
            id,
            idempotency_key: None,
            expected_edits: 0,
            snapshot: json!({"format": 1}),
            columns,
            documents: Vec::new(),
            queue: Some(izin_domain::back_office::QueueColumns::of(
                Authority::Labour,
                &izin_domain::profile::Profile::default(),
            )),
            year: 2026,
            blocking: Blocking {
                kinds: Vec::new(),
                same_parent: false,
            },
            now,
            mail: None,
            audit: audit(),
        })
        .await
        .unwrap();
    assert!(
        matches!(outcome, izin_store::SubmitOutcome::Submitted { .. }),
        "{outcome:?}"
    );
    id.to_string()
}

async fn four_eyes_where_the_catalogue_asks(app: TestApp) {
    let id = board_member_application(&app, "board@example.com").await;
    let first = officer(
        &app,
        "first@labour.example",
        Authority::Labour,
        &[Role::Evaluator, Role::Approver],
    )
    .await;
    let second = officer(
        &app,
        "second@labour.example",
        Authority::Labour,
        &[Role::Approver],
    )
    .await;
    let evaluator_only = officer(
        &app,
        "third@labour.example",
        Authority::Labour,
        &[Role::Evaluator],
    )
    .await;
    let first_token = officer_bearer(&app, &first).await;
    let second_token = officer_bearer(&app, &second).await;
    let third_token = officer_bearer(&app, &evaluator_only).await;
    let mut client = app.browser();
    act(&mut client, &first_token, &id, "take", json!({}))
        .await
        .assert_status(StatusCode::OK);
    let evaluation = call(
        &mut client,
        Method::GET,
        &officer_path(&id, ""),
        &first_token,
        None,
    )
    .await
    .json();
    assert_eq!(evaluation["second_approval_required"], true);
    // The first approval is a proposal: 202, still under evaluation.
    let proposed = act(&mut client, &first_token, &id, "approve", json!({})).await;
    proposed.assert_status(StatusCode::ACCEPTED);
    assert_eq!(
        proposed.json(),
        json!({"status": "UNDER_EVALUATION", "awaiting": "second_approval"})
    );
    // Not by the officer who proposed it, and only with the approver role.
    act(
        &mut client,
        &first_token,
        &id,
        "confirm-approval",
        json!({}),
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
    act(
        &mut client,
        &third_token,
        &id,
        "confirm-approval",
        json!({}),
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
    // Sent back with a note, then proposed again and confirmed.
    act(
        &mut client,
        &second_token,
        &id,
        "return-proposal",
        json!({"text": "Check the gazette date."}),
    )
    .await
    .assert_status(StatusCode::OK);
    let returned = call(
        &mut client,
        Method::GET,
        &officer_path(&id, ""),
        &first_token,
        None,
    )
    .await
    .json();
    assert_eq!(returned["approval_proposed_by"], Value::Null);
    assert_eq!(returned["notes"][0]["text"], "Check the gazette date.");
    act(&mut client, &first_token, &id, "approve", json!({}))
        .await
        .assert_status(StatusCode::ACCEPTED);
    let confirmed = act(
        &mut client,
        &second_token,
        &id,
        "confirm-approval",
        json!({}),
    )
    .await;
    confirmed.assert_status(StatusCode::OK);
    assert_eq!(confirmed.json()["status"], "APPROVAL");
    let audit = app.audit_actions(&format!("application:{id}")).await;
    assert!(
        audit.iter().any(|a| a == "application.approval_proposed"),
        "{audit:?}"
    );
    assert!(
        audit.iter().any(|a| a == "application.proposal_returned"),
        "{audit:?}"
    );
}

async fn every_officer_route_refuses_the_wrong_officer(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (applicant, id, _) = submitted(&app, &mut client, "guarded@example.com").await;
    let migration = officer(
        &app,
        "migration@gib.example",
        Authority::Migration,
        &Role::ALL,
    )
    .await;
    let approver = officer(
        &app,
        "approver@labour.example",
        Authority::Labour,
        &[Role::Approver],
    )
    .await;
    let evaluator = officer(
        &app,
        "eval@labour.example",
        Authority::Labour,
        &[Role::Evaluator],
    )
    .await;
    let migration_token = officer_bearer(&app, &migration).await;
    let approver_token = officer_bearer(&app, &approver).await;
    let evaluator_token = officer_bearer(&app, &evaluator).await;
    let routes: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, officer_path(&id, ""), None),
        (Method::POST, officer_path(&id, "take"), Some(json!({}))),
        (Method::POST, officer_path(&id, "release"), Some(json!({}))),
        (
            Method::POST,
            officer_path(&id, "reassign"),
            Some(json!({"to": "eval@labour.example"})),
        ),
        (
            Method::POST,
            officer_path(&id, "request-revision"),
            Some(json!({"message": "m", "reopen": ["profile:passport"]})),
        ),
        (
            Method::POST,
            officer_path(&id, "reject"),
            Some(json!({"reason": "conditions-not-met"})),
        ),
        (Method::POST, officer_path(&id, "approve"), Some(json!({}))),
        (
            Method::POST,
            officer_path(&id, "confirm-approval"),
            Some(json!({})),
        ),
        (
            Method::POST,
            officer_path(&id, "return-proposal"),
            Some(json!({"text": "n"})),
        ),
        (
            Method::POST,
            officer_path(&id, "cancel"),
            Some(json!({"reason": "x"})),
        ),
        (
            Method::POST,
            officer_path(&id, "notes"),
            Some(json!({"text": "n"})),
        ),
    ];
    for (method, path, body) in &routes {
        // Another authority's officer, with every role: not there.
        let answer = call(
            &mut client,
            method.clone(),
            path,
            &migration_token,
            body.clone(),
        )
        .await;
        answer.assert_status(StatusCode::NOT_FOUND);
        // An applicant, even the owner: not there.
        let answer = call(&mut client, method.clone(), path, &applicant, body.clone()).await;
        answer.assert_status(StatusCode::NOT_FOUND);
    }
    // The migration officer's queue does not list it.
    let queue = call(
        &mut client,
        Method::GET,
        "/api/v1/officer/applications",
        &migration_token,
        None,
    )
    .await
    .json();
    assert_eq!(queue["items"], json!([]));
    // A role missing: 403.
    act(&mut client, &approver_token, &id, "take", json!({}))
        .await
        .assert_status(StatusCode::FORBIDDEN);
    act(&mut client, &evaluator_token, &id, "take", json!({}))
        .await
        .assert_status(StatusCode::OK);
    act(
        &mut client,
        &evaluator_token,
        &id,
        "reassign",
        json!({"to": "eval@labour.example"}),
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
    // The approver releases it; then it can be reassigned.
    act(&mut client, &approver_token, &id, "release", json!({}))
        .await
        .assert_status(StatusCode::OK);
    let given = act(
        &mut client,
        &approver_token,
        &id,
        "reassign",
        json!({"to": "eval@labour.example"}),
    )
    .await;
    given.assert_status(StatusCode::OK);
    assert_eq!(
        given.json()["assigned_to"],
        evaluator.officer.id.to_string()
    );
    // Notes are for officers only.
    act(
        &mut client,
        &evaluator_token,
        &id,
        "notes",
        json!({"text": "Called the school."}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    let seen = call(
        &mut client,
        Method::GET,
        &officer_path(&id, ""),
        &evaluator_token,
        None,
    )
    .await
    .json();
    assert_eq!(seen["notes"][0]["text"], "Called the school.");
    let applicant_view = call(
        &mut client,
        Method::GET,
        &format!("/api/v1/applications/{id}"),
        &applicant,
        None,
    )
    .await
    .body;
    assert!(!applicant_view.contains("Called the school."));
}

async fn the_queue_filters_searches_and_pages(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (_, first_id, first_number) = submitted(&app, &mut client, "first@example.com").await;
    app.advance(Duration::minutes(1));
    let (_, _, second_number) = submitted(&app, &mut client, "second@example.com").await;
    let evaluator = officer(
        &app,
        "queue@labour.example",
        Authority::Labour,
        &[Role::Evaluator],
    )
    .await;
    let token = officer_bearer(&app, &evaluator).await;
    let items = |body: &Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["number"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = call(
        &mut client,
        Method::GET,
        "/api/v1/officer/applications",
        &token,
        None,
    )
    .await
    .json();
    assert_eq!(
        items(&all),
        vec![first_number.clone(), second_number.clone()],
        "oldest first"
    );
    let by_number = call(
        &mut client,
        Method::GET,
        &format!("/api/v1/officer/applications?q={second_number}"),
        &token,
        None,
    )
    .await
    .json();
    assert_eq!(items(&by_number), vec![second_number.clone()]);
    // Both applicants have the profile `complete_profile` saves; its passport finds both.
    let by_passport = call(
        &mut client,
        Method::GET,
        &format!(
            "/api/v1/officer/applications?q={}",
            crate::applications::PASSPORT.to_lowercase()
        ),
        &token,
        None,
    )
    .await
    .json();
    assert_eq!(items(&by_passport).len(), 2);
    act(&mut client, &token, &first_id, "take", json!({}))
        .await
        .assert_status(StatusCode::OK);
    let mine = call(
        &mut client,
        Method::GET,
        "/api/v1/officer/applications?assigned=me",
        &token,
        None,
    )
    .await
    .json();
    assert_eq!(items(&mine), vec![first_number.clone()]);
    let unassigned = call(
        &mut client,
        Method::GET,
        "/api/v1/officer/applications?assigned=none&status=SUBMITTED",
        &token,
        None,
    )
    .await
    .json();
    assert_eq!(items(&unassigned), vec![second_number.clone()]);
    let bad = call(
        &mut client,
        Method::GET,
        "/api/v1/officer/applications?status=LOST",
        &token,
        None,
    )
    .await;
    bad.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    // The searches were recorded.
    let subject = "queue:labour";
    let audit = app.audit_actions(subject).await;
    assert!(
        audit.iter().filter(|a| *a == "officer.read").count() >= 2,
        "{audit:?}"
    );
}

/// Signs an officer in through the pages (e-mail, then code and authenticator code).
pub(crate) async fn sign_in_on_pages(
    app: &TestApp,
    browser: &mut Browser<'_>,
    email: &str,
    secret: &TotpSecret,
) {
    app.advance(Duration::seconds(31));
    let page = browser.get("/officer").await;
    page.assert_status(StatusCode::OK);
    let csrf = page.csrf();
    let sent = browser
        .post_form("/officer/code", &[("csrf", &csrf), ("email", email)])
        .await;
    sent.assert_status(StatusCode::OK)
        .assert_contains("name=\"challenge\"");
    let challenge = regex_lite::Regex::new(r#"name="challenge" value="([^"]+)""#)
        .unwrap()
        .captures(&sent.body)
        .map(|c| c[1].to_owned())
        .expect("the challenge");
    let code = app.code_for(email).await;
    let second = format!(
        "{:06}",
        secret.code_at_step(step_of(app.clock.now())).unwrap()
    );
    let csrf = sent.csrf();
    browser
        .post_form(
            "/officer/sign-in",
            &[
                ("csrf", &csrf),
                ("challenge", &challenge),
                ("email", email),
                ("code", &code),
                ("totp", &second),
            ],
        )
        .await
        .assert_redirect("/officer/queue");
}

async fn officers_work_through_the_pages_and_administrators_manage_officers(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (_, id, number) = submitted(&app, &mut client, "paged@example.com").await;
    let admin = officer(&app, "admin@labour.example", Authority::Labour, &Role::ALL).await;
    let mut browser = app.browser();
    sign_in_on_pages(&app, &mut browser, "admin@labour.example", &admin.secret).await;
    let queue = browser.get("/officer/queue?q=paged").await;
    queue.assert_status(StatusCode::OK);
    // A name search: nobody's name is "paged"; the number finds it.
    let queue = browser.get(&format!("/officer/queue?q={number}")).await;
    queue
        .assert_status(StatusCode::OK)
        .assert_contains(&format!("data-number=\"{number}\""));
    let page = browser.get(&format!("/officer/applications/{id}")).await;
    page.assert_status(StatusCode::OK)
        .assert_contains("data-action=\"take\"");
    let csrf = page.csrf();
    browser
        .post_form(
            &format!("/officer/applications/{id}/take"),
            &[("csrf", &csrf)],
        )
        .await
        .assert_redirect(&format!("/officer/applications/{id}"));
    let page = browser.get(&format!("/officer/applications/{id}")).await;
    page.assert_contains("data-action=\"revision\"");
    let csrf = page.csrf();
    browser
        .post_form(
            &format!("/officer/applications/{id}/registry/0"),
            &[("csrf", &csrf)],
        )
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("data-registry-now");
    // A refused decision comes back on the page with why.
    let csrf = page.csrf();
    let refused = browser
        .post_form(
            &format!("/officer/applications/{id}/revision"),
            &[("csrf", &csrf), ("message", "")],
        )
        .await;
    refused
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("data-error");
    let csrf = refused.csrf();
    browser
        .post_form(
            &format!("/officer/applications/{id}/revision"),
            &[
                ("csrf", &csrf),
                ("message", "A new photo, please."),
                ("reopen", "profile:personal"),
                ("reopen", "step:employment"),
            ],
        )
        .await
        .assert_redirect(&format!("/officer/applications/{id}"));
    let page = browser.get(&format!("/officer/applications/{id}")).await;
    page.assert_contains("data-status=\"REVISION\"")
        .assert_contains("A new photo, please.");

    // The administrator adds an officer: the enrolment is shown once, and works.
    let officers = browser.get("/officer/admin").await;
    officers
        .assert_status(StatusCode::OK)
        .assert_contains("admin@labour.example");
    let csrf = officers.csrf();
    let added = browser
        .post_form(
            "/officer/admin/add",
            &[
                ("csrf", &csrf),
                ("email", "newcomer@labour.example"),
                ("role", "evaluator"),
            ],
        )
        .await;
    added
        .assert_status(StatusCode::OK)
        .assert_contains("data-enrolment");
    let secret = regex_lite::Regex::new(r"data-secret>([A-Z2-7]+)<")
        .unwrap()
        .captures(&added.body)
        .map(|c| c[1].to_owned())
        .expect("the secret shown once");
    let secret = TotpSecret::parse(&secret).expect("base32");
    let mut newcomer = app.browser();
    sign_in_on_pages(&app, &mut newcomer, "newcomer@labour.example", &secret).await;
    newcomer
        .get("/officer/queue")
        .await
        .assert_status(StatusCode::OK);
    // Not an administrator: the officers page is refused.
    newcomer
        .get("/officer/admin")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    // Disabled: the newcomer's session ends at once.
    let csrf = browser.get("/officer/admin").await.csrf();
    browser
        .post_form(
            "/officer/admin/disable",
            &[("csrf", &csrf), ("email", "newcomer@labour.example")],
        )
        .await
        .assert_redirect("/officer/admin");
    newcomer
        .get("/officer/queue")
        .await
        .assert_redirect("/officer?ended=1");
    let audit = app
        .app
        .store
        .audit_entries(None, 200)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect::<Vec<_>>();
    assert!(audit.iter().any(|a| a == "officer.added"));
    assert!(audit.iter().any(|a| a == "officer.disabled"));
}
