//! A value decoded without knowing its Rust type in advance: the extra pivot columns of a
//! related row, read by name.

/// One extra column's value, decoded without knowing its Rust type in advance.
///
/// The column-type features (`chrono`, `time`, `uuid`, `json`, `rust_decimal`) add variants;
/// read a value as a Rust type with [`crate::Extras::get`], which converts between the variants
/// where that is lossless (a `chrono` date-time as a `time` one, text as a date-time on SQLite).
///
/// ```
/// use orm_core::{ExtraValue, FromExtra};
/// assert_eq!(i64::from_extra(&ExtraValue::Int(7)), Some(7));
/// assert_eq!(Option::<String>::from_extra(&ExtraValue::Null), Some(None));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub enum ExtraValue {
    /// SQL NULL.
    #[default]
    Null,
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// Text.
    Text(String),
    /// A boolean.
    Bool(bool),
    /// A date and time without a time zone: PostgreSQL `TIMESTAMP`, MySQL `DATETIME` and
    /// `TIMESTAMP` (feature `chrono`). SQLite stores date-times as text: they read as
    /// [`ExtraValue::Text`], which [`FromExtra`] parses.
    #[cfg(feature = "chrono")]
    DateTime(chrono::NaiveDateTime),
    /// A date and time in UTC: PostgreSQL `TIMESTAMPTZ` (feature `chrono`).
    #[cfg(feature = "chrono")]
    TimestampTz(chrono::DateTime<chrono::Utc>),
    /// A date: PostgreSQL and MySQL `DATE` (feature `chrono`).
    #[cfg(feature = "chrono")]
    Date(chrono::NaiveDate),
    /// A date and time without a time zone, decoded with the `time` crate: what
    /// [`ExtraValue::DateTime`] is when the `time` feature is on and `chrono` is off.
    #[cfg(feature = "time")]
    PrimitiveDateTime(time::PrimitiveDateTime),
    /// A date and time with an offset, decoded with the `time` crate: what
    /// [`ExtraValue::TimestampTz`] is when the `time` feature is on and `chrono` is off.
    #[cfg(feature = "time")]
    OffsetDateTime(time::OffsetDateTime),
    /// A date, decoded with the `time` crate: what [`ExtraValue::Date`] is when the `time`
    /// feature is on and `chrono` is off.
    #[cfg(feature = "time")]
    TimeDate(time::Date),
    /// A UUID: PostgreSQL `UUID`, and any 16-byte binary value on SQLite and MariaDB, where sqlx
    /// stores `Uuid`s as 16 bytes (feature `uuid`).
    #[cfg(feature = "uuid")]
    Uuid(uuid::Uuid),
    /// A JSON document: PostgreSQL `JSON` / `JSONB` (feature `json`). SQLite and MariaDB store
    /// JSON as text: it reads as [`ExtraValue::Text`], which [`FromExtra`] parses.
    #[cfg(feature = "json")]
    Json(serde_json::Value),
    /// An exact decimal number: PostgreSQL `NUMERIC`, MySQL `DECIMAL` (feature `rust_decimal`;
    /// sqlx has no decimal type for SQLite).
    #[cfg(feature = "rust_decimal")]
    Decimal(rust_decimal::Decimal),
    /// A value of a type the ORM does not decode dynamically (declare it in the `PivotData` type
    /// instead); holds the database's type name.
    Unsupported(String),
}

/// A Rust type an [`ExtraValue`] converts to.
///
/// ```
/// use orm_core::{ExtraValue, FromExtra};
/// assert_eq!(f64::from_extra(&ExtraValue::Int(2)), Some(2.0));
/// assert_eq!(bool::from_extra(&ExtraValue::Text("yes".into())), None);
/// ```
pub trait FromExtra: Sized {
    /// The value as `Self`, or `None` if it is another kind.
    fn from_extra(value: &ExtraValue) -> Option<Self>;
}

impl FromExtra for i64 {
    fn from_extra(value: &ExtraValue) -> Option<Self> {
        match value {
            ExtraValue::Int(v) => Some(*v),
            _ => None,
        }
    }
}

impl FromExtra for i32 {
    fn from_extra(value: &ExtraValue) -> Option<Self> {
        i64::from_extra(value).and_then(|v| i32::try_from(v).ok())
    }
}

impl FromExtra for f64 {
    fn from_extra(value: &ExtraValue) -> Option<Self> {
        match value {
            ExtraValue::Float(v) => Some(*v),
            ExtraValue::Int(v) => Some(*v as f64),
            _ => None,
        }
    }
}

impl FromExtra for String {
    fn from_extra(value: &ExtraValue) -> Option<Self> {
        match value {
            ExtraValue::Text(v) => Some(v.clone()),
            _ => None,
        }
    }
}

impl FromExtra for bool {
    fn from_extra(value: &ExtraValue) -> Option<Self> {
        match value {
            ExtraValue::Bool(v) => Some(*v),
            ExtraValue::Int(v) => Some(*v != 0),
            _ => None,
        }
    }
}

impl<T: FromExtra> FromExtra for Option<T> {
    fn from_extra(value: &ExtraValue) -> Option<Self> {
        match value {
            ExtraValue::Null => Some(None),
            other => T::from_extra(other).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> ExtraValue {
        ExtraValue::Text(value.to_string())
    }

    #[test]
    fn integers_convert_from_int_only_and_i32_checks_its_range() {
        assert_eq!(i64::from_extra(&ExtraValue::Int(i64::MIN)), Some(i64::MIN));
        assert_eq!(i64::from_extra(&ExtraValue::Float(1.0)), None);
        assert_eq!(i64::from_extra(&text("1")), None);
        assert_eq!(i64::from_extra(&ExtraValue::Null), None);
        assert_eq!(i64::from_extra(&ExtraValue::Bool(true)), None);
        assert_eq!(i32::from_extra(&ExtraValue::Int(-5)), Some(-5));
        assert_eq!(
            i32::from_extra(&ExtraValue::Int(i64::from(i32::MAX))),
            Some(i32::MAX)
        );
        assert_eq!(
            i32::from_extra(&ExtraValue::Int(i64::from(i32::MAX) + 1)),
            None
        );
        assert_eq!(
            i32::from_extra(&ExtraValue::Int(i64::from(i32::MIN) - 1)),
            None
        );
    }

    #[test]
    fn floats_convert_from_float_and_int() {
        assert_eq!(f64::from_extra(&ExtraValue::Float(2.5)), Some(2.5));
        assert_eq!(f64::from_extra(&ExtraValue::Int(-3)), Some(-3.0));
        assert_eq!(f64::from_extra(&text("2.5")), None);
        assert_eq!(f64::from_extra(&ExtraValue::Null), None);
    }

    #[test]
    fn strings_convert_from_text_only() {
        assert_eq!(
            String::from_extra(&text("master")),
            Some("master".to_string())
        );
        assert_eq!(String::from_extra(&ExtraValue::Int(1)), None);
        assert_eq!(
            String::from_extra(&ExtraValue::Unsupported("UUID".into())),
            None
        );
        assert_eq!(String::from_extra(&ExtraValue::Null), None);
    }

    #[test]
    fn booleans_convert_from_bool_and_int() {
        assert_eq!(bool::from_extra(&ExtraValue::Bool(true)), Some(true));
        assert_eq!(bool::from_extra(&ExtraValue::Bool(false)), Some(false));
        assert_eq!(bool::from_extra(&ExtraValue::Int(0)), Some(false));
        assert_eq!(bool::from_extra(&ExtraValue::Int(1)), Some(true));
        assert_eq!(bool::from_extra(&ExtraValue::Int(-2)), Some(true));
        assert_eq!(bool::from_extra(&text("true")), None);
        assert_eq!(bool::from_extra(&ExtraValue::Null), None);
    }

    #[test]
    fn options_take_null_as_none_and_keep_the_inner_conversion() {
        assert_eq!(Option::<i64>::from_extra(&ExtraValue::Null), Some(None));
        assert_eq!(
            Option::<i64>::from_extra(&ExtraValue::Int(4)),
            Some(Some(4))
        );
        assert_eq!(Option::<i64>::from_extra(&text("4")), None);
        assert_eq!(Option::<i32>::from_extra(&ExtraValue::Int(i64::MAX)), None);
        assert_eq!(
            Option::<String>::from_extra(&text("a")),
            Some(Some("a".to_string()))
        );
        assert_eq!(
            Option::<bool>::from_extra(&ExtraValue::Int(0)),
            Some(Some(false))
        );
        assert_eq!(
            Option::<Option<f64>>::from_extra(&ExtraValue::Null),
            Some(None)
        );
    }

    #[test]
    fn the_default_value_is_null() {
        assert_eq!(ExtraValue::default(), ExtraValue::Null);
    }
}
