//! The one error type of the ORM.

use std::fmt;

mod mismatch;
mod retry;
pub(crate) mod shown;

pub use mismatch::Mismatch;

/// Every failure the ORM reports, named after what went wrong and where.
///
/// Messages are lowercase and name the model, relation, column and value involved. Errors from the
/// database driver are kept as the [`std::error::Error::source`].
///
/// ```
/// use orm_core::Error;
///
/// let err = Error::UnknownColumn { model: "User", column: "nmae".into(), known: "id, name".into() };
/// assert_eq!(err.to_string(), "unknown column `nmae` on User, expected one of: id, name");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A column name given as a string is not a column of the model.
    #[error(
        "unknown column `{}` on {model}, expected one of: {known}",
        shown::shown(column)
    )]
    UnknownColumn {
        /// The model whose columns were searched.
        model: &'static str,
        /// The name that was given.
        column: String,
        /// The model's columns, comma separated.
        known: String,
    },

    /// A pivot column name given as a string is none of the columns the relation's pivot data
    /// declares, its two keys or its timestamps. (A relation whose pivot data is `()` declares
    /// none and accepts any plain identifier; `pivot_columns` accepts any plain identifier.)
    #[error(
        "unknown pivot column `{}` on {relation}, expected one of: {known} (or name it in `pivot_columns` first)",
        shown::shown(column)
    )]
    UnknownPivotColumn {
        /// The relation whose pivot table was searched: `User.skills`.
        relation: String,
        /// The name that was given.
        column: String,
        /// The pivot's known columns, comma separated.
        known: String,
    },

    /// A name that is put into SQL as an identifier is not a plain SQL identifier.
    #[error(
        "invalid identifier `{}` for {context}: use letters, digits and `_`, not starting with a digit",
        shown::shown(name)
    )]
    InvalidIdentifier {
        /// What the name was for, such as `User.skills pivot column`.
        context: String,
        /// The name that was given.
        name: String,
    },

    /// A row that was asked for does not exist.
    #[error("{model} with {column} = {} was not found", shown::shown(value))]
    NotFound {
        /// The model that was looked up.
        model: &'static str,
        /// The column that was matched.
        column: &'static str,
        /// The value that matched nothing, formatted with `Debug`.
        value: String,
    },

    /// A query that must return exactly one row returned none.
    #[error("query on {model} returned no row")]
    NoRows {
        /// The model that was queried.
        model: &'static str,
    },

    /// A relation field was read before it was loaded or counted.
    #[error("relation {model}.{relation} is not {what}: {hint}")]
    NotLoaded {
        /// The model that owns the relation.
        model: &'static str,
        /// The relation field.
        relation: &'static str,
        /// `loaded` or `counted`.
        what: &'static str,
        /// How to load it.
        hint: &'static str,
    },

    /// A value is not the type the column holds.
    #[error("cannot decode {model}.{column}: {source}")]
    Decode {
        /// The model being decoded.
        model: &'static str,
        /// The column whose value did not fit.
        column: &'static str,
        /// The driver's decode error.
        #[source]
        source: sqlx::Error,
    },

    /// A value of a pivot table is not the type the relation says.
    #[error("cannot decode pivot column {column} of {relation}: {source}")]
    PivotDecode {
        /// The relation, such as `User.skills (pivot skill_user)`.
        relation: String,
        /// The pivot column whose value did not fit.
        column: String,
        /// The driver's decode error.
        #[source]
        source: sqlx::Error,
    },

    /// A count the ORM asked for could not be read.
    #[error("cannot decode the count of {what}: {source}")]
    Count {
        /// What was counted, such as `User rows` or `User.skills`.
        what: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },

    /// An extra pivot value (`Pivoted::extras()`) is missing or not the type asked for.
    #[error("cannot read extra `{}`: {reason}", shown::shown(name))]
    Extra {
        /// The extra's name, such as `pivot_user_id`.
        name: String,
        /// Why: no such extra (and which there are), or its value and the type asked for.
        reason: String,
    },

    /// A pivot filter was used on a query that does not read through a many-to-many relation.
    #[error(
        "`{}` is a pivot column, but this query on {model} does not read through a many-to-many relation",
        shown::shown(column)
    )]
    NotThroughPivot {
        /// The model queried.
        model: &'static str,
        /// The pivot column named.
        column: String,
    },

    /// The database did not report the key it generated for a new row.
    #[error("the database reported no generated {column} for the new {model}")]
    NoGeneratedKey {
        /// The model inserted.
        model: &'static str,
        /// Its key column.
        column: &'static str,
    },

    /// A value could not be encoded for the database.
    #[error(
        "cannot bind a value for {}: {source}",
        shown::shown_at_most(context, 200)
    )]
    Encode {
        /// Where the value was going.
        context: String,
        /// The driver's encode error.
        #[source]
        source: sqlx::error::BoxDynError,
    },

    /// A write referenced a row that does not exist (a foreign key violation).
    #[error(
        "cannot {operation} {model}.{relation}: {} violates a foreign key",
        shown::shown_at_most(detail, 200)
    )]
    ForeignKeyViolation {
        /// The model that owns the relation.
        model: &'static str,
        /// The relation or table written to.
        relation: &'static str,
        /// `attach`, `sync`, `create`, ...
        operation: &'static str,
        /// The key values that were written, formatted with `Debug`.
        detail: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },

    /// A key that an operation needs is missing or invalid.
    #[error(
        "cannot {operation} {model}.{relation}: {}",
        shown::shown_at_most(reason, 200)
    )]
    InvalidInput {
        /// The model that owns the relation.
        model: &'static str,
        /// The relation or column concerned.
        relation: &'static str,
        /// What was attempted.
        operation: &'static str,
        /// Why it cannot be done.
        reason: String,
    },

    /// The connection to the database was lost (killed, closed by the server, network gone)
    /// while the ORM was using it. Whatever the statement did is undone unless it had committed;
    /// the connection is not reused.
    #[error("connection lost: {context}: {source}")]
    ConnectionLost {
        /// What the ORM was doing.
        context: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },

    /// The live database differs from the models (`orm::schema::Schema::check`): every
    /// difference found, one per line.
    #[error(
        "the database does not match the models ({} mismatches):{}",
        mismatches.len(),
        mismatch::listed(mismatches)
    )]
    SchemaMismatch {
        /// Each difference.
        mismatches: Vec<Mismatch>,
    },

    /// Any other error from the database or the driver, with what the ORM was doing.
    #[error("{context}: {source}")]
    Database {
        /// What the ORM was doing, such as `insert into users`.
        context: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
}

/// The result type of the ORM.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps a driver error with what the ORM was doing: [`Error::ConnectionLost`] when the
    /// connection is gone, [`Error::Database`] otherwise.
    pub(crate) fn db(context: impl fmt::Display, source: sqlx::Error) -> Self {
        let context = context.to_string();
        if retry::is_connection_loss(&source) {
            Error::ConnectionLost { context, source }
        } else {
            Error::Database { context, source }
        }
    }

    /// Whether running the same operation again may succeed: the database gave up on a lock
    /// (deadlock, serialization failure, lock wait timeout, SQLite busy or snapshot conflict).
    ///
    /// The ORM already retries these inside its own transactions. Inside *your* transaction it
    /// cannot (the transaction is yours to roll back), so it returns the error and this method
    /// says to retry the whole transaction.
    ///
    /// ```
    /// # async fn run(pool: sqlx::SqlitePool) -> orm_core::Result<()> {
    /// loop {
    ///     let mut tx = pool.begin().await.map_err(|e| orm_core::Error::Database { context: "begin".into(), source: e })?;
    ///     // ... ORM calls on &mut tx ...
    ///     match tx.commit().await {
    ///         Ok(()) => break Ok(()),
    ///         Err(e) => {
    ///             let err = orm_core::Error::Database { context: "commit".into(), source: e };
    ///             if !err.is_retryable() {
    ///                 break Err(err);
    ///             }
    ///         }
    ///     }
    /// }
    /// # }
    /// ```
    pub fn is_retryable(&self) -> bool {
        self.as_sqlx().is_some_and(retry::is_retryable)
    }

    /// Whether the connection was lost while the ORM used it ([`Error::ConnectionLost`]).
    pub fn is_connection_lost(&self) -> bool {
        matches!(self, Error::ConnectionLost { .. })
    }

    /// The database's own error, when this error came from the database server.
    ///
    /// ```
    /// # fn check(err: orm_core::Error) {
    /// if let Some(db) = err.as_database_error() {
    ///     println!("sqlstate {:?}", db.code());
    /// }
    /// # }
    /// ```
    pub fn as_database_error(&self) -> Option<&(dyn sqlx::error::DatabaseError + 'static)> {
        match self {
            Error::Database { source, .. }
            | Error::ConnectionLost { source, .. }
            | Error::ForeignKeyViolation { source, .. } => source.as_database_error(),
            _ => None,
        }
    }
}

impl Error {
    /// The driver error inside, if any.
    pub(crate) fn as_sqlx(&self) -> Option<&sqlx::Error> {
        match self {
            Error::Database { source, .. }
            | Error::ConnectionLost { source, .. }
            | Error::ForeignKeyViolation { source, .. }
            | Error::Decode { source, .. }
            | Error::PivotDecode { source, .. }
            | Error::Count { source, .. } => Some(source),
            _ => None,
        }
    }
}
