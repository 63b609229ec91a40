//! The mails about a payment, in the applicant's language: the notice (what to pay, to which
//! account, what to quote, by when, and both ways to pay), the reminder before the deadline, the
//! new year's amounts, and the rejection when the deadline passed.

use super::terms_for;
use crate::mails::compose;
use izin_domain::Language;
use izin_domain::calendar::display_date;
use izin_domain::payment::PaymentNotice;
use izin_domain::payment_catalog::PaymentTerms;
use izin_domain::records::ApplicationRecord;
use izin_domain::reference::Labels;
use izin_i18n::{Texts, Value};
use izin_store::{NewMail, User};

/// The lines every payment mail repeats: each amount still due with its account, the foreigner
/// identity number, the reference number and the deadline.
fn what_to_pay(
    texts: &Texts,
    language: Language,
    terms: Option<&PaymentTerms>,
    notice: &PaymentNotice,
) -> Vec<String> {
    let mut lines = Vec::new();
    for item in notice.items.iter().filter(|i| !i.paid) {
        let account_name = terms
            .and_then(|t| t.account(&item.amount.account_code))
            .map(|a| a.name.get(language).to_owned())
            .unwrap_or_default();
        lines.push(texts.format(
            language,
            "payment-mail-amount",
            &[
                ("account", Value::from(item.amount.account_code.as_str())),
                ("name", Value::from(account_name.as_str())),
                (
                    "amount",
                    Value::from(item.amount.amount.display(language).as_str()),
                ),
            ],
        ));
    }
    lines.push(texts.format(
        language,
        "payment-mail-quote",
        &[
            ("foreigner_id", Value::from(notice.foreigner_id.as_str())),
            (
                "reference",
                Value::from(notice.reference.grouped().as_str()),
            ),
        ],
    ));
    lines.push(texts.format(
        language,
        "payment-mail-deadline",
        &[(
            "deadline",
            Value::from(display_date(notice.deadline).as_str()),
        )],
    ));
    lines
}

fn ways_to_pay(language: Language, terms: Option<&PaymentTerms>) -> Vec<String> {
    terms
        .map(|t| {
            vec![
                format!("(a) {}", t.ways_to_pay.digital_tax_office.get(language)),
                format!("(b) {}", t.ways_to_pay.bank.get(language)),
                t.ways_to_pay.no_receipt.get(language).to_owned(),
            ]
        })
        .unwrap_or_default()
}

fn args<'a>(
    record: &'a ApplicationRecord,
    kind: &'a Labels,
    language: Language,
) -> [(&'a str, Value<'a>); 2] {
    [
        (
            "number",
            Value::from(record.number.as_deref().unwrap_or_default()),
        ),
        ("kind", Value::from(kind.get(language))),
    ]
}

/// The payment notice, sent with the first-stage approval.
pub fn notice(
    texts: &Texts,
    user: &User,
    kind: &Labels,
    record: &ApplicationRecord,
    notice: &PaymentNotice,
) -> NewMail {
    let language = user.language;
    let args = args(record, kind, language);
    let terms = terms_for(record.kind);
    let mut paragraphs = vec![
        texts.format(language, "payment-mail-notice-intro", &args),
        what_to_pay(texts, language, terms, notice).join("\n"),
    ];
    if notice.foreigner_id_assigned {
        paragraphs.push(texts.format(
            language,
            "payment-mail-foreigner-id-assigned",
            &[("foreigner_id", Value::from(notice.foreigner_id.as_str()))],
        ));
    }
    paragraphs.push(texts.get(language, "payment-mail-ways").to_owned());
    paragraphs.extend(ways_to_pay(language, terms));
    paragraphs.push(texts.get(language, "payment-mail-deadline-rule").to_owned());
    compose(
        texts,
        user,
        "payment-notice",
        texts.format(language, "payment-mail-notice-subject", &args),
        &paragraphs,
    )
}

/// The reminder, a week before the deadline.
pub fn reminder(
    texts: &Texts,
    user: &User,
    kind: &Labels,
    record: &ApplicationRecord,
    notice: &PaymentNotice,
) -> NewMail {
    let language = user.language;
    let args = args(record, kind, language);
    let terms = terms_for(record.kind);
    let mut paragraphs = vec![
        texts.format(language, "payment-mail-reminder-intro", &args),
        what_to_pay(texts, language, terms, notice).join("\n"),
    ];
    paragraphs.extend(ways_to_pay(language, terms));
    paragraphs.push(texts.get(language, "payment-mail-deadline-rule").to_owned());
    compose(
        texts,
        user,
        "payment-reminder",
        texts.format(language, "payment-mail-reminder-subject", &args),
        &paragraphs,
    )
}

/// The new year's amounts of a payment still open.
pub fn repriced(
    texts: &Texts,
    user: &User,
    kind: &Labels,
    record: &ApplicationRecord,
    notice: &PaymentNotice,
    year: i32,
) -> NewMail {
    let language = user.language;
    let args = args(record, kind, language);
    let terms = terms_for(record.kind);
    let paragraphs = vec![
        texts.format(
            language,
            "payment-mail-repriced-intro",
            &[
                args[0].clone(),
                args[1].clone(),
                ("year", Value::from(i64::from(year))),
            ],
        ),
        what_to_pay(texts, language, terms, notice).join("\n"),
    ];
    compose(
        texts,
        user,
        "payment-repriced",
        texts.format(language, "payment-mail-repriced-subject", &args),
        &paragraphs,
    )
}

/// The rejection when the deadline passed unpaid.
pub fn expired(
    texts: &Texts,
    user: &User,
    kind: &Labels,
    record: &ApplicationRecord,
    notice: &PaymentNotice,
) -> NewMail {
    let language = user.language;
    let args = args(record, kind, language);
    let paragraphs = vec![
        texts.format(
            language,
            "payment-mail-expired-intro",
            &[
                args[0].clone(),
                args[1].clone(),
                (
                    "deadline",
                    Value::from(display_date(notice.deadline).as_str()),
                ),
            ],
        ),
        texts.get(language, "payment-expired-reason").to_owned(),
        texts.get(language, "mail-decision-no-objection").to_owned(),
        texts.get(language, "payment-mail-expired-late").to_owned(),
    ];
    compose(
        texts,
        user,
        "payment-expired",
        texts.format(language, "payment-mail-expired-subject", &args),
        &paragraphs,
    )
}
