//! Helpers shared by HTML forms: the body limit, field errors in the user's language and the
//! error summary every form shows at its top.

/// Ordinary form and JSON bodies; uploads set their own, larger limits.
pub const BODY_LIMIT: usize = 64 * 1024;

/// One invalid field of a form, with its message already in the page's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMessage {
    /// The input's id, so the error summary can link to it.
    pub field: String,
    pub message: String,
}

/// The invalid fields of a submitted form, in the order they appear.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors(pub Vec<FieldMessage>);

impl FormErrors {
    pub fn add(&mut self, field: &str, message: String) {
        self.0.push(FieldMessage {
            field: field.to_owned(),
            message,
        });
    }

    /// Adds rule violations, each under the form id of its field.
    pub fn add_violations(
        &mut self,
        ctx: &crate::context::RequestContext,
        violations: &[izin_domain::profile::Violation],
    ) {
        for violation in violations {
            let id = form_id(&violation.field);
            if !self.has(&id) {
                self.add(&id, violation_message(ctx, violation));
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for one field, for showing beside it.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|m| m.field == field)
            .map(|m| m.message.as_str())
    }

    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, FieldMessage> {
        self.0.iter()
    }
}

/// A URL-encoded form body; an unreadable one becomes the "request could not be understood"
/// page in the user's language instead of a bare error.
pub struct PageForm<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for PageForm<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = axum::response::Response;

    async fn from_request(
        request: axum::extract::Request,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let ctx = request.extensions().get::<crate::Ctx>().cloned();
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(PageForm(value)),
            Err(rejection) => {
                tracing::debug!(%rejection, "unreadable form");
                Err(match ctx {
                    Some(ctx) => crate::errors::PageError::BadRequest.into_response_with(&ctx),
                    None => crate::errors::internal("request context missing"),
                })
            }
        }
    }
}

/// The form input id of an API field path: `spouse.tr_id` → `spouse_tr_id`,
/// `known_languages[2]` → `known_languages`.
pub fn form_id(path: &str) -> String {
    let without_index = path.split('[').next().unwrap_or(path);
    without_index.replace('.', "_")
}

/// A violation's message in the request's language, with its arguments.
pub fn violation_message(
    ctx: &crate::context::RequestContext,
    violation: &izin_domain::profile::Violation,
) -> String {
    let args: Vec<(&str, izin_i18n::Value<'_>)> = violation
        .args
        .iter()
        .map(|(name, value)| {
            (
                *name,
                izin_i18n::Value::from(crate::application_texts::display_arg(value)),
            )
        })
        .collect();
    ctx.tf(violation.code, &args)
}

/// A path inside this site to return to, or `/` for anything else (no open redirects).
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/panel?x=1")), "/panel?x=1");
        assert_eq!(local_path(Some("//evil.example/")), "/");
        assert_eq!(local_path(Some("https://evil.example/")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(Some("/a\r\nSet-Cookie: x")), "/");
        assert_eq!(local_path(None), "/");
    }
}
