//! Expand: `impl Model`, `impl ModelRow<DB>` and the `New<Model>` struct; then, through `column` and
//! `relation`, the `HasColumn` impls and the relation accessors.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Type;

use crate::ast::{FieldKind, Model, last_segment};
use crate::expand::raw::{RawField, RawRead, raw_methods};
use crate::expand::{column, fields, keys, relation, schema, timestamps};

/// Integer key types the database generates on insert.
const GENERATED_KEY_TYPES: &[&str] = &["i16", "i32", "i64"];

/// Everything `#[derive(Model)]` emits for a checked model.
pub fn expand(model: &Model) -> TokenStream {
    let ident = model.ident;
    let vis = model.vis;
    let name = ident.to_string();
    let table = &model.table;
    let new_ident = format_ident!("New{}", ident);
    let Some((key_field, key_column)) = model.primary_key() else {
        return TokenStream::new(); // invariant: check reported the missing key
    };
    let key_ident = key_field.ident;
    let key_ty = key_field.ty;
    let key_generated =
        last_segment(key_ty).is_some_and(|n| GENERATED_KEY_TYPES.contains(&n.as_str()));

    let columns: Vec<_> = model.columns().collect();
    let column_names: Vec<&str> = columns.iter().map(|(_, c)| *c).collect();
    // Timestamp columns are the ORM's to write (with the database's clock): neither in `New`
    // nor written from the model.
    let insert: Vec<_> = columns
        .iter()
        .filter(|(f, c)| !(model.is_timestamp(c) || (key_generated && f.ident == key_ident)))
        .collect();
    let insert_names: Vec<&str> = insert.iter().map(|(_, c)| *c).collect();
    let update: Vec<_> = columns
        .iter()
        .filter(|(f, c)| f.ident != key_ident && !model.is_timestamp(c))
        .collect();
    let update_names: Vec<&str> = update.iter().map(|(_, c)| *c).collect();

    let column_types: Vec<&Type> = {
        let mut seen: Vec<&Type> = Vec::new();
        for (field, _) in &columns {
            if !seen.contains(&field.ty) {
                seen.push(field.ty);
            }
        }
        seen
    };

    let model_table = schema::model_table(model, key_generated);
    let model_name = &name;
    let decode_fields: Vec<_> = model.fields.iter().map(|field| {
        let f = field.ident;
        match &field.kind {
            FieldKind::Column { name, .. } => {
                let index = column_names.iter().position(|c| c == name).unwrap_or_default();
                let ty = field.ty;
                quote! {
                    #f: (&::orm::__private::FieldDecoder::<#ty>::new()).decode_field::<__DB>(__row, __offset + #index, #model_name, #name)?
                }
            }
            FieldKind::Skip => quote! { #f: ::core::default::Default::default() },
            FieldKind::Relation(_) => {
                let relation = f.to_string();
                quote! { #f: ::orm::__private::relation_not_loaded(#name, #relation) }
            }
        }
    }).collect();

    let raw_fields: Vec<RawField<'_>> = model
        .fields
        .iter()
        .map(|field| RawField {
            ident: field.ident,
            read: match &field.kind {
                FieldKind::Column { name, .. } => RawRead::Column {
                    index: column_names
                        .iter()
                        .position(|c| c == name)
                        .unwrap_or_default(),
                    ty: field.ty,
                    name,
                },
                FieldKind::Skip => RawRead::Other(quote! { ::core::default::Default::default() }),
                FieldKind::Relation(_) => {
                    let relation = field.ident.to_string();
                    let name = &name;
                    RawRead::Other(
                        quote! { ::orm::__private::relation_not_loaded(#name, #relation) },
                    )
                }
            },
        })
        .collect();
    let raw_methods = raw_methods(ident, &name, &raw_fields);

    let from_new_fields = model.fields.iter().map(|field| {
        let f = field.ident;
        match &field.kind {
            FieldKind::Column { .. } if key_generated && f == key_ident => quote! { #f: __key },
            FieldKind::Column { .. } => quote! { #f: __new.#f },
            FieldKind::Skip => quote! { #f: ::core::default::Default::default() },
            FieldKind::Relation(_) => {
                let relation = f.to_string();
                quote! { #f: ::orm::__private::relation_not_loaded(#name, #relation) }
            }
        }
    });
    let take_key = if key_generated {
        quote! {
            let ::core::option::Option::Some(__key) = __key else {
                return ::core::result::Result::Err(::orm::Error::InvalidInput {
                    model: #name,
                    relation: #key_column,
                    operation: "create",
                    reason: ::std::string::String::from("the database returned no generated key"),
                });
            };
        }
    } else {
        quote! { let _ = __key; }
    };

    let timestamps_const = timestamps::constant(model);
    let from_new_body = timestamps::from_new(model).unwrap_or_else(|| {
        quote! {
            #take_key
            ::core::result::Result::Ok(#ident { #(#from_new_fields,)* })
        }
    });

    let new_fields = insert.iter().map(|(field, _)| {
        let f = field.ident;
        let ty = field.ty;
        let fvis = field.vis;
        quote! { #fvis #f: #ty }
    });
    let write_new = insert.iter().map(|(field, _)| {
        let f = field.ident;
        quote! { __w.value(&__new.#f); }
    });
    let write_update = update.iter().map(|(field, _)| {
        let f = field.ident;
        quote! { __w.value(&self.#f); }
    });
    let new_doc =
        format!("A new [`{name}`] row to insert: every column but a database-generated key.");
    let has_columns = column::has_columns(model);
    let typed_fields = fields::fields(
        ident,
        vis,
        model
            .columns()
            .map(|(field, column)| (field.ident, column, field.ty)),
    );
    let relations = relation::expand(model);
    let key_proofs = keys::expand(model);

    quote! {
        #[doc = #new_doc]
        #vis struct #new_ident {
            #(#new_fields,)*
        }

        #[automatically_derived]
        impl ::orm::ModelSchema for #ident {
            type Key = #key_ty;
            type New = #new_ident;
            const META: ::orm::ModelMeta = ::orm::ModelMeta {
                name: #name,
                table: #table,
                primary_key: #key_column,
                columns: &[#(#column_names),*],
                insert_columns: &[#(#insert_names),*],
                update_columns: &[#(#update_names),*],
                key_generated: #key_generated,
            };
            #timestamps_const

            fn key(&self) -> &#key_ty {
                &self.#key_ident
            }

            fn from_new(
                __new: #new_ident,
                __key: ::core::option::Option<#key_ty>,
            ) -> ::orm::Result<Self> {
                #from_new_body
            }
        }

        #[automatically_derived]
        impl<__DB: ::orm::Backend> ::orm::ModelRow<__DB> for #ident
        where
            #(#column_types: ::orm::Column<__DB>,)*
        {
            fn decode(
                __row: &<__DB as ::orm::__private::sqlx::Database>::Row,
                __offset: usize,
            ) -> ::orm::Result<Self> {
                // `Option` fields read NULL as `None`; any other field type rejects NULL.
                #[allow(unused_imports)]
                use ::orm::__private::{DecodeNullable as _, DecodeRequired as _};
                ::core::result::Result::Ok(#ident { #(#decode_fields,)* })
            }

            #raw_methods

            fn write_new(__new: &#new_ident, __w: &mut ::orm::__private::RowWriter<'_, __DB>) {
                #(#write_new)*
            }

            fn write_update(&self, __w: &mut ::orm::__private::RowWriter<'_, __DB>) {
                #(#write_update)*
            }
        }

        #has_columns
        #typed_fields

        #relations
        #key_proofs
        #model_table
    }
}
