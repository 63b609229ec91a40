//! The New Card Application through the API, on both databases: each of the three reasons from
//! an approved, card-bearing exemption to a numbered application with its amounts, the refusal
//! when the migration registry records nothing different, the checks of the exemption it is
//! about, what blocks what, and 404 for everyone else.

use crate::applications::{ANKARA_ADDRESS, FOREIGNER_ID, REFERENCE, call, codes, registry};
use crate::harness::{Browser, Part, TestApp};
use crate::profile::complete_profile;
use axum::http::{Method, StatusCode};
use izin_documents::fixtures;
use izin_domain::application::Event;
use izin_domain::audit::{Actor, ClientInfo};
use serde_json::{Value, json};
use uuid::Uuid;

crate::on_both_databases!(
    a_lost_card_is_numbered_with_half_a_years_fee_and_the_valuable_paper,
    a_changed_surname_shows_both_columns_and_pays_the_valuable_paper_only,
    nothing_different_in_the_registry_means_no_new_card,
    a_card_printed_wrongly_needs_a_description_and_both_documents_and_is_reviewed,
    only_an_active_exemption_with_a_card_of_ones_own_may_have_a_new_card,
    a_new_card_waits_only_for_another_new_card_of_the_same_exemption,
    another_user_gets_404_on_every_new_card_route,
    the_pages_offer_a_new_card_and_file_each_reason_in_turkish,
);

const REGISTERED: &str = "Kavaklıdere Mah. Atatürk Blv. No: 211 İç Kapı No: 12";

/// The migration registry's record of the profile's person; `last_name` as given.
fn person(last_name: &str) -> Value {
    json!({"foreigner_id": FOREIGNER_ID, "first_name": "Ayşe Nur", "last_name": last_name,
           "mother_name": "Fatma", "father_name": "Mehmet", "nationality": "AZE",
           "date_of_birth": "1995-04-01"})
}

async fn import(app: &TestApp, last_name: &str) {
    let mut fixture = registry();
    fixture["residence_rights"] = json!([]);
    fixture["people"] = json!([person(last_name)]);
    app.import_registry(fixture).await;
}

/// Moves an application along as the officers and the portal would.
async fn moves(app: &TestApp, id: &str, events: &[(Actor, Event)]) {
    let service = app.app.applications();
    let id = Uuid::parse_str(id).unwrap();
    for (actor, event) in events {
        let reason = (*event == Event::Reject).then_some("The programme was cancelled.");
        service
            .apply(None, *actor, id, *event, reason, &ClientInfo::default())
            .await
            .unwrap_or_else(|e| panic!("{event:?}: {e}"));
    }
}

/// A submitted six-month research stay from abroad (a card comes with it). Returns its id.
async fn submitted_research(client: &mut Browser<'_>, bearer: &str, months: &str) -> String {
    let id = call(
        client,
        Method::POST,
        "/api/v1/applications",
        bearer,
        Some(json!({"kind": "work-permit-exemption", "category": "research-and-experience"})),
    )
    .await
    .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let base = format!("/api/v1/applications/{id}");
    for (step, body) in [
        (
            "place",
            json!({"place": "abroad", "reference_number": REFERENCE}),
        ),
        ("consent", json!({"kvkk_explicit_consent": true})),
        (
            "employment",
            json!({
                "occupation_code": "2310.05", "start_date": "2027-01-04", "end_date": months,
                "certificate_requested": false,
                "residential_code": ANKARA_ADDRESS, "address_type": "workplace",
                "province": "Ankara", "district": "Çankaya",
                "about": "Visiting researcher at the university's materials laboratory.",
                "has_employer": false, "insurance_paid": "abroad"
            }),
        ),
    ] {
        let saved = call(
            client,
            Method::PUT,
            &format!("{base}/{step}"),
            bearer,
            Some(body),
        )
        .await;
        assert_eq!(saved.status, StatusCode::OK, "{step}: {}", saved.json());
    }
    for slot in ["host-acceptance-letter", "research-programme"] {
        upload(client, bearer, &id, slot).await;
    }
    call(
        client,
        Method::POST,
        &format!("{base}/submit"),
        bearer,
        None,
    )
    .await
    .assert_status(StatusCode::OK);
    id
}

async fn upload(client: &mut Browser<'_>, bearer: &str, id: &str, slot: &str) -> Value {
    let page = client
        .post_multipart(
            &format!("/api/v1/applications/{id}/documents"),
            &[
                Part::Text("slot", slot),
                Part::File {
                    name: "file",
                    file_name: "scan.jpg",
                    content_type: "image/jpeg",
                    bytes: &fixtures::jpeg(800, 1000),
                },
            ],
            &[("authorization", bearer)],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{slot}: {}", page.json());
    page.json()
}

/// A user holding an approved, ACTIVE six-month exemption (evaluated, approved with fees,
/// paid). Returns the bearer and the exemption's id.
async fn holder(app: &TestApp, client: &mut Browser<'_>, email: &str) -> (String, String) {
    let bearer = app.api_user(email).await;
    complete_profile(app, client, &bearer).await;
    let id = submitted_research(client, &bearer, "2027-07-02").await;
    let officer = Actor::Officer(Uuid::new_v4());
    moves(
        app,
        &id,
        &[
            (officer, Event::StartEvaluation),
            (officer, Event::ApproveWithFees),
            (Actor::System, Event::ConfirmPayment),
        ],
    )
    .await;
    (bearer, id)
}

/// What My Applications (the API's list) offers to start about `id`.
async fn starts(client: &mut Browser<'_>, bearer: &str, id: &str) -> Value {
    let list = call(client, Method::GET, "/api/v1/applications", bearer, None)
        .await
        .json();
    list.as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .expect("listed")["starts"]
        .clone()
}

async fn new_card(client: &mut Browser<'_>, bearer: &str, parent: &str) -> crate::harness::Page {
    call(
        client,
        Method::POST,
        "/api/v1/applications",
        bearer,
        Some(json!({"kind": "new-card", "parent": parent})),
    )
    .await
}

async fn started(client: &mut Browser<'_>, bearer: &str, parent: &str) -> String {
    let created = new_card(client, bearer, parent).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json());
    created.json()["id"].as_str().unwrap().to_owned()
}

async fn card(
    client: &mut Browser<'_>,
    bearer: &str,
    id: &str,
    body: Value,
) -> crate::harness::Page {
    call(
        client,
        Method::PUT,
        &format!("/api/v1/applications/{id}/card"),
        bearer,
        Some(body),
    )
    .await
}

async fn preview(client: &mut Browser<'_>, bearer: &str, id: &str) -> Value {
    call(
        client,
        Method::GET,
        &format!("/api/v1/applications/{id}/preview"),
        bearer,
        None,
    )
    .await
    .json()
}

fn amounts(preview: &Value) -> Vec<(String, String)> {
    preview["amounts"]
        .as_array()
        .expect("amounts")
        .iter()
        .map(|a| {
            (
                a["kind"].as_str().unwrap().to_owned(),
                a["account_code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn a_lost_card_is_numbered_with_half_a_years_fee_and_the_valuable_paper(app: TestApp) {
    import(&app, "Yılmaz").await;
    let mut client = app.browser();
    let (bearer, exemption) = holder(&app, &mut client, "holder@example.com").await;
    assert_eq!(
        starts(&mut client, &bearer, &exemption).await,
        json!(["new-card"])
    );
    let id = started(&mut client, &bearer, &exemption).await;
    let draft = call(
        &mut client,
        Method::GET,
        &format!("/api/v1/applications/{id}"),
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(draft["kind"], "new-card");
    assert_eq!(draft["parent"], exemption.as_str());
    assert_eq!(draft["title"], "New Card Application");
    assert_eq!(draft["data"]["registered_address"]["address"], REGISTERED);
    assert_eq!(draft["data"]["system_identity"]["last_name"], "Yılmaz");
    let saved = card(
        &mut client,
        &bearer,
        &id,
        json!({"reason": "lost_or_stolen"}),
    )
    .await;
    saved.assert_status(StatusCode::OK);
    assert_eq!(saved.json()["data"]["reason"], "lost_or_stolen");
    let shown = preview(&mut client, &bearer, &id).await;
    assert_eq!(shown["ready"], true, "{}", shown["failures"]);
    assert_eq!(shown["decided_after_review"], false);
    assert_eq!(shown["comparison"], Value::Null);
    assert_eq!(
        amounts(&shown),
        [
            ("exemption_fee".to_owned(), "9280".to_owned()),
            ("valuable_paper_fee".to_owned(), "9268".to_owned())
        ]
    );
    // Half of one year's exemption fee at the year's rate, and the whole valuable paper fee.
    let fees = &app.app.catalog.fees;
    let year = shown["amounts"][0]["year"].as_i64().unwrap() as i32;
    let table = fees.for_year(year).unwrap();
    assert_eq!(
        shown["amounts"][0]["amount"],
        fees.lost_card
            .exemption_fee
            .of(table.exemption_fee_per_year)
            .decimal()
    );
    assert_eq!(
        shown["amounts"][1]["amount"],
        table.valuable_paper_fee.decimal()
    );
    // Idempotent like every submit.
    let path = format!("/api/v1/applications/{id}/submit");
    let headers = [
        ("authorization", bearer.as_str()),
        ("idempotency-key", "new-card-lost-1"),
    ];
    let first = client
        .send(Method::POST, &path, None, Vec::new(), &headers)
        .await;
    first.assert_status(StatusCode::OK);
    let number = first.json()["number"].as_str().unwrap().to_owned();
    let again = client
        .send(Method::POST, &path, None, Vec::new(), &headers)
        .await;
    again.assert_status(StatusCode::OK);
    assert_eq!(
        again.json()["number"],
        number.as_str(),
        "the same number again"
    );
    let list = call(
        &mut client,
        Method::GET,
        "/api/v1/applications",
        &bearer,
        None,
    )
    .await
    .json();
    let listed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id.as_str())
        .expect("listed");
    // A lost card's price is fixed: it waits for payment at once (system actor), with the
    // notice's amounts, reference and deadline.
    assert_eq!(listed["status"], "PAYMENT_PENDING");
    assert_eq!(listed["number"], number.as_str());
    assert_eq!(listed["title"], "New Card Application");
    let detail = call(
        &mut client,
        Method::GET,
        &format!("/api/v1/applications/{id}"),
        &bearer,
        None,
    )
    .await
    .json();
    let history = detail["history"].as_array().unwrap();
    assert_eq!(history.last().unwrap()["event"], "require_payment");
    assert_eq!(history.last().unwrap()["actor"], "system");
    let payment = &detail["payment"];
    assert_eq!(payment["foreigner_id"], FOREIGNER_ID);
    assert_eq!(payment["items"].as_array().unwrap().len(), 2);
    assert_eq!(payment["items"][0]["account_code"], "9280");
    assert_eq!(payment["items"][1]["account_code"], "9268");
    assert_eq!(payment["items"][1]["amount"], "964.00");
    assert!(
        izin_domain::payment::TransactionReference::parse(
            payment["reference_number"].as_str().unwrap()
        )
        .is_ok()
    );
    assert_eq!(listed["parent"], exemption.as_str());
    assert_eq!(listed["exemption_status"], Value::Null);
    // Pending: no second new card is offered for the exemption.
    assert_eq!(starts(&mut client, &bearer, &exemption).await, json!([]));
    // The confirmation mail, in the holder's language, names the kind and the number.
    app.deliver_mail().await;
    let mails = app.mails();
    let mail = mails
        .iter()
        .rev()
        .find(|m| m.text.contains(&number))
        .expect("a confirmation mail");
    assert!(mail.text.contains("New Card Application"), "{}", mail.text);
    let audit = app.audit_actions(&format!("application:{id}")).await;
    assert!(
        audit.iter().any(|a| a == "application.created"),
        "{audit:?}"
    );
    assert!(audit.iter().any(|a| a == "application.moved"), "{audit:?}");
}

async fn a_changed_surname_shows_both_columns_and_pays_the_valuable_paper_only(app: TestApp) {
    import(&app, "Yılmaz-Kaya").await;
    let mut client = app.browser();
    let (bearer, exemption) = holder(&app, &mut client, "married@example.com").await;
    let id = started(&mut client, &bearer, &exemption).await;
    card(
        &mut client,
        &bearer,
        &id,
        json!({"reason": "personal_information_change",
               "different_address": {"residential_code": ANKARA_ADDRESS}}),
    )
    .await
    .assert_status(StatusCode::OK);
    let shown = preview(&mut client, &bearer, &id).await;
    assert_eq!(shown["ready"], true, "{}", shown["failures"]);
    let comparison = &shown["comparison"];
    assert_eq!(comparison["system"]["last_name"], "Yılmaz");
    assert_eq!(comparison["registry"]["last_name"], "Yılmaz-Kaya");
    assert_eq!(comparison["registry"]["foreigner_id"], FOREIGNER_ID);
    assert_eq!(comparison["differs"], json!(["last_name"]));
    assert_eq!(
        amounts(&shown),
        [("valuable_paper_fee".to_owned(), "9268".to_owned())]
    );
    assert_eq!(
        shown["application"]["data"]["different_address"]["address"],
        REGISTERED
    );
    call(
        &mut client,
        Method::POST,
        &format!("/api/v1/applications/{id}/submit"),
        &bearer,
        None,
    )
    .await
    .assert_status(StatusCode::OK);
    // What was compared is frozen with the submission.
    let detail = call(
        &mut client,
        Method::GET,
        &format!("/api/v1/applications/{id}"),
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(
        detail["submitted"]["snapshot"]["data"]["comparison"]["differs"],
        json!(["last_name"])
    );
}

async fn nothing_different_in_the_registry_means_no_new_card(app: TestApp) {
    // First the registry has no record of the holder at all: refused, saying so.
    let mut fixture = registry();
    fixture["residence_rights"] = json!([]);
    app.import_registry(fixture).await;
    let mut client = app.browser();
    let (bearer, exemption) = holder(&app, &mut client, "same@example.com").await;
    let id = started(&mut client, &bearer, &exemption).await;
    let personal = json!({"reason": "personal_information_change"});
    card(&mut client, &bearer, &id, personal.clone())
        .await
        .assert_status(StatusCode::OK);
    let shown = preview(&mut client, &bearer, &id).await;
    assert_eq!(shown["ready"], false);
    assert_eq!(codes_of(&shown), ["new-card-not-in-registry"]);
    // Then it records the same person, the name written differently: nothing to change.
    import(&app, "YILMAZ").await;
    card(&mut client, &bearer, &id, personal)
        .await
        .assert_status(StatusCode::OK);
    let shown = preview(&mut client, &bearer, &id).await;
    assert_eq!(shown["ready"], false);
    assert_eq!(shown["comparison"]["differs"], json!([]));
    assert_eq!(codes_of(&shown), ["new-card-nothing-changed"]);
    assert_eq!(shown["failures"][0]["field"], "card.reason");
    assert!(
        shown["failures"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Provincial Directorate of Migration Management")
    );
    let refused = call(
        &mut client,
        Method::POST,
        &format!("/api/v1/applications/{id}/submit"),
        &bearer,
        None,
    )
    .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&refused.json()), ["new-card-nothing-changed"]);
}

fn codes_of(preview: &Value) -> Vec<&str> {
    preview["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect()
}

async fn a_card_printed_wrongly_needs_a_description_and_both_documents_and_is_reviewed(
    app: TestApp,
) {
    import(&app, "Yılmaz").await;
    let mut client = app.browser();
    let (bearer, exemption) = holder(&app, &mut client, "misprint@example.com").await;
    let id = started(&mut client, &bearer, &exemption).await;
    card(
        &mut client,
        &bearer,
        &id,
        json!({"reason": "administration_error"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let shown = preview(&mut client, &bearer, &id).await;
    let fields: Vec<&str> = shown["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "card.description",
            "card.supporting",
            "card.card_front_back"
        ]
    );
    assert!(
        shown["failures"][1]["message"]
            .as_str()
            .unwrap()
            .contains("Supporting Documents"),
        "{}",
        shown["failures"][1]
    );
    // A description too short is refused, saying the limits.
    let short = card(
        &mut client,
        &bearer,
        &id,
        json!({"reason": "administration_error", "description": "typo"}),
    )
    .await;
    short.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.json()["errors"][0]["field"], "description");
    card(
        &mut client,
        &bearer,
        &id,
        json!({"reason": "administration_error",
               "description": "My date of birth is printed as 1995-01-04; it is 1995-04-01."}),
    )
    .await
    .assert_status(StatusCode::OK);
    upload(&mut client, &bearer, &id, "supporting").await;
    let both = upload(&mut client, &bearer, &id, "card_front_back").await;
    assert_eq!(
        both["data"]["documents"]["card_front_back"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // A slot the kind does not have is refused.
    let unknown = client
        .post_multipart(
            &format!("/api/v1/applications/{id}/documents"),
            &[
                Part::Text("slot", "host-acceptance-letter"),
                Part::File {
                    name: "file",
                    file_name: "scan.jpg",
                    content_type: "image/jpeg",
                    bytes: &fixtures::jpeg(800, 1000),
                },
            ],
            &[("authorization", &bearer)],
        )
        .await;
    unknown.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let shown = preview(&mut client, &bearer, &id).await;
    assert_eq!(shown["ready"], true, "{}", shown["failures"]);
    assert_eq!(shown["decided_after_review"], true);
    assert_eq!(shown["amounts"], json!([]));
    call(
        &mut client,
        Method::POST,
        &format!("/api/v1/applications/{id}/submit"),
        &bearer,
        None,
    )
    .await
    .assert_status(StatusCode::OK);
    let detail = call(
        &mut client,
        Method::GET,
        &format!("/api/v1/applications/{id}"),
        &bearer,
        None,
    )
    .await
    .json();
    assert_eq!(detail["documents"].as_array().unwrap().len(), 2);
}

async fn only_an_active_exemption_with_a_card_of_ones_own_may_have_a_new_card(app: TestApp) {
    import(&app, "Yılmaz").await;
    let mut client = app.browser();
    let bearer = app.api_user("applicant@example.com").await;
    complete_profile(&app, &mut client, &bearer).await;
    // Submitted, not yet approved: no card yet.
    let pending = submitted_research(&mut client, &bearer, "2027-07-02").await;
    let refused = new_card(&mut client, &bearer, &pending).await;
    refused.assert_status(StatusCode::CONFLICT);
    assert_eq!(refused.json()["code"], "new-card-exemption-not-active");
    assert!(
        refused.json()["title"].as_str().unwrap().contains("ACTIVE"),
        "{}",
        refused.json()
    );
    // Two months without a certificate: approved, ACTIVE, but it came without a card.
    let officer = Actor::Officer(Uuid::new_v4());
    moves(
        &app,
        &pending,
        &[(officer, Event::StartEvaluation), (officer, Event::Reject)],
    )
    .await;
    let short = submitted_research(&mut client, &bearer, "2027-03-01").await;
    moves(
        &app,
        &short,
        &[
            (officer, Event::StartEvaluation),
            (officer, Event::ApproveDirectly),
        ],
    )
    .await;
    let no_card = new_card(&mut client, &bearer, &short).await;
    no_card.assert_status(StatusCode::CONFLICT);
    assert_eq!(no_card.json()["code"], "new-card-exemption-without-card");
    // No parent, a parent where none belongs, a category where none belongs.
    let missing = call(
        &mut client,
        Method::POST,
        "/api/v1/applications",
        &bearer,
        Some(json!({"kind": "new-card"})),
    )
    .await;
    missing.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.json()["errors"][0]["field"], "parent");
    let misplaced = call(
        &mut client,
        Method::POST,
        "/api/v1/applications",
        &bearer,
        Some(
            json!({"kind": "work-permit-exemption", "category": "research-and-experience",
                    "parent": short}),
        ),
    )
    .await;
    misplaced.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let category = call(
        &mut client,
        Method::POST,
        "/api/v1/applications",
        &bearer,
        Some(json!({"kind": "new-card", "category": "research-and-experience", "parent": short})),
    )
    .await;
    category.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    // Someone else's exemption, or one that does not exist: not found.
    let (_, theirs) = holder(&app, &mut client, "someone@example.com").await;
    new_card(&mut client, &bearer, &theirs)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    new_card(&mut client, &bearer, &Uuid::new_v4().to_string())
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

async fn a_new_card_waits_only_for_another_new_card_of_the_same_exemption(app: TestApp) {
    import(&app, "Yılmaz").await;
    let mut client = app.browser();
    let (bearer, exemption) = holder(&app, &mut client, "twice@example.com").await;
    let first = started(&mut client, &bearer, &exemption).await;
    card(
        &mut client,
        &bearer,
        &first,
        json!({"reason": "lost_or_stolen"}),
    )
    .await
    .assert_status(StatusCode::OK);
    // Two drafts may exist; once one is submitted, the other cannot be.
    let second = started(&mut client, &bearer, &exemption).await;
    card(
        &mut client,
        &bearer,
        &second,
        json!({"reason": "lost_or_stolen"}),
    )
    .await
    .assert_status(StatusCode::OK);
    call(
        &mut client,
        Method::POST,
        &format!("/api/v1/applications/{first}/submit"),
        &bearer,
        None,
    )
    .await
    .assert_status(StatusCode::OK);
    let blocked = call(
        &mut client,
        Method::POST,
        &format!("/api/v1/applications/{second}/submit"),
        &bearer,
        None,
    )
    .await;
    blocked.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&blocked.json()), ["rule-other-application-pending"]);
    new_card(&mut client, &bearer, &exemption)
        .await
        .assert_status(StatusCode::CONFLICT);
    // A pending new card blocks no new work-permit exemption.
    call(
        &mut client,
        Method::POST,
        "/api/v1/applications",
        &bearer,
        Some(json!({"kind": "work-permit-exemption", "category": "research-and-experience"})),
    )
    .await
    .assert_status(StatusCode::CREATED);
    // An exemption's own steps do not exist on a new card.
    call(
        &mut client,
        Method::PUT,
        &format!("/api/v1/applications/{second}/consent"),
        &bearer,
        Some(json!({"kvkk_explicit_consent": true})),
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
    // Nor the new card's on an exemption.
    card(
        &mut client,
        &bearer,
        &exemption,
        json!({"reason": "lost_or_stolen"}),
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
}

async fn another_user_gets_404_on_every_new_card_route(app: TestApp) {
    import(&app, "Yılmaz").await;
    let mut client = app.browser();
    let (bearer, exemption) = holder(&app, &mut client, "owner@example.com").await;
    let id = started(&mut client, &bearer, &exemption).await;
    let stranger = app.api_user("stranger@example.com").await;
    let base = format!("/api/v1/applications/{id}");
    for (method, path, body) in [
        (Method::GET, base.clone(), None),
        (Method::GET, format!("{base}/preview"), None),
        (
            Method::PUT,
            format!("{base}/card"),
            Some(json!({"reason": "lost_or_stolen"})),
        ),
        (Method::POST, format!("{base}/submit"), None),
        (Method::DELETE, base.clone(), None),
    ] {
        let answer = call(&mut client, method.clone(), &path, &stranger, body).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{method} {path}");
    }
    new_card(&mut client, &stranger, &exemption)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let page = client
        .post_multipart(
            &format!("{base}/documents"),
            &[
                Part::Text("slot", "supporting"),
                Part::File {
                    name: "file",
                    file_name: "scan.jpg",
                    content_type: "image/jpeg",
                    bytes: &fixtures::jpeg(800, 1000),
                },
            ],
            &[("authorization", &stranger)],
        )
        .await;
    page.assert_status(StatusCode::NOT_FOUND);
    // The owner's draft is untouched.
    let mine = call(&mut client, Method::GET, &base, &bearer, None)
        .await
        .json();
    assert_eq!(mine["data"]["reason"], Value::Null);
}

fn capture(page: &crate::harness::Page, pattern: &str) -> String {
    regex_lite::Regex::new(pattern)
        .unwrap()
        .captures(&page.body)
        .unwrap_or_else(|| panic!("{pattern} not in {}", page.body))[1]
        .to_owned()
}

/// Through the pages, in Turkish: My Applications offers "Yeni Kart Başvurusu" for the active
/// exemption; each reason is chosen, shown with its amounts, previewed and created.
async fn the_pages_offer_a_new_card_and_file_each_reason_in_turkish(app: TestApp) {
    import(&app, "Yılmaz-Kaya").await;
    let mut api = app.browser();
    let (_, exemption) = holder(&app, &mut api, "kart@example.com").await;
    app.advance(time::Duration::minutes(2));
    let mut browser = app.browser();
    browser.sign_in("kart@example.com").await;
    browser.switch_language("tr", "/panel").await;
    for (reason, extra) in [
        ("lost_or_stolen", None),
        ("personal_information_change", None),
        (
            "administration_error",
            Some("Doğum tarihim kartta 04.01.1995 yazıyor; doğrusu 01.04.1995."),
        ),
    ] {
        let list = browser.get("/applications").await;
        list.assert_contains("Yeni Kart Başvurusu");
        let start = format!("/applications/{exemption}/start/new-card");
        list.assert_contains(&format!("action=\"{start}\""));
        let started = browser.post_form(&start, &[("csrf", &list.csrf())]).await;
        started.assert_status(StatusCode::SEE_OTHER);
        let card_path = started.location().to_owned();
        assert!(card_path.ends_with("/card"), "{card_path}");
        let id = card_path
            .trim_start_matches("/applications/")
            .trim_end_matches("/card")
            .to_owned();
        let card = browser.get(&card_path).await;
        card.assert_status(StatusCode::OK)
            .assert_contains("Kayıp / Çalıntı Nedeniyle Yeni Kart Talebi")
            .assert_contains("Sistemde Kayıtlı Adresiniz")
            .assert_contains(REGISTERED)
            .assert_contains("Ödenecek Tutarlar");
        let mut fields = vec![("csrf", card.csrf()), ("reason", reason.to_owned())];
        if let Some(description) = extra {
            fields.push(("description", description.to_owned()));
        }
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let saved = browser.post_form(&card_path, &fields).await;
        saved.assert_status(StatusCode::SEE_OTHER);
        if reason == "personal_information_change" {
            assert!(
                saved.location().ends_with("#comparison"),
                "{}",
                saved.location()
            );
            browser
                .get(&card_path)
                .await
                .assert_contains("Sistemdeki Güncel Bilgileriniz")
                .assert_contains("Göç İdaresi Başkanlığından Alınan Güncel Bilgileriniz")
                .assert_contains("data-differs")
                .assert_contains("Yılmaz-Kaya");
        }
        if reason == "administration_error" {
            for slot in ["supporting", "card_front_back"] {
                let page = browser.get(&card_path).await;
                let action = capture(&page, r#"action="(/applications/[^"]+/card/upload)""#);
                browser
                    .post_multipart(
                        &action,
                        &[
                            Part::Text("csrf", &page.csrf()),
                            Part::Text("slot", slot),
                            Part::File {
                                name: "file",
                                file_name: &format!("{slot}.pdf"),
                                content_type: "application/pdf",
                                bytes: &fixtures::minimal_pdf(),
                            },
                        ],
                        &[],
                    )
                    .await
                    .assert_status(StatusCode::SEE_OTHER);
            }
            browser
                .get(&card_path)
                .await
                .assert_contains("supporting.pdf")
                .assert_contains("card_front_back.pdf");
        }
        let preview = browser.get(&format!("/applications/{id}/preview")).await;
        preview
            .assert_status(StatusCode::OK)
            .assert_contains("Yeni Kart Başvurumu Oluştur");
        assert!(!preview.body.contains("data-rule"), "{}", preview.body);
        if reason == "administration_error" {
            preview.assert_contains("data-fees-after-review");
        }
        let key = capture(&preview, r#"name="idempotency_key" value="([^"]+)""#);
        browser
            .post_form(
                &format!("/applications/{id}/submit"),
                &[("csrf", &preview.csrf()), ("idempotency_key", &key)],
            )
            .await
            .assert_redirect(&format!("/applications/{id}/created"));
        browser
            .get(&format!("/applications/{id}"))
            .await
            .assert_contains("Yeni Kart Başvurusu");
        // Pending: the exemption offers no other new card until this one is decided.
        let list = browser.get("/applications").await;
        assert!(!list.body.contains(&start), "offered while one is pending");
        // A price fixed by the reason waits for payment at once (the applicant withdraws it
        // here); the administration's error waits for an officer's review.
        let record = app
            .app
            .store
            .application(None, Uuid::parse_str(&id).unwrap())
            .await
            .unwrap()
            .unwrap();
        let officer = Actor::Officer(Uuid::new_v4());
        if record.lifecycle.status == izin_domain::application::Status::PaymentPending {
            let owner = app.app.store.user(record.user_id).await.unwrap().unwrap();
            app.app
                .applications()
                .apply(
                    Some(&owner),
                    Actor::User(owner.id),
                    record.id,
                    Event::Withdraw,
                    None,
                    &ClientInfo::default(),
                )
                .await
                .expect("withdrawn");
        } else {
            moves(
                &app,
                &id,
                &[(officer, Event::StartEvaluation), (officer, Event::Reject)],
            )
            .await;
        }
    }
}
