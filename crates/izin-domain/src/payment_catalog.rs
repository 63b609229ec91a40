//! Who is paid and how, per authority and kind: the payee institution, its account codes, the
//! two ways to pay the notice explains, and the grace period left for late bank files before an
//! unpaid application is rejected (the 30 days themselves are the fee table's
//! `payment_deadline_days`). Catalogue data, validated when read;
//! residence permits will bring a file of their own.

use crate::application::Kind;
use crate::reference::{CatalogError, Labels};
use serde::Deserialize;
use time::{Date, Duration, Weekday};

const LABOUR: &str = include_str!("../../../catalog/work-permit-exemption/payment.json");

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub code: String,
    pub name: Labels,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grace {
    /// Working days (Monday to Friday) after the deadline day.
    pub working_days: u8,
    pub reason: Labels,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaysToPay {
    pub digital_tax_office: Labels,
    pub bank: Labels,
    pub no_receipt: Labels,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PaymentFile {
    authority: String,
    kinds: Vec<String>,
    institution: Labels,
    accounts: Vec<Account>,
    grace: Grace,
    ways_to_pay: WaysToPay,
    source: Labels,
}

/// One authority's payment terms, for the kinds it names.
#[derive(Debug, Clone)]
pub struct PaymentTerms {
    pub authority: crate::officer::Authority,
    kinds: Vec<Kind>,
    pub institution: Labels,
    pub accounts: Vec<Account>,
    pub grace: Grace,
    pub ways_to_pay: WaysToPay,
    pub source: Labels,
}

impl PaymentTerms {
    /// Every authority's terms compiled into this program.
    pub fn embedded() -> Result<Vec<PaymentTerms>, CatalogError> {
        Ok(vec![Self::from_json("payment.json", LABOUR)?])
    }

    pub fn from_json(file: &str, text: &str) -> Result<PaymentTerms, CatalogError> {
        let parsed: PaymentFile = serde_json::from_str(text)
            .map_err(|e| CatalogError::new(file, "", format!("not the expected JSON: {e}")))?;
        let authority = crate::officer::Authority::parse(&parsed.authority)
            .ok_or_else(|| CatalogError::new(file, "authority", "labour or migration"))?;
        let kinds = parsed
            .kinds
            .iter()
            .map(|k| {
                Kind::parse(k)
                    .ok_or_else(|| CatalogError::new(file, "kinds", format!("unknown kind {k}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if kinds.is_empty() {
            return Err(CatalogError::new(file, "kinds", "at least one kind"));
        }
        if parsed.accounts.is_empty()
            || parsed
                .accounts
                .iter()
                .any(|a| a.code.len() != 4 || !a.code.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(CatalogError::new(
                file,
                "accounts",
                "each account code has four digits",
            ));
        }
        if parsed.grace.working_days > 10 {
            return Err(CatalogError::new(file, "grace", "at most 10 working days"));
        }
        Ok(PaymentTerms {
            authority,
            kinds,
            institution: parsed.institution,
            accounts: parsed.accounts,
            grace: parsed.grace,
            ways_to_pay: parsed.ways_to_pay,
            source: parsed.source,
        })
    }

    pub fn serves(&self, kind: Kind) -> bool {
        self.kinds.contains(&kind)
    }

    /// The account named `code`.
    pub fn account(&self, code: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.code == code)
    }

    /// The first day an application unpaid on `deadline` may be rejected: after the deadline
    /// day and the grace period's working days (Monday to Friday; public holidays are not
    /// counted out — the grace is the longer for it, never the shorter).
    pub fn rejectable_from(&self, deadline: Date) -> Date {
        let mut day = deadline;
        let mut left = self.grace.working_days;
        while left > 0 {
            day += Duration::days(1);
            if !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
                left -= 1;
            }
        }
        day + Duration::days(1)
    }
}

/// The terms for applications of `kind`.
pub fn for_kind(all: &[PaymentTerms], kind: Kind) -> Option<&PaymentTerms> {
    all.iter().find(|t| t.serves(kind))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_labour_terms_are_the_seeds() {
        let all = PaymentTerms::embedded().expect("valid");
        let terms = for_kind(&all, Kind::WorkPermitExemption).expect("exemptions are paid");
        assert!(for_kind(&all, Kind::NewCard).is_some());
        assert_eq!(
            terms.institution.en,
            "Directorate General of International Labour Force"
        );
        assert_eq!(terms.institution.tr, "Uluslararası İşgücü Genel Müdürlüğü");
        assert!(terms.account("9280").is_some() && terms.account("9268").is_some());
        assert!(
            terms
                .ways_to_pay
                .no_receipt
                .en
                .contains("no need to submit a receipt")
        );
    }

    #[test]
    fn an_unpaid_application_is_rejectable_only_after_the_grace_working_days() {
        let terms = &PaymentTerms::embedded().unwrap()[0];
        assert_eq!(terms.grace.working_days, 3);
        // Thursday 31 December 2026: Friday, Monday, Tuesday are the grace; Wednesday it may go.
        assert_eq!(
            terms.rejectable_from(date!(2026 - 12 - 31)),
            date!(2027 - 01 - 06)
        );
        // Monday: Tuesday to Thursday, then Friday.
        assert_eq!(
            terms.rejectable_from(date!(2026 - 11 - 30)),
            date!(2026 - 12 - 04)
        );
    }

    #[test]
    fn broken_terms_are_refused_with_where() {
        let broken = LABOUR.replace("\"9280\"", "\"92X0\"");
        let error = PaymentTerms::from_json("payment.json", &broken).unwrap_err();
        assert!(error.to_string().contains("accounts"), "{error}");
        let unknown = LABOUR.replace("\"new-card\"", "\"parking-permit\"");
        assert!(PaymentTerms::from_json("payment.json", &unknown).is_err());
    }
}
