//! Proof Documents: what the portal issues on approving an application, and what anyone can check
//! about one, online or offline. Pure rules; rendering the PDF, storing keys and answering
//! `/verify` live in the outer layers.
//!
//! A document carries its [`number::DocumentNumber`] and a [`code::VerificationCode`] printed on
//! it, and a QR code holding a [`payload::SignedProof`]: the facts printed on the document,
//! signed with Ed25519 by a [`keys::DocumentSigningKey`]. The public halves are published as
//! [`keys::PublishedKeys`], so a holder of that file can verify a QR code without the portal;
//! `/verify` adds what a signature cannot say, the current [`status::DocumentStatus`].

pub mod code;
pub mod keys;
pub mod number;
pub mod payload;
pub mod status;

pub use code::VerificationCode;
pub use keys::{
    DocumentSigningKey, KeyEncryptionKey, KeyError, KeyId, PublicKey, PublishedKey, PublishedKeys,
    SealedKey,
};
pub use number::DocumentNumber;
pub use payload::{PayloadError, PhotoHash, ProofPayload, SignedProof, VerifyError, verify};
pub use status::{DocumentStatus, StatusFacts};
