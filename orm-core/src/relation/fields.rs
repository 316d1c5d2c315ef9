//! The relation field types a model declares: `ManyToMany`, `HasMany`, `HasOne`, `BelongsTo`.
//!
//! Each starts as not loaded; reading it then is an error naming the relation, never a silent
//! empty list. Preloading fills it.

use std::fmt;

use crate::error::{Error, Result};
use crate::pivot::Pivoted;

/// A relation field type; generated code builds each one not loaded.
#[doc(hidden)]
pub trait RelationField {
    /// A field that is not loaded yet, owned by `model.relation`.
    fn not_loaded(model: &'static str, relation: &'static str) -> Self;
}

/// Builds a not-loaded relation field. Used by generated code.
#[doc(hidden)]
pub fn relation_not_loaded<T: RelationField>(model: &'static str, relation: &'static str) -> T {
    T::not_loaded(model, relation)
}

const PRELOAD_HINT: &str = "preload it with Model::query().preload(Model::relation())";
const COUNT_HINT: &str = "count it with Model::query().with_count(Model::relation()) or preload it";

/// Who owns a relation field, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Owner {
    model: &'static str,
    relation: &'static str,
}

impl Default for Owner {
    fn default() -> Self {
        Owner {
            model: "<model>",
            relation: "<relation>",
        }
    }
}

impl Owner {
    fn not_loaded(self) -> Error {
        Error::NotLoaded {
            model: self.model,
            relation: self.relation,
            what: "loaded",
            hint: PRELOAD_HINT,
        }
    }
}

macro_rules! relation_field {
    ($(#[$doc:meta])* $name:ident<$($param:ident $(= $default:ty)?),*>, $value:ty, $get:ty, |$v:ident| $borrow:expr) => {
        $(#[$doc])*
        pub struct $name<$($param $(= $default)?),*> {
            owner: Owner,
            value: Option<$value>,
            count: Option<i64>,
        }

        impl<$($param),*> $name<$($param),*> {
            /// A field that is not loaded yet, owned by `model.relation`. Used by generated code.
            #[doc(hidden)]
            pub fn not_loaded(model: &'static str, relation: &'static str) -> Self {
                $name { owner: Owner { model, relation }, value: None, count: None }
            }

            /// The loaded value.
            ///
            /// # Errors
            /// [`Error::NotLoaded`] naming the relation when it was not preloaded.
            pub fn get(&self) -> Result<$get> {
                match &self.value {
                    Some($v) => Ok($borrow),
                    None => Err(self.owner.not_loaded()),
                }
            }

            /// Whether the relation was preloaded.
            pub fn is_loaded(&self) -> bool {
                self.value.is_some()
            }

            /// Stores a loaded value. Used by preload.
            #[doc(hidden)]
            pub fn set_loaded(&mut self, value: $value) {
                self.value = Some(value);
            }

            /// Stores a count. Used by `with_count`.
            #[doc(hidden)]
            pub fn set_count(&mut self, count: i64) {
                self.count = Some(count);
            }

            /// The loaded value, mutably. Used by nested preloads.
            #[doc(hidden)]
            pub fn loaded_mut(&mut self) -> Option<&mut $value> {
                self.value.as_mut()
            }

            /// Takes the loaded value out, leaving the field not loaded.
            pub fn take(&mut self) -> Option<$value> {
                self.value.take()
            }
        }

        impl<$($param),*> RelationField for $name<$($param),*> {
            fn not_loaded(model: &'static str, relation: &'static str) -> Self {
                $name::not_loaded(model, relation)
            }
        }

        impl<$($param),*> Default for $name<$($param),*> {
            fn default() -> Self {
                $name { owner: Owner::default(), value: None, count: None }
            }
        }

        impl<$($param: Clone),*> Clone for $name<$($param),*> {
            fn clone(&self) -> Self {
                $name { owner: self.owner, value: self.value.clone(), count: self.count }
            }
        }

        /// Equal when both hold the same loaded value and count (not loaded equals not loaded),
        /// so models holding relation fields can derive `PartialEq`.
        impl<$($param),*> PartialEq for $name<$($param),*> where $value: PartialEq {
            fn eq(&self, other: &Self) -> bool {
                self.value == other.value && self.count == other.count
            }
        }

        impl<$($param: fmt::Debug),*> fmt::Debug for $name<$($param),*> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match (&self.value, self.count) {
                    (Some(value), _) => value.fmt(f),
                    (None, Some(count)) => write!(f, "{}(count: {count})", stringify!($name)),
                    (None, None) => write!(f, "{}(not loaded)", stringify!($name)),
                }
            }
        }
    };
}

relation_field!(
    /// A many-to-many relation through a pivot table: `#[many_to_many] skills: ManyToMany<Skill, Proficiency>`.
    /// `P` is the pivot's typed extra columns (`()` for none).
    ///
    /// ```
    /// use orm_core::ManyToMany;
    /// let skills: ManyToMany<String> = ManyToMany::not_loaded("User", "skills");
    /// assert!(skills.get().is_err());
    /// ```
    ManyToMany<M, P = ()>, Vec<Pivoted<M, P>>, &[Pivoted<M, P>], |v| v.as_slice()
);

relation_field!(
    /// A one-to-many relation: `#[has_many(foreign_key = "author_id")] posts: HasMany<Post>`.
    ///
    /// ```
    /// use orm_core::HasMany;
    /// let posts: HasMany<String> = HasMany::not_loaded("User", "posts");
    /// assert!(posts.get().is_err());
    /// ```
    HasMany<M>, Vec<M>, &[M], |v| v.as_slice()
);

relation_field!(
    /// A one-to-one relation whose foreign key is on the other table: `#[has_one] profile: HasOne<Profile>`.
    /// The loaded value is boxed, so `HasOne<Self>` is allowed.
    ///
    /// ```
    /// use orm_core::HasOne;
    /// let profile: HasOne<String> = HasOne::not_loaded("User", "profile");
    /// assert!(profile.get().is_err());
    /// ```
    HasOne<M>, Option<Box<M>>, Option<&M>, |v| v.as_deref()
);

relation_field!(
    /// The owning side of a relation, whose foreign key is on this table:
    /// `#[belongs_to(foreign_key = "author_id")] author: BelongsTo<User>`.
    ///
    /// The loaded value is boxed, so a model can belong to its own kind (`inviter:
    /// BelongsTo<User>` inside `User`, `parent: BelongsTo<Category>` inside `Category`):
    ///
    /// ```
    /// use orm_core::BelongsTo;
    /// let author: BelongsTo<String> = BelongsTo::not_loaded("Post", "author");
    /// assert!(author.get().is_err());
    ///
    /// struct Category {
    ///     parent: BelongsTo<Category>,
    /// }
    /// let mut root = Category { parent: BelongsTo::not_loaded("Category", "parent") };
    /// root.parent.set_loaded(None);
    /// assert!(root.parent.get()?.is_none());
    /// # Ok::<(), orm_core::Error>(())
    /// ```
    BelongsTo<M>, Option<Box<M>>, Option<&M>, |v| v.as_deref()
);

/// A relation field that preload fills from the rows found for its parent, in order: all of
/// them (`HasMany`, `ManyToMany`) or the first (`HasOne`, `BelongsTo`). Used by the relation
/// layer.
#[doc(hidden)]
pub trait LoadedField<T> {
    /// Stores the rows found for this parent (none: an empty list, or `None`).
    fn store(&mut self, rows: Vec<T>);
    /// Stores a `with_count` result.
    fn store_count(&mut self, count: i64);
    /// Appends the loaded rows, for nested preloads.
    fn loaded<'a>(&'a mut self, out: &mut Vec<&'a mut T>);
    /// Forgets what was loaded or counted: the field is not loaded again.
    fn reset(&mut self);
}

impl<M, P> LoadedField<Pivoted<M, P>> for ManyToMany<M, P> {
    fn store(&mut self, rows: Vec<Pivoted<M, P>>) {
        self.value = Some(rows);
    }
    fn store_count(&mut self, count: i64) {
        self.count = Some(count);
    }
    fn loaded<'a>(&'a mut self, out: &mut Vec<&'a mut Pivoted<M, P>>) {
        out.extend(self.value.iter_mut().flatten());
    }
    fn reset(&mut self) {
        (self.value, self.count) = (None, None);
    }
}

impl<M> LoadedField<M> for HasMany<M> {
    fn store(&mut self, rows: Vec<M>) {
        self.value = Some(rows);
    }
    fn store_count(&mut self, count: i64) {
        self.count = Some(count);
    }
    fn loaded<'a>(&'a mut self, out: &mut Vec<&'a mut M>) {
        out.extend(self.value.iter_mut().flatten());
    }
    fn reset(&mut self) {
        (self.value, self.count) = (None, None);
    }
}

macro_rules! one_field {
    ($name:ident) => {
        impl<M> LoadedField<M> for $name<M> {
            fn store(&mut self, rows: Vec<M>) {
                self.value = Some(rows.into_iter().next().map(Box::new));
            }
            fn store_count(&mut self, count: i64) {
                self.count = Some(count);
            }
            fn loaded<'a>(&'a mut self, out: &mut Vec<&'a mut M>) {
                if let Some(Some(model)) = &mut self.value {
                    out.push(&mut **model);
                }
            }
            fn reset(&mut self) {
                (self.value, self.count) = (None, None);
            }
        }

        impl<M> $name<M> {
            /// Whether a related row exists: the `with_count` result (0 or 1), or whether the
            /// loaded value is `Some`.
            ///
            /// # Errors
            /// [`Error::NotLoaded`] when the relation was neither counted nor loaded.
            pub fn exists(&self) -> Result<bool> {
                self.count
                    .map(|n| n > 0)
                    .or_else(|| self.value.as_ref().map(Option::is_some))
                    .ok_or(Error::NotLoaded {
                        model: self.owner.model,
                        relation: self.owner.relation,
                        what: "counted",
                        hint: COUNT_HINT,
                    })
            }
        }
    };
}

one_field!(HasOne);
one_field!(BelongsTo);

impl<M, P> ManyToMany<M, P> {
    /// How many related rows the parent has: the `with_count` result, or the loaded list's length.
    ///
    /// # Errors
    /// [`Error::NotLoaded`] when the relation was neither counted nor loaded.
    pub fn count(&self) -> Result<i64> {
        self.count
            .or_else(|| self.value.as_ref().map(|v| v.len() as i64))
            .ok_or(Error::NotLoaded {
                model: self.owner.model,
                relation: self.owner.relation,
                what: "counted",
                hint: COUNT_HINT,
            })
    }
}

impl<M> HasMany<M> {
    /// How many related rows the parent has: the `with_count` result, or the loaded list's length.
    ///
    /// # Errors
    /// [`Error::NotLoaded`] when the relation was neither counted nor loaded.
    pub fn count(&self) -> Result<i64> {
        self.count
            .or_else(|| self.value.as_ref().map(|v| v.len() as i64))
            .ok_or(Error::NotLoaded {
                model: self.owner.model,
                relation: self.owner.relation,
                what: "counted",
                hint: COUNT_HINT,
            })
    }
}
