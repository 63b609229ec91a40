//! The source of "now". Services ask a [`Clock`]; tests use a [`ManualClock`] to move time
//! instead of sleeping.

use std::sync::Mutex;
use time::{Duration, OffsetDateTime};

/// Tells the current instant in UTC.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> OffsetDateTime;
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock that only moves when told to.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<OffsetDateTime>,
}

impl ManualClock {
    pub fn new(start: OffsetDateTime) -> Self {
        Self {
            now: Mutex::new(start),
        }
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *now += by;
    }

    pub fn set(&self, to: OffsetDateTime) {
        let mut now = self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *now = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Truncates to whole microseconds, the precision both databases keep.
pub fn to_storage_precision(t: OffsetDateTime) -> OffsetDateTime {
    let micros = t.microsecond();
    t.replace_nanosecond(micros * 1_000).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = ManualClock::new(datetime!(2026-11-22 10:00 UTC));
        assert_eq!(clock.now(), datetime!(2026-11-22 10:00 UTC));
        clock.advance(Duration::minutes(31));
        assert_eq!(clock.now(), datetime!(2026-11-22 10:31 UTC));
        clock.set(datetime!(2027-01-01 00:00 UTC));
        assert_eq!(clock.now(), datetime!(2027-01-01 00:00 UTC));
    }

    #[test]
    fn storage_precision_drops_nanoseconds() {
        let t = datetime!(2026-11-22 10:00:00.123456789 UTC);
        assert_eq!(
            to_storage_precision(t),
            datetime!(2026-11-22 10:00:00.123456 UTC)
        );
    }
}
