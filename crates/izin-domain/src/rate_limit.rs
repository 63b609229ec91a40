//! Fixed-window rate limits, as every database counts them: the window an instant falls in
//! (windows of one length follow each other from the Unix epoch, so every instance agrees), and
//! what to tell a client that went over: how many whole seconds until the window ends.

use time::{Duration, OffsetDateTime};

/// One window of a fixed-window limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedWindow {
    pub start: OffsetDateTime,
    length: Duration,
}

impl FixedWindow {
    /// The window of `length` that holds `now` (a length under a microsecond counts as one).
    pub fn containing(now: OffsetDateTime, length: Duration) -> FixedWindow {
        let length_micros = length.whole_microseconds().max(1);
        let now_micros = now.unix_timestamp_nanos() / 1_000;
        let start_micros = now_micros.div_euclid(length_micros) * length_micros;
        let start = OffsetDateTime::from_unix_timestamp_nanos(start_micros * 1_000).unwrap_or(now);
        FixedWindow {
            start,
            length: Duration::microseconds(i64::try_from(length_micros).unwrap_or(i64::MAX)),
        }
    }

    /// `None` while `hits` (this one included) are within `limit`; otherwise the whole seconds,
    /// at least one, until the window ends and counting starts again.
    pub fn over_limit(&self, hits: i64, limit: u32, now: OffsetDateTime) -> Option<i64> {
        if hits <= i64::from(limit) {
            return None;
        }
        Some(self.seconds_left(now))
    }

    /// The whole seconds, at least one, until the window ends.
    pub fn seconds_left(&self, now: OffsetDateTime) -> i64 {
        let left = self.start + self.length - now;
        let seconds = (left.whole_microseconds() + 999_999) / 1_000_000;
        i64::try_from(seconds).unwrap_or(i64::MAX).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn windows_start_on_the_epochs_grid_and_say_how_long_is_left() {
        let now = datetime!(2026-11-28 10:17:30.25 UTC);
        let hour = FixedWindow::containing(now, Duration::hours(1));
        assert_eq!(hour.start, datetime!(2026-11-28 10:00 UTC));
        assert_eq!(hour.over_limit(30, 30, now), None);
        // 42 min 29.75 s left: rounded up to whole seconds.
        assert_eq!(hour.over_limit(31, 30, now), Some(42 * 60 + 30));
        let minute = FixedWindow::containing(now, Duration::minutes(1));
        assert_eq!(minute.start, datetime!(2026-11-28 10:17 UTC));
        let end = datetime!(2026-11-28 10:17:59.9999999 UTC);
        assert_eq!(minute.over_limit(2, 1, end), Some(1), "at least a second");
    }

    #[test]
    fn instants_before_the_epoch_fall_in_their_own_window() {
        let now = datetime!(1969-12-31 23:59:30 UTC);
        let minute = FixedWindow::containing(now, Duration::minutes(1));
        assert_eq!(minute.start, datetime!(1969-12-31 23:59 UTC));
    }
}
