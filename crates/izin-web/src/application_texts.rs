//! What the pages and the API both say about applications: a failed rule's message and where to
//! fix it, situations and events in words, and which actions an applicant has.

use crate::context::RequestContext;
use izin_domain::application::{
    Event, ExemptionStatus, Lifecycle, Role, RuleFailure, Status, Step,
};
use izin_domain::records::ApplicationRecord;
use izin_i18n::Value;
use uuid::Uuid;

/// A failed rule of "Create My Application", in the request's language.
pub fn rule_message(
    ctx: &RequestContext,
    app: &izin_app::App,
    about: Option<&ApplicationRecord>,
    failure: &RuleFailure,
) -> String {
    let mut args: Vec<(&str, Value<'_>)> = failure
        .args
        .iter()
        .map(|(name, value)| (*name, Value::from(display_arg(value))))
        .collect();
    match failure.code {
        "rule-field-missing" | "rule-employer-incomplete" => {
            args.push(("label", Value::from(question_name(ctx, failure.field))));
        }
        "rule-document-missing" => {
            let slot = failure
                .args
                .iter()
                .find(|(name, _)| *name == "slot")
                .map(|(_, v)| v.as_str())
                .unwrap_or_default();
            let label = match about.and_then(|record| {
                app.applications()
                    .kind(record.kind)
                    .slot_label(record.columns.category.as_deref(), slot)
            }) {
                Some(label) => label.get(ctx.language).to_owned(),
                None if ctx.texts.has(&format!("slot-{slot}")) => {
                    ctx.t(&format!("slot-{slot}")).to_owned()
                }
                None => slot.to_owned(),
            };
            args.push(("label", Value::from(label)));
        }
        "rule-other-application-pending" if !failure.args.iter().any(|(n, _)| *n == "number") => {
            args.push(("number", Value::from("none")));
        }
        _ => {}
    }
    ctx.tf(failure.code, &args)
}

/// The question a field asks, as a message names it: its label, or where the label is only
/// "Please Choose" (as some radio groups are labelled), the question itself.
fn question_name(ctx: &RequestContext, field: Option<&str>) -> String {
    let field = field.unwrap_or_default();
    let name = format!("field-{field}-name");
    if ctx.texts.has(&name) {
        ctx.t(&name).to_owned()
    } else {
        ctx.t(&format!("field-{field}")).to_owned()
    }
}

/// "You already have an application under evaluation (2026-000042)…": the message of the
/// pending application that stops a new one.
pub fn pending_message(ctx: &RequestContext, number: Option<&str>) -> String {
    ctx.tf(
        "rule-other-application-pending",
        &[("number", Value::from(number.unwrap_or("none").to_owned()))],
    )
}

/// The wizard step a rule is fixed in, as the key the API reports (`profile`, `employment`, …).
pub fn rule_location(failure: &RuleFailure) -> String {
    match failure.field {
        Some(field) => format!("{}.{field}", failure.step.code()),
        None => failure.step.code().to_owned(),
    }
}

/// The page where a rule is fixed; `None` for a rule nothing in the wizard or User Information
/// can fix (another application is pending: it has to be concluded first).
pub fn rule_link(id: Uuid, failure: &RuleFailure) -> Option<String> {
    // The anchor is the form input's id (`previous_passport.number` → `previous_passport_number`).
    let anchor = failure
        .field
        .map(|f| format!("#{}", crate::forms::form_id(f)))
        .unwrap_or_default();
    match failure.step {
        Step::PROFILE => Some("/profile".to_owned()),
        Step::MY_APPLICATIONS => None,
        step => Some(format!("/applications/{id}/{}{anchor}", step.code())),
    }
}

pub fn status_label(ctx: &RequestContext, status: Status) -> String {
    ctx.t(&format!("status-{}", status.code())).to_owned()
}

pub fn exemption_label(ctx: &RequestContext, exemption: ExemptionStatus) -> String {
    ctx.t(&format!("exemption-{}", exemption.code())).to_owned()
}

pub fn event_label(ctx: &RequestContext, event: Event, version: i32) -> String {
    ctx.tf(
        &format!("event-{}", event.code()),
        &[("version", Value::from(version))],
    )
}

/// What an applicant can do with an application in this state: continue or delete a draft, see
/// the detail of a submitted one, revise one in REVISION, ask to cancel an ACTIVE exemption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Detail,
    Continue,
    Delete,
    Revision,
    Cancellation,
}

impl Action {
    pub fn code(self) -> &'static str {
        match self {
            Action::Detail => "detail",
            Action::Continue => "continue",
            Action::Delete => "delete",
            Action::Revision => "revision",
            Action::Cancellation => "cancellation",
        }
    }
}

/// The applicant's actions, read from the lifecycle so they can never offer an illegal move.
pub fn applicant_actions(lifecycle: Lifecycle, cancellation_requested: bool) -> Vec<Action> {
    if lifecycle.status == Status::Draft {
        return vec![Action::Continue, Action::Delete];
    }
    let mut actions = vec![Action::Detail];
    let possible = lifecycle.possible(Role::Applicant, false);
    if possible.contains(&Event::Resubmit) {
        actions.push(Action::Revision);
    }
    if possible.contains(&Event::RequestCancellation) && !cancellation_requested {
        actions.push(Action::Cancellation);
    }
    actions
}

/// A date and time in Türkiye's time, day/month/year as everywhere on the pages
/// (`12/01/2023 15:10`); where the zone is not said around it, use [`date_time_zoned`].
pub fn date_time(at: time::OffsetDateTime) -> String {
    let local = at.to_offset(izin_domain::calendar::TURKIYE);
    format!(
        "{} {:02}:{:02}",
        izin_domain::calendar::display_date(local.date()),
        local.hour(),
        local.minute()
    )
}

/// A date and time that says its zone: `12/01/2023 15:10 (Türkiye time)`.
pub fn date_time_zoned(ctx: &RequestContext, at: time::OffsetDateTime) -> String {
    ctx.tf("time-in-turkiye", &[("time", Value::from(date_time(at)))])
}

/// A date as the pages show it (`17/05/1990`).
pub fn date(day: time::Date) -> String {
    izin_domain::calendar::display_date(day)
}

/// A message argument as people read it: ISO dates (`2027-01-04`, as the rules give them)
/// become day/month/year; anything else stays as it is.
pub fn display_arg(value: &str) -> String {
    match izin_domain::calendar::parse_iso_date(value) {
        Some(day) => date(day),
        None => value.to_owned(),
    }
}

/// "The workplace is registered in Bolu, but you will work in İstanbul…": a province that
/// differs between the SGK registration and the answer, worth a second look.
pub fn workplace_warning(
    ctx: &RequestContext,
    employment: &izin_domain::application::work_permit_exemption::Employment,
) -> Option<String> {
    let registered = employment.workplace_elsewhere()?;
    Some(ctx.tf(
        "workplace-elsewhere",
        &[
            ("registered", izin_i18n::Value::from(registered.to_owned())),
            (
                "work",
                izin_i18n::Value::from(employment.province.clone().unwrap_or_default()),
            ),
        ],
    ))
}

/// The longest exemption a category allows, in words: the catalogue's note where it has one
/// ("the length of the internship, at most 12 months"), else "At most N months". Every page
/// that states a category's limit says it through this, so they cannot disagree.
pub fn category_limit(ctx: &RequestContext, category: &izin_domain::catalog::Category) -> String {
    match &category.max_period_note {
        Some(note) => note.get(ctx.language).to_owned(),
        None => ctx.tf(
            "category-longest",
            &[("months", Value::from(category.max_months))],
        ),
    }
}

/// An amount to pay as one line: its account code, the amount and the currency
/// (`9280 — 12.574,92 TRY`).
pub fn amount_line(ctx: &RequestContext, amount: &izin_domain::money::Amount) -> String {
    format!(
        "{} — {} {}",
        amount.account_code,
        amount.amount.display(ctx.language),
        amount.currency
    )
}

#[cfg(test)]
mod tests {
    use izin_domain::application::{Event, Status};
    use izin_domain::payment::Unmatched;

    /// Every move, situation and unmatched reason the pages name has its text.
    #[test]
    fn every_event_status_and_payment_reason_has_a_text() {
        let texts = izin_i18n::Texts::load().expect("texts");
        let ids = Event::ALL
            .iter()
            .map(|e| format!("event-{}", e.code()))
            .chain(Status::ALL.iter().map(|s| format!("status-{}", s.code())))
            .chain(
                Unmatched::ALL
                    .iter()
                    .map(|u| format!("payment-unmatched-{}", u.code())),
            )
            .chain(
                ["notification", "bank_file", "manual"]
                    .iter()
                    .map(|c| format!("payment-channel-{c}")),
            );
        for id in ids {
            assert!(texts.has(&id), "{id} has no text");
        }
    }
}
