//! The keys that sign Proof Documents, how they are kept and how their public halves are
//! published.
//!
//! - A [`DocumentSigningKey`] is an Ed25519 key; its [`KeyId`] is the first 8 bytes of SHA-256 of
//!   its 32-byte public key, so anyone can recompute it from the published key.
//! - The database keeps signing keys only as [`SealedKey`]s: XChaCha20-Poly1305 under a
//!   [`KeyEncryptionKey`] that lives outside the database (a setting or a key file), with the key
//!   id as associated data. A backup of the database alone cannot forge documents, and a sealed
//!   key cannot be passed off under another key's id.
//! - [`PublishedKeys`] is the JWK Set (RFC 7517, RFC 8037) served at
//!   `/.well-known/izin-keys.json`. A key that stopped signing stays in it with `exp` set: the
//!   documents it signed keep verifying. Entries of other key types are ignored, as RFC 7517 §5
//!   asks, so the set can grow other algorithms without breaking older verifiers.

use crate::proof::payload::{ProofPayload, SignedProof, canonical_name};
use chacha20poly1305::aead::{Tag, inout::InOutBuf};
use chacha20poly1305::{AeadInOut, Key, KeyInit, XChaCha20Poly1305, XNonce};
use data_encoding::{
    BASE64, BASE64_NOPAD, BASE64URL, BASE64URL_NOPAD, HEXLOWER, HEXLOWER_PERMISSIVE,
};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use std::fmt;
use time::OffsetDateTime;
use zeroize::{Zeroize, Zeroizing};

/// What is wrong with a key, a sealed key or the published set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("a key id is 16 lower-case hexadecimal characters")]
    KeyIdShape,
    #[error("the public key is not a usable Ed25519 key")]
    PublicKey,
    #[error(
        "a key-encryption key is 32 bytes written as 64 hexadecimal or 43–44 base64 characters"
    )]
    KekShape,
    #[error("a sealed key has {expected} bytes, not {0}", expected = SealedKey::LENGTH)]
    SealedLength(usize),
    /// The AEAD cannot tell these apart, and should not: a wrong key-encryption key, altered
    /// bytes, or a key sealed under another id.
    #[error(
        "the sealed key does not open: wrong key-encryption key, altered, or sealed for another key id"
    )]
    Unseal,
    #[error("the unsealed key has id {found}, not {expected}")]
    KeyIdMismatch { expected: KeyId, found: KeyId },
    /// Unreachable for a 32-byte key; the AEAD's interface is fallible.
    #[error("the key could not be sealed")]
    Seal,
    #[error("published key {kid:?} does not belong to its public key (its id is {actual})")]
    KidMismatch { kid: String, actual: KeyId },
    #[error("a published key is malformed: {0}")]
    Jwk(&'static str),
}

/// Names a signing key: the first 8 bytes of SHA-256 of its public key, written as 16 lower-case
/// hexadecimal characters.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId([u8; 8]);

impl KeyId {
    /// Characters in the written form.
    pub const LENGTH: usize = 16;

    fn of(public_key: &[u8; 32]) -> Self {
        let digest = Sha256::digest(public_key);
        let mut id = [0u8; 8];
        id.copy_from_slice(&digest[..8]);
        Self(id)
    }

    pub fn from_bytes(bytes: [u8; 8]) -> Self {
        Self(bytes)
    }

    /// Reads the written form; only lower case, the one spelling of a `kid`.
    pub fn parse(input: &str) -> Result<Self, KeyError> {
        if input.len() != Self::LENGTH {
            return Err(KeyError::KeyIdShape);
        }
        let mut id = [0u8; 8];
        HEXLOWER
            .decode_mut(input.as_bytes(), &mut id)
            .map_err(|_| KeyError::KeyIdShape)?;
        Ok(Self(id))
    }

    pub fn as_bytes(&self) -> &[u8; 8] {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&HEXLOWER.encode(&self.0))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

impl Serialize for KeyId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for KeyId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The public half of a signing key: 32 bytes, a valid curve point of full order.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    pub const LENGTH: usize = 32;

    /// Refuses bytes that are no curve point and the weak (small-order) points, which no
    /// generated key has and strict verification refuses anyway.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, KeyError> {
        let key = VerifyingKey::from_bytes(bytes).map_err(|_| KeyError::PublicKey)?;
        if key.is_weak() {
            return Err(KeyError::PublicKey);
        }
        Ok(Self(key))
    }

    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    pub fn key_id(&self) -> KeyId {
        KeyId::of(self.0.as_bytes())
    }

    /// Whether `signature` is this key's over exactly `message`, by the strict rules (no
    /// malleable signatures, no small-order components).
    pub(crate) fn verifies(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        self.0
            .verify_strict(message, &Signature::from_bytes(signature))
            .is_ok()
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.key_id())
    }
}

/// An Ed25519 key that signs Proof Documents. Its secret is never printed and is wiped from
/// memory when the key is dropped.
pub struct DocumentSigningKey(SigningKey);

impl DocumentSigningKey {
    /// A new key. Pass a cryptographically secure generator.
    pub fn generate<R: rand::CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut secret = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(secret.as_mut());
        Self(SigningKey::from_bytes(&secret))
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    pub fn key_id(&self) -> KeyId {
        self.public_key().key_id()
    }

    /// Signs `payload` as this key: the signed payload names this key's id whatever `payload`
    /// said, and the holder's name in its canonical form, so that what is returned is exactly
    /// what a verifier decodes.
    pub fn sign(&self, payload: &ProofPayload) -> SignedProof {
        let payload = ProofPayload {
            holder_name: canonical_name(&payload.holder_name),
            key_id: self.key_id(),
            ..payload.clone()
        };
        let signature = self.0.sign(&payload.to_bytes()).to_bytes();
        SignedProof { payload, signature }
    }
}

impl fmt::Debug for DocumentSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DocumentSigningKey")
            .field("key_id", &self.key_id())
            .finish_non_exhaustive()
    }
}

/// The 32-byte key that seals signing keys for the database. It comes from a setting or a key
/// file, never from the database itself; it is never printed and is wiped when dropped (each
/// copy, too).
#[derive(Clone)]
pub struct KeyEncryptionKey([u8; 32]);

impl KeyEncryptionKey {
    /// A new key. Pass a cryptographically secure generator.
    pub fn generate<R: rand::CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut key = [0u8; 32];
        rng.fill_bytes(&mut key);
        Self(key)
    }

    /// Reads a setting or a key file's content: 64 hexadecimal characters, or 43 (unpadded) or
    /// 44 (padded) characters of base64url or standard base64. Surrounding whitespace, such as a
    /// file's final newline, is ignored.
    pub fn parse(input: &str) -> Result<Self, KeyError> {
        let text = input.trim().as_bytes();
        let standard = text.iter().any(|b| *b == b'+' || *b == b'/');
        let encoding = match (text.len(), standard) {
            (64, _) => &HEXLOWER_PERMISSIVE,
            (43, false) => &BASE64URL_NOPAD,
            (43, true) => &BASE64_NOPAD,
            (44, false) => &BASE64URL,
            (44, true) => &BASE64,
            _ => return Err(KeyError::KekShape),
        };
        let decoded = Zeroizing::new(encoding.decode(text).map_err(|_| KeyError::KekShape)?);
        let mut key = [0u8; 32];
        if decoded.len() != key.len() {
            return Err(KeyError::KekShape);
        }
        key.copy_from_slice(&decoded);
        Ok(Self(key))
    }

    /// The key as unpadded base64url (43 characters), the form [`KeyEncryptionKey::parse`] reads.
    pub fn to_text(&self) -> String {
        BASE64URL_NOPAD.encode(&self.0)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        // Borrowed, not copied: no second copy of the key to wipe.
        XChaCha20Poly1305::new(<&Key>::from(&self.0))
    }
}

impl Drop for KeyEncryptionKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for KeyEncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyEncryptionKey(<redacted>)")
    }
}

/// A signing key sealed for the database: a random 24-byte nonce, then the 32-byte secret
/// encrypted with XChaCha20-Poly1305 and its 16-byte tag, the key id being the associated data.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedKey(Vec<u8>);

const NONCE_LENGTH: usize = 24;
const TAG_LENGTH: usize = 16;

impl SealedKey {
    pub const LENGTH: usize = NONCE_LENGTH + 32 + TAG_LENGTH;

    /// Seals `key` under `kek` with a fresh random nonce. Pass a cryptographically secure
    /// generator: a nonce must not repeat under one KEK.
    pub fn seal<R: rand::CryptoRng + ?Sized>(
        key: &DocumentSigningKey,
        kek: &KeyEncryptionKey,
        rng: &mut R,
    ) -> Result<SealedKey, KeyError> {
        let mut nonce = [0u8; NONCE_LENGTH];
        rng.fill_bytes(&mut nonce);
        let mut secret = Zeroizing::new(key.0.to_bytes());
        let tag = kek
            .cipher()
            .encrypt_inout_detached(
                &XNonce::from(nonce),
                key.key_id().as_bytes(),
                InOutBuf::from(&mut secret[..]),
            )
            .map_err(|_| KeyError::Seal)?;
        let mut sealed = Vec::with_capacity(Self::LENGTH);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&secret[..]);
        sealed.extend_from_slice(&tag);
        Ok(Self(sealed))
    }

    /// Opens the key stored under `expected`: fails unless `kek` sealed it for that very id.
    pub fn unseal(
        &self,
        kek: &KeyEncryptionKey,
        expected: &KeyId,
    ) -> Result<DocumentSigningKey, KeyError> {
        let (nonce, rest) = self
            .0
            .split_first_chunk::<NONCE_LENGTH>()
            .ok_or(KeyError::SealedLength(self.0.len()))?;
        let (ciphertext, tag) = rest
            .split_first_chunk::<32>()
            .ok_or(KeyError::SealedLength(self.0.len()))?;
        let tag = Tag::<XChaCha20Poly1305>::try_from(tag)
            .map_err(|_| KeyError::SealedLength(self.0.len()))?;
        let mut secret = Zeroizing::new(*ciphertext);
        kek.cipher()
            .decrypt_inout_detached(
                &XNonce::from(*nonce),
                expected.as_bytes(),
                InOutBuf::from(&mut secret[..]),
                &tag,
            )
            .map_err(|_| KeyError::Unseal)?;
        let key = DocumentSigningKey(SigningKey::from_bytes(&secret));
        let found = key.key_id();
        if found != *expected {
            return Err(KeyError::KeyIdMismatch {
                expected: *expected,
                found,
            });
        }
        Ok(key)
    }

    /// Takes stored bytes back; only their length is checked until they are unsealed.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        if bytes.len() != Self::LENGTH {
            return Err(KeyError::SealedLength(bytes.len()));
        }
        Ok(Self(bytes.to_vec()))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SealedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SealedKey({} bytes)", self.0.len())
    }
}

/// One key of the published set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedKey {
    pub public_key: PublicKey,
    /// When the key was made (`iat`; the JSON keeps whole seconds).
    pub created: OffsetDateTime,
    /// When it stopped signing (`exp`); `None` while it is the current key. Documents it signed
    /// before still verify.
    pub retired: Option<OffsetDateTime>,
}

impl PublishedKey {
    pub fn key_id(&self) -> KeyId {
        self.public_key.key_id()
    }
}

/// The public keys offline verification trusts, as the JWK Set at
/// `/.well-known/izin-keys.json`:
/// `{"keys":[{"kty":"OKP","crv":"Ed25519","x":…,"kid":…,"use":"sig","alg":"EdDSA","iat":…,"exp":…}]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublishedKeys {
    pub keys: Vec<PublishedKey>,
}

impl PublishedKeys {
    /// The public key published under `id`, current or retired.
    pub fn find(&self, id: &KeyId) -> Option<PublicKey> {
        self.keys
            .iter()
            .map(|k| k.public_key)
            .find(|k| k.key_id() == *id)
    }
}

#[derive(Serialize, Deserialize)]
struct RawKeySet {
    keys: Vec<RawJwk>,
}

#[derive(Serialize, Deserialize)]
struct RawJwk {
    kty: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    crv: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    x: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kid: Option<String>,
    #[serde(rename = "use", default, skip_serializing_if = "Option::is_none")]
    use_: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    alg: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    iat: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exp: Option<i64>,
}

impl RawJwk {
    fn of(key: &PublishedKey) -> Self {
        Self {
            kty: "OKP".into(),
            crv: Some("Ed25519".into()),
            x: Some(BASE64URL_NOPAD.encode(&key.public_key.to_bytes())),
            kid: Some(key.key_id().to_string()),
            use_: Some("sig".into()),
            alg: Some("EdDSA".into()),
            iat: Some(key.created.unix_timestamp()),
            exp: key.retired.map(OffsetDateTime::unix_timestamp),
        }
    }

    fn is_ed25519(&self) -> bool {
        self.kty == "OKP" && self.crv.as_deref() == Some("Ed25519")
    }

    fn read(&self) -> Result<PublishedKey, KeyError> {
        let x = self.x.as_deref().ok_or(KeyError::Jwk("x is missing"))?;
        let mut bytes = [0u8; 32];
        let decoded = BASE64URL_NOPAD
            .decode(x.as_bytes())
            .map_err(|_| KeyError::Jwk("x is not unpadded base64url"))?;
        if decoded.len() != bytes.len() {
            return Err(KeyError::Jwk("x is not 32 bytes"));
        }
        bytes.copy_from_slice(&decoded);
        let public_key = PublicKey::from_bytes(&bytes)?;
        let kid = self.kid.as_deref().ok_or(KeyError::Jwk("kid is missing"))?;
        if kid != public_key.key_id().to_string() {
            return Err(KeyError::KidMismatch {
                kid: kid.to_owned(),
                actual: public_key.key_id(),
            });
        }
        if self.use_.as_deref().is_some_and(|u| u != "sig") {
            return Err(KeyError::Jwk("use is not sig"));
        }
        if self.alg.as_deref().is_some_and(|a| a != "EdDSA") {
            return Err(KeyError::Jwk("alg is not EdDSA"));
        }
        let time = |seconds: i64| {
            OffsetDateTime::from_unix_timestamp(seconds)
                .map_err(|_| KeyError::Jwk("a time is out of range"))
        };
        let created = time(self.iat.ok_or(KeyError::Jwk("iat is missing"))?)?;
        let retired = self.exp.map(time).transpose()?;
        Ok(PublishedKey {
            public_key,
            created,
            retired,
        })
    }
}

impl Serialize for PublishedKeys {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        RawKeySet {
            keys: self.keys.iter().map(RawJwk::of).collect(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for PublishedKeys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawKeySet::deserialize(d)?;
        let keys = raw
            .keys
            .iter()
            .filter(|k| k.is_ed25519())
            .map(RawJwk::read)
            .collect::<Result<Vec<_>, _>>()
            .map_err(serde::de::Error::custom)?;
        Ok(Self { keys })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use serde_json::json;
    use time::macros::datetime;

    fn rng(seed: u64) -> StdRng {
        StdRng::seed_from_u64(seed)
    }

    #[test]
    fn a_key_id_is_the_start_of_the_public_keys_sha256() {
        let key = DocumentSigningKey::generate(&mut rng(1));
        let public = key.public_key().to_bytes();
        let digest = Sha256::digest(public);
        assert_eq!(key.key_id().as_bytes(), &digest[..8]);
        assert_eq!(key.key_id().to_string(), HEXLOWER.encode(&digest[..8]));
        assert_eq!(key.key_id().to_string().len(), KeyId::LENGTH);
        assert_eq!(KeyId::parse(&key.key_id().to_string()), Ok(key.key_id()));
        assert_eq!(
            KeyId::parse(&key.key_id().to_string().to_uppercase()),
            Err(KeyError::KeyIdShape)
        );
        assert_eq!(KeyId::parse("0123"), Err(KeyError::KeyIdShape));
        assert_eq!(KeyId::parse("0123456789abcdeg"), Err(KeyError::KeyIdShape));
        assert_eq!(
            PublicKey::from_bytes(&public).unwrap().key_id(),
            key.key_id()
        );
        let json = serde_json::to_string(&key.key_id()).unwrap();
        assert_eq!(serde_json::from_str::<KeyId>(&json).unwrap(), key.key_id());
    }

    #[test]
    fn secrets_are_not_printed() {
        let key = DocumentSigningKey::generate(&mut rng(2));
        let printed = format!("{key:?}");
        assert!(printed.contains(&key.key_id().to_string()), "{printed}");
        let secret = key.0.to_bytes();
        assert!(!printed.contains(&HEXLOWER.encode(&secret)));
        assert!(!printed.contains(&format!("{:?}", secret[0..4].to_vec())));
        let kek = KeyEncryptionKey::generate(&mut rng(3));
        let printed = format!("{kek:?}");
        assert_eq!(printed, "KeyEncryptionKey(<redacted>)");
    }

    #[test]
    fn weak_and_invalid_public_keys_are_refused() {
        // The identity point, of small order.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(PublicKey::from_bytes(&identity), Err(KeyError::PublicKey));
        // y = 2 is not on the curve.
        let mut off_curve = [0u8; 32];
        off_curve[0] = 2;
        assert_eq!(PublicKey::from_bytes(&off_curve), Err(KeyError::PublicKey));
    }

    #[test]
    fn a_key_encryption_key_is_read_from_hex_or_base64() {
        let kek = KeyEncryptionKey::generate(&mut rng(4));
        let bytes = kek.0;
        assert_eq!(kek.to_text().len(), 43);
        for text in [
            kek.to_text(),
            format!("{}\n", kek.to_text()),
            HEXLOWER.encode(&bytes),
            HEXLOWER.encode(&bytes).to_uppercase(),
            BASE64URL.encode(&bytes),
            BASE64.encode(&bytes),
            BASE64_NOPAD.encode(&bytes),
        ] {
            assert_eq!(KeyEncryptionKey::parse(&text).unwrap().0, bytes, "{text}");
        }
        for text in [
            "",
            "short",
            &HEXLOWER.encode(&bytes[..31]),
            &format!("{}x", &HEXLOWER.encode(&bytes)[..63]),
            &BASE64URL_NOPAD.encode(&[0u8; 33]),
            &"!".repeat(43),
        ] {
            assert_eq!(
                KeyEncryptionKey::parse(text).map(|k| k.0),
                Err(KeyError::KekShape),
                "{text}"
            );
        }
    }

    #[test]
    fn a_sealed_key_opens_only_with_its_kek_and_its_id() {
        let key = DocumentSigningKey::generate(&mut rng(5));
        let kek = KeyEncryptionKey::generate(&mut rng(6));
        let sealed = SealedKey::seal(&key, &kek, &mut rng(7)).unwrap();
        assert_eq!(sealed.as_bytes().len(), SealedKey::LENGTH);
        assert!(
            !sealed.as_bytes().windows(32).any(|w| w == key.0.to_bytes()),
            "the secret is not stored in the clear"
        );

        let stored = SealedKey::from_bytes(sealed.as_bytes()).unwrap();
        let opened = stored.unseal(&kek, &key.key_id()).unwrap();
        assert_eq!(opened.key_id(), key.key_id());
        assert_eq!(opened.0.to_bytes(), key.0.to_bytes());

        let other_kek = KeyEncryptionKey::generate(&mut rng(8));
        assert_eq!(
            stored.unseal(&other_kek, &key.key_id()).map(|k| k.key_id()),
            Err(KeyError::Unseal)
        );
        let other_id = DocumentSigningKey::generate(&mut rng(9)).key_id();
        assert_eq!(
            stored.unseal(&kek, &other_id).map(|k| k.key_id()),
            Err(KeyError::Unseal)
        );
        for position in [0, NONCE_LENGTH, NONCE_LENGTH + 31, SealedKey::LENGTH - 1] {
            let mut tampered = sealed.as_bytes().to_vec();
            tampered[position] ^= 1;
            let tampered = SealedKey::from_bytes(&tampered).unwrap();
            assert_eq!(
                tampered.unseal(&kek, &key.key_id()).map(|k| k.key_id()),
                Err(KeyError::Unseal),
                "byte {position}"
            );
        }
        assert_eq!(
            SealedKey::from_bytes(&sealed.as_bytes()[1..]).map(|s| s.0),
            Err(KeyError::SealedLength(SealedKey::LENGTH - 1))
        );
        // Two seals of one key differ by their nonce.
        let again = SealedKey::seal(&key, &kek, &mut rng(10)).unwrap();
        assert_ne!(again, sealed);
    }

    /// Sealing with the right associated data but a key other than the id says is caught after
    /// opening, whoever made such a box.
    #[test]
    fn an_unsealed_key_must_have_the_expected_id() {
        let key = DocumentSigningKey::generate(&mut rng(11));
        let other = DocumentSigningKey::generate(&mut rng(12));
        let kek = KeyEncryptionKey::generate(&mut rng(13));
        let nonce = [7u8; NONCE_LENGTH];
        let mut secret = key.0.to_bytes();
        let tag = kek
            .cipher()
            .encrypt_inout_detached(
                &XNonce::from(nonce),
                other.key_id().as_bytes(),
                InOutBuf::from(&mut secret[..]),
            )
            .unwrap();
        let forged = SealedKey([&nonce[..], &secret[..], &tag[..]].concat());
        assert_eq!(
            forged.unseal(&kek, &other.key_id()).map(|k| k.key_id()),
            Err(KeyError::KeyIdMismatch {
                expected: other.key_id(),
                found: key.key_id()
            })
        );
    }

    fn published(seed: u64) -> PublishedKey {
        PublishedKey {
            public_key: DocumentSigningKey::generate(&mut rng(seed)).public_key(),
            created: datetime!(2026-01-05 09:00 UTC),
            retired: None,
        }
    }

    #[test]
    fn the_published_set_is_a_jwk_set_and_reads_back() {
        let old = PublishedKey {
            retired: Some(datetime!(2026-07-01 00:00 UTC)),
            ..published(14)
        };
        let current = PublishedKey {
            created: datetime!(2026-07-01 00:00 UTC),
            ..published(15)
        };
        let set = PublishedKeys {
            keys: vec![current.clone(), old.clone()],
        };
        let value = serde_json::to_value(&set).unwrap();
        assert_eq!(
            value,
            json!({"keys": [
                {
                    "kty": "OKP", "crv": "Ed25519",
                    "x": BASE64URL_NOPAD.encode(&current.public_key.to_bytes()),
                    "kid": current.key_id().to_string(),
                    "use": "sig", "alg": "EdDSA", "iat": 1_782_864_000,
                },
                {
                    "kty": "OKP", "crv": "Ed25519",
                    "x": BASE64URL_NOPAD.encode(&old.public_key.to_bytes()),
                    "kid": old.key_id().to_string(),
                    "use": "sig", "alg": "EdDSA", "iat": 1_767_603_600, "exp": 1_782_864_000,
                },
            ]})
        );
        let read: PublishedKeys = serde_json::from_value(value).unwrap();
        assert_eq!(read, set);
        assert_eq!(read.find(&old.key_id()), Some(old.public_key));
        assert_eq!(read.find(&current.key_id()), Some(current.public_key));
        assert_eq!(read.find(&published(16).key_id()), None);
    }

    #[test]
    fn a_kid_that_is_not_its_keys_is_refused() {
        let key = published(17);
        let other = published(18);
        let mut value = serde_json::to_value(PublishedKeys {
            keys: vec![key.clone()],
        })
        .unwrap();
        value["keys"][0]["kid"] = json!(other.key_id().to_string());
        let error = serde_json::from_value::<PublishedKeys>(value)
            .unwrap_err()
            .to_string();
        assert!(error.contains("does not belong"), "{error}");
    }

    #[test]
    fn malformed_published_keys_are_refused_and_other_key_types_ignored() {
        let key = published(19);
        let good = serde_json::to_value(PublishedKeys {
            keys: vec![key.clone()],
        })
        .unwrap()["keys"][0]
            .clone();
        let with = |field: &str, value: serde_json::Value| {
            let mut jwk = good.clone();
            if value.is_null() {
                jwk.as_object_mut().unwrap().remove(field);
            } else {
                jwk[field] = value;
            }
            serde_json::from_value::<PublishedKeys>(json!({ "keys": [jwk] }))
        };
        assert!(with("x", json!("AAAA")).is_err(), "short x");
        assert!(with("x", serde_json::Value::Null).is_err(), "no x");
        assert!(with("kid", serde_json::Value::Null).is_err(), "no kid");
        assert!(with("alg", json!("ES256")).is_err());
        assert!(with("use", json!("enc")).is_err());
        assert!(with("iat", serde_json::Value::Null).is_err());
        assert!(
            with("x", json!(BASE64URL.encode(&key.public_key.to_bytes()))).is_err(),
            "padded x"
        );
        assert_eq!(
            with("use", serde_json::Value::Null).unwrap().keys,
            vec![key.clone()],
            "use and alg are optional"
        );
        let mixed = json!({ "keys": [
            {"kty": "EC", "crv": "P-256", "x": "…", "y": "…", "kid": "other"},
            {"kty": "OKP", "crv": "X25519", "x": "…"},
            good,
        ]});
        let read: PublishedKeys = serde_json::from_value(mixed).unwrap();
        assert_eq!(read.keys, vec![key]);
        assert!(serde_json::from_str::<PublishedKeys>("{}").is_err());
    }

    proptest! {
        #[test]
        fn key_ids_read_back(bytes in any::<[u8; 8]>()) {
            let id = KeyId::from_bytes(bytes);
            prop_assert_eq!(KeyId::parse(&id.to_string()), Ok(id));
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,80}") {
            let _ = KeyId::parse(&text);
            let _ = KeyEncryptionKey::parse(&text);
        }
    }
}
