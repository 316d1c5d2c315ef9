//! Expand: relation accessors (`User::skills()`), their relation types and `impl Relation`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::{Ident, Type};

use crate::ast::{Field, Model, Relation, option_inner};
use crate::attr::RelationAttr;
use crate::case::snake_case;
use crate::check::{belongs_to_keys, has_keys, many_to_many_names};
use crate::expand::column::column_hash;
use crate::expand::keys::respan;

/// The accessors and relation types of every relation field of a checked model.
pub fn expand(model: &Model) -> TokenStream {
    model
        .relations()
        .map(|(field, relation)| match &relation.attr {
            RelationAttr::ManyToMany(_) => many_to_many(model, field, relation),
            RelationAttr::HasMany(_) | RelationAttr::HasOne(_) => has(model, field, relation),
            RelationAttr::BelongsTo(_) => belongs_to(model, field, relation),
        })
        .collect()
}

/// `UserSkillsRelation` for the `skills` field of `User`.
pub fn relation_type_name(model: &Ident, field: &Ident) -> Ident {
    let pascal: String = field
        .to_string()
        .split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    format_ident!("{}{}Relation", model, pascal)
}

/// The related type, with `Self` replaced by the model's name.
pub fn related_type(model: &Model, relation: &Relation) -> TokenStream {
    let related = relation.related;
    match related {
        Type::Path(path) if path.qself.is_none() && path.path.is_ident("Self") => {
            let ident = model.ident;
            quote! { #ident }
        }
        _ => quote! { #related },
    }
}

fn many_to_many(model: &Model, field: &Field, relation: &Relation) -> TokenStream {
    let RelationAttr::ManyToMany(attrs) = &relation.attr else {
        return TokenStream::new();
    };
    let Some(names) = many_to_many_names(model, relation, attrs) else {
        return TokenStream::new(); // invariant: check reported why
    };
    let ident = model.ident;
    let vis = model.vis;
    let field_ident = field.ident;
    let type_name = relation_type_name(ident, field_ident);
    let related = related_type(model, relation);
    let pivot = relation
        .pivot
        .map_or_else(|| quote! { () }, |p| quote! { #p });
    let parent_name = ident.to_string();
    let relation_name = field_ident.to_string();
    let pivot_table = &names.pivot_table;
    let local_key = &names.local_key;
    let local_field = names.local_field;
    let local_ty = names.local_type;
    let pivot_foreign_key = &names.pivot_foreign_key;

    // With `related_key`, every item naming the related column is spanned on its literal, so an
    // unknown column is one error there.
    let (related_key_type, related_key_fn, related_key_name) = match &attrs.related_key {
        Some(name) => {
            let hash = column_hash(&name.value);
            let column = &name.value;
            (
                quote_spanned! {name.span=>
                    type RelatedKey = <#related as ::orm::HasColumn<#hash>>::Value;
                },
                quote_spanned! {name.span=>
                    fn related_key(related: &#related) -> &Self::RelatedKey {
                        <#related as ::orm::HasColumn<#hash>>::value(related)
                    }
                },
                quote! { ::std::string::String::from(#column) },
            )
        }
        None => (
            quote! { type RelatedKey = <#related as ::orm::ModelSchema>::Key; },
            quote! {
                fn related_key(related: &#related) -> &Self::RelatedKey {
                    <#related as ::orm::ModelSchema>::key(related)
                }
            },
            quote! { ::std::string::String::from(<#related as ::orm::ModelSchema>::META.primary_key) },
        ),
    };
    let pivot_related_foreign_key = match &names.pivot_related_foreign_key {
        Some(column) => quote! { ::std::string::String::from(#column) },
        None => {
            let prefix = format!("{}_", names.related_snake);
            quote! { ::std::format!("{}{}", #prefix, <#related as ::orm::ModelSchema>::META.primary_key) }
        }
    };
    let timestamp = |column: &Option<String>| match column {
        Some(column) => {
            quote! { ::core::option::Option::Some(::std::string::String::from(#column)) }
        }
        None => quote! { ::core::option::Option::None },
    };
    let (created_at, updated_at) = match &attrs.pivot_timestamps {
        Some(t) => (timestamp(&t.created_at), timestamp(&t.updated_at)),
        None => (timestamp(&None), timestamp(&None)),
    };
    let doc = format!(
        "The `{relation_name}` relation of [`{parent_name}`]: many-to-many through the pivot table `{pivot_table}`. \
         Returned by `{parent_name}::{relation_name}()`."
    );
    let accessor_doc = format!(
        "The `{relation_name}` relation, for `{}.related(...)`, `preload`, `with_count` and `where_has`.",
        snake_case(&parent_name)
    );

    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, Default)]
        #vis struct #type_name;

        #[automatically_derived]
        impl ::orm::ManyToManyRelation for #type_name {
            type Pivot = #pivot;
            type LocalKey = #local_ty;
            #related_key_type

            fn meta() -> &'static ::orm::ManyToManyMeta {
                static META: ::orm::__private::LazyLock<::orm::ManyToManyMeta> =
                    ::orm::__private::LazyLock::new(|| ::orm::ManyToManyMeta {
                        parent: #parent_name,
                        relation: #relation_name,
                        pivot_table: ::std::string::String::from(#pivot_table),
                        local_key: ::std::string::String::from(#local_key),
                        related_table: <#related as ::orm::ModelSchema>::META.table,
                        related_key: #related_key_name,
                        pivot_foreign_key: ::std::string::String::from(#pivot_foreign_key),
                        pivot_related_foreign_key: #pivot_related_foreign_key,
                        created_at: #created_at,
                        updated_at: #updated_at,
                        key_extra_names: ::std::vec::Vec::new(),
                    }
                    .with_extra_names());
                &META
            }

            fn local_key(parent: &#ident) -> &#local_ty {
                &parent.#local_field
            }

            #related_key_fn

            fn field(parent: &mut #ident) -> &mut ::orm::ManyToMany<#related, #pivot> {
                &mut parent.#field_ident
            }
        }

        #[automatically_derived]
        impl ::orm::Relation for #type_name {
            type Parent = #ident;
            type Related = #related;
            type Kind = ::orm::kind::Pivot;
            type Handle<'p> = ::orm::ManyToManyHandle<'p, Self>;

            fn handle(self, parent: &#ident) -> Self::Handle<'_> {
                ::orm::__private::many_to_many_handle(parent)
            }
        }

        #[automatically_derived]
        impl #ident {
            #[doc = #accessor_doc]
            #vis fn #field_ident() -> #type_name {
                #type_name
            }
        }
    }
}

/// What every relation found by key shares: the relation type, `impl Relation`,
/// `impl KeyedRelation` and the accessor.
struct Keyed<'m> {
    model: &'m Model<'m>,
    field: &'m Field<'m>,
    related: TokenStream,
    kind: &'static str,
    /// `HasMany`, `HasOne` or `BelongsTo`.
    field_type: &'static str,
    /// `HasManyHandle`, `HasOneHandle` or `BelongsToHandle`.
    handle: &'static str,
    key_type: TokenStream,
    parent_column: TokenStream,
    related_column: TokenStream,
    parent_key: TokenStream,
    related_key: TokenStream,
    /// `impl HasRelation` or `impl BelongsToRelation` (and `RelationMut`).
    direction: TokenStream,
}

fn keyed(k: Keyed) -> TokenStream {
    let ident = k.model.ident;
    let vis = k.model.vis;
    let field_ident = k.field.ident;
    let type_name = relation_type_name(ident, field_ident);
    let Keyed {
        related,
        kind,
        key_type,
        parent_column,
        related_column,
        parent_key,
        related_key,
        direction,
        ..
    } = &k;
    let field_type = format_ident!("{}", k.field_type);
    let handle = format_ident!("{}", k.handle);
    let parent_name = ident.to_string();
    let relation_name = field_ident.to_string();
    let doc = format!(
        "The `{relation_name}` relation of [`{parent_name}`] (`#[{kind}]`). Returned by `{parent_name}::{relation_name}()`."
    );
    let accessor_doc = format!(
        "The `{relation_name}` relation, for `{}.related(...)`, `preload`, `with_count` and `where_has`.",
        snake_case(&parent_name)
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, Default)]
        #vis struct #type_name;

        #[automatically_derived]
        impl ::orm::Relation for #type_name {
            type Parent = #ident;
            type Related = #related;
            type Kind = ::orm::kind::Keys;
            type Handle<'p> = ::orm::#handle<'p, Self>;

            fn handle(self, parent: &#ident) -> Self::Handle<'_> {
                ::orm::#handle::new(parent)
            }
        }

        #[automatically_derived]
        impl ::orm::KeyedRelation for #type_name {
            type Key = #key_type;
            type Field = ::orm::#field_type<#related>;

            fn meta() -> &'static ::orm::KeyedMeta {
                static META: ::orm::KeyedMeta = ::orm::KeyedMeta {
                    parent: #parent_name,
                    relation: #relation_name,
                    kind: #kind,
                    parent_column: #parent_column,
                    related_table: <#related as ::orm::ModelSchema>::META.table,
                    related_column: #related_column,
                };
                &META
            }

            fn parent_key(parent: &#ident) -> ::core::option::Option<&#key_type> {
                #parent_key
            }

            fn related_key(related: &#related) -> ::core::option::Option<&#key_type> {
                #related_key
            }

            fn field(parent: &mut #ident) -> &mut ::orm::#field_type<#related> {
                &mut parent.#field_ident
            }
        }

        #direction

        #[automatically_derived]
        impl #ident {
            #[doc = #accessor_doc]
            #vis fn #field_ident() -> #type_name {
                #type_name
            }
        }
    }
}

/// `ty` without its `Option`.
fn key_type(ty: &Type) -> &Type {
    option_inner(ty).unwrap_or(ty)
}

/// `#[has_many]` / `#[has_one]`: this model's local key, the related model's foreign key.
fn has(model: &Model, field: &Field, relation: &Relation) -> TokenStream {
    let (RelationAttr::HasMany(attrs) | RelationAttr::HasOne(attrs)) = &relation.attr else {
        return TokenStream::new();
    };
    let Some(keys) = has_keys(model, relation, attrs) else {
        return TokenStream::new(); // invariant: check reported why
    };
    let ident = model.ident;
    let related = related_type(model, relation);
    let key = key_type(keys.local_field.ty);
    let local_field = keys.local_field.ident;
    let local_key = keys.local_key;
    let foreign_key = &keys.foreign_key;
    let hash = column_hash(foreign_key);
    let span = keys.foreign_key_span;
    // Every item proving the foreign key (a column of the related model, of the key's type) is
    // spanned on its literal, so that a mistake is one error there.
    let related_at_key = respan(&related, span);
    let key_at_key = respan(key, span);
    let type_name = relation_type_name(ident, field.ident);
    let (kind, field_type, handle) = match relation.attr {
        RelationAttr::HasOne(_) => ("has_one", "HasOne", "HasOneHandle"),
        _ => ("has_many", "HasMany", "HasManyHandle"),
    };
    keyed(Keyed {
        model,
        field,
        kind,
        field_type,
        handle,
        key_type: quote! { #key },
        parent_column: quote! { #local_key },
        related_column: quote! { #foreign_key },
        parent_key: quote! {
            ::orm::__private::KeyOf::<#key>::key_of(&parent.#local_field)
        },
        related_key: quote_spanned! {span=>
            ::orm::__private::KeyOf::<#key_at_key>::key_of(
                <#related_at_key as ::orm::HasColumn<#hash>>::value(related),
            )
        },
        direction: quote_spanned! {span=>
            #[automatically_derived]
            impl ::orm::HasRelation for #type_name {
                fn set_foreign_key(related: &mut #related, key: #key) {
                    let _ = ::orm::__private::KeyOf::<#key_at_key>::set_key(
                        <#related_at_key as ::orm::HasColumn<#hash>>::value_mut(related),
                        ::core::option::Option::Some(key),
                    );
                }
            }
        },
        related,
    })
}

/// `#[belongs_to]`: this model's foreign key, the related model's owner key.
fn belongs_to(model: &Model, field: &Field, relation: &Relation) -> TokenStream {
    let RelationAttr::BelongsTo(attrs) = &relation.attr else {
        return TokenStream::new();
    };
    let Some(keys) = belongs_to_keys(model, relation, attrs) else {
        return TokenStream::new(); // invariant: check reported why
    };
    let ident = model.ident;
    let related = related_type(model, relation);
    let (foreign_field, foreign_key) = keys.foreign;
    let foreign_ident = foreign_field.ident;
    let type_name = relation_type_name(ident, field.ident);
    // The key type is the foreign key's, without its `Option`; the owner key's column is
    // proven to have it, spanned on the key that names it.
    let key = key_type(foreign_field.ty);
    let (related_column, related_key) = match &attrs.owner_key {
        Some(name) => {
            let hash = column_hash(&name.value);
            let column = &name.value;
            let related = respan(&related, name.span);
            let key = respan(key, name.span);
            (
                quote! { #column },
                quote_spanned! {name.span=>
                    ::orm::__private::KeyOf::<#key>::key_of(
                        <#related as ::orm::HasColumn<#hash>>::value(related),
                    )
                },
            )
        }
        None => {
            let span = keys.foreign_key_span;
            let related = respan(&related, span);
            let key = respan(key, span);
            (
                quote! { <#related as ::orm::ModelSchema>::META.primary_key },
                quote_spanned! {span=>
                    ::orm::__private::KeyOf::<#key>::key_of(
                        <#related as ::orm::ModelSchema>::key(related),
                    )
                },
            )
        }
    };
    let span = keys.foreign_key_span;
    let key_at_key = respan(key, span);
    let foreign_at_key = respan(quote! { parent.#foreign_ident }, span);
    let set_key = quote_spanned! {span=>
        ::orm::__private::KeyOf::<#key_at_key>::set_key(&mut #foreign_at_key, key)
    };
    keyed(Keyed {
        model,
        field,
        kind: "belongs_to",
        field_type: "BelongsTo",
        handle: "BelongsToHandle",
        parent_column: quote! { #foreign_key },
        related_column,
        parent_key: quote_spanned! {span=>
            ::orm::__private::KeyOf::<#key_at_key>::key_of(&#foreign_at_key)
        },
        related_key,
        direction: quote! {
            #[automatically_derived]
            impl ::orm::BelongsToRelation for #type_name {
                fn set_foreign_key(
                    parent: &mut #ident,
                    key: ::core::option::Option<#key>,
                ) -> bool {
                    #set_key
                }
            }

            #[automatically_derived]
            impl ::orm::RelationMut for #type_name {
                type HandleMut<'p> = ::orm::BelongsToMut<'p, Self>;

                fn handle_mut(self, parent: &mut #ident) -> Self::HandleMut<'_> {
                    ::orm::BelongsToMut::new(parent)
                }
            }
        },
        key_type: quote! { #key },
        related,
    })
}

#[cfg(test)]
mod tests {
    use quote::format_ident;

    use super::relation_type_name;

    #[test]
    fn relation_type_names() {
        let name = |model: &str, field: &str| {
            relation_type_name(&format_ident!("{}", model), &format_ident!("{}", field)).to_string()
        };
        assert_eq!(name("User", "skills"), "UserSkillsRelation");
        assert_eq!(name("User", "team_roles"), "UserTeamRolesRelation");
        assert_eq!(name("User", "_private__x"), "UserPrivateXRelation");
        assert_eq!(name("Post", "tags2"), "PostTags2Relation");
    }
}
