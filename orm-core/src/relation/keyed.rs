//! What a `#[has_many]`, `#[has_one]` or `#[belongs_to]` attribute says, as plain data, and the
//! traits the derive implements for each such relation: a column of the parent matched with a
//! column of the related model, no pivot.

use super::{LoadedField, Relation, kind};
use crate::value::Key;

/// The tables and columns of a relation found by key, resolved from the attribute and Lucid's
/// defaults.
///
/// | kind | `parent_column` | `related_column` |
/// |---|---|---|
/// | `#[has_many]`, `#[has_one]` | `local_key` (this model's primary key) | `foreign_key` (`author_id` for `Author`) |
/// | `#[belongs_to]` | `foreign_key` (`author_id` for `BelongsTo<Author>`) | `owner_key` (the related primary key) |
#[derive(Debug, Clone, Copy)]
pub struct KeyedMeta {
    /// The parent model's name: `Author`.
    pub parent: &'static str,
    /// The relation field: `posts`.
    pub relation: &'static str,
    /// The attribute: `has_many`, `has_one` or `belongs_to`.
    pub kind: &'static str,
    /// The parent's column the related rows are matched on.
    pub parent_column: &'static str,
    /// The related table: `posts`.
    pub related_table: &'static str,
    /// The related model's column matched with `parent_column`.
    pub related_column: &'static str,
}

/// A relation whose related rows are those whose `related_column` equals the parent's
/// `parent_column`. Implemented by `#[derive(Model)]` for `#[has_many]`, `#[has_one]` and
/// `#[belongs_to]` fields.
///
/// ```
/// # use orm_core::KeyedRelation;
/// fn columns<R: KeyedRelation>(_: R) -> (&'static str, &'static str) {
///     (R::meta().parent_column, R::meta().related_column)
/// }
/// ```
pub trait KeyedRelation: Relation<Kind = kind::Keys> {
    /// The key both columns hold (without `Option`: a null key matches nothing).
    type Key: Key;
    /// The parent's relation field: `HasMany<Post>`, `HasOne<Profile>`, `BelongsTo<User>`.
    type Field: LoadedField<Self::Related>;

    /// The relation's tables and columns.
    fn meta() -> &'static KeyedMeta;

    /// The parent's key; `None` when its column is null.
    fn parent_key(parent: &Self::Parent) -> Option<&Self::Key>;

    /// The related row's key; `None` when its column is null.
    fn related_key(related: &Self::Related) -> Option<&Self::Key>;

    /// The relation field on the parent.
    fn field(parent: &mut Self::Parent) -> &mut Self::Field;
}

/// `#[has_many]` / `#[has_one]`: the foreign key is on the related model, which `save` and
/// `create` point at the parent.
pub trait HasRelation: KeyedRelation {
    /// Points `related` at the parent whose key is `key`.
    fn set_foreign_key(related: &mut Self::Related, key: Self::Key);
}

/// `#[belongs_to]`: the foreign key is on the parent, which `associate` and `dissociate` set.
pub trait BelongsToRelation: KeyedRelation {
    /// Sets the parent's foreign key; `None` clears it. Returns `false`, changing nothing, when
    /// asked to clear a foreign key that is not an `Option`.
    fn set_foreign_key(parent: &mut Self::Parent, key: Option<Self::Key>) -> bool;
}

/// A key column's value as a key: `K` itself, or `Option<K>` (null: no key). Used by generated
/// code, whose calls prove that a foreign key has the type of the key it refers to.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "relation key types differ: `{Self}` and `{K}`",
    label = "this relation key's column and the key it refers to have different types",
    note = "a foreign key has the type of the key it refers to, or that type in an `Option`"
)]
pub trait KeyOf<K> {
    /// The key, `None` when null.
    fn key_of(&self) -> Option<&K>;
    /// Sets the key; `false` (nothing changed) when `None` is given for a column that cannot
    /// hold it.
    fn set_key(&mut self, key: Option<K>) -> bool;
}

#[diagnostic::do_not_recommend]
impl<K> KeyOf<K> for K {
    fn key_of(&self) -> Option<&K> {
        Some(self)
    }
    fn set_key(&mut self, key: Option<K>) -> bool {
        match key {
            Some(key) => {
                *self = key;
                true
            }
            None => false,
        }
    }
}

#[diagnostic::do_not_recommend]
impl<K> KeyOf<K> for Option<K> {
    fn key_of(&self) -> Option<&K> {
        self.as_ref()
    }
    fn set_key(&mut self, key: Option<K>) -> bool {
        *self = key;
        true
    }
}
