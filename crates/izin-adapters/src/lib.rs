//! Adapters to the world outside the portal. Each sits behind a small interface so that the
//! embedded default (files under `./data`) and the distributed choice (SMTP, S3) are
//! interchangeable by configuration alone.

pub mod files;
pub mod mail;
