//! Expand: code generation from the checked model only; never reads a raw attribute.
//!
//! `model` emits a model's impls and calls `column` (the `HasColumn` impls), `relation` (the
//! relation accessors) and `keys` (the key proofs of has_many, has_one and belongs_to);
//! `relation` uses `column` for a related model's key, `keys` uses both. `pivot` is the
//! `#[derive(PivotData)]` codegen; `schema` the tables of both for `orm::schema`; `timestamps` what `#[model(timestamps)]` adds. No module here uses one that uses it back.

pub mod column;
pub mod fields;
pub mod keys;
pub mod model;
pub mod pivot;
mod raw;
pub mod relation;
pub mod schema;
pub mod timestamps;

#[cfg(test)]
mod tests;
