//! The verification code printed on a Proof Document: ten characters of Crockford's base32, 50
//! random bits (the requirement is at least 40), asked for together with the document number
//! before `/verify` says anything about a document.
//!
//! People copy it from paper, so reading forgives what Crockford's alphabet forgives: case,
//! hyphens and spaces, `I`/`L` for `1` and `O` for `0`. Comparing is in constant time, so
//! response timing does not reveal how much of a guess was right.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use subtle::ConstantTimeEq;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Why typed text is not a verification code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("no verification code was entered")]
    Empty,
    #[error("a verification code has 10 characters, not {0}")]
    Length(usize),
    #[error("'{0}' does not occur in verification codes")]
    Character(char),
}

/// A verification code. Built by [`VerificationCode::generate`] or [`VerificationCode::parse`].
///
/// `==` compares in constant time, like [`VerificationCode::matches`].
#[derive(Debug, Clone)]
pub struct VerificationCode(String);

impl VerificationCode {
    /// Characters in the canonical form.
    pub const LENGTH: usize = 10;
    /// Random bits in a code: five per character.
    pub const BITS: u32 = 50;

    /// Draws a code uniformly from all 2⁵⁰. Pass a cryptographically secure generator.
    pub fn generate<R: rand::CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self::from_bits(rng.next_u64())
    }

    /// The code of the low 50 bits of `bits`, most significant first.
    fn from_bits(bits: u64) -> Self {
        let code = (0..Self::LENGTH)
            .rev()
            .map(|i| {
                let index = (bits >> (5 * i)) & 0x1f;
                char::from(ALPHABET[index as usize])
            })
            .collect();
        Self(code)
    }

    /// Reads a code as people type it.
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let mut code = String::with_capacity(Self::LENGTH);
        for c in input.chars() {
            if c.is_whitespace() || c == '-' {
                continue;
            }
            let canonical = match c.to_ascii_uppercase() {
                'I' | 'L' => '1',
                'O' => '0',
                upper if upper.is_ascii() && ALPHABET.contains(&(upper as u8)) => upper,
                _ => return Err(CodeError::Character(c)),
            };
            code.push(canonical);
        }
        match code.len() {
            0 => Err(CodeError::Empty),
            Self::LENGTH => Ok(Self(code)),
            other => Err(CodeError::Length(other)),
        }
    }

    /// The ten characters without separator, upper-case.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether both are the same code, in time independent of where they differ.
    pub fn matches(&self, other: &VerificationCode) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl PartialEq for VerificationCode {
    fn eq(&self, other: &Self) -> bool {
        self.matches(other)
    }
}

impl Eq for VerificationCode {}

/// In two groups for reading: `ABCDE-FGHJK`.
impl fmt::Display for VerificationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (first, second) = self.0.split_at(Self::LENGTH / 2);
        write!(f, "{first}-{second}")
    }
}

impl Serialize for VerificationCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for VerificationCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;

    /// Hands out one fixed word, to see which bits a code takes.
    struct Fixed(u64);

    impl rand::RngCore for Fixed {
        fn next_u32(&mut self) -> u32 {
            self.0 as u32
        }
        fn next_u64(&mut self) -> u64 {
            self.0
        }
        fn fill_bytes(&mut self, dst: &mut [u8]) {
            for (d, s) in dst.iter_mut().zip(self.0.to_le_bytes().iter().cycle()) {
                *d = *s;
            }
        }
    }

    impl rand::CryptoRng for Fixed {}

    #[test]
    fn a_code_takes_exactly_fifty_bits() {
        assert_eq!(32u64.pow(10), 1 << VerificationCode::BITS);
        assert_eq!(
            VerificationCode::generate(&mut Fixed(0)).as_str(),
            "0000000000"
        );
        assert_eq!(
            VerificationCode::generate(&mut Fixed((1 << 50) - 1)).as_str(),
            "ZZZZZZZZZZ"
        );
        assert_eq!(
            VerificationCode::generate(&mut Fixed(!0 << 50)).as_str(),
            "0000000000",
            "bits above the fiftieth are not used"
        );
        assert_eq!(
            VerificationCode::generate(&mut Fixed(1 << 49)).as_str(),
            "G000000000"
        );
        assert_eq!(
            VerificationCode::generate(&mut Fixed(31)).as_str(),
            "000000000Z"
        );
    }

    #[test]
    fn generated_codes_differ_and_use_the_whole_alphabet() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        let codes: Vec<VerificationCode> = (0..200)
            .map(|_| VerificationCode::generate(&mut rng))
            .collect();
        let distinct: std::collections::HashSet<&str> =
            codes.iter().map(VerificationCode::as_str).collect();
        assert_eq!(distinct.len(), codes.len());
        let used: std::collections::HashSet<char> =
            codes.iter().flat_map(|c| c.as_str().chars()).collect();
        assert_eq!(used.len(), 32);
    }

    #[test]
    fn codes_are_read_as_crockford_reads_them() {
        let code = VerificationCode::parse("ABCDE-FGHJK").unwrap();
        assert_eq!(code.as_str(), "ABCDEFGHJK");
        assert_eq!(code.to_string(), "ABCDE-FGHJK");
        for typed in [
            "abcdefghjk",
            " abcde fghjk ",
            "ABC-DE-FGH-JK",
            "AbCdE\tfGhJk",
        ] {
            assert_eq!(VerificationCode::parse(typed).unwrap(), code, "{typed}");
        }
        let confusable = VerificationCode::parse("iLoO1-0ilo9").unwrap();
        assert_eq!(confusable.as_str(), "1100101109");
        assert_eq!(VerificationCode::parse("").unwrap_err(), CodeError::Empty);
        assert_eq!(
            VerificationCode::parse(" - ").unwrap_err(),
            CodeError::Empty
        );
        assert_eq!(
            VerificationCode::parse("ABCDE-FGHJ").unwrap_err(),
            CodeError::Length(9)
        );
        assert_eq!(
            VerificationCode::parse("ABCDE-FGHJKM").unwrap_err(),
            CodeError::Length(11)
        );
        assert_eq!(
            VerificationCode::parse("ABCDE-FGHJU").unwrap_err(),
            CodeError::Character('U'),
            "U is not in Crockford's alphabet"
        );
        assert_eq!(
            VerificationCode::parse("ABCDE_FGHJK").unwrap_err(),
            CodeError::Character('_')
        );
        assert_eq!(
            VerificationCode::parse("ABCDE-FGHJİ").unwrap_err(),
            CodeError::Character('İ')
        );
    }

    #[test]
    fn codes_match_only_themselves() {
        let code = VerificationCode::parse("ABCDE-FGHJK").unwrap();
        assert!(code.matches(&VerificationCode::parse("abcdefghjk").unwrap()));
        assert!(!code.matches(&VerificationCode::parse("ABCDE-FGHJM").unwrap()));
        assert_ne!(code, VerificationCode::parse("0BCDE-FGHJK").unwrap());
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, "\"ABCDE-FGHJK\"");
        assert_eq!(
            serde_json::from_str::<VerificationCode>(&json).unwrap(),
            code
        );
    }

    proptest! {
        #[test]
        fn codes_read_back_from_both_forms(bits in any::<u64>()) {
            let code = VerificationCode::from_bits(bits);
            prop_assert_eq!(code.as_str().len(), VerificationCode::LENGTH);
            prop_assert_eq!(VerificationCode::parse(&code.to_string()).unwrap(), code.clone());
            prop_assert_eq!(
                VerificationCode::parse(&code.as_str().to_lowercase()).unwrap(),
                code.clone()
            );
            // Each character carries five distinct bits.
            let decoded = code.as_str().bytes().fold(0u64, |acc, b| {
                let index = ALPHABET.iter().position(|a| *a == b).unwrap() as u64;
                (acc << 5) | index
            });
            prop_assert_eq!(decoded, bits & ((1 << VerificationCode::BITS) - 1));
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,30}") {
            let _ = VerificationCode::parse(&text);
        }
    }
}
