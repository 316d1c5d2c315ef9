//! Parse: `syn::Attribute`s into typed attribute structs. Every mistake is a spanned error.

use std::collections::BTreeSet;

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitBool, LitStr};

use crate::case::is_identifier;
use crate::ctxt::Ctxt;
use crate::symbol::*;

/// A name given in an attribute, with the literal kept for spans.
#[derive(Clone)]
pub struct Name {
    pub value: String,
    pub span: Span,
}

impl Name {
    fn parse(meta: &ParseNestedMeta, attr: &str, key: &str) -> syn::Result<Name> {
        let lit: LitStr = meta.value()?.parse()?;
        let value = lit.value();
        if !is_identifier(&value) {
            return Err(syn::Error::new(
                lit.span(),
                format!(
                    "invalid identifier `{value}` for `{key}` in #[{attr}]: use at most 63 ASCII letters, digits \
                     and `_`, not starting with a digit, e.g. {key} = \"{}\"",
                    example(key)
                ),
            ));
        }
        Ok(Name {
            value,
            span: lit.span(),
        })
    }
}

/// A plausible value of `key`, for error messages.
fn example(key: &str) -> &'static str {
    match key {
        TABLE => "users",
        COLUMN => "email_address",
        PIVOT => "skill_user",
        LOCAL_KEY | RELATED_KEY | OWNER_KEY => "id",
        PIVOT_FOREIGN_KEY | FOREIGN_KEY => "user_id",
        PIVOT_RELATED_FOREIGN_KEY => "skill_id",
        SQL_TYPE => "CITEXT",
        DEFAULT => "0",
        _ => "name",
    }
}

/// Rejects `key = value` for a key that is a bare flag.
fn flag(meta: &ParseNestedMeta, attr: &str, key: &str) -> syn::Result<Span> {
    if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
        return Err(meta.error(format!("`{key}` takes no value: write #[{attr}({key})]")));
    }
    Ok(meta
        .path
        .get_ident()
        .map_or_else(Span::call_site, |i| i.span()))
}

/// `#[model(table = "...", timestamps)]` on the struct.
#[derive(Default)]
pub struct StructAttrs {
    pub table: Option<Name>,
    /// `timestamps` or `timestamps(created_at = "c", updated_at = false)`, with the key's span.
    pub timestamps: Option<(Timestamps, Span)>,
}

/// `#[model(primary_key, column = "...", skip)]` on a field, and what the schema needs:
/// `#[model(unique, index, sql_type = "...", default = "...")]`.
#[derive(Default)]
pub struct FieldAttrs {
    pub primary_key: Option<Span>,
    pub column: Option<Name>,
    pub skip: Option<Span>,
    pub schema: ColumnSchema,
}

/// The schema attributes of a column field.
#[derive(Default, Clone)]
pub struct ColumnSchema {
    pub unique: bool,
    pub index: bool,
    /// The SQL type written by `CREATE TABLE` instead of the Rust type's.
    pub sql_type: Option<String>,
    /// The SQL expression the column defaults to.
    pub default: Option<String>,
}

/// A piece of SQL text given in an attribute (`sql_type`, `default`): a non-empty string that
/// cannot end the statement.
fn sql_text(meta: &ParseNestedMeta, attr: &str, key: &str) -> syn::Result<String> {
    let lit: LitStr = meta.value()?.parse()?;
    let value = lit.value();
    if value.trim().is_empty() || value.contains(';') {
        return Err(syn::Error::new(
            lit.span(),
            format!(
                "`{key}` in #[{attr}] takes SQL text without `;`, e.g. {key} = \"{}\"",
                example(key)
            ),
        ));
    }
    Ok(value)
}

/// `pivot_timestamps` or `pivot_timestamps(created_at = "c", updated_at = false)` on a
/// relation; `timestamps(...)` alike on a model. The column names (`None`: no such column).
#[derive(Clone)]
pub struct Timestamps {
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

/// `#[many_to_many(...)]`.
#[derive(Default, Clone)]
pub struct ManyToManyAttrs {
    pub pivot: Option<Name>,
    pub local_key: Option<Name>,
    pub related_key: Option<Name>,
    pub pivot_foreign_key: Option<Name>,
    pub pivot_related_foreign_key: Option<Name>,
    pub pivot_timestamps: Option<Timestamps>,
}

/// `#[has_many(...)]` and `#[has_one(...)]`.
#[derive(Default, Clone)]
pub struct HasAttrs {
    pub foreign_key: Option<Name>,
    pub local_key: Option<Name>,
}

/// `#[belongs_to(...)]`.
#[derive(Default, Clone)]
pub struct BelongsToAttrs {
    pub foreign_key: Option<Name>,
    pub owner_key: Option<Name>,
}

/// Which relation attribute a field carries.
#[derive(Clone)]
pub enum RelationAttr {
    ManyToMany(ManyToManyAttrs),
    HasMany(HasAttrs),
    HasOne(HasAttrs),
    BelongsTo(BelongsToAttrs),
}

impl RelationAttr {
    /// The attribute's name, such as `many_to_many`.
    pub fn name(&self) -> &'static str {
        match self {
            RelationAttr::ManyToMany(_) => MANY_TO_MANY,
            RelationAttr::HasMany(_) => HAS_MANY,
            RelationAttr::HasOne(_) => HAS_ONE,
            RelationAttr::BelongsTo(_) => BELONGS_TO,
        }
    }

    /// The field type the attribute goes with, such as `ManyToMany`.
    pub fn field_type(&self) -> &'static str {
        match self {
            RelationAttr::ManyToMany(_) => "ManyToMany",
            RelationAttr::HasMany(_) => "HasMany",
            RelationAttr::HasOne(_) => "HasOne",
            RelationAttr::BelongsTo(_) => "BelongsTo",
        }
    }
}

/// Calls `each` for every `key` or `key = ...` inside `#[attr(...)]`, rejecting keys that are
/// unknown (listing the valid ones) or given twice. A bare `#[attr]` has no keys.
fn parse_keys(
    cx: &mut Ctxt,
    attr: &Attribute,
    name: &str,
    valid: &[&str],
    mut each: impl FnMut(&str, &ParseNestedMeta) -> syn::Result<()>,
) {
    if matches!(attr.meta, syn::Meta::Path(_)) {
        return;
    }
    let mut seen = BTreeSet::new();
    let result = attr.parse_nested_meta(|meta| {
        let key = meta
            .path
            .get_ident()
            .map(|i| i.to_string())
            .unwrap_or_default();
        if !valid.contains(&key.as_str()) {
            let shown = if key.is_empty() {
                "this key".to_owned()
            } else {
                format!("`{key}`")
            };
            return Err(meta.error(format!(
                "unknown key {shown} in #[{name}], expected one of {}",
                list(valid)
            )));
        }
        if !seen.insert(key.clone()) {
            return Err(meta.error(format!("duplicate key `{key}` in #[{name}]")));
        }
        each(&key, &meta)
    });
    if let Err(err) = result {
        cx.syn_error(err);
    }
}

/// Parses `#[model(...)]` attributes on the struct.
pub fn struct_attrs(cx: &mut Ctxt, attrs: &[Attribute]) -> StructAttrs {
    let mut out = StructAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(MODEL)) {
        parse_keys(cx, attr, MODEL, MODEL_STRUCT_KEYS, |key, meta| {
            match key {
                // #[model(table = "users")]
                TABLE => out.table = Some(Name::parse(meta, MODEL, TABLE)?),
                // #[model(timestamps)] or #[model(timestamps(created_at = "c", updated_at = false))]
                TIMESTAMPS => {
                    let span = meta
                        .path
                        .get_ident()
                        .map_or_else(Span::call_site, |i| i.span());
                    out.timestamps = Some((timestamps(meta, MODEL, TIMESTAMPS)?, span));
                }
                _ => {}
            }
            Ok(())
        });
    }
    out
}

/// Parses `#[model(...)]` attributes on a field.
pub fn field_attrs(cx: &mut Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(MODEL)) {
        parse_keys(cx, attr, MODEL, MODEL_FIELD_KEYS, |key, meta| {
            match key {
                // #[model(primary_key)]
                PRIMARY_KEY => out.primary_key = Some(flag(meta, MODEL, PRIMARY_KEY)?),
                // #[model(column = "email_address")]
                COLUMN => out.column = Some(Name::parse(meta, MODEL, COLUMN)?),
                // #[model(skip)]
                SKIP => out.skip = Some(flag(meta, MODEL, SKIP)?),
                // #[model(unique)]
                UNIQUE => out.schema.unique = flag(meta, MODEL, UNIQUE).map(|_| true)?,
                // #[model(index)]
                INDEX => out.schema.index = flag(meta, MODEL, INDEX).map(|_| true)?,
                // #[model(sql_type = "CITEXT")]
                SQL_TYPE => out.schema.sql_type = Some(sql_text(meta, MODEL, SQL_TYPE)?),
                // #[model(default = "0")]
                DEFAULT => out.schema.default = Some(sql_text(meta, MODEL, DEFAULT)?),
                _ => {}
            }
            Ok(())
        });
    }
    out
}

/// Parses `#[pivot(column = "...")]` on a PivotData field; returns the column name if renamed.
pub fn pivot_field_attrs(cx: &mut Ctxt, attrs: &[Attribute]) -> Option<Name> {
    let mut column = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident(PIVOT)) {
        parse_keys(cx, attr, PIVOT, PIVOT_FIELD_KEYS, |_, meta| {
            // #[pivot(column = "proficiency")]
            column = Some(Name::parse(meta, PIVOT, COLUMN)?);
            Ok(())
        });
    }
    column
}

/// Parses the relation attributes on a field: each found one with the attribute kept for spans.
pub fn relation_attrs<'a>(
    cx: &mut Ctxt,
    attrs: &'a [Attribute],
) -> Vec<(&'a Attribute, RelationAttr)> {
    let mut out = Vec::new();
    for attr in attrs {
        let path = attr.path();
        if path.is_ident(MANY_TO_MANY) {
            out.push((attr, RelationAttr::ManyToMany(many_to_many(cx, attr))));
        } else if path.is_ident(HAS_MANY) {
            out.push((attr, RelationAttr::HasMany(has(cx, attr, HAS_MANY))));
        } else if path.is_ident(HAS_ONE) {
            out.push((attr, RelationAttr::HasOne(has(cx, attr, HAS_ONE))));
        } else if path.is_ident(BELONGS_TO) {
            out.push((attr, RelationAttr::BelongsTo(belongs_to(cx, attr))));
        }
    }
    out
}

fn many_to_many(cx: &mut Ctxt, attr: &Attribute) -> ManyToManyAttrs {
    let mut out = ManyToManyAttrs::default();
    parse_keys(cx, attr, MANY_TO_MANY, MANY_TO_MANY_KEYS, |key, meta| {
        match key {
            // #[many_to_many(pivot = "skill_user")]
            PIVOT => out.pivot = Some(Name::parse(meta, MANY_TO_MANY, PIVOT)?),
            // #[many_to_many(local_key = "id")]
            LOCAL_KEY => out.local_key = Some(Name::parse(meta, MANY_TO_MANY, LOCAL_KEY)?),
            // #[many_to_many(related_key = "id")]
            RELATED_KEY => out.related_key = Some(Name::parse(meta, MANY_TO_MANY, RELATED_KEY)?),
            // #[many_to_many(pivot_foreign_key = "user_id")]
            PIVOT_FOREIGN_KEY => {
                out.pivot_foreign_key = Some(Name::parse(meta, MANY_TO_MANY, PIVOT_FOREIGN_KEY)?)
            }
            // #[many_to_many(pivot_related_foreign_key = "skill_id")]
            PIVOT_RELATED_FOREIGN_KEY => {
                out.pivot_related_foreign_key =
                    Some(Name::parse(meta, MANY_TO_MANY, PIVOT_RELATED_FOREIGN_KEY)?)
            }
            // #[many_to_many(pivot_timestamps)] or pivot_timestamps(created_at = "c", updated_at = false)
            PIVOT_TIMESTAMPS => {
                out.pivot_timestamps = Some(timestamps(meta, MANY_TO_MANY, PIVOT_TIMESTAMPS)?)
            }
            _ => {}
        }
        Ok(())
    });
    out
}

/// `key` or `key(created_at = "c", updated_at = false)` inside `#[attr(...)]`.
fn timestamps(meta: &ParseNestedMeta, attr: &str, key: &str) -> syn::Result<Timestamps> {
    let mut out = Timestamps {
        created_at: Some(CREATED_AT.into()),
        updated_at: Some(UPDATED_AT.into()),
    };
    if !meta.input.peek(syn::token::Paren) {
        flag(meta, attr, key)?;
        return Ok(out);
    }
    let mut seen = BTreeSet::new();
    let outer = key;
    meta.parse_nested_meta(|inner| {
        let key = inner.path.get_ident().map(|i| i.to_string()).unwrap_or_default();
        if !TIMESTAMP_KEYS.contains(&key.as_str()) {
            return Err(inner.error(format!(
                "unknown key `{key}` in {outer}(...), expected one of {}",
                list(TIMESTAMP_KEYS)
            )));
        }
        if !seen.insert(key.clone()) {
            return Err(inner.error(format!("duplicate key `{key}` in {outer}(...)")));
        }
        let lookahead = inner.value()?.lookahead1();
        let value = if lookahead.peek(LitStr) {
            let lit: LitStr = inner.input.parse()?;
            if !is_identifier(&lit.value()) {
                return Err(syn::Error::new(
                    lit.span(),
                    format!(
                        "invalid identifier `{}` for `{key}` in {outer}(...): use at most 63 ASCII letters, \
                         digits and `_`, not starting with a digit, e.g. {key} = \"{key}\"",
                        lit.value()
                    ),
                ));
            }
            Some(lit.value())
        } else if lookahead.peek(LitBool) {
            let lit: LitBool = inner.input.parse()?;
            lit.value.then(|| key.clone())
        } else {
            return Err(syn::Error::new(
                inner.input.span(),
                format!("expected a column name or `true` / `false`: {key} = \"{key}\" or {key} = false"),
            ));
        };
        if key == CREATED_AT {
            out.created_at = value;
        } else {
            out.updated_at = value;
        }
        Ok(())
    })?;
    Ok(out)
}

fn has(cx: &mut Ctxt, attr: &Attribute, name: &str) -> HasAttrs {
    let mut out = HasAttrs::default();
    parse_keys(cx, attr, name, HAS_KEYS, |key, meta| {
        match key {
            // #[has_many(foreign_key = "author_id")]
            FOREIGN_KEY => out.foreign_key = Some(Name::parse(meta, name, FOREIGN_KEY)?),
            // #[has_many(local_key = "id")]
            LOCAL_KEY => out.local_key = Some(Name::parse(meta, name, LOCAL_KEY)?),
            _ => {}
        }
        Ok(())
    });
    out
}

fn belongs_to(cx: &mut Ctxt, attr: &Attribute) -> BelongsToAttrs {
    let mut out = BelongsToAttrs::default();
    parse_keys(cx, attr, BELONGS_TO, BELONGS_TO_KEYS, |key, meta| {
        match key {
            // #[belongs_to(foreign_key = "author_id")]
            FOREIGN_KEY => out.foreign_key = Some(Name::parse(meta, BELONGS_TO, FOREIGN_KEY)?),
            // #[belongs_to(owner_key = "id")]
            OWNER_KEY => out.owner_key = Some(Name::parse(meta, BELONGS_TO, OWNER_KEY)?),
            _ => {}
        }
        Ok(())
    });
    out
}
