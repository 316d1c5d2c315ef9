//! Check: the rules that span several fields, run after parsing and before expansion.

use std::collections::BTreeMap;

use proc_macro2::Span;

use crate::ast::{Field, FieldKind, Model, Relation, last_segment};
use crate::attr::{BelongsToAttrs, HasAttrs, ManyToManyAttrs, Name, RelationAttr};
use crate::case::snake_case;
use crate::ctxt::Ctxt;
use crate::symbol::{CREATED_AT, FOREIGN_KEY, LOCAL_KEY, UPDATED_AT, list};

/// Records every cross-field mistake in `cx`.
pub fn model(cx: &mut Ctxt, model: &Model) {
    primary_key(cx, model);
    unique_columns(cx, model);
    timestamps(cx, model);
    relations(cx, model);
}

/// Each timestamp column of `#[model(timestamps)]` is a column field, not the primary key.
fn timestamps(cx: &mut Ctxt, model: &Model) {
    let Some(timestamps) = &model.timestamps else {
        return;
    };
    let key = model.primary_key().map(|(_, column)| column);
    for (which, column) in [
        (CREATED_AT, timestamps.created_at.as_deref()),
        (UPDATED_AT, timestamps.updated_at.as_deref()),
    ] {
        let Some(column) = column else { continue };
        if key == Some(column) {
            cx.syn_error(syn::Error::new(
                timestamps.span,
                format!("the primary key `{column}` cannot be the {which} timestamp"),
            ));
        } else if !model.columns().any(|(_, c)| c == column) {
            cx.syn_error(syn::Error::new(
                timestamps.span,
                format!(
                    "#[model(timestamps)] needs a column field `{column}` for {which}: add \
                     `pub {column}: chrono::NaiveDateTime` (or a time / String type), name another \
                     column with timestamps({which} = \"...\"), or disable it with {which} = false"
                ),
            ));
        }
    }
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

/// The resolved keys of a `#[has_many]` / `#[has_one]` relation, with Lucid's defaults.
pub struct HasKeys<'m, 'a> {
    /// The field of this model's column the foreign key refers to (`local_key`, by default the
    /// primary key).
    pub local_field: &'m Field<'a>,
    pub local_key: &'m str,
    /// The related model's column holding this model's key: snake_case(this struct) + `_` +
    /// local key by default.
    pub foreign_key: String,
    /// Where a mistake in the foreign key is reported: its literal, or the attribute's name.
    pub foreign_key_span: Span,
}

/// Resolves the keys of a `#[has_many]` / `#[has_one]` relation; `None` when they cannot be
/// (reported by [`relations`]).
pub fn has_keys<'m, 'a>(
    model: &'m Model<'a>,
    relation: &Relation,
    attrs: &HasAttrs,
) -> Option<HasKeys<'m, 'a>> {
    let (local_field, local_key) = match &attrs.local_key {
        Some(name) => model.columns().find(|(_, c)| *c == name.value)?,
        None => model.primary_key()?,
    };
    let foreign_key = attrs.foreign_key.as_ref().map_or_else(
        || format!("{}_{}", snake_case(&model.ident.to_string()), local_key),
        |n| n.value.clone(),
    );
    Some(HasKeys {
        local_field,
        local_key,
        foreign_key,
        foreign_key_span: attrs.foreign_key.as_ref().map_or(relation.span, |n| n.span),
    })
}

/// The resolved keys of a `#[belongs_to]` relation, with Lucid's defaults.
pub struct BelongsToKeys<'m, 'a> {
    /// The field of this model's foreign key column and the column: `foreign_key`, or by default
    /// snake_case(related struct) + `_` + the owner key.
    pub foreign: (&'m Field<'a>, &'m str),
    /// Where a mistake in the foreign key is reported: its literal, or the attribute's name.
    pub foreign_key_span: Span,
    /// Without `foreign_key` and `owner_key`, the foreign key is the column named
    /// snake_case(related struct) + `_` + the related model's primary key, which only the
    /// related model's derive knows: the column found (`user_id` before `user_code`) assumes
    /// that primary key (`id`), and the expansion proves it.
    pub assumed_owner_key: Option<&'m str>,
}

/// Resolves the keys of a `#[belongs_to]` relation; `None` when they cannot be (reported by
/// [`relations`]).
pub fn belongs_to_keys<'m, 'a>(
    model: &'m Model<'a>,
    relation: &Relation,
    attrs: &BelongsToAttrs,
) -> Option<BelongsToKeys<'m, 'a>> {
    let foreign_key_span = attrs.foreign_key.as_ref().map_or(relation.span, |n| n.span);
    let prefix = format!("{}_", snake_case(&related_name(model, relation)?));
    let wanted = match (&attrs.foreign_key, &attrs.owner_key) {
        (Some(name), _) => name.value.clone(),
        (None, Some(owner)) => format!("{prefix}{}", owner.value),
        (None, None) => {
            let by_prefix: Vec<_> = model
                .columns()
                .filter(|(_, c)| c.len() > prefix.len() && c.starts_with(&prefix))
                .collect();
            let found = by_prefix
                .iter()
                .find(|(_, c)| c[prefix.len()..] == *"id")
                .or(match by_prefix.as_slice() {
                    [only] => Some(only),
                    _ => None,
                })?;
            return Some(BelongsToKeys {
                foreign: *found,
                foreign_key_span,
                assumed_owner_key: Some(&found.1[prefix.len()..]),
            });
        }
    };
    Some(BelongsToKeys {
        foreign: model.columns().find(|(_, c)| *c == wanted)?,
        foreign_key_span,
        assumed_owner_key: None,
    })
}

/// The related model's struct name: the last path segment, `Self` meaning this model.
pub fn related_name(model: &Model, relation: &Relation) -> Option<String> {
    let name = last_segment(relation.related)?;
    Some(if name == "Self" {
        model.ident.to_string()
    } else {
        name
    })
}

/// Checks every relation attribute against the model's columns. Keys on the related model are
/// proven by the type checker (see `expand::keys`).
pub fn relations(cx: &mut Ctxt, model: &Model) {
    for (field, relation) in model.relations() {
        let known = match &relation.attr {
            RelationAttr::ManyToMany(attrs) => local_column(cx, model, LOCAL_KEY, &attrs.local_key),
            RelationAttr::HasMany(attrs) | RelationAttr::HasOne(attrs) => {
                local_column(cx, model, LOCAL_KEY, &attrs.local_key)
            }
            RelationAttr::BelongsTo(attrs) => {
                local_column(cx, model, FOREIGN_KEY, &attrs.foreign_key)
                    && default_belongs_to_foreign_key(cx, model, relation, attrs)
            }
        };
        if !known {
            continue;
        }
        if related_name(model, relation).is_none() {
            cx.error_spanned_by(
                relation.related,
                format!(
                    "expected the related model as a type path, e.g. `{}<Skill>`",
                    relation.attr.field_type()
                ),
            );
            continue;
        }
        if let RelationAttr::ManyToMany(attrs) = &relation.attr {
            many_to_many(cx, model, field, relation, attrs);
        }
    }
}

/// Checks that `key = "..."`, if given, names one of this model's columns; false if it does not.
fn local_column(cx: &mut Ctxt, model: &Model, key: &str, name: &Option<Name>) -> bool {
    let Some(name) = name else {
        return true;
    };
    let columns: Vec<&str> = model.columns().map(|(_, c)| c).collect();
    if columns.contains(&name.value.as_str()) {
        return true;
    }
    cx.syn_error(syn::Error::new(
        name.span,
        format!(
            "unknown {key} `{}`: {} has no such column, expected one of {}",
            name.value,
            model.ident,
            list(&columns)
        ),
    ));
    false
}

/// Checks the default foreign key of a `#[belongs_to]` without `foreign_key`: the column
/// snake_case(related struct) + `_` + owner key (or, without `owner_key`, + the related primary
/// key: a column with that prefix); false if this model has none.
fn default_belongs_to_foreign_key(
    cx: &mut Ctxt,
    model: &Model,
    relation: &Relation,
    attrs: &BelongsToAttrs,
) -> bool {
    if attrs.foreign_key.is_some() {
        return true;
    }
    let Some(related) = related_name(model, relation) else {
        return true; // reported by `relations`
    };
    if belongs_to_keys(model, relation, attrs).is_some() {
        return true;
    }
    let columns: Vec<&str> = model.columns().map(|(_, c)| c).collect();
    let owner = attrs
        .owner_key
        .as_ref()
        .map_or("<primary key>", |n| n.value.as_str());
    let rule = if attrs.owner_key.is_some() {
        "owner_key"
    } else {
        "the primary key of the related model"
    };
    cx.syn_error(syn::Error::new(
        relation.span,
        format!(
            "the default foreign_key `{}_{owner}` (snake_case({related}) + `_` + {rule}) is not a column \
             of {}: name it with #[belongs_to(foreign_key = \"...\")], one of {}",
            snake_case(&related),
            model.ident,
            list(&columns)
        ),
    ));
    false
}

/// The rule of a `#[many_to_many]` relation from a model to itself: two distinct pivot keys.
fn many_to_many(
    cx: &mut Ctxt,
    model: &Model,
    field: &Field,
    relation: &Relation,
    attrs: &ManyToManyAttrs,
) {
    let Some(names) = many_to_many_names(model, relation, attrs) else {
        return;
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

#[cfg(test)]
mod tests;
