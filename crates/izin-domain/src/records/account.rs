//! A foreigner's account: who signed in, and in which language they read the portal.

use crate::Language;
use time::OffsetDateTime;
use uuid::Uuid;

/// A foreigner's account, created the first time they sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: Uuid,
    /// The sign-in address as first typed.
    pub email: String,
    pub language: Language,
    pub created_at: OffsetDateTime,
    pub last_sign_in_at: Option<OffsetDateTime>,
}
