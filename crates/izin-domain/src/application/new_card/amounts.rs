//! What a new card costs, by reason, in the one money shape.

use super::Reason;
use crate::application::work_permit_exemption::FeeAssessment;
use crate::catalog::Fees;
use crate::money::{Amount, Money};

/// The amounts shown before "Create My New Card Application", and whether an officer's review
/// decides them instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCardAmounts {
    pub amounts: Vec<Amount>,
    /// The administration's error: "0 ₺ or (You will be notified by e-mail after the review.)"
    pub decided_after_review: bool,
}

/// What a new card for `reason` costs at `year`'s rates (the latest known year's when `year`
/// has no table of its own), or `None` when an officer's review decides it:
/// - lost or stolen: the lost-card share of one year's exemption fee and of the valuable paper
///   fee (Fees Law No. 492, Article 90: half and all);
/// - a change in personal information: the valuable paper fee only;
/// - the administration's error: nothing now; the review decides.
pub fn assessment(reason: Reason, fees: &Fees, year: i32) -> Option<FeeAssessment> {
    let table = fees.for_year(year)?;
    match reason {
        Reason::LostOrStolen => Some(FeeAssessment {
            year,
            exemption_fee: fees
                .lost_card
                .exemption_fee
                .of(table.exemption_fee_per_year),
            valuable_paper_fee: fees
                .lost_card
                .valuable_paper_fee
                .of(table.valuable_paper_fee),
        }),
        Reason::PersonalInformationChange => Some(FeeAssessment {
            year,
            exemption_fee: Money(0),
            valuable_paper_fee: table.valuable_paper_fee,
        }),
        Reason::AdministrationError => None,
    }
}

/// The three decisions an officer's review of a card replaced for the administration's error ends
/// with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewOutcome {
    /// The administration's fault: nothing is due.
    NothingDue,
    /// The valuable paper fee only.
    ValuablePaperFee,
    /// Half of one year's exemption fee and the valuable paper fee.
    HalfFeeAndValuablePaper,
}

impl ReviewOutcome {
    pub const CODES: [&'static str; 3] = [
        "nothing_due",
        "valuable_paper_fee",
        "half_fee_and_valuable_paper_fee",
    ];

    pub fn parse(code: &str) -> Option<ReviewOutcome> {
        match code.trim() {
            "nothing_due" => Some(ReviewOutcome::NothingDue),
            "valuable_paper_fee" => Some(ReviewOutcome::ValuablePaperFee),
            "half_fee_and_valuable_paper_fee" => Some(ReviewOutcome::HalfFeeAndValuablePaper),
            _ => None,
        }
    }
}

/// What the card costs after the review decided `outcome`, at `year`'s rates.
pub fn reviewed(outcome: ReviewOutcome, fees: &Fees, year: i32) -> Option<FeeAssessment> {
    let table = fees.for_year(year)?;
    let (exemption_fee, valuable_paper_fee) = match outcome {
        ReviewOutcome::NothingDue => (Money::ZERO, Money::ZERO),
        ReviewOutcome::ValuablePaperFee => (Money::ZERO, table.valuable_paper_fee),
        ReviewOutcome::HalfFeeAndValuablePaper => (
            fees.lost_card
                .exemption_fee
                .of(table.exemption_fee_per_year),
            table.valuable_paper_fee,
        ),
    };
    Some(FeeAssessment {
        year,
        exemption_fee,
        valuable_paper_fee,
    })
}

/// The amounts for `reason` at `year`'s rates, in the one money shape (each marked as not
/// published when `year` has no published table of its own), and whether a review decides them.
pub fn amounts(reason: Reason, fees: &Fees, year: i32) -> NewCardAmounts {
    NewCardAmounts {
        amounts: assessment(reason, fees, year)
            .map(|a| a.amounts(fees))
            .unwrap_or_default(),
        decided_after_review: reason.reviewed_by_an_officer(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ExemptionCatalog;
    use crate::money::FeeKind;

    fn fees() -> Fees {
        ExemptionCatalog::embedded().expect("catalogue").fees
    }

    fn shape(amounts: &NewCardAmounts) -> Vec<(FeeKind, String, bool)> {
        amounts
            .amounts
            .iter()
            .map(|a| (a.kind, a.amount.decimal(), a.published))
            .collect()
    }

    #[test]
    fn a_lost_card_costs_half_a_years_fee_and_the_whole_valuable_paper() {
        let lost = amounts(Reason::LostOrStolen, &fees(), 2025);
        assert_eq!(
            shape(&lost),
            [
                (FeeKind::ExemptionFee, "5285.80".to_owned(), true),
                (FeeKind::ValuablePaperFee, "810.00".to_owned(), true),
            ]
        );
        assert!(!lost.decided_after_review);
        assert_eq!(lost.amounts[0].account_code, "9280");
        assert_eq!(lost.amounts[1].account_code, "9268");
    }

    #[test]
    fn a_year_whose_fee_is_not_published_says_so() {
        // 2026's exemption fee is an estimate (its valuable paper fee is published); 2031 has
        // no table and is charged at 2026's rates, neither of them published for 2031.
        for (year, paper_published) in [(2026, true), (2031, false)] {
            let lost = amounts(Reason::LostOrStolen, &fees(), year);
            assert_eq!(
                shape(&lost),
                [
                    (FeeKind::ExemptionFee, "6287.46".to_owned(), false),
                    (
                        FeeKind::ValuablePaperFee,
                        "964.00".to_owned(),
                        paper_published
                    ),
                ],
                "{year}"
            );
            assert!(lost.amounts.iter().all(|a| a.year == year));
        }
    }

    #[test]
    fn a_changed_identity_pays_the_valuable_paper_only() {
        let changed = amounts(Reason::PersonalInformationChange, &fees(), 2025);
        assert_eq!(
            shape(&changed),
            [(FeeKind::ValuablePaperFee, "810.00".to_owned(), true)]
        );
        assert!(!changed.decided_after_review);
    }

    #[test]
    fn a_review_ends_with_one_of_three_decisions() {
        let shape_of = |outcome| {
            reviewed(outcome, &fees(), 2025)
                .map(|a| (a.exemption_fee.decimal(), a.valuable_paper_fee.decimal()))
        };
        assert_eq!(
            shape_of(ReviewOutcome::NothingDue),
            Some(("0.00".into(), "0.00".into()))
        );
        assert_eq!(
            shape_of(ReviewOutcome::ValuablePaperFee),
            Some(("0.00".into(), "810.00".into()))
        );
        assert_eq!(
            shape_of(ReviewOutcome::HalfFeeAndValuablePaper),
            Some(("5285.80".into(), "810.00".into()))
        );
        for code in ReviewOutcome::CODES {
            assert!(ReviewOutcome::parse(code).is_some(), "{code}");
        }
        assert_eq!(ReviewOutcome::parse("free"), None);
    }

    #[test]
    fn the_administrations_error_is_decided_after_review() {
        let error = amounts(Reason::AdministrationError, &fees(), 2025);
        assert!(error.amounts.is_empty());
        assert!(error.decided_after_review);
    }
}
