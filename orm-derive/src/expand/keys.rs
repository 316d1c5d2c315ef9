//! Expand: compile-time proofs about the keys of `#[belongs_to]` that this derive cannot see,
//! left to the type checker and spanned on the attribute. (That a key on the related model is
//! one of its columns, and that a foreign key has the type of its key, is proven by the
//! relation impls themselves, in `relation`, each error spanned on the key's literal.)

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, quote_spanned};

use crate::ast::{Field, Model, Relation};
use crate::attr::RelationAttr;
use crate::check::{belongs_to_keys, related_name};
use crate::expand::relation::related_type;

/// The key proofs of every relation field of a checked model.
pub fn expand(model: &Model) -> TokenStream {
    model
        .relations()
        .filter_map(|(field, relation)| match &relation.attr {
            RelationAttr::BelongsTo(attrs) => {
                let keys = belongs_to_keys(model, relation, attrs)?;
                Some(assumed_owner_key(
                    model,
                    field,
                    relation,
                    keys.foreign.1,
                    keys.assumed_owner_key?,
                ))
            }
            _ => None,
        })
        .collect()
}

/// A default foreign key found by its prefix (`user_id` for `BelongsTo<User>`) assumes the
/// related model's primary key (`id`): proven by a constant assertion.
fn assumed_owner_key(
    model: &Model,
    field: &Field,
    relation: &Relation,
    foreign_key: &str,
    assumed: &str,
) -> TokenStream {
    let related_name = related_name(model, relation).unwrap_or_default();
    let related = respan(related_type(model, relation), relation.span);
    let message = format!(
        "#[belongs_to] on `{}`: the default foreign key `{foreign_key}` assumes that the primary key of \
         `{related_name}` is `{assumed}`, and it is not; name the key with #[belongs_to(foreign_key = \"...\")]",
        field.ident
    );
    quote_spanned! {relation.span=>
        const _: () = ::core::assert!(
            ::orm::__private::same_str(<#related as ::orm::ModelSchema>::META.primary_key, #assumed),
            #message
        );
    }
}

/// `tokens` with every span set to `span`, so an error in them points at the attribute.
pub fn respan(tokens: impl ToTokens, span: Span) -> TokenStream {
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
