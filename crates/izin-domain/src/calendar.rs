//! Dates as Turkish authorities count them: "today" is the date in Türkiye (UTC+3, no daylight
//! saving since 2016), and dates travel as ISO 8601 `YYYY-MM-DD`.

use time::{Date, Month, OffsetDateTime, UtcOffset};

/// Türkiye's time zone offset.
pub const TURKIYE: UtcOffset = match UtcOffset::from_hms(3, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// The calendar date in Türkiye at `now`.
pub fn today_in_turkiye(now: OffsetDateTime) -> Date {
    now.to_offset(TURKIYE).date()
}

/// Parses `YYYY-MM-DD` (also `DD.MM.YYYY` and `DD/MM/YYYY`, as Turkish forms write dates).
pub fn parse_date(input: &str) -> Option<Date> {
    let s = input.trim();
    let (year, month, day) = if s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-'
    {
        (s.get(0..4)?, s.get(5..7)?, s.get(8..10)?)
    } else if s.len() == 10
        && matches!(s.as_bytes()[2], b'.' | b'/')
        && s.as_bytes()[5] == s.as_bytes()[2]
    {
        (s.get(6..10)?, s.get(3..5)?, s.get(0..2)?)
    } else {
        return None;
    };
    let year: i32 = year.parse().ok()?;
    let month: u8 = month.parse().ok()?;
    let day: u8 = day.parse().ok()?;
    if !(1900..=2200).contains(&year) {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

pub fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The same day `years` later (29 February becomes 1 March in a common year).
pub fn add_years(date: Date, years: i32) -> Date {
    let year = date.year() + years;
    date.replace_year(year)
        .unwrap_or_else(|_| Date::from_calendar_date(year, Month::March, 1).unwrap_or(date))
}

/// The same day `months` later, clamped to the month's end (31 January + 1 month = 28/29 February).
pub fn add_months(date: Date, months: i32) -> Date {
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + months;
    let year = total.div_euclid(12);
    let month = Month::try_from((total.rem_euclid(12) + 1) as u8).unwrap_or(Month::January);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, date.day().min(last)).unwrap_or(date)
}

/// Serde for `Option<Date>` as `YYYY-MM-DD`.
pub mod iso_date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(value: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(date) => s.serialize_str(&super::format_date(*date)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let raw: Option<String> = Option::deserialize(d)?;
        match raw {
            None => Ok(None),
            Some(text) => super::parse_date(&text).map(Some).ok_or_else(|| {
                serde::de::Error::custom(format!("{text:?} is not a date like 2026-11-22"))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn today_is_counted_in_turkiye() {
        assert_eq!(
            today_in_turkiye(datetime!(2026-11-22 20:59 UTC)),
            date!(2026 - 11 - 22)
        );
        assert_eq!(
            today_in_turkiye(datetime!(2026-11-22 21:00 UTC)),
            date!(2026 - 11 - 23)
        );
    }

    #[test]
    fn dates_parse_in_the_usual_forms() {
        assert_eq!(parse_date("1990-05-17"), Some(date!(1990 - 05 - 17)));
        assert_eq!(parse_date("17.05.1990"), Some(date!(1990 - 05 - 17)));
        assert_eq!(parse_date("17/05/1990"), Some(date!(1990 - 05 - 17)));
        assert_eq!(parse_date("1990-02-30"), None);
        assert_eq!(parse_date("17.05/1990"), None);
        assert_eq!(parse_date("90-05-17"), None);
        assert_eq!(parse_date("0001-01-01"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn calendar_arithmetic_clamps() {
        assert_eq!(add_years(date!(2008 - 02 - 29), 15), date!(2023 - 03 - 01));
        assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2026 - 11 - 15), 3), date!(2027 - 02 - 15));
        assert_eq!(add_months(date!(2026 - 03 - 31), -1), date!(2026 - 02 - 28));
    }
}
