//! What an exemption costs: no fee under three months (the valuable paper fee only for a
//! requested certificate), otherwise the fee for each started year and the card's valuable paper
//! fee (Fees Law No. 492).

use super::*;

/// What an application costs, in the year it is assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeAssessment {
    pub year: i32,
    pub exemption_fee: Money,
    pub valuable_paper_fee: Money,
}

impl FeeAssessment {
    pub fn total(&self) -> Money {
        Money(self.exemption_fee.0 + self.valuable_paper_fee.0)
    }

    pub fn is_due(&self) -> bool {
        self.total().0 > 0
    }

    /// The amounts to pay, in the one money shape: the exemption fee and the valuable paper fee,
    /// each to its account, with whether `year`'s table is the published one (a year with no
    /// table of its own is charged at the latest known rates, as an estimate). Nothing to pay is
    /// no amount.
    pub fn amounts(&self, fees: &Fees) -> Vec<Amount> {
        // A year with no table of its own is charged at the latest rates: an estimate.
        let table = fees
            .for_year(self.year)
            .filter(|table| table.year == self.year);
        [
            (
                FeeKind::ExemptionFee,
                &fees.exemption_fee_account,
                self.exemption_fee,
                table.is_some_and(|t| t.exemption_fee_published),
            ),
            (
                FeeKind::ValuablePaperFee,
                &fees.valuable_paper_account,
                self.valuable_paper_fee,
                table.is_some_and(|t| t.valuable_paper_fee_published),
            ),
        ]
        .into_iter()
        .filter(|(_, _, amount, _)| amount.0 > 0)
        .map(|(kind, account, amount, published)| Amount {
            account_code: account.clone(),
            kind,
            amount,
            currency: fees.currency.clone(),
            year: self.year,
            published,
        })
        .collect()
    }
}

/// Shorter than three months: no exemption fee, the valuable paper fee only for a requested
/// certificate. Otherwise the fee for each started year, and the card's valuable paper fee.
pub fn assess_fees(employment: &Employment, fees: &Fees, year: i32) -> FeeAssessment {
    let Some(table) = fees.for_year(year) else {
        return FeeAssessment {
            year,
            exemption_fee: Money::ZERO,
            valuable_paper_fee: Money::ZERO,
        };
    };
    let (Some(start), Some(end)) = (employment.start_date, employment.end_date) else {
        return FeeAssessment {
            year,
            exemption_fee: Money::ZERO,
            valuable_paper_fee: Money::ZERO,
        };
    };
    if end < add_months(start, i32::from(fees.fee_free_below_months)) {
        let paper = if employment.certificate_requested == Some(true) {
            table.valuable_paper_fee
        } else {
            Money::ZERO
        };
        return FeeAssessment {
            year,
            exemption_fee: Money::ZERO,
            valuable_paper_fee: paper,
        };
    }
    let mut years = 1;
    while end >= add_months(start, 12 * years) {
        years += 1;
    }
    FeeAssessment {
        year,
        exemption_fee: table.exemption_fee_per_year.times(i64::from(years)),
        valuable_paper_fee: table.valuable_paper_fee,
    }
}
