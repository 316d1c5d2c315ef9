//! One row of a statement being stepped on the raw handle, and its columns read through FFI.
//!
//! A `RawRow` borrows the statement (`&Statement`) and is handed to the callback as `&RawRow`:
//! stepping needs `&mut Statement`, so no row, and no `&str` or `&[u8]` read from one, can be
//! alive at the next step, and the callback's higher-ranked `&RawRow<'_>` keeps them all inside
//! the call. Columns are read only with `sqlite3_column_type`, `_int64`, `_double`, `_bytes` and
//! `_blob`, in sqlx's order (`_bytes` first, which converts a value to UTF-8 text once if it
//! needs converting, then `_blob`, which then converts nothing): none of these moves text or
//! bytes an earlier call returned, so every slice stays valid until the next step.
#![cfg_attr(feature = "sqlite", allow(unsafe_code))]

use std::ffi::c_int;

/// One row of a statement being stepped on SQLite's raw handle; it exists only inside the
/// callback of [`each_row`](super::each_row), and so does everything borrowed from it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use orm_core::Error;
/// use orm_core::execute::raw::each_row;
/// use sqlx::Connection;
///
/// let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:").await?;
/// let decode = |column, source| Error::Decode { model: "User", column, source };
/// let mut users = Vec::new();
/// each_row(&mut conn, "SELECT 1, 'Ada' UNION ALL SELECT 2, NULL", &[], "users", |row| {
///     let id: i64 = row.get(0).map_err(|e| decode("id", e))?;
///     let name: Option<String> = row.get(1).map_err(|e| decode("name", e))?;
///     users.push((id, name));
///     Ok(())
/// })
/// .await?;
/// assert_eq!(users, [(1, Some("Ada".to_owned())), (2, None)]);
/// # Ok(()) }
/// ```
///
/// Neither the row nor text borrowed from it can leave the callback (SQLite reuses both at the
/// next step); copy what you keep:
///
/// ```compile_fail
/// # async fn run(conn: &mut sqlx::SqliteConnection) -> orm_core::Result<()> {
/// let mut names: Vec<&str> = Vec::new();
/// orm_core::execute::raw::each_row(conn, "SELECT 'Ada'", &[], "names", |row| {
///     names.push(row.text(0).unwrap_or_default()); // error: borrowed data escapes the closure
///     Ok(())
/// })
/// .await?;
/// # Ok(()) }
/// ```
///
/// ```compile_fail
/// # async fn run(conn: &mut sqlx::SqliteConnection) -> orm_core::Result<()> {
/// let mut rows = Vec::new();
/// orm_core::execute::raw::each_row(conn, "SELECT 'Ada'", &[], "names", |row| {
///     rows.push(row); // error: borrowed data escapes the closure
///     Ok(())
/// })
/// .await?;
/// # Ok(()) }
/// ```
pub struct RawRow<'s> {
    inner: Inner<'s>,
}

#[cfg(feature = "sqlite")]
type Inner<'s> = &'s super::statement::Statement<'s>;

/// Without the `sqlite` feature there is no row.
#[cfg(not(feature = "sqlite"))]
type Inner<'s> = (std::convert::Infallible, std::marker::PhantomData<&'s ()>);

/// A column index checked against the row's width (only `RawRow::column` makes one).
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
pub(super) struct Col(c_int);

/// The storage class of a value that is not NULL: what sqlx's `SqliteValueRef::type_info` is
/// for such a value (the column's declared type counts only for NULL, which every check
/// handles before it looks at a type).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
pub(super) enum Class {
    Integer,
    Float,
    Text,
    Blob,
}

#[cfg(feature = "sqlite")]
impl RawRow<'_> {
    /// The row of `statement`'s current step.
    pub(super) fn new<'s>(statement: &'s super::statement::Statement<'_>) -> RawRow<'s> {
        RawRow { inner: statement }
    }

    /// The number of columns.
    ///
    /// ```no_run
    /// # fn check(row: &orm_core::execute::raw::RawRow<'_>) {
    /// for i in 0..row.len() {
    ///     println!("{:?}", row.extra(i));
    /// }
    /// # }
    /// ```
    pub fn len(&self) -> usize {
        self.inner.columns()
    }

    /// Whether the row has no columns (a statement that returns none never yields a row).
    ///
    /// ```no_run
    /// # fn check(row: &orm_core::execute::raw::RawRow<'_>) {
    /// assert!(!row.is_empty());
    /// # }
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Column `index` checked against the row's width, and its class (`None` for NULL).
    pub(super) fn column(&self, index: usize) -> Result<(Col, Option<Class>), sqlx::Error> {
        let len = self.len();
        let out_of_bounds = || sqlx::Error::ColumnIndexOutOfBounds { index, len };
        if index >= len {
            return Err(out_of_bounds());
        }
        let col = Col(c_int::try_from(index).map_err(|_| out_of_bounds())?);
        // SAFETY: the statement is live, its connection ours, and it is on a row (a `RawRow`
        // exists only between a step that returned a row and the next); `col` is a column.
        let class = match unsafe { libsqlite3_sys::sqlite3_column_type(self.stmt(), col.0) } {
            libsqlite3_sys::SQLITE_INTEGER => Some(Class::Integer),
            libsqlite3_sys::SQLITE_FLOAT => Some(Class::Float),
            libsqlite3_sys::SQLITE_TEXT => Some(Class::Text),
            libsqlite3_sys::SQLITE_BLOB => Some(Class::Blob),
            _ => None,
        };
        Ok((col, class))
    }

    /// The value of `col` as an integer (`sqlite3_column_int64`, as sqlx's `int64`).
    pub(super) fn int64(&self, col: Col) -> i64 {
        // SAFETY: as in `column`; reading an integer converts nothing in place.
        unsafe { libsqlite3_sys::sqlite3_column_int64(self.stmt(), col.0) }
    }

    /// The value of `col` as a float (`sqlite3_column_double`, as sqlx's `double`).
    pub(super) fn double(&self, col: Col) -> f64 {
        // SAFETY: as in `column`; reading a float converts nothing in place.
        unsafe { libsqlite3_sys::sqlite3_column_double(self.stmt(), col.0) }
    }

    /// The bytes of `col` (text as UTF-8), as sqlx's `blob_borrowed` / `with_temp_blob` read
    /// them; empty for an empty value.
    pub(super) fn bytes(&self, col: Col) -> &[u8] {
        // SAFETY: as in `column`. `_bytes` first, as sqlx: it converts the value to UTF-8 text
        // if it must (a number, UTF-16 text), once; `_blob` then returns the converted bytes
        // and converts nothing. The bytes stay valid until the next step, reset or finalize,
        // all of which need `&mut Statement` while `self` borrows it (module docs): the slice,
        // tied to `&self`, cannot outlive them.
        unsafe {
            let len = libsqlite3_sys::sqlite3_column_bytes(self.stmt(), col.0);
            let ptr = libsqlite3_sys::sqlite3_column_blob(self.stmt(), col.0);
            // A NULL pointer with a length is SQLite out of memory: read as empty.
            match usize::try_from(len) {
                Ok(len) if len > 0 && !ptr.is_null() => {
                    std::slice::from_raw_parts(ptr.cast::<u8>(), len)
                }
                _ => &[],
            }
        }
    }

    /// The statement, for the FFI calls above.
    fn stmt(&self) -> *mut libsqlite3_sys::sqlite3_stmt {
        self.inner.raw().as_ptr()
    }
}

/// Without the `sqlite` feature a row cannot exist: every method is a `match` on nothing.
#[cfg(not(feature = "sqlite"))]
impl RawRow<'_> {
    /// Proof that this code never runs.
    pub(super) fn never(&self) -> ! {
        match self.inner.0 {}
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        self.never()
    }

    /// Whether the row has no columns.
    pub fn is_empty(&self) -> bool {
        self.never()
    }

    pub(super) fn column(&self, index: usize) -> Result<(Col, Option<Class>), sqlx::Error> {
        let _ = index;
        self.never()
    }

    pub(super) fn int64(&self, col: Col) -> i64 {
        let _ = col;
        self.never()
    }

    pub(super) fn double(&self, col: Col) -> f64 {
        let _ = col;
        self.never()
    }

    pub(super) fn bytes(&self, col: Col) -> &[u8] {
        let _ = col;
        self.never()
    }
}
