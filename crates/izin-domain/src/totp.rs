//! The officers' second factor: time-based one-time passwords (RFC 6238 over RFC 4226's HOTP),
//! as authenticator apps make them — HMAC-SHA-1, 30-second steps, 6 digits — and one-time
//! recovery codes for a lost device.
//!
//! A code is accepted for the current step and the one before and after (a clock a little off,
//! a code typed as the step turns), and **never twice**: the step last used is stored with the
//! officer and a code of that step or an earlier one is refused, so a code seen over a shoulder
//! or in a log is worth nothing once used. Recovery codes are stored only as hashes and each
//! works once.

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, Mac};
use rand::Rng;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use time::OffsetDateTime;

/// Seconds per step.
pub const STEP_SECONDS: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Steps either side of now that are still accepted.
pub const WINDOW: i64 = 1;
/// Bytes of a new secret (160 bits, as RFC 4226 recommends for HMAC-SHA-1).
pub const SECRET_BYTES: usize = 20;
/// Recovery codes handed over at enrolment.
pub const RECOVERY_CODES: usize = 8;

/// A shared TOTP secret. Shown once, at enrolment, as base32 and as an `otpauth://` URI; never
/// logged (its `Debug` hides it).
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(…)")
    }
}

/// Why a secret or a code is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TotpError {
    #[error("a TOTP secret is base32 of at least 16 bytes")]
    BadSecret,
    #[error("a code is six digits")]
    BadShape,
    #[error("the code is wrong or too old")]
    Wrong,
    #[error("the code was used already")]
    Replayed,
}

impl TotpSecret {
    /// A new random secret.
    pub fn generate(rng: &mut impl Rng) -> Self {
        let mut bytes = vec![0u8; SECRET_BYTES];
        rng.fill(&mut bytes[..]);
        Self(bytes)
    }

    /// A secret as authenticator apps show it: base32, any case, spaces and padding ignored.
    pub fn parse(base32: &str) -> Result<Self, TotpError> {
        let cleaned: String = base32
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '=' && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let bytes = BASE32_NOPAD
            .decode(cleaned.as_bytes())
            .map_err(|_| TotpError::BadSecret)?;
        if bytes.len() < 16 {
            return Err(TotpError::BadSecret);
        }
        Ok(Self(bytes))
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, TotpError> {
        if bytes.len() < 16 {
            return Err(TotpError::BadSecret);
        }
        Ok(Self(bytes))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Base32 without padding, as typed into an app.
    pub fn base32(&self) -> String {
        BASE32_NOPAD.encode(&self.0)
    }

    /// The `otpauth://` URI an app reads from a QR code.
    pub fn uri(&self, issuer: &str, account: &str) -> String {
        let label = format!("{}:{}", percent(issuer), percent(account));
        format!(
            "otpauth://totp/{label}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
            self.base32(),
            percent(issuer)
        )
    }

    /// The code of `step` (RFC 4226 dynamic truncation, then the last six digits).
    pub fn code_at_step(&self, step: i64) -> Result<u32, TotpError> {
        // HMAC takes a key of any length; the error cannot happen, and is a bad secret if it did.
        let mut mac = Hmac::<Sha1>::new_from_slice(&self.0).map_err(|_| TotpError::BadSecret)?;
        mac.update(&step.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let offset = usize::from(digest[19] & 0x0f);
        let binary = (u32::from(digest[offset]) & 0x7f) << 24
            | u32::from(digest[offset + 1]) << 16
            | u32::from(digest[offset + 2]) << 8
            | u32::from(digest[offset + 3]);
        Ok(binary % 10u32.pow(DIGITS))
    }

    /// Checks `code` at `now`. `last_used` is the step of the officer's last accepted code; the
    /// answer is the step of this one, to be stored as the new `last_used` (in the same
    /// transaction as the sign-in it allows).
    pub fn verify(
        &self,
        code: &str,
        now: OffsetDateTime,
        last_used: Option<i64>,
    ) -> Result<i64, TotpError> {
        let code = parse_code(code)?;
        let current = step_of(now);
        let mut matched = None;
        // Every step of the window is computed, so the time taken says nothing about which
        // matched.
        for step in (current - WINDOW)..=(current + WINDOW) {
            let expected = format!("{:06}", self.code_at_step(step)?);
            if bool::from(expected.as_bytes().ct_eq(code.as_bytes())) && matched.is_none() {
                matched = Some(step);
            }
        }
        let step = matched.ok_or(TotpError::Wrong)?;
        if last_used.is_some_and(|last| step <= last) {
            return Err(TotpError::Replayed);
        }
        Ok(step)
    }
}

/// The step `now` falls in.
pub fn step_of(now: OffsetDateTime) -> i64 {
    now.unix_timestamp().div_euclid(STEP_SECONDS)
}

/// Six digits, as people type them: spaces ignored, other digits than ASCII refused.
fn parse_code(code: &str) -> Result<String, TotpError> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == DIGITS as usize && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(TotpError::BadShape)
    }
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~@".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A recovery code as handed over (`xxxx-xxxx-xxxx`, lower-case letters and digits without look-alikes).
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode(String);

impl std::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCode(…)")
    }
}

const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

impl RecoveryCode {
    /// `count` new codes.
    pub fn generate(rng: &mut impl Rng, count: usize) -> Vec<RecoveryCode> {
        (0..count)
            .map(|_| {
                let chars: Vec<char> = (0..12)
                    .map(|_| {
                        RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())] as char
                    })
                    .collect();
                RecoveryCode(format!(
                    "{}-{}-{}",
                    chars[0..4].iter().collect::<String>(),
                    chars[4..8].iter().collect::<String>(),
                    chars[8..12].iter().collect::<String>()
                ))
            })
            .collect()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What is stored: SHA-256 of the code as normalised (lower case, no dashes or spaces), hex.
    pub fn hash(&self) -> String {
        hash_recovery(&self.0)
    }
}

/// The stored hash of a recovery code as typed (case, dashes and spaces forgiven); compare it
/// with the stored ones and remove the one that matches, so it works once.
pub fn hash_recovery(typed: &str) -> String {
    let normalised: String = typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    Sha256::digest(normalised.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// RFC 6238 Appendix B's SHA-1 key ("12345678901234567890").
    fn rfc_secret() -> TotpSecret {
        TotpSecret::from_bytes(b"12345678901234567890".to_vec()).unwrap()
    }

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        // The RFC's 8-digit values, of which an app shows the last six.
        for (unix, eight) in [
            (59_i64, 94_287_082_u32),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
            (20_000_000_000, 65_353_130),
        ] {
            assert_eq!(
                rfc_secret()
                    .code_at_step(unix.div_euclid(STEP_SECONDS))
                    .unwrap(),
                eight % 1_000_000,
                "at {unix}"
            );
        }
    }

    #[test]
    fn a_code_is_accepted_once_within_its_window() {
        let secret = rfc_secret();
        let now = OffsetDateTime::from_unix_timestamp(1_111_111_109).unwrap();
        let step = step_of(now);
        let code = format!("{:06}", secret.code_at_step(step).unwrap());
        assert_eq!(secret.verify(&code, now, None), Ok(step));
        // The same code again: replayed.
        assert_eq!(
            secret.verify(&code, now, Some(step)),
            Err(TotpError::Replayed)
        );
        // An older step's code after a newer one was used: replayed too.
        let previous = format!("{:06}", secret.code_at_step(step - 1).unwrap());
        assert_eq!(
            secret.verify(&previous, now, Some(step)),
            Err(TotpError::Replayed)
        );
        // One step either side is accepted; two are not.
        let late = now + time::Duration::seconds(STEP_SECONDS);
        assert_eq!(secret.verify(&code, late, None), Ok(step));
        let too_late = now + time::Duration::seconds(2 * STEP_SECONDS);
        assert_eq!(secret.verify(&code, too_late, None), Err(TotpError::Wrong));
        // Typed with a space in the middle: fine. Letters or five digits: not a code.
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(secret.verify(&spaced, now, None), Ok(step));
        assert_eq!(secret.verify("12a456", now, None), Err(TotpError::BadShape));
        assert_eq!(secret.verify("12345", now, None), Err(TotpError::BadShape));
        let wrong = format!(
            "{:06}",
            (secret.code_at_step(step).unwrap() + 1) % 1_000_000
        );
        assert_eq!(secret.verify(&wrong, now, None), Err(TotpError::Wrong));
    }

    #[test]
    fn secrets_read_back_as_apps_show_them() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let secret = TotpSecret::generate(&mut rng);
        assert_eq!(secret.as_bytes().len(), SECRET_BYTES);
        let shown = secret.base32();
        assert_eq!(TotpSecret::parse(&shown), Ok(secret.clone()));
        let grouped: String = shown
            .to_lowercase()
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(TotpSecret::parse(&grouped), Ok(secret.clone()));
        assert_eq!(TotpSecret::parse("ABC"), Err(TotpError::BadSecret));
        assert_eq!(TotpSecret::parse("not base32!"), Err(TotpError::BadSecret));
        let uri = secret.uri("Izin (ÇSGB)", "officer@example.gov.tr");
        assert!(
            uri.starts_with("otpauth://totp/Izin%20%28%C3%87SGB%29:officer@example.gov.tr?secret=")
        );
        assert!(uri.contains("&digits=6&period=30"));
        assert_eq!(format!("{secret:?}"), "TotpSecret(…)");
    }

    #[test]
    fn recovery_codes_are_stored_as_hashes_and_forgive_how_they_are_typed() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        let codes = RecoveryCode::generate(&mut rng, RECOVERY_CODES);
        assert_eq!(codes.len(), RECOVERY_CODES);
        let mut hashes: Vec<String> = codes.iter().map(RecoveryCode::hash).collect();
        hashes.sort();
        hashes.dedup();
        assert_eq!(hashes.len(), RECOVERY_CODES, "all different");
        let first = codes[0].as_str();
        assert_eq!(first.len(), 14);
        assert_eq!(
            hash_recovery(&first.to_uppercase().replace('-', " ")),
            codes[0].hash()
        );
        assert_ne!(hash_recovery("aaaa-bbbb-cccc"), codes[0].hash());
        assert!(!codes[0].hash().contains(first));
        assert_eq!(format!("{:?}", codes[0]), "RecoveryCode(…)");
    }
}
