//! The audit trail's vocabulary: who did what to which record, from where.
//!
//! Entries are only ever appended. Each action has a stable code that never changes meaning, so
//! years-old entries stay readable.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Who caused an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Actor {
    /// Someone not signed in (a code request, a failed sign-in).
    Anonymous,
    /// A signed-in foreigner.
    User(Uuid),
    /// An officer of an authority.
    Officer(Uuid),
    /// The portal itself: deadlines, scheduled jobs.
    System,
}

impl Actor {
    pub fn kind(&self) -> &'static str {
        match self {
            Actor::Anonymous => "anonymous",
            Actor::User(_) => "user",
            Actor::Officer(_) => "officer",
            Actor::System => "system",
        }
    }

    pub fn id(&self) -> Option<Uuid> {
        match self {
            Actor::User(id) | Actor::Officer(id) => Some(*id),
            Actor::Anonymous | Actor::System => None,
        }
    }
}

/// What happened. New actions are added at the end; codes never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    CodeRequested,
    CodeRefused,
    CodeRejected,
    SignedIn,
    AccountCreated,
    /// A passport identity declared at sign-in was kept on the account (as declared).
    IdentityDeclared,
    SignedOut,
    LanguageChanged,
    ProfileSectionSaved,
    DocumentUploaded,
    DocumentReplaced,
    DocumentDeleted,
    ApplicationCreated,
    ApplicationSaved,
    ApplicationDeleted,
    /// A move of the application lifecycle (the event is in the details).
    ApplicationMoved,
    /// An administrator (or `izin officer add`) created an officer.
    OfficerAdded,
    /// An officer was disabled: no more sign-ins or sessions.
    OfficerDisabled,
    /// An officer signed in with an e-mail code and the second factor.
    OfficerSignedIn,
    OfficerSignedOut,
    /// An officer read personal data (an application, a document, a search, a registry
    /// re-check): what was read is in the details. Required for accountability (KVKK).
    OfficerRead,
    /// An officer took an application from the queue.
    ApplicationTaken,
    /// An application was released to the queue or given to an officer.
    ApplicationAssigned,
    /// A first approval waits for a second officer, or was sent back.
    ApprovalProposed,
    ProposalReturned,
    /// An internal note was added.
    NoteAdded,
    /// An administrator confirmed amounts of a year whose fee is not published.
    EstimateConfirmed,
    /// A payment channel reported a payment (matched or kept as unmatched: see the details).
    PaymentReceived,
    /// An approver recorded a payment by hand, with a written reason.
    PaymentRecordedByHand,
    /// An approver counted a payment made in time that arrived after the rejection.
    PaymentReinstated,
    /// The authority assigned a foreigner identity number to a person who had none.
    ForeignerIdAssigned,
    /// The signed notifications endpoint refused a request (bad signature, stale time).
    PaymentNotificationRefused,
    /// An exemption's end date passed: the system moved it to EXPIRED.
    ExemptionExpired,
    /// The key that signs documents was retired for a new one.
    SigningKeyRotated,
    /// An officer marked cards printed.
    CardsPrinted,
    /// A printed card was handed to the carrier (or handed again after a return).
    CardShipped,
    /// The carrier's signed status endpoint refused a request.
    CargoNotificationRefused,
}

impl AuditAction {
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::CodeRequested => "auth.code_requested",
            AuditAction::CodeRefused => "auth.code_refused",
            AuditAction::CodeRejected => "auth.code_rejected",
            AuditAction::SignedIn => "auth.signed_in",
            AuditAction::AccountCreated => "account.created",
            AuditAction::IdentityDeclared => "account.identity_declared",
            AuditAction::SignedOut => "auth.signed_out",
            AuditAction::LanguageChanged => "account.language_changed",
            AuditAction::ProfileSectionSaved => "profile.section_saved",
            AuditAction::DocumentUploaded => "document.uploaded",
            AuditAction::DocumentReplaced => "document.replaced",
            AuditAction::DocumentDeleted => "document.deleted",
            AuditAction::ApplicationCreated => "application.created",
            AuditAction::ApplicationSaved => "application.saved",
            AuditAction::ApplicationDeleted => "application.deleted",
            AuditAction::ApplicationMoved => "application.moved",
            AuditAction::OfficerAdded => "officer.added",
            AuditAction::OfficerDisabled => "officer.disabled",
            AuditAction::OfficerSignedIn => "officer.signed_in",
            AuditAction::OfficerSignedOut => "officer.signed_out",
            AuditAction::OfficerRead => "officer.read",
            AuditAction::ApplicationTaken => "application.taken",
            AuditAction::ApplicationAssigned => "application.assigned",
            AuditAction::ApprovalProposed => "application.approval_proposed",
            AuditAction::ProposalReturned => "application.proposal_returned",
            AuditAction::NoteAdded => "application.note_added",
            AuditAction::EstimateConfirmed => "application.estimate_confirmed",
            AuditAction::PaymentReceived => "payment.received",
            AuditAction::PaymentRecordedByHand => "payment.recorded_by_hand",
            AuditAction::PaymentReinstated => "payment.reinstated",
            AuditAction::ForeignerIdAssigned => "person.foreigner_id_assigned",
            AuditAction::PaymentNotificationRefused => "payment.notification_refused",
            AuditAction::ExemptionExpired => "application.exemption_expired",
            AuditAction::SigningKeyRotated => "keys.signing_key_rotated",
            AuditAction::CardsPrinted => "card.printed",
            AuditAction::CardShipped => "card.shipped",
            AuditAction::CargoNotificationRefused => "cargo.notification_refused",
        }
    }
}

/// The network origin of a request: its client address and browser, as far as they are known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl ClientInfo {
    const MAX_USER_AGENT: usize = 256;

    pub fn new(ip: Option<String>, user_agent: Option<&str>) -> Self {
        Self {
            ip,
            user_agent: user_agent.map(|ua| ua.chars().take(Self::MAX_USER_AGENT).collect()),
        }
    }
}
