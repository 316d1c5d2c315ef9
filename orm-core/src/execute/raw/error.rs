//! SQLite's error of a failed call on the raw handle, as sqlx reports it (`SqliteError` in
//! sqlx-sqlite's `error.rs`, which has no public constructor): the extended result code and
//! `sqlite3_errmsg`, read while the lock is held.
#![allow(unsafe_code)]

use std::borrow::Cow;
use std::ffi::{CStr, c_int};
use std::fmt;
use std::ptr::NonNull;

use libsqlite3_sys as ffi;
use sqlx::error::{DatabaseError, ErrorKind};

/// An error SQLite reported on the raw read path: what sqlx's `SqliteError` holds (the
/// extended result code and SQLite's message), with the same `Display` (`(code: 1) near
/// "SELEC": syntax error`), `code()` and `kind()`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use orm_core::execute::raw::{RawSqliteError, each_row};
/// use sqlx::Connection;
///
/// let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:").await?;
/// let Err(err) = each_row(&mut conn, "SELEC 1", &[], "SELEC 1", |_| Ok(())).await else {
///     return Err("the misspelt SELECT should fail".into());
/// };
/// assert_eq!(
///     err.to_string(),
///     "SELEC 1: error returned from database: (code: 1) near \"SELEC\": syntax error"
/// );
/// let db = err.as_database_error().ok_or("a database error")?;
/// assert_eq!(db.code().as_deref(), Some("1"));
/// assert!(db.try_downcast_ref::<RawSqliteError>().is_some());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawSqliteError {
    code: c_int,
    message: String,
}

impl RawSqliteError {
    /// The error of the call on `db` that just returned `rc` (not `SQLITE_OK`): the connection's
    /// extended result code and message, or `rc` and its generic text if the connection holds
    /// none.
    ///
    /// # Safety
    /// `db` is a live connection that this thread uses exclusively (its lock is held), and no
    /// other call was made on it since the failing one.
    pub(super) unsafe fn last(db: NonNull<ffi::sqlite3>, rc: c_int) -> Self {
        // SAFETY: `db` is live and ours (the caller's contract); this only reads its error state.
        let code = unsafe { ffi::sqlite3_extended_errcode(db.as_ptr()) };
        if code == ffi::SQLITE_OK {
            return Self::from_code(rc);
        }
        // SAFETY: as above; `sqlite3_errmsg` returns a NUL-terminated string owned by `db`,
        // valid until the next call on `db`, and copied out here before any.
        let message = unsafe { text(ffi::sqlite3_errmsg(db.as_ptr())) };
        RawSqliteError { code, message }
    }

    /// The error for result code `code` with SQLite's generic text for it.
    pub(super) fn from_code(code: c_int) -> Self {
        // SAFETY: `sqlite3_errstr` returns a static NUL-terminated string (or NULL, handled).
        let message = unsafe { text(ffi::sqlite3_errstr(code)) };
        RawSqliteError { code, message }
    }

    /// The extended result code, such as 2067 (`SQLITE_CONSTRAINT_UNIQUE`).
    ///
    /// ```no_run
    /// # fn check(err: &orm_core::execute::raw::RawSqliteError) {
    /// if err.extended_code() & 0xff == 5 {
    ///     println!("the database is busy");
    /// }
    /// # }
    /// ```
    pub fn extended_code(&self) -> i32 {
        self.code
    }
}

/// The text at `ptr` (NUL-terminated), lossily as UTF-8, or a placeholder for NULL.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that lives during the call.
unsafe fn text(ptr: *const std::ffi::c_char) -> String {
    if ptr.is_null() {
        return String::from("<error message unavailable>");
    }
    // SAFETY: non-NULL and NUL-terminated (the caller's contract).
    String::from_utf8_lossy(unsafe { CStr::from_ptr(ptr) }.to_bytes()).into_owned()
}

impl fmt::Display for RawSqliteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // sqlx's text: the code, because some messages are ambiguous ("database is locked").
        write!(f, "(code: {}) {}", self.code, self.message)
    }
}

impl std::error::Error for RawSqliteError {}

impl DatabaseError for RawSqliteError {
    fn message(&self) -> &str {
        &self.message
    }

    /// The extended result code, as sqlx's `SqliteError` gives it.
    fn code(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Owned(self.code.to_string()))
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    /// The constraint kinds sqlx-sqlite 0.9.1 maps (`error.rs`, `kind`).
    fn kind(&self) -> ErrorKind {
        match self.code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                ErrorKind::UniqueViolation
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
            ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
            ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}
