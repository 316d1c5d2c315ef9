//! Expand: `impl ModelTable<DB>` (the model's table for `orm::schema`: columns with their SQL
//! types, the primary key, the foreign keys of `#[belongs_to]`, the pivot tables of
//! `#[many_to_many]`) and `impl PivotTable<DB>` for `#[derive(PivotData)]`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Type;

use crate::ast::{FieldKind, Model, PivotData, option_inner};
use crate::attr::RelationAttr;
use crate::check::many_to_many_names;
use crate::expand::column::column_hash;
use crate::expand::relation::{related_type, relation_type_name};

/// `impl<DB> ModelTable<DB> for Model`, bounded on each field type's `ColumnType<DB>` (a field
/// with `sql_type` needs none) and on each many-to-many relation's key and pivot types.
pub fn model_table(model: &Model, key_generated: bool) -> TokenStream {
    let ident = model.ident;
    let name = ident.to_string();
    let mut bounds: Vec<TokenStream> = Vec::new();
    let mut columns: Vec<TokenStream> = Vec::new();
    let mut primary_key = None;
    for field in &model.fields {
        let FieldKind::Column {
            name: column,
            primary_key: key,
            schema,
            ..
        } = &field.kind
        else {
            continue;
        };
        let ty = field.ty;
        let definition = match &schema.sql_type {
            Some(sql_type) => {
                let nullable = option_inner(ty).is_some();
                quote! {
                    ::orm::schema::ColumnDef::new(
                        #column, ::orm::schema::SqlType::Custom(#sql_type), #nullable,
                    )
                }
            }
            None => {
                let bound = quote! { #ty: ::orm::schema::ColumnType<__DB> };
                if !bounds.iter().any(|b| b.to_string() == bound.to_string()) {
                    bounds.push(bound);
                }
                quote! { ::orm::schema::ColumnDef::of::<#ty, __DB>(#column) }
            }
        };
        let generated = key.is_some() && key_generated;
        if key.is_some() {
            primary_key = Some(column.as_str());
        }
        let (unique, indexed) = (schema.unique, schema.index);
        let default = match &schema.default {
            Some(sql) => quote! { ::core::option::Option::Some(#sql) },
            None => quote! { ::core::option::Option::None },
        };
        columns.push(quote! {
            __table.columns.push(::orm::schema::ColumnDef {
                generated: #generated,
                unique: #unique,
                indexed: #indexed,
                default: #default,
                ..#definition
            });
        });
    }
    let primary_key =
        primary_key.map(|key| quote! { __table.primary_key = vec![#key.to_owned()]; });

    let mut foreign_keys = Vec::new();
    let mut pivots = Vec::new();
    for (field, relation) in model.relations() {
        let relation_type = relation_type_name(ident, field.ident);
        match &relation.attr {
            RelationAttr::BelongsTo(_) => foreign_keys.push(quote! {
                __table.foreign_keys.push(::orm::schema::belongs_to_key::<#relation_type>());
            }),
            RelationAttr::ManyToMany(attrs) => {
                // The key types as the model and the related model declare them, not through the
                // relation's impl; an unknown `related_key` stays one error, on its literal
                // (`ColumnTypeOf` is well-formed for a column that does not exist).
                let related = related_type(model, relation);
                let (related_key_type, bound) = match &attrs.related_key {
                    Some(name) => {
                        let hash = column_hash(&name.value);
                        (
                            quote! { <#related as ::orm::schema::ColumnTypeOf<#hash, __DB>>::SQL_TYPE },
                            quote! { #related: ::orm::schema::ColumnTypeOf<#hash, __DB> },
                        )
                    }
                    None => (
                        quote! { <<#related as ::orm::ModelSchema>::Key as ::orm::schema::ColumnType<__DB>>::SQL_TYPE },
                        quote! { <#related as ::orm::ModelSchema>::Key: ::orm::schema::ColumnType<__DB> },
                    ),
                };
                bounds.push(bound);
                let pivot = relation
                    .pivot
                    .map_or_else(|| quote! { () }, |p| quote! { #p });
                bounds.push(quote! { #pivot: ::orm::schema::PivotTable<__DB> });
                let Some(names) = many_to_many_names(model, relation, attrs) else {
                    continue; // invariant: check reported why
                };
                let local_key = names.local_type;
                bounds.push(quote! { #local_key: ::orm::schema::ColumnType<__DB> });
                pivots.push(quote! {
                    __out.push(::orm::schema::pivot_table::<__DB, #relation_type>(
                        <#local_key as ::orm::schema::ColumnType<__DB>>::SQL_TYPE,
                        #related_key_type,
                    ));
                });
            }
            RelationAttr::HasMany(_) | RelationAttr::HasOne(_) => {}
        }
    }
    quote! {
        #[automatically_derived]
        impl<__DB: ::orm::Backend> ::orm::schema::ModelTable<__DB> for #ident
        where
            #(#bounds,)*
        {
            fn table() -> ::orm::schema::TableDef {
                let mut __table = ::orm::schema::TableDef::new(
                    <Self as ::orm::ModelSchema>::META.table,
                    #name,
                );
                #(#columns)*
                #primary_key
                #(#foreign_keys)*
                __table
            }

            fn pivot_tables(__out: &mut ::std::vec::Vec<::orm::schema::TableDef>) {
                #(#pivots)*
            }
        }
    }
}

/// `impl<DB> PivotTable<DB> for Pivot`: its columns, typed by `ColumnType<DB>`.
pub fn pivot_table(pivot: &PivotData) -> TokenStream {
    let ident = pivot.ident;
    let mut types: Vec<&Type> = Vec::new();
    for column in &pivot.columns {
        if !types.contains(&column.ty) {
            types.push(column.ty);
        }
    }
    let columns = pivot.columns.iter().map(|column| {
        let (name, ty) = (&column.column, column.ty);
        quote! { ::orm::schema::ColumnDef::of::<#ty, __DB>(#name) }
    });
    quote! {
        #[automatically_derived]
        impl<__DB: ::orm::Backend> ::orm::schema::PivotTable<__DB> for #ident
        where
            #(#types: ::orm::schema::ColumnType<__DB>,)*
        {
            fn columns() -> ::std::vec::Vec<::orm::schema::ColumnDef> {
                ::std::vec![#(#columns),*]
            }
        }
    }
}
