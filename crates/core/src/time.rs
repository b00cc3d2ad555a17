//! Times: certificate validity bounds as Unix seconds and RFC 3339 text, and the day arithmetic the
//! reports need.
//!
//! `x509-cert` (with `der`'s `UtcTime`/`GeneralizedTime`) decodes a certificate's validity; see
//! [`crate::certificate`]. What stays here, and why: the proleptic Gregorian day arithmetic (Howard
//! Hinnant's `days_from_civil`, a dozen lines) that formats Unix seconds as RFC 3339 for any year a
//! certificate can hold and reads RFC 3339 query parameters; it is smaller than a date crate, and its
//! property tests check it against `der::DateTime` (1970-9999) and round trips from 1950 to 9999.

/// A validity bound: seconds since the Unix epoch and RFC 3339 UTC text (`2030-01-01T00:00:00Z`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateTime {
    /// Seconds since 1970-01-01T00:00:00Z (negative before 1970).
    pub unix: i64,
    /// The same instant as RFC 3339 text in UTC, with `Z`.
    pub rfc3339: String,
}

const SECONDS_PER_DAY: i64 = 86_400;

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `YYYY-MM-DDTHH:MM:SSZ` for Unix seconds.
pub fn format_rfc3339(unix: i64) -> String {
    let days = unix.div_euclid(SECONDS_PER_DAY);
    let secs = unix.rem_euclid(SECONDS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// `YYYY-MM-DD` for Unix seconds.
pub fn format_date(unix: i64) -> String {
    let (year, month, day) = civil_from_days(unix.div_euclid(SECONDS_PER_DAY));
    format!("{year:04}-{month:02}-{day:02}")
}

/// How the console shows a moment, on every page: `2026-12-04 17:39 UTC` (UTC, to the minute).
pub fn format_for_display(unix: i64) -> String {
    let days = unix.div_euclid(SECONDS_PER_DAY);
    let secs = unix.rem_euclid(SECONDS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        secs / 3600,
        secs / 60 % 60
    )
}

/// [`format_for_display`] of an RFC 3339 text from the server; the text as it is when it is not one.
pub fn display_rfc3339(text: &str) -> String {
    parse_rfc3339(text).map_or_else(|| text.to_owned(), format_for_display)
}

/// What is left until `until` where an expiry matters: `12 days left`, `less than a day left`,
/// `expired today`, `expired 3 days ago`.
pub fn days_left_phrase(until: i64, now: i64) -> String {
    if until > now {
        match whole_days_until(until, now) {
            0 => "less than a day left".to_owned(),
            1 => "1 day left".to_owned(),
            days => format!("{days} days left"),
        }
    } else {
        match now.saturating_sub(until).div_euclid(SECONDS_PER_DAY) {
            0 => "expired today".to_owned(),
            1 => "expired 1 day ago".to_owned(),
            days => format!("expired {days} days ago"),
        }
    }
}

/// `2026-12-16 17:39 UTC (12 days left)` for an RFC 3339 expiry; the text as it is when it is not one.
pub fn display_expiry(text: &str, now: i64) -> String {
    match parse_rfc3339(text) {
        Some(until) => format!(
            "{} ({})",
            format_for_display(until),
            days_left_phrase(until, now)
        ),
        None => text.to_owned(),
    }
}

/// Seconds since the epoch of an RFC 3339 date-time (`2027-01-01T00:00:00Z`, `...+02:00`, fractions
/// dropped, a leap second read as :59), or `None` when `text` is not one.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let digits = |from: usize, len: usize| -> Option<i64> {
        let part = bytes.get(from..from + len)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(
            part.iter()
                .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0')),
        )
    };
    let at = |i: usize, c: u8| bytes.get(i).is_some_and(|b| b.eq_ignore_ascii_case(&c));
    if !(at(4, b'-') && at(7, b'-') && at(10, b'T') && at(13, b':') && at(16, b':')) {
        return None;
    }
    let (year, month, day) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
    let (hour, minute, second) = (digits(11, 2)?, digits(14, 2)?, digits(17, 2)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = 19;
    if at(rest, b'.') {
        rest += 1;
        let start = rest;
        while bytes.get(rest).is_some_and(u8::is_ascii_digit) {
            rest += 1;
        }
        if rest == start {
            return None;
        }
    }
    let offset = if at(rest, b'Z') && bytes.len() == rest + 1 {
        0
    } else if (at(rest, b'+') || at(rest, b'-')) && at(rest + 3, b':') && bytes.len() == rest + 6 {
        let (h, m) = (digits(rest + 1, 2)?, digits(rest + 4, 2)?);
        if h > 23 || m > 59 {
            return None;
        }
        let sign = if at(rest, b'-') { -1 } else { 1 };
        sign * (h * 3600 + m * 60)
    } else {
        return None;
    };
    Some(
        days_from_civil(year, month, day) * SECONDS_PER_DAY
            + hour * 3600
            + minute * 60
            + second.min(59)
            - offset,
    )
}

/// Whole days from `now` until `until`, rounded down: 0 during the last day, -1 during the first day
/// after, and so on.
pub fn whole_days_until(until: i64, now: i64) -> i64 {
    until.saturating_sub(now).div_euclid(SECONDS_PER_DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_display_format_with_days_left() {
        let now = parse_rfc3339("2026-12-04T17:39:20Z").unwrap_or_default();
        assert_eq!(format_for_display(now), "2026-12-04 17:39 UTC");
        assert_eq!(
            display_rfc3339("2026-12-04T17:39:59+02:00"),
            "2026-12-04 15:39 UTC"
        );
        assert_eq!(display_rfc3339("not a time"), "not a time");
        assert_eq!(
            display_expiry("2026-12-16T17:39:20Z", now),
            "2026-12-16 17:39 UTC (12 days left)"
        );
        assert_eq!(
            display_expiry("2026-12-05T17:39:20Z", now),
            "2026-12-05 17:39 UTC (1 day left)"
        );
        assert_eq!(
            display_expiry("2026-12-05T10:00:00Z", now),
            "2026-12-05 10:00 UTC (less than a day left)"
        );
        assert_eq!(
            display_expiry("2026-12-04T10:00:00Z", now),
            "2026-12-04 10:00 UTC (expired today)"
        );
        assert_eq!(
            display_expiry("2026-12-01T10:00:00Z", now),
            "2026-12-01 10:00 UTC (expired 3 days ago)"
        );
    }

    #[test]
    fn civil_round_trip_and_days() {
        for days in [-800_000i64, -1, 0, 1, 11_016, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(whole_days_until(86_400 * 3, 0), 3);
        assert_eq!(whole_days_until(86_399, 0), 0);
        assert_eq!(whole_days_until(-1, 0), -1);
        assert_eq!(whole_days_until(-86_400, 0), -1);
        assert_eq!(whole_days_until(-86_401, 0), -2);
        assert_eq!(format_date(1_577_836_800), "2020-01-01");
    }

    #[test]
    fn reads_rfc3339() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2027-01-01T00:00:00Z"), Some(1_798_761_600));
        assert_eq!(
            parse_rfc3339("2027-01-01T02:00:00.5+02:00"),
            Some(1_798_761_600)
        );
        assert_eq!(parse_rfc3339("2024-02-29T00:00:00Z"), Some(1_709_164_800));
        for bad in [
            "",
            "2027-01-01",
            "2027-02-30T00:00:00Z",
            "2027-01-01T00:00:00",
            "2027-01-01T24:00:00Z",
            "tomorrow",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    /// Unix seconds of 1950-01-01 and of the last second of 9999: the years certificates use.
    const FIRST: i64 = -631_152_000;
    const LAST: i64 = 253_402_300_799;

    proptest::proptest! {
        #[test]
        fn formatting_round_trips_from_1950_to_9999(unix in FIRST..=LAST) {
            let text = format_rfc3339(unix);
            proptest::prop_assert_eq!(parse_rfc3339(&text), Some(unix), "{}", text);
            let (y, m, d) = civil_from_days(unix.div_euclid(SECONDS_PER_DAY));
            proptest::prop_assert_eq!(days_from_civil(y, m, d), unix.div_euclid(SECONDS_PER_DAY));
        }

        #[test]
        fn formatting_agrees_with_der_from_1970_to_9999(unix in 0..=LAST) {
            let reference = der::DateTime::from_unix_duration(std::time::Duration::from_secs(
                u64::try_from(unix).unwrap_or(0),
            ))
            .unwrap();
            let expected = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                reference.year(),
                reference.month(),
                reference.day(),
                reference.hour(),
                reference.minutes(),
                reference.seconds()
            );
            proptest::prop_assert_eq!(format_rfc3339(unix), expected);
        }
    }
}
