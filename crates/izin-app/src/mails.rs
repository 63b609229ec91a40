//! The mail the portal sends, written in the recipient's language from the locale files.

use izin_domain::identifiers::ApplicationNumber;
use izin_domain::otp::OneTimeCode;
use izin_domain::reference::Labels;
use izin_domain::{EmailAddress, Language};
use izin_i18n::{Texts, Value};
use izin_store::{NewMail, User};
use time::OffsetDateTime;

/// The message carrying a sign-in code.
pub fn login_code(
    texts: &Texts,
    language: Language,
    to: &EmailAddress,
    code: &OneTimeCode,
    minutes: i64,
    expires_at: OffsetDateTime,
) -> NewMail {
    let t = |id| texts.get(language, id);
    let validity = texts.format(
        language,
        "mail-code-validity",
        &[("minutes", Value::from(minutes))],
    );
    let spaced = format!("{} {}", &code.as_str()[..3], &code.as_str()[3..]);
    let body_text = format!(
        "{intro}\n\n    {code}\n\n{validity}\n\n{not_you}\n\n-- \n{signature}\n{automatic}\n",
        intro = t("mail-code-intro"),
        code = spaced,
        not_you = t("mail-code-not-you"),
        signature = t("mail-signature"),
        automatic = t("mail-automatic"),
    );
    let body_html = format!(
        "<!doctype html><html lang=\"{lang}\"><body style=\"font-family:sans-serif;line-height:1.5\">\
         <p>{intro}</p><p style=\"font-size:28px;font-weight:bold;letter-spacing:4px\">{code}</p>\
         <p>{validity}</p><p>{not_you}</p><hr><p style=\"color:#555\">{signature}<br>{automatic}</p>\
         </body></html>",
        lang = language.code(),
        intro = escape(t("mail-code-intro")),
        code = spaced,
        validity = escape(&validity),
        not_you = escape(t("mail-code-not-you")),
        signature = escape(t("mail-signature")),
        automatic = escape(t("mail-automatic")),
    );
    NewMail {
        kind: "login-code".into(),
        recipient: to.as_str().to_owned(),
        language,
        subject: t("mail-code-subject").to_owned(),
        body_text,
        body_html: Some(body_html),
        not_after: Some(expires_at),
    }
}

/// The confirmation of "Create My Application", with the number drawn for it.
pub fn application_submitted(
    texts: &Texts,
    user: &User,
    kind: &Labels,
    number: &ApplicationNumber,
) -> NewMail {
    let language = user.language;
    let t = |id| texts.get(language, id);
    let args = [
        ("number", Value::from(number.as_str())),
        ("kind", Value::from(kind.get(language))),
    ];
    let subject = texts.format(language, "mail-submitted-subject", &args);
    let intro = texts.format(language, "mail-submitted-intro", &args);
    let body_text = format!(
        "{intro}\n\n{next}\n\n{keep}\n\n-- \n{signature}\n{automatic}\n",
        next = t("mail-submitted-next"),
        keep = t("mail-submitted-keep-number"),
        signature = t("mail-signature"),
        automatic = t("mail-automatic"),
    );
    let body_html = format!(
        "<!doctype html><html lang=\"{lang}\"><body style=\"font-family:sans-serif;line-height:1.5\">\
         <p>{intro}</p><p>{next}</p><p>{keep}</p><hr><p style=\"color:#555\">{signature}<br>{automatic}</p>\
         </body></html>",
        lang = language.code(),
        intro = escape(&intro),
        next = escape(t("mail-submitted-next")),
        keep = escape(t("mail-submitted-keep-number")),
        signature = escape(t("mail-signature")),
        automatic = escape(t("mail-automatic")),
    );
    NewMail {
        kind: "application-submitted".into(),
        recipient: user.email.clone(),
        language,
        subject,
        body_text,
        body_html: Some(body_html),
        not_after: None,
    }
}

/// What an officer's decision tells the applicant.
#[derive(Debug, Clone)]
pub enum DecisionNews<'a> {
    UnderEvaluation,
    Revision {
        message: &'a str,
    },
    Rejected {
        reason: &'a izin_domain::decision_reasons::DecisionReason,
        text: &'a str,
    },
    PaymentPending {
        amounts: &'a [izin_domain::money::Amount],
        days: u16,
    },
    Approved,
    Cancelled {
        reason: &'a izin_domain::decision_reasons::DecisionReason,
        text: &'a str,
    },
}

impl DecisionNews<'_> {
    fn status_code(&self) -> &'static str {
        match self {
            DecisionNews::UnderEvaluation => "UNDER_EVALUATION",
            DecisionNews::Revision { .. } => "REVISION",
            DecisionNews::Rejected { .. } => "REJECTED",
            DecisionNews::PaymentPending { .. } => "PAYMENT_PENDING",
            DecisionNews::Approved => "APPROVAL",
            // The application stays APPROVED; its exemption is what is cancelled.
            DecisionNews::Cancelled { .. } => "CANCELLED",
        }
    }
}

/// The mail telling the applicant, in their language, of a change an officer made that they can
/// see: the new situation, and what it asks of them or why.
pub fn application_decided(
    texts: &Texts,
    user: &User,
    kind: &Labels,
    number: &str,
    news: &DecisionNews<'_>,
) -> NewMail {
    let language = user.language;
    let t = |id: &str| texts.get(language, id).to_owned();
    let situation = match news {
        DecisionNews::Cancelled { .. } => t("exemption-CANCELLED"),
        other => t(&format!("status-{}", other.status_code())),
    };
    let args = [
        ("number", Value::from(number)),
        ("kind", Value::from(kind.get(language))),
        ("situation", Value::from(situation.as_str())),
    ];
    let subject = texts.format(language, "mail-decision-subject", &args);
    let mut paragraphs = vec![
        texts.format(language, "mail-decision-intro", &args),
        texts.format(language, "mail-decision-situation", &args),
    ];
    let reasoned = |paragraphs: &mut Vec<String>,
                    lead: &str,
                    reason: &izin_domain::decision_reasons::DecisionReason,
                    text: &str| {
        paragraphs.push(format!("{}\n{}", t(lead), reason.text.get(language)));
        paragraphs.push(texts.format(
            language,
            "mail-decision-legal-basis",
            &[("basis", Value::from(reason.legal_basis.get(language)))],
        ));
        if !text.trim().is_empty() {
            paragraphs.push(format!(
                "{}\n{}",
                t("mail-decision-officer-text"),
                text.trim()
            ));
        }
        paragraphs.push(match &reason.objection {
            Some(objection) => texts.format(
                language,
                "mail-decision-objection",
                &[("objection", Value::from(objection.get(language)))],
            ),
            None => t("mail-decision-no-objection"),
        });
    };
    match news {
        DecisionNews::UnderEvaluation => paragraphs.push(t("mail-decision-under-evaluation")),
        DecisionNews::Revision { message } => paragraphs.push(format!(
            "{}\n{}",
            t("mail-decision-revision"),
            message.trim()
        )),
        DecisionNews::Rejected { reason, text } => {
            reasoned(&mut paragraphs, "mail-decision-rejected", reason, text)
        }
        DecisionNews::PaymentPending { amounts, days } => {
            paragraphs.push(texts.format(
                language,
                "mail-decision-payment-pending",
                &[("days", Value::from(i64::from(*days)))],
            ));
            for amount in amounts.iter() {
                paragraphs.push(texts.format(
                    language,
                    "mail-decision-amount",
                    &[
                        ("account", Value::from(amount.account_code.as_str())),
                        (
                            "amount",
                            Value::from(amount.amount.display(language).as_str()),
                        ),
                    ],
                ));
            }
        }
        DecisionNews::Approved => {
            paragraphs.push(t("mail-decision-approved"));
            // Every approval issues a Proof Document, which this mail waits for and carries.
            paragraphs.push(t("mail-decision-document"));
        }
        DecisionNews::Cancelled { reason, text } => {
            reasoned(&mut paragraphs, "mail-decision-cancelled", reason, text)
        }
    }
    paragraphs.push(t("mail-decision-see-detail"));
    compose(
        texts,
        user,
        &format!("application-{}", news.status_code().to_ascii_lowercase()),
        subject,
        &paragraphs,
    )
}

/// A mail to `user` in their language: the paragraphs, then the portal's signature, as text and
/// as HTML.
pub(crate) fn compose(
    texts: &Texts,
    user: &User,
    kind: &str,
    subject: String,
    paragraphs: &[String],
) -> NewMail {
    let language = user.language;
    let t = |id: &str| texts.get(language, id).to_owned();
    let body_text = format!(
        "{}\n\n-- \n{}\n{}\n",
        paragraphs.join("\n\n"),
        t("mail-signature"),
        t("mail-automatic")
    );
    let body_html = format!(
        "<!doctype html><html lang=\"{lang}\"><body style=\"font-family:sans-serif;line-height:1.5\">\
         {paragraphs}<hr><p style=\"color:#555\">{signature}<br>{automatic}</p></body></html>",
        lang = language.code(),
        paragraphs = paragraphs
            .iter()
            .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
            .collect::<String>(),
        signature = escape(&t("mail-signature")),
        automatic = escape(&t("mail-automatic")),
    );
    NewMail {
        kind: kind.to_owned(),
        recipient: user.email.clone(),
        language,
        subject,
        body_text,
        body_html: Some(body_html),
        not_after: None,
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_mail_is_in_the_recipients_language_and_keeps_the_code_out_of_the_subject() {
        let texts = Texts::load().unwrap();
        let to = EmailAddress::parse("ayse@example.com").unwrap();
        let code = OneTimeCode::parse("123456").unwrap();
        let now = OffsetDateTime::UNIX_EPOCH;
        let tr = login_code(&texts, Language::Tr, &to, &code, 10, now);
        let en = login_code(&texts, Language::En, &to, &code, 10, now);
        assert_ne!(tr.subject, en.subject);
        assert!(!tr.subject.contains("123"));
        assert!(tr.body_text.contains("123 456"));
        assert!(tr.body_text.contains("10 dakika"));
        assert!(en.body_text.contains("10 minutes"));
        assert!(tr.body_html.unwrap().contains("lang=\"tr\""));
    }

    #[test]
    fn the_submission_mail_gives_the_number_in_the_users_language() {
        let texts = Texts::load().unwrap();
        let kind = Labels {
            tr: "Çalışma İzni Muafiyeti".into(),
            en: "Work Permit Exemption".into(),
        };
        let mut user = User {
            id: uuid::Uuid::nil(),
            email: "ayse@example.com".into(),
            language: Language::Tr,
            created_at: OffsetDateTime::UNIX_EPOCH,
            last_sign_in_at: None,
        };
        let number = ApplicationNumber::issue(2026, 42);
        let tr = application_submitted(&texts, &user, &kind, &number);
        user.language = Language::En;
        let en = application_submitted(&texts, &user, &kind, &number);
        for mail in [&tr, &en] {
            assert!(mail.subject.contains("2026-000042"), "{}", mail.subject);
            assert!(mail.body_text.contains("2026-000042"));
            assert!(
                mail.body_html
                    .as_deref()
                    .unwrap_or_default()
                    .contains("2026-000042")
            );
            assert_eq!(mail.recipient, "ayse@example.com");
        }
        assert!(tr.body_text.contains("Çalışma İzni Muafiyeti"));
        assert!(en.body_text.contains("Work Permit Exemption"));
        assert_ne!(tr.subject, en.subject);
    }
}
