//! The signed-in user.

use super::json::ApiUser;
use super::problem::Problem;
use axum::Json;
use izin_app::auth::CurrentSession;
use izin_domain::records::User;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    /// The sign-in address as first typed.
    pub email: String,
    /// The language mail is written in (`tr` or `en`).
    pub language: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SessionInfo>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub absolute_expires_at: OffsetDateTime,
}

pub fn me_body(user: &User, session: Option<&CurrentSession>) -> Me {
    Me {
        id: user.id,
        email: user.email.clone(),
        language: user.language.code().to_owned(),
        created_at: user.created_at,
        session: session.map(|s| SessionInfo {
            expires_at: s.deadline,
            absolute_expires_at: s.absolute_deadline,
        }),
    }
}

/// Who is signed in.
#[utoipa::path(
    get,
    path = "/me",
    tag = "account",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in user", body = Me),
        (status = 401, description = "Not signed in, or the session has ended", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn me(ApiUser(_, session): ApiUser) -> Json<Me> {
    Json(me_body(&session.user, Some(&session)))
}
