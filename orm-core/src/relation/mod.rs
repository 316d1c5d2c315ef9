//! Relations: the field types models declare, and (in their own modules) the handles that
//! read and write them.

mod fields;

#[doc(hidden)]
pub use fields::relation_not_loaded;
pub use fields::{BelongsTo, HasMany, HasOne, ManyToMany};

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
