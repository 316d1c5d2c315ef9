//! [`RawColumn`]: the Rust types read straight from a raw row, each decoded as sqlx-sqlite 0.9.1
//! decodes it (`types/{int,uint,bool,float,str,bytes,uuid}.rs`): integers with
//! `sqlite3_column_int64` and a checked conversion, floats with `_double`, text checked for
//! UTF-8, bytes as they are. Which storage classes each type accepts is sqlx's own
//! `Type::compatible`, called here (`row.rs`).

use super::row::RawRow;

/// A Rust type read straight from a raw row, with exactly the semantics of the ORM's sqlx decode
/// on SQLite: `T::read_raw` is `<Sqlite as Execute>::get::<T>`, and `Option<T>::read_raw` is
/// `<Sqlite as Execute>::get_optional::<T>`, with the same values and the same errors.
///
/// (The ORM's model decoding reads an `Option<U>` field with `get_optional::<Option<U>>`,
/// whose mismatch message names `Option<Option<U>>`; `Option<U>::read_raw` names `Option<U>`.
/// The values and the other errors are the same.)
///
/// Implemented for `bool`, `i8`, `i16`, `i32`, `i64`, `u8`, `u16`, `u32`, `f32`, `f64`,
/// `String`, `Vec<u8>`, `Option<T>`, and with the `uuid` and `chrono` features `uuid::Uuid`,
/// `chrono::NaiveDateTime`, `chrono::NaiveDate` and `chrono::DateTime<chrono::Utc>`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use orm_core::execute::raw::{RawColumn, each_row};
/// use sqlx::Connection;
///
/// let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:").await?;
/// let (mut big, mut small, mut none) = (None, None, None);
/// each_row(&mut conn, "SELECT 300, NULL", &[], "two", |row| {
///     big = Some(i64::read_raw(row, 0).map_err(|e| e.to_string()));
///     small = Some(u8::read_raw(row, 0).map_err(|e| e.to_string()));
///     none = Some(Option::<i64>::read_raw(row, 1).map_err(|e| e.to_string()));
///     Ok(())
/// })
/// .await?;
/// assert_eq!(big, Some(Ok(300)));
/// // Out of range, with sqlx's error.
/// let range = "error occurred while decoding column 0: out of range integral type conversion attempted";
/// assert_eq!(small, Some(Err(range.to_owned())));
/// assert_eq!(none, Some(Ok(None)));
/// # Ok(()) }
/// ```
pub trait RawColumn: Sized + Send + 'static {
    /// Column `index` of `row`.
    ///
    /// # Errors
    /// The `sqlx::Error` the sqlx path gives: `ColumnDecode { index: format!("{index:?}"),
    /// source }` with `UnexpectedNullError` for NULL (non-`Option` types), the mismatched-types
    /// message, or the decoding's error (out-of-range integer, invalid UTF-8);
    /// `ColumnIndexOutOfBounds` past the last column.
    fn read_raw(row: &RawRow<'_>, index: usize) -> Result<Self, sqlx::Error>;

    /// Column `index` of `row`, NULL as `None`: what `Option<Self>::read_raw` returns. The
    /// default reads the value with [`RawColumn::read_raw`] unless it is NULL; the ORM's types
    /// override it to give sqlx's `Option` mismatch message.
    ///
    /// # Errors
    /// As [`RawColumn::read_raw`], except for NULL.
    #[doc(hidden)]
    fn read_raw_optional(row: &RawRow<'_>, index: usize) -> Result<Option<Self>, sqlx::Error> {
        match row.column(index)? {
            (_, None) => Ok(None),
            (_, Some(_)) => Self::read_raw(row, index).map(Some),
        }
    }
}

impl<T: RawColumn> RawColumn for Option<T> {
    fn read_raw(row: &RawRow<'_>, index: usize) -> Result<Self, sqlx::Error> {
        T::read_raw_optional(row, index)
    }
}

/// Implements [`RawColumn`] for each type with its decoder, which runs once the value passed
/// the ORM's checks (not NULL, a class sqlx decodes as the type).
macro_rules! raw_columns {
    ($($(#[$attr:meta])* $ty:ty => $decode:expr;)*) => {$(
        $(#[$attr])*
        impl RawColumn for $ty {
            fn read_raw(row: &RawRow<'_>, index: usize) -> Result<Self, sqlx::Error> {
                row.decode(index, $decode)
            }

            fn read_raw_optional(
                row: &RawRow<'_>,
                index: usize,
            ) -> Result<Option<Self>, sqlx::Error> {
                row.decode_optional(index, $decode)
            }
        }
    )*};
}

raw_columns! {
    // types/int.rs, uint.rs: `value.int64()?.try_into()?` (no silent truncation).
    i8 => |row, col, _| Ok(row.int64(col).try_into()?);
    i16 => |row, col, _| Ok(row.int64(col).try_into()?);
    i32 => |row, col, _| Ok(row.int64(col).try_into()?);
    i64 => |row, col, _| Ok(row.int64(col));
    u8 => |row, col, _| Ok(row.int64(col).try_into()?);
    u16 => |row, col, _| Ok(row.int64(col).try_into()?);
    u32 => |row, col, _| Ok(row.int64(col).try_into()?);
    // types/bool.rs: any integer but 0 is true.
    bool => |row, col, _| Ok(row.int64(col) != 0);
    // types/float.rs: `f32` truncates the double, as sqlx does.
    f32 => |row, col, _| Ok(row.double(col) as f32);
    f64 => |row, col, _| Ok(row.double(col));
    // types/str.rs: `text_owned`, UTF-8 checked.
    String => |row, col, _| Ok(std::str::from_utf8(row.bytes(col))?.to_owned());
    // types/bytes.rs: `blob_owned`, TEXT's bytes included.
    Vec<u8> => |row, col, _| Ok(row.bytes(col).to_vec());
    // types/uuid.rs: `Uuid::from_slice` of the bytes (16 of them).
    #[cfg(feature = "uuid")]
    uuid::Uuid => |row, col, _| Ok(uuid::Uuid::from_slice(row.bytes(col))?);
    // types/chrono.rs (`dates.rs` here).
    #[cfg(feature = "chrono")]
    chrono::NaiveDateTime => |row, col, class| Ok(super::dates::datetime(row, col, class)?.naive_local());
    #[cfg(feature = "chrono")]
    chrono::DateTime<chrono::Utc> => super::dates::datetime_utc;
    #[cfg(feature = "chrono")]
    chrono::NaiveDate => super::dates::date;
}
