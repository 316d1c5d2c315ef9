//! The pivot table a query may join (a query through a many-to-many relation): resolving the
//! pivot column a filter names. When the relation's pivot data declares columns, a filter may
//! name those, the two pivot keys, the pivot timestamps and the columns named in
//! `pivot_columns`; anything else is [`Error::UnknownPivotColumn`]. With `()` pivot data, and
//! in `pivot_columns`, any plain identifier is accepted. Names are always quoted.

use std::borrow::Cow;

use super::{ColumnRef, Query};
use crate::backend::Backend;
use crate::error::Error;
use crate::model::ModelSchema;

/// Whether `name` is a plain SQL identifier.
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 63
}

/// What a query reads when it has the model's columns: [`Table`](super::Table), or the related
/// table through a pivot. Sealed.
pub trait ReadsModel: Clone + Sealed {}

pub(crate) mod sealed {
    /// Implemented only by this crate's query scopes.
    pub trait Sealed {}
}
use sealed::Sealed;

impl Sealed for super::Table {}
impl ReadsModel for super::Table {}

impl<M: ModelSchema, DB: Backend, T> Query<M, DB, T> {
    /// The pivot column `name`, or an error kept for the terminal method. With `any_identifier`
    /// (`pivot_columns`), any plain identifier is accepted; otherwise a relation whose pivot data
    /// declares columns accepts only its known ones (see the module documentation).
    pub(crate) fn pivot_column(&mut self, name: &str, any_identifier: bool) -> Option<ColumnRef> {
        let Some(pivot) = &self.pivot else {
            self.error.get_or_insert(Error::NotThroughPivot {
                model: M::META.name,
                column: name.to_owned(),
            });
            return None;
        };
        if !is_identifier(name) {
            let context = format!("{} pivot column", pivot.relation);
            self.error.get_or_insert(Error::InvalidIdentifier {
                context,
                name: name.to_owned(),
            });
            return None;
        }
        if !any_identifier
            && let Some(declared) = &pivot.declared
            && !declared.contains(&name)
            && !pivot.columns.iter().any(|c| c == name)
        {
            let mut known: Vec<&str> = Vec::new();
            for &column in declared {
                if !known.contains(&column) {
                    known.push(column);
                }
            }
            for column in &pivot.columns {
                if !known.contains(&column.as_str()) {
                    known.push(column);
                }
            }
            self.error.get_or_insert(Error::UnknownPivotColumn {
                relation: pivot.relation.clone(),
                column: name.to_owned(),
                known: known.join(", "),
            });
            return None;
        }
        Some(ColumnRef {
            table: Cow::Owned(pivot.alias.clone()),
            column: Cow::Owned(name.to_owned()),
        })
    }
}
