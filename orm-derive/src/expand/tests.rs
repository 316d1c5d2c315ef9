//! Snapshot tests of the derives' expansion: each test runs a derive on a `proc_macro2` token
//! stream, pretty-prints what it emits and compares it with the reviewed `.snap` file in
//! `snapshots/`. The snapshot's header shows the input. After an intended change of the generated
//! code, rerun with `INSTA_UPDATE=always cargo test -p orm-derive` and review the diff.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

/// Pretty-prints tokens that form Rust items; tokens that do not are shown as they are, after
/// the parse error, so that the snapshot comparison fails and shows why.
fn pretty(tokens: TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(err) => format!("// not Rust items: {err}\n{tokens}"),
    }
}

/// Runs `derive` on `input` (a derive input written with `quote!`), pretty-printed; on an error,
/// the pretty-printed error tokens.
fn expand(
    input: &TokenStream,
    derive: impl FnOnce(&DeriveInput) -> syn::Result<TokenStream>,
) -> String {
    match syn::parse2::<DeriveInput>(input.clone()) {
        Ok(parsed) => pretty(derive(&parsed).unwrap_or_else(syn::Error::into_compile_error)),
        Err(err) => format!("// not a derive input: {err}\n{input}"),
    }
}

/// `#[derive(Model)]` on `input`, pretty-printed.
fn expand_model(input: &TokenStream) -> String {
    expand(input, crate::model)
}

/// `#[derive(PivotData)]` on `input`, pretty-printed.
fn expand_pivot(input: &TokenStream) -> String {
    expand(input, super::pivot::derive)
}

/// Asserts the snapshot `name`, with the pretty-printed input as the snapshot's description.
fn assert_expansion(name: &str, input: &TokenStream, expanded: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_description(pretty(input.clone()));
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, expanded));
}

#[test]
fn model_renamed_column_skipped_field_explicit_key() {
    // The explicit key wins over the field named `id`; a `String` key is not database-generated,
    // so `NewAccount` carries it.
    let input = quote! {
        #[derive(Model)]
        pub struct Account {
            #[model(primary_key)]
            pub number: String,
            pub id: i64,
            #[model(column = "email_address")]
            pub email: Option<String>,
            #[model(skip)]
            pub cache: Vec<u8>,
        }
    };
    assert_expansion(
        "model_renamed_column_skipped_field_explicit_key",
        &input,
        &expand_model(&input),
    );
}

#[test]
fn model_table_rename_and_generated_key() {
    let input = quote! {
        #[derive(Model)]
        #[model(table = "people")]
        pub(crate) struct Person {
            pub id: i64,
            pub name: String,
        }
    };
    assert_expansion(
        "model_table_rename_and_generated_key",
        &input,
        &expand_model(&input),
    );
}

#[test]
fn model_timestamps_leave_new_and_the_update_list() {
    // `created_at` renamed, `updated_at` by default: neither is in `NewPost` nor written from the
    // model; `TIMESTAMPS` names both; `from_new` is never the way a timestamped row is built.
    let input = quote! {
        #[derive(Model)]
        #[model(timestamps(created_at = "posted_at"))]
        pub struct Post {
            pub id: i64,
            pub title: String,
            pub posted_at: String,
            pub updated_at: String,
        }
    };
    assert_expansion(
        "model_timestamps_leave_new_and_the_update_list",
        &input,
        &expand_model(&input),
    );
}

#[test]
fn model_timestamps_errors() {
    // A timestamp column without its field, the primary key as a timestamp, an unknown key.
    let input = quote! {
        #[derive(Model)]
        #[model(timestamps(created_at = "id", updated_at = "changed"))]
        pub struct Post {
            pub id: i64,
        }
    };
    assert_expansion("model_timestamps_errors", &input, &expand_model(&input));
    let input = quote! {
        #[derive(Model)]
        #[model(timestamps(craeted_at = "c"))]
        pub struct Post {
            pub id: i64,
        }
    };
    assert_expansion(
        "model_timestamps_unknown_key",
        &input,
        &expand_model(&input),
    );
}

#[test]
fn model_many_to_many_with_pivot_data_and_self_reference() {
    let input = quote! {
        #[derive(Model)]
        pub struct User {
            pub id: i64,
            pub username: String,
            #[many_to_many(pivot = "skill_user", pivot_timestamps)]
            pub skills: ManyToMany<Skill, Proficiency>,
            #[many_to_many(pivot = "follows", pivot_related_foreign_key = "follower_id")]
            pub followers: ManyToMany<Self>,
        }
    };
    assert_expansion(
        "model_many_to_many_with_pivot_data_and_self_reference",
        &input,
        &expand_model(&input),
    );
}

#[test]
fn model_many_to_many_defaults_and_custom_keys() {
    // No keys: Lucid's defaults (pivot `tag_user`, `user_id`, `tag_id` from Tag's key at run time).
    // Custom keys: the related key goes through `HasColumn`, timestamps renamed or disabled.
    let input = quote! {
        #[derive(Model)]
        pub struct User {
            pub id: i64,
            pub uuid: String,
            #[many_to_many]
            pub tags: ManyToMany<Tag>,
            #[many_to_many(
                local_key = "uuid",
                related_key = "code",
                pivot_foreign_key = "user_uuid",
                pivot_timestamps(created_at = "added_at", updated_at = false)
            )]
            pub team_roles: ManyToMany<Role>,
        }
    };
    assert_expansion(
        "model_many_to_many_defaults_and_custom_keys",
        &input,
        &expand_model(&input),
    );
}

#[test]
fn model_has_many_has_one_belongs_to_key_proofs() {
    // Keys on the related model go through `HasColumn`; each foreign key's type is compared with
    // its key's type, spanned on the attribute. `author` names no keys: its foreign key depends
    // on User's primary key, so nothing is proven at compile time.
    let input = quote! {
        #[derive(Model)]
        pub struct Post {
            pub id: i64,
            pub author_id: i64,
            pub editor_id: Option<i64>,
            pub parent_id: Option<i64>,
            #[has_many(foreign_key = "parent_id")]
            pub replies: HasMany<Self>,
            #[has_one]
            pub summary: HasOne<Summary>,
            #[belongs_to]
            pub author: BelongsTo<User>,
            #[belongs_to(foreign_key = "editor_id", owner_key = "id")]
            pub editor: BelongsTo<User>,
        }
    };
    assert_expansion(
        "model_has_many_has_one_belongs_to_key_proofs",
        &input,
        &expand_model(&input),
    );
}

#[test]
fn pivot_data() {
    let input = quote! {
        #[derive(PivotData)]
        pub struct Proficiency {
            pub proficiency: Option<String>,
            #[pivot(column = "years_of_experience")]
            pub years: i32,
        }
    };
    assert_expansion("pivot_data", &input, &expand_pivot(&input));
}

#[test]
fn model_errors_are_combined() {
    // Every mistake is reported at once: an unknown key, a duplicate column, no primary key and a
    // relation field without its attribute.
    let input = quote! {
        #[derive(Model)]
        pub struct User {
            pub user_id: i64,
            #[model(column = "user_id")]
            pub legacy_id: i64,
            #[many_to_many(pivto = "skill_user")]
            pub skills: ManyToMany<Skill>,
            pub posts: HasMany<Post>,
        }
    };
    assert_expansion("model_errors_are_combined", &input, &expand_model(&input));
}

#[test]
fn pivot_data_errors() {
    let input = quote! {
        #[derive(PivotData)]
        pub struct Proficiency<T>(T);
    };
    assert_expansion("pivot_data_errors", &input, &expand_pivot(&input));
}
