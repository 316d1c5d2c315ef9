//! Unit tests of the key resolution of every relation kind (Lucid's defaults) and of its checks.

use quote::quote;

use super::*;

/// The names every many-to-many relation of `input` resolves to, by field:
/// `(field, pivot_table, local_key, pivot_foreign_key, pivot_related_foreign_key, related_snake)`.
type Resolved = (String, String, String, String, Option<String>, String);

/// Builds and checks the model of `input`; `Err` with the messages if `check` rejects it.
fn resolve(input: proc_macro2::TokenStream) -> Result<Vec<Resolved>, Vec<String>> {
    crate::test_model::with_model(input, true, |model| {
        model
            .relations()
            .filter_map(|(field, relation)| {
                let RelationAttr::ManyToMany(attrs) = &relation.attr else {
                    return None;
                };
                let names = many_to_many_names(model, relation, attrs)?;
                Some((
                    field.ident.to_string(),
                    names.pivot_table,
                    names.local_key,
                    names.pivot_foreign_key,
                    names.pivot_related_foreign_key,
                    names.related_snake,
                ))
            })
            .collect()
    })
}

fn owned(
    field: &str,
    pivot: &str,
    local: &str,
    foreign: &str,
    related_foreign: Option<&str>,
    related_snake: &str,
) -> Resolved {
    (
        field.into(),
        pivot.into(),
        local.into(),
        foreign.into(),
        related_foreign.map(Into::into),
        related_snake.into(),
    )
}

#[test]
fn lucid_defaults() {
    let resolved = resolve(quote! {
        struct User {
            id: i64,
            #[many_to_many]
            skills: ManyToMany<Skill>,
            #[many_to_many]
            teams: orm::ManyToMany<crate::models::AdminTeam, Membership>,
        }
    });
    assert_eq!(
        resolved,
        Ok(vec![
            // Sorted struct names, snake_case: Skill + User -> skill_user. The related key
            // column is Skill's primary key, known only at run time.
            owned("skills", "skill_user", "id", "user_id", None, "skill"),
            // The last path segment names the related model.
            owned(
                "teams",
                "admin_team_user",
                "id",
                "user_id",
                None,
                "admin_team"
            ),
        ])
    );
}

#[test]
fn pivot_name_sorts_struct_names() {
    let resolved = resolve(quote! {
        struct Post {
            id: i64,
            #[many_to_many]
            tags: ManyToMany<Tag>,
            #[many_to_many]
            categories: ManyToMany<Category>,
        }
    });
    assert_eq!(
        resolved,
        Ok(vec![
            owned("tags", "post_tag", "id", "post_id", None, "tag"),
            owned(
                "categories",
                "category_post",
                "id",
                "post_id",
                None,
                "category"
            ),
        ])
    );
}

#[test]
fn explicit_names_and_keys() {
    let resolved = resolve(quote! {
        struct User {
            #[model(primary_key)]
            uuid: String,
            #[model(column = "legacy")]
            legacy_id: i64,
            #[many_to_many(pivot = "memberships", local_key = "legacy", related_key = "code")]
            roles: ManyToMany<Role>,
            #[many_to_many(pivot_foreign_key = "owner", pivot_related_foreign_key = "badge")]
            badges: ManyToMany<Badge>,
        }
    });
    assert_eq!(
        resolved,
        Ok(vec![
            // local_key names a column, not a field; related_key fixes the related column.
            owned(
                "roles",
                "memberships",
                "legacy",
                "user_legacy",
                Some("role_code"),
                "role"
            ),
            // The default local key is the explicit primary key.
            owned(
                "badges",
                "badge_user",
                "uuid",
                "owner",
                Some("badge"),
                "badge"
            ),
        ])
    );
}

#[test]
fn self_reference() {
    let resolved = resolve(quote! {
        struct User {
            id: i64,
            #[many_to_many(pivot = "follows", pivot_related_foreign_key = "follower_id")]
            followers: ManyToMany<Self>,
        }
    });
    assert_eq!(
        resolved,
        Ok(vec![owned(
            "followers",
            "follows",
            "id",
            "user_id",
            Some("follower_id"),
            "user"
        )])
    );

    // Without a second key name both pivot keys would be `user_id`.
    let errors = resolve(quote! {
        struct User {
            id: i64,
            #[many_to_many]
            friends: ManyToMany<User>,
        }
    });
    assert!(
        matches!(&errors, Err(errors) if errors.len() == 1
            && errors[0].starts_with("both pivot keys of `friends` would be `user_id`")),
        "{errors:?}"
    );
}

#[test]
fn unknown_local_key_lists_the_columns() {
    let errors = resolve(quote! {
        struct User {
            id: i64,
            #[model(column = "user_name")]
            name: String,
            #[many_to_many(local_key = "name")]
            skills: ManyToMany<Skill>,
        }
    });
    assert_eq!(
        errors,
        Err(vec![
            "unknown local_key `name`: User has no such column, expected one of `id`, `user_name`"
                .to_owned()
        ])
    );
}

/// The keys of the has_many / has_one and belongs_to relations of `input`, by field:
/// `(field, this model's key column, the other key column)`; `None` for a belongs_to whose
/// foreign key depends on the related model's primary key.
fn other_keys(
    input: proc_macro2::TokenStream,
) -> Result<Vec<(String, Option<String>)>, Vec<String>> {
    crate::test_model::with_model(input, true, |model| {
        model
            .relations()
            .filter_map(|(field, relation)| {
                let key = match &relation.attr {
                    RelationAttr::HasMany(attrs) | RelationAttr::HasOne(attrs) => {
                        let keys = has_keys(model, relation, attrs)?;
                        Some(format!("{} <- {}", keys.local_key, keys.foreign_key))
                    }
                    RelationAttr::BelongsTo(attrs) => Some(
                        belongs_to_keys(model, relation, attrs)?
                            .foreign
                            .1
                            .to_owned(),
                    ),
                    RelationAttr::ManyToMany(_) => return None,
                };
                Some((field.ident.to_string(), key))
            })
            .collect()
    })
}

#[test]
fn has_and_belongs_to_defaults_and_explicit_keys() {
    let keys = other_keys(quote! {
        struct Author {
            id: i64,
            uuid: String,
            skill_code: Option<String>,
            editor_id: Option<i64>,
            author_id: Option<i64>,
            #[has_many]
            posts: HasMany<Post>,
            #[has_one(local_key = "uuid")]
            profile: HasOne<Profile>,
            #[has_many(foreign_key = "writer_id")]
            drafts: HasMany<Draft>,
            #[belongs_to]
            inviter: BelongsTo<Self>,
            #[belongs_to(owner_key = "code")]
            skill: BelongsTo<Skill>,
            #[belongs_to(foreign_key = "editor_id")]
            editor: BelongsTo<User>,
        }
    });
    let owned = |field: &str, key: Option<&str>| (field.to_owned(), key.map(str::to_owned));
    assert_eq!(
        keys,
        Ok(vec![
            owned("posts", Some("id <- author_id")),
            owned("profile", Some("uuid <- author_uuid")),
            owned("drafts", Some("id <- writer_id")),
            owned("inviter", Some("author_id")),
            owned("skill", Some("skill_code")),
            owned("editor", Some("editor_id")),
        ])
    );
}

#[test]
fn unknown_keys_on_this_model_list_the_columns() {
    let keys = other_keys(quote! {
        struct Post {
            id: i64,
            author_id: i64,
            #[has_many(local_key = "uuid")]
            replies: HasMany<Reply>,
            #[belongs_to(foreign_key = "writer_id")]
            author: BelongsTo<User>,
            #[belongs_to(owner_key = "code")]
            skill: BelongsTo<Skill>,
        }
    });
    assert_eq!(
        keys,
        Err(vec![
            "unknown local_key `uuid`: Post has no such column, expected one of `id`, `author_id`"
                .to_owned(),
            "unknown foreign_key `writer_id`: Post has no such column, expected one of `id`, `author_id`"
                .to_owned(),
            "the default foreign_key `skill_code` (snake_case(Skill) + `_` + owner_key) is not a column of \
             Post: name it with #[belongs_to(foreign_key = \"...\")], one of `id`, `author_id`"
                .to_owned(),
        ])
    );
}
