//! `Extras`: the pivot columns read alongside a related row (Lucid's `$extras`), by name.

use std::sync::Arc;

use crate::error::shown::shown;
use crate::error::{Error, Result};
use crate::value::{ExtraValue, FromExtra};

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
    /// The names and the parent's key, shared by every row of one parent.
    shared: Option<Arc<SharedExtras>>,
    /// The related key (`pivot_<related foreign key>`), kept compact: a related row stays small,
    /// which measurably matters when a preload decodes 100,000 of them.
    related: KeyExtra,
    /// The values after the keys (runtime pivot columns), boxed so that rows without any stay
    /// small: a thin 8-byte pointer where a `Vec` takes 24.
    #[allow(clippy::box_collection)]
    rest: Option<Box<Vec<ExtraValue>>>,
}

/// What the rows of one parent share: the names and the parent's key.
#[derive(Debug, PartialEq)]
pub(crate) struct SharedExtras {
    names: ExtraNames,
    /// `Some`: names\[0\] is this value and names\[1\] the related key, the rest follow.
    /// `None`: every name maps to `rest` (extras built with [`Extras::insert`]).
    parent: Option<ExtraValue>,
}

impl SharedExtras {
    /// The shared part of related rows of one parent.
    pub(crate) fn new(names: ExtraNames, parent: ExtraValue) -> Arc<Self> {
        Arc::new(SharedExtras {
            names,
            parent: Some(parent),
        })
    }
}

/// A key value in 16 bytes.
#[derive(Debug, Clone, Default, PartialEq)]
enum KeyExtra {
    #[default]
    Absent,
    Int(i64),
    Other(Box<ExtraValue>),
}

impl KeyExtra {
    fn from_value(value: ExtraValue) -> Self {
        match value {
            ExtraValue::Int(v) => KeyExtra::Int(v),
            other => KeyExtra::Other(Box::new(other)),
        }
    }

    fn to_value(&self) -> ExtraValue {
        match self {
            KeyExtra::Absent => ExtraValue::Null,
            KeyExtra::Int(v) => ExtraValue::Int(*v),
            KeyExtra::Other(v) => (**v).clone(),
        }
    }
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
    /// The extras of one related row: the parent's shared part, the related key, the rest.
    #[cfg(test)]
    pub(crate) fn for_row(
        shared: &Arc<SharedExtras>,
        related: ExtraValue,
        rest: Vec<ExtraValue>,
    ) -> Self {
        let mut extras = Extras::unshared(related, rest);
        extras.share(shared);
        extras
    }

    /// The extras of one related row whose parent is not known yet (see [`Extras::share`]).
    pub(crate) fn unshared(related: ExtraValue, rest: Vec<ExtraValue>) -> Self {
        Extras {
            shared: None,
            related: KeyExtra::from_value(related),
            rest: if rest.is_empty() {
                None
            } else {
                Some(Box::new(rest))
            },
        }
    }

    /// Gives extras read before their parent was known (`shared` absent) the names and parent
    /// key of that parent.
    pub(crate) fn share(&mut self, shared: &Arc<SharedExtras>) {
        self.shared = Some(Arc::clone(shared));
    }

    fn name_list(&self) -> &[String] {
        self.shared.as_ref().map_or(&[], |s| s.names.as_slice())
    }

    /// Every value, in name order.
    fn values(&self) -> Vec<ExtraValue> {
        let mut values = Vec::with_capacity(self.name_list().len());
        if let Some(parent) = self.shared.as_ref().and_then(|s| s.parent.as_ref()) {
            values.push(parent.clone());
            values.push(self.related.to_value());
        }
        values.extend(self.rest.iter().flat_map(|rest| rest.iter().cloned()));
        values
    }

    /// Sets the value called `name`, replacing one of that name (as assigning to Lucid's
    /// `$extras.name` does).
    ///
    /// ```
    /// use orm_core::{ExtraValue, Extras};
    /// let mut extras = Extras::default();
    /// extras.insert("pivot_rank".into(), ExtraValue::Int(1));
    /// extras.insert("pivot_rank".into(), ExtraValue::Int(2));
    /// assert_eq!(extras.get::<i64>("pivot_rank")?, 2);
    /// assert_eq!(extras.names().count(), 1);
    /// # Ok::<(), orm_core::Error>(())
    /// ```
    pub fn insert(&mut self, name: String, value: ExtraValue) {
        let mut names: Vec<String> = self.name_list().to_vec();
        let mut values = self.values();
        values.resize(names.len(), ExtraValue::Null);
        match names.iter().position(|n| *n == name) {
            // invariant: `values` was just resized to `names.len()`, and `i` indexes `names`.
            Some(i) => values[i] = value,
            None => {
                names.push(name);
                values.push(value);
            }
        }
        self.shared = Some(Arc::new(SharedExtras {
            names: ExtraNames::Shared(names.into()),
            parent: None,
        }));
        self.related = KeyExtra::Absent;
        self.rest = Some(Box::new(values));
    }

    /// The value called `name`.
    pub fn value(&self, name: &str) -> Option<ExtraValue> {
        let shared = self.shared.as_ref()?;
        let i = shared.names.as_slice().iter().position(|n| n == name)?;
        let rest = |i: usize| self.rest.as_ref().and_then(|rest| rest.get(i).cloned());
        match (&shared.parent, i) {
            (Some(parent), 0) => Some(parent.clone()),
            (Some(_), 1) => Some(self.related.to_value()),
            (Some(_), i) => rest(i - 2),
            (None, i) => rest(i),
        }
    }

    /// The value called `name` as a `T`.
    ///
    /// # Errors
    /// [`Error::Extra`] if there is no such extra or it is not a `T`.
    pub fn get<T: FromExtra>(&self, name: &str) -> Result<T> {
        let value = self.value(name).ok_or_else(|| Error::Extra {
            name: name.to_owned(),
            reason: format!("there is none; have {}", self.name_list().join(", ")),
        })?;
        T::from_extra(&value).ok_or_else(|| Error::Extra {
            name: name.to_owned(),
            reason: format!(
                "it is {}, not a {}",
                shown(&format!("{value:?}")),
                std::any::type_name::<T>()
            ),
        })
    }

    /// The names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.name_list().iter().map(String::as_str)
    }
}

#[cfg(test)]
mod tests;
