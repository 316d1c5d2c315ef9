//! Expand `#[derive(PivotData)]`: `impl PivotData` and `impl PivotRow<DB>`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{DeriveInput, Type};

use crate::ast::PivotData;
use crate::ctxt::Ctxt;
use crate::expand::raw::{RawField, RawRead, raw_methods};

/// `#[derive(PivotData)]` on a `proc_macro2` token level: builds the typed pivot struct, then
/// expands it; every mistake in the input is one combined error.
pub fn derive(input: &DeriveInput) -> syn::Result<TokenStream> {
    let mut cx = Ctxt::default();
    let pivot = PivotData::from_syn(&mut cx, input);
    cx.check()?;
    Ok(expand(&pivot))
}

/// Everything `#[derive(PivotData)]` emits for a checked pivot struct.
fn expand(pivot: &PivotData) -> TokenStream {
    let ident = pivot.ident;
    let name = ident.to_string();
    let names: Vec<&String> = pivot.columns.iter().map(|c| &c.column).collect();
    let mut types: Vec<&Type> = Vec::new();
    for column in &pivot.columns {
        if !types.contains(&column.ty) {
            types.push(column.ty);
        }
    }
    let decode = pivot.columns.iter().enumerate().map(|(i, c)| {
        let (f, column, ty) = (c.ident, &c.column, c.ty);
        quote! { #f: (&::orm::__private::FieldDecoder::<#ty>::new()).decode_field::<__DB>(__row, __offset + #i, #name, #column)? }
    });
    let raw_fields: Vec<RawField<'_>> = pivot
        .columns
        .iter()
        .enumerate()
        .map(|(index, c)| RawField {
            ident: c.ident,
            read: RawRead::Column {
                index,
                ty: c.ty,
                name: &c.column,
            },
        })
        .collect();
    let raw_methods = raw_methods(ident, &name, &raw_fields);
    let write = pivot.columns.iter().map(|c| {
        let f = c.ident;
        quote! { __w.value(&self.#f); }
    });
    let write_column = pivot.columns.iter().enumerate().map(|(i, c)| {
        let f = c.ident;
        quote! { #i => { __sql.bind(&self.#f); } }
    });
    let typed_fields = super::fields::fields(
        ident,
        pivot.vis,
        pivot
            .columns
            .iter()
            .map(|c| (c.ident, c.column.as_str(), c.ty)),
    );
    let pivot_table = super::schema::pivot_table(pivot);
    quote! {
        #typed_fields
        #pivot_table

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

            #raw_methods

            fn write(&self, __w: &mut ::orm::__private::RowWriter<'_, __DB>) {
                #(#write)*
            }

            fn write_column(&self, __index: usize, __sql: &mut ::orm::__private::Sql<__DB>) {
                match __index {
                    #(#write_column)*
                    _ => {}
                }
            }
        }
    }
}
