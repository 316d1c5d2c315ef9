//! Which [`SqlType`] a Rust field type is stored as, per backend: `ColumnType<DB>`.

use crate::backend::Backend;
use crate::dialect::SqlType;

/// The column type a Rust type is stored as on backend `DB`, and whether it may be NULL.
/// `#[derive(Model)]` reads it for every field to build the model's table; a type that does not
/// implement it needs `#[model(sql_type = "...")]` on its field.
///
/// Implemented for the integers, floats, `bool`, `String`, `Vec<u8>`, `Option<T>` and, behind
/// the `orm` features of the same names, the `chrono`, `time`, `uuid`, `json` and
/// `rust_decimal` types (on the backends sqlx supports them on).
///
/// ```
/// use orm_core::schema::{ColumnType, SqlType};
/// assert_eq!(<Option<i64> as ColumnType<sqlx::Sqlite>>::SQL_TYPE, SqlType::BigInt);
/// assert!(<Option<i64> as ColumnType<sqlx::Sqlite>>::NULLABLE);
/// ```
#[diagnostic::on_unimplemented(
    message = "the schema does not know which SQL type stores `{Self}` on `{DB}`",
    label = "no column type for this field",
    note = "name it on the field: #[model(sql_type = \"...\")], or implement `orm::schema::ColumnType` for the type"
)]
pub trait ColumnType<DB: Backend> {
    /// The column's type.
    const SQL_TYPE: SqlType;
    /// Whether the column may be NULL (`Option<T>`).
    const NULLABLE: bool = false;
}

impl<DB: Backend, T: ColumnType<DB>> ColumnType<DB> for Option<T> {
    const SQL_TYPE: SqlType = T::SQL_TYPE;
    const NULLABLE: bool = true;
}

/// `impl ColumnType<DB> for $ty` on every backend.
macro_rules! everywhere {
    ($($ty:ty => $sql:ident),* $(,)?) => {$(
        impl<DB: Backend> ColumnType<DB> for $ty {
            const SQL_TYPE: SqlType = SqlType::$sql;
        }
    )*};
}

everywhere! {
    i64 => BigInt,
    i32 => Int,
    i16 => SmallInt,
    bool => Boolean,
    f64 => Double,
    f32 => Real,
    String => Text,
    Vec<u8> => Bytes,
}

#[cfg(feature = "chrono")]
everywhere! {
    chrono::NaiveDateTime => DateTime,
    chrono::DateTime<chrono::Utc> => DateTimeTz,
    chrono::NaiveDate => Date,
    chrono::NaiveTime => Time,
}

#[cfg(feature = "time")]
everywhere! {
    time::PrimitiveDateTime => DateTime,
    time::OffsetDateTime => DateTimeTz,
    time::Date => Date,
    time::Time => Time,
}

#[cfg(feature = "uuid")]
everywhere! {
    uuid::Uuid => Uuid,
}

#[cfg(feature = "json")]
everywhere! {
    serde_json::Value => Json,
}

#[cfg(feature = "json")]
impl<DB: Backend, T> ColumnType<DB> for sqlx::types::Json<T> {
    const SQL_TYPE: SqlType = SqlType::Json;
}

// sqlx decodes `Decimal` on PostgreSQL and MySQL only.
#[cfg(all(feature = "rust_decimal", feature = "postgres"))]
impl ColumnType<sqlx::Postgres> for rust_decimal::Decimal {
    const SQL_TYPE: SqlType = SqlType::Decimal;
}

#[cfg(all(feature = "rust_decimal", feature = "mysql"))]
impl ColumnType<sqlx::MySql> for rust_decimal::Decimal {
    const SQL_TYPE: SqlType = SqlType::Decimal;
}

/// The column type of model `Self`'s column named by hash `H` (see [`crate::HasColumn`]).
/// Generated code bounds on it for a many-to-many `related_key`: unlike a bound on the column's
/// type itself, it is well-formed when the column does not exist, so the derive's one error for
/// an unknown key stays the only one.
#[doc(hidden)]
pub trait ColumnTypeOf<const H: u64, DB: Backend> {
    /// The column's type.
    const SQL_TYPE: SqlType;
}

impl<const H: u64, DB: Backend, M> ColumnTypeOf<H, DB> for M
where
    M: crate::HasColumn<H>,
    M::Value: ColumnType<DB>,
{
    const SQL_TYPE: SqlType = <M::Value as ColumnType<DB>>::SQL_TYPE;
}
