//! Check: the rules that span several fields, run after parsing and before expansion.

use std::collections::BTreeMap;

use crate::ast::{FieldKind, Model};
use crate::ctxt::Ctxt;

/// Records every cross-field mistake in `cx`.
pub fn model(cx: &mut Ctxt, model: &Model) {
    primary_key(cx, model);
    unique_columns(cx, model);
}

fn primary_key(cx: &mut Ctxt, model: &Model) {
    let explicit: Vec<_> = model
        .fields
        .iter()
        .filter(|f| matches!(f.kind, FieldKind::Column { explicit_key: true, .. }))
        .collect();
    if explicit.len() > 1 {
        for field in &explicit[1..] {
            cx.error_spanned_by(
                field.ident,
                format!(
                    "two primary keys: `{}` is already #[model(primary_key)]; a model has exactly one",
                    explicit[0].ident
                ),
            );
        }
    }
    if model.primary_key().is_none() {
        cx.error_spanned_by(
            model.ident,
            format!(
                "{} has no primary key: mark a field #[model(primary_key)] or name it `id`",
                model.ident
            ),
        );
    }
}

fn unique_columns(cx: &mut Ctxt, model: &Model) {
    let mut seen = BTreeMap::new();
    for (field, column) in model.columns() {
        if let Some(first) = seen.insert(column.to_owned(), field.ident) {
            cx.error_spanned_by(
                field.ident,
                format!("column `{column}` is already used by field `{first}`; rename one with #[model(column = \"...\")]"),
            );
        }
    }
}
