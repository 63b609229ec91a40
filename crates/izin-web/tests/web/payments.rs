//! Payments through the API, the pages and the jobs, on both databases: the notice after an
//! approval (amounts with account codes, the foreigner ID, the reference number, the deadline,
//! both ways to pay), signed notifications (a replay stores nothing new, a bad signature or a
//! stale timestamp nothing at all), a bank file with a wrong amount kept for the officers, the
//! 30-day rule applied once after the grace, a payment made in time reinstating the application,
//! and a foreigner ID assigned to an applicant who had none.

use crate::applications::{call, internship_employment, ready_internship, registry, upload_other};
use crate::back_office::{act, mail_about, officer, officer_bearer, submit, take_and_approve};
use crate::harness::{Browser, Options, PAYMENTS_SECRET, TestApp};
use axum::http::{Method, StatusCode};
use izin_app::payments::notifications::NotificationSecret;
use izin_domain::Clock;
use izin_domain::audit::ClientInfo;
use izin_domain::officer::{Authority, Role};
use serde_json::{Value, json};
use time::Duration;
use time::format_description::well_known::Rfc3339;

crate::on_both_databases!(
    a_notice_is_paid_by_signed_notifications,
    an_unpaid_application_is_rejected_once_after_its_deadline_and_grace,
    a_bank_file_with_a_wrong_amount_shows_up_for_the_officers,
    an_applicant_without_a_foreigner_id_gets_one_at_approval,
    a_payment_open_at_the_new_year_is_due_at_the_new_rates,
    an_approver_records_a_payment_by_hand_on_the_pages_but_not_their_own_approval,
);

#[tokio::test]
async fn notifications_are_not_accepted_without_a_secret() {
    let app = TestApp::with(
        "sqlite",
        Options {
            payments_secret: None,
            ..Options::default()
        },
    )
    .await
    .expect("sqlite");
    let mut client = app.browser();
    let body = json!({"payment_id": "x"}).to_string();
    let answer = client
        .send(
            Method::POST,
            "/api/v1/payments/notifications",
            Some("application/json"),
            body.into_bytes(),
            &[],
        )
        .await;
    answer.assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_demo_tax_office_exists_only_in_development_and_demo_mode() {
    let deployed = TestApp::with(
        "sqlite",
        Options {
            dev_tools: false,
            ..Options::default()
        },
    )
    .await
    .expect("sqlite");
    let mut client = deployed.browser();
    client
        .get("/dev/pay")
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let demo = TestApp::sqlite().await;
    let mut client = demo.browser();
    let page = client
        .get("/dev/pay?foreigner_id=99587021348&reference=20260000000152")
        .await;
    page.assert_status(StatusCode::OK);
    page.assert_contains("data-not-found");
}

/// An internship of six months submitted, taken and approved by an administrator (the 2026
/// exemption fee is an estimate): the applicant's bearer, the application's id and number.
pub(crate) async fn approved(
    app: &TestApp,
    client: &mut Browser<'_>,
    email: &str,
) -> (String, String, String) {
    approved_at(app, client, email, None).await
}

/// A ready internship lengthened to six months (an exemption fee for one started year and the
/// valuable paper fee are due): the applicant's bearer and the application's id.
pub(crate) async fn six_month_internship(
    app: &TestApp,
    client: &mut Browser<'_>,
    email: &str,
) -> (String, String) {
    let (applicant, id) = ready_internship(app, client, email).await;
    let contract = upload_other(client, &applicant, "contract.pdf").await;
    let mut employment = internship_employment(&contract);
    employment["end_date"] = json!("2027-05-31");
    employment["residential_code"] = json!(crate::applications::ANKARA_ADDRESS);
    employment["address_type"] = json!("residence");
    call(
        client,
        Method::PUT,
        &format!("/api/v1/applications/{id}/employment"),
        &applicant,
        Some(employment),
    )
    .await
    .assert_status(StatusCode::OK);
    (applicant, id)
}

/// As [`approved`], the officer's part done at `at` when given.
async fn approved_at(
    app: &TestApp,
    client: &mut Browser<'_>,
    email: &str,
    at: Option<time::OffsetDateTime>,
) -> (String, String, String) {
    let (applicant, id) = six_month_internship(app, client, email).await;
    let number = submit(client, &applicant, &id).await;
    if let Some(at) = at {
        app.clock.set(at);
    }
    take_and_approve(
        app,
        client,
        &id,
        &format!("chief.{}@labour.example", number.replace('/', "-")),
        &[Role::Evaluator, Role::Admin],
    )
    .await;
    (applicant, id, number)
}

async fn payment_of(client: &mut Browser<'_>, bearer: &str, id: &str) -> Value {
    let detail = call(
        client,
        Method::GET,
        &format!("/api/v1/applications/{id}"),
        bearer,
        None,
    )
    .await;
    detail.assert_status(StatusCode::OK);
    detail.json()
}

/// Sends a notification signed with `secret` at `timestamp` (Unix seconds).
pub(crate) async fn notify(
    client: &mut Browser<'_>,
    secret: &[u8],
    timestamp: i64,
    body: &Value,
) -> crate::harness::Page {
    let body = body.to_string();
    let secret = NotificationSecret::new(secret).expect("secret");
    let ts = timestamp.to_string();
    let signature = secret.sign(&ts, body.as_bytes());
    client
        .send(
            Method::POST,
            "/api/v1/payments/notifications",
            Some("application/json"),
            body.into_bytes(),
            &[("x-izin-timestamp", &ts), ("x-izin-signature", &signature)],
        )
        .await
}

pub(crate) fn notification(
    payment: &Value,
    payment_id: &str,
    account: &str,
    amount: &str,
    paid_at: &str,
) -> Value {
    json!({
        "payment_id": payment_id,
        "reference_number": payment["reference_number"],
        "foreigner_id": payment["foreigner_id"],
        "account_code": account,
        "amount": amount,
        "currency": "TRY",
        "paid_at": paid_at,
    })
}

pub(crate) fn now_text(app: &TestApp) -> String {
    app.clock.now().format(&Rfc3339).unwrap()
}

async fn a_notice_is_paid_by_signed_notifications(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (applicant, id, number) = approved(&app, &mut client, "payer@example.com").await;

    // The notice: amounts with their accounts, the foreigner ID, the reference, the deadline.
    let detail = payment_of(&mut client, &applicant, &id).await;
    assert_eq!(detail["status"], "PAYMENT_PENDING");
    let payment = detail["payment"].clone();
    let reference = payment["reference_number"].as_str().unwrap().to_owned();
    assert_eq!(reference.len(), 14);
    assert!(izin_domain::payment::TransactionReference::parse(&reference).is_ok());
    assert!(payment["foreigner_id"].as_str().unwrap().starts_with("99"));
    // Approved on 22 November 2026 (Türkiye): the last day to pay is 22 December.
    assert_eq!(payment["deadline"], "2026-12-22");
    assert_eq!(
        payment["institution"],
        "Directorate General of International Labour Force"
    );
    let items = payment["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["account_code"], "9280");
    assert_eq!(items[0]["amount"], "12574.92");
    assert_eq!(items[0]["paid"], false);
    assert_eq!(items[1]["account_code"], "9268");
    assert_eq!(items[1]["amount"], "964.00");
    // The notice's mail says the same, with both ways to pay.
    app.deliver_mail().await;
    let mail = mail_about(&app, "payer@example.com", &number);
    for needle in [
        "9280",
        "9268",
        payment["foreigner_id"].as_str().unwrap(),
        "Payment with Reference Number",
        "There is no need to submit a receipt.",
        "22/12/2026",
    ] {
        assert!(mail.text.contains(needle), "{needle}: {}", mail.text);
    }
    assert!(
        mail.text.contains(
            &izin_domain::payment::TransactionReference::parse(&reference)
                .unwrap()
                .grouped()
        ),
        "{}",
        mail.text
    );
    // Another applicant finds nothing.
    let mut stranger = app.browser();
    let (other, _) = ready_internship(&app, &mut stranger, "stranger@example.com").await;
    call(
        &mut stranger,
        Method::GET,
        &format!("/api/v1/applications/{id}"),
        &other,
        None,
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);

    let now = app.clock.now().unix_timestamp();
    let paper = notification(&payment, "GIB-1", "9268", "964.00", &now_text(&app));
    // A bad signature, a stale or future timestamp: refused, nothing stored.
    let forged = notify(
        &mut client,
        b"another-secret-of-at-least-32-bytes!!",
        now,
        &paper,
    )
    .await;
    forged.assert_status(StatusCode::UNAUTHORIZED);
    assert_eq!(forged.json()["code"], "payment-signature-wrong");
    let stale = notify(&mut client, PAYMENTS_SECRET, now - 301, &paper).await;
    stale.assert_status(StatusCode::UNAUTHORIZED);
    assert_eq!(stale.json()["code"], "payment-timestamp-stale");
    notify(&mut client, PAYMENTS_SECRET, now + 301, &paper)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    let unsigned = client
        .send(
            Method::POST,
            "/api/v1/payments/notifications",
            Some("application/json"),
            paper.to_string().into_bytes(),
            &[],
        )
        .await;
    unsigned.assert_status(StatusCode::UNAUTHORIZED);
    let still = payment_of(&mut client, &applicant, &id).await;
    assert_eq!(still["payment"]["items"][1]["paid"], false);

    // The valuable paper fee, paid exactly: matched, still waiting for the other amount.
    let first = notify(&mut client, PAYMENTS_SECRET, now, &paper).await;
    first.assert_status(StatusCode::OK);
    assert_eq!(first.json()["status"], "recorded");
    assert_eq!(first.json()["matched"], true);
    // Replays answer the first record and change nothing.
    for _ in 0..3 {
        let again = notify(&mut client, PAYMENTS_SECRET, now, &paper).await;
        again.assert_status(StatusCode::OK);
        assert_eq!(again.json()["status"], "duplicate");
        assert_eq!(again.json()["receipt_id"], first.json()["receipt_id"]);
    }
    let half = payment_of(&mut client, &applicant, &id).await;
    assert_eq!(half["status"], "PAYMENT_PENDING");
    assert_eq!(half["payment"]["items"][1]["paid"], true);
    assert_eq!(half["payment"]["items"][0]["paid"], false);
    // A short payment of the fee is kept unmatched for refund, with its reason.
    let short = notify(
        &mut client,
        PAYMENTS_SECRET,
        now,
        &notification(&payment, "GIB-2", "9280", "12574.00", &now_text(&app)),
    )
    .await;
    short.assert_status(StatusCode::OK);
    assert_eq!(short.json()["matched"], false);
    assert_eq!(short.json()["unmatched_reason"], "wrong_amount");
    // An unreadable field, signed: refused naming it.
    let unreadable = notify(
        &mut client,
        PAYMENTS_SECRET,
        now,
        &notification(&payment, "GIB-3", "9280", "12574,92", &now_text(&app)),
    )
    .await;
    unreadable.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unreadable.json()["errors"][0]["field"], "amount");
    // The exact fee: every amount paid, APPROVAL with the system's move and the mail.
    let last = notify(
        &mut client,
        PAYMENTS_SECRET,
        now,
        &notification(&payment, "GIB-4", "9280", "12574.92", &now_text(&app)),
    )
    .await;
    last.assert_status(StatusCode::OK);
    assert_eq!(last.json()["matched"], true);
    let done = payment_of(&mut client, &applicant, &id).await;
    assert_eq!(done["status"], "APPROVAL");
    assert_eq!(done["payment"]["settled"], true);
    let audit = app.audit_actions(&format!("application:{id}")).await;
    assert!(audit.iter().any(|a| a == "application.moved"), "{audit:?}");
    let history = done["history"].as_array().unwrap();
    let confirm = history
        .iter()
        .find(|h| h["event"] == "confirm_payment")
        .expect("confirmed");
    assert_eq!(confirm["actor"], "system");
    assert_eq!(
        history
            .iter()
            .filter(|h| h["event"] == "confirm_payment")
            .count(),
        1
    );
    app.deliver_mail().await;
    assert!(
        app.mails()
            .iter()
            .any(|m| m.to.contains("payer@example.com")
                && m.subject.contains(&number)
                && m.subject.contains("APPROV")),
        "{:?}",
        app.mails()
            .iter()
            .map(|m| m.subject.clone())
            .collect::<Vec<_>>()
    );
}

async fn an_unpaid_application_is_rejected_once_after_its_deadline_and_grace(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (applicant, id, number) = approved(&app, &mut client, "late@example.com").await;
    let payment = payment_of(&mut client, &applicant, &id).await["payment"].clone();
    assert_eq!(payment["deadline"], "2026-12-22");
    let jobs = || async { app.app.payments().run_jobs().await.expect("jobs") };

    // Nothing to do on the day of the notice.
    assert_eq!(jobs().await.rejected + jobs().await.reminded, 0);
    // A week before the deadline (15 December): the reminder, once.
    app.clock.set(time::macros::datetime!(2026-12-15 06:00 UTC));
    assert_eq!(jobs().await.reminded, 1);
    assert_eq!(jobs().await.reminded, 0);
    app.deliver_mail().await;
    assert!(
        app.mails()
            .iter()
            .any(|m| m.to.contains("late@example.com") && m.subject.contains("one week")),
        "reminder mail"
    );
    // 22 December is the last day: not rejected then, nor during the three working days of
    // grace (23, 24 and 25 December).
    for day in [22, 23, 24, 25] {
        app.clock.set(
            time::Date::from_calendar_date(2026, time::Month::December, day)
                .unwrap()
                .with_hms(20, 0, 0)
                .unwrap()
                .assume_utc(),
        );
        assert_eq!(jobs().await.rejected, 0, "December {day}");
    }
    // 26 December: rejected, once, whoever runs the job and however often.
    app.clock.set(time::macros::datetime!(2026-12-26 06:00 UTC));
    let (first, second) = (app.app.payments(), app.app.payments());
    let (a, b) = tokio::join!(first.reject_overdue(), second.reject_overdue());
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(jobs().await.rejected, 0);
    // (The applicant's session ended long ago: read as the store has it.)
    let uuid: uuid::Uuid = id.parse().unwrap();
    let record = app
        .app
        .store
        .application(None, uuid)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        record.lifecycle.status,
        izin_domain::application::Status::Rejected
    );
    let notice = app.app.store.payment_notice(uuid).await.unwrap().unwrap();
    assert!(notice.expired_at.is_some());
    let history = app.app.store.application_history(uuid).await.unwrap();
    let moves: Vec<_> = history
        .iter()
        .filter(|h| h.event == izin_domain::application::Event::PaymentDeadlinePassed)
        .collect();
    assert_eq!(moves.len(), 1);
    assert_eq!(moves[0].actor_kind, "system");
    assert!(
        moves[0]
            .reason
            .as_deref()
            .unwrap_or_default()
            .contains("no objection possible")
    );
    app.deliver_mail().await;
    let mail = app
        .mails()
        .into_iter()
        .find(|m| m.to.contains("late@example.com") && m.subject.contains("not made in time"))
        .expect("rejection mail");
    assert!(mail.text.contains(&number));
    assert!(
        mail.text.contains("No objection can be made"),
        "{}",
        mail.text
    );

    // A payment made at 23:59 on the deadline day (Türkiye) arrives now: kept as "paid in
    // time, arrived late", and an approver who did not approve it reinstates the application.
    let now = app.clock.now().unix_timestamp();
    for (payment_id, account, amount) in [("L-1", "9280", "12574.92"), ("L-2", "9268", "964.00")] {
        let late = notify(
            &mut client,
            PAYMENTS_SECRET,
            now,
            &notification(
                &payment,
                payment_id,
                account,
                amount,
                "2026-12-22T23:59:00+03:00",
            ),
        )
        .await;
        late.assert_status(StatusCode::OK);
        assert_eq!(late.json()["unmatched_reason"], "paid_on_time_arrived_late");
    }
    let approver = officer(
        &app,
        "approver@labour.example",
        Authority::Labour,
        &[Role::Approver],
    )
    .await;
    let token = officer_bearer(&app, &approver).await;
    let unmatched = call(
        &mut client,
        Method::GET,
        "/api/v1/officer/payments/unmatched",
        &token,
        None,
    )
    .await;
    unmatched.assert_status(StatusCode::OK);
    let receipts: Vec<String> = unmatched.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["reason"] == "paid_on_time_arrived_late")
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(receipts.len(), 2);
    let officer_record = app
        .app
        .store
        .officers(None)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.email == "approver@labour.example")
        .unwrap();
    let payments = app.app.payments();
    let client_info = ClientInfo::default();
    let mut outcomes = Vec::new();
    for receipt in &receipts {
        outcomes.push(
            payments
                .reinstate(
                    &officer_record,
                    receipt.parse().unwrap(),
                    "Bank receipt shows payment on 22 December",
                    &client_info,
                )
                .await
                .expect("reinstated"),
        );
    }
    assert!(matches!(
        outcomes.last(),
        Some(izin_app::payments::ReinstateOutcome::Approved(_))
    ));
    let record = app
        .app
        .store
        .application(None, uuid)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        record.lifecycle.status,
        izin_domain::application::Status::Approval
    );
    assert!(
        app.app
            .store
            .application_history(uuid)
            .await
            .unwrap()
            .iter()
            .any(
                |h| h.event == izin_domain::application::Event::ReinstatePaid
                    && h.actor_kind == "officer"
            )
    );
    // A receipt cannot be counted twice.
    assert!(
        payments
            .reinstate(
                &officer_record,
                receipts[0].parse().unwrap(),
                "again",
                &client_info
            )
            .await
            .is_err()
    );
}

async fn a_bank_file_with_a_wrong_amount_shows_up_for_the_officers(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (applicant, id, number) = approved(&app, &mut client, "bank@example.com").await;
    let payment = payment_of(&mut client, &applicant, &id).await["payment"].clone();
    let foreigner = payment["foreigner_id"].as_str().unwrap();
    let file = format!(
        "receipt_no,bank,paid_at,account_code,foreigner_id,amount\n\
         000123,ZIRAAT,2026-11-23T10:15:00+03:00,9268,{foreigner},964.00\n\
         000124,ZIRAAT,2026-11-23T10:16:00+03:00,9280,{foreigner},1257.49\n"
    );
    let payments = app.app.payments();
    let report = payments
        .import_bank_file(&file, &ClientInfo::default())
        .await
        .expect("imported");
    assert_eq!(report.receipts, 2);
    assert_eq!(report.matched, 1);
    assert_eq!(
        report.unmatched,
        vec![("000124".to_owned(), "wrong_amount")]
    );
    // The same file again changes nothing.
    let again = payments
        .import_bank_file(&file, &ClientInfo::default())
        .await
        .expect("imported");
    assert_eq!(again.duplicates, 2);
    assert_eq!(again.matched, 0);
    // A bad line refuses the whole file.
    let bad = format!("{file}000125,ZIRAAT,2026-11-23T10:17:00+03:00,9280,{foreigner},1,257.49\n");
    assert!(
        payments
            .import_bank_file(&bad, &ClientInfo::default())
            .await
            .is_err()
    );
    // The officers see the wrong amount with its reason; another authority's officer does not.
    let evaluator = officer(
        &app,
        "clerk@labour.example",
        Authority::Labour,
        &[Role::Evaluator],
    )
    .await;
    let token = officer_bearer(&app, &evaluator).await;
    let listed = call(
        &mut client,
        Method::GET,
        "/api/v1/officer/payments/unmatched",
        &token,
        None,
    )
    .await
    .json();
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{listed}");
    assert_eq!(items[0]["reason"], "wrong_amount");
    assert_eq!(items[0]["amount"], "1257.49");
    assert_eq!(items[0]["receipt_no"], "000124");
    assert_eq!(items[0]["application_number"], number.as_str());
    let migration = officer(
        &app,
        "clerk@migration.example",
        Authority::Migration,
        &[Role::Evaluator],
    )
    .await;
    let other = officer_bearer(&app, &migration).await;
    let theirs = call(
        &mut client,
        Method::GET,
        "/api/v1/officer/payments/unmatched",
        &other,
        None,
    )
    .await
    .json();
    assert_eq!(theirs["items"].as_array().unwrap().len(), 0);
    // An applicant's token finds no officer route.
    call(
        &mut client,
        Method::GET,
        "/api/v1/officer/payments/unmatched",
        &applicant,
        None,
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
    let paid = payment_of(&mut client, &applicant, &id).await;
    assert_eq!(paid["payment"]["items"][1]["paid"], true);
    assert_eq!(paid["status"], "PAYMENT_PENDING");
    // The 30-day rule asks for the whole payment: paid in part is still rejected after the
    // deadline and the grace.
    app.advance(Duration::days(40));
    assert_eq!(payments.reject_overdue().await.unwrap(), 1);
}

async fn an_applicant_without_a_foreigner_id_gets_one_at_approval(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (applicant, id) = six_month_internship(&app, &mut client, "abroad@example.com").await;
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
    // The person has no foreigner identity number (as on the passport and abroad ways in).
    let record = app
        .app
        .store
        .application(None, id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let mut profile = app.app.store.profile(record.user_id).await.unwrap();
    profile.personal.foreigner_id = None;
    app.app
        .store
        .save_profile_section(
            record.user_id,
            izin_store::SectionData::Personal(profile.personal.clone()),
            app.clock.now(),
            izin_store::NewAuditEntry::new(
                app.clock.now(),
                izin_domain::audit::Actor::System,
                izin_domain::audit::AuditAction::ProfileSectionSaved,
                &ClientInfo::default(),
            ),
        )
        .await
        .unwrap();
    let admin = officer(
        &app,
        "assigner@labour.example",
        Authority::Labour,
        &[Role::Evaluator, Role::Admin],
    )
    .await;
    let token = officer_bearer(&app, &admin).await;
    act(&mut client, &token, &id, "take", json!({}))
        .await
        .assert_status(StatusCode::OK);
    act(
        &mut client,
        &token,
        &id,
        "approve",
        json!({"confirm_estimate": true}),
    )
    .await
    .assert_status(StatusCode::OK);
    let payment = payment_of(&mut client, &applicant, &id).await["payment"].clone();
    let assigned = payment["foreigner_id"].as_str().unwrap().to_owned();
    assert!(izin_domain::identifiers::ForeignerId::parse(&assigned).is_ok());
    assert_eq!(payment["foreigner_id_assigned"], true);
    // Stored on the person, marked as the authority's.
    let profile = app.app.store.profile(record.user_id).await.unwrap();
    assert_eq!(
        profile
            .personal
            .foreigner_id
            .as_ref()
            .map(|f| f.as_str().to_owned()),
        Some(assigned.clone())
    );
    assert!(profile.verified.contains("personal.foreigner_id:assigned"));
    let audit = app.audit_actions(&format!("user:{}", record.user_id)).await;
    assert!(
        audit.iter().any(|a| a == "person.foreigner_id_assigned"),
        "{audit:?}"
    );
    // The mail says it was assigned; and the person pays with it.
    app.deliver_mail().await;
    assert!(
        app.mails()
            .iter()
            .any(|m| m.to.contains("abroad@example.com")
                && m.text.contains(&assigned)
                && m.text.contains("assigned"))
    );
    let now = app.clock.now().unix_timestamp();
    for (pid, account, amount) in [("A-1", "9280", "12574.92"), ("A-2", "9268", "964.00")] {
        notify(
            &mut client,
            PAYMENTS_SECRET,
            now,
            &notification(&payment, pid, account, amount, &now_text(&app)),
        )
        .await
        .assert_status(StatusCode::OK);
    }
    assert_eq!(
        payment_of(&mut client, &applicant, &id).await["status"],
        "APPROVAL"
    );
}

async fn a_payment_open_at_the_new_year_is_due_at_the_new_rates(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (_, id, _) = approved_at(
        &app,
        &mut client,
        "newyear@example.com",
        Some(time::macros::datetime!(2026-12-20 07:00 UTC)),
    )
    .await;
    let uuid: uuid::Uuid = id.parse().unwrap();
    let notice = app.app.store.payment_notice(uuid).await.unwrap().unwrap();
    let payment = json!({
        "reference_number": notice.reference.as_str(),
        "foreigner_id": notice.foreigner_id,
        "deadline": izin_domain::calendar::format_date(notice.deadline),
    });
    assert_eq!(payment["deadline"], "2027-01-19");
    let foreigner = payment["foreigner_id"].as_str().unwrap().to_owned();

    // Paid at the bank on 31 December at the 2026 rate; the bank's file arrives in January.
    let bank_file = format!(
        "receipt_no,bank,paid_at,account_code,foreigner_id,amount\n\
         777,HALKBANK,2026-12-31T16:00:00+03:00,9268,{foreigner},964.00\n"
    );

    // 1 January 2027, and the fee table has no 2027 rates: nothing changes silently.
    app.clock.set(time::macros::datetime!(2027-01-01 06:00 UTC));
    let report = app.app.payments().run_jobs().await.unwrap();
    assert_eq!(report.repriced, 0);
    assert_eq!(report.rates_missing, 1);
    let notice = app.app.store.payment_notice(uuid).await.unwrap().unwrap();
    assert_eq!(notice.rates_missing_for, Some(2027));
    assert_eq!(notice.items[1].amount.year, 2026);
    let metrics = client.get("/metrics").await;
    assert!(
        metrics
            .body
            .contains("izin_payment_notices_missing_rates 1"),
        "{}",
        metrics.body
    );

    // The 2027 rates are published: the next run recomputes the open amounts, once, keeping the
    // 2026 amounts for payments made in 2026.
    let mut with_2027 = app.app.clone();
    let mut catalog = (*with_2027.catalog).clone();
    let latest = catalog.fees.for_year(2026).unwrap().clone();
    catalog.fees.years.push(izin_domain::catalog::FeeYear {
        year: 2027,
        exemption_fee_per_year: izin_domain::money::Money(1_400_000),
        valuable_paper_fee: izin_domain::money::Money(110_000),
        exemption_fee_published: true,
        valuable_paper_fee_published: true,
        note: latest.note.clone(),
    });
    with_2027.catalog = std::sync::Arc::new(catalog);
    let report = with_2027.payments().run_jobs().await.unwrap();
    assert_eq!(report.repriced, 1);
    assert_eq!(report.rates_missing, 0);
    assert_eq!(with_2027.payments().run_jobs().await.unwrap().repriced, 0);
    let notice = app.app.store.payment_notice(uuid).await.unwrap().unwrap();
    assert_eq!(notice.rates_missing_for, None);
    assert_eq!(notice.items[0].amount.year, 2027);
    assert_eq!(
        notice.items[0].amount.amount,
        izin_domain::money::Money(1_400_000)
    );
    assert_eq!(
        notice.items[0].earlier.map(|e| (e.year, e.amount)),
        Some((2026, izin_domain::money::Money(1_257_492)))
    );
    assert_eq!(
        notice.items[1].amount.amount,
        izin_domain::money::Money(110_000)
    );
    let history = app.app.store.application_history(uuid).await.unwrap();
    let recomputed: Vec<_> = history
        .iter()
        .filter(|h| h.event == izin_domain::application::Event::RecomputeFees)
        .collect();
    assert_eq!(recomputed.len(), 1);
    assert!(
        recomputed[0]
            .reason
            .as_deref()
            .unwrap_or_default()
            .contains("2027"),
        "{:?}",
        recomputed[0].reason
    );
    app.deliver_mail().await;
    assert!(
        app.mails()
            .iter()
            .any(|m| m.to.contains("newyear@example.com") && m.subject.contains("new year")),
        "the applicant is told"
    );

    // The receipt made on 31 December counts at the 2026 rate; the rest at the 2027 rate.
    let imported = app
        .app
        .payments()
        .import_bank_file(&bank_file, &ClientInfo::default())
        .await
        .unwrap();
    assert_eq!(imported.matched, 1, "{imported:?}");
    let now = app.clock.now().unix_timestamp();
    let fee = notify(
        &mut client,
        PAYMENTS_SECRET,
        now,
        &notification(&payment, "NY-1", "9280", "14000.00", &now_text(&app)),
    )
    .await;
    fee.assert_status(StatusCode::OK);
    assert_eq!(fee.json()["matched"], true, "{}", fee.body);
    let record = app
        .app
        .store
        .application(None, uuid)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        record.lifecycle.status,
        izin_domain::application::Status::Approval
    );
}

async fn an_approver_records_a_payment_by_hand_on_the_pages_but_not_their_own_approval(
    app: TestApp,
) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (_, id, number) = approved(&app, &mut client, "byhand@example.com").await;
    let uuid: uuid::Uuid = id.parse().unwrap();
    // The administrator who approved it may not record its payment (four eyes).
    let chief = app
        .app
        .store
        .officers(None)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.email.starts_with("chief."))
        .unwrap();
    let chief_with_approver = izin_domain::records::Officer {
        roles: izin_domain::officer::Roles::of(&[Role::Evaluator, Role::Approver, Role::Admin])
            .unwrap(),
        ..chief
    };
    let input = izin_app::payments::officers::ManualPayment {
        account_code: "9268".into(),
        amount: "964.00".into(),
        paid_on: "2026-11-23".into(),
        bank: "ZIRAAT".into(),
        receipt_no: "R-1".into(),
        reason: "Receipt brought to the office".into(),
    };
    assert!(matches!(
        app.app
            .payments()
            .record_by_hand(&chief_with_approver, uuid, &input, &ClientInfo::default())
            .await,
        Err(izin_app::payments::officers::OfficerPaymentError::SameOfficer)
    ));
    // Another approver, on the pages: the payments view lists it, the form records it.
    let approver = officer(
        &app,
        "cashier@labour.example",
        Authority::Labour,
        &[Role::Approver],
    )
    .await;
    let mut desk = app.browser();
    crate::back_office::sign_in_on_pages(
        &app,
        &mut desk,
        "cashier@labour.example",
        &approver.secret,
    )
    .await;
    let overview = desk.get("/officer/payments").await;
    overview.assert_status(StatusCode::OK);
    overview.assert_contains(&number);
    let file = desk.get(&format!("/officer/payments/{id}")).await;
    file.assert_status(StatusCode::OK);
    file.assert_contains("action=\"/officer/payments/");
    // A reason is required; every problem is named.
    let csrf = file.csrf();
    let missing = desk
        .post_form(
            &format!("/officer/payments/{id}/record"),
            &[
                ("csrf", &csrf),
                ("account_code", "9268"),
                ("amount", "964"),
                ("paid_on", "2026-11-23"),
                ("reason", ""),
            ],
        )
        .await;
    missing.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    missing.assert_contains("two decimals");
    missing.assert_contains("Write why.");
    let csrf = missing.csrf();
    for (account, amount, receipt) in [("9268", "964.00", "R-1"), ("9280", "12574.92", "R-2")] {
        let recorded = desk
            .post_form(
                &format!("/officer/payments/{id}/record"),
                &[
                    ("csrf", &csrf),
                    ("account_code", account),
                    ("amount", amount),
                    ("paid_on", "2026-11-23"),
                    ("bank", "ZIRAAT"),
                    ("receipt_no", receipt),
                    ("reason", "Receipt brought to the office"),
                ],
            )
            .await;
        recorded.assert_redirect(&format!("/officer/payments/{id}?done=recorded"));
    }
    let record = app
        .app
        .store
        .application(None, uuid)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        record.lifecycle.status,
        izin_domain::application::Status::Approval
    );
    let receipts = app.app.store.receipts_for(uuid).await.unwrap();
    assert_eq!(receipts.len(), 2);
    assert!(receipts.iter().all(|r| r.matched
        && r.channel == izin_domain::payment::Channel::Manual
        && r.note.as_deref() == Some("Receipt brought to the office")));
    for receipt in &receipts {
        let audit = app.audit_actions(&format!("receipt:{}", receipt.id)).await;
        assert_eq!(audit, ["payment.recorded_by_hand"]);
    }
    // Another authority's officer finds no such payment.
    let migration = officer(
        &app,
        "desk@migration.example",
        Authority::Migration,
        &[Role::Approver],
    )
    .await;
    let mut other = app.browser();
    crate::back_office::sign_in_on_pages(
        &app,
        &mut other,
        "desk@migration.example",
        &migration.secret,
    )
    .await;
    other
        .get(&format!("/officer/payments/{id}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
}
