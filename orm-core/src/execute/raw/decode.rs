//! The checks the ORM's sqlx decoding makes before it decodes a value (`get` / `get_optional`
//! in `impl_execution!`), on a raw row: the column exists, NULL is an error (or `None`), and the
//! value's storage class is one sqlx's own `Type::compatible` accepts for the Rust type; the
//! errors have sqlx's text.

use super::RawColumn;
use super::row::{Class, Col, RawRow};

/// How a Rust type decodes from a value that passed the checks.
pub(super) type Decoder<T> = fn(&RawRow<'_>, Col, Class) -> Result<T, sqlx::error::BoxDynError>;

/// The Rust types sqlx decodes on SQLite: their `compatible` and `type_info` are sqlx's own.
#[cfg(feature = "sqlite")]
pub(super) trait SqliteType: sqlx::Type<sqlx::Sqlite> {}
#[cfg(feature = "sqlite")]
impl<T: sqlx::Type<sqlx::Sqlite>> SqliteType for T {}

/// Without the `sqlite` feature nothing is decoded.
#[cfg(not(feature = "sqlite"))]
pub(super) trait SqliteType {}
#[cfg(not(feature = "sqlite"))]
impl<T> SqliteType for T {}

/// sqlx's error for column `index`.
fn failed(index: usize, source: sqlx::error::BoxDynError) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: format!("{index:?}"),
        source,
    }
}

#[cfg(feature = "sqlite")]
impl Class {
    /// sqlx's type info of a value of this class (`DataType::{Integer, Float, Text, Blob}`),
    /// taken from the Rust types sqlx maps to them.
    pub(super) fn type_info(self) -> sqlx::sqlite::SqliteTypeInfo {
        use sqlx::{Sqlite, Type};
        match self {
            Class::Integer => <i64 as Type<Sqlite>>::type_info(),
            Class::Float => <f64 as Type<Sqlite>>::type_info(),
            Class::Text => <String as Type<Sqlite>>::type_info(),
            Class::Blob => <Vec<u8> as Type<Sqlite>>::type_info(),
        }
    }

    /// sqlx's name of the class: `INTEGER`, `REAL`, `TEXT`, `BLOB`.
    pub(super) fn name(self) -> String {
        sqlx::TypeInfo::name(&self.type_info()).to_owned()
    }

    /// Whether sqlx decodes a value of this class as `T` (`Type::compatible`).
    fn decodes<T: SqliteType>(self) -> bool {
        T::compatible(&self.type_info())
    }
}

#[cfg(feature = "sqlite")]
impl RawRow<'_> {
    /// Column `index` as `T`: [`RawColumn::read_raw`].
    ///
    /// # Errors
    /// The `sqlx::Error` sqlx's decoding gives: NULL for a non-`Option` type, a type mismatch,
    /// an out-of-range integer, invalid UTF-8, an index past the last column.
    ///
    /// ```no_run
    /// # fn read(row: &orm_core::execute::raw::RawRow<'_>) -> Result<(), sqlx::Error> {
    /// let id: i64 = row.get(0)?;
    /// let bio: Option<String> = row.get(1)?;
    /// # Ok(()) }
    /// ```
    pub fn get<T: RawColumn>(&self, index: usize) -> Result<T, sqlx::Error> {
        T::read_raw(self, index)
    }

    /// Column `index` as text borrowed from the row, as sqlx decodes `&str` (only TEXT, checked
    /// for UTF-8), and NULL an error, as in the ORM's `get`.
    ///
    /// # Errors
    /// As [`RawRow::get`].
    ///
    /// ```no_run
    /// # fn read(row: &orm_core::execute::raw::RawRow<'_>) -> Result<(), sqlx::Error> {
    /// let name: &str = row.text(1)?;
    /// println!("{name}");
    /// # Ok(()) }
    /// ```
    pub fn text(&self, index: usize) -> Result<&str, sqlx::Error> {
        let (col, _) = self.check::<&str>(index)?;
        std::str::from_utf8(self.bytes(col)).map_err(|e| failed(index, Box::new(e)))
    }

    /// Column `index` as bytes borrowed from the row, as sqlx decodes `&[u8]` (a BLOB, or the
    /// bytes of TEXT), and NULL an error, as in the ORM's `get`.
    ///
    /// # Errors
    /// As [`RawRow::get`].
    ///
    /// ```no_run
    /// # fn read(row: &orm_core::execute::raw::RawRow<'_>) -> Result<(), sqlx::Error> {
    /// let avatar: &[u8] = row.blob(2)?;
    /// println!("{} bytes", avatar.len());
    /// # Ok(()) }
    /// ```
    pub fn blob(&self, index: usize) -> Result<&[u8], sqlx::Error> {
        let (col, _) = self.check::<&[u8]>(index)?;
        Ok(self.bytes(col))
    }

    /// The ORM's `get` before decoding: the column exists, is not NULL, and sqlx decodes its
    /// class as `T`; else the same error, with the same text.
    pub(super) fn check<T: SqliteType>(&self, index: usize) -> Result<(Col, Class), sqlx::Error> {
        let (col, class) = self.column(index)?;
        let Some(class) = class else {
            return Err(failed(index, Box::new(sqlx::error::UnexpectedNullError)));
        };
        if !class.decodes::<T>() {
            return Err(failed(
                index,
                format!(
                    "mismatched types; Rust type `{}` is not compatible with SQL type `{}`",
                    std::any::type_name::<T>(),
                    class.name()
                )
                .into(),
            ));
        }
        Ok((col, class))
    }

    /// Column `index` as `T`, as the ORM's `get::<T>` decodes it.
    pub(super) fn decode<T: SqliteType>(
        &self,
        index: usize,
        decode: Decoder<T>,
    ) -> Result<T, sqlx::Error> {
        let (col, class) = self.check::<T>(index)?;
        decode(self, col, class).map_err(|source| failed(index, source))
    }

    /// Column `index` as `Option<T>`, as the ORM's `get_optional::<T>` (sqlx's
    /// `Row::try_get::<Option<T>>`) decodes it: NULL is `None`, and a mismatch says so in
    /// sqlx's own words (`mismatched_types`, naming `Option<T>` and its SQL type).
    pub(super) fn decode_optional<T: SqliteType>(
        &self,
        index: usize,
        decode: Decoder<T>,
    ) -> Result<Option<T>, sqlx::Error> {
        let (col, class) = self.column(index)?;
        let Some(class) = class else {
            return Ok(None);
        };
        if !class.decodes::<T>() {
            let source =
                sqlx::error::mismatched_types::<sqlx::Sqlite, Option<T>>(&class.type_info());
            return Err(failed(index, source));
        }
        decode(self, col, class)
            .map(Some)
            .map_err(|source| failed(index, source))
    }
}

/// Without the `sqlite` feature a row cannot exist.
#[cfg(not(feature = "sqlite"))]
impl RawRow<'_> {
    /// Column `index` as `T`.
    ///
    /// # Errors
    /// As sqlx's decoding.
    pub fn get<T: RawColumn>(&self, index: usize) -> Result<T, sqlx::Error> {
        let _ = index;
        self.never()
    }

    /// Column `index` as text borrowed from the row.
    ///
    /// # Errors
    /// As sqlx's decoding.
    pub fn text(&self, index: usize) -> Result<&str, sqlx::Error> {
        let _ = index;
        self.never()
    }

    /// Column `index` as bytes borrowed from the row.
    ///
    /// # Errors
    /// As sqlx's decoding.
    pub fn blob(&self, index: usize) -> Result<&[u8], sqlx::Error> {
        let _ = index;
        self.never()
    }

    pub(super) fn decode<T: SqliteType>(
        &self,
        index: usize,
        decode: Decoder<T>,
    ) -> Result<T, sqlx::Error> {
        let _ = (index, decode, failed);
        self.never()
    }

    pub(super) fn decode_optional<T: SqliteType>(
        &self,
        index: usize,
        decode: Decoder<T>,
    ) -> Result<Option<T>, sqlx::Error> {
        let _ = (index, decode);
        self.never()
    }
}
