//! An application as it is stored and listed: its lifecycle, its editable data, its frozen
//! versions and the history of its moves.

use crate::application::{Event, Kind, Lifecycle};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Columns copied out of an application's data so lists and rules need not parse it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplicationColumns {
    pub category: Option<String>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
}

/// An application as stored, with its editable data.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: Kind,
    /// The application this one is about (a new card's exemption), if any.
    pub parent: Option<Uuid>,
    pub lifecycle: Lifecycle,
    pub number: Option<String>,
    /// The last submitted version (0 while a draft).
    pub version: i32,
    /// How many times the data was saved; a submission names the edit it checked.
    pub edits: i64,
    pub data: serde_json::Value,
    pub columns: ApplicationColumns,
    /// The officer's message while the application is in REVISION.
    pub revision_message: Option<String>,
    pub cancellation_requested_at: Option<OffsetDateTime>,
    /// The key of the request that submitted it.
    pub idempotency_key: Option<String>,
    /// The officer who holds it (took it from the queue, or was given it).
    pub assigned_to: Option<Uuid>,
    /// The officer's last decision (a revision asked, a rejection, an approval's amounts).
    pub decision: Option<crate::back_office::OfficerDecision>,
    /// A first approval waiting for a second officer.
    pub proposal: Option<crate::back_office::Proposal>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub submitted_at: Option<OffsetDateTime>,
    pub concluded_at: Option<OffsetDateTime>,
}

/// One line of My Applications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationSummary {
    pub id: Uuid,
    pub kind: Kind,
    /// The application this one is about (a new card's exemption), if any.
    pub parent: Option<Uuid>,
    pub lifecycle: Lifecycle,
    pub number: Option<String>,
    pub columns: ApplicationColumns,
    pub cancellation_requested_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub submitted_at: Option<OffsetDateTime>,
    pub concluded_at: Option<OffsetDateTime>,
}

/// One entry of an application's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationEventRecord {
    pub id: i64,
    pub at: OffsetDateTime,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub event: Event,
    pub from: Lifecycle,
    pub to: Lifecycle,
    pub reason: Option<String>,
    /// The version the application was at after the move.
    pub version: i32,
}

/// A submitted version, as frozen.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationVersion {
    pub version: i32,
    pub snapshot: serde_json::Value,
    pub submitted_at: OffsetDateTime,
}

/// A submitted application of the owner that is not yet decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingApplication {
    pub kind: Kind,
    pub number: Option<String>,
    /// The application it is about (a new card's exemption), if any.
    pub parent: Option<Uuid>,
}

impl ApplicationRecord {
    /// What the officer's revision request reopened (`step:…`, `slot:…`, `profile:…`), while the
    /// application is in revision; `None` when no officer named it (the kind's default holds).
    pub fn reopened(&self) -> Option<&[String]> {
        match &self.decision {
            Some(crate::back_office::OfficerDecision::Revision { reopen, .. })
                if self.lifecycle.status == crate::application::Status::Revision =>
            {
                Some(reopen)
            }
            _ => None,
        }
    }

    /// The line My Applications shows for it.
    pub fn summary(&self) -> ApplicationSummary {
        ApplicationSummary {
            id: self.id,
            kind: self.kind,
            parent: self.parent,
            lifecycle: self.lifecycle,
            number: self.number.clone(),
            columns: self.columns.clone(),
            cancellation_requested_at: self.cancellation_requested_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
            submitted_at: self.submitted_at,
            concluded_at: self.concluded_at,
        }
    }
}
