//! The payment section of an application's Detail page (seed §4.7): each amount with its
//! account code and whether it is paid, the foreigner identity number and the transaction
//! reference number to quote, the last day to pay, and both ways to pay.

use crate::context::RequestContext;
use izin_app::payments::terms_for;
use izin_domain::calendar::display_date;
use izin_domain::payment::PaymentNotice;
use izin_domain::records::ApplicationRecord;
use izin_i18n::Value;

pub struct PaymentRow {
    pub account: String,
    pub name: String,
    pub amount: String,
    pub paid: bool,
    /// The year the amount is at, and what it was at an earlier year's rates.
    pub rates: String,
}

pub struct PaymentPanel {
    /// `open`, `settled` or `expired`.
    pub state: &'static str,
    pub reference: String,
    pub reference_grouped: String,
    pub foreigner_id: String,
    pub foreigner_id_assigned: bool,
    pub deadline: String,
    pub institution: String,
    pub rows: Vec<PaymentRow>,
    pub digital_tax_office: String,
    pub bank: String,
    pub no_receipt: String,
    pub rates_missing: Option<String>,
    /// In development or demo mode, the played Digital Tax Office with this payment filled in.
    pub dev_pay: Option<String>,
}

pub fn payment_panel(
    ctx: &RequestContext,
    state: &crate::WebState,
    record: &ApplicationRecord,
    notice: &PaymentNotice,
) -> PaymentPanel {
    let terms = terms_for(record.kind);
    let label = |get: fn(
        &izin_domain::payment_catalog::PaymentTerms,
    ) -> &izin_domain::reference::Labels| {
        terms
            .map(|t| get(t).get(ctx.language).to_owned())
            .unwrap_or_default()
    };
    let rows = notice
        .items
        .iter()
        .map(|item| {
            let mut rates = ctx.tf(
                "payment-rates-year",
                &[("year", Value::from(i64::from(item.amount.year)))],
            );
            if let Some(earlier) = item.earlier.filter(|_| !item.paid) {
                rates.push(' ');
                rates.push_str(&ctx.tf(
                    "payment-rates-earlier",
                    &[
                        ("year", Value::from(i64::from(earlier.year))),
                        ("amount", Value::from(earlier.amount.display(ctx.language))),
                    ],
                ));
            }
            PaymentRow {
                account: item.amount.account_code.clone(),
                name: terms
                    .and_then(|t| t.account(&item.amount.account_code))
                    .map(|a| a.name.get(ctx.language).to_owned())
                    .unwrap_or_default(),
                amount: format!(
                    "{} {}",
                    item.amount.amount.display(ctx.language),
                    item.amount.currency
                ),
                paid: item.paid,
                rates,
            }
        })
        .collect();
    let situation = if notice.settled() {
        "settled"
    } else if notice.expired_at.is_some() {
        "expired"
    } else {
        "open"
    };
    let previous = notice.items.iter().map(|i| i.amount.year).max();
    PaymentPanel {
        state: situation,
        reference: notice.reference.as_str().to_owned(),
        reference_grouped: notice.reference.grouped(),
        foreigner_id: notice.foreigner_id.clone(),
        foreigner_id_assigned: notice.foreigner_id_assigned,
        deadline: display_date(notice.deadline),
        institution: label(|t| &t.institution),
        rows,
        digital_tax_office: label(|t| &t.ways_to_pay.digital_tax_office),
        bank: label(|t| &t.ways_to_pay.bank),
        no_receipt: label(|t| &t.ways_to_pay.no_receipt),
        dev_pay: (state.config.dev_tools
            && state.config.payments_secret.is_some()
            && notice.expired_at.is_none()
            && !notice.settled())
        .then(|| {
            format!(
                "/dev/pay?foreigner_id={}&reference={}",
                notice.foreigner_id,
                notice.reference.as_str()
            )
        }),
        rates_missing: notice.rates_missing_for.map(|year| {
            ctx.tf(
                "payment-rates-missing",
                &[
                    ("year", Value::from(i64::from(year))),
                    (
                        "previous",
                        Value::from(i64::from(previous.unwrap_or(year - 1))),
                    ),
                ],
            )
        }),
    }
}
