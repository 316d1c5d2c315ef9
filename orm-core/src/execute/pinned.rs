//! Statements in a transaction of their own, so that every round trip of one statement reaches
//! the same server behind a transaction pooler (pgbouncer's `pool_mode = transaction`).
//!
//! sqlx 0.9 runs a statement with arguments in two round trips (sqlx-postgres-0.9.1
//! `connection/executor.rs`, `prepare` then `try_get_or_prepare`): `Parse`/`Describe`/`Sync`,
//! whose `ReadyForQuery` it waits for, then `Bind`/`Execute`/`Sync`. Outside a transaction
//! the server reports itself idle after the first `Sync`, and a transaction pooler lends the
//! next message to any server: the `Bind` fails with "prepared statement ... does not exist",
//! or binds another client's unnamed statement of the same shape and runs *that* one. With
//! sqlx's statement cache on, the named statements (`sqlx_s_N`) live on one server only and
//! fail the same way on the others. Inside a transaction the pooler keeps the server until the
//! transaction ends, so:
//!
//! - the connection option for a pooler is `PgConnectOptions::statement_cache_capacity(0)`
//!   (every statement unnamed, nothing left on a server between transactions), and
//! - the ORM runs each statement that is not already inside a transaction in one of its own
//!   (`BEGIN`, the statement, `COMMIT`), each `BEGIN` and `COMMIT` an `orm::sql` event.
//!
//! Which connections: [`Execute::pins`]. The PostgreSQL rule is "the application said it runs
//! behind a transaction pooler ([`set_transaction_pooler`]), not in a transaction, and no
//! statement in sqlx's cache". Without the setting nothing is wrapped: the cache alone cannot
//! tell a pooler's connection from a direct one that has only run unprepared statements (the
//! ORM plans large key lists at each execution), which would otherwise pay two round trips
//! more on every such read (measured: the peer benchmark's W1 went from 2 to 4 statements). A connection with the cache off never caches one, so every
//! statement outside a transaction is wrapped. A connection with the cache on caches the first
//! statement it runs with the cache (wrapped, as its cache is still empty: one `BEGIN` and one
//! `COMMIT` more on a fresh connection) and is never wrapped again until its cache is cleared.
//! The ORM's own transactions (`atomically!`) and the caller's are inside a transaction
//! already and are not wrapped again.
//!
//! A wrapped statement is atomic as an autocommitted one is; its cost is two round trips more
//! (measured in the README, "Behind pgbouncer").
//!
//! [`Execute::pins`]: super::Execute::pins

use std::sync::atomic::{AtomicBool, Ordering};

use futures_core::stream::BoxStream;

use super::generator::Generator;
use super::{Execute, begin_transaction, finish_transaction};
use crate::error::Error;

/// Whether the application's PostgreSQL connections go through a transaction pooler: off until
/// [`set_transaction_pooler`].
static TRANSACTION_POOLER: AtomicBool = AtomicBool::new(false);

/// Tells the ORM that the application's PostgreSQL pools go through a transaction pooler
/// (pgbouncer in `pool_mode = transaction`): a statement outside any transaction, on a
/// connection whose sqlx statement cache is empty (always with `statement_cache_capacity(0)`,
/// the pooler's connection option), then runs in a transaction of its own. Call it once at
/// startup; it changes nothing on SQLite and MySQL, and nothing while it is off (the default), so
/// a direct connection never pays for it.
///
/// ```
/// use orm_core::{set_transaction_pooler, transaction_pooler};
///
/// assert!(!transaction_pooler());
/// set_transaction_pooler(true); // the pools are pgbouncer's, with statement_cache_capacity(0)
/// assert!(transaction_pooler());
/// # set_transaction_pooler(false);
/// ```
pub fn set_transaction_pooler(on: bool) {
    TRANSACTION_POOLER.store(on, Ordering::Relaxed);
}

/// Whether [`set_transaction_pooler`] is on.
///
/// ```
/// assert!(!orm_core::transaction_pooler());
/// ```
pub fn transaction_pooler() -> bool {
    TRANSACTION_POOLER.load(Ordering::Relaxed)
}

/// What a wrapped statement's stream hands to [`super::Rows`], in this order: `BEGIN`, then
/// its rows, then `Ended` (before the `COMMIT`, so that the statement's event comes before the
/// `COMMIT`'s), each step failing at most once.
pub(crate) enum Step<Row> {
    /// A row of the statement.
    Row(Row),
    /// The statement's rows ended; its transaction is being committed.
    Ended,
    /// The statement failed (its transaction was rolled back).
    Failed(Error),
    /// The `BEGIN` (the statement never ran) or the `COMMIT` (after `Ended`) failed.
    ControlFailed(Error),
}

/// The rows of `statement` run on `conn` in a transaction of its own: `BEGIN`, the rows as they
/// arrive, `COMMIT` (or `ROLLBACK` after an error). Dropped before its end, the body drops its
/// `sqlx::Transaction`, which queues a `ROLLBACK` for the connection's next use (a pooled
/// connection is closed instead, see `Rows`).
pub(crate) fn rows<'c, DB>(
    conn: &'c mut DB::Connection,
    statement: sqlx::query::Query<'static, DB, DB::Arguments>,
    summary: String,
) -> BoxStream<'c, Step<DB::Row>>
where
    DB: Execute,
    DB::Arguments: sqlx::IntoArguments<DB>,
    for<'e> &'e mut DB::Connection: sqlx::Executor<'e, Database = DB>,
{
    Box::pin(Generator::new(move |slot| async move {
        let mut tx = match begin_transaction::<DB>(conn, false).await {
            Ok(tx) => tx,
            Err(err) => return slot.give(Step::ControlFailed(err)).await,
        };
        let read = {
            let mut rows = statement.fetch(&mut *tx);
            loop {
                match std::future::poll_fn(|cx| rows.as_mut().poll_next(cx)).await {
                    Some(Ok(row)) => slot.give(Step::Row(row)).await,
                    Some(Err(source)) => break Err(Error::db(summary, source)),
                    None => break Ok(()),
                }
            }
        };
        match read {
            Ok(()) => {
                slot.give(Step::Ended).await;
                if let Err(err) = finish_transaction(tx, Ok(()), false).await {
                    slot.give(Step::ControlFailed(err)).await;
                }
            }
            Err(err) => {
                if let Err(err) = finish_transaction(tx, Err::<(), _>(err), false).await {
                    slot.give(Step::Failed(err)).await;
                }
            }
        }
    }))
}
