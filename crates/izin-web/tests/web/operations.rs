//! What operators and newcomers rely on: health, metrics, the OpenAPI document, the mailbox,
//! security headers, languages and the pages every visitor sees.

use crate::harness::{Options, TestApp};
use axum::http::StatusCode;

crate::on_both_databases!(
    health_readiness_and_metrics_answer,
    the_dev_mailbox_lists_mail_newest_first,
    languages_follow_the_browser_then_the_choice,
    a_signed_in_users_choice_is_remembered_for_mail,
    switching_language_in_a_form_keeps_what_was_typed_and_saves_nothing,
);

async fn health_readiness_and_metrics_answer(app: TestApp) {
    let mut browser = app.browser();
    browser.get("/healthz").await.assert_status(StatusCode::OK);
    browser.get("/readyz").await.assert_status(StatusCode::OK);
    browser.get("/").await;
    let metrics = browser.get("/metrics").await;
    metrics
        .assert_status(StatusCode::OK)
        .assert_contains("izin_http_requests_total")
        .assert_contains("route=\"/\"");
}

async fn the_dev_mailbox_lists_mail_newest_first(app: TestApp) {
    let mut browser = app.browser();
    browser
        .get("/dev/mailbox")
        .await
        .assert_contains("No mail has been written yet");
    for email in ["first@example.com", "second@example.com"] {
        let page = browser.get("/login?before=yes").await;
        browser
            .post_form("/login/email", &[("csrf", &page.csrf()), ("email", email)])
            .await;
        app.advance(time::Duration::seconds(1));
        app.deliver_mail().await;
    }
    let mailbox = browser.get("/dev/mailbox").await;
    let first = mailbox.body.find("first@example.com").unwrap();
    let second = mailbox.body.find("second@example.com").unwrap();
    assert!(second < first, "newest first");
    let link = regex_lite::Regex::new(r#"href="(/dev/mailbox/[^"]+)""#).unwrap();
    let href = link.captures(&mailbox.body).unwrap()[1].to_owned();
    let message = browser.get(&href).await;
    message
        .assert_status(StatusCode::OK)
        .assert_contains("second@example.com");
    assert!(crate::harness::extract_code(&message.body).is_some());
    browser
        .get("/dev/mailbox/..%2Fizin.db")
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

async fn languages_follow_the_browser_then_the_choice(app: TestApp) {
    let mut browser = app
        .browser()
        .with_header("accept-language", "tr-TR,tr;q=0.9,en;q=0.5");
    let home = browser.get("/").await;
    home.assert_contains("<html lang=\"tr\">")
        .assert_contains("Muafiyet Başvurusu Yap");
    let faq = browser.get("/faq").await;
    let csrf = faq.csrf();
    // The switch is a POST with the page's token; a GET changes nothing.
    browser
        .get("/lang/en?next=%2Ffaq")
        .await
        .assert_status(StatusCode::METHOD_NOT_ALLOWED);
    let switched = browser
        .post_form("/lang/en", &[("csrf", &csrf), ("next", "/faq")])
        .await;
    switched.assert_redirect("/faq");
    assert!(
        switched
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("izin_lang=en")),
        "{:?}",
        switched.set_cookies()
    );
    browser
        .get("/")
        .await
        .assert_contains("<html lang=\"en\">")
        .assert_contains("Apply for Work Permit Exemption");
    browser
        .post_form(
            "/lang/en",
            &[("csrf", &csrf), ("next", "https://evil.example/")],
        )
        .await
        .assert_redirect("/");
    browser
        .post_form("/lang/de", &[("csrf", &csrf)])
        .await
        .assert_status(StatusCode::NOT_FOUND);
    // Without the page's token, nothing changes.
    browser
        .post_form("/lang/tr", &[("next", "/")])
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let mut english = app.browser();
    english.get("/").await.assert_contains("<html lang=\"en\">");
}

async fn a_signed_in_users_choice_is_remembered_for_mail(app: TestApp) {
    let mut browser = app.browser();
    browser.sign_in("dil@example.com").await;
    browser.switch_language("tr", "/panel").await;
    let user = app
        .app
        .store
        .user_by_email_key("dil@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.language, izin_domain::Language::Tr);
    // A fresh browser without the cookie still opens in the user's language once signed in.
    let page = browser.get("/panel").await;
    page.assert_contains("Hoş geldiniz");
    time::Duration::minutes(2);
    app.advance(time::Duration::minutes(2));
    let mut other = app.browser();
    let login = other.get("/login?before=yes").await;
    other
        .post_form(
            "/login/email",
            &[("csrf", &login.csrf()), ("email", "dil@example.com")],
        )
        .await;
    app.deliver_mail().await;
    // The code request came from an English page: the mail is in the language of the request.
    assert_eq!(app.mails()[0].subject, "Your one-time code for Izin");
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let app = TestApp::sqlite().await;
    let mut browser = app.browser();
    for path in ["/", "/login", "/faq", "/api/v1/me", "/nowhere", "/healthz"] {
        let page = browser.get(path).await;
        let csp = page.header("content-security-policy");
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(page.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(page.header("referrer-policy"), "same-origin", "{path}");
        assert!(
            page.header("strict-transport-security").is_empty(),
            "no HSTS over http"
        );
    }
}

#[tokio::test]
async fn https_installations_use_host_prefixed_secure_cookies() {
    let options = Options {
        base_url: "https://izin.example.org".into(),
        ..Options::default()
    };
    let app = TestApp::with("sqlite", options).await.unwrap();
    let mut browser = app.browser().with_header("host", "izin.example.org");
    let login = browser.get("/login?before=yes").await;
    let csrf_cookie = login
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("__Host-izin_csrf="))
        .expect("csrf cookie");
    assert!(
        csrf_cookie.contains("; Secure") && csrf_cookie.contains("Path=/"),
        "{csrf_cookie}"
    );
    assert!(
        login
            .header("strict-transport-security")
            .contains("max-age")
    );
    browser
        .post_form(
            "/login/email",
            &[("csrf", &login.csrf()), ("email", "secure@example.com")],
        )
        .await
        .assert_redirect("/login/code");
    let code = app.code_for("secure@example.com").await;
    let page = browser.get("/login/code").await;
    let signed_in = browser
        .post_form("/login/code", &[("csrf", &page.csrf()), ("code", &code)])
        .await;
    let session = signed_in
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("__Host-izin_session="))
        .expect("session cookie");
    assert!(
        session.contains("; Secure") && session.contains("HttpOnly"),
        "{session}"
    );
}

#[tokio::test]
async fn the_mailbox_does_not_exist_when_mail_is_sent() {
    let options = Options {
        dev_tools: false,
        ..Options::default()
    };
    let app = TestApp::with("sqlite", options).await.unwrap();
    app.browser()
        .get("/dev/mailbox")
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let app = TestApp::sqlite().await;
    let doc = app.browser().get("/api/openapi.json").await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for expected in [
        "/api/v1/auth/email-code",
        "/api/v1/auth/email-code/verify",
        "/api/v1/auth/logout",
        "/api/v1/me",
    ] {
        assert!(
            paths.contains(&expected),
            "{expected} missing from {paths:?}"
        );
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

/// Every answer the server gives must be one the document lists: the schemathesis run in CI
/// checks this at scale; this test pins the shape answers (401 without a token, 400 for a
/// path parameter that is not an id, 404 for an id that does not exist) on every operation.
#[tokio::test]
async fn every_operation_documents_the_answers_it_gives_to_strangers_and_bad_paths() {
    let app = TestApp::sqlite().await;
    let doc = app.browser().get("/api/openapi.json").await.json();
    let mut operation_ids = std::collections::BTreeSet::new();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Ok(method) = method.to_uppercase().parse::<axum::http::Method>() else {
                continue;
            };
            let id = operation["operationId"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            assert!(!id.is_empty(), "{method} {path} has no operationId");
            assert!(
                operation_ids.insert(id.clone()),
                "operationId {id} is used twice"
            );
            let documented = |status: StatusCode| {
                operation["responses"]
                    .get(status.as_str())
                    .is_some_and(|answer| answer["description"].as_str().is_some())
            };
            let secured = operation["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
            let has_path_params = path.contains('{');
            let concrete = |value: &str| {
                path.split('/')
                    .map(|segment| {
                        if segment.starts_with('{') {
                            value
                        } else {
                            segment
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("/")
            };
            let mut client = app.browser();
            if secured {
                assert!(documented(StatusCode::UNAUTHORIZED), "{method} {path}: 401");
                let answer = client
                    .send(
                        method.clone(),
                        &concrete("00000000-0000-7000-8000-000000000000"),
                        None,
                        Vec::new(),
                        &[],
                    )
                    .await;
                answer.assert_status(StatusCode::UNAUTHORIZED);
                assert_eq!(answer.header("content-type"), "application/problem+json");
                checked += 1;
            }
            if has_path_params && path.contains("{id}") {
                assert!(documented(StatusCode::BAD_REQUEST), "{method} {path}: 400");
                assert!(documented(StatusCode::NOT_FOUND), "{method} {path}: 404");
            }
        }
    }
    assert!(
        checked >= 20,
        "only {checked} secured operations were found"
    );
    // Signed in, a malformed id is a documented 400 and an unknown one a documented 404.
    let auth = app.api_user("paths@example.com").await;
    for (path, bad, missing) in [
        (
            "/api/v1/applications/{id}",
            "/api/v1/applications/not-a-uuid",
            "/api/v1/applications/00000000-0000-7000-8000-000000000000",
        ),
        (
            "/api/v1/me/documents/{id}/content",
            "/api/v1/me/documents/not-a-uuid/content",
            "/api/v1/me/documents/00000000-0000-7000-8000-000000000000/content",
        ),
    ] {
        assert!(
            doc["paths"][path]["get"]["responses"]["400"].is_object(),
            "{path}"
        );
        assert!(
            doc["paths"][path]["get"]["responses"]["404"].is_object(),
            "{path}"
        );
        let mut client = app.browser();
        let answer = client
            .send(
                axum::http::Method::GET,
                bad,
                None,
                Vec::new(),
                &[("authorization", auth.as_str())],
            )
            .await;
        answer.assert_status(StatusCode::BAD_REQUEST);
        assert_eq!(answer.header("content-type"), "application/problem+json");
        client
            .send(
                axum::http::Method::GET,
                missing,
                None,
                Vec::new(),
                &[("authorization", auth.as_str())],
            )
            .await
            .assert_status(StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn public_pages_exist_in_both_languages() {
    let app = TestApp::sqlite().await;
    for language in ["en", "tr"] {
        let mut browser = app.browser().with_header("accept-language", language);
        for path in [
            "/",
            "/who-can-apply",
            "/faq",
            "/guide",
            "/contact",
            "/privacy",
            "/kvkk",
            "/login",
            "/guide/tr",
            "/guide/en",
        ] {
            let page = browser.get(path).await;
            page.assert_status(StatusCode::OK);
            page.assert_contains(&format!("<html lang=\"{language}\">"));
        }
        browser
            .get("/no-such-page")
            .await
            .assert_status(StatusCode::NOT_FOUND);
    }
    let mut tr = app.browser().with_header("accept-language", "tr");
    tr.get("/no-such-page")
        .await
        .assert_contains("Sayfa bulunamadı");
}

/// Every text id a template or handler asks for must exist (in both languages; `Texts::load`
/// checks that they agree).
#[test]
fn every_text_used_exists() {
    let texts = izin_i18n::Texts::load().unwrap();
    let uses = regex_lite::Regex::new(r#"\bt\("([a-z0-9-]+)"\)|ctx\.tf?\("([a-z0-9-]+)""#).unwrap();
    let mut missing = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // Every file under templates/ and src/, however deep.
    let mut files = Vec::new();
    let mut dirs = vec![root.join("templates"), root.join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    for path in files {
        let source = std::fs::read_to_string(&path).unwrap();
        for captures in uses.captures_iter(&source) {
            let id = captures.get(1).or(captures.get(2)).unwrap().as_str();
            if !texts.has(id) {
                missing.push(format!("{}: {id}", path.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "texts missing from locales/: {missing:#?}"
    );
}

/// Refused uploads are explained by the message named by their code (`upload_message` falls
/// back to it), so every code must have one.
#[test]
fn every_upload_problem_has_a_message() {
    let texts = izin_i18n::Texts::load().unwrap();
    let codes = izin_documents::PdfProblem::ALL
        .iter()
        .map(izin_documents::PdfProblem::code)
        .chain(izin_documents::ImageProblem::CODES.iter().copied());
    let missing: Vec<&str> = codes.filter(|code| !texts.has(code)).collect();
    assert!(missing.is_empty(), "no message for {missing:?}");
}

async fn switching_language_in_a_form_keeps_what_was_typed_and_saves_nothing(app: TestApp) {
    let mut browser = app.browser();
    browser.sign_in("typed@example.com").await;
    let form = browser.get("/profile/contact").await;
    // The header's switch sends the page's form to its own address with the language.
    form.assert_contains("form=\"page-form\"")
        .assert_contains("formaction=\"/profile/contact?switch_language=tr\"")
        .assert_contains("id=\"page-form\"");
    let switched = browser
        .post_form(
            "/profile/contact?switch_language=tr",
            &[
                ("csrf", &form.csrf()),
                ("phone", "+90 532 123 45 67"),
                ("address", "Kızılay Mh. Atatürk Blv. No: 5"),
            ],
        )
        .await;
    switched
        .assert_status(StatusCode::OK)
        .assert_contains("<html lang=\"tr\">")
        .assert_contains("value=\"+90 532 123 45 67\"")
        .assert_contains("Kızılay Mh. Atatürk Blv. No: 5");
    assert!(
        switched
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("izin_lang=tr"))
    );
    let user = app
        .app
        .store
        .user_by_email_key("typed@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        user.language,
        izin_domain::Language::Tr,
        "remembered for mail"
    );
    let profile = app.app.store.profile(user.id).await.unwrap();
    assert!(profile.contact.phone.is_none(), "nothing was saved");
    // The page without a form switches with a form of its own.
    browser
        .get("/panel")
        .await
        .assert_contains("action=\"/lang/en\"")
        .assert_contains("name=\"next\" value=\"/panel\"");
}
