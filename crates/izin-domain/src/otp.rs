//! One-time sign-in codes: their shape, how users may type them, and the rules for issuing and
//! checking them. Storage applies these rules inside its transactions, so every backend decides
//! the same way.
//!
//! Every code belongs to the challenge given to the client that asked for it: entering a code
//! needs that challenge, wrong entries count against it, and the limits on asking follow the
//! address *and* the client. Someone who knows only an address can therefore neither use up its
//! owner's code nor stop the owner from getting a new one.

use rand::Rng;
use std::fmt;
use time::{Duration, OffsetDateTime};

pub const CODE_DIGITS: usize = 6;

/// The limits that protect codes from guessing and mail bombing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtpPolicy {
    /// How long a code may be used after it is issued.
    pub lifetime: Duration,
    /// Wrong entries after which a code is void.
    pub max_wrong_attempts: u32,
    /// Shortest gap between two codes for one address.
    pub min_interval: Duration,
    /// Codes one address may receive in any hour.
    pub per_address_per_hour: u32,
    /// Code requests one client address (IP) may make in any hour.
    pub per_ip_per_hour: u32,
    /// Codes one client address (IP) may enter in any hour, right or wrong.
    pub verify_per_ip_per_hour: u32,
}

impl Default for OtpPolicy {
    fn default() -> Self {
        Self {
            lifetime: Duration::minutes(10),
            max_wrong_attempts: 5,
            min_interval: Duration::minutes(1),
            per_address_per_hour: 10,
            per_ip_per_hour: 30,
            verify_per_ip_per_hour: 60,
        }
    }
}

/// Six decimal digits. Built by [`OneTimeCode::generate`] or [`OneTimeCode::parse`].
#[derive(Clone, PartialEq, Eq)]
pub struct OneTimeCode(String);

/// Why typed text is not a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeInputError {
    #[error("no code was entered")]
    Empty,
    #[error("a code has exactly six digits")]
    WrongShape,
}

impl CodeInputError {
    pub fn code(self) -> &'static str {
        match self {
            CodeInputError::Empty => "code-empty",
            CodeInputError::WrongShape => "code-wrong-shape",
        }
    }
}

impl OneTimeCode {
    /// Draws a code uniformly from 000000–999999. Pass a cryptographically secure generator.
    pub fn generate<R: Rng + rand::CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let value: u32 = rng.random_range(0..1_000_000);
        Self(format!("{value:06}"))
    }

    /// Accepts what people paste: spaces, hyphens and dots between digits, and digits from
    /// Arabic, Persian, Devanagari or full-width keyboards.
    pub fn parse(input: &str) -> Result<Self, CodeInputError> {
        let mut digits = String::with_capacity(CODE_DIGITS);
        let mut saw_anything = false;
        for c in input.chars() {
            if c.is_whitespace() || matches!(c, '-' | '‐' | '–' | '—' | '.' | '·') {
                continue;
            }
            saw_anything = true;
            match decimal_digit(c) {
                Some(d) if digits.len() < CODE_DIGITS => digits.push(char::from(b'0' + d)),
                _ => return Err(CodeInputError::WrongShape),
            }
        }
        if !saw_anything {
            return Err(CodeInputError::Empty);
        }
        if digits.len() != CODE_DIGITS {
            return Err(CodeInputError::WrongShape);
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Codes are secrets: never print them by accident.
impl fmt::Debug for OneTimeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OneTimeCode(******)")
    }
}

fn decimal_digit(c: char) -> Option<u8> {
    const ZEROS: [u32; 5] = [0x30, 0x660, 0x6F0, 0x966, 0xFF10];
    let cp = u32::from(c);
    ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&cp))
        .map(|&zero| (cp - zero) as u8)
}

/// What storage knows about the codes recently sent to one address at the request of one
/// client (another client's requests for the same address are not counted: they must not lock
/// the address's owner out).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IssueHistory {
    pub last_issued_at: Option<OffsetDateTime>,
    /// Codes issued in the hour before now, and the oldest of them.
    pub issued_in_last_hour: u32,
    pub oldest_in_last_hour: Option<OffsetDateTime>,
}

/// Whether a new code may be sent now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueDecision {
    Allow,
    /// The previous code is less than a minute old.
    TooSoon {
        retry_after: Duration,
    },
    /// This client has had its codes for this address this hour.
    HourlyLimit {
        retry_after: Duration,
    },
}

impl OtpPolicy {
    pub fn decide_issue(&self, history: &IssueHistory, now: OffsetDateTime) -> IssueDecision {
        if history.issued_in_last_hour >= self.per_address_per_hour {
            let oldest = history.oldest_in_last_hour.unwrap_or(now);
            return IssueDecision::HourlyLimit {
                retry_after: positive(oldest + Duration::HOUR - now),
            };
        }
        if let Some(last) = history.last_issued_at {
            let next_allowed = last + self.min_interval;
            if now < next_allowed {
                return IssueDecision::TooSoon {
                    retry_after: positive(next_allowed - now),
                };
            }
        }
        IssueDecision::Allow
    }

    /// Decides an entered code against the codes of its challenge, newest first.
    pub fn decide_attempt(&self, codes: &[CodeCandidate], now: OffsetDateTime) -> AttemptDecision {
        let Some(latest) = codes.first() else {
            return AttemptDecision::Reject(CodeRejection::NoCode);
        };
        if latest.consumed {
            return AttemptDecision::Reject(if latest.matches {
                CodeRejection::AlreadyUsed
            } else {
                CodeRejection::NoCode
            });
        }
        if latest.wrong_attempts >= self.max_wrong_attempts {
            return AttemptDecision::Reject(CodeRejection::Voided);
        }
        if now >= latest.expires_at {
            return AttemptDecision::Reject(CodeRejection::Expired);
        }
        if latest.matches {
            return AttemptDecision::Accept;
        }
        if codes[1..].iter().any(|older| older.matches) {
            return AttemptDecision::Reject(CodeRejection::Superseded);
        }
        let attempts = latest.wrong_attempts + 1;
        let attempts_left = self.max_wrong_attempts.saturating_sub(attempts);
        AttemptDecision::CountWrong {
            attempts_left,
            rejection: if attempts_left == 0 {
                CodeRejection::Voided
            } else {
                CodeRejection::Wrong { attempts_left }
            },
        }
    }
}

fn positive(d: Duration) -> Duration {
    d.max(Duration::SECOND)
}

/// One stored code as seen by [`OtpPolicy::decide_attempt`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeCandidate {
    /// Whether the entered code hashes to this code's stored hash.
    pub matches: bool,
    pub expires_at: OffsetDateTime,
    pub wrong_attempts: u32,
    pub consumed: bool,
}

/// The outcome of entering a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptDecision {
    /// Sign the user in and consume the latest code.
    Accept,
    /// Count one more wrong entry against the latest code, then reject.
    CountWrong {
        attempts_left: u32,
        rejection: CodeRejection,
    },
    /// Reject without counting.
    Reject(CodeRejection),
}

/// Why a code was not accepted; each has its own message telling the user what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRejection {
    /// No code is waiting under this challenge (never requested, for another address, or
    /// already used up).
    NoCode,
    /// This client has entered too many codes this hour; nothing was checked or counted.
    TooManyAttempts {
        retry_after_seconds: i64,
    },
    Wrong {
        attempts_left: u32,
    },
    Expired,
    AlreadyUsed,
    /// The code was right once, but a newer one has been sent since.
    Superseded,
    /// Too many wrong entries: the code no longer works.
    Voided,
}

impl CodeRejection {
    pub fn code(self) -> &'static str {
        match self {
            CodeRejection::NoCode => "code-none",
            CodeRejection::TooManyAttempts { .. } => "code-too-many-attempts",
            CodeRejection::Wrong { .. } => "code-wrong",
            CodeRejection::Expired => "code-expired",
            CodeRejection::AlreadyUsed => "code-used",
            CodeRejection::Superseded => "code-superseded",
            CodeRejection::Voided => "code-voided",
        }
    }
}

/// Compares two byte strings in time independent of where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Why a code was not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRefusal {
    /// One code a minute per address and client.
    TooSoon { retry_after_seconds: i64 },
    /// Ten codes an hour per address and client.
    AddressHourlyLimit { retry_after_seconds: i64 },
    /// Too many requests from this client address.
    ClientHourlyLimit { retry_after_seconds: i64 },
}

impl CodeRefusal {
    /// The refusal as the audit log names it.
    pub fn code(self) -> &'static str {
        match self {
            CodeRefusal::TooSoon { .. } => "too_soon",
            CodeRefusal::AddressHourlyLimit { .. } => "address_hourly_limit",
            CodeRefusal::ClientHourlyLimit { .. } => "client_hourly_limit",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-22 12:00 UTC);

    fn candidate(matches: bool) -> CodeCandidate {
        CodeCandidate {
            matches,
            expires_at: NOW + Duration::minutes(5),
            wrong_attempts: 0,
            consumed: false,
        }
    }

    #[test]
    fn generated_codes_are_six_digits() {
        let mut rng = rand::rng();
        for _ in 0..1000 {
            let code = OneTimeCode::generate(&mut rng);
            assert_eq!(code.as_str().len(), 6);
            assert!(code.as_str().bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn pasted_codes_are_normalised() {
        for typed in [
            "123456",
            " 123 456 ",
            "123-456",
            "12.34.56",
            "１２３４５６",
            "١٢٣٤٥٦",
            "۱۲۳۴۵۶",
        ] {
            assert_eq!(
                OneTimeCode::parse(typed).unwrap().as_str(),
                "123456",
                "{typed}"
            );
        }
        assert_eq!(OneTimeCode::parse(""), Err(CodeInputError::Empty));
        assert_eq!(OneTimeCode::parse(" - "), Err(CodeInputError::Empty));
        assert_eq!(OneTimeCode::parse("12345"), Err(CodeInputError::WrongShape));
        assert_eq!(
            OneTimeCode::parse("1234567"),
            Err(CodeInputError::WrongShape)
        );
        assert_eq!(
            OneTimeCode::parse("12345a"),
            Err(CodeInputError::WrongShape)
        );
    }

    #[test]
    fn debug_output_hides_the_code() {
        let code = OneTimeCode::parse("654321").unwrap();
        assert!(!format!("{code:?}").contains("654321"));
    }

    #[test]
    fn issuing_respects_the_minute_and_the_hour() {
        let policy = OtpPolicy::default();
        assert_eq!(
            policy.decide_issue(&IssueHistory::default(), NOW),
            IssueDecision::Allow
        );
        let recent = IssueHistory {
            last_issued_at: Some(NOW - Duration::seconds(20)),
            issued_in_last_hour: 1,
            oldest_in_last_hour: Some(NOW - Duration::seconds(20)),
        };
        assert_eq!(
            policy.decide_issue(&recent, NOW),
            IssueDecision::TooSoon {
                retry_after: Duration::seconds(40)
            }
        );
        let a_minute_ago = IssueHistory {
            last_issued_at: Some(NOW - Duration::seconds(60)),
            ..recent
        };
        assert_eq!(
            policy.decide_issue(&a_minute_ago, NOW),
            IssueDecision::Allow
        );
        let full_hour = IssueHistory {
            last_issued_at: Some(NOW - Duration::minutes(2)),
            issued_in_last_hour: 10,
            oldest_in_last_hour: Some(NOW - Duration::minutes(50)),
        };
        assert_eq!(
            policy.decide_issue(&full_hour, NOW),
            IssueDecision::HourlyLimit {
                retry_after: Duration::minutes(10)
            }
        );
    }

    #[test]
    fn the_right_code_is_accepted_once() {
        let policy = OtpPolicy::default();
        assert_eq!(
            policy.decide_attempt(&[candidate(true)], NOW),
            AttemptDecision::Accept
        );
        let used = CodeCandidate {
            consumed: true,
            ..candidate(true)
        };
        assert_eq!(
            policy.decide_attempt(&[used], NOW),
            AttemptDecision::Reject(CodeRejection::AlreadyUsed)
        );
    }

    #[test]
    fn wrong_codes_count_down_to_void() {
        let policy = OtpPolicy::default();
        let mut latest = candidate(false);
        for left in (0..5).rev() {
            let decision = policy.decide_attempt(&[latest], NOW);
            let expected = if left == 0 {
                CodeRejection::Voided
            } else {
                CodeRejection::Wrong {
                    attempts_left: left,
                }
            };
            assert_eq!(
                decision,
                AttemptDecision::CountWrong {
                    attempts_left: left,
                    rejection: expected
                }
            );
            latest.wrong_attempts += 1;
        }
        // The sixth entry is refused even when right.
        latest.matches = true;
        assert_eq!(
            policy.decide_attempt(&[latest], NOW),
            AttemptDecision::Reject(CodeRejection::Voided)
        );
    }

    #[test]
    fn expired_superseded_and_missing_codes_are_explained() {
        let policy = OtpPolicy::default();
        let expired = CodeCandidate {
            expires_at: NOW,
            ..candidate(true)
        };
        assert_eq!(
            policy.decide_attempt(&[expired], NOW),
            AttemptDecision::Reject(CodeRejection::Expired)
        );
        assert_eq!(
            policy.decide_attempt(&[candidate(false), candidate(true)], NOW),
            AttemptDecision::Reject(CodeRejection::Superseded)
        );
        assert_eq!(
            policy.decide_attempt(&[], NOW),
            AttemptDecision::Reject(CodeRejection::NoCode)
        );
    }

    #[test]
    fn constant_time_comparison_is_equality() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }

    proptest! {
        #[test]
        fn parse_accepts_exactly_six_digits(s in "[0-9]{0,9}") {
            prop_assert_eq!(OneTimeCode::parse(&s).is_ok(), s.len() == 6);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = OneTimeCode::parse(&s);
        }
    }
}
