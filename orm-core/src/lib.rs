//! The runtime of the `orm` crate: models, the executor contract, dialects, queries and
//! relations. Application code depends on `orm`, which re-exports this crate and the derives.
//!
//! ```
//! use orm_core::{Error, Order};
//!
//! // Every failure is one typed error with a message naming what went wrong.
//! let err = Error::NotFound { model: "User", column: "id", value: "7".into() };
//! assert_eq!(err.to_string(), "User with id = 7 was not found");
//! assert_eq!(Order::Asc.as_sql(), "ASC");
//! ```
#![warn(missing_docs)]
// `deny`, not `forbid`: the raw SQLite read path (`execute::raw`) allows it in its FFI files.
#![deny(unsafe_code)]

// Layers, each using only those above it in this list (DESIGN.md section 2):
// error, value, field -> dialect -> sql -> execute -> backend -> executor -> model, pivot, extras,
// relation -> crud, query -> many_to_many, keyed -> model_api.
mod backend;
mod crud;
#[doc(hidden)]
pub mod dialect;
mod error;
#[doc(hidden)]
pub mod execute;
mod executor;
mod extras;
mod field;
mod keyed;
mod many_to_many;
mod model;
mod model_api;
mod or_create;
mod pivot;
mod query;
mod raw_decode;
mod relation;
pub mod schema;
mod sql;
mod value;

pub use backend::Backend;
pub use dialect::{PostgresFlavor, postgres_flavor, set_postgres_flavor};
pub use error::{Error, Result};
pub use execute::{
    set_sqlite_fast_reads, set_transaction_pooler, sqlite_fast_reads, transaction_pooler,
};
#[doc(hidden)]
pub use executor::HeldConnection;
pub use executor::{Cluster, Conn, Executor, Session};
pub use extras::Extras;
pub use field::{ColumnFor, ColumnName, Compatible, Field, NullableColumn};
pub use keyed::{BelongsToHandle, BelongsToMut, HasHandle, HasManyHandle, HasOneHandle, Many, One};
pub use many_to_many::{
    ManyToManyHandle, PivotQuery, PivotRecord, PivotRows, ReadsPivot, RelatedQuery, SyncReport,
    Through,
};
pub use model::{HasColumn, ModelMeta, ModelRow, ModelSchema, ModelTimestamps, column_hash};
pub use model_api::Model;
pub use pivot::{PivotData, PivotRow, Pivoted};
#[doc(hidden)]
pub use query::KindOn;
pub use query::{
    Chunks, Expr, Item, LoadFuture, ModelStream, Op, Order, Page, Preloader, Query, ReadsModel,
    RelationOn, RelationQuery, Select, Set, Table,
};
pub use relation::{
    BelongsTo, BelongsToRelation, HasMany, HasOne, HasRelation, KeyedMeta, KeyedRelation,
    ManyToMany, ManyToManyMeta, ManyToManyOn, ManyToManyRelation, Relation, RelationMut, kind,
};
pub use value::{Bind, Column, ExtraValue, FromExtra, Key};

/// What generated code refers to. Not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::execute::raw::RawRow;
    pub use crate::many_to_many::new_handle as many_to_many_handle;
    pub use crate::model::{DecodeNullable, DecodeRequired, FieldDecoder, decode_column, same_str};
    pub use crate::raw_decode::{RawReadable, RawUnreadable};
    pub use crate::relation::{KeyOf, relation_not_loaded};
    pub use crate::sql::{RowWriter, Sql};
    pub use sqlx;
    pub use std::option::Option;
    pub use std::result::Result;
    pub use std::sync::LazyLock;
}
