//! Relations found by one key column on each side, without a pivot: `#[has_many]`,
//! `#[has_one]` and `#[belongs_to]`. How the relation layer loads, counts and filters by them
//! (`load`), and their handles (`handle`).

mod handle;
mod load;
mod statements;

pub use handle::{BelongsToHandle, BelongsToMut, HasManyHandle, HasOneHandle};
