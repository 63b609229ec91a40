//! The wizard's rules as an applicant meets them, through the API and the pages, on both
//! databases: what a category admits, the deadline after entering Türkiye, a pending application
//! said up front, the address for a card or certificate, messages that name what to fix, and
//! warnings recorded for the officer.

use crate::applications::{call, codes, internship_employment, ready_internship, registry};
use crate::harness::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

crate::on_both_databases!(
    the_occupation_must_fit_the_category,
    a_domestic_application_is_made_within_thirty_days_of_entering,
    a_pending_application_is_said_when_new_application_is_opened,
    a_missing_answer_is_named_by_its_question,
    a_workplace_registered_elsewhere_is_a_warning_kept_on_the_application,
    a_certificate_under_three_months_needs_an_address,
    pages_say_what_they_mean,
    a_revision_after_the_entry_deadline_can_still_be_sent_back,
    an_idempotency_key_too_long_is_refused_never_ignored,
);

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
    let (status, problem) = crate::applications::submit_codes(&mut client, &bearer, &id).await;
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

async fn a_domestic_application_is_made_within_thirty_days_of_entering(app: TestApp) {
    // No residence right: the application rests on the entry. Today is 2026-11-22; entering on
    // 2026-10-23 makes today day 30, the last day.
    let mut fixture = registry();
    fixture["residence_rights"] = json!([]);
    fixture["border_crossings"] = json!([
        {"passport_number": crate::applications::PASSPORT, "passport_country": "DEU",
         "birth_year": 1995, "direction": "entry", "date": "2026-10-23"}
    ]);
    app.import_registry(fixture).await;
    let mut client = app.browser();
    let bearer = app.api_user("entered@example.com").await;
    crate::profile::complete_profile(&app, &mut client, &bearer).await;
    let id = call(
        &mut client,
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
    let place = json!({"place": "domestic", "passport_number": crate::applications::PASSPORT,
                       "passport_country": "DEU"});
    let saved = call(
        &mut client,
        Method::PUT,
        &format!("/api/v1/applications/{id}/place"),
        &bearer,
        Some(place.clone()),
    )
    .await;
    saved.assert_status(StatusCode::OK);
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
        detail["data"]["place"]["entered_on"], "2026-10-23",
        "{detail}"
    );

    // A day later the deadline has passed: the step says so and what to do instead.
    app.advance(time::Duration::days(1));
    let bearer = app.api_user("entered@example.com").await;
    let refused = call(
        &mut client,
        Method::PUT,
        &format!("/api/v1/applications/{id}/place"),
        &bearer,
        Some(place),
    )
    .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let problem = refused.json();
    assert_eq!(
        error_codes_of(&problem, "place"),
        ["entry-deadline-passed"],
        "{problem}"
    );
    let message = problem["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("23/10/2026")
            && message.contains("22/11/2026")
            && message.contains("30 days")
            && message.contains("Abroad Application"),
        "{message}"
    );
    // And "Create My Application" refuses the place confirmed yesterday.
    let (status, problem) = crate::applications::submit_codes(&mut client, &bearer, &id).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let deadline = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "rule-entry-deadline-passed")
        .unwrap_or_else(|| panic!("{problem}"));
    assert_eq!(deadline["step"], "place");
    assert!(
        deadline["message"]
            .as_str()
            .unwrap_or_default()
            .contains("22/11/2026"),
        "{deadline}"
    );
}

async fn a_pending_application_is_said_when_new_application_is_opened(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (bearer, id) = ready_internship(&app, &mut client, "pending@example.com").await;
    // A second draft, started before the first was created.
    let second = call(
        &mut client,
        Method::POST,
        "/api/v1/applications",
        &bearer,
        Some(json!({"kind": "work-permit-exemption", "category": "compulsory-internship"})),
    )
    .await;
    second.assert_status(StatusCode::CREATED);
    let second = second.json()["id"].as_str().unwrap().to_owned();
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

    // The API refuses a new one at once, saying which application is pending.
    let refused = call(
        &mut client,
        Method::POST,
        "/api/v1/applications",
        &bearer,
        Some(json!({"kind": "work-permit-exemption", "category": "compulsory-internship"})),
    )
    .await;
    refused.assert_status(StatusCode::CONFLICT);
    let problem = refused.json();
    assert_eq!(problem["code"], "other-application-pending");
    assert!(
        problem["detail"]
            .as_str()
            .or(problem["title"].as_str())
            .unwrap_or_default()
            .contains(&number),
        "{problem}"
    );

    // New Application says so when it is opened, and offers no form to fill in for nothing.
    app.advance(time::Duration::minutes(2));
    client.sign_in("pending@example.com").await;
    let page = client.get("/applications/new").await;
    page.assert_status(StatusCode::OK)
        .assert_contains("data-blocked")
        .assert_contains(&format!(
            "You already have an application under evaluation ({number})"
        ));
    assert!(!page.body.contains("name=\"place\""), "{}", page.body);
    // Starting one through the form anyway is refused with the same message.
    let started = client
        .post_form(
            "/applications/new",
            &[("csrf", &page.csrf()), ("place", "domestic")],
        )
        .await;
    started.assert_contains(&number);
    assert_eq!(
        call(
            &mut client,
            Method::GET,
            "/api/v1/applications",
            &bearer,
            None
        )
        .await
        .json()
        .as_array()
        .map(Vec::len),
        Some(2),
        "nothing new was created"
    );

    // The earlier draft's preview names the pending application without a "Fix this" that
    // could not fix it.
    let preview = client.get(&format!("/applications/{second}/preview")).await;
    let blocked = preview
        .body
        .lines()
        .find(|line| line.contains("data-rule") && line.contains(&number))
        .unwrap_or_else(|| panic!("{}", preview.body))
        .to_owned();
    assert!(!blocked.contains("<a "), "{blocked}");
}

async fn a_missing_answer_is_named_by_its_question(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (bearer, id) = ready_internship(&app, &mut client, "question@example.com").await;
    let contract = crate::applications::upload_other(&mut client, &bearer, "form.pdf").await;
    let mut unanswered = internship_employment(&contract);
    unanswered["has_employer"] = Value::Null;
    call(
        &mut client,
        Method::PUT,
        &format!("/api/v1/applications/{id}/employment"),
        &bearer,
        Some(unanswered),
    )
    .await
    .assert_status(StatusCode::OK);
    let (_, problem) = crate::applications::submit_codes(&mut client, &bearer, &id).await;
    let missing = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "employment.has_employer")
        .unwrap_or_else(|| panic!("{problem}"));
    assert_eq!(
        missing["message"],
        "Fill in \"Do you have a certain workplace and an employer in Türkiye?\"."
    );
    // The page names it too (in Turkish here), never "Please Choose".
    app.advance(time::Duration::minutes(2));
    client.sign_in("question@example.com").await;
    client.switch_language("tr", "/panel").await;
    let preview = client.get(&format!("/applications/{id}/preview")).await;
    preview.assert_contains("Türkiye&#39;de çalışacağınız işyeri belli ve işvereniniz var mı?");
    assert!(
        !preview.body.contains("&#34;Lütfen Seçiniz&#34;"),
        "{}",
        preview.body
    );
}

async fn a_workplace_registered_elsewhere_is_a_warning_kept_on_the_application(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (bearer, id) = ready_internship(&app, &mut client, "branch@example.com").await;
    let contract = crate::applications::upload_other(&mut client, &bearer, "form.pdf").await;
    // Work in İstanbul for a workplace registered in Bolu: accepted, with a warning.
    let mut branch = internship_employment(&contract);
    branch["sgk_number"] = json!(crate::applications::BOLU_SGK);
    let saved = call(
        &mut client,
        Method::PUT,
        &format!("/api/v1/applications/{id}/employment"),
        &bearer,
        Some(branch),
    )
    .await;
    saved.assert_status(StatusCode::OK);
    let employment = saved.json()["data"]["employment"].clone();
    assert_eq!(employment["workplace_province"], "Bolu");
    assert_eq!(employment["warnings"][0]["code"], "workplace-elsewhere");
    let message = employment["warnings"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains("Bolu") && message.contains("İstanbul"),
        "{message}"
    );

    // The next page says it before the applicant goes on.
    app.advance(time::Duration::minutes(2));
    client.sign_in("branch@example.com").await;
    client
        .get(&format!("/applications/{id}/documents"))
        .await
        .assert_contains("registered in Bolu, but you said you will work in İstanbul");

    // It does not stop "Create My Application", and the application keeps it for the officer.
    let submitted = call(
        &mut client,
        Method::POST,
        &format!("/api/v1/applications/{id}/submit"),
        &bearer,
        None,
    )
    .await;
    submitted.assert_status(StatusCode::OK);
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
        detail["data"]["employment"]["warnings"][0]["code"], "workplace-elsewhere",
        "{detail}"
    );
    client
        .get(&format!("/applications/{id}"))
        .await
        .assert_contains("registered in Bolu");
}

async fn a_certificate_under_three_months_needs_an_address(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (bearer, id) = ready_internship(&app, &mut client, "certificate@example.com").await;
    let contract = crate::applications::upload_other(&mut client, &bearer, "form.pdf").await;
    // Under three months, a certificate asked for, no address: saved (nothing typed is lost),
    // but "Create My Application" asks where to send it.
    let mut certificate = internship_employment(&contract);
    certificate["certificate_requested"] = json!(true);
    call(
        &mut client,
        Method::PUT,
        &format!("/api/v1/applications/{id}/employment"),
        &bearer,
        Some(certificate.clone()),
    )
    .await
    .assert_status(StatusCode::OK);
    let (status, problem) = crate::applications::submit_codes(&mut client, &bearer, &id).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        ["employment.residential_code", "employment.address_type"],
        "{problem}"
    );
    // With the address, it is kept and the application is created.
    certificate["residential_code"] = json!(crate::applications::ANKARA_ADDRESS);
    certificate["address_type"] = json!("residence");
    let saved = call(
        &mut client,
        Method::PUT,
        &format!("/api/v1/applications/{id}/employment"),
        &bearer,
        Some(certificate),
    )
    .await;
    saved.assert_status(StatusCode::OK);
    assert_eq!(
        saved.json()["data"]["employment"]["residential_code"],
        crate::applications::ANKARA_ADDRESS
    );
    let (status, created) = crate::applications::submit_codes(&mut client, &bearer, &id).await;
    assert_eq!(status, StatusCode::OK, "{created}");
}

async fn pages_say_what_they_mean(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (_, id) = ready_internship(&app, &mut client, "pages@example.com").await;
    app.advance(time::Duration::minutes(2));
    client.sign_in("pages@example.com").await;

    // Spouse fields say when they are required, not "(optional)".
    let personal = client.get("/profile/personal").await;
    let spouse = personal
        .body
        .split("for=\"spouse_first_name\"")
        .nth(1)
        .and_then(|rest| rest.split("</label>").next())
        .unwrap_or_default()
        .to_owned();
    assert!(spouse.contains("(required if you are married)"), "{spouse}");
    assert!(!spouse.contains("(optional)"), "{spouse}");

    // A blank section is not saved and says so.
    let contact = client.get("/profile/contact").await;
    let before = app
        .app
        .store
        .profile(client_user(&app, "pages@example.com").await)
        .await
        .unwrap();
    let blank = client
        .post_form(
            "/profile/contact",
            &[("csrf", &contact.csrf()), ("phone", ""), ("address", " ")],
        )
        .await;
    blank.assert_redirect("/profile/contact?saved=nothing");
    let page = client.get("/profile/contact?saved=nothing").await;
    page.assert_contains("Nothing was filled in, so nothing was saved.");
    assert!(!page.body.contains(">Saved."), "{}", page.body);
    let after = app
        .app
        .store
        .profile(client_user(&app, "pages@example.com").await)
        .await
        .unwrap();
    assert_eq!(before.contact, after.contact, "nothing stored was erased");

    // Removing a supporting document returns to its slot.
    let documents = client.get(&format!("/applications/{id}/documents")).await;
    let remove = regex_lite::Regex::new(r#"name="remove" value="([^"]+)""#)
        .unwrap()
        .captures(&documents.body)
        .unwrap()[1]
        .to_owned();
    let slot = regex_lite::Regex::new(
        r#"name="slot" value="([^"]+)">\s*<input type="hidden" name="remove""#,
    )
    .unwrap()
    .captures(&documents.body)
    .unwrap_or_else(|| panic!("{}", documents.body))[1]
        .to_owned();
    client
        .post_form(
            &format!("/applications/{id}/documents"),
            &[
                ("csrf", &documents.csrf()),
                ("slot", &slot),
                ("remove", &remove),
            ],
        )
        .await
        .assert_redirect(&format!("/applications/{id}/documents#slot-{slot}"));

    // One fact, one source: the category step and "Who Can Apply" state the internship's
    // limit in the same words, from the catalogue.
    let note = app
        .app
        .catalog
        .category("compulsory-internship")
        .unwrap()
        .1
        .max_period_note
        .clone()
        .unwrap()
        .en;
    let escaped = note.replace('\'', "&#39;");
    client
        .get(&format!("/applications/{id}/category"))
        .await
        .assert_contains(&escaped);
    let who = client.get("/who-can-apply").await;
    who.assert_contains(&escaped)
        .assert_contains("data-letter=\"n\"");
    assert!(!who.body.contains("[[categories]]"));
}

async fn client_user(app: &TestApp, email: &str) -> uuid::Uuid {
    app.app
        .store
        .user_by_email_key(izin_domain::EmailAddress::parse(email).unwrap().key())
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn a_revision_after_the_entry_deadline_can_still_be_sent_back(app: TestApp) {
    // No residence right: the application rests on an entry three weeks ago.
    let mut fixture = registry();
    fixture["residence_rights"] = json!([]);
    fixture["border_crossings"] = json!([
        {"passport_number": crate::applications::PASSPORT, "passport_country": "DEU",
         "birth_year": 1995, "direction": "entry", "date": "2026-11-01"}
    ]);
    app.import_registry(fixture).await;
    let mut client = app.browser();
    let (bearer, id) = ready_internship(&app, &mut client, "late-revision@example.com").await;
    let (status, created) = crate::applications::submit_codes(&mut client, &bearer, &id).await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let uuid = uuid::Uuid::parse_str(&id).unwrap();
    let officer = izin_domain::audit::Actor::Officer(uuid::Uuid::new_v4());
    let info = izin_domain::audit::ClientInfo::default();
    let service = app.app.applications();
    for (event, reason) in [
        (izin_domain::application::Event::StartEvaluation, None),
        (
            izin_domain::application::Event::RequestRevision,
            Some("Correct the dates."),
        ),
    ] {
        service
            .apply(None, officer, uuid, event, reason, &info)
            .await
            .unwrap();
    }
    // Six weeks after entering, the revision is made: the deadline was met when the application
    // was created, and the place cannot be changed in a revision anyway.
    app.advance(time::Duration::days(20));
    let bearer = app.api_user("late-revision@example.com").await;
    let contract = crate::applications::upload_other(&mut client, &bearer, "form.pdf").await;
    let mut employment = internship_employment(&contract);
    employment["start_date"] = json!("2027-01-04");
    employment["end_date"] = json!("2027-03-01");
    call(
        &mut client,
        Method::PUT,
        &format!("/api/v1/applications/{id}/employment"),
        &bearer,
        Some(employment),
    )
    .await
    .assert_status(StatusCode::OK);
    let sent = call(
        &mut client,
        Method::POST,
        &format!("/api/v1/applications/{id}/revision/submit"),
        &bearer,
        None,
    )
    .await;
    sent.assert_status(StatusCode::OK);
    assert_eq!(sent.json()["status"], "UNDER_EVALUATION", "{}", sent.body);
}

async fn an_idempotency_key_too_long_is_refused_never_ignored(app: TestApp) {
    app.import_registry(registry()).await;
    let mut client = app.browser();
    let (bearer, id) = ready_internship(&app, &mut client, "long-key@example.com").await;
    let submit = format!("/api/v1/applications/{id}/submit");
    let too_long = "k".repeat(201);
    let refused = client
        .send(
            Method::POST,
            &submit,
            None,
            Vec::new(),
            &[("authorization", &bearer), ("idempotency-key", &too_long)],
        )
        .await;
    refused.assert_status(StatusCode::BAD_REQUEST);
    assert_eq!(refused.json()["code"], "idempotency-key-invalid");
    assert_eq!(refused.json()["errors"][0]["field"], "Idempotency-Key");
    // Nothing was created: the longest key allowed creates it, and its retry gets the number.
    let longest = "k".repeat(200);
    let mut numbers = Vec::new();
    for _ in 0..2 {
        let created = client
            .send(
                Method::POST,
                &submit,
                None,
                Vec::new(),
                &[("authorization", &bearer), ("idempotency-key", &longest)],
            )
            .await;
        created.assert_status(StatusCode::OK);
        numbers.push(created.json()["number"].as_str().unwrap().to_owned());
    }
    assert_eq!(numbers[0], numbers[1]);

    // The page's form follows the same rule.
    let mut browser = app.browser();
    let (second_bearer, second) =
        ready_internship(&app, &mut browser, "long-key-page@example.com").await;
    // The API sign-up above just sent a code to this address; the page asks for a new one.
    app.advance(time::Duration::minutes(2));
    browser.sign_in("long-key-page@example.com").await;
    let preview = browser
        .get(&format!("/applications/{second}/preview"))
        .await;
    browser
        .post_form(
            &format!("/applications/{second}/submit"),
            &[("csrf", &preview.csrf()), ("idempotency_key", &too_long)],
        )
        .await
        .assert_status(StatusCode::BAD_REQUEST);
    let listed = call(
        &mut browser,
        Method::GET,
        &format!("/api/v1/applications/{second}"),
        &second_bearer,
        None,
    )
    .await
    .json();
    assert_eq!(listed["status"], "DRAFT", "{listed}");
}
