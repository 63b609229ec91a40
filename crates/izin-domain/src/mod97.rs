//! ISO 7064 MOD 97-10 check digits (as in an IBAN), shared by the numbers people copy by hand:
//! every single mistyped digit and every swap of two neighbouring digits changes them.

/// The two check digits (02–98) of `digits`; callers pass ASCII digits only.
pub(crate) fn check_digits(digits: &str) -> u32 {
    let remainder = digits
        .bytes()
        .fold(0u32, |acc, d| (acc * 10 + u32::from(d - b'0')) % 97);
    98 - (remainder * 100) % 97
}
