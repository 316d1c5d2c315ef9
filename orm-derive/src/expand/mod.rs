//! Expand: code generation from the checked model only; never reads a raw attribute.

pub mod model;
pub mod pivot;
pub mod relation;
