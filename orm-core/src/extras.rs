//! `Extras`: the pivot columns read alongside a related row (Lucid's `$extras`), by name.

use std::sync::Arc;

use crate::error::{Error, Result};

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

/// The pivot columns of a related row: `pivot_<foreign key>`, `pivot_<related foreign key>` and
/// every `pivot_columns([...])` column as `pivot_<column>`.
///
/// ```
/// use orm_core::{ExtraValue, Extras};
/// let mut extras = Extras::default();
/// extras.insert("pivot_user_id".into(), ExtraValue::Int(1));
/// assert_eq!(extras.get::<i64>("pivot_user_id")?, 1);
/// assert!(extras.get::<String>("pivot_user_id").is_err());
/// # Ok::<(), orm_core::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extras {
    names: ExtraNames,
    /// The first two values (the pivot keys) inline, so the common row allocates nothing.
    keys: [ExtraValue; 2],
    /// How many of `keys` are set.
    inline: u8,
    /// Values past the first two (runtime pivot columns).
    rest: Vec<ExtraValue>,
}

/// The names of a row's extras: the relation's own (static) or a statement's (shared).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ExtraNames {
    Static(&'static [String]),
    Shared(Arc<[String]>),
}

impl Default for ExtraNames {
    fn default() -> Self {
        ExtraNames::Static(&[])
    }
}

impl ExtraNames {
    pub(crate) fn len(&self) -> usize {
        self.as_slice().len()
    }

    fn as_slice(&self) -> &[String] {
        match self {
            ExtraNames::Static(names) => names,
            ExtraNames::Shared(names) => names,
        }
    }
}

impl Extras {
    /// Extras named `names`, the two pivot keys first, then `rest`.
    pub(crate) fn new(names: ExtraNames, keys: [ExtraValue; 2], rest: Vec<ExtraValue>) -> Self {
        Extras {
            names,
            keys,
            inline: 2,
            rest,
        }
    }

    /// Adds a value.
    pub fn insert(&mut self, name: String, value: ExtraValue) {
        let mut names: Vec<String> = self.names.as_slice().to_vec();
        names.push(name);
        self.names = ExtraNames::Shared(names.into());
        match self.inline {
            0 | 1 => {
                self.keys[usize::from(self.inline)] = value;
                self.inline += 1;
            }
            _ => self.rest.push(value),
        }
    }

    /// The raw value called `name`.
    pub fn value(&self, name: &str) -> Option<&ExtraValue> {
        let i = self.names.as_slice().iter().position(|n| n == name)?;
        if i < usize::from(self.inline) {
            self.keys.get(i)
        } else {
            self.rest.get(i - usize::from(self.inline))
        }
    }

    /// The value called `name` as a `T`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if there is no such extra or it is not a `T`.
    pub fn get<T: FromExtra>(&self, name: &str) -> Result<T> {
        let value = self.value(name).ok_or_else(|| Error::InvalidInput {
            model: "Pivoted",
            relation: "extras",
            operation: "read",
            reason: format!(
                "no extra named `{name}`; have {}",
                self.names.as_slice().join(", ")
            ),
        })?;
        T::from_extra(value).ok_or_else(|| Error::InvalidInput {
            model: "Pivoted",
            relation: "extras",
            operation: "read",
            reason: format!(
                "extra `{name}` is {value:?}, not a {}",
                std::any::type_name::<T>()
            ),
        })
    }

    /// The names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.as_slice().iter().map(String::as_str)
    }
}
