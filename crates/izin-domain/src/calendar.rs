//! Dates as Turkish authorities count them: "today" is the date in Türkiye (UTC+3, no daylight
//! saving since 2016). Dates are stored and exchanged as ISO 8601 `YYYY-MM-DD` and shown to
//! people as day/month/year, the order the applicant's guide writes in both languages.

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

/// Parses a date as people and programs write it: `YYYY-MM-DD` (the API's form), or day, month
/// and year separated by `/`, `.` or `-` (`17/05/1990`, `4.1.2027`), the order the applicant's
/// guide and Turkish forms use in both languages.
pub fn parse_date(input: &str) -> Option<Date> {
    let s = input.trim();
    let separator = s.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
    let parts: Vec<&str> = s.split(separator).collect();
    let [first, second, third] = parts.as_slice() else {
        return None;
    };
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if ![first, second, third].iter().all(|p| all_digits(p)) {
        return None;
    }
    let (year, month, day) = if separator == '-' && first.len() == 4 {
        if second.len() != 2 || third.len() != 2 {
            return None;
        }
        (*first, *second, *third)
    } else if third.len() == 4 && first.len() <= 2 && second.len() <= 2 {
        (*third, *second, *first)
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

/// A date as the pages show it to people of both languages: day/month/year (`17/05/1990`).
pub fn display_date(date: Date) -> String {
    format!(
        "{:02}/{:02}/{:04}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// Parses only `YYYY-MM-DD`, the form dates are stored and exchanged in.
pub fn parse_iso_date(input: &str) -> Option<Date> {
    let b = input.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    parse_date(input)
}

/// The ISO date in `YYYY-MM-DD` form.
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
            Some(text) => super::parse_iso_date(&text).map(Some).ok_or_else(|| {
                serde::de::Error::custom(format!("{text:?} is not a date like 2026-11-22"))
            }),
        }
    }
}

/// Serde for a `Date` that must be there, as `YYYY-MM-DD`.
pub mod iso_day {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(value: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_date(*value))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_iso_date(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("{text:?} is not a date like 2026-11-22"))
        })
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
        assert_eq!(parse_date(" 4/1/2027 "), Some(date!(2027 - 01 - 04)));
        assert_eq!(parse_date("04-01-2027"), Some(date!(2027 - 01 - 04)));
        assert_eq!(parse_date("1990-02-30"), None);
        assert_eq!(parse_date("30/02/1990"), None);
        assert_eq!(parse_date("17.05/1990"), None);
        assert_eq!(parse_date("90-05-17"), None);
        assert_eq!(parse_date("1990-5-17"), None);
        assert_eq!(parse_date("17/05/90"), None);
        assert_eq!(parse_date("0001-01-01"), None);
        assert_eq!(parse_date("01/01/0001"), None);
        assert_eq!(parse_date("+17/05/1990"), None);
        assert_eq!(parse_date(""), None);
        assert_eq!(parse_iso_date("1990-05-17"), Some(date!(1990 - 05 - 17)));
        assert_eq!(parse_iso_date("17/05/1990"), None);
    }

    #[test]
    fn dates_are_shown_day_month_year_and_read_back() {
        assert_eq!(display_date(date!(2027 - 01 - 04)), "04/01/2027");
        assert_eq!(
            parse_date(&display_date(date!(1990 - 05 - 17))),
            Some(date!(1990 - 05 - 17))
        );
    }

    proptest::proptest! {
        #[test]
        fn every_date_reads_back_from_both_forms(days in 0i32..(300 * 365)) {
            let day = date!(1900 - 01 - 01) + time::Duration::days(i64::from(days));
            proptest::prop_assert_eq!(parse_date(&display_date(day)), Some(day));
            proptest::prop_assert_eq!(parse_date(&format_date(day)), Some(day));
        }

        #[test]
        fn any_text_parses_or_not_without_panicking(text in "\\PC{0,24}") {
            let _ = parse_date(&text);
        }
    }

    #[test]
    fn calendar_arithmetic_clamps() {
        assert_eq!(add_years(date!(2008 - 02 - 29), 15), date!(2023 - 03 - 01));
        assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2026 - 11 - 15), 3), date!(2027 - 02 - 15));
        assert_eq!(add_months(date!(2026 - 03 - 31), -1), date!(2026 - 02 - 28));
    }
}
