//! What a submission freezes: the kind's data exactly as submitted, the User Information it was
//! checked with, the fingerprints of the documents it cites and the fees as assessed. Officers
//! decide on this record, not on what the applicant changes afterwards; a revision freezes a
//! new one beside it. The layout is versioned so that records frozen years ago still read.

use super::{FeeAssessment, Kind};
use crate::profile::Profile;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The layout written today. Records without a `format` were written before it was recorded and
/// have the same layout.
pub const SNAPSHOT_FORMAT: u32 = 1;

fn first_format() -> u32 {
    1
}

/// One frozen version of an application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    #[serde(default = "first_format")]
    pub format: u32,
    pub kind: Kind,
    /// The catalogue the rules were checked against.
    pub catalog_version: String,
    /// The kind's data as submitted (for a work-permit exemption, its `Draft`).
    pub data: serde_json::Value,
    pub profile: Profile,
    pub documents: Vec<FrozenDocument>,
    pub fees: Option<FeeAssessment>,
}

/// A cited document as it was when the application was submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenDocument {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    /// SHA-256 of the content, lowercase hex: the file an officer opens is the one submitted.
    pub sha256: String,
}

/// Why a stored snapshot cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("snapshot format {0} is newer than this program")]
    UnknownFormat(u32),
    #[error("snapshot does not fit its format: {0}")]
    Shape(#[from] serde_json::Error),
}

impl Snapshot {
    /// Reads a stored snapshot.
    pub fn read(stored: &serde_json::Value) -> Result<Self, SnapshotError> {
        let snapshot: Snapshot = Snapshot::deserialize(stored)?;
        if snapshot.format > SNAPSHOT_FORMAT {
            return Err(SnapshotError::UnknownFormat(snapshot.format));
        }
        Ok(snapshot)
    }

    /// The kind's data, as the kind's own type.
    pub fn data<T: DeserializeOwned>(&self) -> Result<T, SnapshotError> {
        Ok(T::deserialize(&self.data)?)
    }

    /// The form it is stored in.
    pub fn to_stored(&self) -> Result<serde_json::Value, SnapshotError> {
        Ok(serde_json::to_value(self)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot() -> Snapshot {
        Snapshot {
            format: SNAPSHOT_FORMAT,
            kind: Kind::WorkPermitExemption,
            catalog_version: "2026-11-01".into(),
            data: serde_json::json!({"category": "compulsory-internship"}),
            profile: Profile::default(),
            documents: vec![FrozenDocument {
                id: Uuid::nil(),
                file_name: "letter.pdf".into(),
                content_type: "application/pdf".into(),
                size: 1234,
                sha256: "ab".repeat(32),
            }],
            fees: None,
        }
    }

    #[test]
    fn a_snapshot_reads_back_as_written() {
        let written = snapshot();
        let stored = written.to_stored().expect("stored");
        assert_eq!(stored["kind"], "work-permit-exemption");
        assert_eq!(stored["format"], 1);
        assert_eq!(Snapshot::read(&stored).expect("read"), written);
    }

    #[test]
    fn snapshots_frozen_before_the_format_was_recorded_still_read() {
        let mut stored = snapshot().to_stored().expect("stored");
        stored.as_object_mut().expect("object").remove("format");
        assert_eq!(Snapshot::read(&stored).expect("read").format, 1);
    }

    #[test]
    fn a_newer_format_is_refused_rather_than_misread() {
        let mut stored = snapshot().to_stored().expect("stored");
        stored["format"] = serde_json::json!(SNAPSHOT_FORMAT + 1);
        assert!(matches!(
            Snapshot::read(&stored),
            Err(SnapshotError::UnknownFormat(2))
        ));
    }
}
