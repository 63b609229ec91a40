//! The payment jobs every instance runs: the 30-day rule (reject what is unpaid once the
//! deadline day and the grace for late bank files have passed), the reminder a week before the
//! deadline, and the new year's rates for payments still open on 1 January.
//!
//! Each job asks the store for candidates, then settles each in a transaction of its own that
//! re-checks the state under lock: two instances running a job at once, or one crashing in the
//! middle, neither repeat nor skip anything.

use super::{Payments, mails};
use crate::StorageFailure;
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::payment::{EarlierRate, NoticeItem, REMINDER_DAYS_BEFORE};
use izin_store::{Expiry, ExpiryOutcome, NewAuditEntry, Repricing};
use time::{Date, Duration};

/// How many candidates a job takes per pass.
const BATCH: u32 = 200;

/// What one pass of the jobs did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobReport {
    pub rejected: usize,
    pub reminded: usize,
    pub repriced: usize,
    /// Open notices still at an old year's rates because the new year has none.
    pub rates_missing: u64,
}

impl Payments<'_> {
    /// Runs every payment job once, as of the clock's now.
    pub async fn run_jobs(&self) -> Result<JobReport, StorageFailure> {
        let mut report = JobReport {
            repriced: self.apply_new_year_rates().await?,
            reminded: self.send_reminders().await?,
            rejected: self.reject_overdue().await?,
            ..JobReport::default()
        };
        report.rates_missing = self.app.store.notices_missing_rates().await?;
        metrics::gauge!("izin_payment_notices_missing_rates").set(report.rates_missing as f64);
        if report.rejected + report.reminded + report.repriced > 0 {
            self.app.mail_queued.notify_one();
        }
        Ok(report)
    }

    /// The latest deadline whose rejection is due today: its day has ended and the grace for
    /// late bank files (working days, from the terms) has passed. With several authorities the
    /// longest grace is applied to all: an application is never rejected early.
    fn last_rejectable_deadline(&self, today: Date) -> Option<Date> {
        let grace = super::all_terms()
            .iter()
            .max_by_key(|t| t.grace.working_days)?;
        // rejectable_from grows with the deadline: step back from today to the last deadline
        // already past its grace.
        let mut deadline = today - Duration::days(1);
        while grace.rejectable_from(deadline) > today {
            deadline -= Duration::days(1);
        }
        Some(deadline)
    }

    /// Rejects, once each, the applications whose payment deadline and grace have passed.
    pub async fn reject_overdue(&self) -> Result<usize, StorageFailure> {
        let Some(last_deadline) = self.last_rejectable_deadline(self.today()) else {
            return Ok(0);
        };
        let reason = self.in_both_languages("payment-expired-reason", &[]);
        let mut rejected = 0;
        loop {
            let due = self.app.store.overdue_notices(last_deadline, BATCH).await?;
            if due.is_empty() {
                break;
            }
            let mut progressed = false;
            for application in due {
                let now = self.app.clock.now();
                let outcome = self
                    .app
                    .store
                    .expire_notice(Expiry {
                        application,
                        deadline_on_or_before: last_deadline,
                        reason: reason.clone(),
                        now,
                        mail: self.mail(mails::expired),
                        audit: system_audit(now, application).detail(
                            "event",
                            izin_domain::application::Event::PaymentDeadlinePassed.code(),
                        ),
                    })
                    .await?;
                if outcome == ExpiryOutcome::Rejected {
                    rejected += 1;
                    progressed = true;
                    metrics::counter!("izin_payment_deadline_rejections_total").increment(1);
                }
            }
            if !progressed {
                break;
            }
        }
        Ok(rejected)
    }

    /// Sends the reminder a week before each deadline, once.
    pub async fn send_reminders(&self) -> Result<usize, StorageFailure> {
        let horizon = self.today() + Duration::days(REMINDER_DAYS_BEFORE);
        let due = self.app.store.reminders_due(horizon, BATCH).await?;
        let mut sent = 0;
        for application in due {
            if self
                .app
                .store
                .send_reminder(
                    application,
                    self.app.clock.now(),
                    self.mail(mails::reminder),
                )
                .await?
            {
                sent += 1;
            }
        }
        Ok(sent)
    }

    /// From 1 January, payments still open are due at the new year's rates: recomputed from
    /// the fee table by the kind's own fee rule, the applicant told, the history saying why. A
    /// year without rates changes nothing silently: the notice is marked, officers and
    /// `/metrics` see it.
    pub async fn apply_new_year_rates(&self) -> Result<usize, StorageFailure> {
        let year = self.today().year();
        let fees = &self.app.catalog.fees;
        let published_year = fees.for_year(year).filter(|t| t.year == year).is_some();
        let mut repriced = 0;
        loop {
            // Without the year's rates, marked notices drop out of the list, so marking pages
            // through all of them; with the rates, repriced ones drop out.
            let candidates = self
                .app
                .store
                .notices_priced_before(year, published_year, BATCH)
                .await?;
            if candidates.is_empty() {
                break;
            }
            let mut progressed = false;
            for (record, notice) in candidates {
                let new_amounts = if published_year {
                    self.amounts_for_year(&record, notice.basis.as_deref(), year)
                } else {
                    None
                };
                let Some(new_amounts) = new_amounts else {
                    if self.app.store.mark_rates_missing(record.id, year).await? {
                        progressed = true;
                        tracing::warn!(
                            application = %record.id,
                            year,
                            "a payment is still open but the fee table has no rates for the new year; the old amounts stay"
                        );
                    }
                    continue;
                };
                if self.reprice(&record, &notice, &new_amounts, year).await? {
                    repriced += 1;
                    progressed = true;
                }
            }
            if !progressed {
                break;
            }
        }
        Ok(repriced)
    }

    /// Applies `new_amounts` (at `year`'s rates) to the unpaid amounts of `notice`.
    async fn reprice(
        &self,
        record: &izin_domain::records::ApplicationRecord,
        notice: &izin_domain::payment::PaymentNotice,
        new_amounts: &[izin_domain::money::Amount],
        year: i32,
    ) -> Result<bool, StorageFailure> {
        let priced_year = notice
            .items
            .iter()
            .filter(|i| !i.paid)
            .map(|i| i.amount.year)
            .min()
            .unwrap_or(year);
        let items: Vec<NoticeItem> = notice
            .items
            .iter()
            .map(|item| {
                if item.paid {
                    return item.clone();
                }
                match new_amounts
                    .iter()
                    .find(|a| a.account_code == item.amount.account_code)
                {
                    Some(new) => NoticeItem {
                        amount: new.clone(),
                        earlier: Some(EarlierRate {
                            year: item.amount.year,
                            amount: item.amount.amount,
                        }),
                        paid: false,
                    },
                    None => item.clone(),
                }
            })
            .collect();
        let reason = self.in_both_languages(
            "payment-repriced-reason",
            &[("year", izin_i18n::Value::from(i64::from(year)))],
        );
        let mail = self.mail(move |texts, user, kind, record, notice| {
            mails::repriced(texts, user, kind, record, notice, year)
        });
        let now = self.app.clock.now();
        Ok(self
            .app
            .store
            .reprice_notice(Repricing {
                application: record.id,
                priced_year,
                items,
                reason,
                now,
                mail,
                audit: system_audit(now, record.id).detail(
                    "event",
                    izin_domain::application::Event::RecomputeFees.code(),
                ),
            })
            .await?)
    }

    /// The amounts `record` owes at `year`'s rates, by its kind's fee rule (with the review's
    /// decision as `basis` for kinds whose price an officer decides).
    fn amounts_for_year(
        &self,
        record: &izin_domain::records::ApplicationRecord,
        basis: Option<&str>,
        year: i32,
    ) -> Option<Vec<izin_domain::money::Amount>> {
        let kind = self.app.applications().kind(record.kind);
        let data = kind.read(&record.data).ok()?;
        let assessment = match basis {
            Some(outcome) if data.fees_decided_after_review() => {
                data.fees_after_review(outcome, year)?
            }
            _ => data.fees(year)?,
        };
        Some(assessment.amounts(&self.app.catalog.fees))
    }
}

fn system_audit(now: time::OffsetDateTime, application: uuid::Uuid) -> NewAuditEntry {
    NewAuditEntry::new(
        now,
        Actor::System,
        AuditAction::ApplicationMoved,
        &ClientInfo::default(),
    )
    .subject(format!("application:{application}"))
}
