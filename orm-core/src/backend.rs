//! [`Backend`]: the one bound that code generic over the database needs.

use crate::dialect::Dialect;
use crate::execute::Execute;

/// A database the ORM runs on: `sqlx::Sqlite`, `sqlx::Postgres` or `sqlx::MySql` (each behind
/// its cargo feature). Its SQL dialect and its way of running statements are implementation
/// details; generic code names this bound alone.
///
/// ```no_run
/// use orm_core::{Backend, Model, ModelRow, Result};
///
/// /// Counts the rows of any model, on any backend, through a pool.
/// async fn count_all<M: Model + ModelRow<DB>, DB: Backend>(pool: &sqlx::Pool<DB>) -> Result<i64> {
///     M::query().count(pool).await
/// }
/// ```
pub trait Backend: Dialect + Execute {
    /// `sqlite`, `postgres` or `mysql`.
    ///
    /// ```
    /// use orm_core::Backend;
    /// assert_eq!(<sqlx::Sqlite as Backend>::NAME, "sqlite");
    /// ```
    const NAME: &'static str = <Self as Dialect>::DIALECT;
}

impl<DB: Dialect + Execute> Backend for DB {}
