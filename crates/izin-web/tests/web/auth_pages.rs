//! Signing in through the pages: the seed's questions, the e-mail code and everything that can
//! go wrong with it; sessions; logging out; forged requests.

use crate::harness::{Browser, TestApp};
use axum::http::StatusCode;
use time::Duration;

crate::on_both_databases!(
    a_new_user_signs_up_with_the_emailed_code,
    a_returning_user_gets_the_same_account,
    wrong_codes_count_down_and_the_sixth_entry_is_refused,
    expired_replayed_and_superseded_codes_are_refused,
    a_second_code_within_a_minute_is_throttled,
    a_code_request_never_reveals_whether_an_account_exists,
    invalid_addresses_are_explained_and_kept,
    logging_out_ends_the_session_on_the_server,
    forged_and_cross_site_posts_are_refused,
    idle_sessions_expire_after_thirty_minutes,
    activity_and_extend_keep_a_session_but_not_beyond_twelve_hours,
    the_session_id_is_new_at_every_sign_in,
    the_other_login_branches_say_they_are_not_available_yet,
    the_passport_way_in_works_from_the_seeds_questions_in_both_languages,
);

async fn a_new_user_signs_up_with_the_emailed_code(app: TestApp) {
    let mut browser = app.browser();
    browser
        .get("/")
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("href=\"/login\"");
    let questions = browser.get("/login").await;
    questions.assert_contains("Have you logged into this system before?");
    let new_user = browser.get("/login?before=no&in_turkiye=yes&egov=no").await;
    new_user
        .assert_contains("Are you currently in Türkiye?")
        .assert_contains("Create your account with your e-mail address")
        .assert_contains("action=\"/login/declared\"");
    let csrf = new_user.csrf();
    let sent = browser
        .post_form(
            "/login/email",
            &[
                ("csrf", &csrf),
                ("email", "Yeni.Kullanici@Example.com"),
                ("before", "no"),
            ],
        )
        .await;
    sent.assert_redirect("/login/code");
    let code_page = browser.get("/login/code").await;
    code_page
        .assert_status(StatusCode::OK)
        .assert_contains("Yeni.Kullanici@Example.com");
    let code = app.code_for("yeni.kullanici@example.com").await;
    let mails = app.mails();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].subject, "Your one-time code for Izin");
    let signed_in = browser
        .post_form(
            "/login/code",
            &[
                ("csrf", &code_page.csrf()),
                ("code", &format!(" {}-{} ", &code[..3], &code[3..])),
            ],
        )
        .await;
    signed_in.assert_redirect("/panel");
    let session_cookie = signed_in
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("izin_session="))
        .expect("session cookie");
    assert!(
        session_cookie.contains("HttpOnly") && session_cookie.contains("SameSite=Lax"),
        "{session_cookie}"
    );
    let panel = browser.get("/panel").await;
    panel
        .assert_status(StatusCode::OK)
        .assert_contains("Yeni.Kullanici@Example.com")
        .assert_contains("Application Guide - TR")
        .assert_contains("My Applications");
    assert_eq!(panel.header("cache-control"), "no-store");
    let user = app
        .app
        .store
        .user_by_email_key("yeni.kullanici@example.com")
        .await
        .unwrap()
        .expect("account created");
    let actions = app.audit_actions(&format!("user:{}", user.id)).await;
    assert_eq!(actions, ["auth.signed_in", "account.created"]);
    let requests = app.audit_actions("email:yeni.kullanici@example.com").await;
    assert_eq!(requests, ["auth.code_requested"]);
    let entries = app
        .app
        .store
        .audit_entries(Some("email:yeni.kullanici@example.com"), 1)
        .await
        .unwrap();
    assert_eq!(
        entries[0].ip.as_deref(),
        Some("192.0.2.10"),
        "audit records where from"
    );
}

async fn a_returning_user_gets_the_same_account(app: TestApp) {
    let mut first = app.browser();
    first.sign_in("ayse@example.com").await;
    let id = app
        .app
        .store
        .user_by_email_key("ayse@example.com")
        .await
        .unwrap()
        .unwrap()
        .id;
    app.advance(Duration::minutes(5));
    let mut second = app.browser();
    second
        .sign_in("AYSE@example.com")
        .await
        .assert_contains("ayse@example.com");
    let again = app
        .app
        .store
        .user_by_email_key("ayse@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.id, id);
}

async fn request_code(browser: &mut Browser<'_>, email: &str) -> crate::harness::Page {
    let page = browser.get("/login?before=yes").await;
    browser
        .post_form(
            "/login/email",
            &[("csrf", &page.csrf()), ("email", email), ("before", "yes")],
        )
        .await
}

async fn enter(browser: &mut Browser<'_>, code: &str) -> crate::harness::Page {
    let page = browser.get("/login/code").await;
    browser
        .post_form("/login/code", &[("csrf", &page.csrf()), ("code", code)])
        .await
}

fn wrong_of(code: &str) -> String {
    let last = code.as_bytes()[5] - b'0';
    format!("{}{}", &code[..5], (last + 1) % 10)
}

async fn wrong_codes_count_down_and_the_sixth_entry_is_refused(app: TestApp) {
    let mut browser = app.browser();
    request_code(&mut browser, "guess@example.com")
        .await
        .assert_redirect("/login/code");
    let code = app.code_for("guess@example.com").await;
    let wrong = wrong_of(&code);
    for left in (1..=4).rev() {
        let page = enter(&mut browser, &wrong).await;
        page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let expected = if left == 1 {
            "You can try 1 more time.".to_owned()
        } else {
            format!("You can try {left} more times.")
        };
        page.assert_contains(&expected)
            .assert_contains("error-summary")
            .assert_contains(&format!("value=\"{wrong}\""));
    }
    enter(&mut browser, &wrong)
        .await
        .assert_contains("entered wrongly 5 times");
    // The sixth entry, even of the right code, is refused.
    let sixth = enter(&mut browser, &code).await;
    sixth
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("entered wrongly 5 times");
    assert!(browser.cookie("izin_session").is_none());
}

async fn expired_replayed_and_superseded_codes_are_refused(app: TestApp) {
    let mut browser = app.browser();
    request_code(&mut browser, "late@example.com").await;
    let code = app.code_for("late@example.com").await;
    app.advance(Duration::minutes(10));
    enter(&mut browser, &code)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("has expired");

    let mut other = app.browser();
    request_code(&mut other, "twice@example.com").await;
    let first = app.code_for("twice@example.com").await;
    app.advance(Duration::minutes(1));
    let page = other.get("/login/code").await;
    other
        .post_form("/login/code/resend", &[("csrf", &page.csrf())])
        .await
        .assert_redirect("/login/code?notice=resent");
    let second = app.code_for("twice@example.com").await;
    assert_ne!(first, second);
    enter(&mut other, &first)
        .await
        .assert_contains("A newer code has been sent");
    enter(&mut other, &second).await.assert_redirect("/panel");

    // Replaying the used code in another browser, under its own challenge, fails.
    let mut thief = app.browser();
    thief.ip = "198.51.100.66:40000".parse().unwrap();
    request_code(&mut thief, "twice@example.com").await;
    enter(&mut thief, &second)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(thief.cookie("izin_session").is_none());
}

async fn a_second_code_within_a_minute_is_throttled(app: TestApp) {
    let mut browser = app.browser();
    request_code(&mut browser, "quick@example.com")
        .await
        .assert_redirect("/login/code");
    app.advance(Duration::seconds(20));
    // A double click or reload: no second mail; the user is sent to enter the first code.
    let again = request_code(&mut browser, "quick@example.com").await;
    again.assert_redirect("/login/code?notice=too-soon&wait=40");
    browser
        .get(again.location())
        .await
        .assert_contains("Please wait 40 seconds");
    let page = browser.get("/login/code").await;
    browser
        .post_form("/login/code/resend", &[("csrf", &page.csrf())])
        .await
        .assert_redirect("/login/code?notice=too-soon&wait=40");
    app.deliver_mail().await;
    assert_eq!(app.mails().len(), 1, "throttled requests send nothing");
}

async fn a_code_request_never_reveals_whether_an_account_exists(app: TestApp) {
    let mut existing = app.browser();
    existing.sign_in("known@example.com").await;
    app.advance(Duration::minutes(2));
    let mut a = app.browser();
    let known = request_code(&mut a, "known@example.com").await;
    let mut b = app.browser();
    let unknown = request_code(&mut b, "unknown@example.com").await;
    assert_eq!(known.status, unknown.status);
    assert_eq!(known.location(), unknown.location());
    assert_eq!(known.body, unknown.body);
    let known_page = a.get("/login/code").await;
    let unknown_page = b.get("/login/code").await;
    assert_eq!(
        known_page
            .body
            .replace("known@example.com", "X")
            .replace(&known_page.csrf(), "T"),
        unknown_page
            .body
            .replace("unknown@example.com", "X")
            .replace(&unknown_page.csrf(), "T")
    );
}

async fn invalid_addresses_are_explained_and_kept(app: TestApp) {
    let mut browser = app.browser();
    for (typed, message) in [
        ("", "Enter your e-mail address."),
        ("ayse.example.com", "with one @"),
        ("ayse@localhost", "a domain like example.com"),
        ("a b@example.com", "part before the @"),
    ] {
        let page = request_code(&mut browser, typed).await;
        page.assert_status(StatusCode::UNPROCESSABLE_ENTITY)
            .assert_contains("There is a problem")
            .assert_contains("href=\"#email\"")
            .assert_contains(message)
            .assert_contains("aria-invalid=\"true\"");
        if !typed.is_empty() {
            page.assert_contains(&format!("value=\"{typed}\""));
        }
    }
    let mut turkish = app
        .browser()
        .with_header("accept-language", "tr-TR,tr;q=0.9");
    let page = request_code(&mut turkish, "ayse.example.com").await;
    page.assert_contains("Bir sorun var")
        .assert_contains("tek bir @");
    app.deliver_mail().await;
    assert!(app.mails().is_empty());
}

async fn logging_out_ends_the_session_on_the_server(app: TestApp) {
    let mut browser = app.browser();
    let panel = browser.sign_in("bye@example.com").await;
    let token = browser.cookie("izin_session").unwrap().to_owned();
    browser
        .post_form("/logout", &[("csrf", &panel.csrf())])
        .await
        .assert_redirect("/signed-out");
    assert!(browser.cookie("izin_session").is_none());
    browser
        .get("/signed-out")
        .await
        .assert_contains("You have logged out");
    // The old cookie, replayed, is worthless: the session is gone from the database.
    let mut replay = app.browser();
    replay.cookies.insert("izin_session".into(), token);
    replay
        .get("/panel")
        .await
        .assert_redirect("/session-expired");
    let user = app
        .app
        .store
        .user_by_email_key("bye@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        app.audit_actions(&format!("user:{}", user.id)).await[0],
        "auth.signed_out"
    );
}

async fn forged_and_cross_site_posts_are_refused(app: TestApp) {
    let mut victim = app.browser();
    let panel = victim.sign_in("victim@example.com").await;
    // No token.
    victim
        .post_form("/logout", &[])
        .await
        .assert_status(StatusCode::FORBIDDEN)
        .assert_contains("This form has expired");
    // Another browser's token.
    let mut attacker = app.browser();
    let attacker_page = attacker.get("/login?before=yes").await;
    victim
        .post_form("/logout", &[("csrf", &attacker_page.csrf())])
        .await
        .assert_status(StatusCode::FORBIDDEN);
    // The right token, but sent from another site.
    let forged = victim
        .send(
            axum::http::Method::POST,
            "/logout",
            Some("application/x-www-form-urlencoded"),
            format!("csrf={}", panel.csrf()).into_bytes(),
            &[("origin", "https://evil.example")],
        )
        .await;
    forged.assert_status(StatusCode::FORBIDDEN);
    victim.get("/panel").await.assert_status(StatusCode::OK);
    // Anonymous forms are protected too.
    let mut anonymous = app.browser();
    anonymous
        .post_form("/login/email", &[("email", "x@example.com")])
        .await
        .assert_status(StatusCode::FORBIDDEN);
    app.deliver_mail().await;
    assert!(app.mails().iter().all(|m| !m.to.contains("x@example.com")));
}

async fn idle_sessions_expire_after_thirty_minutes(app: TestApp) {
    let mut browser = app.browser();
    browser.sign_in("idle@example.com").await;
    app.advance(Duration::minutes(29));
    let page = browser.get("/panel").await;
    page.assert_status(StatusCode::OK)
        .assert_contains("data-session-remaining=\"1800\"");
    app.advance(Duration::minutes(30));
    browser
        .get("/panel")
        .await
        .assert_redirect("/session-expired");
    browser
        .get("/session-expired")
        .await
        .assert_contains("You have been signed out");
}

async fn activity_and_extend_keep_a_session_but_not_beyond_twelve_hours(app: TestApp) {
    let mut browser = app.browser();
    let page = browser.sign_in("busy@example.com").await;
    app.advance(Duration::minutes(28));
    // "Stay signed in" from the warning, as the script sends it.
    let extended = browser
        .send(
            axum::http::Method::POST,
            "/session/extend",
            Some("application/x-www-form-urlencoded"),
            b"next=%2Fpanel".to_vec(),
            &[("x-csrf-token", &page.csrf())],
        )
        .await;
    extended.assert_status(StatusCode::OK);
    assert_eq!(extended.json()["remaining_seconds"], 1800);
    // Without the script it is a form that returns to the page.
    app.advance(Duration::minutes(20));
    let csrf = browser.get("/panel").await.csrf();
    browser
        .post_form("/session/extend", &[("csrf", &csrf), ("next", "/profile")])
        .await
        .assert_redirect("/profile");
    // Activity every 25 minutes keeps the session alive until the 12-hour limit, never beyond.
    let mut elapsed = 48;
    loop {
        app.advance(Duration::minutes(25));
        elapsed += 25;
        let page = browser.get("/panel").await;
        if elapsed < 12 * 60 {
            page.assert_status(StatusCode::OK);
        } else {
            page.assert_redirect("/session-expired");
            break;
        }
    }
}

async fn the_session_id_is_new_at_every_sign_in(app: TestApp) {
    let mut browser = app.browser();
    browser.sign_in("fixation@example.com").await;
    let first = browser.cookie("izin_session").unwrap().to_owned();
    let page = browser.get("/panel").await;
    browser
        .post_form("/logout", &[("csrf", &page.csrf())])
        .await;
    app.advance(Duration::minutes(2));
    // A planted cookie is ignored and replaced.
    browser
        .cookies
        .insert("izin_session".into(), "A".repeat(43));
    browser.sign_in("fixation@example.com").await;
    let second = browser.cookie("izin_session").unwrap().to_owned();
    assert_ne!(first, second);
    assert_ne!(second, "A".repeat(43));
}

async fn the_other_login_branches_say_they_are_not_available_yet(app: TestApp) {
    let mut browser = app.browser();
    // e-Government does not exist yet: it says so before anyone types, collects nothing, and
    // points to the e-mail way in.
    for query in ["before=no&in_turkiye=yes&egov=yes", "before=yes"] {
        let page = browser.get(&format!("/login?{query}")).await;
        page.assert_status(StatusCode::OK)
            .assert_contains("data-unavailable=\"egov\"")
            .assert_contains("Logging in with e-Government is not available yet")
            // The e-mail form is on the same page.
            .assert_contains("action=\"/login/email\"");
        for field in [
            "passport_number",
            "passport_country",
            "birth_year",
            "reference_number",
        ] {
            assert!(
                !page.body.contains(&format!("name=\"{field}\"")),
                "{query}: asks for {field}"
            );
        }
        assert!(!page.body.contains("/login/unavailable/"), "{query}");
    }
    // The passport and reference branches ask for exactly their seed's fields and an address.
    for (query, fields, absent) in [
        (
            "before=no&in_turkiye=yes&egov=no",
            &[
                "passport_number",
                "passport_country",
                "birth_year",
                "declared_email",
            ][..],
            "reference_number",
        ),
        (
            "before=no&in_turkiye=no&reference=yes",
            &[
                "reference_number",
                "passport_number",
                "birth_year",
                "declared_email",
            ][..],
            "passport_country",
        ),
    ] {
        let page = browser.get(&format!("/login?{query}")).await;
        page.assert_status(StatusCode::OK)
            .assert_contains("action=\"/login/declared\"");
        for field in fields {
            assert!(
                page.body.contains(&format!("name=\"{field}\"")),
                "{query}: asks for {field}"
            );
        }
        assert!(
            !page.body.contains(&format!("name=\"{absent}\"")),
            "{query}"
        );
    }
    // The old stubs that took passport data are gone.
    browser
        .get("/login/unavailable/passport")
        .await
        .assert_status(StatusCode::NOT_FOUND);
    browser
        .get("/login?before=no&in_turkiye=no&reference=no")
        .await
        .assert_contains("you need a reference number");
}

async fn the_passport_way_in_works_from_the_seeds_questions_in_both_languages(app: TestApp) {
    app.import_registry(crate::applications::registry()).await;
    let mut browser = app.browser();
    let query = "before=no&in_turkiye=yes&egov=no";
    let page = browser.get(&format!("/login?{query}")).await;
    let csrf = page.csrf();
    let answers = [("before", "no"), ("in_turkiye", "yes"), ("egov", "no")];
    // Every field to correct is named beside it, and what was typed stays.
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("passport_number", "U1"),
        ("passport_country", ""),
        ("birth_year", "nineteen"),
        ("declared_email", "typed@example.com"),
    ];
    fields.extend(answers);
    let refused = browser.post_form("/login/declared", &fields).await;
    refused
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("A passport number has 5 to 20 letters and digits")
        .assert_contains("Fill in this field.")
        .assert_contains("Enter the year you were born")
        .assert_contains("value=\"typed@example.com\"");
    assert_eq!(app.mails().len(), 0);

    // The right details: the code page, then the account of the address.
    let passport = crate::applications::PASSPORT;
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("passport_number", passport),
        ("passport_country", "DEU"),
        ("birth_year", "1995"),
        ("declared_email", "declared@example.com"),
    ];
    fields.extend(answers);
    browser
        .post_form("/login/declared", &fields)
        .await
        .assert_redirect("/login/code");
    let code = app.code_for("declared@example.com").await;
    let code_page = browser.get("/login/code").await;
    let csrf = code_page.csrf();
    browser
        .post_form("/login/code", &[("csrf", &csrf), ("code", &code)])
        .await
        .assert_redirect("/panel");

    // In Turkish, a passport that did not enter Türkiye is refused after the code, in one
    // message that says nothing about which detail differed.
    let mut stranger = app.browser();
    stranger
        .switch_language("tr", &format!("/login?{query}"))
        .await;
    let page = stranger.get(&format!("/login?{query}")).await;
    page.assert_contains("Ülkeye Giriş Yaptığınız Pasaport Numaranız");
    let csrf = page.csrf();
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("passport_number", passport),
        ("passport_country", "DEU"),
        ("birth_year", "1990"),
        ("declared_email", "baskasi@example.com"),
    ];
    fields.extend(answers);
    stranger
        .post_form("/login/declared", &fields)
        .await
        .assert_redirect("/login/code");
    let code = app.code_for("baskasi@example.com").await;
    let code_page = stranger.get("/login/code").await;
    let csrf = code_page.csrf();
    stranger
        .post_form("/login/code", &[("csrf", &csrf), ("code", &code)])
        .await
        .assert_status(StatusCode::FORBIDDEN)
        .assert_contains("Verdiğiniz pasaport bilgileri kayıtlarla eşleşmiyor");
}
