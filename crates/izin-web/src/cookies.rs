//! The portal's few cookies: the session, the anti-forgery binding, the language choice and the
//! address a sign-in code was sent to. All are `HttpOnly`, `SameSite=Lax` and `Path=/`; when the
//! portal is served over https they are `Secure` and `__Host-`-prefixed, so no subdomain can
//! plant or read them.

use axum::http::{HeaderMap, HeaderValue, header};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CookieName {
    Session,
    Csrf,
    Language,
    PendingLogin,
    /// An officer's session, apart from any applicant's session in the same browser.
    OfficerSession,
}

impl CookieName {
    pub fn as_str(self, secure: bool) -> &'static str {
        match (self, secure) {
            (CookieName::Session, true) => "__Host-izin_session",
            (CookieName::Session, false) => "izin_session",
            (CookieName::Csrf, true) => "__Host-izin_csrf",
            (CookieName::Csrf, false) => "izin_csrf",
            (CookieName::Language, true) => "__Host-izin_lang",
            (CookieName::Language, false) => "izin_lang",
            (CookieName::PendingLogin, true) => "__Host-izin_login",
            (CookieName::PendingLogin, false) => "izin_login",
            (CookieName::OfficerSession, true) => "__Host-izin_officer",
            (CookieName::OfficerSession, false) => "izin_officer",
        }
    }
}

/// Reads one cookie's value from the request headers.
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"'))
}

/// A `Set-Cookie` value. `max_age` of `None` makes a browser-session cookie.
pub fn set(
    name: CookieName,
    value: &str,
    max_age_seconds: Option<i64>,
    secure: bool,
) -> HeaderValue {
    let mut cookie = format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax",
        name.as_str(secure)
    );
    if let Some(age) = max_age_seconds {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear(name: CookieName, secure: bool) -> HeaderValue {
    set(name, "", Some(0), secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cookies_among_many() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; izin_lang=tr"),
        );
        headers.append(header::COOKIE, HeaderValue::from_static("izin_session=abc"));
        assert_eq!(get(&headers, "izin_lang"), Some("tr"));
        assert_eq!(get(&headers, "izin_session"), Some("abc"));
        assert_eq!(get(&headers, "missing"), None);
    }

    #[test]
    fn secure_cookies_are_host_prefixed() {
        let value = set(CookieName::Session, "tok", None, true);
        assert_eq!(
            value,
            "__Host-izin_session=tok; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
        let plain = set(CookieName::Language, "en", Some(60), false);
        assert_eq!(
            plain,
            "izin_lang=en; Path=/; HttpOnly; SameSite=Lax; Max-Age=60"
        );
        assert_eq!(
            clear(CookieName::Csrf, false),
            "izin_csrf=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
        );
    }
}
