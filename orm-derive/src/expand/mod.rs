//! Expand: code generation from the checked model only; never reads a raw attribute.
//!
//! `model` emits a model's impls and calls `column` (the `HasColumn` impls) and `relation` (the
//! relation accessors); `relation` uses `column` for a related model's key. `pivot` is the
//! `#[derive(PivotData)]` codegen. No module here uses one that uses it back.

pub mod column;
pub mod model;
pub mod pivot;
pub mod relation;

#[cfg(test)]
mod tests;
