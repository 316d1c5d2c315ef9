//! How a live database differs from the models: one [`Mismatch`] per difference, all reported
//! together by [`Error::SchemaMismatch`](super::Error::SchemaMismatch).

use std::fmt;

/// One difference between a table the models declare and the live database.
///
/// ```
/// use orm_core::schema::Mismatch;
/// let m = Mismatch::Type {
///     table: "users".into(),
///     column: "id".into(),
///     expected: "BIGINT".into(),
///     found: "int4".into(),
/// };
/// assert_eq!(m.to_string(), "users.id is int4, the model needs BIGINT");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mismatch {
    /// The table does not exist.
    MissingTable {
        /// The table.
        table: String,
        /// The model or relation that declares it.
        declared_by: String,
    },
    /// The table exists without this column.
    MissingColumn {
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
    /// The column's type cannot hold the model's Rust type (an `i64` field on an `INT4`
    /// column).
    Type {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The type the model's field needs, as `CREATE TABLE` would write it.
        expected: String,
        /// The type the database reports.
        found: String,
    },
    /// The column's nullability differs from the field's (`Option<T>` or not).
    Nullability {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// Whether the model's field is an `Option`.
        model_nullable: bool,
    },
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::MissingTable { table, declared_by } => {
                write!(f, "table {table} (of {declared_by}) does not exist")
            }
            Mismatch::MissingColumn { table, column } => {
                write!(f, "{table}.{column} does not exist")
            }
            Mismatch::Type {
                table,
                column,
                expected,
                found,
            } => write!(f, "{table}.{column} is {found}, the model needs {expected}"),
            Mismatch::Nullability {
                table,
                column,
                model_nullable: true,
            } => write!(
                f,
                "{table}.{column} is NOT NULL, the model's field is an Option"
            ),
            Mismatch::Nullability { table, column, .. } => write!(
                f,
                "{table}.{column} may be NULL, the model's field is not an Option"
            ),
        }
    }
}

/// The mismatches as one line each, for [`Error::SchemaMismatch`](super::Error::SchemaMismatch).
pub(crate) fn listed(mismatches: &[Mismatch]) -> String {
    mismatches.iter().map(|m| format!("\n  - {m}")).collect()
}
