//! Proof Documents through the API, the pages and the workers, on both databases: an approval
//! issues one signed PDF that the approval mail carries and Detail offers for download; `/verify`
//! answers VALID, NOT_YET_VALID, EXPIRED, CANCELLED and REPLACED from the number and the code,
//! and nothing for a wrong code, counting wrong guesses per client; the QR payload verifies
//! against the published keys, before and after a key rotation.

use crate::applications::{call, ready_internship};
use crate::back_office::{act, mail_about, officer, officer_bearer, submit, take_and_approve};
use crate::harness::{Browser, TestApp};
use axum::http::{Method, StatusCode};
use izin_domain::Clock;
use izin_domain::officer::{Authority, Role};
use izin_domain::proof::keys::PublishedKeys;
use izin_domain::proof::payload::{SignedProof, verify};
use serde_json::{Value, json};
use time::Duration;
use time::macros::datetime;

crate::on_both_databases!(
    an_approval_mails_a_signed_document_that_verify_finds_valid,
    verify_follows_the_exemption_through_time_and_cancellation,
    another_instances_cancellation_shows_within_a_second,
    wrong_guesses_are_limited_per_client_and_the_photo_needs_the_code,
    another_users_document_is_not_found,
    a_rotated_key_keeps_old_documents_verifying,
    the_expiry_job_moves_an_exemption_once_even_with_two_workers,
);

/// An internship under three months (no fee, no card) submitted and approved directly; its
/// document produced. The applicant's bearer, the application's id and number.
pub(crate) async fn approved_internship(
    app: &TestApp,
    client: &mut Browser<'_>,
    email: &str,
) -> (String, String, String) {
    let (applicant, id) = ready_internship(app, client, email).await;
    let number = submit(client, &applicant, &id).await;
    take_and_approve(
        app,
        client,
        &id,
        &format!("approver.{}@labour.example", number.replace('/', "-")),
        &[Role::Evaluator, Role::Approver, Role::Admin],
    )
    .await;
    (applicant, id, number)
}

async fn document_of(client: &mut Browser<'_>, bearer: &str, id: &str) -> Value {
    let detail = call(
        client,
        Method::GET,
        &format!("/api/v1/applications/{id}"),
        bearer,
        None,
    )
    .await;
    detail.assert_status(StatusCode::OK);
    detail.json()["document"].clone()
}

async fn verify_json(client: &mut Browser<'_>, number: &str, code: &str) -> crate::harness::Page {
    client
        .get(&format!(
            "/api/v1/verify/{number}?code={}",
            crate::harness::urlencode(code)
        ))
        .await
}

async fn published_keys(client: &mut Browser<'_>) -> PublishedKeys {
    let page = client.get("/.well-known/izin-keys.json").await;
    page.assert_status(StatusCode::OK);
    serde_json::from_value(page.json()).expect("a JWK set")
}

async fn an_approval_mails_a_signed_document_that_verify_finds_valid(app: TestApp) {
    app.import_registry(crate::applications::registry()).await;
    let mut client = app.browser();
    let (applicant, id, number) =
        approved_internship(&app, &mut client, "holder@example.com").await;

    // Before the worker has run, Detail says it is being prepared.
    let document = document_of(&mut client, &applicant, &id).await;
    assert_eq!(document["status"], "PREPARING");
    assert!(document["pdf"].is_null());
    let document_number = document["number"].as_str().unwrap().to_owned();
    let code = document["verification_code"].as_str().unwrap().to_owned();
    assert!(
        izin_domain::proof::code::VerificationCode::parse(&code).is_ok(),
        "{code}"
    );
    verify_json(&mut client, &document_number, &code)
        .await
        .assert_status(StatusCode::NOT_FOUND);

    // The worker produces it once; the approval mail carries the PDF.
    assert_eq!(app.produce_documents().await, 1);
    assert_eq!(app.produce_documents().await, 0);
    app.deliver_mail().await;
    let mail = mail_about(&app, "holder@example.com", &number);
    assert_eq!(
        mail.attachments.len(),
        1,
        "the approval mail carries the document"
    );
    let attached = &mail.attachments[0];
    assert_eq!(attached.content_type, "application/pdf");
    assert!(attached.bytes.starts_with(b"%PDF-"));
    assert!(attached.file_name.contains(&document_number));
    // IZIN_TEST_ARTIFACTS=DIR keeps the document for a person to look at.
    if let Ok(dir) = std::env::var("IZIN_TEST_ARTIFACTS") {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(
            std::path::Path::new(&dir).join(&attached.file_name),
            &attached.bytes,
        );
    }

    // The same PDF downloads from Detail, for its holder. Approved on 22 November for a period
    // from 1 December: not valid yet.
    let document = document_of(&mut client, &applicant, &id).await;
    assert_eq!(document["status"], "NOT_YET_VALID");
    let pdf_path = document["pdf"].as_str().unwrap().to_owned();
    let download = client.api(Method::GET, &pdf_path, &applicant, None).await;
    download.assert_status(StatusCode::OK);
    assert_eq!(download.header("content-type"), "application/pdf");
    assert_eq!(download.bytes.as_slice(), attached.bytes.as_slice());

    // Its signed payload verifies against the published keys and states the validity.
    let signed = izin_print::signed_payload_from_pdf(&attached.bytes).expect("a signed payload");
    let keys = published_keys(&mut client).await;
    let signed = SignedProof::from_qr_text(&signed).expect("decodes");
    let payload = verify(&signed, &keys).expect("the signature verifies");
    assert_eq!(payload.number.to_string(), document_number);
    assert_eq!(payload.valid_from, time::macros::date!(2026 - 12 - 01));
    assert_eq!(payload.valid_until, time::macros::date!(2027 - 02 - 26));
    assert!(
        payload.holder_name.contains("Ayşe Nur"),
        "{}",
        payload.holder_name
    );

    // /verify: JSON and the page, both languages, nothing personal beyond the name.
    app.clock.set(datetime!(2026-12-02 09:00 UTC));
    let answer = verify_json(&mut client, &document_number, &code).await;
    answer.assert_status(StatusCode::OK);
    let body = answer.json();
    assert_eq!(body["status"], "VALID");
    assert!(body["holder"].as_str().unwrap().contains("Ayşe Nur"));
    assert!(body["grants"].as_str().unwrap().contains("Internship"));
    assert_eq!(body["valid_until"], "2027-02-26");
    let text = body.to_string();
    assert!(!text.contains("foreigner"), "{text}");
    assert!(!text.contains("address"), "{text}");
    let photo = body["photo"].as_str().expect("a photo link").to_owned();
    let picture = client.get(&photo).await;
    picture.assert_status(StatusCode::OK);
    assert_eq!(picture.header("content-type"), "image/jpeg");

    let link = format!("/verify?n={document_number}&c={code}&p={}", signed.encode());
    let page = client.get(&link).await;
    page.assert_status(StatusCode::OK);
    page.assert_contains("data-verify-status=\"VALID\"")
        .assert_contains("data-signature=\"valid\"")
        .assert_contains("Ayşe Nur");
    client.switch_language("tr", "/").await;
    client
        .get(&link)
        .await
        .assert_contains("GEÇERLİ")
        .assert_contains("Çalışma izni muafiyeti");
    // A payload of another document does not vouch for this one.
    let page = client
        .get(&format!(
            "/verify?n={document_number}&c={code}&p=IZ1.AAAA.BBBB"
        ))
        .await;
    page.assert_contains("data-signature=\"invalid\"");
}

async fn verify_follows_the_exemption_through_time_and_cancellation(app: TestApp) {
    app.import_registry(crate::applications::registry()).await;
    let mut client = app.browser();
    let (applicant, id, _) = approved_internship(&app, &mut client, "times@example.com").await;
    let mut client = app.browser();
    client.ip = "198.51.100.22:41000".parse().unwrap();
    app.produce_documents().await;
    let document = document_of(&mut client, &applicant, &id).await;
    let number = document["number"].as_str().unwrap().to_owned();
    let code = document["verification_code"].as_str().unwrap().to_owned();
    let status = |page: crate::harness::Page| page.json()["status"].as_str().unwrap().to_owned();

    // Approved on 22 November 2026 for 1 December 2026 to 26 February 2027.
    app.clock.set(datetime!(2026-11-29 09:00 UTC));
    assert_eq!(
        status(verify_json(&mut client, &number, &code).await),
        "NOT_YET_VALID"
    );
    app.clock.set(datetime!(2026-12-01 09:00 UTC));
    assert_eq!(
        status(verify_json(&mut client, &number, &code).await),
        "VALID"
    );
    // Valid through its last day (Türkiye's), expired the day after, before any job ran.
    app.clock.set(datetime!(2027-02-26 20:00 UTC));
    assert_eq!(
        status(verify_json(&mut client, &number, &code).await),
        "VALID"
    );
    app.clock.set(datetime!(2027-02-26 21:30 UTC));
    assert_eq!(
        status(verify_json(&mut client, &number, &code).await),
        "EXPIRED"
    );

    // A cancellation shows at once.
    app.clock.set(datetime!(2026-12-10 09:00 UTC));
    let admin = officer(
        &app,
        "canceller@labour.example",
        Authority::Labour,
        &[Role::Evaluator, Role::Approver],
    )
    .await;
    let token = officer_bearer(&app, &admin).await;
    act(
        &mut client,
        &token,
        &id,
        "cancel",
        json!({"reason": "conditions-ended", "text": "The holder left the programme."}),
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(
        status(verify_json(&mut client, &number, &code).await),
        "CANCELLED"
    );
    client
        .get(&format!("/verify?n={number}&c={code}"))
        .await
        .assert_contains("data-verify-status=\"CANCELLED\"");
    let holder = app.api_user("times@example.com").await;
    assert_eq!(
        document_of(&mut client, &holder, &id).await["status"],
        "CANCELLED"
    );
}

/// Each instance answers a document it read less than a second ago without the database; a
/// cancellation made through another instance shows here once that second has passed.
async fn another_instances_cancellation_shows_within_a_second(app: TestApp) {
    app.import_registry(crate::applications::registry()).await;
    let mut client = app.browser();
    let (applicant, id, _) = approved_internship(&app, &mut client, "elsewhere@example.com").await;
    app.produce_documents().await;
    let document = document_of(&mut client, &applicant, &id).await;
    let number = document["number"].as_str().unwrap().to_owned();
    let code = document["verification_code"].as_str().unwrap().to_owned();
    app.clock.set(datetime!(2026-12-10 09:00 UTC));
    let status = |page: crate::harness::Page| page.json()["status"].as_str().unwrap().to_owned();
    assert_eq!(
        status(verify_json(&mut client, &number, &code).await),
        "VALID"
    );

    let other_instance = izin_app::App {
        recent_verifications: Default::default(),
        ..app.app.clone()
    };
    let canceller = officer(
        &app,
        "elsewhere.canceller@labour.example",
        Authority::Labour,
        &[Role::Evaluator, Role::Approver],
    )
    .await;
    other_instance
        .back_office()
        .cancel(
            &canceller.officer,
            id.parse().unwrap(),
            "conditions-ended",
            "",
            &izin_domain::audit::ClientInfo::default(),
        )
        .await
        .unwrap();
    tokio::time::sleep(izin_app::proof::recent::FRESH_FOR + std::time::Duration::from_millis(50))
        .await;
    assert_eq!(
        status(verify_json(&mut client, &number, &code).await),
        "CANCELLED"
    );
}

async fn wrong_guesses_are_limited_per_client_and_the_photo_needs_the_code(app: TestApp) {
    app.import_registry(crate::applications::registry()).await;
    let mut client = app.browser();
    let (applicant, id, _) = approved_internship(&app, &mut client, "guessed@example.com").await;
    app.produce_documents().await;
    let document = document_of(&mut client, &applicant, &id).await;
    let number = document["number"].as_str().unwrap().to_owned();
    let code = document["verification_code"].as_str().unwrap().to_owned();

    // Not a code at all: said so, and not counted as a guess.
    let malformed = verify_json(&mut client, &number, "???").await;
    malformed.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    // The photo is never served without the right code.
    client
        .get(&format!("/api/v1/verify/{number}/photo?code=ZZZZZ-ZZZZZ"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    client
        .get(&format!("/verify/photo?n={number}&c="))
        .await
        .assert_status(StatusCode::NOT_FOUND);

    let mut guesser = app.browser();
    guesser.ip = "198.51.100.7:40000".parse().unwrap();
    let allowed = izin_app::proof::WRONG_GUESSES_ALLOWED as usize;
    for attempt in 0..allowed {
        let wrong = format!("ZZZZZ-ZZZ{:02}", attempt % 32)
            .replace('0', "A")
            .replace('1', "B");
        let answer = verify_json(&mut guesser, &number, &wrong).await;
        answer.assert_status(StatusCode::NOT_FOUND);
    }
    let refused = verify_json(&mut guesser, &number, "ZZZZZ-ZZZZY").await;
    refused.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert!(!refused.header("retry-after").is_empty());
    // Refused even with the right code, so guessing cannot go on.
    verify_json(&mut guesser, &number, &code)
        .await
        .assert_status(StatusCode::TOO_MANY_REQUESTS);
    // Another client is not held back.
    verify_json(&mut client, &number, &code)
        .await
        .assert_status(StatusCode::OK);
    // The window passes.
    app.advance(Duration::minutes(11));
    verify_json(&mut guesser, &number, &code)
        .await
        .assert_status(StatusCode::OK);
}

async fn another_users_document_is_not_found(app: TestApp) {
    app.import_registry(crate::applications::registry()).await;
    let mut client = app.browser();
    let (_, id, _) = approved_internship(&app, &mut client, "owner@example.com").await;
    app.produce_documents().await;
    let stranger = app.api_user("stranger@example.com").await;
    call(
        &mut client,
        Method::GET,
        &format!("/api/v1/applications/{id}/document"),
        &stranger,
        None,
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
    let mut other = app.browser();
    other.ip = "198.51.100.20:41000".parse().unwrap();
    other.sign_in("stranger@example.com").await;
    other
        .get(&format!("/applications/{id}/document.pdf"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

async fn a_rotated_key_keeps_old_documents_verifying(app: TestApp) {
    app.import_registry(crate::applications::registry()).await;
    let mut client = app.browser();
    let (applicant, id, _) = approved_internship(&app, &mut client, "first@example.com").await;
    app.produce_documents().await;
    let old_pdf = {
        let document = document_of(&mut client, &applicant, &id).await;
        client
            .api(
                Method::GET,
                document["pdf"].as_str().unwrap(),
                &applicant,
                None,
            )
            .await
            .bytes
    };
    let old =
        SignedProof::from_qr_text(&izin_print::signed_payload_from_pdf(&old_pdf).unwrap()).unwrap();
    let rotated = app
        .app
        .proof_keys
        .rotate(app.app.store.as_ref(), app.clock.now())
        .await
        .expect("rotate");
    assert_ne!(rotated, old.payload.key_id);
    let (applicant2, id2, _) = approved_internship(&app, &mut client, "second@example.com").await;
    app.produce_documents().await;
    let document = document_of(&mut client, &applicant2, &id2).await;
    let new_pdf = client
        .api(
            Method::GET,
            document["pdf"].as_str().unwrap(),
            &applicant2,
            None,
        )
        .await
        .bytes;
    let new =
        SignedProof::from_qr_text(&izin_print::signed_payload_from_pdf(&new_pdf).unwrap()).unwrap();
    assert_eq!(new.payload.key_id, rotated, "new documents use the new key");
    let keys = published_keys(&mut client).await;
    assert!(
        verify(&old, &keys).is_ok(),
        "the old document still verifies"
    );
    assert!(verify(&new, &keys).is_ok());
    let json = client.get("/.well-known/izin-keys.json").await.json();
    let listed = json["keys"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().any(|k| k.get("exp").is_some()), "{json}");
}

async fn the_expiry_job_moves_an_exemption_once_even_with_two_workers(app: TestApp) {
    app.import_registry(crate::applications::registry()).await;
    let mut client = app.browser();
    let (_, id, _) = approved_internship(&app, &mut client, "expires@example.com").await;
    app.produce_documents().await;
    app.clock.set(datetime!(2027-02-26 12:00 UTC));
    assert_eq!(
        izin_app::proof::expire_ended_exemptions(&app.app)
            .await
            .unwrap(),
        0
    );
    app.clock.set(datetime!(2027-02-27 00:30 UTC));
    let (a, b) = tokio::join!(
        izin_app::proof::expire_ended_exemptions(&app.app),
        izin_app::proof::expire_ended_exemptions(&app.app)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1, "one move across both workers");
    let applicant = app.api_user("expires@example.com").await;
    let detail = call(
        &mut client,
        Method::GET,
        &format!("/api/v1/applications/{id}"),
        &applicant,
        None,
    )
    .await
    .json();
    assert_eq!(detail["exemption_status"], "EXPIRED");
    let expiries = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["event"] == "expire_exemption")
        .count();
    assert_eq!(expiries, 1);
    assert_eq!(detail["document"]["status"], "EXPIRED");
    assert!(
        app.audit_actions(&format!("application:{id}"))
            .await
            .contains(&"application.exemption_expired".to_owned())
    );
}

mod cards {
    //! Cards: printed by the officers in batches, handed to PTT Cargo, tracked through signed
    //! reports (replays and late reports change nothing), returned and sent again.

    use super::*;
    use crate::harness::CARGO_SECRET;
    use izin_app::payments::notifications::NotificationSecret;

    crate::on_both_databases!(
        a_card_is_printed_shipped_and_tracked_to_delivery,
        a_returned_card_goes_back_to_the_officers_and_out_again,
        cargo_reports_need_the_signature,
    );

    /// A six-month internship (a card) approved and paid, its document produced: the applicant's
    /// bearer, the application's id and the document's number.
    async fn paid_card(
        app: &TestApp,
        client: &mut Browser<'_>,
        email: &str,
    ) -> (String, String, String) {
        let (applicant, id, _) = crate::payments::approved(app, client, email).await;
        let payment = call(
            client,
            Method::GET,
            &format!("/api/v1/applications/{id}"),
            &applicant,
            None,
        )
        .await
        .json()["payment"]
            .clone();
        let now = app.clock.now().unix_timestamp();
        for (i, item) in payment["items"].as_array().unwrap().iter().enumerate() {
            crate::payments::notify(
                client,
                crate::harness::PAYMENTS_SECRET,
                now,
                &crate::payments::notification(
                    &payment,
                    &format!("pay-{id}-{i}"),
                    item["account_code"].as_str().unwrap(),
                    item["amount"].as_str().unwrap(),
                    &crate::payments::now_text(app),
                ),
            )
            .await
            .assert_status(StatusCode::OK);
        }
        let detail = call(
            client,
            Method::GET,
            &format!("/api/v1/applications/{id}"),
            &applicant,
            None,
        )
        .await
        .json();
        assert_eq!(detail["status"], "APPROVAL", "{detail}");
        app.produce_documents().await;
        let document = document_of(client, &applicant, &id).await;
        assert_eq!(document["card"], true);
        (
            applicant,
            id,
            document["number"].as_str().unwrap().to_owned(),
        )
    }

    async fn report(
        client: &mut Browser<'_>,
        secret: &[u8],
        body: Value,
        at: i64,
    ) -> crate::harness::Page {
        let body = body.to_string();
        let secret = NotificationSecret::new(secret).expect("secret");
        let ts = at.to_string();
        let signature = secret.sign(&ts, body.as_bytes());
        client
            .send(
                Method::POST,
                "/api/v1/cargo/notifications",
                Some("application/json"),
                body.into_bytes(),
                &[("x-izin-timestamp", &ts), ("x-izin-signature", &signature)],
            )
            .await
    }

    fn status_report(id: &str, tracking: &str, status: &str, at: &str) -> Value {
        json!({"notification_id": id, "tracking_number": tracking, "status": status, "at": at})
    }

    /// Prints and hands over every waiting card as the labour officer on the page.
    async fn print_all(app: &TestApp, email: &str) -> crate::harness::Page {
        let clerk = officer(app, email, Authority::Labour, &[Role::Evaluator]).await;
        let mut officer_browser = app.browser();
        crate::back_office::sign_in_on_pages(app, &mut officer_browser, email, &clerk.secret).await;
        let page = officer_browser.get("/officer/cards").await;
        page.assert_status(StatusCode::OK);
        let csrf = page.csrf();
        let ids: Vec<String> = regex_lite::Regex::new(r#"name="d" value="([^"]+)""#)
            .unwrap()
            .captures_iter(&page.body)
            .map(|c| c[1].to_owned())
            .collect();
        assert!(!ids.is_empty(), "cards are waiting");
        let mut fields: Vec<(&str, &str)> = vec![("csrf", &csrf), ("action", "download")];
        fields.extend(ids.iter().map(|id| ("d", id.as_str())));
        let pdf = officer_browser.post_form("/officer/cards", &fields).await;
        pdf.assert_status(StatusCode::OK);
        assert_eq!(pdf.header("content-type"), "application/pdf");
        assert!(pdf.bytes.starts_with(b"%PDF-"));
        if let Ok(dir) = std::env::var("IZIN_TEST_ARTIFACTS") {
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(std::path::Path::new(&dir).join("cards.pdf"), &pdf.bytes);
        }
        fields[1] = ("action", "print");
        let printed = officer_browser.post_form("/officer/cards", &fields).await;
        printed.assert_status(StatusCode::OK);
        printed.assert_contains("data-cards-notice");
        printed
    }

    async fn a_card_is_printed_shipped_and_tracked_to_delivery(app: TestApp) {
        app.import_registry(crate::applications::registry()).await;
        let mut client = app.browser();
        let (applicant, id, _) = paid_card(&app, &mut client, "card.holder@example.com").await;
        // Waiting to be printed: the holder is told it will come.
        let mut holder = app.browser();
        holder.ip = "198.51.100.21:41000".parse().unwrap();
        holder.sign_in("card.holder@example.com").await;
        holder
            .get(&format!("/applications/{id}"))
            .await
            .assert_contains("data-shipment-waiting");
        print_all(&app, "printer@labour.example").await;
        let document = document_of(&mut client, &applicant, &id).await;
        let shipment = &document["shipments"][0];
        let tracking = shipment["tracking_number"].as_str().unwrap().to_owned();
        assert!(izin_domain::cargo::TrackingNumber::parse(&tracking).is_ok());
        assert_eq!(shipment["status"], "created");
        assert!(!shipment["address"].as_str().unwrap().is_empty());

        let now = app.clock.now().unix_timestamp();
        let at = |h: i64| {
            (app.clock.now() + Duration::hours(h))
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap()
        };
        let applied = report(
            &mut client,
            CARGO_SECRET,
            status_report("c1", &tracking, "accepted", &at(1)),
            now,
        )
        .await;
        applied.assert_status(StatusCode::OK);
        assert_eq!(applied.json()["status"], "applied");
        // Replayed: nothing new.
        let replay = report(
            &mut client,
            CARGO_SECRET,
            status_report("c1", &tracking, "accepted", &at(1)),
            now,
        )
        .await;
        assert_eq!(replay.json()["status"], "duplicate");
        // Out of order: out for delivery first, then the late "in transit".
        report(
            &mut client,
            CARGO_SECRET,
            status_report("c3", &tracking, "out_for_delivery", &at(3)),
            now,
        )
        .await
        .assert_status(StatusCode::OK);
        let late = report(
            &mut client,
            CARGO_SECRET,
            status_report("c2", &tracking, "in_transit", &at(2)),
            now,
        )
        .await;
        assert_eq!(late.json()["status"], "stale");
        assert_eq!(late.json()["shipment_status"], "out_for_delivery");
        app.deliver_mail().await;
        let mail = app
            .mails()
            .into_iter()
            .find(|m| m.to.contains("card.holder@example.com") && m.subject.contains(&tracking))
            .expect("the out-for-delivery mail");
        assert!(mail.text.contains(&tracking));
        report(
            &mut client,
            CARGO_SECRET,
            status_report("c4", &tracking, "delivered", &at(4)),
            now,
        )
        .await
        .assert_status(StatusCode::OK);
        let document = document_of(&mut client, &applicant, &id).await;
        assert_eq!(document["shipments"][0]["status"], "delivered");
        holder
            .get(&format!("/applications/{id}"))
            .await
            .assert_contains("data-shipment-status=\"delivered\"")
            .assert_contains(&tracking);
        // Another user cannot see the shipment.
        let stranger = app.api_user("not.the.holder@example.com").await;
        call(
            &mut client,
            Method::GET,
            &format!("/api/v1/applications/{id}"),
            &stranger,
            None,
        )
        .await
        .assert_status(StatusCode::NOT_FOUND);
    }

    async fn a_returned_card_goes_back_to_the_officers_and_out_again(app: TestApp) {
        app.import_registry(crate::applications::registry()).await;
        let mut client = app.browser();
        let (applicant, id, _) = paid_card(&app, &mut client, "moved@example.com").await;
        print_all(&app, "printer2@labour.example").await;
        let document = document_of(&mut client, &applicant, &id).await;
        let tracking = document["shipments"][0]["tracking_number"]
            .as_str()
            .unwrap()
            .to_owned();
        let now = app.clock.now().unix_timestamp();
        let at = app
            .clock
            .now()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        report(
            &mut client,
            CARGO_SECRET,
            status_report("r1", &tracking, "returned_to_sender", &at),
            now,
        )
        .await
        .assert_status(StatusCode::OK);
        app.deliver_mail().await;
        assert!(
            app.mails()
                .iter()
                .any(|m| m.to.contains("moved@example.com") && m.subject.contains(&tracking)),
            "the holder hears the card came back"
        );
        let clerk = officer(
            &app,
            "reshipper@labour.example",
            Authority::Labour,
            &[Role::Evaluator],
        )
        .await;
        let mut officer_browser = app.browser();
        crate::back_office::sign_in_on_pages(
            &app,
            &mut officer_browser,
            "reshipper@labour.example",
            &clerk.secret,
        )
        .await;
        let page = officer_browser.get("/officer/cards").await;
        page.assert_contains(&format!("data-returned=\"{tracking}\""));
        let csrf = page.csrf();
        let shipment_id = regex_lite::Regex::new(r#"/officer/cards/returned/([^/]+)/reship"#)
            .unwrap()
            .captures(&page.body)
            .unwrap()[1]
            .to_owned();
        let path = format!("/officer/cards/returned/{shipment_id}/reship");
        officer_browser
            .post_form(&path, &[("csrf", &csrf), ("address", "  ")])
            .await
            .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let sent = officer_browser
            .post_form(
                &path,
                &[
                    ("csrf", &csrf),
                    ("address", "Atatürk Bulvarı 100, Çankaya/Ankara"),
                ],
            )
            .await;
        sent.assert_status(StatusCode::OK);
        sent.assert_contains("data-cards-notice");
        officer_browser
            .post_form(&path, &[("csrf", &csrf), ("address", "Again")])
            .await
            .assert_status(StatusCode::CONFLICT);
        let document = document_of(&mut client, &applicant, &id).await;
        let shipments = document["shipments"].as_array().unwrap();
        assert_eq!(shipments.len(), 2);
        assert_eq!(shipments[0]["status"], "created");
        assert_eq!(
            shipments[0]["address"],
            "Atatürk Bulvarı 100, Çankaya/Ankara"
        );
        assert_ne!(shipments[0]["tracking_number"], json!(tracking));
        // Another authority's officer sees nothing to print or re-ship.
        let stranger = officer(
            &app,
            "migration.clerk@migration.example",
            Authority::Migration,
            &[Role::Evaluator],
        )
        .await;
        let mut other = app.browser();
        crate::back_office::sign_in_on_pages(
            &app,
            &mut other,
            "migration.clerk@migration.example",
            &stranger.secret,
        )
        .await;
        let page = other.get("/officer/cards").await;
        page.assert_contains("data-no-cards");
        assert!(!page.body.contains(&tracking));
    }

    async fn cargo_reports_need_the_signature(app: TestApp) {
        let mut client = app.browser();
        let now = app.clock.now().unix_timestamp();
        let body = status_report("x1", "KP123456785TR", "accepted", "2026-11-22T10:00:00Z");
        report(
            &mut client,
            b"a-wrong-secret-of-at-least-thirty-two-bytes",
            body.clone(),
            now,
        )
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
        report(&mut client, CARGO_SECRET, body.clone(), now - 3600)
            .await
            .assert_status(StatusCode::UNAUTHORIZED);
        report(&mut client, CARGO_SECRET, body, now)
            .await
            .assert_status(StatusCode::NOT_FOUND);
        let bad = report(
            &mut client,
            CARGO_SECRET,
            status_report("x2", "KP123456785TR", "lost", "2026-11-22T10:00:00Z"),
            now,
        )
        .await;
        bad.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
}
