//! Opening and ending the transactions the ORM runs itself (an operation's own transaction or
//! savepoint, and a statement's own transaction behind a pooler, see `pinned`), each end one
//! `orm::sql` event as the statements are.

use sqlx::Transaction;

use super::{Execute, InFlight, Trace};
use crate::error::{Error, Result};

/// Opens a transaction on `conn` with [`Execute::begin`] (a savepoint when `nested`: `conn` is
/// in the caller's transaction), as one `BEGIN` or `SAVEPOINT` event.
pub(crate) async fn begin<DB: Execute>(
    conn: &mut DB::Connection,
    nested: bool,
) -> Result<Transaction<'_, DB>> {
    let flight = InFlight::start(&*conn);
    let trace = Trace::begin(DB::DIALECT, DB::BEGIN, nested);
    let begun = DB::begin(conn).await;
    if let Some(trace) = trace {
        trace.finish(0, begun.as_ref().err());
    }
    flight.finish();
    begun
}

/// Commits `tx` when `result` is `Ok`, rolls it back otherwise; a failed commit is the result.
/// `nested`: `tx` is a savepoint in the caller's transaction (for the `orm::sql` event).
pub(crate) async fn finish<DB: Execute, T>(
    tx: Transaction<'_, DB>,
    result: Result<T>,
    nested: bool,
) -> Result<T> {
    let flight = InFlight::start::<DB::Connection>(&tx);
    let commit = result.is_ok();
    let trace = Trace::control(DB::DIALECT, commit, nested);
    let (finished, rollback_failed) = match result {
        Ok(value) => {
            let committed = tx.commit().await;
            (
                committed
                    .map(|()| value)
                    .map_err(|e| Error::db("commit transaction", e)),
                None,
            )
        }
        Err(err) => {
            let rollback_failed = tx.rollback().await.err().map(|rollback| {
                // The operation's own error says what went wrong; a connection that cannot roll
                // back is closed by sqlx, and the transaction ends with it.
                tracing::warn!(error = %rollback, "rollback after a failed operation failed");
                Error::db("rollback transaction", rollback)
            });
            (Err(err), rollback_failed)
        }
    };
    if let Some(trace) = trace {
        // The event's error is that of the COMMIT or ROLLBACK itself, not the operation's.
        let failed = if commit {
            finished.as_ref().err()
        } else {
            rollback_failed.as_ref()
        };
        trace.finish(0, failed);
    }
    flight.finish();
    finished
}
