//! Check: the rules that span several fields, run after parsing and before expansion.

use std::collections::BTreeMap;

use crate::ast::{FieldKind, Model, Relation, last_segment};
use crate::attr::{ManyToManyAttrs, RelationAttr};
use crate::case::snake_case;
use crate::ctxt::Ctxt;
use crate::symbol::list;

/// Records every cross-field mistake in `cx`.
pub fn model(cx: &mut Ctxt, model: &Model) {
    primary_key(cx, model);
    unique_columns(cx, model);
    relations(cx, model);
}

fn primary_key(cx: &mut Ctxt, model: &Model) {
    let explicit: Vec<_> = model
        .fields
        .iter()
        .filter(|f| {
            matches!(
                f.kind,
                FieldKind::Column {
                    explicit_key: true,
                    ..
                }
            )
        })
        .collect();
    if explicit.len() > 1 {
        for field in &explicit[1..] {
            let span = match &field.kind {
                FieldKind::Column {
                    primary_key: Some(span),
                    ..
                } => *span,
                _ => field.ident.span(),
            };
            cx.syn_error(syn::Error::new(
                span,
                format!(
                    "two primary keys: `{}` is already #[model(primary_key)]; a model has exactly one",
                    explicit[0].ident
                ),
            ));
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

/// The resolved names of a many-to-many relation, with Lucid's defaults.
pub struct ManyToManyNames<'a> {
    pub pivot_table: String,
    pub local_key: String,
    pub local_field: &'a syn::Ident,
    pub local_type: &'a syn::Type,
    pub pivot_foreign_key: String,
    /// `None` when it depends on the related model's primary key, known only at run time.
    pub pivot_related_foreign_key: Option<String>,
    pub related_snake: String,
}

/// Resolves the names of a `#[many_to_many]` relation; `None` when they cannot be (reported by
/// [`relations`]).
pub fn many_to_many_names<'a>(
    model: &'a Model,
    relation: &Relation,
    attrs: &ManyToManyAttrs,
) -> Option<ManyToManyNames<'a>> {
    let parent_name = model.ident.to_string();
    let related_name = related_name(model, relation)?;
    let (local_field, local_key) = match &attrs.local_key {
        Some(name) => model.columns().find(|(_, c)| *c == name.value)?,
        None => model.primary_key()?,
    };
    let mut sorted = [related_name.clone(), parent_name.clone()];
    sorted.sort();
    let pivot_table = attrs
        .pivot
        .as_ref()
        .map_or_else(|| snake_case(&sorted.join("_")), |p| p.value.clone());
    let pivot_foreign_key = attrs.pivot_foreign_key.as_ref().map_or_else(
        || format!("{}_{}", snake_case(&parent_name), local_key),
        |n| n.value.clone(),
    );
    let self_referencing = related_name == parent_name;
    let pivot_related_foreign_key = match (&attrs.pivot_related_foreign_key, &attrs.related_key) {
        (Some(name), _) => Some(name.value.clone()),
        (None, Some(key)) => Some(format!("{}_{}", snake_case(&related_name), key.value)),
        (None, None) if self_referencing => model
            .primary_key()
            .map(|(_, pk)| format!("{}_{}", snake_case(&related_name), pk)),
        (None, None) => None,
    };
    Some(ManyToManyNames {
        pivot_table,
        local_key: local_key.to_owned(),
        local_field: local_field.ident,
        local_type: local_field.ty,
        pivot_foreign_key,
        pivot_related_foreign_key,
        related_snake: snake_case(&related_name),
    })
}

/// The related model's struct name: the last path segment, `Self` meaning this model.
fn related_name(model: &Model, relation: &Relation) -> Option<String> {
    let name = last_segment(relation.related)?;
    Some(if name == "Self" {
        model.ident.to_string()
    } else {
        name
    })
}

/// Checks every relation attribute against the model's columns.
pub fn relations(cx: &mut Ctxt, model: &Model) {
    let columns: Vec<&str> = model.columns().map(|(_, c)| c).collect();
    for (field, relation) in model.relations() {
        let RelationAttr::ManyToMany(attrs) = &relation.attr else {
            continue;
        };
        if let Some(local) = &attrs.local_key
            && !columns.contains(&local.value.as_str())
        {
            cx.syn_error(syn::Error::new(
                local.span,
                format!(
                    "unknown local_key `{}`: {} has no such column, expected one of {}",
                    local.value,
                    model.ident,
                    list(&columns)
                ),
            ));
            continue;
        }
        if related_name(model, relation).is_none() {
            cx.error_spanned_by(
                relation.related,
                "expected the related model as a type path, e.g. `ManyToMany<Skill>`",
            );
            continue;
        }
        let Some(names) = many_to_many_names(model, relation, attrs) else {
            continue;
        };
        if names.pivot_related_foreign_key.as_deref() == Some(names.pivot_foreign_key.as_str()) {
            let span = attrs
                .pivot_related_foreign_key
                .as_ref()
                .or(attrs.pivot_foreign_key.as_ref())
                .map_or_else(|| relation.span, |n| n.span);
            cx.syn_error(syn::Error::new(
                span,
                format!(
                    "both pivot keys of `{}` would be `{}`: a relation from {} to itself needs \
                     #[many_to_many(pivot_related_foreign_key = \"...\")], e.g. pivot_related_foreign_key = \"following_{}\"",
                    field.ident, names.pivot_foreign_key, model.ident, names.pivot_foreign_key
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests;
