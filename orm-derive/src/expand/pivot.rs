//! Expand `#[derive(PivotData)]`: `impl PivotData` and `impl PivotRow<DB>`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, Type};

use crate::attr;
use crate::ctxt::Ctxt;

pub fn derive(input: &DeriveInput) -> syn::Result<TokenStream> {
    let mut cx = Ctxt::default();
    let ident = &input.ident;
    let fields = match &input.data {
        Data::Struct(data) => {
            match &data.fields {
                Fields::Named(named) => named.named.iter().collect(),
                Fields::Unit => Vec::new(),
                Fields::Unnamed(_) => {
                    cx.error_spanned_by(ident, "#[derive(PivotData)] needs a struct with named fields, one per pivot column");
                    Vec::new()
                }
            }
        }
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
    let columns: Vec<(syn::Ident, String, &Type)> = fields
        .iter()
        .filter_map(|field| {
            let f = field.ident.clone()?;
            let column = attr::pivot_field_attrs(&mut cx, &field.attrs)
                .map_or_else(|| f.to_string(), |n| n.value);
            Some((f, column, &field.ty))
        })
        .collect();
    cx.check()?;

    let name = ident.to_string();
    let names: Vec<&String> = columns.iter().map(|(_, c, _)| c).collect();
    let mut types: Vec<&Type> = Vec::new();
    for (_, _, ty) in &columns {
        if !types.contains(ty) {
            types.push(ty);
        }
    }
    let decode = columns.iter().enumerate().map(|(i, (f, column, ty))| {
        quote! { #f: (&::orm::__private::FieldDecoder::<#ty>::new()).decode_field::<__DB>(__row, __offset + #i, #name, #column)? }
    });
    let write = columns
        .iter()
        .map(|(f, _, _)| quote! { __w.value(&self.#f); });
    let write_column = columns
        .iter()
        .enumerate()
        .map(|(i, (f, _, _))| quote! { #i => { __sql.bind(&self.#f); } });
    Ok(quote! {
        #[automatically_derived]
        impl ::orm::PivotData for #ident {
            const COLUMNS: &'static [&'static str] = &[#(#names),*];
        }

        #[automatically_derived]
        impl<__DB: ::orm::Backend> ::orm::PivotRow<__DB> for #ident
        where
            #(#types: ::orm::Column<__DB>,)*
        {
            fn decode(
                __row: &<__DB as ::orm::__private::sqlx::Database>::Row,
                __offset: usize,
            ) -> ::orm::Result<Self> {
                // `Option` fields read NULL as `None`; any other field type rejects NULL.
                #[allow(unused_imports)]
                use ::orm::__private::{DecodeNullable as _, DecodeRequired as _};
                ::core::result::Result::Ok(#ident { #(#decode,)* })
            }

            fn write(&self, __w: &mut ::orm::RowWriter<'_, __DB>) {
                #(#write)*
            }

            fn write_column(&self, __index: usize, __sql: &mut ::orm::Sql<__DB>) {
                match __index {
                    #(#write_column)*
                    _ => {}
                }
            }
        }
    })
}
