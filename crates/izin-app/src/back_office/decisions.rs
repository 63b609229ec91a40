//! What officers decide, each through the one lifecycle with its history entry, audit entry and
//! the applicant's mail in one transaction: taking an application from the queue, releasing and
//! reassigning it, asking for a revision (naming what reopens), rejecting and cancelling with a
//! coded reason of the kind's catalogue, approving with the amounts the kind's fee policy
//! computes (a fee that is not published is never used silently), the second approval where the
//! catalogue asks for four eyes, and internal notes.

use super::evaluation::reopenable;
use super::{BackOffice, BackOfficeError};
use crate::mails::{self, DecisionNews};
use izin_domain::application::{Event, Status};
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::back_office::{OfficerDecision, Proposal};
use izin_domain::decision_reasons::{Decision, DecisionReason, DecisionReasons, for_kind};
use izin_domain::money::Amount;
use izin_domain::officer::{OfficerAction, Role, second_approval};
use izin_domain::profile::Violation;
use izin_domain::records::{ApplicationRecord, Officer};
use izin_store::{
    AssignOutcome, Assignment, NewMail, NewNote, OfficerScope, ProposalOutcome, ProposalWrite,
    Take, TakeOutcome, Transition, TransitionOutcome,
};
use std::sync::OnceLock;
use uuid::Uuid;

/// The longest text an officer writes into a decision or a note.
const MAX_TEXT: usize = 4000;

/// Every authority's coded reasons, validated when first used (and by the tests).
fn all_reasons() -> Result<&'static [DecisionReasons], BackOfficeError> {
    static REASONS: OnceLock<Result<Vec<DecisionReasons>, String>> = OnceLock::new();
    REASONS
        .get_or_init(|| DecisionReasons::embedded().map_err(|e| e.to_string()))
        .as_deref()
        .map_err(|e| BackOfficeError::Files(format!("decision reasons: {e}")))
}

/// What an approval asks for besides the application.
#[derive(Debug, Clone, Default)]
pub struct ApprovalInput {
    /// The decision of a fee review, for kinds whose fees an officer decides.
    pub review: Option<String>,
    /// An administrator confirms amounts that use a fee not published for their year.
    pub confirm_estimate: bool,
}

/// What an approval decides: the amounts, who confirmed an estimate, the review's decision.
struct Approving {
    amounts: Vec<Amount>,
    estimate_confirmed_by: Option<Uuid>,
    basis: Option<String>,
}

/// The review's decision an approval's amounts come from, kept so the new year's amounts come
/// from the same decision.
fn review_basis(input: &ApprovalInput) -> Option<String> {
    input
        .review
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
}

/// How an approval ended.
#[derive(Debug, Clone)]
pub enum ApprovalOutcome {
    /// Approved: PAYMENT_PENDING with the amounts, or APPROVAL when nothing is due.
    Decided {
        record: ApplicationRecord,
        amounts: Vec<Amount>,
    },
    /// Recorded as a proposal; a second officer with the approver role confirms it.
    AwaitingSecondApproval { record: ApplicationRecord },
}

fn text_field(field: &str, text: &str, required: bool) -> Result<String, Violation> {
    let text = text.trim();
    if required && text.is_empty() {
        return Err(Violation::new(field, "officer-text-required"));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(Violation::new(field, "officer-text-too-long"));
    }
    Ok(text.to_owned())
}

impl BackOffice<'_> {
    /// The coded reasons of `decision` for applications of `kind`.
    pub fn reasons(
        &self,
        kind: izin_domain::application::Kind,
        decision: Decision,
    ) -> Result<Vec<DecisionReason>, BackOfficeError> {
        Ok(for_kind(all_reasons()?, kind)
            .map(|reasons| reasons.reasons(decision).to_vec())
            .unwrap_or_default())
    }

    fn reason(
        &self,
        record: &ApplicationRecord,
        decision: Decision,
        code: &str,
    ) -> Result<DecisionReason, BackOfficeError> {
        for_kind(all_reasons()?, record.kind)
            .and_then(|reasons| reasons.reason(decision, code.trim()))
            .cloned()
            .ok_or_else(|| {
                BackOfficeError::Invalid(vec![Violation::new("reason", "officer-reason-unknown")])
            })
    }

    /// Takes the application: SUBMITTED becomes UNDER_EVALUATION (the applicant is told); one
    /// officer holds it at a time, and a second one is told who does.
    pub async fn take(
        &self,
        officer: &Officer,
        id: Uuid,
        client: &ClientInfo,
    ) -> Result<ApplicationRecord, BackOfficeError> {
        let record = self
            .application_for(officer, id, OfficerAction::Take)
            .await?;
        let mail = self.mail(&record, &DecisionNews::UnderEvaluation).await?;
        let outcome = self
            .app
            .store
            .take_application(Take {
                id,
                authority: officer.authority,
                officer: officer.id,
                now: self.app.clock.now(),
                mail,
                audit: self.audit(
                    officer,
                    AuditAction::ApplicationTaken,
                    format!("application:{id}"),
                    client,
                ),
            })
            .await?;
        match outcome {
            TakeOutcome::Taken { .. } => {
                self.app.mail_queued.notify_one();
                self.reload(id).await
            }
            TakeOutcome::HeldBy(other) => Err(BackOfficeError::HeldBy {
                officer: other,
                email: self.officer_email(other).await?,
            }),
            TakeOutcome::NotFound => Err(BackOfficeError::NotFound),
            TakeOutcome::NotOpen(lifecycle) => Err(BackOfficeError::NotOpen(lifecycle.status)),
        }
    }

    /// Gives the application back to the queue: its holder may, and an approver may for anyone.
    pub async fn release(
        &self,
        officer: &Officer,
        id: Uuid,
        client: &ClientInfo,
    ) -> Result<ApplicationRecord, BackOfficeError> {
        let record = self
            .application_for(officer, id, OfficerAction::Read)
            .await?;
        if record.assigned_to != Some(officer.id) {
            self.application_for(officer, id, OfficerAction::Release)
                .await?;
        }
        self.assign(officer, &record, None, client).await
    }

    /// Gives the application to another officer of the authority (an approver's move).
    pub async fn reassign(
        &self,
        officer: &Officer,
        id: Uuid,
        to_email: &str,
        client: &ClientInfo,
    ) -> Result<ApplicationRecord, BackOfficeError> {
        let record = self
            .application_for(officer, id, OfficerAction::Reassign)
            .await?;
        let to = izin_domain::EmailAddress::parse(to_email)
            .ok()
            .map(|email| email.key().to_owned());
        let target = match to {
            Some(key) => self.app.store.officer_by_email_key(&key).await?,
            None => None,
        }
        .filter(|o| {
            o.authority == officer.authority
                && o.disabled_at.is_none()
                && o.roles.has(Role::Evaluator)
        })
        .ok_or_else(|| BackOfficeError::Invalid(vec![Violation::new("to", "officer-unknown")]))?;
        self.assign(officer, &record, Some(target.id), client).await
    }

    async fn assign(
        &self,
        officer: &Officer,
        record: &ApplicationRecord,
        to: Option<Uuid>,
        client: &ClientInfo,
    ) -> Result<ApplicationRecord, BackOfficeError> {
        let id = record.id;
        let outcome = self
            .app
            .store
            .assign_application(Assignment {
                id,
                authority: officer.authority,
                to,
                now: self.app.clock.now(),
                audit: self
                    .audit(
                        officer,
                        AuditAction::ApplicationAssigned,
                        format!("application:{id}"),
                        client,
                    )
                    .detail("to", to.map(|t| t.to_string())),
            })
            .await?;
        match outcome {
            AssignOutcome::Assigned => self.reload(id).await,
            AssignOutcome::NotFound => Err(BackOfficeError::NotFound),
            AssignOutcome::NotOpen(lifecycle) => Err(BackOfficeError::NotOpen(lifecycle.status)),
        }
    }

    /// Asks the applicant to revise: what to change, and which steps, document slots and User
    /// Information sections reopen (nothing else can change in the revision).
    pub async fn request_revision(
        &self,
        officer: &Officer,
        id: Uuid,
        message: &str,
        reopen: &[String],
        client: &ClientInfo,
    ) -> Result<ApplicationRecord, BackOfficeError> {
        let record = self
            .application_for(officer, id, OfficerAction::Move(Event::RequestRevision))
            .await?;
        let kind = self.app.applications().kind(record.kind);
        let data = kind
            .read(&record.data)
            .map_err(|e| BackOfficeError::Application(e.into()))?;
        let allowed = reopenable(
            kind.as_ref(),
            data.as_ref(),
            record.columns.category.as_deref(),
        );
        let mut violations = Vec::new();
        let message = text_field("message", message, true).unwrap_or_else(|v| {
            violations.push(v);
            String::new()
        });
        let mut chosen: Vec<String> = Vec::new();
        for name in reopen.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            if !allowed.iter().any(|r| r.name == name) {
                violations
                    .push(Violation::new("reopen", "officer-reopen-unknown").arg("name", name));
            } else if !chosen.iter().any(|c| c == name) {
                chosen.push(name.to_owned());
            }
        }
        if chosen.is_empty() && violations.is_empty() {
            violations.push(Violation::new("reopen", "officer-reopen-required"));
        }
        if !violations.is_empty() {
            return Err(BackOfficeError::Invalid(violations));
        }
        let news = DecisionNews::Revision { message: &message };
        self.decide(
            officer,
            &record,
            Event::RequestRevision,
            Some(message.clone()),
            OfficerDecision::Revision {
                message: message.clone(),
                reopen: chosen,
            },
            &news,
            false,
            client,
        )
        .await
    }

    /// Rejects with a coded reason of the kind's catalogue and the officer's text.
    pub async fn reject(
        &self,
        officer: &Officer,
        id: Uuid,
        reason: &str,
        text: &str,
        client: &ClientInfo,
    ) -> Result<ApplicationRecord, BackOfficeError> {
        self.reasoned(officer, id, Decision::Reject, reason, text, client)
            .await
    }

    /// Cancels what an approval granted (an ACTIVE exemption), with a coded reason.
    pub async fn cancel(
        &self,
        officer: &Officer,
        id: Uuid,
        reason: &str,
        text: &str,
        client: &ClientInfo,
    ) -> Result<ApplicationRecord, BackOfficeError> {
        self.reasoned(officer, id, Decision::Cancel, reason, text, client)
            .await
    }

    async fn reasoned(
        &self,
        officer: &Officer,
        id: Uuid,
        decision: Decision,
        reason: &str,
        text: &str,
        client: &ClientInfo,
    ) -> Result<ApplicationRecord, BackOfficeError> {
        let event = match decision {
            Decision::Reject => Event::Reject,
            Decision::Cancel => Event::CancelExemption,
        };
        let record = self
            .application_for(officer, id, OfficerAction::Move(event))
            .await?;
        let reason = self.reason(&record, decision, reason)?;
        let text =
            text_field("text", text, false).map_err(|v| BackOfficeError::Invalid(vec![v]))?;
        // The history says the reason in the applicant's words, with the officer's text.
        let history = if text.is_empty() {
            reason.code.clone()
        } else {
            format!("{}: {text}", reason.code)
        };
        let (stored, news) = match decision {
            Decision::Reject => (
                OfficerDecision::Rejected {
                    reason: reason.code.clone(),
                    text: text.clone(),
                },
                DecisionNews::Rejected {
                    reason: &reason,
                    text: &text,
                },
            ),
            Decision::Cancel => (
                OfficerDecision::Cancelled {
                    reason: reason.code.clone(),
                    text: text.clone(),
                },
                DecisionNews::Cancelled {
                    reason: &reason,
                    text: &text,
                },
            ),
        };
        // An exemption is cancelled by whoever of the authority evaluates, without holding it.
        let holder_free = decision == Decision::Cancel;
        self.decide(
            officer,
            &record,
            event,
            Some(history),
            stored,
            &news,
            holder_free,
            client,
        )
        .await
    }

    /// Approves: the kind's fee policy computes the amounts (PAYMENT_PENDING, or APPROVAL when
    /// nothing is due). Where the category needs four eyes, the first approval is recorded as a
    /// proposal for a second officer.
    pub async fn approve(
        &self,
        officer: &Officer,
        id: Uuid,
        input: &ApprovalInput,
        client: &ClientInfo,
    ) -> Result<ApprovalOutcome, BackOfficeError> {
        let record = self
            .application_for(officer, id, OfficerAction::Move(Event::ApproveWithFees))
            .await?;
        let kind = self.app.applications().kind(record.kind);
        // The amounts are checked now so that a proposal is not made on amounts nobody could
        // confirm.
        let amounts = self.amounts(&record, input)?;
        let estimate_confirmed_by = self.estimate_confirmation(officer, &amounts, input)?;
        if kind.second_approval(record.columns.category.as_deref()) {
            if record.assigned_to != Some(officer.id) {
                return Err(BackOfficeError::NotHolder {
                    held_by: match record.assigned_to {
                        Some(holder) => Some(self.officer_email(holder).await?),
                        None => None,
                    },
                });
            }
            let now = self.app.clock.now();
            let outcome = self
                .app
                .store
                .set_proposal(ProposalWrite {
                    id,
                    authority: officer.authority,
                    officer: officer.id,
                    proposal: Some(Proposal {
                        proposed_by: officer.id,
                        proposed_at: now,
                        estimate_confirmed_by,
                    }),
                    now,
                    audit: self.audit(
                        officer,
                        AuditAction::ApprovalProposed,
                        format!("application:{id}"),
                        client,
                    ),
                })
                .await?;
            return match outcome {
                ProposalOutcome::Recorded => Ok(ApprovalOutcome::AwaitingSecondApproval {
                    record: self.reload(id).await?,
                }),
                ProposalOutcome::NotFound => Err(BackOfficeError::NotFound),
                ProposalOutcome::NotHolder { held_by } => Err(self.not_holder(held_by).await?),
                ProposalOutcome::NotUnderEvaluation(lifecycle) => {
                    Err(BackOfficeError::Transition {
                        status: lifecycle.status,
                        refusal: izin_domain::application::TransitionError::NotAllowed {
                            from: lifecycle.status,
                            event: Event::ApproveWithFees,
                        },
                    })
                }
            };
        }
        // The officer approving must hold the application (the store checks it).
        self.finish_approval(
            officer,
            &record,
            Approving {
                amounts,
                estimate_confirmed_by,
                basis: review_basis(input),
            },
            Some(officer.id),
            client,
        )
        .await
    }

    /// The second approval: another officer with the approver role confirms the proposal; the
    /// amounts are computed now.
    pub async fn confirm_approval(
        &self,
        officer: &Officer,
        id: Uuid,
        input: &ApprovalInput,
        client: &ClientInfo,
    ) -> Result<ApprovalOutcome, BackOfficeError> {
        let record = self
            .application_for(officer, id, OfficerAction::ConfirmApproval)
            .await?;
        let proposal = record.proposal.clone().ok_or(BackOfficeError::NoProposal)?;
        second_approval(proposal.proposed_by, officer.id)?;
        let amounts = self.amounts(&record, input)?;
        let confirmed = match proposal.estimate_confirmed_by {
            Some(admin) => Some(admin),
            None => self.estimate_confirmation(officer, &amounts, input)?,
        };
        self.finish_approval(
            officer,
            &record,
            Approving {
                amounts,
                estimate_confirmed_by: confirmed,
                basis: review_basis(input),
            },
            Some(proposal.proposed_by),
            client,
        )
        .await
    }

    /// Sends a proposed approval back to its proposer with a note (an approver's move).
    pub async fn return_proposal(
        &self,
        officer: &Officer,
        id: Uuid,
        note: &str,
        client: &ClientInfo,
    ) -> Result<ApplicationRecord, BackOfficeError> {
        let record = self
            .application_for(officer, id, OfficerAction::ConfirmApproval)
            .await?;
        let proposal = record.proposal.clone().ok_or(BackOfficeError::NoProposal)?;
        second_approval(proposal.proposed_by, officer.id)?;
        let note = text_field("note", note, true).map_err(|v| BackOfficeError::Invalid(vec![v]))?;
        let now = self.app.clock.now();
        let outcome = self
            .app
            .store
            .set_proposal(ProposalWrite {
                id,
                authority: officer.authority,
                officer: proposal.proposed_by,
                proposal: None,
                now,
                audit: self.audit(
                    officer,
                    AuditAction::ProposalReturned,
                    format!("application:{id}"),
                    client,
                ),
            })
            .await?;
        match outcome {
            ProposalOutcome::Recorded => {}
            ProposalOutcome::NotFound => return Err(BackOfficeError::NotFound),
            ProposalOutcome::NotHolder { .. } | ProposalOutcome::NotUnderEvaluation(_) => {
                return Err(BackOfficeError::NoProposal);
            }
        }
        self.add_note(officer, id, &note, client).await?;
        self.reload(id).await
    }

    /// An internal note, seen only by officers.
    pub async fn add_note(
        &self,
        officer: &Officer,
        id: Uuid,
        text: &str,
        client: &ClientInfo,
    ) -> Result<(), BackOfficeError> {
        let record = self
            .application_for(officer, id, OfficerAction::Read)
            .await?;
        if !(officer.roles.has(Role::Evaluator) || officer.roles.has(Role::Approver)) {
            return Err(BackOfficeError::RoleMissing(Role::Evaluator));
        }
        let text = text_field("text", text, true).map_err(|v| BackOfficeError::Invalid(vec![v]))?;
        let added = self
            .app
            .store
            .add_note(NewNote {
                application: record.id,
                authority: officer.authority,
                officer: officer.id,
                text,
                now: self.app.clock.now(),
                audit: self.audit(
                    officer,
                    AuditAction::NoteAdded,
                    format!("application:{id}"),
                    client,
                ),
            })
            .await?;
        if added {
            Ok(())
        } else {
            Err(BackOfficeError::NotFound)
        }
    }

    /// The amounts an approval of `record` sets today: from the kind's fee policy, or from the
    /// review's decision for kinds whose fees an officer decides.
    fn amounts(
        &self,
        record: &ApplicationRecord,
        input: &ApprovalInput,
    ) -> Result<Vec<Amount>, BackOfficeError> {
        let kind = self.app.applications().kind(record.kind);
        let data = kind
            .read(&record.data)
            .map_err(|e| BackOfficeError::Application(e.into()))?;
        let year = izin_domain::calendar::today_in_turkiye(self.app.clock.now()).year();
        let fees = if data.fees_decided_after_review() {
            let Some(outcome) = input.review.as_deref().filter(|r| !r.trim().is_empty()) else {
                return Err(BackOfficeError::Invalid(vec![Violation::new(
                    "review",
                    "officer-review-required",
                )]));
            };
            Some(data.fees_after_review(outcome, year).ok_or_else(|| {
                BackOfficeError::Invalid(vec![Violation::new("review", "officer-review-unknown")])
            })?)
        } else {
            data.fees(year)
        };
        Ok(fees
            .map(|f| f.amounts(&self.app.catalog.fees))
            .unwrap_or_default())
    }

    /// Amounts using a fee not published for their year need an administrator's confirmation:
    /// who confirmed (`None`: nothing needed confirming).
    fn estimate_confirmation(
        &self,
        officer: &Officer,
        amounts: &[Amount],
        input: &ApprovalInput,
    ) -> Result<Option<Uuid>, BackOfficeError> {
        let Some(year) = amounts.iter().find(|a| !a.published).map(|a| a.year) else {
            return Ok(None);
        };
        if input.confirm_estimate && officer.roles.has(Role::Admin) {
            Ok(Some(officer.id))
        } else {
            Err(BackOfficeError::UnpublishedFee { year })
        }
    }

    async fn finish_approval(
        &self,
        officer: &Officer,
        record: &ApplicationRecord,
        approving: Approving,
        holder: Option<Uuid>,
        client: &ClientInfo,
    ) -> Result<ApprovalOutcome, BackOfficeError> {
        let Approving {
            amounts,
            estimate_confirmed_by,
            basis,
        } = approving;
        let (event, news) = if amounts.is_empty() {
            (Event::ApproveDirectly, DecisionNews::Approved)
        } else {
            (
                Event::ApproveWithFees,
                DecisionNews::PaymentPending {
                    amounts: &amounts,
                    days: self.app.catalog.fees.payment_deadline_days,
                },
            )
        };
        let mut transition = self
            .transition(
                officer,
                record,
                event,
                None,
                OfficerDecision::Approved {
                    amounts: amounts.clone(),
                    estimate_confirmed_by,
                },
                &news,
                client,
            )
            .await?;
        // A second approval acts for the holder whose proposal it confirms.
        if let Some(scope) = transition.officer.as_mut() {
            scope.holder = holder;
        }
        if !amounts.is_empty() {
            // The notice (with its reference number and mail) is made in the same transaction.
            transition.payment = Some(
                self.app
                    .payments()
                    .notice_for(record, amounts.clone(), basis, client)
                    .await?,
            );
        }
        if let Some(admin) = estimate_confirmed_by {
            transition.audit = transition
                .audit
                .detail("estimate_confirmed_by", admin.to_string());
        }
        let record = self.run(record, transition).await?;
        Ok(ApprovalOutcome::Decided { record, amounts })
    }

    #[allow(clippy::too_many_arguments)]
    async fn decide(
        &self,
        officer: &Officer,
        record: &ApplicationRecord,
        event: Event,
        reason: Option<String>,
        decision: OfficerDecision,
        news: &DecisionNews<'_>,
        holder_free: bool,
        client: &ClientInfo,
    ) -> Result<ApplicationRecord, BackOfficeError> {
        let mut transition = self
            .transition(officer, record, event, reason, decision, news, client)
            .await?;
        if holder_free && let Some(scope) = transition.officer.as_mut() {
            scope.holder = None;
        }
        self.run(record, transition).await
    }

    /// The transition an officer's decision makes, with the applicant's mail.
    #[allow(clippy::too_many_arguments)]
    async fn transition(
        &self,
        officer: &Officer,
        record: &ApplicationRecord,
        event: Event,
        reason: Option<String>,
        decision: OfficerDecision,
        news: &DecisionNews<'_>,
        client: &ClientInfo,
    ) -> Result<Transition, BackOfficeError> {
        let kind = self.app.applications().kind(record.kind);
        let fees_due =
            matches!(&decision, OfficerDecision::Approved { amounts, .. } if !amounts.is_empty());
        Ok(Transition {
            id: record.id,
            owner: None,
            event,
            actor: Actor::Officer(officer.id),
            reason,
            fees_due,
            approval_outcome: kind.outcome_on_approval(),
            resubmission: None,
            officer: Some(OfficerScope {
                authority: officer.authority,
                holder: Some(officer.id),
                decision: Some(decision),
                clear_proposal: true,
            }),
            payment: None,
            now: self.app.clock.now(),
            mail: self.mail(record, news).await?,
            audit: self
                .audit(
                    officer,
                    AuditAction::ApplicationMoved,
                    format!("application:{}", record.id),
                    client,
                )
                .detail("event", event.code()),
        })
    }

    async fn run(
        &self,
        record: &ApplicationRecord,
        transition: Transition,
    ) -> Result<ApplicationRecord, BackOfficeError> {
        let event = transition.event;
        match self.app.store.transition_application(transition).await? {
            TransitionOutcome::Moved { .. } => {
                // A cancellation shows at /verify at once.
                self.app.recent_verifications.forget_all();
                self.app.mail_queued.notify_one();
                metrics::counter!("izin_officer_decisions_total", "event" => event.code())
                    .increment(1);
                self.reload(record.id).await
            }
            TransitionOutcome::NotFound => Err(BackOfficeError::NotFound),
            TransitionOutcome::NotHolder { held_by } => Err(self.not_holder(held_by).await?),
            TransitionOutcome::Refused(refusal) => {
                let current = self.reload(record.id).await?;
                Err(BackOfficeError::Transition {
                    status: current.lifecycle.status,
                    refusal,
                })
            }
            TransitionOutcome::Stale | TransitionOutcome::MissingDocuments(_) => Err(
                BackOfficeError::Application(crate::applications::ApplicationError::Conflict),
            ),
        }
    }

    async fn not_holder(&self, held_by: Option<Uuid>) -> Result<BackOfficeError, BackOfficeError> {
        Ok(BackOfficeError::NotHolder {
            held_by: match held_by {
                Some(holder) => Some(self.officer_email(holder).await?),
                None => None,
            },
        })
    }

    async fn reload(&self, id: Uuid) -> Result<ApplicationRecord, BackOfficeError> {
        self.app
            .store
            .application(None, id)
            .await?
            .ok_or(BackOfficeError::NotFound)
    }

    /// The applicant's mail about `news`, in their language.
    async fn mail(
        &self,
        record: &ApplicationRecord,
        news: &DecisionNews<'_>,
    ) -> Result<Option<NewMail>, BackOfficeError> {
        let Some(user) = self.app.store.user(record.user_id).await? else {
            return Ok(None);
        };
        let kind = self.app.applications().describe(record);
        Ok(Some(mails::application_decided(
            &self.app.texts,
            &user,
            &kind,
            record.number.as_deref().unwrap_or_default(),
            news,
        )))
    }
}

/// The officer's last decision as the applicant reads it: what to change and what reopened, the
/// coded reason with its legal basis and how to object, the amounts due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainedDecision {
    /// `revision`, `rejected`, `approved` or `cancelled`.
    pub decision: &'static str,
    /// The officer's text (a revision's request, a rejection's explanation).
    pub text: Option<String>,
    pub reopen: Vec<String>,
    pub reason: Option<DecisionReason>,
    pub amounts: Vec<Amount>,
}

/// The decision that stands on `record` now (a revision's request only while in REVISION).
pub fn explain(record: &ApplicationRecord) -> Option<ExplainedDecision> {
    let reasoned = |decision: Decision, code: &str| {
        all_reasons()
            .ok()
            .and_then(|all| for_kind(all, record.kind))
            .and_then(|reasons| reasons.reason(decision, code))
            .cloned()
    };
    let text = |t: &str| Some(t.to_owned()).filter(|t| !t.trim().is_empty());
    match record.decision.as_ref()? {
        OfficerDecision::Revision { message, reopen } => {
            (record.lifecycle.status == Status::Revision).then(|| ExplainedDecision {
                decision: "revision",
                text: text(message),
                reopen: reopen.clone(),
                reason: None,
                amounts: Vec::new(),
            })
        }
        OfficerDecision::Rejected { reason, text: t } => Some(ExplainedDecision {
            decision: "rejected",
            text: text(t),
            reopen: Vec::new(),
            reason: reasoned(Decision::Reject, reason),
            amounts: Vec::new(),
        }),
        OfficerDecision::Approved { amounts, .. } => Some(ExplainedDecision {
            decision: "approved",
            text: None,
            reopen: Vec::new(),
            reason: None,
            amounts: amounts.clone(),
        }),
        OfficerDecision::Cancelled { reason, text: t } => Some(ExplainedDecision {
            decision: "cancelled",
            text: text(t),
            reopen: Vec::new(),
            reason: reasoned(Decision::Cancel, reason),
            amounts: Vec::new(),
        }),
    }
}
