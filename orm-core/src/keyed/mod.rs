//! Relations found by one key column on each side, without a pivot: `#[has_many]`,
//! `#[has_one]` and `#[belongs_to]`. How the relation layer loads, counts and filters by them
//! (`load`, `statements`), and their handles (`handle` for has_many / has_one, `belongs_to`).

mod belongs_to;
mod handle;
mod load;
mod statements;

pub use belongs_to::{BelongsToHandle, BelongsToMut};
pub use handle::{HasHandle, HasManyHandle, HasOneHandle, Many, One};
