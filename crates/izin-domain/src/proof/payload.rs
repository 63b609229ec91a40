//! What a Proof Document's QR code holds, and checking it offline against the published keys.
//!
//! The QR code holds a `/verify` URL whose `p` parameter is the signed proof
//! `IZ1.<payload>.<signature>`, both parts unpadded base64url; the signature is Ed25519 over
//! exactly the payload bytes. The payload is binary, to keep the QR code small (about 195
//! characters with a 40-character name); every field has a fixed width except the name, which
//! takes the rest, so no two payloads share bytes:
//!
//! | bytes  | field                                                                 |
//! |--------|-----------------------------------------------------------------------|
//! | 0      | format version, 1                                                     |
//! | 1–2    | document number's year, big-endian                                    |
//! | 3–5    | document number's serial, big-endian (check digits are recomputed)    |
//! | 6–9    | first valid day, Julian day number, big-endian signed                 |
//! | 10–13  | last valid day, the same                                              |
//! | 14–29  | [`PhotoHash`] of the holder's photo                                   |
//! | 30–37  | [`KeyId`] of the signing key                                          |
//! | 38–    | holder's name, UTF-8 in [`canonical_name`] form                       |
//!
//! Decoding accepts only what encoding produces (the canonical name, canonical base64), so the
//! bytes a verifier checks are the bytes that were signed.

use crate::proof::keys::{KeyId, PublishedKeys};
use crate::proof::number::{DocumentNumber, NumberError};
use data_encoding::{BASE64URL_NOPAD, HEXLOWER};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use std::fmt;
use time::Date;
use unicode_normalization::UnicodeNormalization;

/// What starts every signed proof; the digit is the payload's format version.
pub const PREFIX: &str = "IZ1.";
const VERSION: u8 = 1;
const FIXED_LENGTH: usize = 38;
/// Longer than any real proof; refused before decoding, so no input makes decoding costly.
const MAX_TEXT_LENGTH: usize = 4096;

/// Why a text is not a signed proof.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("the text holds no signed proof")]
    Missing,
    #[error("the text is too long to be a signed proof")]
    TooLong,
    #[error("a signed proof starts with {PREFIX}")]
    Prefix,
    #[error("a signed proof has a payload and a signature separated by a dot")]
    Shape,
    #[error("the payload or signature is not unpadded base64url")]
    Base64,
    #[error("a signature has 64 bytes, not {0}")]
    SignatureLength(usize),
    #[error("payload format {0} is not known")]
    Version(u8),
    #[error("the payload is cut short")]
    Truncated,
    #[error("the payload's document number is not valid: {0}")]
    Number(#[from] NumberError),
    #[error("a validity date of the payload is out of range")]
    Date,
    #[error("the holder's name is not canonical UTF-8")]
    Name,
    #[error("a photo hash is 32 lower-case hexadecimal characters")]
    PhotoHash,
}

/// Why a signed proof is not to be trusted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the proof is signed by key {0}, which is not published")]
    UnknownKey(KeyId),
    #[error("the signature does not match the proof")]
    BadSignature,
}

/// The first 16 bytes of SHA-256 of the holder's photo, as stored. A holder without a photo has
/// the hash of no bytes ([`PhotoHash::of`]`(&[])`), so the payload's shape never varies.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PhotoHash([u8; 16]);

impl PhotoHash {
    pub fn of(photo: &[u8]) -> Self {
        let digest = Sha256::digest(photo);
        let mut hash = [0u8; 16];
        hash.copy_from_slice(&digest[..16]);
        Self(hash)
    }

    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Reads the 32 lower-case hexadecimal characters [`Display`](fmt::Display) writes.
    pub fn parse(input: &str) -> Result<Self, PayloadError> {
        let mut hash = [0u8; 16];
        if input.len() != 32 {
            return Err(PayloadError::PhotoHash);
        }
        HEXLOWER
            .decode_mut(input.as_bytes(), &mut hash)
            .map_err(|_| PayloadError::PhotoHash)?;
        Ok(Self(hash))
    }
}

impl fmt::Display for PhotoHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&HEXLOWER.encode(&self.0))
    }
}

impl fmt::Debug for PhotoHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhotoHash({self})")
    }
}

impl Serialize for PhotoHash {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PhotoHash {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A holder's name as it is signed: runs of whitespace and control characters become one space,
/// the ends are trimmed, and the result is in Unicode NFC, so a name typed with combining marks
/// and one with precomposed letters sign the same. Print this form on the document too.
pub fn canonical_name(name: &str) -> String {
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect();
    words.join(" ").nfc().collect()
}

/// The facts a QR code vouches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofPayload {
    pub number: DocumentNumber,
    pub valid_from: Date,
    /// The last day the document is valid.
    pub valid_until: Date,
    /// Signed in [`canonical_name`] form.
    pub holder_name: String,
    pub photo_hash: PhotoHash,
    /// The key that signs it; [`DocumentSigningKey::sign`](crate::proof::keys::DocumentSigningKey::sign)
    /// sets it.
    pub key_id: KeyId,
}

impl ProofPayload {
    /// The bytes that are signed (the layout is in the module's documentation).
    pub fn to_bytes(&self) -> Vec<u8> {
        let name = canonical_name(&self.holder_name);
        let mut bytes = Vec::with_capacity(FIXED_LENGTH + name.len());
        bytes.push(VERSION);
        bytes.extend_from_slice(&self.number.to_packed());
        bytes.extend_from_slice(&self.valid_from.to_julian_day().to_be_bytes());
        bytes.extend_from_slice(&self.valid_until.to_julian_day().to_be_bytes());
        bytes.extend_from_slice(self.photo_hash.as_bytes());
        bytes.extend_from_slice(self.key_id.as_bytes());
        bytes.extend_from_slice(name.as_bytes());
        bytes
    }

    /// Reads what [`ProofPayload::to_bytes`] wrote, and nothing else.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PayloadError> {
        let (&[version], rest) = bytes
            .split_first_chunk::<1>()
            .ok_or(PayloadError::Truncated)?;
        if version != VERSION {
            return Err(PayloadError::Version(version));
        }
        let (number, rest) = rest
            .split_first_chunk::<5>()
            .ok_or(PayloadError::Truncated)?;
        let (valid_from, rest) = rest
            .split_first_chunk::<4>()
            .ok_or(PayloadError::Truncated)?;
        let (valid_until, rest) = rest
            .split_first_chunk::<4>()
            .ok_or(PayloadError::Truncated)?;
        let (photo_hash, rest) = rest
            .split_first_chunk::<16>()
            .ok_or(PayloadError::Truncated)?;
        let (key_id, name) = rest
            .split_first_chunk::<8>()
            .ok_or(PayloadError::Truncated)?;
        let date = |day: &[u8; 4]| {
            Date::from_julian_day(i32::from_be_bytes(*day)).map_err(|_| PayloadError::Date)
        };
        let holder_name = std::str::from_utf8(name).map_err(|_| PayloadError::Name)?;
        if canonical_name(holder_name) != holder_name {
            return Err(PayloadError::Name);
        }
        Ok(Self {
            number: DocumentNumber::from_packed(*number)?,
            valid_from: date(valid_from)?,
            valid_until: date(valid_until)?,
            holder_name: holder_name.to_owned(),
            photo_hash: PhotoHash(*photo_hash),
            key_id: KeyId::from_bytes(*key_id),
        })
    }
}

/// A payload with its Ed25519 signature, as carried in a QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedProof {
    pub payload: ProofPayload,
    pub signature: [u8; 64],
}

impl SignedProof {
    /// `IZ1.<payload>.<signature>`.
    pub fn encode(&self) -> String {
        format!(
            "{PREFIX}{}.{}",
            BASE64URL_NOPAD.encode(&self.payload.to_bytes()),
            BASE64URL_NOPAD.encode(&self.signature)
        )
    }

    /// Reads what [`SignedProof::encode`] wrote; surrounding whitespace is ignored. This does not
    /// check the signature: see [`verify`].
    pub fn decode(text: &str) -> Result<Self, PayloadError> {
        if text.len() > MAX_TEXT_LENGTH {
            return Err(PayloadError::TooLong);
        }
        let body = text
            .trim()
            .strip_prefix(PREFIX)
            .ok_or(PayloadError::Prefix)?;
        let (payload, signature) = body.split_once('.').ok_or(PayloadError::Shape)?;
        let base64 = |part: &str| {
            BASE64URL_NOPAD
                .decode(part.as_bytes())
                .map_err(|_| PayloadError::Base64)
        };
        let payload = ProofPayload::from_bytes(&base64(payload)?)?;
        let signature = base64(signature)?;
        let signature = <[u8; 64]>::try_from(signature.as_slice())
            .map_err(|_| PayloadError::SignatureLength(signature.len()))?;
        Ok(Self { payload, signature })
    }

    /// Finds the signed proof in what a QR code holds: a `/verify` URL with the proof in its `p`
    /// parameter (percent-encoded or not), or the bare proof.
    pub fn from_qr_text(text: &str) -> Result<Self, PayloadError> {
        if text.len() > MAX_TEXT_LENGTH {
            return Err(PayloadError::TooLong);
        }
        let text = text.trim();
        if text.starts_with(PREFIX) {
            return Self::decode(text);
        }
        let (_, query) = text.split_once('?').ok_or(PayloadError::Missing)?;
        let query = query.split_once('#').map_or(query, |(query, _)| query);
        let proof = form_urlencoded::parse(query.as_bytes())
            .find(|(name, _)| name == "p")
            .map(|(_, value)| value)
            .ok_or(PayloadError::Missing)?;
        Self::decode(&proof)
    }
}

/// Checks `signed` against the published keys and hands back what it vouches for. A retired key
/// still verifies the documents it signed; whether a document is still valid is `/verify`'s to
/// say ([`DocumentStatus`](crate::proof::status::DocumentStatus)).
pub fn verify<'a>(
    signed: &'a SignedProof,
    keys: &PublishedKeys,
) -> Result<&'a ProofPayload, VerifyError> {
    let key_id = signed.payload.key_id;
    let key = keys.find(&key_id).ok_or(VerifyError::UnknownKey(key_id))?;
    if key.verifies(&signed.payload.to_bytes(), &signed.signature) {
        Ok(&signed.payload)
    } else {
        Err(VerifyError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proof::keys::{DocumentSigningKey, PublishedKey};
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use time::macros::{date, datetime};

    fn key(seed: u64) -> DocumentSigningKey {
        DocumentSigningKey::generate(&mut StdRng::seed_from_u64(seed))
    }

    fn published(keys: &[&DocumentSigningKey]) -> PublishedKeys {
        PublishedKeys {
            keys: keys
                .iter()
                .map(|k| PublishedKey {
                    public_key: k.public_key(),
                    created: datetime!(2026-01-01 00:00 UTC),
                    retired: None,
                })
                .collect(),
        }
    }

    fn payload(name: &str) -> ProofPayload {
        ProofPayload {
            number: DocumentNumber::new(2026, 1234).unwrap(),
            valid_from: date!(2026 - 03 - 01),
            valid_until: date!(2027 - 02 - 28),
            holder_name: name.to_owned(),
            photo_hash: PhotoHash::of(b"\xff\xd8 a photo"),
            key_id: KeyId::from_bytes([0; 8]),
        }
    }

    #[test]
    fn a_signed_proof_encodes_decodes_and_verifies() {
        let signer = key(1);
        let signed = signer.sign(&payload("Ayşe Yılmaz"));
        assert_eq!(
            signed.payload.key_id,
            signer.key_id(),
            "the signer names itself"
        );
        let text = signed.encode();
        assert!(text.starts_with("IZ1."), "{text}");
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.'),
            "URL-safe as it is: {text}"
        );
        let decoded = SignedProof::decode(&text).unwrap();
        assert_eq!(decoded, signed);
        assert_eq!(
            verify(&decoded, &published(&[&signer])),
            Ok(&signed.payload)
        );
    }

    #[test]
    fn the_encoded_proof_stays_short() {
        let name = "Maximilian Alexander Oğuzhan Schönberger";
        assert_eq!(name.chars().count(), 40);
        let ascii = "Maximilian Alexander Oguzhan Schoenberge";
        assert_eq!(ascii.chars().count(), 40);
        let length = key(2).sign(&payload(ascii)).encode().len();
        assert!(length <= 195, "{length}");
        let length = key(2).sign(&payload(name)).encode().len();
        assert!(length <= 200, "{length}");
    }

    #[test]
    fn names_are_signed_in_one_canonical_form() {
        assert_eq!(canonical_name("  Ayşe \t  Yılmaz\n"), "Ayşe Yılmaz");
        assert_eq!(canonical_name("Ays\u{0327}e"), "Ayşe", "composed to NFC");
        assert_eq!(canonical_name("A\u{0}B"), "A B");
        let signer = key(3);
        let typed = signer.sign(&payload("  Ays\u{0327}e   Yılmaz "));
        let clean = signer.sign(&payload("Ayşe Yılmaz"));
        assert_eq!(typed, clean);
        // A non-canonical name cannot be smuggled in by hand.
        let mut bytes = clean.payload.to_bytes();
        bytes.push(b' ');
        assert_eq!(ProofPayload::from_bytes(&bytes), Err(PayloadError::Name));
    }

    #[test]
    fn a_tampered_payload_does_not_verify() {
        let signer = key(4);
        let keys = published(&[&signer]);
        let signed = signer.sign(&payload("Ayşe Yılmaz"));
        let mut later = signed.clone();
        later.payload.valid_until = date!(2030 - 02 - 28);
        let reread = SignedProof::decode(&later.encode()).unwrap();
        assert_eq!(verify(&reread, &keys), Err(VerifyError::BadSignature));

        // One byte of the name, changed in the encoded bytes.
        let mut bytes = signed.payload.to_bytes();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x01;
        let text = format!(
            "{PREFIX}{}.{}",
            BASE64URL_NOPAD.encode(&bytes),
            BASE64URL_NOPAD.encode(&signed.signature)
        );
        let tampered = SignedProof::decode(&text).unwrap();
        assert_ne!(tampered.payload, signed.payload);
        assert_eq!(verify(&tampered, &keys), Err(VerifyError::BadSignature));

        let mut bad_signature = signed.clone();
        bad_signature.signature[10] ^= 0x80;
        assert_eq!(
            verify(&bad_signature, &keys),
            Err(VerifyError::BadSignature)
        );
    }

    #[test]
    fn a_key_that_is_not_published_is_named() {
        let published_key = key(5);
        let stranger = key(6);
        let signed = stranger.sign(&payload("Ayşe Yılmaz"));
        assert_eq!(
            verify(&signed, &published(&[&published_key])),
            Err(VerifyError::UnknownKey(stranger.key_id()))
        );
        // Claiming a published key's id does not help a stranger.
        let mut claimed = signed.clone();
        claimed.payload.key_id = published_key.key_id();
        assert_eq!(
            verify(&claimed, &published(&[&published_key])),
            Err(VerifyError::BadSignature)
        );
    }

    #[test]
    fn documents_signed_by_a_retired_key_still_verify() {
        let old = key(7);
        let new = key(8);
        let before = old.sign(&payload("Ayşe Yılmaz"));
        let after = new.sign(&payload("Mehmet Demir"));
        let mut keys = published(&[&new, &old]);
        keys.keys[1].retired = Some(datetime!(2026-06-01 00:00 UTC));
        let keys: PublishedKeys =
            serde_json::from_str(&serde_json::to_string(&keys).unwrap()).unwrap();
        assert_eq!(verify(&before, &keys), Ok(&before.payload));
        assert_eq!(verify(&after, &keys), Ok(&after.payload));
    }

    #[test]
    fn the_proof_is_found_in_a_verify_url_or_bare() {
        let signed = key(9).sign(&payload("Ayşe Yılmaz"));
        let bare = signed.encode();
        assert_eq!(SignedProof::from_qr_text(&bare), Ok(signed.clone()));
        assert_eq!(
            SignedProof::from_qr_text(&format!(" {bare}\n")),
            Ok(signed.clone())
        );
        let url = format!("https://izin.example/verify?n=2026-0001234-68&c=ABCDE-FGHJK&p={bare}");
        assert_eq!(SignedProof::from_qr_text(&url), Ok(signed.clone()));
        let first = format!("https://izin.example/verify?p={bare}&n=2026-0001234-68#top");
        assert_eq!(SignedProof::from_qr_text(&first), Ok(signed.clone()));
        let escaped = format!(
            "https://izin.example/verify?n=2026-0001234-68&p={}",
            bare.replace('.', "%2E").replace('-', "%2d")
        );
        assert_eq!(SignedProof::from_qr_text(&escaped), Ok(signed.clone()));
        assert_eq!(
            SignedProof::from_qr_text("https://izin.example/verify?n=2026-0001234-68"),
            Err(PayloadError::Missing)
        );
        assert_eq!(
            SignedProof::from_qr_text("https://izin.example/"),
            Err(PayloadError::Missing)
        );
        assert_eq!(
            SignedProof::from_qr_text("https://izin.example/verify?p=IZ2.AAAA.AAAA"),
            Err(PayloadError::Prefix)
        );
    }

    #[test]
    fn malformed_proofs_are_refused_for_what_is_wrong() {
        let signed = key(10).sign(&payload("Ayşe Yılmaz"));
        let text = signed.encode();
        let (payload_part, signature_part) = text[PREFIX.len()..].split_once('.').unwrap();
        assert_eq!(SignedProof::decode("").unwrap_err(), PayloadError::Prefix);
        assert_eq!(
            SignedProof::decode(&format!("IZ1.{payload_part}")).unwrap_err(),
            PayloadError::Shape
        );
        assert_eq!(
            SignedProof::decode(&format!("IZ1.{payload_part}=.{signature_part}")).unwrap_err(),
            PayloadError::Base64
        );
        assert_eq!(
            SignedProof::decode(&format!("IZ1.{payload_part}.{signature_part}.x")).unwrap_err(),
            PayloadError::Base64
        );
        assert_eq!(
            SignedProof::decode(&format!("IZ1.{payload_part}.AAAA")).unwrap_err(),
            PayloadError::SignatureLength(3)
        );
        assert_eq!(
            SignedProof::decode(&format!("IZ1.AAAA.{signature_part}")).unwrap_err(),
            PayloadError::Version(0)
        );
        assert_eq!(
            SignedProof::decode(&format!("IZ1.AQ.{signature_part}")).unwrap_err(),
            PayloadError::Truncated
        );
        assert_eq!(
            SignedProof::decode(&"A".repeat(MAX_TEXT_LENGTH + 1)).unwrap_err(),
            PayloadError::TooLong
        );
        let mut bytes = signed.payload.to_bytes();
        bytes[3..6].fill(0);
        assert_eq!(
            ProofPayload::from_bytes(&bytes),
            Err(PayloadError::Number(NumberError::Serial(0)))
        );
        let mut bytes = signed.payload.to_bytes();
        bytes[6..10].copy_from_slice(&i32::MAX.to_be_bytes());
        assert_eq!(ProofPayload::from_bytes(&bytes), Err(PayloadError::Date));
        let mut bytes = signed.payload.to_bytes();
        bytes.push(0xff);
        assert_eq!(ProofPayload::from_bytes(&bytes), Err(PayloadError::Name));
    }

    #[test]
    fn a_photo_hash_is_the_start_of_the_photos_sha256() {
        let hash = PhotoHash::of(b"");
        assert_eq!(hash.to_string(), "e3b0c44298fc1c149afbf4c8996fb924");
        assert_eq!(PhotoHash::parse(&hash.to_string()), Ok(hash));
        assert_eq!(PhotoHash::parse("e3b0"), Err(PayloadError::PhotoHash));
        let json = serde_json::to_string(&hash).unwrap();
        assert_eq!(serde_json::from_str::<PhotoHash>(&json).unwrap(), hash);
    }

    fn any_payload() -> impl Strategy<Value = ProofPayload> {
        (
            1000i32..=9999,
            1u64..=9_999_999,
            -1_000_000i32..=3_000_000,
            0i32..=20_000,
            "\\PC{0,60}",
            any::<[u8; 16]>(),
        )
            .prop_map(|(year, serial, from, days, name, photo)| ProofPayload {
                number: DocumentNumber::new(year, serial).unwrap(),
                valid_from: Date::from_julian_day(from).unwrap(),
                valid_until: Date::from_julian_day(from + days).unwrap(),
                holder_name: name,
                photo_hash: PhotoHash::from_bytes(photo),
                key_id: KeyId::from_bytes([0; 8]),
            })
    }

    proptest! {
        #[test]
        fn any_payload_reads_back_and_verifies(payload in any_payload()) {
            let signer = key(11);
            let signed = signer.sign(&payload);
            prop_assert_eq!(canonical_name(&signed.payload.holder_name), signed.payload.holder_name.clone());
            let decoded = SignedProof::decode(&signed.encode()).unwrap();
            prop_assert_eq!(&decoded, &signed);
            prop_assert!(verify(&decoded, &published(&[&signer])).is_ok());
        }

        #[test]
        fn no_changed_byte_verifies(position in 0usize..1000, flip in 1u8..=255) {
            let signer = key(12);
            let signed = signer.sign(&payload("Ayşe Yılmaz"));
            let mut bytes = signed.payload.to_bytes();
            let position = position % bytes.len();
            bytes[position] ^= flip;
            if let Ok(tampered) = ProofPayload::from_bytes(&bytes) {
                let tampered = SignedProof { payload: tampered, signature: signed.signature };
                prop_assert!(verify(&tampered, &published(&[&signer])).is_err());
            }
        }

        #[test]
        fn canonical_names_are_stable(name in "\\PC{0,40}|[ \\t\\u{300}-\\u{36f}a-zçğışöüİ\\u{0}]{0,40}") {
            let once = canonical_name(&name);
            prop_assert_eq!(canonical_name(&once), once.clone());
        }

        #[test]
        fn decoding_never_panics(text in "\\PC{0,300}") {
            let _ = SignedProof::decode(&text);
            let _ = SignedProof::decode(&format!("{PREFIX}{text}"));
            let _ = SignedProof::from_qr_text(&text);
            let _ = SignedProof::from_qr_text(&format!("https://h/verify?p={PREFIX}{text}"));
        }

        #[test]
        fn decoding_arbitrary_bytes_never_panics(
            payload in proptest::collection::vec(any::<u8>(), 0..120),
            signature in proptest::collection::vec(any::<u8>(), 0..80),
        ) {
            let text = format!(
                "{PREFIX}{}.{}",
                BASE64URL_NOPAD.encode(&payload),
                BASE64URL_NOPAD.encode(&signature)
            );
            let _ = SignedProof::decode(&text);
            let _ = ProofPayload::from_bytes(&payload);
        }
    }
}
