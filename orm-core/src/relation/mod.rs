//! Relations: the field types models declare and the metadata the derive emits for each
//! relation (plain data: kind, keys, pivot table). The handles that read and write relations,
//! and the query methods that load them, live above, in their own modules.

mod fields;
pub(crate) mod keyed;
pub(crate) mod many_to_many;

pub use fields::{BelongsTo, HasMany, HasOne, ManyToMany};
#[doc(hidden)]
pub use fields::{LoadedField, relation_not_loaded};
#[doc(hidden)]
pub use keyed::KeyOf;
pub use keyed::{BelongsToRelation, HasRelation, KeyedMeta, KeyedRelation};
pub use many_to_many::{ManyToManyMeta, ManyToManyOn, ManyToManyRelation};

use crate::model::ModelSchema;

/// How a relation's rows are found, named by [`Relation::Kind`]. The query layer loads, counts
/// and filters every relation through its kind.
pub mod kind {
    /// Through a pivot table: `#[many_to_many]`.
    #[derive(Debug, Clone, Copy)]
    pub struct Pivot;

    /// By one key column on each side, no pivot: `#[has_many]`, `#[has_one]`, `#[belongs_to]`.
    #[derive(Debug, Clone, Copy)]
    pub struct Keys;
}

/// A relation of a model, named by its accessor (`User::skills()`, `Post::author()`), whose
/// handle `parent.related(relation)` returns. Implemented by `#[derive(Model)]` for every
/// relation field, of every kind.
///
/// ```
/// # use orm_core::{ModelSchema, Relation};
/// fn related_table<R: Relation>(_: R) -> &'static str { <R::Related as ModelSchema>::META.table }
/// ```
pub trait Relation: Copy + Send + Sync + 'static {
    /// The model that declares the relation.
    type Parent: ModelSchema;
    /// The model on the other side.
    type Related: ModelSchema;
    /// How the related rows are found: [`kind::Pivot`] or [`kind::Keys`].
    type Kind;
    /// What `parent.related(relation)` returns.
    type Handle<'p>;

    /// The handle of `parent`'s relation.
    fn handle(self, parent: &Self::Parent) -> Self::Handle<'_>;
}

/// A relation whose writes change the parent row itself (`#[belongs_to]`'s `associate` and
/// `dissociate` set the parent's foreign key), reached through `parent.related_mut(relation)`.
///
/// ```
/// # use orm_core::RelationMut;
/// fn writes_parent<R: RelationMut>(_: R) {}
/// ```
pub trait RelationMut: Relation {
    /// What `parent.related_mut(relation)` returns.
    type HandleMut<'p>;

    /// The handle of `parent`'s relation, allowed to change `parent`.
    fn handle_mut(self, parent: &mut Self::Parent) -> Self::HandleMut<'_>;
}
