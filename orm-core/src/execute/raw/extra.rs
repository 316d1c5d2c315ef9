//! A raw row's column as the ORM's dynamic [`ExtraValue`] (runtime pivot columns), exactly as
//! `get_extra` in `impl_execution!` reads it on SQLite. That function tries `i64`, `i32`, `f64`,
//! `String`, `bool`, then the feature types (`execute/extra.rs`), the first that decodes wins;
//! with sqlx's `compatible` that comes down to one rule per storage class:
//!
//! | value | `get_extra` |
//! |---|---|
//! | NULL | `Null` |
//! | INTEGER | `Int` (`i64` accepts every integer) |
//! | REAL | `Float` |
//! | TEXT, valid UTF-8 | `Text` |
//! | TEXT, invalid UTF-8 | `Uuid` if 16 bytes (feature `uuid`), else `Unsupported("TEXT")`: the `chrono`, `time` and JSON types accept TEXT but fail on its UTF-8 |
//! | BLOB | `Uuid` if 16 bytes (feature `uuid`), else `Unsupported("BLOB")`: no other type accepts BLOB |
//! | past the last column | `Unsupported("<missing column>")` |

#[cfg(feature = "sqlite")]
use super::row::Class;
use super::row::RawRow;
use crate::value::ExtraValue;

#[cfg(feature = "sqlite")]
impl RawRow<'_> {
    /// The value of column `index` as the ORM's dynamic extra value, exactly as `get_extra`
    /// reads it on SQLite (for runtime pivot columns): `Null`, `Int`, `Float`, `Text`, `Uuid`
    /// (16 bytes, feature `uuid`), or `Unsupported` with the storage class.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use orm_core::ExtraValue;
    /// use orm_core::execute::raw::each_row;
    /// use sqlx::Connection;
    ///
    /// let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:").await?;
    /// let mut extras = Vec::new();
    /// each_row(&mut conn, "SELECT 7, 0.5, 'a', NULL, x'00'", &[], "extras", |row| {
    ///     extras.extend((0..row.len()).map(|i| row.extra(i)));
    ///     Ok(())
    /// })
    /// .await?;
    /// assert_eq!(extras[..4], [
    ///     ExtraValue::Int(7),
    ///     ExtraValue::Float(0.5),
    ///     ExtraValue::Text("a".into()),
    ///     ExtraValue::Null,
    /// ]);
    /// assert_eq!(extras[4], ExtraValue::Unsupported("BLOB".into()));
    /// # Ok(()) }
    /// ```
    pub fn extra(&self, index: usize) -> ExtraValue {
        let Ok((col, class)) = self.column(index) else {
            return ExtraValue::Unsupported(String::from("<missing column>"));
        };
        let Some(class) = class else {
            return ExtraValue::Null;
        };
        match class {
            Class::Integer => ExtraValue::Int(self.int64(col)),
            Class::Float => ExtraValue::Float(self.double(col)),
            Class::Text | Class::Blob => {
                let bytes = self.bytes(col);
                if class == Class::Text
                    && let Ok(text) = std::str::from_utf8(bytes)
                {
                    return ExtraValue::Text(text.to_owned());
                }
                #[cfg(feature = "uuid")]
                if let Ok(uuid) = uuid::Uuid::from_slice(bytes) {
                    return ExtraValue::Uuid(uuid);
                }
                let _ = bytes;
                ExtraValue::Unsupported(class.name())
            }
        }
    }
}

/// Without the `sqlite` feature a row cannot exist.
#[cfg(not(feature = "sqlite"))]
impl RawRow<'_> {
    /// The value of column `index` as the ORM's dynamic extra value.
    pub fn extra(&self, index: usize) -> ExtraValue {
        let _ = index;
        self.never()
    }
}
