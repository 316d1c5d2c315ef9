//! Expand: `Model::FIELDS` / `Pivot::FIELDS`, one typed field per column, named by the Rust
//! field and holding the column's name. Used by `model` and `pivot`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Ident, Type, Visibility};

/// The `<Struct>Fields` struct and the `FIELDS` constant of a struct whose columns are
/// `(field, column, type)`.
pub fn fields<'a>(
    ident: &Ident,
    vis: &Visibility,
    columns: impl Iterator<Item = (&'a Ident, &'a str, &'a Type)>,
) -> TokenStream {
    let columns: Vec<_> = columns.collect();
    let fields_ident = format_ident!("{}Fields", ident);
    let declare = columns.iter().map(|(field, column, ty)| {
        let doc = format!("The `{column}` column.");
        quote! { #[doc = #doc] pub #field: ::orm::Field<#ident, #ty> }
    });
    let values = columns
        .iter()
        .map(|(field, column, _)| quote! { #field: ::orm::Field::new(#column) });
    let doc = format!(
        "The typed columns of [`{ident}`], for filters and order checked by the compiler: `{ident}::FIELDS`."
    );
    let const_doc = format!(
        "The typed columns of `{ident}`, named by field: `{ident}::FIELDS.<field>.eq(value)`, \
         `where_eq({ident}::FIELDS.<field>, value)`, `order_by({ident}::FIELDS.<field>, ..)`."
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        #vis struct #fields_ident {
            #(#declare,)*
        }

        #[automatically_derived]
        impl #ident {
            #[doc = #const_doc]
            #vis const FIELDS: #fields_ident = #fields_ident { #(#values,)* };
        }
    }
}
