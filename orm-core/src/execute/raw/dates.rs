//! `chrono` date-times read from a raw row exactly as sqlx-sqlite 0.9.1 decodes them
//! (`types/chrono.rs`, whose parsing functions are private to sqlx): text in RFC 3339 or one of
//! SQLite's formats, an integer as Unix seconds, a float as a Julian day; anything else is
//! `invalid datetime: <the value as text>`. Keep in step with sqlx when it is upgraded (the
//! tests compare both paths).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use sqlx::error::BoxDynError;

use super::row::{Class, Col, RawRow};

/// sqlx's `decode_datetime`: the value as a date-time with an offset.
pub(super) fn datetime(
    row: &RawRow<'_>,
    col: Col,
    class: Class,
) -> Result<DateTime<FixedOffset>, BoxDynError> {
    let dt = match class {
        Class::Text => from_text(std::str::from_utf8(row.bytes(col))?),
        Class::Integer => from_int(row.int64(col)),
        Class::Float => from_float(row.double(col)),
        Class::Blob => None,
    };
    match dt {
        Some(dt) => Ok(dt),
        // sqlx shows the value as SQLite's text of it (`text_borrowed`).
        None => Err(format!("invalid datetime: {}", std::str::from_utf8(row.bytes(col))?).into()),
    }
}

/// sqlx's `Decode for DateTime<Utc>`.
pub(super) fn datetime_utc(
    row: &RawRow<'_>,
    col: Col,
    class: Class,
) -> Result<DateTime<Utc>, BoxDynError> {
    Ok(Utc.from_utc_datetime(&datetime(row, col, class)?.naive_utc()))
}

/// sqlx's `Decode for NaiveDate`: `%F` text.
pub(super) fn date(row: &RawRow<'_>, col: Col, _: Class) -> Result<NaiveDate, BoxDynError> {
    Ok(NaiveDate::parse_from_str(
        std::str::from_utf8(row.bytes(col))?,
        "%F",
    )?)
}

/// sqlx's `decode_datetime_from_text`.
fn from_text(value: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(value) {
        return Some(dt);
    }
    // sqlx's list, in its order ("inspired by Diesel").
    const FORMATS: [&str; 12] = [
        "%F %T%.f",
        "%F %R",
        "%F %RZ",
        "%F %R%:z",
        "%F %T%.fZ",
        "%F %T%.f%:z",
        "%FT%R",
        "%FT%RZ",
        "%FT%R%:z",
        "%FT%T%.f",
        "%FT%T%.fZ",
        "%FT%T%.f%:z",
    ];
    for format in FORMATS {
        if let Ok(dt) = DateTime::parse_from_str(value, format) {
            return Some(dt);
        }
        if let Ok(dt) = NaiveDateTime::parse_from_str(value, format) {
            return Some(Utc.fix().from_utc_datetime(&dt));
        }
    }
    None
}

/// sqlx's `decode_datetime_from_int`: Unix seconds.
fn from_int(value: i64) -> Option<DateTime<FixedOffset>> {
    Utc.fix().timestamp_opt(value, 0).single()
}

/// sqlx's `decode_datetime_from_float`: a Julian day number.
fn from_float(value: f64) -> Option<DateTime<FixedOffset>> {
    let epoch_in_julian_days = 2_440_587.5;
    let seconds_in_day = 86400.0;
    let timestamp = (value - epoch_in_julian_days) * seconds_in_day;
    if !timestamp.is_finite() {
        return None;
    }
    // Whole seconds rounded toward negative infinity and a non-negative fraction, as sqlx
    // (lossy casts on a finite value, as there).
    let seconds = timestamp.floor();
    let nanos = ((timestamp - seconds) * 1E9) as u32;
    Utc.fix().timestamp_opt(seconds as i64, nanos).single()
}
