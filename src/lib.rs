//! A typed Rust ORM whose relations, and above all many-to-many relations through a pivot
//! table, are done right.
//!
//! Annotate plain structs with `#[derive(Model)]`, keep your own sqlx pool, and get typed CRUD,
//! queries and relation handles.
//!
//! ```
//! use orm::prelude::*;
//!
//! #[derive(Model, Debug, Clone)]
//! pub struct User {
//!     pub id: i64,
//!     pub username: String,
//!     #[model(column = "email_address")]
//!     pub email: Option<String>,
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> orm::Result<()> {
//! let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.expect("sqlite");
//! orm::schema::Schema::<sqlx::Sqlite>::new().model::<User>().create_all(&pool).await?;
//!
//! let user = User::create(&pool, NewUser { username: "virk".into(), email: None }).await?;
//! let found = User::query().where_eq(User::FIELDS.username, "virk").fetch_one(&pool).await?;
//! assert_eq!(found.id, user.id);
//! # Ok(()) }
//! ```
//!
//! # Where to read on
//!
//! - [`guide`]: runnable examples of models, many-to-many relations with pivot data, sync
//!   reports, preload, and the other relation kinds.
//! - [`derive@Model`] and [`derive@PivotData`]: every attribute, its keys and their defaults.
//! - [`Model`](trait@Model) (CRUD and queries), [`ManyToManyHandle`] (attach, detach, sync, ...),
//!   [`Query`], [`Error`].
//!
//! Backends are cargo features: `sqlite` (the default), `postgres`, `mysql` (tested on
//! MariaDB).
#![warn(missing_docs)]

pub use orm_core::*;
pub use orm_derive::{Model, PivotData};

pub mod guide;

/// Everything application code usually needs: `use orm::prelude::*;`.
pub mod prelude {
    pub use orm_core::{
        BelongsTo, Error, HasMany, HasOne, ManyToMany, Model, Op, Order, PivotData, Pivoted, Result,
    };
    pub use orm_derive::{Model, PivotData};
}

/// The README's code blocks, compiled and run as doctests (`cargo test --doc`).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
