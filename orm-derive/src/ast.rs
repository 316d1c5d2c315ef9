//! The typed model of a `#[derive(Model)]` input: fields, columns, keys and relations, with the
//! original syn nodes kept for spans. Built from the parsed attributes; checked in `check`.
//! Also the typed model of a `#[derive(PivotData)]` input: its pivot columns.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, GenericArgument, Ident, PathArguments, Type, Visibility};

use crate::attr::{self, Name, RelationAttr};
use crate::case::{plural, snake_case};
use crate::ctxt::Ctxt;
use crate::symbol::MODEL;

/// A model struct.
pub struct Model<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    pub table: String,
    pub fields: Vec<Field<'a>>,
    /// `#[model(timestamps)]`: the columns the ORM sets to the database's clock.
    pub timestamps: Option<Timestamps>,
}

/// The timestamp columns of a model, by name (`None`: disabled), with the attribute's span.
pub struct Timestamps {
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub span: Span,
}

impl Timestamps {
    /// The named columns: `created_at` then `updated_at`, those enabled.
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        self.created_at
            .as_deref()
            .into_iter()
            .chain(self.updated_at.as_deref())
    }
}

/// One named field.
pub struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub vis: &'a Visibility,
    pub kind: FieldKind<'a>,
}

/// What a field is to the database.
pub enum FieldKind<'a> {
    /// A column; `primary_key` marks the key (explicitly or by being named `id`).
    Column {
        name: String,
        primary_key: Option<Span>,
        explicit_key: bool,
        /// `unique`, `index`, `sql_type`, `default`: what the schema needs.
        schema: attr::ColumnSchema,
    },
    /// `#[model(skip)]`: not a column, `Default::default()` when read.
    Skip,
    /// A relation field.
    Relation(Relation<'a>),
}

/// A relation field's attribute and type arguments.
pub struct Relation<'a> {
    pub attr: RelationAttr,
    pub span: Span,
    /// `Skill` in `ManyToMany<Skill, Proficiency>`.
    pub related: &'a Type,
    /// `Proficiency` in `ManyToMany<Skill, Proficiency>`.
    pub pivot: Option<&'a Type>,
}

const RELATION_TYPES: &[&str] = &["ManyToMany", "HasMany", "HasOne", "BelongsTo"];

impl<'a> Model<'a> {
    /// Builds the model, recording every mistake in `cx`. `None` when the input is not a struct
    /// with named fields.
    pub fn from_syn(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Model<'a>> {
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => &named.named,
                Fields::Unnamed(_) | Fields::Unit => {
                    cx.error_spanned_by(
                        &input.ident,
                        "#[derive(Model)] needs a struct with named fields: struct User { id: i64, ... }",
                    );
                    return None;
                }
            },
            Data::Enum(data) => {
                cx.syn_error(syn::Error::new(
                    data.enum_token.span,
                    "#[derive(Model)] supports only structs with named fields, not enums",
                ));
                return None;
            }
            Data::Union(data) => {
                cx.syn_error(syn::Error::new(
                    data.union_token.span,
                    "#[derive(Model)] supports only structs with named fields, not unions",
                ));
                return None;
            }
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "#[derive(Model)] does not support generic structs",
            );
        }
        let attrs = attr::struct_attrs(cx, &input.attrs);
        let timestamps = attrs.timestamps.map(|(names, span)| Timestamps {
            created_at: names.created_at,
            updated_at: names.updated_at,
            span,
        });
        let table = attrs.table.map_or_else(
            || plural(&snake_case(&input.ident.to_string())),
            |t| t.value,
        );
        let mut fields: Vec<Field> = fields
            .iter()
            .filter_map(|field| Field::from_syn(cx, field))
            .collect();
        // An explicit #[model(primary_key)] wins over a field merely named `id`.
        if fields.iter().any(|f| {
            matches!(
                f.kind,
                FieldKind::Column {
                    explicit_key: true,
                    ..
                }
            )
        }) {
            for field in &mut fields {
                if let FieldKind::Column {
                    primary_key,
                    explicit_key: false,
                    ..
                } = &mut field.kind
                {
                    *primary_key = None;
                }
            }
        }
        Some(Model {
            ident: &input.ident,
            vis: &input.vis,
            table,
            fields,
            timestamps,
        })
    }

    /// The column fields, in declaration order.
    pub fn columns(&self) -> impl Iterator<Item = (&Field<'a>, &str)> {
        self.fields.iter().filter_map(|f| match &f.kind {
            FieldKind::Column { name, .. } => Some((f, name.as_str())),
            _ => None,
        })
    }

    /// Whether `column` is a timestamp column the ORM sets (never in `New`, never written
    /// from the model).
    pub fn is_timestamp(&self, column: &str) -> bool {
        self.timestamps
            .as_ref()
            .is_some_and(|t| t.columns().any(|c| c == column))
    }

    /// The primary key field and its column. `check` guarantees exactly one before expansion.
    pub fn primary_key(&self) -> Option<(&Field<'a>, &str)> {
        self.columns().find(|(f, _)| {
            matches!(
                f.kind,
                FieldKind::Column {
                    primary_key: Some(_),
                    ..
                }
            )
        })
    }

    /// The relation fields.
    pub fn relations(&self) -> impl Iterator<Item = (&Field<'a>, &Relation<'a>)> {
        self.fields.iter().filter_map(|f| match &f.kind {
            FieldKind::Relation(rel) => Some((f, rel)),
            _ => None,
        })
    }
}

impl<'a> Field<'a> {
    fn from_syn(cx: &mut Ctxt, field: &'a syn::Field) -> Option<Field<'a>> {
        let ident = field.ident.as_ref()?;
        let model_attrs = attr::field_attrs(cx, &field.attrs);
        let mut relations = attr::relation_attrs(cx, &field.attrs);
        let type_name = last_segment(&field.ty);
        let is_relation_type = type_name
            .as_deref()
            .is_some_and(|n| RELATION_TYPES.contains(&n));

        let kind = if let Some((attr, relation)) = relations.pop() {
            if let Some((extra, _)) = relations.last() {
                cx.error_spanned_by(extra, "a field can carry only one relation attribute");
            }
            if let Some(span) = model_attrs.primary_key.or(model_attrs.skip) {
                cx.syn_error(syn::Error::new(
                    span,
                    format!("a relation field is not a column: remove #[{MODEL}(...)]"),
                ));
            }
            let expected = relation.field_type();
            if type_name.as_deref() != Some(expected) {
                cx.error_spanned_by(
                    &field.ty,
                    format!(
                        "#[{}] goes on a field of type `{expected}<Related>`{}",
                        relation.name(),
                        if expected == "ManyToMany" {
                            " or `ManyToMany<Related, PivotData>`"
                        } else {
                            ""
                        }
                    ),
                );
                return None;
            }
            let (related, pivot) = type_arguments(&field.ty);
            let Some(related) = related else {
                cx.error_spanned_by(&field.ty, format!("expected `{expected}<Related>`, with the related model as the type argument"));
                return None;
            };
            if pivot.is_some() && expected != "ManyToMany" {
                cx.error_spanned_by(
                    &field.ty,
                    format!("`{expected}` takes one type argument, the related model"),
                );
            }
            FieldKind::Relation(Relation {
                attr: relation,
                span: attr.path().span(),
                related,
                pivot,
            })
        } else if is_relation_type {
            let name = type_name.unwrap_or_default();
            let attr = match name.as_str() {
                "ManyToMany" => "many_to_many",
                "HasMany" => "has_many",
                "HasOne" => "has_one",
                _ => "belongs_to",
            };
            cx.error_spanned_by(
                &field.ty,
                format!("relation field `{ident}` of type `{name}` needs #[{attr}]"),
            );
            return None;
        } else if model_attrs.skip.is_some() {
            FieldKind::Skip
        } else {
            let name = model_attrs
                .column
                .as_ref()
                .map_or_else(|| ident.to_string(), |c: &Name| c.value.clone());
            let primary_key = model_attrs
                .primary_key
                .or_else(|| (ident == "id").then(|| ident.span()));
            FieldKind::Column {
                name,
                primary_key,
                explicit_key: model_attrs.primary_key.is_some(),
                schema: model_attrs.schema.clone(),
            }
        };
        Some(Field {
            ident,
            ty: &field.ty,
            vis: &field.vis,
            kind,
        })
    }
}

/// A `#[derive(PivotData)]` struct: the typed extra columns of a pivot table.
pub struct PivotData<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    /// The pivot columns, in declaration order.
    pub columns: Vec<PivotColumn<'a>>,
}

/// One field of a `PivotData` struct.
pub struct PivotColumn<'a> {
    pub ident: &'a Ident,
    /// The field name, or `#[pivot(column = "...")]`.
    pub column: String,
    pub ty: &'a Type,
}

impl<'a> PivotData<'a> {
    /// Builds the pivot data struct, recording every mistake in `cx`.
    pub fn from_syn(cx: &mut Ctxt, input: &'a DeriveInput) -> PivotData<'a> {
        let ident = &input.ident;
        let fields: Vec<&syn::Field> = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => named.named.iter().collect(),
                Fields::Unit => Vec::new(),
                Fields::Unnamed(_) => {
                    cx.error_spanned_by(
                        ident,
                        "#[derive(PivotData)] needs a struct with named fields, one per pivot column",
                    );
                    Vec::new()
                }
            },
            _ => {
                cx.error_spanned_by(
                    ident,
                    "#[derive(PivotData)] supports only structs with named fields",
                );
                Vec::new()
            }
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "#[derive(PivotData)] does not support generic structs",
            );
        }
        let columns = fields
            .into_iter()
            .filter_map(|field| {
                let ident = field.ident.as_ref()?;
                let column = attr::pivot_field_attrs(cx, &field.attrs)
                    .map_or_else(|| ident.to_string(), |n| n.value);
                Some(PivotColumn {
                    ident,
                    column,
                    ty: &field.ty,
                })
            })
            .collect();
        PivotData {
            ident,
            vis: &input.vis,
            columns,
        }
    }
}

/// The last path segment's name of a type: `ManyToMany` for `orm::ManyToMany<Skill>`.
pub fn last_segment(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `T` in `Option<T>`; `None` for any other type.
pub fn option_inner(ty: &Type) -> Option<&Type> {
    (last_segment(ty).as_deref() == Some("Option"))
        .then(|| type_arguments(ty).0)
        .flatten()
}

/// The first two type arguments of the last path segment.
fn type_arguments(ty: &Type) -> (Option<&Type>, Option<&Type>) {
    let Type::Path(path) = ty else {
        return (None, None);
    };
    let Some(PathArguments::AngleBracketed(args)) = path.path.segments.last().map(|s| &s.arguments)
    else {
        return (None, None);
    };
    let mut types = args.args.iter().filter_map(|arg| match arg {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    });
    (types.next(), types.next())
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    /// The table and the primary key column of the model built from `input`.
    fn table_and_key(
        input: proc_macro2::TokenStream,
    ) -> Result<(String, Option<String>), Vec<String>> {
        crate::test_model::with_model(input, false, |model| {
            let key = model.primary_key().map(|(_, column)| column.to_owned());
            (model.table.clone(), key)
        })
    }

    #[test]
    fn default_table_and_key() {
        assert_eq!(
            table_and_key(quote! { struct SkillCategory { id: i64 } }),
            Ok(("skill_categories".to_owned(), Some("id".to_owned())))
        );
    }

    #[test]
    fn explicit_table_and_key() {
        assert_eq!(
            table_and_key(quote! {
                #[model(table = "people")]
                struct Person {
                    id: i64,
                    #[model(primary_key, column = "person_no")]
                    number: String,
                }
            }),
            Ok(("people".to_owned(), Some("person_no".to_owned())))
        );
    }

    #[test]
    fn last_segment_and_type_arguments() {
        let ty: Type = syn::parse_quote!(orm::ManyToMany<crate::Skill, Proficiency>);
        assert_eq!(last_segment(&ty).as_deref(), Some("ManyToMany"));
        let (related, pivot) = type_arguments(&ty);
        assert_eq!(related.and_then(last_segment).as_deref(), Some("Skill"));
        assert_eq!(pivot.and_then(last_segment).as_deref(), Some("Proficiency"));
        let reference: Type = syn::parse_quote!(&'static str);
        assert_eq!(last_segment(&reference), None);
        assert_eq!(type_arguments(&reference), (None, None));
    }
}
