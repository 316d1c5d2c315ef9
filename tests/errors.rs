//! Errors instead of wrong data or a database round trip: NULL read into a non-`Option` field,
//! pivot columns the pivot data does not declare, and messages that echo unbounded input; on
//! every backend.

mod common;
use common::models;

use models::*;
use orm::prelude::*;

/// A user without an email address.
async fn user<E>(exec: E, name: &str) -> orm::Result<User>
where
    E: orm::Executor,
    User: orm::ModelRow<E::Backend>,
{
    User::create(
        exec,
        NewUser {
            username: name.into(),
            email: None,
        },
    )
    .await
}

/// Whether `err` is a decode error of `model.column`.
fn is_decode(err: &orm::Error, model: &str, column: &str) -> bool {
    matches!(err, orm::Error::Decode { model: m, column: c, .. } if *m == model && *c == column)
}

/// Asserts that `err`'s message is short and free of raw control characters.
fn assert_bounded(err: &orm::Error) {
    let shown = err.to_string();
    assert!(shown.len() < 300, "{} bytes: {shown}", shown.len());
    assert!(
        !shown.chars().any(char::is_control),
        "raw control character in {shown:?}"
    );
}

backend_tests! {
    async fn null_in_a_non_option_model_field_is_a_decode_error(pool) {
        let a = user(&pool, "a").await?;
        let err = StrictUser::find(&pool, a.id).await.expect_err("NULL email into String");
        assert!(is_decode(&err, "StrictUser", "email_address"), "{err}");
        assert!(err.to_string().contains("StrictUser.email_address"), "{err}");
        let err = StrictUser::query().fetch_all(&pool).await.expect_err("NULL email into String");
        assert!(is_decode(&err, "StrictUser", "email_address"), "{err}");

        let post = Post::create(&pool, NewPost { author_id: a.id, editor_id: None, title: "t".into() }).await?;
        let err = StrictPost::find(&pool, post.id).await.expect_err("NULL editor_id into i64");
        assert!(is_decode(&err, "StrictPost", "editor_id"), "{err}");

        // Option fields still read NULL as None, and a present value reads into the strict model.
        assert_eq!(User::find(&pool, a.id).await?.expect("user").email, None);
        assert_eq!(Post::find(&pool, post.id).await?.expect("post").editor_id, None);
        let b = User::create(&pool, NewUser { username: "b".into(), email: Some("b@x".into()) }).await?;
        assert_eq!(StrictUser::find(&pool, b.id).await?.expect("b").email, "b@x");
        Ok(())
    }

    async fn null_in_non_option_pivot_data_is_a_decode_error(pool) {
        let a = user(&pool, "a").await?;
        let g1 = Group::create(&pool, NewGroup { name: "g1".into() }).await?;
        let g2 = Group::create(&pool, NewGroup { name: "g2".into() }).await?;
        a.related(User::groups()).attach_with(&pool, [(g1.id, Membership { role: None }), (g2.id, Membership { role: Some("admin".into()) })]).await?;
        let member = Member::find(&pool, a.id).await?.expect("member");
        let groups = member.related(Member::groups());

        let err = groups.query().fetch_all(&pool).await.expect_err("NULL role into String");
        assert!(is_decode(&err, "RequiredRole", "role"), "{err}");
        let err = Member::query().preload(Member::groups()).fetch_all(&pool).await.expect_err("preload");
        assert!(is_decode(&err, "RequiredRole", "role"), "{err}");
        let err = groups.pivot_query().fetch_all(&pool).await.expect_err("pivot rows");
        assert!(is_decode(&err, "RequiredRole", "role"), "{err}");

        // sync_with compares against the stored data: a NULL it cannot represent is an error, not
        // an "unchanged" empty string or an "update" of a value that was never read.
        for role in ["", "member"] {
            let input = [
                (g1.id, RequiredRole { role: role.into() }),
                (g2.id, RequiredRole { role: "admin".into() }),
            ];
            let err = groups.sync_with(&pool, input).await.expect_err("sync_with over a NULL role");
            assert!(is_decode(&err, "RequiredRole", "role"), "{role:?}: {err}");
        }
        let mut rows = GroupUser::query().where_eq("user_id", a.id).fetch_all(&pool).await?;
        rows.sort_by_key(|r| r.group_id);
        let roles: Vec<_> = rows.iter().map(|r| r.role.clone()).collect();
        assert_eq!(roles, [None, Some("admin".to_owned())], "the pivot rows are untouched");

        // Rows whose role is set still read.
        let rows = groups.query().where_not_null_pivot("role").fetch_all(&pool).await?;
        assert_eq!(rows.iter().map(|r| r.pivot().role.as_str()).collect::<Vec<_>>(), ["admin"]);
        Ok(())
    }

    async fn unknown_pivot_columns_are_typed_errors_without_a_statement(pool) {
        let a = user(&pool, "a").await?;
        Skill::insert_many(&pool, ["rust", "go"].map(|n| NewSkill { name: n.into() })).await?;
        let skills = a.related(User::skills());
        skills.attach_with(&pool, [(1, Proficiency::new("master")), (2, Proficiency::new("beginner"))]).await?;

        let check = |err: orm::Error, what: &str| {
            let shown = err.to_string();
            assert!(
                matches!(&err, orm::Error::UnknownPivotColumn { relation, column, .. } if relation == "User.skills" && column == "nope"),
                "{what}: {shown}"
            );
            assert!(shown.contains("User.skills"), "{what}: {shown}");
            for known in ["proficiency", "user_id", "skill_id", "created_at", "updated_at"] {
                assert!(shown.contains(known), "{what}: {shown} should list {known}");
            }
        };
        let (got, s) = common::count_statements(skills.query().where_pivot("nope", "x").fetch_all(&pool)).await;
        check(got.expect_err("where_pivot"), "where_pivot");
        assert_eq!(s.count(), 0, "{:?}", s.all());
        let (got, s) = common::count_statements(skills.query().order_by_pivot("nope", Order::Asc).fetch_all(&pool)).await;
        check(got.expect_err("order_by_pivot"), "order_by_pivot");
        assert_eq!(s.count(), 0, "{:?}", s.all());
        let (got, s) = common::count_statements(skills.query().where_group(|q| q.where_null_pivot("nope")).count(&pool)).await;
        check(got.expect_err("grouped where_null_pivot"), "where_null_pivot");
        assert_eq!(s.count(), 0, "{:?}", s.all());
        let (got, s) = common::count_statements(User::query().preload_with(User::skills(), |q| q.where_in_pivot("nope", [1_i64])).fetch_all(&pool)).await;
        check(got.expect_err("preload_with"), "preload_with");
        assert_eq!(s.count(), 0, "{:?}", s.all());
        let (got, s) = common::count_statements(skills.pivot_query().where_pivot("nope", 1_i64).delete(&pool)).await;
        check(got.expect_err("pivot_query delete"), "pivot_query delete");
        assert_eq!(s.count(), 0, "{:?}", s.all());

        // The declared columns, the keys and the timestamps are accepted; so is a column named in
        // pivot_columns, the escape hatch for undeclared ones.
        let rows = skills.query().where_pivot("proficiency", "master").where_pivot("user_id", a.id).where_not_null_pivot("created_at").order_by_pivot("skill_id", Order::Desc).order_by_pivot("updated_at", Order::Asc).fetch_all(&pool).await?;
        assert_eq!(rows.len(), 1);
        let rows = skills.query().pivot_columns(["id"]).order_by_pivot("id", Order::Desc).fetch_all(&pool).await?;
        assert_eq!(rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["go", "rust"]);
        Ok(())
    }

    async fn undeclared_pivot_data_still_accepts_any_identifier(pool) {
        let a = user(&pool, "a").await?;
        Tag::create(&pool, NewTag { code: "t1".into(), label: "one".into() }).await?;
        let tags = a.related(User::tags());
        tags.attach(&pool, ["t1".to_owned()]).await?;
        assert_eq!(tags.query().where_pivot("tag_code", "t1").fetch_all(&pool).await?.len(), 1);
        // `()` declares no columns: a valid identifier reaches the database, which rejects it.
        let err = tags.query().where_pivot("nope", "x").fetch_all(&pool).await.expect_err("no such column");
        assert!(err.as_database_error().is_some(), "{err}");
        // An invalid one does not.
        let (got, s) = common::count_statements(tags.query().where_pivot("no pe", "x").fetch_all(&pool)).await;
        let err = got.expect_err("not an identifier");
        assert!(matches!(err, orm::Error::InvalidIdentifier { .. }), "{err}");
        assert_eq!(s.count(), 0, "{:?}", s.all());
        Ok(())
    }

    async fn error_messages_bound_and_escape_their_input(pool) {
        let a = user(&pool, "a").await?;
        let huge = "a".repeat(100_000);
        let nul = "user\0name";

        for name in [huge.as_str(), nul] {
            let err = User::query().where_eq(name, 1_i64).fetch_all(&pool).await.expect_err("unknown column");
            assert!(matches!(err, orm::Error::UnknownColumn { .. }), "{err}");
            assert_bounded(&err);
            let err = a.related(User::skills()).query().where_pivot(name, 1_i64).fetch_all(&pool).await.expect_err("bad pivot column");
            assert!(matches!(err, orm::Error::InvalidIdentifier { .. }), "{err}");
            assert_bounded(&err);
            let err = a.related(User::tags()).query().order_by_pivot(name, Order::Asc).fetch_all(&pool).await.expect_err("bad pivot column");
            assert!(matches!(err, orm::Error::InvalidIdentifier { .. }), "{err}");
            assert_bounded(&err);
        }
        let err = User::query().where_eq(nul, 1_i64).fetch_all(&pool).await.expect_err("unknown column");
        assert!(err.to_string().contains(r"user\0name"), "escaped, not dropped: {err}");
        let err = User::query().where_eq(&huge, 1_i64).fetch_all(&pool).await.expect_err("unknown column");
        assert!(err.to_string().contains("(100000 bytes)"), "says how long it was: {err}");

        // A key is echoed too: a 100 KB text key that matches no row.
        let err = Tag { code: huge.clone(), label: "x".into() }.update(&pool).await.expect_err("no such tag");
        assert!(matches!(err, orm::Error::NotFound { .. }), "{err}");
        assert_bounded(&err);
        Ok(())
    }
}
