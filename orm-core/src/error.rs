//! The one error type of the ORM.

use std::fmt;

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
    #[error("unknown column `{column}` on {model}, expected one of: {known}")]
    UnknownColumn {
        /// The model whose columns were searched.
        model: &'static str,
        /// The name that was given.
        column: String,
        /// The model's columns, comma separated.
        known: String,
    },

    /// A name that is put into SQL as an identifier is not a plain SQL identifier.
    #[error(
        "invalid identifier `{name}` for {context}: use letters, digits and `_`, not starting with a digit"
    )]
    InvalidIdentifier {
        /// What the name was for, such as `User.skills pivot column`.
        context: String,
        /// The name that was given.
        name: String,
    },

    /// A row that was asked for does not exist.
    #[error("{model} with {column} = {value} was not found")]
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

    /// A value could not be encoded for the database.
    #[error("cannot bind a value for {context}: {source}")]
    Encode {
        /// Where the value was going.
        context: String,
        /// The driver's encode error.
        #[source]
        source: sqlx::error::BoxDynError,
    },

    /// A write referenced a row that does not exist (a foreign key violation).
    #[error("cannot {operation} {model}.{relation}: {detail} violates a foreign key")]
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
    #[error("cannot {operation} {model}.{relation}: {reason}")]
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
    /// Wraps a driver error with what the ORM was doing.
    pub(crate) fn db(context: impl fmt::Display, source: sqlx::Error) -> Self {
        Error::Database {
            context: context.to_string(),
            source,
        }
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
            Error::Database { source, .. } | Error::ForeignKeyViolation { source, .. } => {
                source.as_database_error()
            }
            _ => None,
        }
    }
}

impl Error {
    /// The driver error inside, if any.
    pub(crate) fn as_sqlx(&self) -> Option<&sqlx::Error> {
        match self {
            Error::Database { source, .. }
            | Error::ForeignKeyViolation { source, .. }
            | Error::Decode { source, .. } => Some(source),
            _ => None,
        }
    }
}
