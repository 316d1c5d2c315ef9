//! Running several statements as one: the ORM's own transaction, or a savepoint inside the
//! caller's, retried when the database gave up on a lock.

use std::hash::BuildHasher;
use std::time::Duration;

use sqlx::Transaction;

use super::InFlight;
use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::execute::Trace;

/// How many times an operation in the ORM's own transaction is tried in all.
const ATTEMPTS: u32 = 10;
/// The longest pause between two attempts.
const MAX_BACKOFF: Duration = Duration::from_millis(500);

/// The retry policy of one atomic operation: only the ORM's own transaction is retried (inside
/// the caller's transaction the error is returned, and [`Error::is_retryable`] tells the caller
/// to retry the whole transaction), only for errors that are retryable, at most [`ATTEMPTS`]
/// times, after a jittered exponential pause (2 ms, 4 ms, ... up to [`MAX_BACKOFF`]), so that
/// writers that collided do not collide again in step.
pub(crate) struct Retry {
    owned: bool,
    attempt: u32,
}

impl Retry {
    /// The policy for a transaction that is the ORM's own (`owned`) or nested in the caller's.
    pub(crate) fn new(owned: bool) -> Self {
        Retry { owned, attempt: 1 }
    }

    /// Whether to run the operation again after `err`; waits for the backoff first.
    pub(crate) async fn again(&mut self, err: &Error) -> bool {
        if !self.owned || self.attempt >= ATTEMPTS || !err.is_retryable() {
            return false;
        }
        let pause = backoff(self.attempt);
        tracing::debug!(attempt = self.attempt, ?pause, error = %err, "retrying after a transient failure");
        tokio::time::sleep(pause).await;
        self.attempt += 1;
        true
    }
}

/// The pause after attempt `attempt` (1-based): a random duration between half and all of
/// `2 ms * 2^attempt`, capped at [`MAX_BACKOFF`].
fn backoff(attempt: u32) -> Duration {
    let ceiling = Duration::from_millis(2 << attempt.min(10)).min(MAX_BACKOFF);
    let ceiling_micros = u64::try_from(ceiling.as_micros()).unwrap_or(u64::MAX);
    // A fresh `RandomState` is seeded differently on each call: enough randomness for jitter.
    let random = std::hash::RandomState::new().hash_one(attempt);
    let half = ceiling_micros / 2;
    Duration::from_micros(half + random % (half + 1))
}

/// Commits `tx` when `result` is `Ok`, rolls it back otherwise; a failed commit is the result.
/// `nested`: `tx` is a savepoint in the caller's transaction (for the `orm::sql` event).
pub(crate) async fn finish<DB: Backend, T>(
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

/// Runs `$work` (an expression awaiting on the connection `$tx`) in a transaction on `$conn`:
/// a savepoint when `$conn` is already in one, committed on success and rolled back on error.
/// When the transaction is the ORM's own (not nested in the caller's), a retryable failure
/// (deadlock, serialization failure, lock timeout, SQLite busy, even at `BEGIN`) runs the whole
/// work again, as [`Retry`] says. A macro rather than a function taking a closure, so that the
/// caller's future stays `Send` without boxing.
///
/// `atomically!(DB, conn, retry = false, |tx| ...)` never runs the work twice (work that moves
/// its input into its result, such as `create`, cannot); its retryable error is returned.
macro_rules! atomically {
    ($db:ty, $conn:expr, |$tx:ident| $work:expr) => {
        $crate::executor::atomically!($db, $conn, retry = true, |$tx| $work)
    };
    ($db:ty, $conn:expr, retry = $retry:expr, |$tx:ident| $work:expr) => {{
        let conn: &mut <$db as ::sqlx::Database>::Connection = $conn;
        let nested = ::sqlx::Connection::is_in_transaction(&*conn);
        let mut retry = $crate::executor::Retry::new(!nested && $retry);
        loop {
            let (result, begin_failed) = {
                let flight = $crate::executor::InFlight::start(&*conn);
                let trace = $crate::execute::Trace::begin(
                    <$db as $crate::dialect::Dialect>::DIALECT,
                    <$db as $crate::execute::Execute>::BEGIN,
                    nested,
                );
                let begun = <$db as $crate::execute::Execute>::begin(&mut *conn).await;
                if let Some(trace) = trace {
                    trace.finish(0, begun.as_ref().err());
                }
                flight.finish();
                match begun {
                    Err(err) => (Err(err), true),
                    Ok(mut guard) => {
                        let result = {
                            let $tx: &mut <$db as ::sqlx::Database>::Connection = &mut *guard;
                            $work
                        };
                        (
                            $crate::executor::finish_transaction(guard, result, nested).await,
                            false,
                        )
                    }
                }
            };
            if begin_failed && let Err(err) = &result {
                <$db as $crate::execute::Execute>::after_failed_begin(&mut *conn, nested, err)
                    .await;
            }
            match result {
                Ok(value) => break Ok(value),
                Err(err) => {
                    if !retry.again(&err).await {
                        break Err(err);
                    }
                }
            }
        }
    }};
}
pub(crate) use atomically;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_jittered_and_capped() {
        for attempt in 1..=12 {
            let pause = backoff(attempt);
            let ceiling = Duration::from_millis(2 << attempt.min(10)).min(MAX_BACKOFF);
            assert!(
                pause <= ceiling && pause >= ceiling / 2,
                "{attempt}: {pause:?}"
            );
        }
        let pauses: std::collections::HashSet<Duration> = (0..20).map(|_| backoff(6)).collect();
        assert!(pauses.len() > 1, "jittered: {pauses:?}");
    }
}
