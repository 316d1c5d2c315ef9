//! Expand: what `#[model(timestamps)]` adds to a model's impls: the `TIMESTAMPS` constant that
//! the runtime reads to set `created_at` / `updated_at` to the database's clock, and the
//! `from_new` of a timestamped model, which the runtime never calls (it reads the inserted row
//! back, since the clock is the database's).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Model;

/// `const TIMESTAMPS: ModelTimestamps = ..;` inside `impl ModelSchema`, or nothing.
pub fn constant(model: &Model) -> TokenStream {
    let Some(timestamps) = &model.timestamps else {
        return TokenStream::new();
    };
    let column = |name: &Option<String>| match name {
        Some(name) => quote! { ::core::option::Option::Some(#name) },
        None => quote! { ::core::option::Option::None },
    };
    let created_at = column(&timestamps.created_at);
    let updated_at = column(&timestamps.updated_at);
    quote! {
        const TIMESTAMPS: ::orm::ModelTimestamps = ::orm::ModelTimestamps {
            created_at: #created_at,
            updated_at: #updated_at,
        };
    }
}

/// The body of `from_new` for a timestamped model: an error naming the timestamp column, since
/// the `New` struct has no value for it. `None` for a model without timestamps.
pub fn from_new(model: &Model) -> Option<TokenStream> {
    let timestamps = model.timestamps.as_ref()?;
    let name = model.ident.to_string();
    let column = timestamps.columns().next().unwrap_or_default().to_owned();
    Some(quote! {
        let _ = (__new, __key);
        ::core::result::Result::Err(::orm::Error::InvalidInput {
            model: #name,
            relation: #column,
            operation: "create",
            reason: ::std::string::String::from(
                "a model with timestamps is read back from the database after an insert, not built from its New row",
            ),
        })
    })
}
