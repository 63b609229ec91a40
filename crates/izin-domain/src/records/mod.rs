//! The records the services hand to the web layer: accounts, officers, documents and applications as
//! they are stored. Plain data, defined here so that the storage layer (which reads and writes
//! them) and the web layer (which shows them) share them without the web importing storage.

mod account;
mod application;
mod document;
mod officer;

pub use account::User;
pub use application::{
    ApplicationColumns, ApplicationEventRecord, ApplicationRecord, ApplicationSummary,
    ApplicationVersion, PendingApplication,
};
pub use document::{Citation, DeleteOutcome, Document, DocumentListing, ReplaceOutcome};
pub use officer::Officer;
