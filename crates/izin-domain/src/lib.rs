//! Izin's domain: the rules of the portal, free of I/O and async.
//!
//! Everything here is plain data and pure functions so that rules can be tested exhaustively and
//! reused unchanged by the storage, service and web layers. Time and randomness come in as
//! arguments ([`clock::Clock`], `rand::Rng`), never from the environment.

pub mod application;
pub mod audit;
pub mod back_office;
pub mod calendar;
pub mod cargo;
pub mod catalog;
pub mod clock;
pub mod decision_reasons;
pub mod documents;
pub mod email;
pub mod identifiers;
pub mod identity;
pub mod language;
mod mod97;
pub mod money;
pub mod officer;
pub mod otp;
pub mod payment;
pub mod payment_catalog;
pub mod profile;
pub mod proof;
pub mod rate_limit;
pub mod records;
pub mod reference;
pub mod session;
pub mod text;
pub mod totp;
pub mod ways_in;

pub use clock::{Clock, ManualClock, SystemClock};
pub use email::EmailAddress;
pub use language::Language;
