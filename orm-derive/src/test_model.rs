//! Test support: a model parsed and checked from `quote!` tokens, as the derive would see it.

use proc_macro2::TokenStream;
use syn::DeriveInput;

use crate::ast::Model;
use crate::ctxt::Ctxt;

/// Parses `input` as a derive input, builds its model, checks its attributes (and, with
/// `relations`, its relation keys), then reads what the test needs from it with `read`.
/// `Err` holds every error message, in order.
pub(crate) fn with_model<T>(
    input: TokenStream,
    relations: bool,
    read: impl FnOnce(&Model<'_>) -> T,
) -> Result<T, Vec<String>> {
    let input: DeriveInput =
        syn::parse2(input).map_err(|err| vec![format!("not a derive input: {err}")])?;
    let mut cx = Ctxt::default();
    let model = Model::from_syn(&mut cx, &input);
    if relations && let Some(model) = &model {
        crate::check::model(&mut cx, model);
    }
    cx.check()
        .map_err(|err| err.into_iter().map(|e| e.to_string()).collect::<Vec<_>>())?;
    model
        .map(|model| read(&model))
        .ok_or_else(|| vec!["not a model".to_owned()])
}
