//! Certificate validity times: UTCTime and GeneralizedTime as openssl reads them, to Unix seconds and
//! RFC 3339 text.

use crate::asn1::{tag, TagName, Tlv};

/// A validity bound: seconds since the Unix epoch (fractions dropped) and RFC 3339 UTC text
/// (`2030-01-01T00:00:00Z`, with the fraction of a second when the certificate has one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateTime {
    pub unix: i64,
    pub rfc3339: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("expected a UTCTime or GeneralizedTime, found {}", TagName(*found))]
    Type { found: u8 },
    #[error("\"{text}\" is not a valid {kind}")]
    Format { kind: &'static str, text: String },
}

const SECONDS_PER_DAY: i64 = 86_400;

/// Reads a `Time` (UTCTime `YYMMDDHHMM[SS]Z`, GeneralizedTime `YYYYMMDDHHMM[SS[.f]](Z|±HHMM)`), the
/// forms openssl 3.0 accepts in a certificate. Two-digit years below 50 are 20xx.
pub fn parse(time: &Tlv<'_>) -> Result<CertificateTime, TimeError> {
    let text = time.value;
    let (kind, generalized) = match time.tag {
        tag::UTC_TIME => ("UTCTime", false),
        tag::GENERALIZED_TIME => ("GeneralizedTime", true),
        found => return Err(TimeError::Type { found }),
    };
    let bad = || TimeError::Format {
        kind,
        text: String::from_utf8_lossy(text).into_owned(),
    };
    let mut cursor = Cursor { text, pos: 0 };
    let year = if generalized {
        cursor.digits(4).ok_or_else(bad)?
    } else {
        let yy = cursor.digits(2).ok_or_else(bad)?;
        if yy < 50 {
            2000 + yy
        } else {
            1900 + yy
        }
    };
    let month = cursor.digits(2).ok_or_else(bad)?;
    let day = cursor.digits(2).ok_or_else(bad)?;
    let hour = cursor.digits(2).ok_or_else(bad)?;
    let minute = cursor.digits(2).ok_or_else(bad)?;
    let has_seconds = cursor.peek().is_some_and(|b| b.is_ascii_digit());
    let second = if has_seconds {
        cursor.digits(2).ok_or_else(bad)?
    } else {
        0
    };
    let mut fraction: &[u8] = &[];
    if generalized && has_seconds && cursor.peek() == Some(b'.') {
        cursor.pos += 1;
        let start = cursor.pos;
        while cursor.peek().is_some_and(|b| b.is_ascii_digit()) {
            cursor.pos += 1;
        }
        fraction = text.get(start..cursor.pos).unwrap_or(&[]);
        if fraction.is_empty() {
            return Err(bad());
        }
    }
    let offset_minutes = match cursor.next() {
        Some(b'Z') => 0,
        Some(sign @ (b'+' | b'-')) if generalized => {
            let hours = cursor.digits(2).ok_or_else(bad)?;
            let minutes = cursor.digits(2).ok_or_else(bad)?;
            if hours > 12 || minutes > 59 {
                return Err(bad());
            }
            let total = hours * 60 + minutes;
            if sign == b'+' {
                total
            } else {
                -total
            }
        }
        _ => return Err(bad()),
    };
    if cursor.pos != text.len() {
        return Err(bad());
    }
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return Err(bad());
    }
    let local =
        days_from_civil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
    let unix = local - offset_minutes * 60;
    let mut rfc3339 = format_rfc3339(unix);
    if !fraction.is_empty() {
        // Insert ".fff" before the "Z".
        rfc3339.pop();
        rfc3339.push('.');
        rfc3339.extend(fraction.iter().map(|b| char::from(*b)));
        rfc3339.push('Z');
    }
    Ok(CertificateTime { unix, rfc3339 })
}

struct Cursor<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn digits(&mut self, count: usize) -> Option<i64> {
        let digits = self.text.get(self.pos..self.pos + count)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.pos += count;
        Some(
            digits
                .iter()
                .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0')),
        )
    }
}

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

    fn tlv(tag: u8, text: &str) -> Result<CertificateTime, TimeError> {
        let mut raw = vec![tag, text.len() as u8];
        raw.extend_from_slice(text.as_bytes());
        let mut reader = crate::asn1::Reader::new(&raw);
        let element = reader.read().unwrap();
        parse(&element)
    }

    #[test]
    fn reads_the_forms_openssl_accepts() {
        let t = tlv(0x17, "200101000000Z").unwrap();
        assert_eq!(
            (t.unix, t.rfc3339.as_str()),
            (1_577_836_800, "2020-01-01T00:00:00Z")
        );
        assert_eq!(tlv(0x17, "2001010000Z").unwrap().unix, 1_577_836_800);
        assert_eq!(
            tlv(0x17, "500101000000Z").unwrap().rfc3339,
            "1950-01-01T00:00:00Z"
        );
        assert_eq!(
            tlv(0x17, "491231235959Z").unwrap().rfc3339,
            "2049-12-31T23:59:59Z"
        );
        assert_eq!(
            tlv(0x18, "99991231235959Z").unwrap().rfc3339,
            "9999-12-31T23:59:59Z"
        );
        assert_eq!(
            tlv(0x18, "20200101000000.123Z").unwrap().rfc3339,
            "2020-01-01T00:00:00.123Z"
        );
        assert_eq!(
            tlv(0x18, "20200101000000+0130").unwrap().rfc3339,
            "2019-12-31T22:30:00Z"
        );
        assert_eq!(
            tlv(0x18, "202001010000Z").unwrap().rfc3339,
            "2020-01-01T00:00:00Z"
        );
        assert_eq!(
            tlv(0x18, "20240229120000Z").unwrap().rfc3339,
            "2024-02-29T12:00:00Z"
        );
        assert_eq!(tlv(0x18, "19691231235959Z").unwrap().unix, -1);
    }

    #[test]
    fn refuses_what_openssl_calls_a_bad_time_value() {
        for (tag, text) in [
            (0x17, "200101000060Z"),
            (0x17, "200230000000Z"),
            (0x17, "2001010000+0100"),
            (0x17, "XX0101000000Z"),
            (0x18, "20200101000000.Z"),
            (0x18, "202001010000.5Z"),
            (0x18, "20230229000000Z"),
            (0x18, "20200101000000"),
            (0x18, "20200101000000Zjunk"),
            (0x04, "200101000000Z"),
        ] {
            assert!(tlv(tag, text).is_err(), "{text}");
        }
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
}
