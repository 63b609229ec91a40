//! The authority's side: the two authorities that decide applications, the roles their officers
//! hold, and which role may make which move. Each kind of application belongs to one authority
//! (`ApplicationKind::authority`); an officer sees and acts on their own authority's
//! applications only.
//!
//! - The Ministry of Labour and Social Security decides work-permit exemptions and their new
//!   cards (Law No. 6735 on International Labour Force, Article 16).
//! - The Presidency of Migration Management decides residence permits (Law No. 6458 on Foreigners
//!   and International Protection, Articles 19–49).

use crate::application::Event;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// An authority that decides applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Authority {
    /// Çalışma ve Sosyal Güvenlik Bakanlığı.
    Labour,
    /// Göç İdaresi Başkanlığı.
    Migration,
}

impl Authority {
    pub const ALL: [Authority; 2] = [Authority::Labour, Authority::Migration];

    pub fn code(self) -> &'static str {
        match self {
            Authority::Labour => "labour",
            Authority::Migration => "migration",
        }
    }

    pub fn parse(code: &str) -> Option<Authority> {
        Authority::ALL
            .into_iter()
            .find(|a| a.code().eq_ignore_ascii_case(code.trim()))
    }
}

impl fmt::Display for Authority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What an officer may do. Roles combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Takes applications from the queue and evaluates them.
    Evaluator,
    /// The second pair of eyes where a category requires it; reassigns and releases work.
    Approver,
    /// Manages the officers of the authority.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Evaluator, Role::Approver, Role::Admin];

    pub fn code(self) -> &'static str {
        match self {
            Role::Evaluator => "evaluator",
            Role::Approver => "approver",
            Role::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.code().eq_ignore_ascii_case(code.trim()))
    }
}

/// The roles an officer holds: at least one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roles(BTreeSet<Role>);

/// Why a list of roles is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RolesError {
    #[error("at least one role: evaluator, approver or admin")]
    Empty,
    #[error("unknown role {0:?}: evaluator, approver or admin")]
    Unknown(String),
}

impl Roles {
    /// `evaluator,approver` as the command line and the admin page take it.
    pub fn parse(list: &str) -> Result<Roles, RolesError> {
        let mut roles = BTreeSet::new();
        for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            roles.insert(Role::parse(part).ok_or_else(|| RolesError::Unknown(part.to_owned()))?);
        }
        if roles.is_empty() {
            return Err(RolesError::Empty);
        }
        Ok(Roles(roles))
    }

    pub fn of(roles: &[Role]) -> Result<Roles, RolesError> {
        let set: BTreeSet<Role> = roles.iter().copied().collect();
        if set.is_empty() {
            return Err(RolesError::Empty);
        }
        Ok(Roles(set))
    }

    pub fn has(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    /// `evaluator,approver`.
    pub fn codes(&self) -> String {
        self.iter().map(Role::code).collect::<Vec<_>>().join(",")
    }
}

/// What an officer asks to do with an application, beyond the lifecycle's own events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficerAction {
    /// Take from the queue (assigns it; SUBMITTED → UNDER_EVALUATION).
    Take,
    /// Give back to the queue, or hand to another officer.
    Release,
    Reassign,
    /// A lifecycle move.
    Move(Event),
    /// The second approval of a decision another officer proposed.
    ConfirmApproval,
    /// An internal note.
    Note,
    /// Read the application and its documents.
    Read,
    /// Record a payment by hand or count one that arrived after the deadline's rejection (an
    /// approver's, and never on an application the same officer approved).
    RecordPayment,
}

/// Why an officer may not do something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Forbidden {
    /// Another authority's application: the same answer as one that does not exist.
    #[error("not this officer's authority")]
    OtherAuthority,
    /// The officer lacks the role the action needs (403).
    #[error("the {0:?} role is needed")]
    RoleMissing(Role),
    /// A second approval by the officer who proposed it.
    #[error("the second approval must be another officer's")]
    SameOfficer,
}

/// The role an action needs; `None`: any officer of the authority (reading its work).
pub fn role_needed(action: OfficerAction) -> Option<Role> {
    match action {
        OfficerAction::Read => None,
        OfficerAction::Release
        | OfficerAction::Reassign
        | OfficerAction::ConfirmApproval
        | OfficerAction::RecordPayment => Some(Role::Approver),
        OfficerAction::Take | OfficerAction::Move(_) | OfficerAction::Note => Some(Role::Evaluator),
    }
}

/// Whether an officer of `authority` with `roles` may do `action` on an application of
/// `owner` (the authority its kind belongs to). Every officer of the authority can read its
/// work; moving it needs the evaluator's role, handing it around the approver's.
pub fn may(
    authority: Authority,
    roles: &Roles,
    owner: Authority,
    action: OfficerAction,
) -> Result<(), Forbidden> {
    if authority != owner {
        return Err(Forbidden::OtherAuthority);
    }
    match role_needed(action) {
        Some(needed) if !roles.has(needed) => Err(Forbidden::RoleMissing(needed)),
        _ => Ok(()),
    }
}

/// The four-eyes rule: a second approval by another officer than the one who proposed it.
pub fn second_approval(proposed_by: uuid::Uuid, confirming: uuid::Uuid) -> Result<(), Forbidden> {
    if proposed_by == confirming {
        Err(Forbidden::SameOfficer)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for authority in Authority::ALL {
            assert_eq!(Authority::parse(authority.code()), Some(authority));
        }
        assert_eq!(Authority::parse(" LABOUR "), Some(Authority::Labour));
        assert_eq!(Authority::parse("police"), None);
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
    }

    #[test]
    fn roles_combine_and_are_never_empty() {
        let roles = Roles::parse("approver, evaluator,approver").unwrap();
        assert!(roles.has(Role::Evaluator) && roles.has(Role::Approver));
        assert!(!roles.has(Role::Admin));
        assert_eq!(roles.codes(), "evaluator,approver");
        assert_eq!(Roles::parse(" , "), Err(RolesError::Empty));
        assert_eq!(
            Roles::parse("evaluator,boss"),
            Err(RolesError::Unknown("boss".into()))
        );
        assert_eq!(Roles::of(&[]), Err(RolesError::Empty));
    }

    #[test]
    fn an_officer_acts_on_their_authoritys_work_with_the_role_it_needs() {
        let evaluator = Roles::of(&[Role::Evaluator]).unwrap();
        let approver = Roles::of(&[Role::Approver]).unwrap();
        let admin = Roles::of(&[Role::Admin]).unwrap();
        let labour = Authority::Labour;
        let approve = OfficerAction::Move(Event::ApproveWithFees);
        assert_eq!(may(labour, &evaluator, labour, OfficerAction::Take), Ok(()));
        assert_eq!(may(labour, &evaluator, labour, approve), Ok(()));
        assert_eq!(
            may(labour, &evaluator, labour, OfficerAction::Reassign),
            Err(Forbidden::RoleMissing(Role::Approver))
        );
        assert_eq!(
            may(labour, &approver, labour, OfficerAction::Release),
            Ok(())
        );
        assert_eq!(
            may(labour, &approver, labour, approve),
            Err(Forbidden::RoleMissing(Role::Evaluator))
        );
        // Every officer of the authority may read its work; only evaluators move it.
        assert_eq!(may(labour, &admin, labour, OfficerAction::Read), Ok(()));
        assert_eq!(
            may(labour, &admin, labour, OfficerAction::Take),
            Err(Forbidden::RoleMissing(Role::Evaluator))
        );
        // Another authority's application: not even readable.
        let everything = Roles::of(&Role::ALL).unwrap();
        for action in [OfficerAction::Read, OfficerAction::Take, approve] {
            assert_eq!(
                may(Authority::Migration, &everything, labour, action),
                Err(Forbidden::OtherAuthority)
            );
        }
    }

    #[test]
    fn the_second_approval_is_another_officers() {
        let first = uuid::Uuid::from_u128(1);
        let second = uuid::Uuid::from_u128(2);
        assert_eq!(second_approval(first, second), Ok(()));
        assert_eq!(second_approval(first, first), Err(Forbidden::SameOfficer));
    }
}
