//! The raw-path half of `impl ModelRow<DB>` and `impl PivotRow<DB>`: whether every column's type
//! has one of the runtime's raw readers (SQLite's fast read path), and the decoder that uses them.
//! Which reader a type has is chosen by the compiler (autoref on `FieldDecoder`), so a field of a
//! type only sqlx decodes still compiles: its model reads through sqlx.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Type;

/// One field of the decoder: `field: <how it is read>`.
pub(super) struct RawField<'a> {
    pub(super) ident: &'a syn::Ident,
    pub(super) read: RawRead<'a>,
}

/// How a field is read on the raw path.
pub(super) enum RawRead<'a> {
    /// A column at this position in the row, of this type and name.
    Column {
        index: usize,
        ty: &'a Type,
        name: &'a str,
    },
    /// Not a column: the same expression as the sqlx decoder's (a default, a relation not
    /// loaded).
    Other(TokenStream),
}

/// `fn raw_readable()` and `fn decode_raw(..)` of the row trait, for the struct `ident` named
/// `owner` in errors.
pub(super) fn raw_methods(ident: &syn::Ident, owner: &str, fields: &[RawField<'_>]) -> TokenStream {
    let probes = fields.iter().filter_map(|field| match &field.read {
        RawRead::Column { ty, .. } => {
            Some(quote! { && (&::orm::__private::FieldDecoder::<#ty>::new()).raw_readable() })
        }
        RawRead::Other(_) => None,
    });
    let reads = fields.iter().map(|field| {
        let f = field.ident;
        match &field.read {
            RawRead::Column { index, ty, name } => quote! {
                #f: (&::orm::__private::FieldDecoder::<#ty>::new()).read_field(__row, __offset + #index, #owner, #name)?
            },
            RawRead::Other(expr) => quote! { #f: #expr },
        }
    });
    quote! {
        fn raw_readable() -> bool {
            #[allow(unused_imports)]
            use ::orm::__private::{RawReadable as _, RawUnreadable as _};
            true #(#probes)*
        }

        fn decode_raw(
            __row: &::orm::__private::RawRow<'_>,
            __offset: usize,
        ) -> ::orm::Result<Self> {
            #[allow(unused_imports)]
            use ::orm::__private::{RawReadable as _, RawUnreadable as _};
            ::core::result::Result::Ok(#ident { #(#reads,)* })
        }
    }
}
