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

pub(crate) async fn first_or_create<M, E, F>(exec: E, search: F, new: M::New) -> Result<M>
where
    M: ModelRow<E::Backend>,
    E: Executor,
    F: Fn(Query<M, E::Backend>) -> Query<M, E::Backend>,
{
    let mut conn = exec.acquire().await?;
    let nested = sqlx::Connection::is_in_transaction(&*conn);
    let mut attempt = 0;
    loop {
        if let Some(found) = search(Query::new()).fetch_optional(&mut conn).await? {
            return Ok(found);
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
            // The winner's row, or the violation of another unique key.
            return search(Query::new())
                .fetch_optional(&mut conn)
                .await?
                .ok_or(err);
        }
    }
}

pub(crate) async fn update_or_create<M, E, F>(exec: E, search: F, new: M::New) -> Result<M>
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
        if let Some(found) = search(Query::new()).fetch_optional(&mut conn).await? {
            return crud::update_from_new::<M, E::Backend>(&mut conn, found.key(), &new).await;
        }
        if let Some(err) = lost {
            // A unique violation, yet the search finds no row: another unique key collided.
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
