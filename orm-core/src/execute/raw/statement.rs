//! The one statement of an `each_row` call: prepared with `sqlite3_prepare_v3` on a locked
//! connection, bound, stepped, and finalized by its drop guard. The statement borrows the lock
//! (`Statement<'l>` from `&'l mut LockedSqliteHandle`), so the compiler keeps the lock alive as
//! long as the statement and drops the statement first, on every path: an error, an early
//! return, the future dropped mid-read.
#![allow(unsafe_code)]

use std::ffi::{CStr, c_int, c_uchar};
use std::marker::PhantomData;
use std::ptr::{self, NonNull};
use std::time::Duration;

use libsqlite3_sys as ffi;
use sqlx::sqlite::LockedSqliteHandle;

use super::RawArg;
use super::busy;
use super::error::RawSqliteError;

/// Fails if `rest`, what follows the first statement of the SQL, holds another statement (or a
/// NUL byte, where SQLite would stop reading); comments are fine.
///
/// # Safety
/// `db` is a live connection this thread uses exclusively.
unsafe fn no_second_statement(db: NonNull<ffi::sqlite3>, rest: &[u8]) -> Result<(), sqlx::Error> {
    if rest.contains(&0) {
        return Err(sqlx::Error::InvalidArgument(String::from(
            "the SQL holds a NUL byte; SQLite would ignore what follows it",
        )));
    }
    // SAFETY: the caller's contract; a statement found is finalized when `second` drops, at
    // the end of this call.
    let second = unsafe { Statement::prepare_first(db, rest)? };
    if second.is_some() {
        return Err(sqlx::Error::InvalidArgument(String::from(
            "the SQL holds more than one statement; the raw read path runs exactly one",
        )));
    }
    Ok(())
}

/// A prepared statement of a locked connection; finalized when dropped. `'l` is the borrow of
/// the connection's `LockedSqliteHandle`: while the statement lives the lock cannot be dropped
/// or moved, and because the statement has a `Drop`, the compiler drops it before the lock
/// (drop check), whichever way the code (or the future holding both) ends.
pub(super) struct Statement<'l> {
    stmt: NonNull<ffi::sqlite3_stmt>,
    db: NonNull<ffi::sqlite3>,
    columns: usize,
    /// The connection's busy timeout while the statement waits for no lock (`busy.rs`): put
    /// back by [`Statement::resume_busy_wait`] or on drop.
    suspended_busy_timeout: c_int,
    _lock: PhantomData<&'l mut ()>,
}

// SAFETY: a `Statement` borrows the lock of its connection, so the worker thread makes no call
// on the connection while it exists; moving it to another thread (the future moving between
// runtime threads at an await) moves the exclusive use along, and sqlx opens connections in
// SQLite's multi-thread mode, where a connection and its statements may be used from any
// thread, one at a time. It is deliberately not `Sync`.
unsafe impl Send for Statement<'_> {}

/// What one `sqlite3_step` produced.
pub(super) enum Step {
    /// A row is ready to read.
    Row,
    /// The statement has no more rows.
    Done,
}

impl<'l> Statement<'l> {
    /// Prepares `sql` on the connection of `lock`; `None` if it holds no statement (only
    /// whitespace or comments). The connection waits for no other connection's lock until
    /// [`Statement::resume_busy_wait`] or the statement's drop (`busy.rs`): a `SQLITE_BUSY` from
    /// here to the first row is the caller's to wait out.
    ///
    /// # Errors
    /// SQLite's error when the SQL does not prepare; [`sqlx::Error::InvalidArgument`] when it
    /// holds more than one statement, a NUL byte, or is too long for SQLite. With the error, the
    /// connection's busy timeout (a `SQLITE_BUSY` from reading the schema is the caller's to wait
    /// out too).
    pub(super) fn prepare(
        lock: &'l mut LockedSqliteHandle<'_>,
        sql: &str,
    ) -> Result<Option<Self>, (sqlx::Error, Duration)> {
        let db = lock.as_raw_handle();
        // SAFETY: `db` is `lock`'s connection, which the caller uses exclusively (the worker is
        // parked on the lock) for at least `'l`, the life of the returned statement.
        let timeout = unsafe { busy::suspend(db) }.map_err(|e| (e, Duration::ZERO))?;
        // SAFETY: as above.
        match unsafe { Self::prepare_only(db, sql) } {
            Ok(Some(mut statement)) => {
                statement.suspended_busy_timeout = timeout;
                Ok(Some(statement))
            }
            failed_or_empty => {
                // SAFETY: as above; no statement of ours is left.
                unsafe { busy::restore(db, timeout) };
                failed_or_empty.map_err(|e| (e, millis(timeout)))
            }
        }
    }

    /// [`Statement::prepare`] without the busy timeout's suspension.
    ///
    /// # Safety
    /// `db` is a live connection this thread uses exclusively, and stays so for `'l`.
    unsafe fn prepare_only(
        db: NonNull<ffi::sqlite3>,
        sql: &str,
    ) -> Result<Option<Self>, sqlx::Error> {
        // SAFETY: the caller's contract.
        let Some((statement, rest)) = (unsafe { Self::prepare_first(db, sql.as_bytes())? }) else {
            return Ok(None);
        };
        if !rest.iter().all(u8::is_ascii_whitespace) {
            // SAFETY: as above; `statement` is dropped (finalized) here on an error.
            unsafe { no_second_statement(db, rest)? };
        }
        Ok(Some(statement))
    }

    /// The connection's busy timeout, suspended while the statement starts.
    pub(super) fn busy_timeout(&self) -> Duration {
        millis(self.suspended_busy_timeout)
    }

    /// Puts the connection's busy timeout back (once the statement has its first row: a read
    /// holds its lock from there).
    pub(super) fn resume_busy_wait(&mut self) {
        let timeout = std::mem::take(&mut self.suspended_busy_timeout);
        // SAFETY: the connection is ours while `self` exists (it borrows the lock).
        unsafe { busy::restore(self.db, timeout) };
    }

    /// Prepares the first statement of `sql`; with the bytes that follow it, or `None` when
    /// `sql` holds no statement.
    ///
    /// # Safety
    /// `db` is a live connection this thread uses exclusively, and stays so for `'l`.
    pub(super) unsafe fn prepare_first(
        db: NonNull<ffi::sqlite3>,
        sql: &[u8],
    ) -> Result<Option<(Self, &[u8])>, sqlx::Error> {
        let len = c_int::try_from(sql.len()).map_err(|_| {
            sqlx::Error::InvalidArgument(format!(
                "the SQL is {} bytes long, more than SQLite reads",
                sql.len()
            ))
        })?;
        let mut stmt = ptr::null_mut();
        let mut tail = ptr::null();
        // SAFETY: `db` is live and ours (the caller's contract); `sql` is `len` readable bytes
        // (SQLite needs no NUL terminator when given the length); the out-pointers are valid.
        // No flags: the statement is not kept (not `SQLITE_PREPARE_PERSISTENT`).
        let rc = unsafe {
            ffi::sqlite3_prepare_v3(
                db.as_ptr(),
                sql.as_ptr().cast(),
                len,
                0,
                &mut stmt,
                &mut tail,
            )
        };
        if rc != ffi::SQLITE_OK {
            // SAFETY: as above; nothing ran on `db` since the failing call. On failure SQLite
            // sets `stmt` to NULL: there is nothing to finalize.
            return Err(unsafe { RawSqliteError::last(db, rc) }.into());
        }
        let Some(stmt) = NonNull::new(stmt) else {
            return Ok(None);
        };
        // The guard first, so that every path below finalizes the statement.
        let mut statement = Statement {
            stmt,
            db,
            columns: 0,
            suspended_busy_timeout: 0,
            _lock: PhantomData,
        };
        // SAFETY: `stmt` is a live statement of `db`.
        let columns = unsafe { ffi::sqlite3_column_count(stmt.as_ptr()) };
        // invariant: SQLite never reports a negative column count.
        statement.columns = usize::try_from(columns).unwrap_or(0);
        // `tail` points into `sql` (at its end when there is nothing more): where the first
        // statement ended. Computed on addresses, so a stray pointer cannot make a bad slice.
        let used = (tail as usize).saturating_sub(sql.as_ptr() as usize);
        let rest = sql.get(used..).unwrap_or(&[]);
        Ok(Some((statement, rest)))
    }

    /// The number of columns of a row.
    pub(super) fn columns(&self) -> usize {
        self.columns
    }

    /// The raw statement, for reading the current row's columns.
    pub(super) fn raw(&self) -> NonNull<ffi::sqlite3_stmt> {
        self.stmt
    }

    /// Binds `args` to parameters `1..=args.len()`.
    ///
    /// # Errors
    /// [`sqlx::Error::InvalidArgument`] when the statement has another number of parameters or a
    /// named one (`:name`, `@name`, `$name`, which SQLite numbers in order of appearance, not as
    /// sqlx binds them); SQLite's error when a bind fails.
    pub(super) fn bind(&mut self, args: &[RawArg]) -> Result<(), sqlx::Error> {
        // SAFETY: `stmt` is live and its connection ours while `self` exists (it borrows the lock).
        let count = unsafe { ffi::sqlite3_bind_parameter_count(self.stmt.as_ptr()) };
        // invariant: SQLite never reports a negative parameter count.
        let params = usize::try_from(count).unwrap_or(0);
        if params != args.len() {
            return Err(sqlx::Error::InvalidArgument(format!(
                "the statement has {params} parameters but {} arguments were given",
                args.len()
            )));
        }
        for (index, arg) in (1..=count).zip(args) {
            self.check_positional(index)?;
            let rc = self.bind_one(index, arg);
            if rc != ffi::SQLITE_OK {
                // SAFETY: the connection is ours; nothing ran on it since the failing bind.
                return Err(unsafe { RawSqliteError::last(self.db, rc) }.into());
            }
        }
        Ok(())
    }

    /// Fails if parameter `index` is named other than `?NNN` (whose number is its index).
    fn check_positional(&self, index: c_int) -> Result<(), sqlx::Error> {
        // SAFETY: `stmt` is live; `index` is in `1..=count`.
        let name = unsafe { ffi::sqlite3_bind_parameter_name(self.stmt.as_ptr(), index) };
        if name.is_null() {
            return Ok(());
        }
        // SAFETY: a non-NULL name is a NUL-terminated UTF-8 string owned by the statement,
        // read here before any other call.
        let name = unsafe { CStr::from_ptr(name) }.to_string_lossy();
        if name.starts_with('?') {
            return Ok(());
        }
        Err(sqlx::Error::InvalidArgument(format!(
            "named parameter `{name}` is not supported on the raw read path; use `?` or `?NNN`"
        )))
    }

    /// Binds one argument; SQLite's result code.
    fn bind_one(&mut self, index: c_int, arg: &RawArg) -> c_int {
        let stmt = self.stmt.as_ptr();
        // SAFETY: `stmt` is live and its connection ours; `index` is a parameter of it. Text and
        // bytes are copied by SQLite before the call returns (`SQLITE_TRANSIENT`) from a
        // pointer valid for `len` bytes: an empty value points at a static byte, never at a
        // dangling one (an empty `String`'s pointer), and a non-NULL pointer with length 0
        // binds an empty TEXT or BLOB, not NULL.
        unsafe {
            match arg {
                RawArg::Null => ffi::sqlite3_bind_null(stmt, index),
                RawArg::Int64(v) => ffi::sqlite3_bind_int64(stmt, index, *v),
                RawArg::Double(v) => ffi::sqlite3_bind_double(stmt, index, *v),
                RawArg::Text(v) => {
                    let (ptr, len) = bytes(v.as_bytes());
                    ffi::sqlite3_bind_text64(
                        stmt,
                        index,
                        ptr.cast(),
                        len,
                        ffi::SQLITE_TRANSIENT(),
                        ffi::SQLITE_UTF8 as c_uchar,
                    )
                }
                RawArg::Blob(v) => {
                    let (ptr, len) = bytes(v);
                    ffi::sqlite3_bind_blob64(stmt, index, ptr.cast(), len, ffi::SQLITE_TRANSIENT())
                }
            }
        }
    }

    /// Steps to the next row.
    ///
    /// # Errors
    /// SQLite's error of the step (`SQLITE_BUSY` after the connection's busy timeout included).
    pub(super) fn step(&mut self) -> Result<Step, sqlx::Error> {
        // SAFETY: `stmt` is live and its connection ours while `self` exists (it borrows the lock).
        match unsafe { ffi::sqlite3_step(self.stmt.as_ptr()) } {
            ffi::SQLITE_ROW => Ok(Step::Row),
            ffi::SQLITE_DONE => Ok(Step::Done),
            // SAFETY: the connection is ours; nothing ran on it since the failing step.
            rc => Err(unsafe { RawSqliteError::last(self.db, rc) }.into()),
        }
    }
}

/// A busy timeout in SQLite's milliseconds.
fn millis(timeout: c_int) -> Duration {
    Duration::from_millis(u64::try_from(timeout).unwrap_or(0))
}

/// A pointer and length for binding `value`; a static byte for an empty one.
fn bytes(value: &[u8]) -> (*const u8, u64) {
    static EMPTY: u8 = 0;
    if value.is_empty() {
        return (&EMPTY, 0);
    }
    // A slice length always fits in u64 (usize is at most 64 bits wide).
    (value.as_ptr(), value.len() as u64)
}

impl Drop for Statement<'_> {
    fn drop(&mut self) {
        self.resume_busy_wait();
        // SAFETY: `stmt` is live and finalized only here, once; the lock of its connection is
        // still held (the statement borrows it: drop check). The result repeats the
        // statement's last error, already reported.
        unsafe {
            ffi::sqlite3_finalize(self.stmt.as_ptr());
        }
    }
}
