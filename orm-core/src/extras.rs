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
    pub(crate) fn for_row(
        shared: &Arc<SharedExtras>,
        related: ExtraValue,
        rest: Vec<ExtraValue>,
    ) -> Self {
        Extras {
            shared: Some(Arc::clone(shared)),
            related: KeyExtra::from_value(related),
            rest: if rest.is_empty() {
                None
            } else {
                Some(Box::new(rest))
            },
        }
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
mod tests {
    use super::*;

    fn names(list: &[&str]) -> ExtraNames {
        ExtraNames::Shared(list.iter().map(|n| n.to_string()).collect())
    }

    fn text(value: &str) -> ExtraValue {
        ExtraValue::Text(value.to_string())
    }

    #[test]
    fn empty_extras_have_no_names_and_no_values() {
        let extras = Extras::default();
        assert_eq!(extras.names().count(), 0);
        assert_eq!(extras.value("pivot_user_id"), None);
        let err = extras.get::<i64>("pivot_user_id").unwrap_err();
        assert!(err.to_string().contains("`pivot_user_id`"), "{err}");
    }

    #[test]
    fn inserted_values_are_read_back_by_name_in_insertion_order() {
        let mut extras = Extras::default();
        extras.insert("pivot_user_id".into(), ExtraValue::Int(1));
        extras.insert("pivot_skill_id".into(), ExtraValue::Int(2));
        extras.insert("proficiency".into(), text("master"));
        extras.insert("note".into(), ExtraValue::Null);
        assert_eq!(
            extras.names().collect::<Vec<_>>(),
            ["pivot_user_id", "pivot_skill_id", "proficiency", "note"]
        );
        assert_eq!(extras.value("pivot_skill_id"), Some(ExtraValue::Int(2)));
        assert_eq!(extras.get::<i64>("pivot_user_id").unwrap(), 1);
        assert_eq!(extras.get::<i32>("pivot_skill_id").unwrap(), 2);
        assert_eq!(extras.get::<String>("proficiency").unwrap(), "master");
        assert_eq!(extras.get::<Option<String>>("note").unwrap(), None);
        assert_eq!(extras.value("missing"), None);
    }

    #[test]
    fn get_errors_name_the_extra_and_what_is_there() {
        let mut extras = Extras::default();
        extras.insert("pivot_user_id".into(), ExtraValue::Int(1));
        extras.insert("proficiency".into(), text("master"));
        let missing = extras.get::<i64>("level").unwrap_err().to_string();
        assert!(missing.contains("`level`"), "{missing}");
        assert!(
            missing.contains("have pivot_user_id, proficiency"),
            "{missing}"
        );
        let wrong = extras
            .get::<String>("pivot_user_id")
            .unwrap_err()
            .to_string();
        assert!(wrong.contains("`pivot_user_id`"), "{wrong}");
        assert!(wrong.contains("Int(1), not a"), "{wrong}");
        assert!(wrong.contains("String"), "{wrong}");
    }

    #[test]
    fn rows_of_one_parent_share_the_names_and_the_parent_key() {
        let shared = SharedExtras::new(
            names(&["pivot_user_id", "pivot_skill_id", "proficiency"]),
            ExtraValue::Int(7),
        );
        let a = Extras::for_row(&shared, ExtraValue::Int(1), vec![text("master")]);
        let b = Extras::for_row(&shared, ExtraValue::Int(2), vec![ExtraValue::Null]);
        assert!(Arc::ptr_eq(a.shared.as_ref().unwrap(), &shared));
        assert!(Arc::ptr_eq(b.shared.as_ref().unwrap(), &shared));
        assert_eq!(Arc::strong_count(&shared), 3);
        for row in [&a, &b] {
            assert_eq!(
                row.names().collect::<Vec<_>>(),
                ["pivot_user_id", "pivot_skill_id", "proficiency"]
            );
            assert_eq!(row.value("pivot_user_id"), Some(ExtraValue::Int(7)));
        }
        assert_eq!(a.related, KeyExtra::Int(1));
        assert_eq!(a.get::<i64>("pivot_skill_id").unwrap(), 1);
        assert_eq!(b.get::<i64>("pivot_skill_id").unwrap(), 2);
        assert_eq!(a.get::<String>("proficiency").unwrap(), "master");
        assert_eq!(b.get::<Option<String>>("proficiency").unwrap(), None);
        assert_eq!(
            a.values(),
            [ExtraValue::Int(7), ExtraValue::Int(1), text("master")]
        );
    }

    #[test]
    fn rows_without_runtime_columns_allocate_no_rest() {
        let shared = SharedExtras::new(names(&["pivot_user_id", "pivot_skill_id"]), text("u1"));
        let row = Extras::for_row(&shared, text("s1"), Vec::new());
        assert!(row.rest.is_none());
        assert_eq!(row.value("pivot_user_id"), Some(text("u1")));
        assert_eq!(row.get::<String>("pivot_skill_id").unwrap(), "s1");
    }

    #[test]
    fn static_names_read_like_shared_ones() {
        let list: &'static [String] = Box::leak(
            vec![
                "pivot_a".to_string(),
                "pivot_b".to_string(),
                "pivot_c".to_string(),
            ]
            .into_boxed_slice(),
        );
        let static_names = ExtraNames::Static(list);
        assert_eq!(static_names.len(), 3);
        assert_eq!(ExtraNames::default().len(), 0);
        let shared = SharedExtras::new(static_names, ExtraValue::Int(1));
        let row = Extras::for_row(&shared, ExtraValue::Int(2), vec![ExtraValue::Bool(true)]);
        assert_eq!(
            row.names().collect::<Vec<_>>(),
            ["pivot_a", "pivot_b", "pivot_c"]
        );
        assert!(row.get::<bool>("pivot_c").unwrap());
    }

    #[test]
    fn a_key_is_16_bytes_and_an_integer_key_stays_inline() {
        assert_eq!(std::mem::size_of::<KeyExtra>(), 16);
        assert!(
            std::mem::size_of::<Extras>() <= 32,
            "{}",
            std::mem::size_of::<Extras>()
        );
        assert_eq!(KeyExtra::from_value(ExtraValue::Int(-3)), KeyExtra::Int(-3));
        assert_eq!(KeyExtra::Int(-3).to_value(), ExtraValue::Int(-3));
        assert_eq!(KeyExtra::Absent.to_value(), ExtraValue::Null);
        for value in [
            text("k1"),
            ExtraValue::Null,
            ExtraValue::Float(1.5),
            ExtraValue::Bool(false),
            ExtraValue::Unsupported("UUID".into()),
        ] {
            let key = KeyExtra::from_value(value.clone());
            assert!(matches!(key, KeyExtra::Other(_)), "{key:?}");
            assert_eq!(key.to_value(), value);
        }
    }

    #[test]
    fn inserting_into_a_row_keeps_its_values_and_leaves_the_other_rows_alone() {
        let shared = SharedExtras::new(
            names(&["pivot_user_id", "pivot_skill_id", "proficiency"]),
            ExtraValue::Int(7),
        );
        let other = Extras::for_row(&shared, ExtraValue::Int(2), vec![text("novice")]);
        let mut row = Extras::for_row(&shared, ExtraValue::Int(1), vec![text("master")]);
        row.insert("seen".into(), ExtraValue::Bool(true));
        assert_eq!(
            row.names().collect::<Vec<_>>(),
            ["pivot_user_id", "pivot_skill_id", "proficiency", "seen"]
        );
        assert_eq!(row.get::<i64>("pivot_user_id").unwrap(), 7);
        assert_eq!(row.get::<i64>("pivot_skill_id").unwrap(), 1);
        assert_eq!(row.get::<String>("proficiency").unwrap(), "master");
        assert!(row.get::<bool>("seen").unwrap());
        assert_eq!(row.related, KeyExtra::Absent);
        assert!(!Arc::ptr_eq(row.shared.as_ref().unwrap(), &shared));
        assert_eq!(Arc::strong_count(&shared), 2);
        assert_eq!(other.names().count(), 3);
        assert_eq!(other.get::<i64>("pivot_skill_id").unwrap(), 2);
        assert_eq!(other.get::<String>("proficiency").unwrap(), "novice");
    }
}
