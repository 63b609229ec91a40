//! The one state machine every application goes through, whatever its kind:
//!
//! ```text
//! DRAFT ─submit→ SUBMITTED ─start evaluation→ UNDER_EVALUATION ─request revision→ REVISION
//!                                               ↑                                     │
//!                                               └──────────── resubmit ───────────────┘
//! UNDER_EVALUATION ─approve (fees due)→ PAYMENT_PENDING ─payment confirmed→ APPROVAL
//!                                                       ─30 days unpaid→ REJECTED (no objection)
//! UNDER_EVALUATION ─approve directly (nothing to pay)→ APPROVAL
//! SUBMITTED ─payment required (a new card whose price the reason fixes)→ PAYMENT_PENDING
//! PAYMENT_PENDING ─new year's rates→ PAYMENT_PENDING (amounts recomputed, recorded)
//! REJECTED (deadline) ─reinstate (paid in time, the record arrived late)→ APPROVAL
//! UNDER_EVALUATION ─reject (with reason)→ REJECTED (objection possible)
//! SUBMITTED / UNDER_EVALUATION / REVISION / PAYMENT_PENDING ─withdraw→ WITHDRAWN
//! ```
//!
//! An approved exemption has a status of its own: ACTIVE → EXPIRED at its end date, or
//! CANCELLED by an officer (after the holder's "Exemption Cancellation" request, or otherwise).
//! Every transition names who may make it; [`Lifecycle::apply`] is the only place that decides.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Draft,
    Submitted,
    UnderEvaluation,
    Revision,
    PaymentPending,
    Approval,
    Rejected,
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Draft,
        Status::Submitted,
        Status::UnderEvaluation,
        Status::Revision,
        Status::PaymentPending,
        Status::Approval,
        Status::Rejected,
        Status::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "DRAFT",
            Status::Submitted => "SUBMITTED",
            Status::UnderEvaluation => "UNDER_EVALUATION",
            Status::Revision => "REVISION",
            Status::PaymentPending => "PAYMENT_PENDING",
            Status::Approval => "APPROVAL",
            Status::Rejected => "REJECTED",
            Status::Withdrawn => "WITHDRAWN",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Submitted and not yet decided: blocks a second application.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            Status::Submitted | Status::UnderEvaluation | Status::Revision | Status::PaymentPending
        )
    }

    /// A decision was made or the applicant gave up: the application is concluded.
    pub fn is_concluded(self) -> bool {
        matches!(
            self,
            Status::Approval | Status::Rejected | Status::Withdrawn
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExemptionStatus {
    Active,
    Expired,
    Cancelled,
}

impl ExemptionStatus {
    pub fn code(self) -> &'static str {
        match self {
            ExemptionStatus::Active => "ACTIVE",
            ExemptionStatus::Expired => "EXPIRED",
            ExemptionStatus::Cancelled => "CANCELLED",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            ExemptionStatus::Active,
            ExemptionStatus::Expired,
            ExemptionStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// Who acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Applicant,
    Officer,
    /// The portal itself: deadlines and end dates.
    System,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Applicant, Role::Officer, Role::System];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Submit,
    StartEvaluation,
    RequestRevision,
    Resubmit,
    /// First-stage approval when fees are due.
    ApproveWithFees,
    /// Approval without payment (under 3 months, no document requested).
    ApproveDirectly,
    ConfirmPayment,
    /// A new card whose reason fixes its price is due for payment as soon as it is submitted.
    RequirePayment,
    /// A payment still open at the new year is due at the new year's rates.
    RecomputeFees,
    /// A payment made in time arrived after the deadline's rejection: an approver counts it.
    ReinstatePaid,
    /// 30 days passed without payment: rejected, no objection possible.
    PaymentDeadlinePassed,
    Reject,
    Withdraw,
    /// The holder asks for the exemption to be cancelled (recorded for the officers).
    RequestCancellation,
    /// An officer cancels the exemption.
    CancelExemption,
    /// The exemption's end date passed.
    ExpireExemption,
}

impl Event {
    pub const ALL: [Event; 16] = [
        Event::Submit,
        Event::StartEvaluation,
        Event::RequestRevision,
        Event::Resubmit,
        Event::ApproveWithFees,
        Event::ApproveDirectly,
        Event::ConfirmPayment,
        Event::RequirePayment,
        Event::RecomputeFees,
        Event::ReinstatePaid,
        Event::PaymentDeadlinePassed,
        Event::Reject,
        Event::Withdraw,
        Event::RequestCancellation,
        Event::CancelExemption,
        Event::ExpireExemption,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Event::Submit => "submit",
            Event::StartEvaluation => "start_evaluation",
            Event::RequestRevision => "request_revision",
            Event::Resubmit => "resubmit",
            Event::ApproveWithFees => "approve_with_fees",
            Event::ApproveDirectly => "approve_directly",
            Event::ConfirmPayment => "confirm_payment",
            Event::RequirePayment => "require_payment",
            Event::RecomputeFees => "recompute_fees",
            Event::ReinstatePaid => "reinstate_paid",
            Event::PaymentDeadlinePassed => "payment_deadline_passed",
            Event::Reject => "reject",
            Event::Withdraw => "withdraw",
            Event::RequestCancellation => "request_cancellation",
            Event::CancelExemption => "cancel_exemption",
            Event::ExpireExemption => "expire_exemption",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }

    /// Events that must say why (the applicant reads it).
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            Event::RequestRevision
                | Event::Reject
                | Event::CancelExemption
                | Event::RecomputeFees
                | Event::ReinstatePaid
        )
    }
}

/// Where an application stands: its situation and, once approved, its exemption's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lifecycle {
    pub status: Status,
    pub exemption: Option<ExemptionStatus>,
}

/// What a transition needs to know beyond the event.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts<'a> {
    /// Whether the application's fee policy asks for a payment.
    pub fees_due: bool,
    pub reason: Option<&'a str>,
    /// What an approval starts, as the application's kind declares it (an exemption becomes
    /// ACTIVE; a kind whose approval ends the matter starts nothing).
    pub approval_outcome: Option<ExemptionStatus>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("{event:?} is not possible in {from:?}")]
    NotAllowed { from: Status, event: Event },
    #[error("{role:?} may not {event:?}")]
    NotPermitted { event: Event, role: Role },
    #[error("{event:?} needs a reason")]
    ReasonRequired { event: Event },
    #[error("fees are due: approve with fees")]
    FeesDue,
    #[error("no fees are due: approve directly")]
    NothingToPay,
}

impl TransitionError {
    pub fn code(self) -> &'static str {
        match self {
            TransitionError::NotAllowed { .. } => "transition-not-allowed",
            TransitionError::NotPermitted { .. } => "transition-not-permitted",
            TransitionError::ReasonRequired { .. } => "transition-reason-required",
            TransitionError::FeesDue => "transition-fees-due",
            TransitionError::NothingToPay => "transition-nothing-to-pay",
        }
    }
}

/// One allowed move: from where, on what, to where, and who may make it.
struct Move {
    from: Status,
    event: Event,
    to: Status,
    roles: &'static [Role],
}

const APPLICANT: &[Role] = &[Role::Applicant];
const OFFICER: &[Role] = &[Role::Officer];
const SYSTEM: &[Role] = &[Role::System];
const OFFICER_OR_SYSTEM: &[Role] = &[Role::Officer, Role::System];

/// Every allowed move of the situation; anything not listed is impossible.
const MOVES: &[Move] = &[
    Move {
        from: Status::Draft,
        event: Event::Submit,
        to: Status::Submitted,
        roles: APPLICANT,
    },
    Move {
        from: Status::Submitted,
        event: Event::StartEvaluation,
        to: Status::UnderEvaluation,
        roles: OFFICER,
    },
    Move {
        from: Status::UnderEvaluation,
        event: Event::RequestRevision,
        to: Status::Revision,
        roles: OFFICER,
    },
    Move {
        from: Status::Revision,
        event: Event::Resubmit,
        to: Status::UnderEvaluation,
        roles: APPLICANT,
    },
    Move {
        from: Status::UnderEvaluation,
        event: Event::ApproveWithFees,
        to: Status::PaymentPending,
        roles: OFFICER,
    },
    Move {
        from: Status::UnderEvaluation,
        event: Event::ApproveDirectly,
        to: Status::Approval,
        roles: OFFICER,
    },
    Move {
        from: Status::PaymentPending,
        event: Event::ConfirmPayment,
        to: Status::Approval,
        roles: OFFICER_OR_SYSTEM,
    },
    Move {
        from: Status::Submitted,
        event: Event::RequirePayment,
        to: Status::PaymentPending,
        roles: SYSTEM,
    },
    Move {
        from: Status::PaymentPending,
        event: Event::RecomputeFees,
        to: Status::PaymentPending,
        roles: SYSTEM,
    },
    Move {
        from: Status::Rejected,
        event: Event::ReinstatePaid,
        to: Status::Approval,
        roles: OFFICER,
    },
    Move {
        from: Status::PaymentPending,
        event: Event::PaymentDeadlinePassed,
        to: Status::Rejected,
        roles: SYSTEM,
    },
    Move {
        from: Status::UnderEvaluation,
        event: Event::Reject,
        to: Status::Rejected,
        roles: OFFICER,
    },
    Move {
        from: Status::Submitted,
        event: Event::Withdraw,
        to: Status::Withdrawn,
        roles: APPLICANT,
    },
    Move {
        from: Status::UnderEvaluation,
        event: Event::Withdraw,
        to: Status::Withdrawn,
        roles: APPLICANT,
    },
    Move {
        from: Status::Revision,
        event: Event::Withdraw,
        to: Status::Withdrawn,
        roles: APPLICANT,
    },
    Move {
        from: Status::PaymentPending,
        event: Event::Withdraw,
        to: Status::Withdrawn,
        roles: APPLICANT,
    },
];

/// Moves of an approved exemption's own status.
struct ExemptionMove {
    event: Event,
    from: ExemptionStatus,
    to: ExemptionStatus,
    roles: &'static [Role],
}

const EXEMPTION_MOVES: &[ExemptionMove] = &[
    ExemptionMove {
        event: Event::RequestCancellation,
        from: ExemptionStatus::Active,
        to: ExemptionStatus::Active,
        roles: APPLICANT,
    },
    ExemptionMove {
        event: Event::CancelExemption,
        from: ExemptionStatus::Active,
        to: ExemptionStatus::Cancelled,
        roles: OFFICER,
    },
    ExemptionMove {
        event: Event::ExpireExemption,
        from: ExemptionStatus::Active,
        to: ExemptionStatus::Expired,
        roles: SYSTEM,
    },
];

impl Lifecycle {
    pub const NEW: Lifecycle = Lifecycle {
        status: Status::Draft,
        exemption: None,
    };

    /// Decides a transition. Returns the new state or why the move is impossible.
    pub fn apply(
        self,
        event: Event,
        role: Role,
        facts: Facts<'_>,
    ) -> Result<Lifecycle, TransitionError> {
        if event.needs_reason() && facts.reason.is_none_or(|r| r.trim().is_empty()) {
            return Err(TransitionError::ReasonRequired { event });
        }
        if let Some(exemption_move) = EXEMPTION_MOVES.iter().find(|m| m.event == event) {
            let allowed =
                self.status == Status::Approval && self.exemption == Some(exemption_move.from);
            if !allowed {
                return Err(TransitionError::NotAllowed {
                    from: self.status,
                    event,
                });
            }
            if !exemption_move.roles.contains(&role) {
                return Err(TransitionError::NotPermitted { event, role });
            }
            return Ok(Lifecycle {
                status: self.status,
                exemption: Some(exemption_move.to),
            });
        }
        let Some(found) = MOVES
            .iter()
            .find(|m| m.from == self.status && m.event == event)
        else {
            return Err(TransitionError::NotAllowed {
                from: self.status,
                event,
            });
        };
        if !found.roles.contains(&role) {
            return Err(TransitionError::NotPermitted { event, role });
        }
        match event {
            Event::ApproveDirectly if facts.fees_due => return Err(TransitionError::FeesDue),
            Event::ApproveWithFees if !facts.fees_due => return Err(TransitionError::NothingToPay),
            _ => {}
        }
        let exemption = if found.to == Status::Approval {
            facts.approval_outcome
        } else {
            self.exemption
        };
        Ok(Lifecycle {
            status: found.to,
            exemption,
        })
    }

    /// The events `role` could make now (for showing actions).
    pub fn possible(self, role: Role, fees_due: bool) -> Vec<Event> {
        let facts = Facts {
            fees_due,
            reason: Some("?"),
            approval_outcome: None,
        };
        Event::ALL
            .into_iter()
            .filter(|e| self.apply(*e, role, facts).is_ok())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(status: Status) -> Lifecycle {
        Lifecycle {
            status,
            exemption: (status == Status::Approval).then_some(ExemptionStatus::Active),
        }
    }

    fn reason() -> Facts<'static> {
        Facts {
            fees_due: false,
            reason: Some("the contract is unsigned"),
            approval_outcome: None,
        }
    }

    /// What a work-permit exemption's approval starts.
    fn exemption() -> Facts<'static> {
        Facts {
            approval_outcome: Some(ExemptionStatus::Active),
            ..Facts::default()
        }
    }

    #[test]
    fn the_whole_life_of_a_paid_exemption() {
        let s = Lifecycle::NEW
            .apply(Event::Submit, Role::Applicant, Facts::default())
            .unwrap();
        assert_eq!(s.status, Status::Submitted);
        let s = s
            .apply(Event::StartEvaluation, Role::Officer, Facts::default())
            .unwrap();
        let s = s
            .apply(Event::RequestRevision, Role::Officer, reason())
            .unwrap();
        assert_eq!(s.status, Status::Revision);
        let s = s
            .apply(Event::Resubmit, Role::Applicant, Facts::default())
            .unwrap();
        assert_eq!(s.status, Status::UnderEvaluation);
        let fees = Facts {
            fees_due: true,
            ..exemption()
        };
        let s = s
            .apply(Event::ApproveWithFees, Role::Officer, fees)
            .unwrap();
        assert_eq!(s.status, Status::PaymentPending);
        let s = s.apply(Event::ConfirmPayment, Role::System, fees).unwrap();
        assert_eq!(
            s,
            Lifecycle {
                status: Status::Approval,
                exemption: Some(ExemptionStatus::Active)
            }
        );
        let requested = s
            .apply(
                Event::RequestCancellation,
                Role::Applicant,
                Facts::default(),
            )
            .unwrap();
        assert_eq!(requested, s, "a request changes nothing by itself");
        let cancelled = s
            .apply(Event::CancelExemption, Role::Officer, reason())
            .unwrap();
        assert_eq!(cancelled.exemption, Some(ExemptionStatus::Cancelled));
        let expired = s
            .apply(Event::ExpireExemption, Role::System, Facts::default())
            .unwrap();
        assert_eq!(expired.exemption, Some(ExemptionStatus::Expired));
        assert!(
            expired
                .apply(Event::CancelExemption, Role::Officer, reason())
                .is_err()
        );
    }

    #[test]
    fn unpaid_and_rejected_applications_end_rejected() {
        let pending = at(Status::PaymentPending);
        assert_eq!(
            pending
                .apply(Event::PaymentDeadlinePassed, Role::System, Facts::default())
                .unwrap()
                .status,
            Status::Rejected
        );
        assert_eq!(
            pending.apply(
                Event::PaymentDeadlinePassed,
                Role::Officer,
                Facts::default()
            ),
            Err(TransitionError::NotPermitted {
                event: Event::PaymentDeadlinePassed,
                role: Role::Officer
            })
        );
        let evaluating = at(Status::UnderEvaluation);
        assert_eq!(
            evaluating.apply(Event::Reject, Role::Officer, Facts::default()),
            Err(TransitionError::ReasonRequired {
                event: Event::Reject
            })
        );
        assert_eq!(
            evaluating
                .apply(Event::Reject, Role::Officer, reason())
                .unwrap()
                .status,
            Status::Rejected
        );
    }

    #[test]
    fn direct_approval_only_when_nothing_is_due() {
        let evaluating = at(Status::UnderEvaluation);
        assert_eq!(
            evaluating.apply(
                Event::ApproveDirectly,
                Role::Officer,
                Facts {
                    fees_due: true,
                    ..exemption()
                }
            ),
            Err(TransitionError::FeesDue)
        );
        assert_eq!(
            evaluating.apply(Event::ApproveWithFees, Role::Officer, Facts::default()),
            Err(TransitionError::NothingToPay)
        );
        let approved = evaluating
            .apply(Event::ApproveDirectly, Role::Officer, exemption())
            .unwrap();
        assert_eq!(approved.exemption, Some(ExemptionStatus::Active));
    }

    #[test]
    fn a_kind_whose_approval_ends_the_matter_starts_no_outcome() {
        let approved = at(Status::UnderEvaluation)
            .apply(Event::ApproveDirectly, Role::Officer, Facts::default())
            .unwrap();
        assert_eq!(
            approved,
            Lifecycle {
                status: Status::Approval,
                exemption: None
            }
        );
        assert!(approved.possible(Role::Applicant, false).is_empty());
    }

    /// Every (situation, event, role) triple: allowed exactly when the tables say so.
    #[test]
    fn every_illegal_transition_is_refused() {
        let mut allowed = 0;
        for status in Status::ALL {
            for exemption in [
                None,
                Some(ExemptionStatus::Active),
                Some(ExemptionStatus::Expired),
                Some(ExemptionStatus::Cancelled),
            ] {
                if (status == Status::Approval) != exemption.is_some() {
                    continue;
                }
                let state = Lifecycle { status, exemption };
                for event in Event::ALL {
                    for role in Role::ALL {
                        for fees_due in [false, true] {
                            let facts = Facts {
                                fees_due,
                                reason: Some("reason"),
                                approval_outcome: Some(ExemptionStatus::Active),
                            };
                            let result = state.apply(event, role, facts);
                            let in_moves = MOVES.iter().any(|m| {
                                m.from == status && m.event == event && m.roles.contains(&role)
                            }) && !(event == Event::ApproveDirectly && fees_due)
                                && (event != Event::ApproveWithFees || fees_due);
                            let in_exemption_moves = EXEMPTION_MOVES.iter().any(|m| {
                                m.event == event
                                    && status == Status::Approval
                                    && exemption == Some(m.from)
                                    && m.roles.contains(&role)
                            });
                            assert_eq!(
                                result.is_ok(),
                                in_moves || in_exemption_moves,
                                "{state:?} {event:?} {role:?} fees_due={fees_due}: {result:?}"
                            );
                            if result.is_ok() {
                                allowed += 1;
                            }
                            // Concluded situations never move again (only the exemption's status
                            // may, and a payment made in time may reinstate a deadline rejection).
                            if matches!(status, Status::Rejected | Status::Withdrawn)
                                && event != Event::ReinstatePaid
                            {
                                assert!(result.is_err());
                            }
                        }
                    }
                }
            }
        }
        // 16 situation moves (32 with both fee cases, less the two fee guards, plus confirm by
        // two roles) and 3 exemption moves in both fee cases.
        assert_eq!(
            allowed, 38,
            "the number of legal (state, event, role, fees) combinations"
        );
    }

    #[test]
    fn codes_round_trip() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.code()), Some(status));
            assert_eq!(serde_json::to_value(status).unwrap(), status.code());
        }
        for event in Event::ALL {
            assert_eq!(Event::parse(event.code()), Some(event));
        }
        assert!(
            Status::Revision.is_pending()
                && !Status::Draft.is_pending()
                && Status::Rejected.is_concluded()
        );
    }

    #[test]
    fn possible_actions_follow_the_table() {
        assert_eq!(
            Lifecycle::NEW.possible(Role::Applicant, false),
            [Event::Submit]
        );
        assert_eq!(
            at(Status::Revision).possible(Role::Applicant, false),
            [Event::Resubmit, Event::Withdraw]
        );
        assert_eq!(
            at(Status::Approval).possible(Role::Applicant, false),
            [Event::RequestCancellation]
        );
    }
}
