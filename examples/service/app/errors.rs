//! The service's errors and their HTTP answers: the ORM's typed errors mapped the way API users
//! expect, and a body that never shows SQL.
//!
//! | error | status |
//! |---|---|
//! | `NotFound`, `NoRows`, a relation row that is not there | 404 |
//! | `ForeignKeyViolation` (a skill or category that does not exist) | 422, with `missing_ids` |
//! | `UnknownColumn`, `UnknownPivotColumn`, `InvalidIdentifier`, `InvalidInput`, bad JSON, path or query | 400 |
//! | anything else (the database's own errors, a lost connection, a decode error) | 500, logged to stderr, body `internal server error` |

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answered to the client: a status and a message safe to show.
#[derive(Debug)]
pub enum ApiError {
    /// 404: what was not found.
    NotFound(String),
    /// 422: a write named rows that do not exist; `ids` are the ones missing.
    MissingIds {
        /// The ORM's message, naming the relation.
        message: String,
        /// The keys that name no row.
        ids: Vec<i64>,
    },
    /// 400: the request itself is wrong (a column, a parameter, the body).
    BadRequest(String),
    /// 500: logged in full, answered without detail.
    Internal(orm::Error),
}

/// The JSON body of every error answer.
#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    missing_ids: Option<&'a [i64]>,
}

impl From<orm::Error> for ApiError {
    fn from(err: orm::Error) -> Self {
        use orm::Error as E;
        match err {
            E::NotFound { .. } | E::NoRows { .. } => ApiError::NotFound(err.to_string()),
            // The handlers that write ids find out which are missing (`missing_ids`); here only
            // the ORM's message, which names the relation and the keys, is known.
            E::ForeignKeyViolation { .. } => ApiError::MissingIds {
                message: err.to_string(),
                ids: Vec::new(),
            },
            E::UnknownColumn { .. }
            | E::UnknownPivotColumn { .. }
            | E::InvalidIdentifier { .. }
            | E::InvalidInput { .. } => ApiError::BadRequest(err.to_string()),
            other => ApiError::Internal(other),
        }
    }
}

impl ApiError {
    /// The status this error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MissingIds { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let (error, missing_ids) = match &self {
            ApiError::NotFound(message) | ApiError::BadRequest(message) => (message.as_str(), None),
            ApiError::MissingIds { message, ids } => (message.as_str(), Some(ids.as_slice())),
            ApiError::Internal(err) => {
                // The full error, with the statement's context, goes to the log only (stderr
                // here; a service with a `tracing` subscriber would use `tracing::error!`).
                eprintln!("internal error: {err}");
                ("internal server error", None)
            }
        };
        (status, Json(ErrorBody { error, missing_ids })).into_response()
    }
}

/// `err`, from a write of `ids` (keys of `M`) on `pool`: a foreign-key violation becomes a 422
/// naming which of `ids` name no row (one more read), or a 404 when they all exist (then the
/// parent is what went missing, deleted meanwhile); any other error maps as [`From`] does.
pub async fn missing_ids<M, DB>(pool: &sqlx::Pool<DB>, ids: &[i64], err: orm::Error) -> ApiError
where
    DB: orm::Backend,
    M: orm::Model<Key = i64> + orm::ModelRow<DB>,
{
    if !matches!(err, orm::Error::ForeignKeyViolation { .. }) {
        return err.into();
    }
    let Ok(found) = M::find_many(pool, ids.iter().copied()).await else {
        return err.into();
    };
    let found: std::collections::HashSet<i64> = found.iter().map(|row| *row.key()).collect();
    let mut missing: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| !found.contains(id))
        .collect();
    missing.sort_unstable();
    missing.dedup();
    if missing.is_empty() {
        ApiError::NotFound(err.to_string())
    } else {
        ApiError::MissingIds {
            message: err.to_string(),
            ids: missing,
        }
    }
}
