//! What a user may upload: the kinds of documents, and for each the file types and the size
//! it accepts. The checks of the content itself live in `izin-documents`.

use serde::{Deserialize, Serialize};

/// A file's type, decided by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContentType {
    Pdf,
    Jpeg,
    Png,
}

impl ContentType {
    pub fn mime(self) -> &'static str {
        match self {
            ContentType::Pdf => "application/pdf",
            ContentType::Jpeg => "image/jpeg",
            ContentType::Png => "image/png",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ContentType::Pdf => "pdf",
            ContentType::Jpeg => "jpeg",
            ContentType::Png => "png",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "pdf" => Some(ContentType::Pdf),
            "jpeg" | "jpg" => Some(ContentType::Jpeg),
            "png" => Some(ContentType::Png),
            _ => None,
        }
    }

    pub fn from_mime(mime: &str) -> Option<Self> {
        match mime {
            "application/pdf" => Some(ContentType::Pdf),
            "image/jpeg" => Some(ContentType::Jpeg),
            "image/png" => Some(ContentType::Png),
            _ => None,
        }
    }

    pub fn is_image(self) -> bool {
        matches!(self, ContentType::Jpeg | ContentType::Png)
    }
}

const MB: u64 = 1024 * 1024;

/// The kinds of documents (their codes are the API's `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// The biometric photograph of Personal Information.
    Photo,
    /// The scan of the passport's first and all processed pages.
    Passport,
    /// Proof of the declared Turkish level.
    TurkishProof,
    /// The most recent diploma, in Turkish or English.
    Diploma,
    /// Anything else an application asks for: a contract, a certificate…
    Other,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 5] = [
        DocumentKind::Photo,
        DocumentKind::Passport,
        DocumentKind::TurkishProof,
        DocumentKind::Diploma,
        DocumentKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::Photo => "photo",
            DocumentKind::Passport => "passport",
            DocumentKind::TurkishProof => "turkish_proof",
            DocumentKind::Diploma => "diploma",
            DocumentKind::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    pub fn max_bytes(self) -> u64 {
        match self {
            DocumentKind::Photo => 5 * MB,
            _ => 10 * MB,
        }
    }

    pub fn accepts(self) -> &'static [ContentType] {
        match self {
            DocumentKind::Photo => &[ContentType::Jpeg, ContentType::Png],
            DocumentKind::Passport | DocumentKind::TurkishProof | DocumentKind::Diploma => {
                &[ContentType::Pdf]
            }
            DocumentKind::Other => &[ContentType::Pdf, ContentType::Jpeg, ContentType::Png],
        }
    }

    /// The largest upload any kind accepts: the request body limit of upload routes.
    pub fn largest() -> u64 {
        Self::ALL
            .iter()
            .map(|k| k.max_bytes())
            .max()
            .unwrap_or(10 * MB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_accept_what_the_issue_says() {
        assert_eq!(DocumentKind::Photo.max_bytes(), 5 * 1024 * 1024);
        assert_eq!(DocumentKind::Passport.accepts(), [ContentType::Pdf]);
        assert!(DocumentKind::Other.accepts().contains(&ContentType::Png));
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(kind.code()), Some(kind));
        }
        assert_eq!(DocumentKind::parse("selfie"), None);
    }
}
