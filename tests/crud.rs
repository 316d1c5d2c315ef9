//! CRUD and queries on every backend.

mod common;
use common::models;

use models::*;
use orm::prelude::*;

async fn seed_users<E: orm::Executor>(exec: E, names: &[&str]) -> orm::Result<u64>
where
    User: orm::ModelRow<E::Backend>,
{
    let rows = names.iter().map(|n| NewUser {
        username: (*n).to_owned(),
        email: Some(format!("{n}@example.com")),
    });
    User::insert_many(exec, rows).await
}

backend_tests! {
    async fn create_returns_the_generated_key_and_find_reads_it_back(pool) {
        let first = User::create(&pool, NewUser { username: "virk".into(), email: None }).await?;
        let second = User::create(&pool, NewUser { username: "romain".into(), email: Some("r@x.io".into()) }).await?;
        assert!(second.id > first.id);
        let found = User::find(&pool, second.id).await?.expect("the row exists");
        assert_eq!(found.username, "romain");
        assert_eq!(found.email.as_deref(), Some("r@x.io"));
        assert!(User::find(&pool, second.id + 100).await?.is_none());
        Ok(())
    }

    async fn create_with_an_application_key(pool) {
        let tag = Tag::create(&pool, NewTag { code: "rust".into(), label: "Rust".into() }).await?;
        assert_eq!(tag.code, "rust");
        let found = Tag::find(&pool, "rust".to_owned()).await?.expect("tag exists");
        assert_eq!(found, tag);
        Ok(())
    }

    async fn update_and_delete(pool) {
        let mut user = User::create(&pool, NewUser { username: "virk".into(), email: None }).await?;
        user.email = Some("virk@adonisjs.com".into());
        user.update(&pool).await?;
        let found = User::find(&pool, user.id).await?.expect("exists");
        assert_eq!(found.email.as_deref(), Some("virk@adonisjs.com"));

        user.delete(&pool).await?;
        assert!(User::find(&pool, user.id).await?.is_none());
        let err = user.delete(&pool).await.expect_err("the row is gone");
        assert!(matches!(err, orm::Error::NotFound { model: "User", column: "id", .. }), "{err}");
        let err = user.update(&pool).await.expect_err("the row is gone");
        assert_eq!(err.to_string(), format!("User with id = {} was not found", user.id));
        Ok(())
    }

    async fn skipped_fields_are_not_columns(pool) {
        let user = User::create(&pool, NewUser { username: "a".into(), email: None }).await?;
        let post = Post::create(&pool, NewPost { author_id: user.id, editor_id: None, title: "hello".into() }).await?;
        assert_eq!(post.cached_word_count, 0);
        let found = Post::find(&pool, post.id).await?.expect("exists");
        assert_eq!(found.title, "hello");
        assert_eq!(found.editor_id, None);
        Ok(())
    }

    async fn query_filters_order_limit_offset(pool) {
        seed_users(&pool, &["a", "b", "c", "d", "e"]).await?;
        let names = |users: Vec<User>| users.into_iter().map(|u| u.username).collect::<Vec<_>>();

        let all = User::query().order_by("username", Order::Desc).fetch_all(&pool).await?;
        assert_eq!(names(all), ["e", "d", "c", "b", "a"]);

        let page = User::query().order_by("username", Order::Asc).limit(2).offset(1).fetch_all(&pool).await?;
        assert_eq!(names(page), ["b", "c"]);

        let skipped = User::query().order_by("username", Order::Asc).offset(3).fetch_all(&pool).await?;
        assert_eq!(names(skipped), ["d", "e"]);

        let eq = User::query().where_eq("username", "c").fetch_one(&pool).await?;
        assert_eq!(eq.email.as_deref(), Some("c@example.com"));

        let ne = User::query().where_ne("username", "c").count(&pool).await?;
        assert_eq!(ne, 4);

        let gt = User::query().where_op("username", Op::Gt, "c").order_by("id", Order::Asc).fetch_all(&pool).await?;
        assert_eq!(names(gt), ["d", "e"]);

        let like = User::query().where_op("email_address", Op::Like, "a@%").fetch_all(&pool).await?;
        assert_eq!(names(like), ["a"]);

        let within = User::query().where_in("username", ["a", "e", "zz"]).order_by("username", Order::Asc).fetch_all(&pool).await?;
        assert_eq!(names(within), ["a", "e"]);

        let outside = User::query().where_not_in("username", ["a", "e"]).order_by("username", Order::Asc).fetch_all(&pool).await?;
        assert_eq!(names(outside), ["b", "c", "d"]);

        let none: Vec<&str> = Vec::new();
        assert_eq!(User::query().where_in("username", none.clone()).count(&pool).await?, 0);
        assert_eq!(User::query().where_not_in("username", none).count(&pool).await?, 5);

        let either = User::query().where_eq("username", "a").or_where_eq("username", "b").count(&pool).await?;
        assert_eq!(either, 2);

        // username = 'a' OR (username = 'b' AND email IS NULL): the group keeps the AND inside.
        let grouped = User::query()
            .where_eq("username", "a")
            .or_where_group(|q| q.where_eq("username", "b").where_null("email_address"))
            .count(&pool)
            .await?;
        assert_eq!(grouped, 1);

        let in_group = User::query()
            .where_group(|q| q.where_eq("username", "a").or_where_eq("username", "b"))
            .where_not_null("email_address")
            .count(&pool)
            .await?;
        assert_eq!(in_group, 2);

        assert!(User::query().where_eq("username", "e").exists(&pool).await?);
        assert!(!User::query().where_eq("username", "zz").exists(&pool).await?);
        assert!(User::query().where_eq("username", "zz").fetch_optional(&pool).await?.is_none());
        Ok(())
    }

    async fn paginate_any_query(pool) {
        seed_users(&pool, &["a", "b", "c", "d", "e"]).await?;
        let page = User::query().where_ne("username", "e").order_by("username", Order::Asc).paginate(&pool, 2, 3).await?;
        assert_eq!((page.total, page.page, page.per_page), (4, 2, 3));
        assert_eq!((page.last_page(), page.has_more()), (2, false));
        assert_eq!(page.rows.iter().map(|u| u.username.as_str()).collect::<Vec<_>>(), ["d"]);
        let first = User::query().order_by("username", Order::Desc).paginate(&pool, 0, 2).await?;
        assert_eq!((first.total, first.page), (5, 1), "page 0 is page 1");
        assert_eq!((first.last_page(), first.has_more()), (3, true));
        assert_eq!(first.rows.iter().map(|u| u.username.as_str()).collect::<Vec<_>>(), ["e", "d"]);
        let err = User::query().where_eq("nope", 1_i64).paginate(&pool, 1, 2).await.expect_err("unknown column");
        assert!(matches!(err, orm::Error::UnknownColumn { .. }), "{err}");
        Ok(())
    }

    async fn null_filters(pool) {
        User::create(&pool, NewUser { username: "with".into(), email: Some("w@x".into()) }).await?;
        User::create(&pool, NewUser { username: "without".into(), email: None }).await?;
        let nulls = User::query().where_null("email_address").fetch_all(&pool).await?;
        assert_eq!(nulls.len(), 1);
        assert_eq!(nulls[0].username, "without");
        let not_null = User::query().where_not_null("email_address").fetch_all(&pool).await?;
        assert_eq!(not_null[0].username, "with");
        let either = User::query().where_eq("username", "nobody").or_where_null("email_address").count(&pool).await?;
        assert_eq!(either, 1);
        Ok(())
    }

    async fn unknown_columns_are_typed_errors(pool) {
        let err = User::query().where_eq("nmae", "virk").fetch_all(&pool).await.expect_err("unknown column");
        match &err {
            orm::Error::UnknownColumn { model, column, known } => {
                assert_eq!(*model, "User");
                assert_eq!(column, "nmae");
                assert_eq!(known, "id, username, email_address");
            }
            other => panic!("expected UnknownColumn, got {other}"),
        }
        // The Rust field name is not the column name.
        let err = User::query().order_by("email", Order::Asc).count(&pool).await.expect_err("field, not column");
        assert!(matches!(err, orm::Error::UnknownColumn { .. }), "{err}");
        // Values are bound, never interpolated: a hostile string is just a value.
        let hostile = "x'; DROP TABLE users; --";
        User::create(&pool, NewUser { username: hostile.into(), email: None }).await?;
        assert_eq!(User::query().where_eq("username", hostile).count(&pool).await?, 1);
        Ok(())
    }

    async fn missing_rows_and_wrong_types_are_typed_errors(pool) {
        let err = User::query().where_eq("username", "nobody").fetch_one(&pool).await.expect_err("no rows");
        assert!(matches!(err, orm::Error::NoRows { model: "User" }), "{err}");

        // A text column read as an integer: the model Skill over the users table would not fit, so
        // read a text value through a model whose column is an integer.
        sqlx::query("INSERT INTO posts (author_id, title) VALUES (1, 'x')").execute(&pool).await.ok();
        #[derive(Model, Debug)]
        #[model(table = "users")]
        struct NumericName {
            id: i64,
            #[model(column = "username")]
            name_as_number: i64,
        }
        User::create(&pool, NewUser { username: "not a number".into(), email: None }).await?;
        let err = NumericName::query().fetch_all(&pool).await.expect_err("text is not an integer");
        match &err {
            orm::Error::Decode { model, column, .. } => {
                assert_eq!((*model, *column), ("NumericName", "username"));
            }
            other => panic!("expected Decode, got {other}"),
        }
        Ok(())
    }

    async fn insert_many_beyond_the_bind_limit(pool) {
        let rows = (0..70_000).map(|i| NewUser { username: format!("user{i}"), email: None });
        let (inserted, statements) = common::count_statements(User::insert_many(&pool, rows)).await;
        assert_eq!(inserted?, 70_000);
        // Two binds per row: chunks of BIND_LIMIT / 2 rows.
        let per_statement = <DB as orm::dialect::Dialect>::BIND_LIMIT / 2;
        assert_eq!(statements.count_of("INSERT"), 70_000_usize.div_ceil(per_statement));
        assert_eq!(User::query().count(&pool).await?, 70_000);
        assert!(User::query().where_eq("username", "user69999").exists(&pool).await?);
        Ok(())
    }

    async fn insert_many_is_atomic(pool) {
        let rows = vec![
            NewPost { author_id: 999, editor_id: None, title: "orphan".into() }, // violates the foreign key
        ];
        User::create(&pool, NewUser { username: "a".into(), email: None }).await?;
        let err = Post::insert_many(&pool, rows).await.expect_err("foreign key");
        assert!(err.as_database_error().is_some(), "{err}");
        assert_eq!(Post::query().count(&pool).await?, 0);
        Ok(())
    }
}
