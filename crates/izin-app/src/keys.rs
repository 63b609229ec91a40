//! The server's secret keys. One master secret is generated on first start and kept in the
//! database, so every instance behind a load balancer shares it; purpose-specific keys are
//! derived from it, so a key used to hash codes can never sign a cookie.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use izin_store::{Hash32, SettingsStore, StoreError};
use rand::RngCore;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

pub struct Keys {
    otp: [u8; 32],
    csrf: [u8; 32],
    signing: [u8; 32],
}

impl Keys {
    /// Loads the master secret, creating it on the very first start.
    pub async fn load(store: &dyn SettingsStore) -> Result<Self, StoreError> {
        let mut candidate = [0u8; 32];
        rand::rng().fill_bytes(&mut candidate);
        let master = store.secret("master-key", &candidate).await?;
        Ok(Self::from_master(&master))
    }

    pub fn from_master(master: &[u8]) -> Self {
        Self {
            otp: derive(master, "one-time-codes"),
            csrf: derive(master, "csrf-tokens"),
            signing: derive(master, "signed-values"),
        }
    }

    /// The stored form of a one-time code: bound to its address, useless without the key.
    /// A sign-in code as stored: keyed, and bound to the challenge it was sent under, so the
    /// same digits under another challenge never match.
    pub fn code_hash(&self, challenge_hash: &Hash32, code: &str) -> Hash32 {
        mac(&self.otp, &[&challenge_hash[..], b"\n", code.as_bytes()])
    }

    /// The anti-forgery token for forms bound to `binding` (a session or a browser cookie).
    pub fn csrf_token(&self, binding: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(&mac(&self.csrf, &[binding])[..24])
    }

    pub fn csrf_matches(&self, binding: &[u8], token: &str) -> bool {
        izin_domain::otp::constant_time_eq(
            self.csrf_token(binding).as_bytes(),
            token.trim().as_bytes(),
        )
    }

    /// Signs `value` for `purpose` as `value.signature`; the value is readable, not secret.
    pub fn sign(&self, purpose: &str, value: &str) -> String {
        let tag = mac(
            &self.signing,
            &[purpose.as_bytes(), b"\n", value.as_bytes()],
        );
        format!("{value}.{}", URL_SAFE_NO_PAD.encode(&tag[..24]))
    }

    /// Returns the value of a string made by [`Keys::sign`] for the same purpose, if untouched.
    pub fn verify<'a>(&self, purpose: &str, signed: &'a str) -> Option<&'a str> {
        let (value, _) = signed.rsplit_once('.')?;
        izin_domain::otp::constant_time_eq(self.sign(purpose, value).as_bytes(), signed.as_bytes())
            .then_some(value)
    }
}

fn derive(master: &[u8], label: &str) -> [u8; 32] {
    mac(master, &[b"izin key derivation\n", label.as_bytes()])
}

fn mac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// SHA-256, for values that are already high-entropy secrets (session tokens).
pub fn sha256(bytes: &[u8]) -> Hash32 {
    Sha256::digest(bytes).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_separated_by_purpose() {
        let keys = Keys::from_master(&[9; 32]);
        let other = Keys::from_master(&[8; 32]);
        let (a, c) = ([1u8; 32], [2u8; 32]);
        assert_eq!(keys.code_hash(&a, "123456"), keys.code_hash(&a, "123456"));
        assert_ne!(
            keys.code_hash(&a, "123456"),
            keys.code_hash(&c, "123456"),
            "the same digits under another challenge never match"
        );
        assert_ne!(keys.code_hash(&a, "123456"), other.code_hash(&a, "123456"));
        assert!(keys.csrf_matches(b"session", &keys.csrf_token(b"session")));
        assert!(!keys.csrf_matches(b"session", &keys.csrf_token(b"other")));
        assert!(!keys.csrf_matches(b"session", ""));
    }

    #[test]
    fn signed_values_detect_tampering() {
        let keys = Keys::from_master(&[1; 32]);
        let signed = keys.sign("login", "ayse@example.com|1700000000");
        assert_eq!(
            keys.verify("login", &signed),
            Some("ayse@example.com|1700000000")
        );
        assert_eq!(keys.verify("other-purpose", &signed), None);
        let tampered = signed.replacen("ayse", "eve", 1);
        assert_eq!(keys.verify("login", &tampered), None);
        assert_eq!(keys.verify("login", "no-signature"), None);
    }
}
