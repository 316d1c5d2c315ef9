//! Expand: the `HasColumn` impls, and the column hash that names a column in those impls' types.
//! Used by `model` (one impl per column) and `relation` (a related model's key column).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Model;

/// One `impl HasColumn<hash>` per column of the model, in declaration order. `do_not_recommend`
/// keeps rustc from listing every column hash under an unknown column's error.
pub fn has_columns(model: &Model) -> TokenStream {
    let ident = model.ident;
    model
        .columns()
        .map(|(field, column)| {
            let hash = column_hash(column);
            let f = field.ident;
            let ty = field.ty;
            quote! {
                #[automatically_derived]
                #[diagnostic::do_not_recommend]
                impl ::orm::HasColumn<#hash> for #ident {
                    type Value = #ty;
                    const NAME: &'static str = #column;
                    fn value(&self) -> &#ty { &self.#f }
                    fn value_mut(&mut self) -> &mut #ty { &mut self.#f }
                }
            }
        })
        .collect()
}

/// The same FNV-1a hash as `orm_core::column_hash`.
pub fn column_hash(name: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in name.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::column_hash;

    #[test]
    fn fnv1a_reference_values() {
        // The published FNV-1a 64-bit test vectors; orm_core::column_hash must agree.
        assert_eq!(column_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(column_hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(column_hash("foobar"), 0x8594_4171_f739_67e8);
        assert_ne!(column_hash("user_id"), column_hash("user_ie"));
    }
}
