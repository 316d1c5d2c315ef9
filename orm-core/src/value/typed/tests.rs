#[allow(unused_imports)]
use super::*;

#[cfg(feature = "chrono")]
#[test]
fn chrono_reads_sqlite_text_in_every_form_it_writes() -> Result<(), &'static str> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
    let text = |s: &str| ExtraValue::Text(s.to_owned());
    let noon = NaiveDate::from_ymd_opt(2026, 12, 7)
        .and_then(|d| d.and_hms_milli_opt(12, 0, 0, 0))
        .ok_or("a date-time")?;
    let with_millis = noon + chrono::Duration::milliseconds(123);
    // CURRENT_TIMESTAMP, strftime('%Y-%m-%d %H:%M:%f'), ISO 8601, sqlx's RFC 3339.
    assert_eq!(
        NaiveDateTime::from_extra(&text("2026-12-07 12:00:00")),
        Some(noon)
    );
    assert_eq!(
        NaiveDateTime::from_extra(&text("2026-12-07 12:00:00.123")),
        Some(with_millis)
    );
    assert_eq!(
        NaiveDateTime::from_extra(&text("2026-12-07T12:00")),
        Some(noon)
    );
    assert_eq!(
        NaiveDateTime::from_extra(&text("2026-12-07T14:00:00+02:00")),
        Some(noon)
    );
    assert_eq!(
        NaiveDateTime::from_extra(&text("2026-12-07 14:00:00.123+02:00")),
        Some(with_millis)
    );
    assert_eq!(
        DateTime::<Utc>::from_extra(&text("2026-12-07 12:00:00")),
        Some(noon.and_utc())
    );
    assert_eq!(
        DateTime::<Utc>::from_extra(&text("2026-12-07 12:00:00Z")),
        Some(noon.and_utc())
    );
    assert_eq!(
        DateTime::<Utc>::from_extra(&ExtraValue::DateTime(noon)),
        Some(noon.and_utc())
    );
    assert_eq!(
        NaiveDateTime::from_extra(&ExtraValue::TimestampTz(noon.and_utc())),
        Some(noon)
    );
    assert_eq!(NaiveDateTime::from_extra(&text("noon")), None);
    assert_eq!(NaiveDateTime::from_extra(&ExtraValue::Int(0)), None);
    assert_eq!(NaiveDate::from_extra(&text("2026-12-07 12:00:00")), None);
    assert_eq!(
        NaiveDate::from_extra(&ExtraValue::Date(noon.date())),
        Some(noon.date())
    );
    Ok(())
}

#[cfg(feature = "time")]
#[test]
fn time_reads_sqlite_text_in_every_form_it_writes() {
    use time::macros::datetime;
    let text = |s: &str| ExtraValue::Text(s.to_owned());
    let noon = datetime!(2026-12-07 12:00:00);
    let p = time::PrimitiveDateTime::from_extra;
    assert_eq!(p(&text("2026-12-07 12:00:00")), Some(noon));
    assert_eq!(
        p(&text("2026-12-07 12:00:00.123")),
        Some(datetime!(2026-12-07 12:00:00.123))
    );
    assert_eq!(p(&text("2026-12-07T12:00")), Some(noon));
    assert_eq!(p(&text("2026-12-07T14:00:00+02:00")), Some(noon));
    assert_eq!(
        p(&text("2026-12-07 14:00:00.5+0200")),
        Some(datetime!(2026-12-07 12:00:00.5))
    );
    let o = time::OffsetDateTime::from_extra;
    assert_eq!(o(&text("2026-12-07 12:00:00")), Some(noon.assume_utc()));
    assert_eq!(o(&text("2026-12-07T12:00:00Z")), Some(noon.assume_utc()));
    assert_eq!(
        o(&ExtraValue::PrimitiveDateTime(noon)),
        Some(noon.assume_utc())
    );
    assert_eq!(p(&text("noon")), None);
    assert_eq!(
        time::Date::from_extra(&text("2026-12-07")),
        Some(noon.date())
    );
    assert_eq!(time::Date::from_extra(&text("07/12/2026")), None);
}

#[cfg(all(feature = "chrono", feature = "time"))]
#[test]
fn chrono_and_time_convert_both_ways_to_the_nanosecond() -> Result<(), &'static str> {
    use time::macros::{date, datetime};
    let t = datetime!(2026-12-07 12:34:56.123456789);
    let c = chrono_types::from_time(t).ok_or("in range")?;
    assert_eq!(c.to_string(), "2026-12-07 12:34:56.123456789");
    assert_eq!(
        time::PrimitiveDateTime::from_extra(&ExtraValue::DateTime(c)),
        Some(t)
    );
    assert_eq!(
        chrono::NaiveDateTime::from_extra(&ExtraValue::PrimitiveDateTime(t)),
        Some(c)
    );
    let offset = datetime!(2026-12-07 14:34:56.123456789 +2);
    assert_eq!(
        chrono::DateTime::<chrono::Utc>::from_extra(&ExtraValue::OffsetDateTime(offset)),
        Some(c.and_utc())
    );
    assert_eq!(
        time::OffsetDateTime::from_extra(&ExtraValue::TimestampTz(c.and_utc())),
        Some(offset)
    );
    let leap_day = date!(2024 - 02 - 29);
    let chrono_leap = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).ok_or("a date")?;
    assert_eq!(
        time::Date::from_extra(&ExtraValue::Date(chrono_leap)),
        Some(leap_day)
    );
    assert_eq!(
        chrono::NaiveDate::from_extra(&ExtraValue::TimeDate(leap_day)),
        Some(chrono_leap)
    );
    Ok(())
}

#[cfg(feature = "uuid")]
#[test]
fn uuids_read_from_their_variant_and_text_only() {
    let id = uuid::Uuid::from_u128(42);
    assert_eq!(
        uuid::Uuid::from_extra(&ExtraValue::Text(id.to_string())),
        Some(id)
    );
    assert_eq!(
        uuid::Uuid::from_extra(&ExtraValue::Text(id.simple().to_string())),
        Some(id)
    );
    assert_eq!(uuid::Uuid::from_extra(&ExtraValue::Text("x".into())), None);
    assert_eq!(uuid::Uuid::from_extra(&ExtraValue::Int(42)), None);
    assert_eq!(
        Option::<uuid::Uuid>::from_extra(&ExtraValue::Null),
        Some(None)
    );
}

#[cfg(feature = "json")]
#[test]
fn json_reads_from_its_variant_and_valid_text_only() {
    let doc = serde_json::json!({"a": [1, 2]});
    assert_eq!(
        serde_json::Value::from_extra(&ExtraValue::Json(doc.clone())),
        Some(doc.clone())
    );
    assert_eq!(
        serde_json::Value::from_extra(&ExtraValue::Text("{".into())),
        None
    );
    assert_eq!(serde_json::Value::from_extra(&ExtraValue::Int(1)), None);
    let typed = sqlx::types::Json::<std::collections::BTreeMap<String, Vec<i32>>>::from_extra(
        &ExtraValue::Json(doc),
    );
    assert_eq!(typed.map(|j| j.0["a"].clone()), Some(vec![1, 2]));
    assert!(sqlx::types::Json::<Vec<i32>>::from_extra(&ExtraValue::Text("{}".into())).is_none());
}

#[cfg(feature = "rust_decimal")]
#[test]
fn decimals_read_from_their_variant_integers_and_text() {
    use rust_decimal::Decimal;
    assert_eq!(
        Decimal::from_extra(&ExtraValue::Decimal(Decimal::new(15, 1))),
        Some(Decimal::new(15, 1))
    );
    assert_eq!(
        Decimal::from_extra(&ExtraValue::Text(" -0.001 ".into())),
        Some(Decimal::new(-1, 3))
    );
    assert_eq!(Decimal::from_extra(&ExtraValue::Text("1e".into())), None);
    assert_eq!(Decimal::from_extra(&ExtraValue::Float(1.5)), None);
}
