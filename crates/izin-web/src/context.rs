//! What every handler knows about its request, settled once before it runs: the language, the
//! client's address, the signed-in session (from the cookie, or a bearer token on the API) and
//! the anti-forgery check of state-changing requests.

use crate::WebState;
use crate::cookies::{self, CookieName};
use crate::errors::{self, PageError};
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use izin_app::auth::{CurrentSession, SessionLookup, SessionToken};
use izin_app::back_office::{CurrentOfficer, OfficerSessionLookup};
use izin_domain::Language;
use izin_domain::audit::ClientInfo;
use izin_domain::session::SessionExpiry;
use izin_i18n::Texts;
use rand::RngCore;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// How the request proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    None,
    Cookie,
    Bearer,
}

/// What is known about one request.
pub struct RequestContext {
    pub language: Language,
    pub client: ClientInfo,
    pub session: Option<CurrentSession>,
    /// The signed-in officer, on the back office's routes only (`/officer…`,
    /// `/api/v1/officer/…`); applicants' sessions are never looked up there, and officers'
    /// sessions nowhere else.
    pub officer: Option<CurrentOfficer>,
    /// The request is for the back office.
    pub officer_area: bool,
    pub auth: AuthMethod,
    /// A session was presented but is over (expired, or ended elsewhere).
    pub session_ended: Option<Option<SessionExpiry>>,
    pub is_api: bool,
    pub secure: bool,
    /// The path and query of this request, for "come back here" links.
    pub here: String,
    pub texts: Arc<Texts>,
    /// The application clock's time when the request arrived.
    pub now: time::OffsetDateTime,
    /// A form was sent with the language switch (`?switch_language=tr` on its own address): the
    /// page comes back in that language with what was typed, and nothing is saved.
    pub language_switch: Option<Language>,
    /// Development or demo mode: the development tools are served and every page says so.
    pub dev_mode: bool,
    csrf_binding: Option<Vec<u8>>,
    new_csrf_cookie: Option<String>,
    csrf_used: AtomicBool,
    keys: Arc<izin_app::Keys>,
}

impl RequestContext {
    pub fn t<'a>(&'a self, id: &'a str) -> &'a str {
        self.texts.get(self.language, id)
    }

    pub fn tf(&self, id: &str, args: &[(&str, izin_i18n::Value<'_>)]) -> String {
        self.texts.format(self.language, id, args)
    }

    /// The anti-forgery token forms of this page carry.
    pub fn csrf_token(&self) -> String {
        self.csrf_used.store(true, Ordering::Relaxed);
        match &self.csrf_binding {
            Some(binding) => self.keys.csrf_token(binding),
            None => String::new(),
        }
    }

    pub fn user(&self) -> Option<&izin_domain::records::User> {
        self.session.as_ref().map(|s| &s.user)
    }
}

/// The request's context, as an extractor.
#[derive(Clone)]
pub struct Ctx(pub Arc<RequestContext>);

impl std::ops::Deref for Ctx {
    type Target = RequestContext;
    fn deref(&self) -> &RequestContext {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| errors::internal("request context missing"))
    }
}

/// A signed-in officer on a back-office page: otherwise the browser is sent to the officers'
/// sign-in (saying the session ended, when it did).
pub struct OfficerPage(pub Ctx, pub CurrentOfficer);

impl<S: Send + Sync> FromRequestParts<S> for OfficerPage {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        match ctx.officer.clone() {
            Some(officer) => Ok(OfficerPage(ctx, officer)),
            None if ctx.session_ended.is_some() => {
                Err(axum::response::Redirect::to("/officer?ended=1").into_response())
            }
            None => Err(axum::response::Redirect::to("/officer").into_response()),
        }
    }
}

/// Whether `path` belongs to the back office.
pub fn is_officer_area(path: &str) -> bool {
    path == "/officer" || path.starts_with("/officer/") || path.starts_with("/api/v1/officer/")
}

/// A signed-in user on a page: otherwise the browser is sent to log in.
pub struct SignedIn(pub Ctx, pub CurrentSession);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        match ctx.session.clone() {
            Some(session) => Ok(SignedIn(ctx, session)),
            None if ctx.session_ended.is_some() => {
                Err(axum::response::Redirect::to("/session-expired").into_response())
            }
            None => Err(axum::response::Redirect::to("/login").into_response()),
        }
    }
}

fn client_ip(
    parts: &HeaderMap,
    connect: Option<SocketAddr>,
    trust_forwarded: bool,
) -> Option<IpAddr> {
    if trust_forwarded {
        let forwarded = parts
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
            .next_back();
        if forwarded.is_some() {
            return forwarded;
        }
    }
    connect.map(|addr| addr.ip())
}

fn choose_language(headers: &HeaderMap, secure: bool, is_api: bool) -> (Language, bool) {
    let from_cookie =
        cookies::get(headers, CookieName::Language.as_str(secure)).and_then(Language::from_tag);
    let from_header = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Language::negotiate);
    let chosen = if is_api {
        from_header.or(from_cookie)
    } else {
        from_cookie.or(from_header)
    };
    (chosen.unwrap_or(Language::FALLBACK), from_cookie.is_some())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// Whether a state-changing request comes from a page of this portal, judged by the headers
/// browsers set and pages cannot forge.
fn same_origin(headers: &HeaderMap, base_url: &str) -> bool {
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return false;
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None | Some("null") => true,
        Some(origin) => {
            let base = base_url.trim_end_matches('/');
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            origin == base
                || origin
                    .split_once("://")
                    .is_some_and(|(_, rest)| rest == host)
        }
    }
}

pub async fn middleware(State(state): State<WebState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let secure = state.config.secure_cookies();
    let is_api = parts.uri.path().starts_with("/api/");
    let (language, _) = choose_language(&parts.headers, secure, is_api);
    let connect = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let ip = client_ip(&parts.headers, connect, state.config.trust_forwarded_for);
    let user_agent = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let client = ClientInfo::new(ip.map(|ip| ip.to_string()), user_agent);

    let auth_service = state.app.auth();
    let officer_area = is_officer_area(parts.uri.path());
    let cookie_name = if officer_area {
        CookieName::OfficerSession
    } else {
        CookieName::Session
    };
    let cookie_token = cookies::get(&parts.headers, cookie_name.as_str(secure));
    let bearer_token = if is_api { bearer(&parts.headers) } else { None };
    let (presented, method) = match (bearer_token, cookie_token) {
        (Some(token), _) => (Some(token), AuthMethod::Bearer),
        (None, Some(token)) if !token.is_empty() => (Some(token), AuthMethod::Cookie),
        _ => (None, AuthMethod::None),
    };
    let mut session = None;
    let mut officer = None;
    let mut session_ended = None;
    if let Some(raw) = presented {
        match SessionToken::parse(raw) {
            Some(token) if officer_area => match state.app.back_office().session(&token).await {
                Ok(OfficerSessionLookup::Active(current)) => officer = Some(current),
                Ok(OfficerSessionLookup::Expired(why)) => session_ended = Some(Some(why)),
                Ok(OfficerSessionLookup::Unknown) => session_ended = Some(None),
                Err(e) => return errors::store_unavailable(&e, is_api, language, &state.app.texts),
            },
            Some(token) => match auth_service.session(&token).await {
                Ok(SessionLookup::Active(current)) => session = Some(current),
                Ok(SessionLookup::Expired(why)) => session_ended = Some(Some(why)),
                Ok(SessionLookup::Unknown) => session_ended = Some(None),
                Err(e) => return errors::store_unavailable(&e, is_api, language, &state.app.texts),
            },
            None => session_ended = Some(None),
        }
    }
    let auth = if session.is_some() || officer.is_some() {
        method
    } else {
        AuthMethod::None
    };
    // A signed-in user's own language choice is the default when no cookie overrides it.
    let language = match (&session, is_api) {
        (Some(current), false)
            if cookies::get(&parts.headers, CookieName::Language.as_str(secure)).is_none() =>
        {
            current.user.language
        }
        _ => language,
    };
    let language_switch = if !is_api && parts.method == Method::POST {
        parts.uri.query().and_then(|query| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(query)
                .ok()?
                .into_iter()
                .find(|(name, _)| name == "switch_language")
                .and_then(|(_, code)| Language::from_tag(&code).filter(|_| code.len() == 2))
        })
    } else {
        None
    };
    let language = language_switch.unwrap_or(language);

    let browser_cookie = cookies::get(&parts.headers, CookieName::Csrf.as_str(secure))
        .filter(|v| v.len() >= 16)
        .map(str::to_owned);
    let mut new_csrf_cookie = None;
    let csrf_binding = match (&session, &browser_cookie) {
        _ if officer.is_some() => officer
            .as_ref()
            .map(|current| [b"officer:".as_slice(), &current.token_hash].concat()),
        (Some(current), _) => Some([b"session:".as_slice(), &current.token_hash].concat()),
        (None, Some(cookie)) => Some([b"browser:".as_slice(), cookie.as_bytes()].concat()),
        (None, None) if !is_api => {
            let mut bytes = [0u8; 18];
            rand::rng().fill_bytes(&mut bytes);
            let value = URL_SAFE_NO_PAD.encode(bytes);
            let binding = [b"browser:".as_slice(), value.as_bytes()].concat();
            new_csrf_cookie = Some(value);
            Some(binding)
        }
        (None, None) => None,
    };

    let here = parts
        .uri
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |pq| pq.as_str().to_owned());
    let context = Arc::new(RequestContext {
        language,
        client,
        session,
        officer,
        officer_area,
        auth,
        session_ended,
        is_api,
        secure,
        here,
        texts: state.app.texts.clone(),
        now: state.app.clock.now(),
        language_switch,
        dev_mode: state.config.dev_tools,
        csrf_binding,
        new_csrf_cookie,
        csrf_used: AtomicBool::new(false),
        keys: state.app.keys.clone(),
    });

    let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let mut body = body;
    if unsafe_method {
        match check_forgery(&state, &context, &mut parts, body).await {
            Ok(restored) => body = restored,
            Err(refusal) => return with_cookies(refusal, &context),
        }
    }
    if let (Some(language), Some(session)) = (context.language_switch, &context.session)
        && let Err(e) = auth_service
            .set_language(session, language, &context.client)
            .await
    {
        tracing::warn!(error = %e, "could not store the language choice");
    }
    parts.extensions.insert(Ctx(context.clone()));
    let response = next.run(Request::from_parts(parts, body)).await;
    with_cookies(response, &context)
}

/// Refuses state-changing requests that a page of this portal did not send.
async fn check_forgery(
    state: &WebState,
    context: &RequestContext,
    parts: &mut Parts,
    body: Body,
) -> Result<Body, Response> {
    if !same_origin(&parts.headers, &state.config.base_url) {
        return Err(forgery_refusal(context));
    }
    if context.auth == AuthMethod::Bearer || (context.is_api && context.auth == AuthMethod::None) {
        // Bearer tokens are not sent by browsers on their own, and anonymous API calls must be
        // JSON, which no cross-site form can send.
        return Ok(body);
    }
    if context.session.is_none()
        && context.officer.is_none()
        && context.session_ended.is_some()
        && !context.is_api
    {
        // The form was made for a session that is over: say so instead of "expired form".
        if context.officer_area {
            return Err(axum::response::Redirect::to("/officer?ended=1").into_response());
        }
        return Err(PageError::SessionEnded.into_response_with(context));
    }
    let Some(binding) = &context.csrf_binding else {
        return Err(forgery_refusal(context));
    };
    if let Some(token) = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return if context.keys.csrf_matches(binding, token) {
            Ok(body)
        } else {
            Err(forgery_refusal(context))
        };
    }
    if context.is_api {
        return Err(forgery_refusal(context));
    }
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        // The token is the body's first part, checked before any byte of a file is read (so
        // uploads stay streamed); a token anywhere else is refused.
        // The boundary is case-sensitive: read it from the header as sent.
        let sent = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let Some(boundary) = crate::multipart_token::boundary(sent) else {
            return Err(forgery_refusal(context));
        };
        let (token, body) = crate::multipart_token::take(body, &boundary).await;
        return match token {
            Ok(token) if context.keys.csrf_matches(binding, &token) => Ok(body),
            _ => Err(forgery_refusal(context)),
        };
    }
    let bytes = axum::body::to_bytes(body, crate::forms::BODY_LIMIT)
        .await
        .map_err(|_| errors::payload_too_large(context))?;
    let token = form_value(&bytes, "csrf").unwrap_or_default();
    if context.keys.csrf_matches(binding, &token) {
        Ok(Body::from(bytes))
    } else {
        Err(forgery_refusal(context))
    }
}

fn form_value(encoded: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(encoded)
        .ok()?
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

fn forgery_refusal(context: &RequestContext) -> Response {
    metrics::counter!("izin_csrf_refusals_total").increment(1);
    if context.is_api {
        crate::api::problem::Problem::new(
            axum::http::StatusCode::FORBIDDEN,
            "csrf",
            context.t("problem-csrf"),
        )
        .into_response()
    } else {
        PageError::Forged.into_response_with(context)
    }
}

fn with_cookies(mut response: Response, context: &RequestContext) -> Response {
    let headers = response.headers_mut();
    if let Some(language) = context.language_switch {
        headers.append(
            header::SET_COOKIE,
            cookies::set(
                CookieName::Language,
                language.code(),
                Some(365 * 24 * 3600),
                context.secure,
            ),
        );
    }
    if context.session_ended.is_some()
        && context.auth != AuthMethod::Bearer
        && !headers.contains_key(header::SET_COOKIE)
    {
        let name = if context.officer_area {
            CookieName::OfficerSession
        } else {
            CookieName::Session
        };
        headers.append(header::SET_COOKIE, cookies::clear(name, context.secure));
    }
    if let Some(value) = &context.new_csrf_cookie
        && context.csrf_used.load(Ordering::Relaxed)
    {
        headers.append(
            header::SET_COOKIE,
            cookies::set(CookieName::Csrf, value, None, context.secure),
        );
    }
    if context.session.is_some()
        || context.officer.is_some()
        || context.csrf_used.load(Ordering::Relaxed)
    {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn cookie_choice_beats_the_browser_on_pages_and_not_on_the_api() {
        let h = headers(&[
            ("cookie", "izin_lang=tr"),
            ("accept-language", "en-GB,en;q=0.9"),
        ]);
        assert_eq!(choose_language(&h, false, false).0, Language::Tr);
        assert_eq!(choose_language(&h, false, true).0, Language::En);
        let none = headers(&[("accept-language", "de")]);
        assert_eq!(choose_language(&none, false, false).0, Language::En);
    }

    #[test]
    fn forwarded_addresses_are_used_only_when_trusted() {
        let h = headers(&[("x-forwarded-for", "203.0.113.9, 10.0.0.2")]);
        let direct: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        assert_eq!(
            client_ip(&h, Some(direct), false),
            Some("127.0.0.1".parse().unwrap())
        );
        assert_eq!(
            client_ip(&h, Some(direct), true),
            Some("10.0.0.2".parse().unwrap())
        );
    }

    #[test]
    fn cross_site_requests_are_recognised() {
        let base = "http://127.0.0.1:8080";
        assert!(same_origin(&headers(&[]), base));
        assert!(same_origin(
            &headers(&[("origin", "http://127.0.0.1:8080")]),
            base
        ));
        assert!(same_origin(
            &headers(&[
                ("origin", "http://localhost:9000"),
                ("host", "localhost:9000")
            ]),
            base
        ));
        assert!(!same_origin(
            &headers(&[("origin", "https://evil.example")]),
            base
        ));
        assert!(!same_origin(
            &headers(&[("sec-fetch-site", "cross-site")]),
            base
        ));
    }
}
