//! Expand: compile-time proofs about the keys of `#[has_many]`, `#[has_one]` and `#[belongs_to]`
//! that this derive cannot see, left to the type checker and spanned on the attribute: a key
//! on the related model is one of its columns (`HasColumn<hash>`, whose message names the
//! model), and a foreign key has the type of the key it refers to, or that type in an `Option`.
//! (`#[many_to_many]`'s `related_key` is proven by its relation impl, in `relation`.)

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};

use crate::ast::{Field, Model, Relation};
use crate::attr::{BelongsToAttrs, HasAttrs, RelationAttr};
use crate::check::{belongs_to_keys, has_keys, related_name};
use crate::expand::column::column_hash;
use crate::expand::relation::related_type;

/// The key proofs of every relation field of a checked model.
pub fn expand(model: &Model) -> TokenStream {
    model
        .relations()
        .map(|(field, relation)| match &relation.attr {
            RelationAttr::HasMany(attrs) | RelationAttr::HasOne(attrs) => {
                has(model, field, relation, attrs)
            }
            RelationAttr::BelongsTo(attrs) => belongs_to(model, field, relation, attrs),
            RelationAttr::ManyToMany(_) => TokenStream::new(),
        })
        .collect()
}

/// The foreign key, a column of the related model, exists and has the local key's type.
fn has(model: &Model, field: &Field, relation: &Relation, attrs: &HasAttrs) -> TokenStream {
    let (Some(keys), Some(related_name)) = (
        has_keys(model, relation, attrs),
        related_name(model, relation),
    ) else {
        return TokenStream::new(); // invariant: check reported why
    };
    let related = respan(related_type(model, relation), keys.foreign_key_span);
    let hash = column_hash(&keys.foreign_key);
    let foreign_ty = quote_spanned! {keys.foreign_key_span=>
        <#related as ::orm::HasColumn<#hash>>::Value
    };
    let label = label(
        relation,
        field,
        &format!("`{related_name}.{}`", keys.foreign_key),
        &format!("`{}.{}`", model.ident, keys.local_key),
    );
    same_key(
        &label,
        foreign_ty,
        respan(keys.local_field.ty, keys.foreign_key_span),
        keys.foreign_key_span,
    )
}

/// The owner key, a column of the related model, exists, and the foreign key has its type.
fn belongs_to(
    model: &Model,
    field: &Field,
    relation: &Relation,
    attrs: &BelongsToAttrs,
) -> TokenStream {
    let (Some(keys), Some(related_name)) = (
        belongs_to_keys(model, relation, attrs),
        related_name(model, relation),
    ) else {
        return TokenStream::new(); // invariant: check reported why
    };
    // Without foreign_key and owner_key, the foreign key's name depends on the related model's
    // primary key, which only the related model's derive knows.
    let Some((foreign_field, foreign_key)) = keys.foreign else {
        return TokenStream::new();
    };
    let (owner_ty, owner_key) = match &attrs.owner_key {
        Some(name) => {
            let related = respan(related_type(model, relation), name.span);
            let hash = column_hash(&name.value);
            (
                quote_spanned! {name.span=> <#related as ::orm::HasColumn<#hash>>::Value },
                format!("`{related_name}.{}`", name.value),
            )
        }
        None => {
            let related = related_type(model, relation);
            (
                quote! { <#related as ::orm::ModelSchema>::Key },
                format!("the primary key of `{related_name}`"),
            )
        }
    };
    let label = label(
        relation,
        field,
        &format!("`{}.{foreign_key}`", model.ident),
        &owner_key,
    );
    same_key(
        &label,
        respan(foreign_field.ty, keys.foreign_key_span),
        owner_ty,
        keys.foreign_key_span,
    )
}

/// The label of a key type mismatch: the `foreign` column refers to the `key` column (both
/// already quoted).
fn label(relation: &Relation, field: &Field, foreign: &str, key: &str) -> String {
    format!(
        "#[{}] on `{}`: {foreign} (`{{Self}}`) refers to {key} (`{{K}}`); a foreign key has the type \
         of its key, or that type in an `Option`",
        relation.attr.name(),
        field.ident,
    )
}

/// Asserts that `foreign` is `key` or `Option<key>`, with a message naming both columns.
fn same_key(label: &str, foreign: TokenStream, key: TokenStream, span: Span) -> TokenStream {
    let check = quote_spanned! {span=> let _ = same_key::<#foreign, #key>; };
    quote! {
        const _: () = {
            #[diagnostic::on_unimplemented(message = "key types differ: `{Self}` vs `{K}`", label = #label)]
            trait SameKey<K> {}
            #[diagnostic::do_not_recommend]
            impl<K> SameKey<K> for K {}
            #[diagnostic::do_not_recommend]
            impl<K> SameKey<K> for ::core::option::Option<K> {}
            fn same_key<F: SameKey<K>, K>() {}
            #check
        };
    }
}

/// `tokens` with every span set to `span`, so an error in them points at the attribute.
fn respan(tokens: impl ToTokens, span: Span) -> TokenStream {
    tokens
        .into_token_stream()
        .into_iter()
        .map(|mut tree| {
            if let TokenTree::Group(group) = &tree {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), respan(group.stream(), span));
                inner.set_span(span);
                tree = TokenTree::Group(inner);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}
