//! How long a signed-in session lives: an idle limit renewed by activity, a warning shortly
//! before it, and an absolute limit nothing renews.

use time::{Duration, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle_timeout: Duration,
    pub absolute_timeout: Duration,
    /// How long before the idle deadline the page warns and offers to extend.
    pub warning_before: Duration,
    /// Activity is written back at most this often, so reads stay reads.
    pub touch_interval: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::minutes(30),
            absolute_timeout: Duration::hours(12),
            warning_before: Duration::minutes(2),
            touch_interval: Duration::minutes(1),
        }
    }
}

/// The two instants a session's life is measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionTimes {
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    /// Usable until `deadline` (the earlier of the idle and absolute limits) unless renewed.
    Active {
        deadline: OffsetDateTime,
        absolute_deadline: OffsetDateTime,
    },
    Expired(SessionExpiry),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionExpiry {
    Idle,
    Absolute,
}

impl SessionPolicy {
    pub fn state(&self, times: SessionTimes, now: OffsetDateTime) -> SessionState {
        let absolute_deadline = times.created_at + self.absolute_timeout;
        let idle_deadline = times.last_seen_at + self.idle_timeout;
        if now >= absolute_deadline {
            SessionState::Expired(SessionExpiry::Absolute)
        } else if now >= idle_deadline {
            SessionState::Expired(SessionExpiry::Idle)
        } else {
            SessionState::Active {
                deadline: idle_deadline.min(absolute_deadline),
                absolute_deadline,
            }
        }
    }

    /// Whether this request's activity should be written back.
    pub fn needs_touch(&self, times: SessionTimes, now: OffsetDateTime) -> bool {
        now - times.last_seen_at >= self.touch_interval
    }

    /// When a session is kept for cleanup at the latest; any later it is certainly dead.
    pub fn purge_before(&self, now: OffsetDateTime) -> OffsetDateTime {
        now - self.absolute_timeout
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const START: OffsetDateTime = datetime!(2026-11-22 08:00 UTC);

    #[test]
    fn idle_sessions_expire_after_thirty_minutes() {
        let policy = SessionPolicy::default();
        let times = SessionTimes {
            created_at: START,
            last_seen_at: START,
        };
        assert_eq!(
            policy.state(times, START + Duration::minutes(29)),
            SessionState::Active {
                deadline: START + Duration::minutes(30),
                absolute_deadline: START + Duration::hours(12)
            }
        );
        assert_eq!(
            policy.state(times, START + Duration::minutes(30)),
            SessionState::Expired(SessionExpiry::Idle)
        );
    }

    #[test]
    fn activity_cannot_outlive_the_absolute_limit() {
        let policy = SessionPolicy::default();
        let times = SessionTimes {
            created_at: START,
            last_seen_at: START + Duration::hours(11) + Duration::minutes(50),
        };
        let SessionState::Active { deadline, .. } =
            policy.state(times, START + Duration::hours(11) + Duration::minutes(55))
        else {
            panic!("still active");
        };
        assert_eq!(deadline, START + Duration::hours(12));
        assert_eq!(
            policy.state(times, START + Duration::hours(12)),
            SessionState::Expired(SessionExpiry::Absolute)
        );
    }

    #[test]
    fn activity_is_written_back_at_most_once_a_minute() {
        let policy = SessionPolicy::default();
        let times = SessionTimes {
            created_at: START,
            last_seen_at: START,
        };
        assert!(!policy.needs_touch(times, START + Duration::seconds(59)));
        assert!(policy.needs_touch(times, START + Duration::seconds(60)));
    }
}
