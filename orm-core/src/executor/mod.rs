//! The user's own sqlx handle, whatever it is: `&pool`, `&mut tx` or `&mut conn`.
//!
//! sqlx's `Executor` is consumed by each statement, but an ORM operation such as `sync` runs
//! several. [`Executor`] turns any of the user's handles into one connection that the operation
//! keeps for all its statements: a pool lends one connection for the whole call; a transaction
//! or connection is borrowed as it is, so the operation runs inside the caller's transaction.

use std::future::Future;
use std::ops::{Deref, DerefMut};

use sqlx::pool::PoolConnection;
use sqlx::{Database, Pool, Transaction};

use crate::backend::Backend;
use crate::dialect::Sealed;
use crate::error::{Error, Result};

mod atomic;
mod cluster;

pub(crate) use atomic::{Retry, atomically, finish as finish_transaction};
pub use cluster::{Cluster, Session};

/// One connection held for the length of an ORM call.
pub enum Conn<'a, DB: Database> {
    /// The caller's connection or transaction, borrowed.
    Borrowed(&'a mut DB::Connection),
    /// A connection taken from the caller's pool, returned when the call ends.
    Pooled(PoolConnection<DB>),
}

impl<DB: Database> Deref for Conn<'_, DB> {
    type Target = DB::Connection;

    fn deref(&self) -> &DB::Connection {
        match self {
            Conn::Borrowed(conn) => conn,
            Conn::Pooled(conn) => conn,
        }
    }
}

/// A pooled connection dropped while one of its statements was in flight (the call was
/// cancelled, e.g. by a timeout) is closed instead of returned: its protocol state is unknown,
/// and sqlx's check on return can wait forever on such a connection (MySQL, see `cancel`).
impl<DB: Database> Drop for Conn<'_, DB> {
    fn drop(&mut self) {
        if let Conn::Pooled(conn) = self
            && crate::execute::take_interrupted(&**conn)
        {
            conn.close_on_drop();
        }
    }
}

impl<DB: Database> DerefMut for Conn<'_, DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        match self {
            Conn::Borrowed(conn) => conn,
            Conn::Pooled(conn) => conn,
        }
    }
}

/// Anything an ORM operation can run on: `&Pool<DB>`, `&mut Transaction<DB>`,
/// `&mut PoolConnection<DB>`, or `&mut` a backend connection (`&mut *tx` included). Sealed.
///
/// ```no_run
/// # async fn run(pool: sqlx::SqlitePool) -> orm_core::Result<()> {
/// use orm_core::Executor;
///
/// let mut conn = pool.acquire().await.map_err(|e| orm_core::Error::Database { context: "acquire".into(), source: e })?;
/// let _held = (&mut conn).acquire().await?; // borrows the caller's connection
/// # Ok(()) }
/// ```
///
/// The trait has no lifetime parameter, so futures of ORM calls on `&pool` are `Send` for any
/// borrow (they can be spawned), unlike a lifetime-parameterised executor (sqlx issue 1015).
///
/// In code generic over the backend (`DB: Backend`), pass a transaction as `&mut tx`: `&mut *tx`
/// is a `&mut DB::Connection`, an executor for each concrete backend but not for an unknown
/// `DB` (Rust cannot tell that type from the others this trait is implemented for).
///
/// ```no_run
/// use orm_core::{Backend, Model, ModelRow, Result};
///
/// async fn count_in<M: Model + ModelRow<DB>, DB: Backend>(pool: &sqlx::Pool<DB>) -> Result<i64> {
///     let mut tx = pool.begin().await.map_err(|e| orm_core::Error::Database { context: "begin".into(), source: e })?;
///     let n = M::query().count(&mut tx).await?;
///     tx.commit().await.map_err(|e| orm_core::Error::Database { context: "commit".into(), source: e })?;
///     Ok(n)
/// }
/// ```
pub trait Executor: Send + Sized + Sealed {
    /// The database this handle talks to.
    type Backend: Backend;
    /// The connection held for the call: [`Conn`], borrowing the caller's handle or owning a
    /// pooled connection. `&mut` it is an executor too.
    type Connection: HeldConnection<Backend = Self::Backend>;

    /// The connection to run the operation's statements on: one that sees every committed
    /// write (with a [`Cluster`], the primary). Writes, and reads that must not lag, use it.
    fn acquire(self) -> impl Future<Output = Result<Self::Connection>> + Send;

    /// The connection for an operation that only reads (`fetch_*`, `count`, `exists`,
    /// aggregates, related queries, preloads, streams, pages). The same as
    /// [`acquire`](Executor::acquire) for every handle but a [`Cluster`] or [`Session`], which
    /// send reads to a replica.
    fn acquire_read(self) -> impl Future<Output = Result<Self::Connection>> + Send {
        self.acquire()
    }
}

impl<DB: Backend> Sealed for &Pool<DB> {}

impl<DB: Backend> Executor for &Pool<DB> {
    type Backend = DB;
    type Connection = Conn<'static, DB>;

    async fn acquire(self) -> Result<Conn<'static, DB>> {
        let conn = Pool::acquire(self)
            .await
            .map_err(|e| Error::db("acquire a pool connection", e))?;
        Ok(Conn::Pooled(conn))
    }
}

impl<DB: Backend> Sealed for &mut Transaction<'_, DB> {}

impl<'a, DB: Backend> Executor for &'a mut Transaction<'_, DB> {
    type Backend = DB;
    type Connection = Conn<'a, DB>;

    fn acquire(self) -> impl Future<Output = Result<Conn<'a, DB>>> + Send {
        std::future::ready(Ok(Conn::Borrowed(&mut **self)))
    }
}

impl<DB: Backend> Sealed for &mut PoolConnection<DB> {}

impl<'a, DB: Backend> Executor for &'a mut PoolConnection<DB> {
    type Backend = DB;
    type Connection = Conn<'a, DB>;

    fn acquire(self) -> impl Future<Output = Result<Conn<'a, DB>>> + Send {
        std::future::ready(Ok(Conn::Borrowed(&mut **self)))
    }
}

/// A connection held for an ORM call ([`Conn`]). Sealed.
pub trait HeldConnection:
    DerefMut<Target = <Self::Backend as Database>::Connection> + Send + Sealed
{
    /// The database it talks to.
    type Backend: Backend;
}

impl<DB: Backend> Sealed for Conn<'_, DB> {}

impl<DB: Backend> HeldConnection for Conn<'_, DB> {
    type Backend = DB;
}

impl<C: HeldConnection> Sealed for &mut C {}

/// A held connection is itself an executor, so a generic helper can acquire once and run
/// several ORM operations on the same connection (or the caller's transaction).
///
/// ```no_run
/// # use orm_core::{Executor, Model, ModelRow};
/// async fn twice<M: ModelRow<E::Backend>, E: Executor>(exec: E) -> orm_core::Result<i64> {
///     let mut conn = exec.acquire().await?;
///     let first = M::query().count(&mut conn).await?;
///     let second = M::query().count(&mut conn).await?;
///     Ok(first + second)
/// }
/// ```
impl<'a, C: HeldConnection> Executor for &'a mut C {
    type Backend = C::Backend;
    type Connection = Conn<'a, C::Backend>;

    fn acquire(self) -> impl Future<Output = Result<Conn<'a, C::Backend>>> + Send {
        std::future::ready(Ok(Conn::Borrowed(&mut **self)))
    }
}

macro_rules! connection_executor {
    ($feature:literal, $conn:ty, $db:ty) => {
        #[cfg(feature = $feature)]
        impl Sealed for &mut $conn {}

        #[cfg(feature = $feature)]
        impl<'a> Executor for &'a mut $conn {
            type Backend = $db;
            type Connection = Conn<'a, $db>;

            fn acquire(self) -> impl Future<Output = Result<Conn<'a, $db>>> + Send {
                std::future::ready(Ok(Conn::Borrowed(self)))
            }
        }
    };
}

connection_executor!("sqlite", sqlx::SqliteConnection, sqlx::Sqlite);
connection_executor!("postgres", sqlx::PgConnection, sqlx::Postgres);
connection_executor!("mysql", sqlx::MySqlConnection, sqlx::MySql);
