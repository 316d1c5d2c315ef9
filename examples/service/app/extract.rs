//! The service's extractors: axum's `Json`, `Path` and `Query` answering a bad request with the
//! service's 400 body, and `Tx`, a transaction for one request.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use sqlx::{Pool, Transaction};

use super::errors::ApiError;

/// A JSON body; a missing, malformed or mistyped one is a 400.
pub struct Body<T>(pub T);

/// The path's parameters; one that does not parse (`/users/abc`) is a 400.
pub struct Params<T>(pub T);

/// The query string's parameters; one that does not parse (`?page=x`) is a 400.
pub struct QueryString<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        axum::Json::<T>::from_request(req, state)
            .await
            .map(|axum::Json(value)| Body(value))
            .map_err(|rejection: JsonRejection| ApiError::BadRequest(rejection.body_text()))
    }
}

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Params(value))
            .map_err(|rejection: PathRejection| ApiError::BadRequest(rejection.body_text()))
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryString<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| QueryString(value))
            .map_err(|rejection: QueryRejection| ApiError::BadRequest(rejection.body_text()))
    }
}

/// A transaction begun for the request, from the pool in the router's state. The handler
/// passes `&mut tx.0` to the ORM and ends with [`Tx::commit`]; if it returns early (an error,
/// a cancelled request), the transaction is dropped and sqlx rolls it back.
pub struct Tx<DB: sqlx::Database>(pub Transaction<'static, DB>);

impl<DB: orm::Backend> FromRequestParts<Pool<DB>> for Tx<DB> {
    type Rejection = ApiError;

    async fn from_request_parts(_: &mut Parts, pool: &Pool<DB>) -> Result<Self, ApiError> {
        let tx = pool.begin().await.map_err(|source| {
            ApiError::Internal(orm::Error::Database {
                context: "begin the request's transaction".into(),
                source,
            })
        })?;
        Ok(Tx(tx))
    }
}

impl<DB: orm::Backend> Tx<DB> {
    /// Commits the request's writes.
    ///
    /// # Errors
    /// A 500 if the database refuses the commit.
    pub async fn commit(self) -> Result<(), ApiError> {
        self.0.commit().await.map_err(|source| {
            ApiError::Internal(orm::Error::Database {
                context: "commit the request's transaction".into(),
                source,
            })
        })
    }
}
