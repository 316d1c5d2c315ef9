//! Relations: the field types models declare and the metadata the derive emits for each
//! relation (plain data: kind, keys, pivot table). The handles that read and write relations
//! live above, in their own modules.

mod fields;
pub(crate) mod many_to_many;

#[doc(hidden)]
pub use fields::relation_not_loaded;
pub use fields::{BelongsTo, HasMany, HasOne, ManyToMany};
pub use many_to_many::{ManyToManyMeta, ManyToManyOn, ManyToManyRelation};

use crate::model::ModelSchema;

/// A relation of a model, named by its accessor (`User::skills()`), whose handle
/// `parent.related(relation)` returns. Implemented by `#[derive(Model)]`.
pub trait Relation: Copy {
    /// The model that declares the relation.
    type Parent: ModelSchema;
    /// What `parent.related(relation)` returns.
    type Handle<'p>;

    /// The handle of `parent`'s relation.
    fn handle(self, parent: &Self::Parent) -> Self::Handle<'_>;
}
