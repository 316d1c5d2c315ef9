//! Expand: relation accessors (`User::skills()`) and their relation types.

use proc_macro2::TokenStream;

use crate::ast::Model;

pub fn expand(_model: &Model) -> TokenStream {
    TokenStream::new()
}
