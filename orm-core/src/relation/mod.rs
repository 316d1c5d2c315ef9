//! Relations: the field types models declare, and (in their own modules) the handles that
//! read and write them.

mod fields;

pub use fields::{BelongsTo, HasMany, HasOne, ManyToMany};
#[doc(hidden)]
pub use fields::relation_not_loaded;
