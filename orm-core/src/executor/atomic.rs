//! Running several statements as one: the ORM's own transaction, or a savepoint inside the
//! caller's, retried when the database gave up on a lock.

use std::hash::BuildHasher;
use std::time::Duration;

use crate::error::Error;
// The end of a transaction, shared with the statements that run in one of their own.
pub(crate) use crate::execute::finish_transaction as finish;

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
                let begun = $crate::execute::begin_transaction::<$db>(&mut *conn, nested).await;
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
