//! [`FromExtra`] for the column types of the cargo features `chrono`, `time`, `uuid`, `json` and
//! `rust_decimal`: each converts from its own [`ExtraValue`] variant, from the other date-time
//! crate's variant (only one of them decodes when both features are on: `chrono`), and from text,
//! which is how SQLite stores date-times and SQLite and MariaDB store JSON.

#[cfg(any(
    feature = "chrono",
    feature = "time",
    feature = "uuid",
    feature = "json",
    feature = "rust_decimal"
))]
use super::{ExtraValue, FromExtra};

/// `chrono` values from their variants, from `time`'s, and from SQLite's text.
#[cfg(feature = "chrono")]
mod chrono_types {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

    use super::{ExtraValue, FromExtra};

    /// The date-time formats of text columns: SQLite's `CURRENT_TIMESTAMP` and `strftime`
    /// (`2026-12-07 12:00:00[.123]`), sqlx's encoding (`%F %T%.f`) and ISO 8601's `T`.
    const NAIVE_FORMATS: [&str; 4] = ["%F %T%.f", "%FT%T%.f", "%F %R", "%FT%R"];

    /// The formats with an offset (after RFC 3339, tried first).
    const OFFSET_FORMATS: [&str; 2] = ["%F %T%.f%#z", "%FT%T%.f%#z"];

    /// `text` as a date-time in UTC: with an offset, converted; without one, taken as UTC.
    fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
        let text = text.trim();
        if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
            return Some(dt.with_timezone(&Utc));
        }
        let text_z = text.strip_suffix('Z').unwrap_or(text);
        OFFSET_FORMATS
            .iter()
            .find_map(|f| DateTime::parse_from_str(text, f).ok())
            .map(|dt| dt.with_timezone(&Utc))
            .or_else(|| parse_naive(text_z).map(|dt| dt.and_utc()))
    }

    /// `text` as a date-time without a time zone.
    fn parse_naive(text: &str) -> Option<NaiveDateTime> {
        NAIVE_FORMATS
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    }

    /// A `time` date-time as a `chrono` one.
    #[cfg(feature = "time")]
    pub(super) fn from_time(dt: time::PrimitiveDateTime) -> Option<NaiveDateTime> {
        let date = from_time_date(dt.date())?;
        let (h, m, s, ns) = dt.as_hms_nano();
        date.and_hms_nano_opt(u32::from(h), u32::from(m), u32::from(s), ns)
    }

    /// A `time` date as a `chrono` one.
    #[cfg(feature = "time")]
    pub(super) fn from_time_date(date: time::Date) -> Option<NaiveDate> {
        NaiveDate::from_yo_opt(date.year(), u32::from(date.ordinal()))
    }

    /// A `time` offset date-time as a `chrono` one in UTC.
    #[cfg(feature = "time")]
    pub(super) fn from_time_offset(dt: time::OffsetDateTime) -> Option<DateTime<Utc>> {
        let utc = dt.to_offset(time::UtcOffset::UTC);
        from_time(time::PrimitiveDateTime::new(utc.date(), utc.time())).map(|dt| dt.and_utc())
    }

    /// A date-time without a time zone, from either crate's variant (a `TIMESTAMPTZ` as its UTC
    /// date-time) or from text (SQLite).
    ///
    /// ```
    /// use orm_core::{ExtraValue, FromExtra};
    /// let text = ExtraValue::Text("2026-12-07 12:00:00".into());
    /// let dt = chrono::NaiveDateTime::from_extra(&text);
    /// assert_eq!(dt.map(|dt| dt.to_string()).as_deref(), Some("2026-12-07 12:00:00"));
    /// ```
    impl FromExtra for NaiveDateTime {
        fn from_extra(value: &ExtraValue) -> Option<Self> {
            match value {
                ExtraValue::DateTime(v) => Some(*v),
                ExtraValue::TimestampTz(v) => Some(v.naive_utc()),
                #[cfg(feature = "time")]
                ExtraValue::PrimitiveDateTime(v) => from_time(*v),
                #[cfg(feature = "time")]
                ExtraValue::OffsetDateTime(v) => from_time_offset(*v).map(|v| v.naive_utc()),
                ExtraValue::Text(text) => parse_naive(text.trim()).or_else(|| {
                    OFFSET_FORMATS
                        .iter()
                        .find_map(|f| DateTime::parse_from_str(text.trim(), f).ok())
                        .or_else(|| DateTime::parse_from_rfc3339(text.trim()).ok())
                        .map(|dt| dt.naive_utc())
                }),
                _ => None,
            }
        }
    }

    /// A date-time in UTC, from either crate's variant (a date-time without a time zone taken as
    /// UTC, as sqlx does on MySQL) or from text (SQLite).
    ///
    /// ```
    /// use orm_core::{ExtraValue, FromExtra};
    /// let text = ExtraValue::Text("2026-12-07T12:00:00+02:00".into());
    /// let dt = chrono::DateTime::<chrono::Utc>::from_extra(&text);
    /// assert_eq!(dt.map(|dt| dt.to_rfc3339()).as_deref(), Some("2026-12-07T10:00:00+00:00"));
    /// ```
    impl FromExtra for DateTime<Utc> {
        fn from_extra(value: &ExtraValue) -> Option<Self> {
            match value {
                ExtraValue::TimestampTz(v) => Some(*v),
                ExtraValue::DateTime(v) => Some(v.and_utc()),
                #[cfg(feature = "time")]
                ExtraValue::OffsetDateTime(v) => from_time_offset(*v),
                #[cfg(feature = "time")]
                ExtraValue::PrimitiveDateTime(v) => from_time(*v).map(|v| v.and_utc()),
                ExtraValue::Text(text) => parse_utc(text),
                _ => None,
            }
        }
    }

    /// A date, from either crate's variant or from `YYYY-MM-DD` text (SQLite).
    ///
    /// ```
    /// use orm_core::{ExtraValue, FromExtra};
    /// let date = chrono::NaiveDate::from_extra(&ExtraValue::Text("2026-12-07".into()));
    /// assert_eq!(date, chrono::NaiveDate::from_ymd_opt(2026, 12, 7));
    /// ```
    impl FromExtra for NaiveDate {
        fn from_extra(value: &ExtraValue) -> Option<Self> {
            match value {
                ExtraValue::Date(v) => Some(*v),
                #[cfg(feature = "time")]
                ExtraValue::TimeDate(v) => from_time_date(*v),
                ExtraValue::Text(text) => NaiveDate::parse_from_str(text.trim(), "%F").ok(),
                _ => None,
            }
        }
    }
}

/// `time` values from their variants, from `chrono`'s, and from SQLite's text.
#[cfg(feature = "time")]
mod time_types {
    use time::format_description::BorrowedFormatItem;
    use time::format_description::well_known::Rfc3339;
    use time::macros::format_description;
    use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

    use super::{ExtraValue, FromExtra};

    /// The date-time formats of text columns (see the `chrono` ones): a space or a `T`, seconds
    /// and their fraction optional.
    const NAIVE_FORMATS: [&[BorrowedFormatItem<'static>]; 2] = [
        format_description!(
            "[year]-[month]-[day] [hour]:[minute][optional [:[second][optional [.[subsecond]]]]]"
        ),
        format_description!(
            "[year]-[month]-[day]T[hour]:[minute][optional [:[second][optional [.[subsecond]]]]]"
        ),
    ];

    /// The formats with an offset, `+02:00` or `+0200`, after RFC 3339.
    const OFFSET_FORMATS: [&[BorrowedFormatItem<'static>]; 2] = [
        format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second][optional [.[subsecond]]][offset_hour sign:mandatory][optional [:]][offset_minute]"
        ),
        format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]][offset_hour sign:mandatory][optional [:]][offset_minute]"
        ),
    ];

    fn parse_naive(text: &str) -> Option<PrimitiveDateTime> {
        NAIVE_FORMATS
            .iter()
            .find_map(|f| PrimitiveDateTime::parse(text, f).ok())
    }

    fn parse_offset(text: &str) -> Option<OffsetDateTime> {
        OffsetDateTime::parse(text, &Rfc3339).ok().or_else(|| {
            OFFSET_FORMATS
                .iter()
                .find_map(|f| OffsetDateTime::parse(text, f).ok())
        })
    }

    /// An offset date-time as its date-time in UTC.
    fn utc_primitive(dt: OffsetDateTime) -> PrimitiveDateTime {
        let utc = dt.to_offset(UtcOffset::UTC);
        PrimitiveDateTime::new(utc.date(), utc.time())
    }

    /// A `chrono` date-time as a `time` one.
    #[cfg(feature = "chrono")]
    fn from_chrono(dt: chrono::NaiveDateTime) -> Option<PrimitiveDateTime> {
        use chrono::Timelike;
        let date = from_chrono_date(dt.date())?;
        let time = time::Time::from_hms_nano(
            u8::try_from(dt.hour()).ok()?,
            u8::try_from(dt.minute()).ok()?,
            u8::try_from(dt.second()).ok()?,
            dt.nanosecond(),
        )
        .ok()?;
        Some(PrimitiveDateTime::new(date, time))
    }

    /// A `chrono` date as a `time` one.
    #[cfg(feature = "chrono")]
    fn from_chrono_date(date: chrono::NaiveDate) -> Option<Date> {
        use chrono::Datelike;
        Date::from_ordinal_date(date.year(), u16::try_from(date.ordinal()).ok()?).ok()
    }

    /// A date-time without an offset, from either crate's variant (an offset date-time as its
    /// UTC date-time) or from text (SQLite).
    ///
    /// ```
    /// use orm_core::{ExtraValue, FromExtra};
    /// let text = ExtraValue::Text("2026-12-07 12:00:00.5".into());
    /// let dt = time::PrimitiveDateTime::from_extra(&text);
    /// assert_eq!(dt.map(|dt| dt.millisecond()), Some(500));
    /// ```
    impl FromExtra for PrimitiveDateTime {
        fn from_extra(value: &ExtraValue) -> Option<Self> {
            match value {
                ExtraValue::PrimitiveDateTime(v) => Some(*v),
                ExtraValue::OffsetDateTime(v) => Some(utc_primitive(*v)),
                #[cfg(feature = "chrono")]
                ExtraValue::DateTime(v) => from_chrono(*v),
                #[cfg(feature = "chrono")]
                ExtraValue::TimestampTz(v) => from_chrono(v.naive_utc()),
                ExtraValue::Text(text) => {
                    let text = text.trim();
                    parse_naive(text).or_else(|| parse_offset(text).map(utc_primitive))
                }
                _ => None,
            }
        }
    }

    /// A date-time with an offset, from either crate's variant (a date-time without one taken as
    /// UTC) or from text (SQLite).
    ///
    /// ```
    /// use orm_core::{ExtraValue, FromExtra};
    /// let text = ExtraValue::Text("2026-12-07T12:00:00Z".into());
    /// let dt = time::OffsetDateTime::from_extra(&text);
    /// assert_eq!(dt.map(|dt| dt.unix_timestamp()), Some(1_796_644_800));
    /// ```
    impl FromExtra for OffsetDateTime {
        fn from_extra(value: &ExtraValue) -> Option<Self> {
            match value {
                ExtraValue::OffsetDateTime(v) => Some(*v),
                ExtraValue::PrimitiveDateTime(v) => Some(v.assume_utc()),
                #[cfg(feature = "chrono")]
                ExtraValue::DateTime(v) => from_chrono(*v).map(PrimitiveDateTime::assume_utc),
                #[cfg(feature = "chrono")]
                ExtraValue::TimestampTz(v) => {
                    from_chrono(v.naive_utc()).map(PrimitiveDateTime::assume_utc)
                }
                ExtraValue::Text(text) => {
                    let text = text.trim();
                    parse_offset(text).or_else(|| parse_naive(text).map(|v| v.assume_utc()))
                }
                _ => None,
            }
        }
    }

    /// A date, from either crate's variant or from `YYYY-MM-DD` text (SQLite).
    ///
    /// ```
    /// use orm_core::{ExtraValue, FromExtra};
    /// let date = time::Date::from_extra(&ExtraValue::Text("2026-12-07".into()));
    /// assert_eq!(date.map(|d| d.ordinal()), Some(341));
    /// ```
    impl FromExtra for Date {
        fn from_extra(value: &ExtraValue) -> Option<Self> {
            match value {
                ExtraValue::TimeDate(v) => Some(*v),
                #[cfg(feature = "chrono")]
                ExtraValue::Date(v) => from_chrono_date(*v),
                ExtraValue::Text(text) => {
                    Date::parse(text.trim(), format_description!("[year]-[month]-[day]")).ok()
                }
                _ => None,
            }
        }
    }
}

/// A UUID, from [`ExtraValue::Uuid`] or from its text form (a text column, MariaDB's `UUID`
/// type).
///
/// ```
/// use orm_core::{ExtraValue, FromExtra};
/// let text = ExtraValue::Text("67e55044-10b1-426f-9247-bb680e5fe0c8".into());
/// let id = uuid::Uuid::from_extra(&text);
/// assert!(id.is_some());
/// assert_eq!(id.and_then(|id| uuid::Uuid::from_extra(&ExtraValue::Uuid(id))), id);
/// ```
#[cfg(feature = "uuid")]
impl FromExtra for uuid::Uuid {
    fn from_extra(value: &ExtraValue) -> Option<Self> {
        match value {
            ExtraValue::Uuid(v) => Some(*v),
            ExtraValue::Text(text) => uuid::Uuid::parse_str(text.trim()).ok(),
            _ => None,
        }
    }
}

/// A JSON document, from [`ExtraValue::Json`] or parsed from text (SQLite and MariaDB store JSON
/// as text).
///
/// ```
/// use orm_core::{ExtraValue, FromExtra};
/// let doc = serde_json::Value::from_extra(&ExtraValue::Text(r#"{"a":1}"#.into()));
/// assert_eq!(doc, Some(serde_json::json!({"a": 1})));
/// ```
#[cfg(feature = "json")]
impl FromExtra for serde_json::Value {
    fn from_extra(value: &ExtraValue) -> Option<Self> {
        match value {
            ExtraValue::Json(v) => Some(v.clone()),
            ExtraValue::Text(text) => serde_json::from_str(text).ok(),
            _ => None,
        }
    }
}

/// A JSON document as a typed `T` (sqlx's `Json<T>` wrapper), as for [`serde_json::Value`].
///
/// ```
/// use orm_core::{ExtraValue, FromExtra};
/// use sqlx::types::Json;
/// let list = Json::<Vec<i32>>::from_extra(&ExtraValue::Text("[1,2]".into()));
/// assert_eq!(list.map(|Json(v)| v), Some(vec![1, 2]));
/// ```
#[cfg(feature = "json")]
impl<T: serde::de::DeserializeOwned> FromExtra for sqlx::types::Json<T> {
    fn from_extra(value: &ExtraValue) -> Option<Self> {
        match value {
            ExtraValue::Json(v) => T::deserialize(v).ok().map(sqlx::types::Json),
            ExtraValue::Text(text) => serde_json::from_str(text).ok().map(sqlx::types::Json),
            _ => None,
        }
    }
}

/// An exact decimal, from [`ExtraValue::Decimal`], an integer, or decimal text.
///
/// ```
/// use orm_core::{ExtraValue, FromExtra};
/// use rust_decimal::Decimal;
/// assert_eq!(Decimal::from_extra(&ExtraValue::Text("12.50".into())), Some(Decimal::new(1250, 2)));
/// assert_eq!(Decimal::from_extra(&ExtraValue::Int(3)), Some(Decimal::from(3)));
/// ```
#[cfg(feature = "rust_decimal")]
impl FromExtra for rust_decimal::Decimal {
    fn from_extra(value: &ExtraValue) -> Option<Self> {
        match value {
            ExtraValue::Decimal(v) => Some(*v),
            ExtraValue::Int(v) => Some(rust_decimal::Decimal::from(*v)),
            ExtraValue::Text(text) => text.trim().parse().ok(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
