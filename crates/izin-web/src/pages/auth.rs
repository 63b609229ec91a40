//! Logging in: the questions that route a person to their way in (e-mail, e-Government,
//! passport, reference number), the e-mail branch with its one-time code, the passport and
//! reference branches (declared details checked, then the same code), e-Government not yet;
//! logging out; staying signed in.

use crate::WebState;
use crate::context::{Ctx, SignedIn};
use crate::cookies::{self, CookieName};
use crate::errors::store_failure;
use crate::extract::ValidQuery;
use crate::forms::{FormErrors, PageForm, local_path};
use crate::layout::{Layout, render};
use crate::pages::fields::{Choice, FormField};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use izin_app::auth::{CodeRequestError, CodeSent, DeclaredCodeError, LoginChallenge, SignInError};
use izin_domain::otp::CodeRefusal;
use izin_domain::otp::CodeRejection;
use izin_domain::reference::Reference;
use izin_domain::ways_in::DeclarationInput;
use izin_i18n::Value;
use serde::Deserialize;

/// How long the code page remembers the address a code was sent to.
const PENDING_LOGIN_SECONDS: i64 = 30 * 60;

pub fn router() -> axum::Router<WebState> {
    Router::new()
        .route("/login", get(login_page))
        .route("/login/email", post(request_code))
        .route("/login/declared", post(request_declared_code))
        .route("/login/code", get(code_page).post(enter_code))
        .route("/login/code/resend", post(resend_code))
        .route("/logout", post(logout))
        .route("/session/extend", post(extend_session))
}

/// The answers to the login questions (has a foreigner ID? is in Türkiye?), carried in the
/// query string.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Answers {
    before: Option<String>,
    in_turkiye: Option<String>,
    egov: Option<String>,
    reference: Option<String>,
    notice: Option<String>,
}

fn yes_no(value: &Option<String>) -> Option<bool> {
    match value.as_deref() {
        Some("yes") => Some(true),
        Some("no") => Some(false),
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    l: Layout<'a>,
    before: Option<bool>,
    in_turkiye: Option<bool>,
    egov: Option<bool>,
    reference: Option<bool>,
    email: String,
    errors: FormErrors,
    notice: Option<String>,
    /// The passport or reference form's controls, when that way in is shown.
    declared_fields: Vec<FormField>,
}

impl LoginPage<'_> {
    fn show_email_login(&self) -> bool {
        self.before == Some(true)
    }
    fn show_register(&self) -> bool {
        self.before == Some(false)
    }
    fn show_egov(&self) -> bool {
        self.before == Some(true)
            || (self.before == Some(false)
                && self.in_turkiye == Some(true)
                && self.egov == Some(true))
    }
    fn show_passport(&self) -> bool {
        self.before == Some(false) && self.in_turkiye == Some(true) && self.egov == Some(false)
    }
    fn show_reference(&self) -> bool {
        self.before == Some(false) && self.in_turkiye == Some(false) && self.reference == Some(true)
    }
    /// The passport or reference form is shown (and is the page's form).
    fn declaring(&self) -> bool {
        self.show_passport() || self.show_reference()
    }
    fn show_no_reference(&self) -> bool {
        self.before == Some(false)
            && self.in_turkiye == Some(false)
            && self.reference == Some(false)
    }
    fn answer(&self, value: &Option<bool>) -> &'static str {
        match value {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        }
    }
}

/// What the passport or reference form was sent with (kept when it is shown again).
#[derive(Debug, Clone, Default, Deserialize)]
struct DeclaredValues {
    #[serde(default)]
    passport_number: String,
    #[serde(default)]
    passport_country: String,
    #[serde(default)]
    reference_number: String,
    #[serde(default)]
    birth_year: String,
}

fn login_page_for<'a>(
    ctx: &'a Ctx,
    reference: &Reference,
    answers: &Answers,
    email: String,
    declared: &DeclaredValues,
    errors: FormErrors,
) -> LoginPage<'a> {
    let notice = match answers.notice.as_deref() {
        Some("expired") => Some(ctx.t("login-pending-missing").to_owned()),
        _ => None,
    };
    let before = yes_no(&answers.before);
    let mut page = LoginPage {
        l: Layout::new(ctx, ctx.t("login-title")),
        before,
        in_turkiye: yes_no(&answers.in_turkiye),
        egov: yes_no(&answers.egov),
        reference: yes_no(&answers.reference),
        email,
        errors,
        notice,
        declared_fields: Vec::new(),
    };
    let declaring = page.declaring();
    if declaring {
        page.declared_fields = declared_fields(
            ctx,
            reference,
            page.show_passport(),
            &page.email,
            declared,
            &page.errors,
        );
    }
    // The form shown is what the language switch sends along.
    if declaring {
        page.l = page.l.with_form("/login/declared");
    } else if before.is_some() {
        page.l = page.l.with_form("/login/email");
    }
    page
}

/// The passport form (in Türkiye) or the reference form (abroad), with the address the code
/// goes to last.
fn declared_fields(
    ctx: &Ctx,
    reference: &Reference,
    in_turkiye: bool,
    email: &str,
    values: &DeclaredValues,
    errors: &FormErrors,
) -> Vec<FormField> {
    let field = |id: &str, label: &str, value: &str| {
        let mut f = FormField::new(id, "text", ctx.t(label).to_owned());
        f.value = value.to_owned();
        f.error = errors.get(id).map(str::to_owned);
        f
    };
    let mut fields = Vec::new();
    if !in_turkiye {
        let mut number = field(
            "reference_number",
            "login-reference-number",
            &values.reference_number,
        );
        number.hint = Some(ctx.t("place-reference-number-hint").to_owned());
        number.maxlength = 19;
        fields.push(number);
    }
    let mut passport = field(
        "passport_number",
        if in_turkiye {
            "login-passport-number"
        } else {
            "login-passport-number-plain"
        },
        &values.passport_number,
    );
    passport.maxlength = 30;
    fields.push(passport);
    if in_turkiye {
        let mut country = field(
            "passport_country",
            "login-passport-country",
            &values.passport_country,
        );
        country.kind = "select";
        country.searchable = true;
        country.options = reference
            .countries_sorted(ctx.language)
            .into_iter()
            .map(|c| Choice {
                selected: c.code.eq_ignore_ascii_case(values.passport_country.trim()),
                code: c.code.clone(),
                label: c.names.get(ctx.language).to_owned(),
            })
            .collect();
        fields.push(country);
    }
    let mut birth_year = field("birth_year", "login-birth-year", &values.birth_year);
    birth_year.inputmode = "numeric";
    birth_year.autocomplete = "bday-year";
    birth_year.maxlength = 4;
    fields.push(birth_year);
    // Not `email`: the e-mail form beside it on the same page has that id.
    let mut address = field(DECLARED_EMAIL, "login-email-label", email);
    address.hint = Some(ctx.t("login-declared-email-hint").to_owned());
    address.input_type = "email";
    address.inputmode = "email";
    address.autocomplete = "email";
    address.maxlength = 254;
    fields.push(address);
    fields
}

async fn login_page(
    State(state): State<WebState>,
    ctx: Ctx,
    ValidQuery(answers): ValidQuery<Answers>,
) -> Response {
    if ctx.session.is_some() {
        return Redirect::to("/panel").into_response();
    }
    render(&login_page_for(
        &ctx,
        &state.app.reference,
        &answers,
        String::new(),
        &DeclaredValues::default(),
        FormErrors::default(),
    ))
}

#[derive(Deserialize)]
struct EmailForm {
    #[serde(default)]
    email: String,
    #[serde(flatten)]
    answers: AnswersForm,
}

#[derive(Deserialize, Default)]
struct AnswersForm {
    before: Option<String>,
    in_turkiye: Option<String>,
    egov: Option<String>,
    reference: Option<String>,
}

impl From<AnswersForm> for Answers {
    fn from(form: AnswersForm) -> Self {
        Answers {
            before: form.before,
            in_turkiye: form.in_turkiye,
            egov: form.egov,
            reference: form.reference,
            notice: None,
        }
    }
}

/// The browser's half of a sign-in in progress: the address the code went to and the challenge
/// it was sent under (the code can be entered only with it), signed so it cannot be altered.
fn pending_cookie(
    state: &WebState,
    ctx: &Ctx,
    email: &str,
    challenge: &LoginChallenge,
) -> axum::http::HeaderValue {
    let issued = state.app.clock.now().unix_timestamp();
    let value = URL_SAFE_NO_PAD.encode(format!("{issued}\n{email}\n{}", challenge.as_str()));
    let signed = state.app.keys.sign("pending-login", &value);
    cookies::set(
        CookieName::PendingLogin,
        &signed,
        Some(PENDING_LOGIN_SECONDS),
        ctx.secure,
    )
}

/// The code page, remembering in this browser where the code went and under which challenge.
fn to_code_page(state: &WebState, ctx: &Ctx, sent: &CodeSent) -> Response {
    let mut response = Redirect::to("/login/code").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        pending_cookie(state, ctx, sent.email.as_str(), &sent.challenge),
    );
    response
}

/// A sign-in in progress in this browser: where the code went and under which challenge.
struct PendingLogin {
    email: String,
    challenge: LoginChallenge,
}

/// The sign-in in progress in this browser, if recent and untampered.
fn pending_login(state: &WebState, ctx: &Ctx, headers: &HeaderMap) -> Option<PendingLogin> {
    let signed = cookies::get(headers, CookieName::PendingLogin.as_str(ctx.secure))?;
    let value = state.app.keys.verify("pending-login", signed)?;
    let decoded = String::from_utf8(URL_SAFE_NO_PAD.decode(value).ok()?).ok()?;
    let mut parts = decoded.splitn(3, '\n');
    let issued = parts.next()?;
    let email = parts.next()?;
    let challenge = LoginChallenge::parse(parts.next()?)?;
    let age = state.app.clock.now().unix_timestamp() - issued.parse::<i64>().ok()?;
    (0..=PENDING_LOGIN_SECONDS)
        .contains(&age)
        .then(|| PendingLogin {
            email: email.to_owned(),
            challenge,
        })
}

fn refusal_message(ctx: &Ctx, refusal: CodeRefusal) -> String {
    match refusal {
        CodeRefusal::TooSoon {
            retry_after_seconds,
        } => ctx.tf(
            "code-too-soon",
            &[("seconds", Value::from(retry_after_seconds))],
        ),
        CodeRefusal::AddressHourlyLimit {
            retry_after_seconds,
        } => ctx.tf(
            "code-hourly-limit",
            &[("minutes", Value::from(minutes_up(retry_after_seconds)))],
        ),
        CodeRefusal::ClientHourlyLimit {
            retry_after_seconds,
        } => ctx.tf(
            "code-client-limit",
            &[("minutes", Value::from(minutes_up(retry_after_seconds)))],
        ),
    }
}

fn minutes_up(seconds: i64) -> i64 {
    (seconds + 59) / 60
}

async fn request_code(
    State(state): State<WebState>,
    ctx: Ctx,
    headers: HeaderMap,
    PageForm(form): PageForm<EmailForm>,
) -> Response {
    let answers: Answers = form.answers.into();
    let page = |errors: FormErrors| {
        login_page_for(
            &ctx,
            &state.app.reference,
            &answers,
            form.email.clone(),
            &DeclaredValues::default(),
            errors,
        )
    };
    if ctx.language_switch.is_some() {
        // The language switch sent the form: the same page in the other language, nothing sent.
        return render(&page(FormErrors::default()));
    }
    let mut errors = FormErrors::default();
    // Asking again for the same address in this browser sends a new code under the same
    // challenge (it supersedes the one before).
    let pending = pending_login(&state, &ctx, &headers).filter(|p| {
        izin_domain::EmailAddress::parse(&p.email)
            .ok()
            .map(|e| e.key().to_owned())
            == izin_domain::EmailAddress::parse(&form.email)
                .ok()
                .map(|e| e.key().to_owned())
    });
    let resend = pending.as_ref().map(|p| p.challenge.clone());
    match state
        .app
        .auth()
        .request_code(&form.email, resend, ctx.language, &ctx.client)
        .await
    {
        Ok(sent) => to_code_page(&state, &ctx, &sent),
        Err(CodeRequestError::InvalidEmail(e)) => {
            errors.add("email", ctx.t(e.code()).to_owned());
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page(errors))).into_response()
        }
        Err(CodeRequestError::Refused(CodeRefusal::TooSoon {
            retry_after_seconds,
        })) if pending.is_some() => {
            // A code went out moments ago from this browser (a double click, a reload): go and
            // enter that one; its challenge is already in the cookie.
            Redirect::to(&format!(
                "/login/code?notice=too-soon&wait={retry_after_seconds}"
            ))
            .into_response()
        }
        Err(CodeRequestError::Refused(refusal)) => {
            errors.add("email", refusal_message(&ctx, refusal));
            (StatusCode::TOO_MANY_REQUESTS, render(&page(errors))).into_response()
        }
        Err(CodeRequestError::Store(e)) => store_failure(&ctx, &e),
    }
}

/// The address field of the passport and reference form.
const DECLARED_EMAIL: &str = "declared_email";

#[derive(Deserialize)]
struct DeclaredForm {
    #[serde(default, rename = "declared_email")]
    email: String,
    #[serde(flatten)]
    values: DeclaredValues,
    #[serde(flatten)]
    answers: AnswersForm,
}

/// The passport (in Türkiye) or reference (abroad) way in: the details are checked, a code goes
/// to the address either way, and the outcome shows only when the code is entered.
async fn request_declared_code(
    State(state): State<WebState>,
    ctx: Ctx,
    PageForm(form): PageForm<DeclaredForm>,
) -> Response {
    let answers: Answers = form.answers.into();
    let page = |errors: FormErrors| {
        login_page_for(
            &ctx,
            &state.app.reference,
            &answers,
            form.email.clone(),
            &form.values,
            errors,
        )
    };
    if ctx.language_switch.is_some() {
        return render(&page(FormErrors::default()));
    }
    let typed_year = form.values.birth_year.trim();
    // The check reads the country in Türkiye and the reference number abroad, nothing else.
    let input = DeclarationInput {
        in_turkiye: yes_no(&answers.in_turkiye) == Some(true),
        passport_number: form.values.passport_number.clone(),
        passport_country: form.values.passport_country.clone(),
        reference_number: form.values.reference_number.clone(),
        // Something typed that is not a year is reported as an impossible year.
        birth_year: (!typed_year.is_empty()).then(|| typed_year.parse().unwrap_or(0)),
    };
    let mut errors = FormErrors::default();
    match state
        .app
        .auth()
        .request_declared_code(&form.email, &input, ctx.language, &ctx.client)
        .await
    {
        Ok(sent) => to_code_page(&state, &ctx, &sent),
        Err(DeclaredCodeError::Invalid(mut violations)) => {
            for v in &mut violations {
                if v.field == "email" {
                    DECLARED_EMAIL.clone_into(&mut v.field);
                }
            }
            errors.add_violations(&ctx, &violations);
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page(errors))).into_response()
        }
        Err(DeclaredCodeError::Refused(refusal)) => {
            errors.add(DECLARED_EMAIL, refusal_message(&ctx, refusal));
            (StatusCode::TOO_MANY_REQUESTS, render(&page(errors))).into_response()
        }
        Err(DeclaredCodeError::Registry(e)) => {
            tracing::warn!(error = %e, "registry unavailable");
            let mut shown = page(errors);
            shown.notice = Some(ctx.tf(
                "registry-unavailable",
                &[("registry", Value::from(e.registry().to_string()))],
            ));
            (StatusCode::SERVICE_UNAVAILABLE, render(&shown)).into_response()
        }
        Err(DeclaredCodeError::Store(e)) => store_failure(&ctx, &e),
    }
}

#[derive(Template)]
#[template(path = "code.html")]
struct CodePage<'a> {
    l: Layout<'a>,
    sent_to: String,
    typed: String,
    errors: FormErrors,
    notice: Option<String>,
    offer_new_code: bool,
}

#[derive(Deserialize, Default)]
struct CodeQuery {
    notice: Option<String>,
    wait: Option<i64>,
}

fn code_page_for<'a>(
    ctx: &'a Ctx,
    email: &str,
    typed: String,
    errors: FormErrors,
    notice: Option<String>,
) -> CodePage<'a> {
    CodePage {
        l: Layout::new(ctx, ctx.t("code-title")).with_form("/login/code"),
        sent_to: ctx.tf("code-sent", &[("email", Value::from(email.to_owned()))]),
        typed,
        offer_new_code: !errors.is_empty(),
        errors,
        notice,
    }
}

fn back_to_login() -> Response {
    Redirect::to("/login?before=yes&notice=expired").into_response()
}

async fn code_page(
    State(state): State<WebState>,
    ctx: Ctx,
    headers: HeaderMap,
    ValidQuery(query): ValidQuery<CodeQuery>,
) -> Response {
    let Some(PendingLogin { email, .. }) = pending_login(&state, &ctx, &headers) else {
        return back_to_login();
    };
    let wait = query.wait.unwrap_or(60).clamp(1, 3600);
    let notice = match query.notice.as_deref() {
        Some("resent") => Some(ctx.t("code-resent").to_owned()),
        Some("too-soon") => Some(refusal_message(
            &ctx,
            CodeRefusal::TooSoon {
                retry_after_seconds: wait,
            },
        )),
        Some("hourly") => Some(refusal_message(
            &ctx,
            CodeRefusal::AddressHourlyLimit {
                retry_after_seconds: wait,
            },
        )),
        Some("client") => Some(refusal_message(
            &ctx,
            CodeRefusal::ClientHourlyLimit {
                retry_after_seconds: wait,
            },
        )),
        _ => None,
    };
    render(&code_page_for(
        &ctx,
        &email,
        String::new(),
        FormErrors::default(),
        notice,
    ))
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

fn rejection_message(ctx: &Ctx, rejection: CodeRejection) -> String {
    match rejection {
        CodeRejection::Wrong { attempts_left } => {
            ctx.tf("code-wrong", &[("attempts", Value::from(attempts_left))])
        }
        CodeRejection::TooManyAttempts {
            retry_after_seconds,
        } => ctx.tf(
            "code-too-many-attempts",
            &[("minutes", Value::from(minutes_up(retry_after_seconds)))],
        ),
        other => ctx.t(other.code()).to_owned(),
    }
}

async fn enter_code(
    State(state): State<WebState>,
    ctx: Ctx,
    headers: HeaderMap,
    PageForm(form): PageForm<CodeForm>,
) -> Response {
    let Some(PendingLogin { email, challenge }) = pending_login(&state, &ctx, &headers) else {
        return back_to_login();
    };
    if ctx.language_switch.is_some() {
        return render(&code_page_for(
            &ctx,
            &email,
            form.code,
            FormErrors::default(),
            None,
        ));
    }
    let mut errors = FormErrors::default();
    match state
        .app
        .auth()
        .sign_in(
            challenge.as_str(),
            Some(&email),
            &form.code,
            ctx.language,
            &ctx.client,
        )
        .await
    {
        Ok(signed_in) => {
            let mut response = Redirect::to("/panel").into_response();
            let cookies_out = response.headers_mut();
            cookies_out.append(
                header::SET_COOKIE,
                cookies::set(
                    CookieName::Session,
                    signed_in.token.as_str(),
                    None,
                    ctx.secure,
                ),
            );
            cookies_out.append(
                header::SET_COOKIE,
                cookies::clear(CookieName::PendingLogin, ctx.secure),
            );
            response
        }
        Err(SignInError::InvalidCode(e)) => {
            errors.add("code", ctx.t(e.code()).to_owned());
            let page = code_page_for(&ctx, &email, form.code, errors, None);
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
        }
        Err(SignInError::Rejected(rejection)) => {
            errors.add("code", rejection_message(&ctx, rejection));
            let page = code_page_for(&ctx, &email, form.code, errors, None);
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
        }
        Err(SignInError::DeclarationNotMatched) => {
            errors.add(
                "code",
                ctx.t(izin_domain::ways_in::DECLARATION_NOT_MATCHED)
                    .to_owned(),
            );
            let page = code_page_for(&ctx, &email, form.code, errors, None);
            (StatusCode::FORBIDDEN, render(&page)).into_response()
        }
        Err(SignInError::InvalidEmail(_) | SignInError::InvalidChallenge) => back_to_login(),
        Err(SignInError::Store(e)) => store_failure(&ctx, &e),
    }
}

async fn resend_code(State(state): State<WebState>, ctx: Ctx, headers: HeaderMap) -> Response {
    let Some(PendingLogin { email, challenge }) = pending_login(&state, &ctx, &headers) else {
        return back_to_login();
    };
    let target = match state
        .app
        .auth()
        .request_code(&email, Some(challenge.clone()), ctx.language, &ctx.client)
        .await
    {
        Ok(_) => "/login/code?notice=resent".to_owned(),
        Err(CodeRequestError::Refused(CodeRefusal::TooSoon {
            retry_after_seconds: s,
        })) => {
            format!("/login/code?notice=too-soon&wait={s}")
        }
        Err(CodeRequestError::Refused(CodeRefusal::AddressHourlyLimit {
            retry_after_seconds: s,
        })) => {
            format!("/login/code?notice=hourly&wait={s}")
        }
        Err(CodeRequestError::Refused(CodeRefusal::ClientHourlyLimit {
            retry_after_seconds: s,
        })) => {
            format!("/login/code?notice=client&wait={s}")
        }
        Err(CodeRequestError::InvalidEmail(_)) => return back_to_login(),
        Err(CodeRequestError::Store(e)) => return store_failure(&ctx, &e),
    };
    let mut response = Redirect::to(&target).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        pending_cookie(&state, &ctx, &email, &challenge),
    );
    response
}

async fn logout(State(state): State<WebState>, ctx: Ctx) -> Response {
    if let Some(session) = &ctx.session
        && let Err(e) = state.app.auth().sign_out(session, &ctx.client).await
    {
        return store_failure(&ctx, &e);
    }
    let mut response = Redirect::to("/signed-out").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookies::clear(CookieName::Session, ctx.secure),
    );
    response
}

#[derive(Deserialize, Default)]
struct ExtendForm {
    next: Option<String>,
}

/// "Stay signed in": the script calls this in the background so the page and its input stay;
/// without the script it is an ordinary form that comes back to the same page.
async fn extend_session(
    State(state): State<WebState>,
    signed_in: Result<SignedIn, Response>,
    headers: HeaderMap,
    PageForm(form): PageForm<ExtendForm>,
) -> Response {
    let wants_json = headers.contains_key("x-csrf-token");
    let SignedIn(ctx, session) = match signed_in {
        Ok(signed_in) => signed_in,
        Err(_) if wants_json => {
            return (
                StatusCode::UNAUTHORIZED,
                Json(serde_json::json!({"remaining_seconds": 0})),
            )
                .into_response();
        }
        Err(redirect) => return redirect,
    };
    match state.app.auth().extend(&session).await {
        Ok(deadline) if wants_json => {
            let remaining = (deadline - state.app.clock.now()).whole_seconds().max(0);
            Json(serde_json::json!({ "remaining_seconds": remaining })).into_response()
        }
        Ok(_) => Redirect::to(&local_path(form.next.as_deref())).into_response(),
        Err(e) => store_failure(&ctx, &e),
    }
}
