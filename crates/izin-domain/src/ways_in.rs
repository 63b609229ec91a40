//! The ways into the portal and what each proves about a person: which account an
//! e-Government sign-in may enter, how the claims of the identity provider become a person,
//! and the match of a declared passport identity against a registry's record.
//!
//! Four ways in: an e-mail address confirmed by a code; e-Government (OpenID Connect), whose
//! signed claim carries the foreigner identity number; in Türkiye, a passport (number, country
//! of issue, birth year) that the entry records show in the country today; abroad, a consulate's
//! reference number with the passport number and birth year recorded under it.
//!
//! Only e-Government proves a foreigner ID. Passport facts and reference numbers are not secret
//! (they are on visa forms and in employers' files), so a match gives no exclusive claim: the
//! person still confirms an e-mail address by a code and reaches that address's account, which
//! keeps the passport identity as *declared*. A foreigner ID someone typed proves nothing either:
//! accounts are linked on a verified ID only.

use crate::identifiers::{ForeignerId, PassportNumber, ReferenceNumber};
use crate::profile::{CountryCode, PersonName, Violation};
use crate::reference::Reference;
use std::fmt;
use time::Date;
use uuid::Uuid;

/// A way into the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WayIn {
    EmailCode,
    EGovernment,
    /// In Türkiye, without e-Government: the passport the person entered with.
    Passport,
    /// Abroad, with a reference number from a Turkish mission.
    ConsulateReference,
}

impl WayIn {
    pub const ALL: [WayIn; 4] = [
        WayIn::EmailCode,
        WayIn::EGovernment,
        WayIn::Passport,
        WayIn::ConsulateReference,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::EmailCode => "email",
            Self::EGovernment => "e-government",
            Self::Passport => "passport",
            Self::ConsulateReference => "reference",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|way| way.code() == code)
    }
}

/// How the foreigner ID on an account came to be trusted. Only a verified ID links accounts or
/// opens registry data about the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ForeignerIdVerification {
    /// Typed by the person: proves nothing.
    NotVerified,
    /// Carried by a signed e-Government identity claim.
    EGovernmentClaim,
    /// Checked by the officer who approved one of the person's applications.
    OfficerApproval,
    /// Allocated to the person by the migration authority.
    AssignedByAuthority,
}

impl ForeignerIdVerification {
    pub const ALL: [ForeignerIdVerification; 4] = [
        Self::NotVerified,
        Self::EGovernmentClaim,
        Self::OfficerApproval,
        Self::AssignedByAuthority,
    ];

    pub fn is_verified(self) -> bool {
        self != Self::NotVerified
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::NotVerified => "not-verified",
            Self::EGovernmentClaim => "e-government",
            Self::OfficerApproval => "officer-approval",
            Self::AssignedByAuthority => "assigned-by-authority",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code)
    }
}

/// An account that holds a foreigner ID, as the binding rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountWithId {
    pub account: Uuid,
    pub foreigner_id: ForeignerId,
    pub verification: ForeignerIdVerification,
}

/// Where an e-Government sign-in leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// The account whose verified foreigner ID is the claim's.
    Enter { account: Uuid },
    /// No account holds the ID verified. If accounts hold it only as typed, the person may join
    /// one of them after entering a code sent to that account's address (`may_join`), never by
    /// the claim alone; otherwise a new account is made (the person then gives an e-mail
    /// address, confirmed by a code, since every decision is sent by e-mail).
    New { may_join: Vec<Uuid> },
}

/// Which account an e-Government sign-in for `claimed` may enter, given the accounts that
/// hold that foreigner ID.
pub fn bind_e_government(claimed: &ForeignerId, accounts: &[AccountWithId]) -> Binding {
    let holding: Vec<&AccountWithId> = accounts
        .iter()
        .filter(|a| &a.foreigner_id == claimed)
        .collect();
    if let Some(verified) = holding.iter().find(|a| a.verification.is_verified()) {
        return Binding::Enter {
            account: verified.account,
        };
    }
    Binding::New {
        may_join: holding.iter().map(|a| a.account).collect(),
    }
}

/// Which claims of the identity provider's ID token carry what (settings: providers name
/// them differently).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimNames {
    pub foreigner_id: String,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: String,
    pub nationality: String,
}

impl Default for ClaimNames {
    /// The OpenID Connect standard claims, and `foreigner_id` for the identity number.
    fn default() -> Self {
        Self {
            foreigner_id: "foreigner_id".into(),
            first_name: "given_name".into(),
            last_name: "family_name".into(),
            birth_date: "birthdate".into(),
            nationality: "nationality".into(),
        }
    }
}

/// The person an e-Government sign-in names: the foreigner ID (required, verified by the
/// provider's signature) and what prefills User Information when the provider gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EGovernmentPerson {
    pub foreigner_id: ForeignerId,
    pub first_name: Option<PersonName>,
    pub last_name: Option<PersonName>,
    pub birth_date: Option<Date>,
    pub nationality: Option<CountryCode>,
}

/// Why the claims do not name a person the portal can serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimError {
    /// The identity number claim is absent.
    MissingForeignerId { claim: String },
    /// The identity number is not a foreigner's (a citizen's number, or malformed).
    NotAForeignerId { claim: String },
}

impl fmt::Display for ClaimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingForeignerId { claim } => {
                write!(f, "the identity provider gave no `{claim}` claim")
            }
            Self::NotAForeignerId { claim } => {
                write!(f, "the `{claim}` claim is not a foreigner identity number")
            }
        }
    }
}

impl std::error::Error for ClaimError {}

impl EGovernmentPerson {
    /// Reads the person from verified ID-token claims. Only the identity number is required;
    /// a prefill claim that is absent or does not parse is left out rather than refusing the
    /// sign-in (the person fills it in User Information).
    pub fn from_claims(
        claims: &serde_json::Map<String, serde_json::Value>,
        names: &ClaimNames,
    ) -> Result<Self, ClaimError> {
        let text = |name: &str| claims.get(name).and_then(serde_json::Value::as_str);
        // Some providers send the number as a JSON number.
        let id_text = match claims.get(&names.foreigner_id) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => {
                return Err(ClaimError::MissingForeignerId {
                    claim: names.foreigner_id.clone(),
                });
            }
        };
        let foreigner_id =
            ForeignerId::parse(&id_text).map_err(|_| ClaimError::NotAForeignerId {
                claim: names.foreigner_id.clone(),
            })?;
        let name = |claim: &str| text(claim).and_then(|t| PersonName::parse(t).ok());
        Ok(Self {
            foreigner_id,
            first_name: name(&names.first_name),
            last_name: name(&names.last_name),
            birth_date: text(&names.birth_date).and_then(parse_birth_date),
            nationality: text(&names.nationality).and_then(|t| CountryCode::parse(t).ok()),
        })
    }
}

/// An OpenID Connect `birthdate`: `YYYY-MM-DD` (a year alone, which the standard allows, is not
/// a date of birth).
fn parse_birth_date(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, format).ok()
}

/// What a person abroad declares to sign in with a consulate's reference number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReferenceDeclaration {
    pub reference_number: ReferenceNumber,
    pub passport_number: PassportNumber,
    pub birth_year: i32,
}

/// Whether the consulate's record under the reference number (`None`: no such reference) is
/// the declared person's: the same passport number and birth year.
pub fn reference_matches(
    declared: &ReferenceDeclaration,
    recorded: Option<(&PassportNumber, i32)>,
) -> bool {
    recorded.is_some_and(|(passport, birth_year)| {
        passport == &declared.passport_number && birth_year == declared.birth_year
    })
}

/// What a person in Türkiye declares to sign in with their passport.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PassportDeclaration {
    pub passport_number: PassportNumber,
    pub passport_country: CountryCode,
    pub birth_year: i32,
}

/// Why a sign-in with a right code was refused when the passport identity declared with it
/// matched no record (the audit's reason and the message's id).
pub const DECLARATION_NOT_MATCHED: &str = "declaration-not-matched";

/// A passport identity declared to sign in, and whether the registry's record matched it when
/// the code was asked for. The answer to the request is the same either way; the outcome shows
/// only after the code, so nobody learns whether a passport is known.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Declared {
    pub declaration: Declaration,
    pub matched: bool,
}

/// The facts a passport or reference sign-in declares.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "way", rename_all = "kebab-case")]
pub enum Declaration {
    Passport(PassportDeclaration),
    Reference(ReferenceDeclaration),
}

impl Declaration {
    pub fn way(&self) -> WayIn {
        match self {
            Self::Passport(_) => WayIn::Passport,
            Self::Reference(_) => WayIn::ConsulateReference,
        }
    }
}

/// What a passport or reference sign-in typed, before it is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeclarationInput {
    /// Passport: in Türkiye; otherwise abroad with a reference number.
    pub in_turkiye: bool,
    pub passport_number: String,
    /// In Türkiye only.
    pub passport_country: String,
    /// Abroad only.
    pub reference_number: String,
    pub birth_year: Option<i32>,
}

impl DeclarationInput {
    /// The declaration, or every field to correct (field names as the API's).
    pub fn check(&self, reference: &Reference, today: Date) -> Result<Declaration, Vec<Violation>> {
        let mut violations = Vec::new();
        let passport = required(&mut violations, "passport_number", &self.passport_number);
        let country = if self.in_turkiye {
            required(&mut violations, "passport_country", &self.passport_country)
        } else {
            None
        };
        let reference_number = if self.in_turkiye {
            None
        } else {
            required(&mut violations, "reference_number", &self.reference_number)
        };
        let passport_number = passport.and_then(|raw| {
            PassportNumber::parse(raw)
                .map_err(|_| {
                    violations.push(Violation::new("passport_number", "passport-number-shape"))
                })
                .ok()
        });
        let passport_country = country.and_then(|raw| {
            CountryCode::known(raw, reference)
                .map_err(|_| violations.push(Violation::new("passport_country", "country-unknown")))
                .ok()
        });
        let reference_number = reference_number.and_then(|raw| {
            ReferenceNumber::parse(raw)
                .map_err(|_| {
                    violations.push(Violation::new("reference_number", "reference-number-shape"))
                })
                .ok()
        });
        let birth_year = match self.birth_year {
            None => {
                violations.push(Violation::new("birth_year", "text-empty"));
                None
            }
            Some(year) if !plausible_birth_year(year, today) => {
                violations.push(Violation::new("birth_year", "birth-year-implausible"));
                None
            }
            Some(year) => Some(year),
        };
        match (passport_number, birth_year) {
            (Some(passport_number), Some(birth_year)) if violations.is_empty() => {
                Ok(match (passport_country, reference_number) {
                    (Some(passport_country), _) => Declaration::Passport(PassportDeclaration {
                        passport_number,
                        passport_country,
                        birth_year,
                    }),
                    (None, Some(reference_number)) => {
                        Declaration::Reference(ReferenceDeclaration {
                            reference_number,
                            passport_number,
                            birth_year,
                        })
                    }
                    (None, None) => return Err(violations),
                })
            }
            _ => Err(violations),
        }
    }
}

/// `raw` when something was typed; otherwise the field is reported empty.
fn required<'a>(violations: &mut Vec<Violation>, field: &str, raw: &'a str) -> Option<&'a str> {
    if raw.trim().is_empty() {
        violations.push(Violation::new(field, "text-empty"));
        None
    } else {
        Some(raw)
    }
}

/// A birth year a person can have: from 1900 to this year.
pub fn plausible_birth_year(year: i32, today: Date) -> bool {
    (1900..=today.year()).contains(&year)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn id(n: u64) -> ForeignerId {
        ForeignerId::assigned(n)
    }

    fn account(n: u128, foreigner_id: ForeignerId, v: ForeignerIdVerification) -> AccountWithId {
        AccountWithId {
            account: Uuid::from_u128(n),
            foreigner_id,
            verification: v,
        }
    }

    #[test]
    fn codes_round_trip() {
        for way in WayIn::ALL {
            assert_eq!(WayIn::parse(way.code()), Some(way));
        }
        for v in ForeignerIdVerification::ALL {
            assert_eq!(ForeignerIdVerification::parse(v.code()), Some(v));
        }
        assert_eq!(WayIn::parse("password"), None);
    }

    #[test]
    fn only_a_verified_id_enters_an_account() {
        use ForeignerIdVerification::*;
        let claimed = id(1);
        for verified in [EGovernmentClaim, OfficerApproval, AssignedByAuthority] {
            assert_eq!(
                bind_e_government(
                    &claimed,
                    &[
                        account(1, claimed.clone(), NotVerified),
                        account(2, claimed.clone(), verified),
                    ]
                ),
                Binding::Enter {
                    account: Uuid::from_u128(2)
                }
            );
        }
    }

    #[test]
    fn a_typed_id_never_links_but_may_be_joined_after_a_code() {
        use ForeignerIdVerification::*;
        let claimed = id(1);
        assert_eq!(
            bind_e_government(&claimed, &[account(1, claimed.clone(), NotVerified)]),
            Binding::New {
                may_join: vec![Uuid::from_u128(1)]
            }
        );
    }

    #[test]
    fn another_persons_id_is_not_considered() {
        use ForeignerIdVerification::*;
        assert_eq!(
            bind_e_government(&id(1), &[account(1, id(2), EGovernmentClaim)]),
            Binding::New { may_join: vec![] }
        );
        assert_eq!(
            bind_e_government(&id(1), &[]),
            Binding::New { may_join: vec![] }
        );
    }

    fn claims(json: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        json.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn claims_become_a_person_with_what_prefills() {
        let person = EGovernmentPerson::from_claims(
            &claims(serde_json::json!({
                "foreigner_id": id(7).as_str(),
                "given_name": "Ayşe Nur",
                "family_name": "Yılmaz",
                "birthdate": "1990-04-17",
                "nationality": "deu",
            })),
            &ClaimNames::default(),
        )
        .expect("a person");
        assert_eq!(person.foreigner_id, id(7));
        assert_eq!(
            person.first_name.as_ref().map(|n| n.as_str()),
            Some("Ayşe Nur")
        );
        assert_eq!(
            person.last_name.as_ref().map(|n| n.as_str()),
            Some("Yılmaz")
        );
        assert_eq!(person.birth_date, Some(date!(1990 - 04 - 17)));
        assert_eq!(person.nationality.as_ref().map(|c| c.as_str()), Some("DEU"));
    }

    #[test]
    fn claim_names_are_settings() {
        let names = ClaimNames {
            foreigner_id: "ykn".into(),
            first_name: "ad".into(),
            last_name: "soyad".into(),
            birth_date: "dogum_tarihi".into(),
            nationality: "uyruk".into(),
        };
        let number: u64 = id(9).as_str().parse().expect("digits");
        let person = EGovernmentPerson::from_claims(
            &claims(serde_json::json!({"ykn": number, "ad": "Olena", "dogum_tarihi": "1985"})),
            &names,
        )
        .expect("a person");
        assert_eq!(person.foreigner_id, id(9));
        assert_eq!(
            person.first_name.as_ref().map(|n| n.as_str()),
            Some("Olena")
        );
        // A year alone is not a date of birth; the person fills it in.
        assert_eq!(person.birth_date, None);
        assert_eq!(person.nationality, None);
    }

    #[test]
    fn without_a_foreigner_id_nobody_signs_in() {
        let names = ClaimNames::default();
        assert_eq!(
            EGovernmentPerson::from_claims(&claims(serde_json::json!({"sub": "x"})), &names),
            Err(ClaimError::MissingForeignerId {
                claim: "foreigner_id".into()
            })
        );
        // A citizen's number (not 99…) or a malformed one.
        for not_foreign in ["10000000146", "99", "abc"] {
            assert_eq!(
                EGovernmentPerson::from_claims(
                    &claims(serde_json::json!({"foreigner_id": not_foreign})),
                    &names
                ),
                Err(ClaimError::NotAForeignerId {
                    claim: "foreigner_id".into()
                }),
                "{not_foreign}"
            );
        }
    }

    #[test]
    fn a_reference_matches_its_passport_and_birth_year_only() {
        let passport = PassportNumber::parse("U12345678").expect("passport");
        let declared = ReferenceDeclaration {
            reference_number: ReferenceNumber::parse("AB12CD34EF56GH78").expect("reference"),
            passport_number: passport.clone(),
            birth_year: 1990,
        };
        assert!(reference_matches(&declared, Some((&passport, 1990))));
        assert!(!reference_matches(&declared, Some((&passport, 1991))));
        let other = PassportNumber::parse("U12345679").expect("passport");
        assert!(!reference_matches(&declared, Some((&other, 1990))));
        assert!(!reference_matches(&declared, None));
    }

    #[test]
    fn a_declaration_keeps_its_way_when_stored() {
        let declared = Declared {
            declaration: Declaration::Passport(PassportDeclaration {
                passport_number: PassportNumber::parse("u 1234 5678").expect("passport"),
                passport_country: CountryCode::parse("deu").expect("country"),
                birth_year: 1990,
            }),
            matched: false,
        };
        let json = serde_json::to_value(&declared).expect("json");
        assert_eq!(json["declaration"]["way"], "passport");
        assert_eq!(json["declaration"]["passport_number"], "U12345678");
        let back: Declared = serde_json::from_value(json).expect("back");
        assert_eq!(back, declared);
        assert_eq!(back.declaration.way(), WayIn::Passport);
    }

    fn reference_data() -> Reference {
        Reference::embedded().expect("embedded reference data")
    }

    fn fields(violations: &[Violation]) -> Vec<(&str, &str)> {
        violations
            .iter()
            .map(|v| (v.field.as_str(), v.code))
            .collect()
    }

    #[test]
    fn a_passport_declaration_is_checked_field_by_field() {
        let today = date!(2026 - 11 - 29);
        let reference = reference_data();
        let input = DeclarationInput {
            in_turkiye: true,
            passport_number: " u1234 5678 ".into(),
            passport_country: "deu".into(),
            birth_year: Some(1990),
            ..DeclarationInput::default()
        };
        assert_eq!(
            input.check(&reference, today),
            Ok(Declaration::Passport(PassportDeclaration {
                passport_number: PassportNumber::parse("U12345678").expect("passport"),
                passport_country: CountryCode::parse("DEU").expect("country"),
                birth_year: 1990,
            }))
        );
        let wrong = DeclarationInput {
            in_turkiye: true,
            passport_number: "U1".into(),
            passport_country: "XXX".into(),
            birth_year: Some(2027),
            reference_number: "ignored in Türkiye".into(),
        };
        assert_eq!(
            fields(&wrong.check(&reference, today).expect_err("refused")),
            [
                ("passport_number", "passport-number-shape"),
                ("passport_country", "country-unknown"),
                ("birth_year", "birth-year-implausible"),
            ]
        );
    }

    #[test]
    fn a_reference_declaration_needs_its_number() {
        let today = date!(2026 - 11 - 29);
        let reference = reference_data();
        let empty = DeclarationInput::default();
        assert_eq!(
            fields(&empty.check(&reference, today).expect_err("refused")),
            [
                ("passport_number", "text-empty"),
                ("reference_number", "text-empty"),
                ("birth_year", "text-empty"),
            ]
        );
        let abroad = DeclarationInput {
            passport_number: "U12345678".into(),
            reference_number: "ab12-cd34-ef56-gh78".into(),
            birth_year: Some(1990),
            ..DeclarationInput::default()
        };
        assert!(matches!(
            abroad.check(&reference, today),
            Ok(Declaration::Reference(ReferenceDeclaration {
                birth_year: 1990,
                ..
            }))
        ));
    }

    #[test]
    fn birth_years_are_plausible() {
        let today = date!(2026 - 11 - 29);
        assert!(plausible_birth_year(1900, today));
        assert!(plausible_birth_year(2026, today));
        assert!(!plausible_birth_year(1899, today));
        assert!(!plausible_birth_year(2027, today));
    }
}
