//! A stored document of a user, the applications that cite it, and what removing it did.

use crate::documents::{ContentType, DocumentKind};
use time::OffsetDateTime;
use uuid::Uuid;

/// One stored document of a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: DocumentKind,
    /// The user's file name, sanitised; for display only.
    pub file_name: String,
    pub content_type: ContentType,
    pub size: i64,
    pub sha256: [u8; 32],
    /// Where the bytes are in the file store; random, never derived from user input.
    pub storage_key: String,
    pub created_at: OffsetDateTime,
    /// The document this one replaced, if any.
    pub replaces: Option<Uuid>,
}

/// An application that uses a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub application_id: Uuid,
    pub application_number: Option<String>,
    /// Cited by a submitted application: the document may no longer change or go.
    pub frozen: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentListing {
    pub document: Document,
    pub citations: Vec<Citation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteOutcome {
    /// The row is gone; the caller removes the bytes.
    Deleted {
        storage_key: String,
    },
    NotFound,
    /// A submitted application cites it.
    Cited,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplaceOutcome {
    /// The new document exists; the old one was removed unless a submitted application cites it
    /// (then `removed_storage_key` is `None` and both remain).
    Replaced {
        removed_storage_key: Option<String>,
    },
    NotFound,
}
