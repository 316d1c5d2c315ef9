//! Many-to-many relations through a pivot table: metadata, the handle's operations (attach,
//! detach, sync with an exact report, toggle, update_pivot, save, create) and their SQL.

mod diff;
mod explain;
mod handle;
mod load;
mod ops;
mod pivot_query;
mod query;
mod related;
mod report;
mod statements;
mod through;

pub use handle::{ManyToManyHandle, new_handle};
pub use pivot_query::{PivotQuery, PivotRecord};
pub use query::RelatedQuery;
pub use report::SyncReport;
pub use through::{PivotRows, ReadsPivot, Through};
