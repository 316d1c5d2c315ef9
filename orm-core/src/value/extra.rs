//! A value decoded without knowing its Rust type in advance: the extra pivot columns of a
//! related row, read by name.

/// One extra column's value, decoded without knowing its Rust type in advance.
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
    /// A value of a type the ORM does not decode dynamically (declare it in the `PivotData` type
    /// instead); holds the database's type name.
    Unsupported(String),
}

/// A Rust type an [`ExtraValue`] converts to.
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
