//! The coded reasons an officer gives when rejecting an application or cancelling what an
//! approval granted: each with its text and legal basis in both languages, and what the person
//! can do about it (whether and how an objection can be made — none for a payment deadline
//! missed). Catalogue data, per authority, naming the kinds it serves.

use crate::application::Kind;
use crate::reference::CatalogError;
use crate::reference::Labels;
use serde::Deserialize;
use std::collections::HashSet;

const LABOUR: &str = include_str!("../../../catalog/work-permit-exemption/decision-reasons.json");

/// Which decision a reason is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    Reject,
    Cancel,
}

impl Decision {
    pub fn code(self) -> &'static str {
        match self {
            Decision::Reject => "reject",
            Decision::Cancel => "cancel",
        }
    }

    pub fn parse(code: &str) -> Option<Decision> {
        [Decision::Reject, Decision::Cancel]
            .into_iter()
            .find(|d| d.code() == code.trim())
    }
}

/// One coded reason.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionReason {
    pub code: String,
    pub text: Labels,
    pub legal_basis: Labels,
    /// How to object, or `None` when no objection is possible.
    pub objection: Option<Labels>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReasonsFile {
    kinds: Vec<String>,
    reject: Vec<DecisionReason>,
    cancel: Vec<DecisionReason>,
}

/// The reasons of one catalogue file, for the kinds it names.
#[derive(Debug, Clone)]
pub struct DecisionReasons {
    kinds: Vec<Kind>,
    reject: Vec<DecisionReason>,
    cancel: Vec<DecisionReason>,
}

impl DecisionReasons {
    /// Every authority's reasons compiled into this program.
    pub fn embedded() -> Result<Vec<DecisionReasons>, CatalogError> {
        Ok(vec![Self::from_json("decision-reasons.json", LABOUR)?])
    }

    pub fn from_json(file: &str, text: &str) -> Result<DecisionReasons, CatalogError> {
        let parsed: ReasonsFile = serde_json::from_str(text)
            .map_err(|e| CatalogError::new(file, format!("line {}", e.line()), e.to_string()))?;
        let kinds = parsed
            .kinds
            .iter()
            .map(|code| {
                Kind::parse(code)
                    .ok_or_else(|| CatalogError::new(file, code, "not a kind of application"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if kinds.is_empty() {
            return Err(CatalogError::new(file, "kinds", "names at least one kind"));
        }
        for (decision, reasons) in [("reject", &parsed.reject), ("cancel", &parsed.cancel)] {
            if reasons.is_empty() {
                return Err(CatalogError::new(
                    file,
                    decision,
                    "needs at least one reason",
                ));
            }
            let mut codes = HashSet::new();
            for reason in reasons {
                let entry = format!("{decision}/{}", reason.code);
                let kebab = !reason.code.is_empty()
                    && reason
                        .code
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
                if !kebab || !codes.insert(reason.code.clone()) {
                    return Err(CatalogError::new(
                        file,
                        &entry,
                        "codes are unique kebab-case",
                    ));
                }
                let labels = [
                    Some(&reason.text),
                    Some(&reason.legal_basis),
                    reason.objection.as_ref(),
                ];
                if labels
                    .into_iter()
                    .flatten()
                    .any(|l| l.tr.trim().is_empty() || l.en.trim().is_empty())
                {
                    return Err(CatalogError::new(
                        file,
                        &entry,
                        "needs Turkish and English text",
                    ));
                }
            }
        }
        Ok(DecisionReasons {
            kinds,
            reject: parsed.reject,
            cancel: parsed.cancel,
        })
    }

    /// Whether these reasons are the ones of `kind`.
    pub fn serves(&self, kind: Kind) -> bool {
        self.kinds.contains(&kind)
    }

    /// The reasons for `decision`, in the order offered.
    pub fn reasons(&self, decision: Decision) -> &[DecisionReason] {
        match decision {
            Decision::Reject => &self.reject,
            Decision::Cancel => &self.cancel,
        }
    }

    /// The reason `code` for `decision`.
    pub fn reason(&self, decision: Decision, code: &str) -> Option<&DecisionReason> {
        self.reasons(decision)
            .iter()
            .find(|r| r.code == code.trim())
    }
}

/// The reasons of `kind` among `all`.
pub fn for_kind(all: &[DecisionReasons], kind: Kind) -> Option<&DecisionReasons> {
    all.iter().find(|r| r.serves(kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_labour_kind_has_reasons_to_reject_and_to_cancel() {
        let all = DecisionReasons::embedded().expect("valid catalogue");
        for kind in [Kind::WorkPermitExemption, Kind::NewCard] {
            let reasons = for_kind(&all, kind).expect("reasons for the kind");
            assert!(!reasons.reasons(Decision::Reject).is_empty());
            assert!(!reasons.reasons(Decision::Cancel).is_empty());
        }
        let labour = for_kind(&all, Kind::WorkPermitExemption).unwrap();
        // A missed payment deadline can not be objected to; a wrong category can.
        let unpaid = labour
            .reason(Decision::Reject, "payment-deadline-passed")
            .expect("the payment reason");
        assert_eq!(unpaid.objection, None);
        let wrong = labour.reason(Decision::Reject, " wrong-category ").unwrap();
        assert!(wrong.objection.as_ref().unwrap().en.contains("30 days"));
        assert!(labour.reason(Decision::Cancel, "wrong-category").is_none());
        assert_eq!(Decision::parse("cancel"), Some(Decision::Cancel));
        assert_eq!(Decision::parse("approve"), None);
    }

    #[test]
    fn a_broken_file_says_where() {
        let valid = LABOUR.to_owned();
        let unknown_kind = valid.replace("\"new-card\"", "\"new-passport\"");
        let error = DecisionReasons::from_json("r.json", &unknown_kind).unwrap_err();
        assert!(error.to_string().contains("new-passport"), "{error}");
        let twice = valid.replace("\"conditions-not-met\"", "\"wrong-category\"");
        let error = DecisionReasons::from_json("r.json", &twice).unwrap_err();
        assert!(
            error.to_string().contains("reject/wrong-category"),
            "{error}"
        );
        let untranslated = valid.replacen(
            "\"en\": \"The application was made in the wrong exemption category.\"",
            "\"en\": \" \"",
            1,
        );
        assert!(DecisionReasons::from_json("r.json", &untranslated).is_err());
    }
}
