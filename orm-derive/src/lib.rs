//! The derive macros of the `orm` crate. Use them through `orm`: `use orm::prelude::*;`.
//!
//! Each derive is built in three steps, in separate modules: `attr` parses attributes into typed
//! structs, `ast` + `check` build and validate a typed model, `expand` emits code from that model.
//! Every user mistake is a spanned compile error; nothing here panics on user input.

mod ast;
mod attr;
mod case;
mod check;
mod ctxt;
mod expand;
mod symbol;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives `orm::Model`; see the `orm` crate's documentation for the attributes.
#[proc_macro_derive(Model, attributes(model, many_to_many, has_many, has_one, belongs_to))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    model(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Derives `orm::PivotData`; see the `orm` crate's documentation.
#[proc_macro_derive(PivotData, attributes(pivot))]
pub fn derive_pivot_data(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::pivot::derive(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// `#[derive(Model)]` on a `proc_macro2` token level, so it can be unit tested.
fn model(input: &DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let mut cx = ctxt::Ctxt::default();
    let model = ast::Model::from_syn(&mut cx, input);
    if let Some(model) = &model {
        check::model(&mut cx, model);
    }
    cx.check()?;
    Ok(model.map(|m| expand::model::expand(&m)).unwrap_or_default())
}
