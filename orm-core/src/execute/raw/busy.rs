//! Waiting for another connection's lock without blocking the runtime's thread.
//!
//! SQLite waits for a lock held by another connection (a writer committing, in the default
//! rollback-journal mode) inside `sqlite3_step`, in its busy handler, sleeping up to the
//! connection's busy timeout (sqlx's `busy_timeout`, 5 s by default). Through sqlx that sleep is on
//! the connection's worker thread; on the raw path it would be on the caller's, one of the async
//! runtime's threads, stalling every task there. So the raw path turns the busy timeout off while
//! it starts a statement ([`Statement::prepare`](super::statement::Statement::prepare) reads it
//! with `PRAGMA busy_timeout` and sets it to 0), takes a `SQLITE_BUSY` before the first row as "try
//! again" (`run.rs` releases the connection and sleeps asynchronously, as SQLite's handler would,
//! for up to the same timeout), and puts the timeout back once the statement has its first row
//! (later steps of a read hold their lock and do not wait) or ends.
#![allow(unsafe_code)]

use std::ffi::c_int;
use std::ptr::NonNull;

use libsqlite3_sys as ffi;

use super::statement::{Statement, Step};

/// The connection's busy timeout in milliseconds, after which the caller waits for no lock: 0
/// when it had none (or a busy handler of its own, which SQLite reports as 0 and which is then
/// left in place).
///
/// # Safety
/// `db` is a live connection this thread uses exclusively.
pub(super) unsafe fn suspend(db: NonNull<ffi::sqlite3>) -> Result<c_int, sqlx::Error> {
    // SAFETY: the caller's contract; the PRAGMA's statement is finalized when it drops, here.
    let timeout = unsafe { current_timeout(db)? };
    if timeout > 0 {
        // SAFETY: as above.
        unsafe { ffi::sqlite3_busy_timeout(db.as_ptr(), 0) };
    }
    Ok(timeout)
}

/// Puts back a busy timeout taken by [`suspend`] (nothing for 0).
///
/// # Safety
/// `db` is a live connection this thread uses exclusively.
pub(super) unsafe fn restore(db: NonNull<ffi::sqlite3>, timeout: c_int) {
    if timeout > 0 {
        // SAFETY: the caller's contract.
        unsafe { ffi::sqlite3_busy_timeout(db.as_ptr(), timeout) };
    }
}

/// `PRAGMA busy_timeout`: the connection's busy timeout in milliseconds.
///
/// # Safety
/// `db` is a live connection this thread uses exclusively.
unsafe fn current_timeout(db: NonNull<ffi::sqlite3>) -> Result<c_int, sqlx::Error> {
    // SAFETY: the caller's contract.
    let Some((mut pragma, _)) = (unsafe { Statement::prepare_first(db, b"PRAGMA busy_timeout")? })
    else {
        // invariant: the PRAGMA is one statement; SQLite always prepares it.
        return Ok(0);
    };
    match pragma.step()? {
        // SAFETY: the statement is live and has a row; column 0 is the timeout.
        Step::Row => Ok(unsafe { ffi::sqlite3_column_int(pragma.raw().as_ptr(), 0) }),
        Step::Done => Ok(0),
    }
}

/// Whether `err` is SQLite's `SQLITE_BUSY` (or one of its extended codes): another connection
/// holds a lock this one needs.
pub(super) fn is_busy(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .and_then(|db| db.code())
        .and_then(|code| code.parse::<c_int>().ok())
        .is_some_and(|code| code & 0xff == ffi::SQLITE_BUSY)
}
