//! An officer of an authority, as stored: separate from applicants' accounts.

use crate::officer::{Authority, Roles};
use time::OffsetDateTime;
use uuid::Uuid;

/// An officer. The TOTP secret and recovery codes are not part of it: they are read only where
/// a second factor is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Officer {
    pub id: Uuid,
    /// The sign-in address as given.
    pub email: String,
    pub authority: Authority,
    pub roles: Roles,
    pub created_at: OffsetDateTime,
    /// Set when an administrator disabled the officer: no sign-in, no session.
    pub disabled_at: Option<OffsetDateTime>,
}
