//! E-mail addresses: the sign-in identity of a foreigner.
//!
//! An address is kept exactly as typed (after trimming) for display and delivery, and compared by
//! a case-folded key, so `Ayşe@Example.com` and `ayşe@example.com` are one account.

use serde::{Serialize, Serializer};
use std::fmt;

const MAX_LENGTH: usize = 254;
const MAX_LOCAL_LENGTH: usize = 64;
const MAX_LABEL_LENGTH: usize = 63;

/// A syntactically valid e-mail address. The only way to build one is [`EmailAddress::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress {
    typed: String,
    key: String,
}

/// Why a text is not an e-mail address. Each variant has its own message for the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("the e-mail address is empty")]
    Empty,
    #[error("the e-mail address is longer than 254 characters")]
    TooLong,
    #[error("the e-mail address needs exactly one @ between a name and a domain")]
    NotOneAt,
    #[error("the part before @ is empty, too long or contains characters that are not allowed")]
    BadLocalPart,
    #[error("the part after @ is not a domain like example.com")]
    BadDomain,
}

impl EmailError {
    /// A stable code for APIs and for choosing the localized message.
    pub fn code(self) -> &'static str {
        match self {
            EmailError::Empty => "email-empty",
            EmailError::TooLong => "email-too-long",
            EmailError::NotOneAt => "email-not-one-at",
            EmailError::BadLocalPart => "email-bad-local-part",
            EmailError::BadDomain => "email-bad-domain",
        }
    }
}

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let typed = input.trim();
        if typed.is_empty() {
            return Err(EmailError::Empty);
        }
        if typed.chars().count() > MAX_LENGTH {
            return Err(EmailError::TooLong);
        }
        let mut halves = typed.split('@');
        let (Some(local), Some(domain), None) = (halves.next(), halves.next(), halves.next())
        else {
            return Err(EmailError::NotOneAt);
        };
        if !valid_local_part(local) {
            return Err(EmailError::BadLocalPart);
        }
        if !valid_domain(domain) {
            return Err(EmailError::BadDomain);
        }
        Ok(Self {
            typed: typed.to_owned(),
            key: typed.to_lowercase(),
        })
    }

    /// The address as the user typed it.
    pub fn as_str(&self) -> &str {
        &self.typed
    }

    /// The case-folded form under which the address is looked up and compared.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The address with most of the name hidden, for screens a bystander may see.
    pub fn masked(&self) -> String {
        let (local, domain) = self.typed.split_once('@').unwrap_or((&self.typed, ""));
        let mut chars = local.chars();
        let first: String = chars.next().into_iter().collect();
        let hidden = local.chars().count().saturating_sub(1).clamp(1, 6);
        format!("{first}{}@{domain}", "•".repeat(hidden))
    }
}

fn valid_local_part(local: &str) -> bool {
    const SPECIALS: &str = "!#$%&'*+/=?^_`{|}~-";
    !local.is_empty()
        && local.len() <= MAX_LOCAL_LENGTH
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || c == '.'
                || SPECIALS.contains(c)
                || (!c.is_ascii() && c.is_alphanumeric())
        })
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 || domain.len() > MAX_LENGTH {
        return false;
    }
    let labels_ok = labels.iter().all(|label| {
        !label.is_empty()
            && label.chars().count() <= MAX_LABEL_LENGTH
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    });
    let tld = labels.last().copied().unwrap_or_default();
    labels_ok && tld.chars().count() >= 2 && !tld.chars().all(|c| c.is_ascii_digit())
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.typed)
    }
}

impl Serialize for EmailAddress {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.typed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_ordinary_and_international_addresses() {
        for ok in [
            "ayse@example.com",
            "  Ayşe.Yılmaz+izin@Örnek.com.tr ",
            "o'brien@mail.co.uk",
            "x@a-b.io",
            "user@xn--rnek-0ra.com",
        ] {
            assert!(EmailAddress::parse(ok).is_ok(), "{ok} should be accepted");
        }
    }

    #[test]
    fn rejects_with_a_precise_reason() {
        assert_eq!(EmailAddress::parse("   "), Err(EmailError::Empty));
        assert_eq!(
            EmailAddress::parse("a.example.com"),
            Err(EmailError::NotOneAt)
        );
        assert_eq!(
            EmailAddress::parse("a@b@example.com"),
            Err(EmailError::NotOneAt)
        );
        assert_eq!(
            EmailAddress::parse("@example.com"),
            Err(EmailError::BadLocalPart)
        );
        assert_eq!(
            EmailAddress::parse(".a@example.com"),
            Err(EmailError::BadLocalPart)
        );
        assert_eq!(
            EmailAddress::parse("a..b@example.com"),
            Err(EmailError::BadLocalPart)
        );
        assert_eq!(
            EmailAddress::parse("a b@example.com"),
            Err(EmailError::BadLocalPart)
        );
        assert_eq!(
            EmailAddress::parse("a@localhost"),
            Err(EmailError::BadDomain)
        );
        assert_eq!(EmailAddress::parse("a@-x.com"), Err(EmailError::BadDomain));
        assert_eq!(EmailAddress::parse("a@x..com"), Err(EmailError::BadDomain));
        assert_eq!(EmailAddress::parse("a@1.2.3.4"), Err(EmailError::BadDomain));
        assert_eq!(
            EmailAddress::parse("a@example.c"),
            Err(EmailError::BadDomain)
        );
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(EmailAddress::parse(&long), Err(EmailError::TooLong));
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert_eq!(
            EmailAddress::parse(&long_local),
            Err(EmailError::BadLocalPart)
        );
    }

    #[test]
    fn keeps_what_was_typed_and_compares_case_insensitively() {
        let a = EmailAddress::parse(" Ayse@Example.COM").unwrap();
        let b = EmailAddress::parse("ayse@example.com").unwrap();
        assert_eq!(a.as_str(), "Ayse@Example.COM");
        assert_eq!(a.key(), b.key());
        assert_ne!(a, b);
    }

    #[test]
    fn masking_hides_the_name() {
        let a = EmailAddress::parse("ayse@example.com").unwrap();
        assert_eq!(a.masked(), "a•••@example.com");
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_is_idempotent(input in "\\PC{0,80}") {
            if let Ok(address) = EmailAddress::parse(&input) {
                let again = EmailAddress::parse(address.as_str()).unwrap();
                prop_assert_eq!(again, address);
            }
        }

        #[test]
        fn generated_addresses_are_accepted(
            local in "[a-z0-9]{1,20}([.+_-][a-z0-9]{1,10}){0,2}",
            domain in "[a-z0-9]{1,20}(-[a-z0-9]{1,10})?",
            tld in "[a-z]{2,6}",
        ) {
            let text = format!("{local}@{domain}.{tld}");
            prop_assert!(EmailAddress::parse(&text).is_ok(), "{}", text);
        }
    }
}
