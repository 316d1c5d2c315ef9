//! `first_or_create` and `update_or_create` (Lucid's `firstOrCreate` / `updateOrCreate`): read
//! the row a search finds, else insert one. Race-safe where a unique key covers the search:
//! the insert runs in its own transaction (a savepoint inside the caller's), and a caller that
//! lost the race to another (a unique violation) reads the winner's row instead of failing.
//! Above `query` and `crud`, which it combines.

use crate::backend::Backend;
use crate::crud;
use crate::error::{Error, Result};
use crate::executor::{Executor, atomically};
use crate::model::ModelRow;
use crate::query::Query;

/// How many inserts an operation tries when the database gave up on a lock (a deadlock between
/// the colliding inserts, MySQL) and the search still finds nothing.
const ATTEMPTS: u32 = 3;

/// Whether `err` is a unique-key violation: another caller inserted the row first.
fn is_unique_violation(err: &Error) -> bool {
    err.as_database_error()
        .is_some_and(|db| db.is_unique_violation())
}

/// Whether an insert that failed with `err` should be followed by another search: after a
/// unique violation always; after a lock failure only in the ORM's own transaction (in the
/// caller's, the caller retries the whole transaction).
fn search_again(err: &Error, nested: bool) -> bool {
    is_unique_violation(err) || (!nested && err.is_retryable())
}

/// What to do with the row the search finds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    /// Return it (`first_or_create`).
    Keep,
    /// Write `new`'s columns over it (`update_or_create`).
    Update,
}

/// The row `search` finds (kept or updated, as `found` says), else `new` inserted. A caller
/// that loses the race to insert (a unique violation) searches again and takes the winner's
/// row; a violation whose row the search still does not find (another unique key collided) is
/// returned.
pub(crate) async fn or_create<M, E, F>(exec: E, search: F, new: M::New, found: Found) -> Result<M>
where
    M: ModelRow<E::Backend>,
    E: Executor,
    F: Fn(Query<M, E::Backend>) -> Query<M, E::Backend>,
{
    let mut conn = exec.acquire().await?;
    let nested = sqlx::Connection::is_in_transaction(&*conn);
    let mut attempt = 0;
    let mut lost: Option<Error> = None;
    loop {
        if let Some(row) = search(Query::new()).fetch_optional(&mut conn).await? {
            return match found {
                Found::Keep => Ok(row),
                Found::Update => {
                    crud::update_from_new::<M, E::Backend>(&mut conn, row.key(), &new).await
                }
            };
        }
        if let Some(err) = lost {
            return Err(err);
        }
        attempt += 1;
        let err = match insert::<M, E::Backend>(&mut conn, &new).await {
            Ok(created) => return Ok(created),
            Err(err) => err,
        };
        if !search_again(&err, nested) || attempt >= ATTEMPTS {
            return Err(err);
        }
        if is_unique_violation(&err) {
            lost = Some(err);
        }
    }
}

/// Inserts `new` in a transaction of its own (a savepoint in the caller's), so that a unique
/// violation leaves the caller's transaction usable (PostgreSQL aborts a transaction on any
/// failed statement); returns the stored row.
async fn insert<M, DB>(conn: &mut DB::Connection, new: &M::New) -> Result<M>
where
    M: ModelRow<DB>,
    DB: Backend,
{
    atomically!(DB, conn, retry = false, |tx| {
        crud::insert_read_back::<M, DB>(tx, new).await
    })
}
