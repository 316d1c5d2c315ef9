//! Related queries with pivot filters, preload (grouping, order, per-parent limit, nesting),
//! with_count and where_has, on every backend.

mod common;
use common::models;

use models::*;
use orm::prelude::*;

/// Users a, b, c; skills rust, go, sql, zig; a: rust (beginner), go (master), sql (master);
/// b: go (expert), zig (no proficiency); c: nothing.
async fn seed<E>(exec: E) -> orm::Result<[User; 3]>
where
    E: orm::Executor,
    User: orm::ModelRow<E::Backend>,
    Skill: orm::ModelRow<E::Backend>,
    UserSkillsRelation: orm::ManyToManyOn<E::Backend>,
{
    let mut conn = exec.acquire().await?;
    let mut users = Vec::new();
    for name in ["a", "b", "c"] {
        users.push(
            User::create(
                &mut conn,
                NewUser {
                    username: name.into(),
                    email: None,
                },
            )
            .await?,
        );
    }
    Skill::insert_many(
        &mut conn,
        ["rust", "go", "sql", "zig"].map(|n| NewSkill { name: n.into() }),
    )
    .await?;
    let [a, b, c]: [User; 3] = users
        .try_into()
        .map_err(|_| orm::Error::NoRows { model: "User" })?;
    a.related(User::skills())
        .attach_with(
            &mut conn,
            [
                (1, Proficiency::new("beginner")),
                (2, Proficiency::new("master")),
                (3, Proficiency::new("master")),
            ],
        )
        .await?;
    b.related(User::skills())
        .attach_with(
            &mut conn,
            [
                (2, Proficiency::new("expert")),
                (4, Proficiency { proficiency: None }),
            ],
        )
        .await?;
    Ok([a, b, c])
}

fn names<P>(rows: &[orm::Pivoted<Skill, P>]) -> Vec<&str> {
    rows.iter().map(|s| s.name.as_str()).collect()
}

backend_tests! {
    async fn preload_groups_rows_under_each_parent(pool) {
        let [a, b, c] = seed(&pool).await?;
        let (users, s) = common::count_statements(
            User::query().order_by("id", Order::Asc).preload_with(User::skills(), |q| q.order_by("id", Order::Asc)).fetch_all(&pool),
        )
        .await;
        let users = users?;
        assert_eq!(s.count(), 2, "one statement for users, one for skills: {:?}", s.all());
        assert_eq!(users.iter().map(|u| u.id).collect::<Vec<_>>(), [a.id, b.id, c.id]);

        let a_skills = users[0].skills.get()?;
        assert_eq!(names(a_skills), ["rust", "go", "sql"]);
        assert_eq!(a_skills[0].pivot(), &Proficiency::new("beginner"));
        assert_eq!(a_skills[0].extras().get::<i64>("pivot_user_id")?, a.id);
        assert_eq!(a_skills[1].extras().get::<i64>("pivot_skill_id")?, 2);

        let b_skills = users[1].skills.get()?;
        assert_eq!(names(b_skills), ["go", "zig"], "a skill shared by two parents appears under both");
        assert_eq!(b_skills[0].pivot(), &Proficiency::new("expert"));
        assert_eq!(b_skills[1].pivot().proficiency, None);
        assert!(users[2].skills.get()?.is_empty(), "a parent without rows gets an empty list");
        assert_eq!(users[2].skills.count()?, 0);
        Ok(())
    }

    async fn order_follows_the_closure(pool) {
        seed(&pool).await?;
        let users = User::query()
            .where_eq("username", "a")
            .preload_with(User::skills(), |q| q.order_by("name", Order::Desc))
            .fetch_all(&pool)
            .await?;
        assert_eq!(names(users[0].skills.get()?), ["sql", "rust", "go"]);
        let users = User::query()
            .where_eq("username", "a")
            .preload_with(User::skills(), |q| q.order_by_pivot("proficiency", Order::Asc).order_by("name", Order::Asc))
            .fetch_all(&pool)
            .await?;
        assert_eq!(names(users[0].skills.get()?), ["rust", "go", "sql"]);
        Ok(())
    }

    async fn order_is_written_for_the_pivot_index_on_sqlite(pool) {
        // SQLite: parent key first, an integer related key as the pivot's copy (the pivot's
        // UNIQUE (user_id, skill_id) index delivers it unsorted), a text key kept. Elsewhere as given.
        let [a, b, _] = seed(&pool).await?;
        Tag::insert_many(&pool, ["go", "rust"].map(|c| NewTag { code: c.into(), label: c.into() })).await?;
        a.related(User::tags()).attach(&pool, ["go".to_owned(), "rust".to_owned()]).await?;
        let (users, s) = common::count_statements(
            User::query().order_by("id", Order::Asc)
                .preload_with(User::skills(), |q| q.order_by("id", Order::Desc))
                .preload_with(User::tags(), |q| q.order_by("code", Order::Desc))
                .fetch_all(&pool),
        )
        .await;
        let users = users?;
        assert_eq!(names(users[0].skills.get()?), ["sql", "go", "rust"]);
        assert_eq!(names(users[1].skills.get()?), ["zig", "go"]);
        assert_eq!(users[0].tags.get()?.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(), ["rust", "go"]);
        let order = |sql: &str| sql.replace(['`', '"'], "").split(" ORDER BY ").nth(1).map(str::to_owned);
        let sqlite = <DB as orm::Backend>::NAME == "sqlite";
        let (skills, tags) = if sqlite {
            ("orm_skills_pivot.user_id ASC, orm_skills_pivot.skill_id DESC", "orm_tags_pivot.user_id ASC, orm_tags.code DESC")
        } else {
            ("orm_skills.id DESC", "orm_tags.code DESC")
        };
        assert_eq!(order(s.queries()[1]).as_deref(), Some(skills), "{:?}", s.all());
        assert_eq!(order(s.queries()[2]).as_deref(), Some(tags), "{:?}", s.all());
        // One parent: the key moves to the pivot's copy, no parent key first.
        let query = b.related(User::skills()).query().order_by("id", Order::Desc);
        let expected = if sqlite { "orm_skills_pivot.skill_id DESC" } else { "orm_skills.id DESC" };
        assert_eq!(order(&query.to_sql()?.0).as_deref(), Some(expected));
        assert_eq!(names(&query.fetch_all(&pool).await?), ["zig", "go"]);
        Ok(())
    }

    async fn not_preloaded_is_an_error_not_an_empty_list(pool) {
        seed(&pool).await?;
        let users = User::query().fetch_all(&pool).await?;
        let err = users[0].skills.get().expect_err("not preloaded");
        assert!(matches!(err, orm::Error::NotLoaded { model: "User", relation: "skills", .. }), "{err}");
        assert!(err.to_string().starts_with("relation User.skills is not loaded"), "{err}");
        assert!(users[0].skills.count().is_err(), "neither counted nor loaded");
        Ok(())
    }

    async fn no_parents_no_statement(pool) {
        seed(&pool).await?;
        let (users, s) = common::count_statements(
            User::query().where_eq("username", "nobody").preload(User::skills()).preload(User::tags()).fetch_all(&pool),
        )
        .await;
        assert!(users?.is_empty());
        assert_eq!(s.count(), 1, "only the parent query: {:?}", s.all());
        Ok(())
    }

    async fn preload_with_pivot_filter_and_per_parent_limit(pool) {
        let [a, b, _] = seed(&pool).await?;
        // Give b two more skills so that each parent has more than two candidates.
        b.related(User::skills()).attach_with(&pool, [(1, Proficiency::new("master")), (3, Proficiency::new("master"))]).await?;
        let users = User::query()
            .order_by("id", Order::Asc)
            .preload_with(User::skills(), |q| q.where_pivot("proficiency", "master"))
            .fetch_all(&pool)
            .await?;
        let mut a_masters = names(users[0].skills.get()?);
        a_masters.sort();
        assert_eq!(a_masters, ["go", "sql"]);

        // Each parent its own first two by name, among rows filtered by a pivot value.
        let users = User::query()
            .order_by("id", Order::Asc)
            .preload_with(User::skills(), |q| q.where_not_pivot("proficiency", "beginner").order_by("name", Order::Asc).limit(2))
            .fetch_all(&pool)
            .await?;
        assert_eq!(users[0].id, a.id);
        assert_eq!(names(users[0].skills.get()?), ["go", "sql"]);
        assert_eq!(names(users[1].skills.get()?), ["go", "rust"]);
        assert!(users[2].skills.get()?.is_empty());

        let users = User::query()
            .order_by("id", Order::Asc)
            .preload_with(User::skills(), |q| q.order_by("name", Order::Asc).limit(1).offset(1))
            .fetch_all(&pool)
            .await?;
        assert_eq!(names(users[0].skills.get()?), ["rust"], "second of go, rust, sql");
        assert_eq!(names(users[1].skills.get()?), ["rust"], "second of go, rust, sql, zig");
        Ok(())
    }

    async fn each_pivot_filter_on_the_related_query(pool) {
        let [a, _, _] = seed(&pool).await?;
        let skills = a.related(User::skills());
        let sorted = |mut v: Vec<orm::Pivoted<Skill, Proficiency>>| {
            v.sort_by(|x, y| x.name.cmp(&y.name));
            v.into_iter().map(|s| s.name.clone()).collect::<Vec<_>>()
        };
        assert_eq!(sorted(skills.query().where_pivot("proficiency", "master").fetch_all(&pool).await?), ["go", "sql"]);
        assert_eq!(sorted(skills.query().where_not_pivot("proficiency", "master").fetch_all(&pool).await?), ["rust"]);
        assert_eq!(sorted(skills.query().where_in_pivot("proficiency", ["beginner", "expert"]).fetch_all(&pool).await?), ["rust"]);
        assert_eq!(sorted(skills.query().where_not_in_pivot("proficiency", ["beginner"]).fetch_all(&pool).await?), ["go", "sql"]);
        assert_eq!(sorted(skills.query().where_null_pivot("proficiency").fetch_all(&pool).await?), Vec::<String>::new());
        assert_eq!(sorted(skills.query().where_not_null_pivot("proficiency").fetch_all(&pool).await?), ["go", "rust", "sql"]);
        assert_eq!(sorted(skills.query().where_pivot_op("proficiency", Op::Lt, "m").fetch_all(&pool).await?), ["rust"]);
        assert_eq!(sorted(skills.query().where_eq("name", "go").where_pivot("proficiency", "master").fetch_all(&pool).await?), ["go"]);
        let by_pivot = skills.query().order_by_pivot("proficiency", Order::Desc).order_by("name", Order::Asc).fetch_all(&pool).await?;
        assert_eq!(names(&by_pivot), ["go", "sql", "rust"]);
        let err = skills.query().where_pivot("proficiency; DROP", "x").fetch_all(&pool).await.expect_err("not an identifier");
        assert!(matches!(err, orm::Error::InvalidIdentifier { .. }), "{err}");
        let err = skills.query().where_eq("nope", 1_i64).fetch_all(&pool).await.expect_err("not a column");
        assert!(matches!(err, orm::Error::UnknownColumn { model: "Skill", .. }), "{err}");
        Ok(())
    }

    async fn or_where_pivot_cannot_leak_another_parents_rows(pool) {
        let [a, b, _] = seed(&pool).await?;
        // b has go as expert; an OR on the pivot must stay inside a's rows.
        let rows = a.related(User::skills()).query().where_pivot("proficiency", "beginner").or_where_pivot("proficiency", "expert").fetch_all(&pool).await?;
        assert_eq!(names(&rows), ["rust"]);
        assert!(rows.iter().all(|r| r.extras().get::<i64>("pivot_user_id").ok() == Some(a.id)));
        let rows = b.related(User::skills()).query().or_where_pivot("proficiency", "beginner").fetch_all(&pool).await?;
        assert!(rows.is_empty(), "a leading or_ is still scoped");
        let rows = a.related(User::skills()).query().where_group(|q| q.where_eq("name", "zig").or_where_pivot("proficiency", "expert")).fetch_all(&pool).await?;
        assert!(rows.is_empty());
        Ok(())
    }

    async fn runtime_pivot_columns_land_in_extras(pool) {
        let [a, _, _] = seed(&pool).await?;
        let rows = a.related(User::skills()).query().pivot_columns(["proficiency", "id"]).order_by("id", Order::Asc).fetch_all(&pool).await?;
        assert_eq!(rows[0].extras().get::<String>("pivot_proficiency")?, "beginner");
        assert!(rows[0].extras().get::<i64>("pivot_id")? > 0);
        assert_eq!(rows[0].extras().names().collect::<Vec<_>>(), ["pivot_user_id", "pivot_skill_id", "pivot_proficiency", "pivot_id"]);
        let users = User::query().where_eq("id", a.id).preload_with(User::skills(), |q| q.pivot_columns(["proficiency"])).fetch_all(&pool).await?;
        let first = &users[0].skills.get()?[0];
        assert!(first.extras().get::<Option<String>>("pivot_proficiency")?.is_some());
        Ok(())
    }

    async fn count_exists_and_paginate(pool) {
        let [a, _, c] = seed(&pool).await?;
        let skills = a.related(User::skills());
        assert_eq!(skills.query().count(&pool).await?, 3);
        assert_eq!(skills.query().where_pivot("proficiency", "master").count(&pool).await?, 2);
        assert!(skills.query().where_eq("name", "go").exists(&pool).await?);
        assert!(!c.related(User::skills()).query().exists(&pool).await?);
        let page = skills.query().order_by("name", Order::Asc).paginate(&pool, 2, 2).await?;
        assert_eq!((page.total, page.page, page.per_page), (3, 2, 2));
        assert_eq!(names(&page.rows), ["sql"]);
        Ok(())
    }

    async fn with_count_and_where_has(pool) {
        let [a, b, c] = seed(&pool).await?;
        let users = User::query().order_by("id", Order::Asc).with_count(User::skills()).fetch_all(&pool).await?;
        assert_eq!(users.iter().map(|u| u.skills.count().unwrap_or(-1)).collect::<Vec<_>>(), [3, 2, 0]);
        assert!(users[0].skills.get().is_err(), "counted, not loaded");

        let users = User::query()
            .order_by("id", Order::Asc)
            .with_count_where(User::skills(), |q| q.where_pivot("proficiency", "master"))
            .fetch_all(&pool)
            .await?;
        assert_eq!(users.iter().map(|u| u.skills.count().unwrap_or(-1)).collect::<Vec<_>>(), [2, 0, 0]);

        let experts = User::query().where_has(User::skills(), |q| q.where_pivot("proficiency", "expert")).fetch_all(&pool).await?;
        assert_eq!(experts.iter().map(|u| u.id).collect::<Vec<_>>(), [b.id]);
        let with_go = User::query().where_has(User::skills(), |q| q.where_eq("name", "go")).order_by("id", Order::Asc).fetch_all(&pool).await?;
        assert_eq!(with_go.iter().map(|u| u.id).collect::<Vec<_>>(), [a.id, b.id]);
        let none = User::query().where_doesnt_have(User::skills(), |q| q).fetch_all(&pool).await?;
        assert_eq!(none.iter().map(|u| u.id).collect::<Vec<_>>(), [c.id]);
        Ok(())
    }

    async fn self_referencing_relation_preloads_and_filters(pool) {
        let [a, b, c] = seed(&pool).await?;
        a.related(User::follows()).attach(&pool, [b.id, c.id]).await?;
        b.related(User::follows()).attach(&pool, [a.id]).await?;
        let users = User::query()
            .order_by("id", Order::Asc)
            .preload_with(User::follows(), |q| q.order_by("username", Order::Asc).preload_with(User::skills(), |q| q.order_by("id", Order::Asc)))
            .with_count(User::follows())
            .fetch_all(&pool)
            .await?;
        let followed: Vec<&str> = users[0].follows.get()?.iter().map(|u| u.username.as_str()).collect();
        assert_eq!(followed, ["b", "c"]);
        assert_eq!(users[0].follows.count()?, 2);
        assert_eq!(users[0].follows.get()?[0].extras().get::<i64>("pivot_following_user_id")?, b.id);
        // Nested: the followed users' skills, one more statement for the whole level.
        assert_eq!(names(users[0].follows.get()?[0].skills.get()?), ["go", "zig"]);
        assert!(users[0].follows.get()?[1].skills.get()?.is_empty());
        assert_eq!(users[1].follows.get()?[0].username, "a");
        assert!(users[2].follows.get()?.is_empty());

        let followed_by_someone = User::query().where_has(User::follows(), |q| q.where_eq("username", "a")).fetch_all(&pool).await?;
        assert_eq!(followed_by_someone.iter().map(|u| u.id).collect::<Vec<_>>(), [b.id]);
        Ok(())
    }

    /// At a nested level two parents can be the same row (a and c both follow b): each copy
    /// gets the whole list (the path that keeps the driver's rows to decode them twice), and
    /// the top level, where every parent has its own key, decodes rows as they arrive.
    async fn a_row_reached_twice_at_a_nested_level_gets_its_list_each_time(pool) {
        let [a, b, c] = seed(&pool).await?;
        a.related(User::follows()).attach(&pool, [b.id]).await?;
        c.related(User::follows()).attach(&pool, [b.id]).await?;
        let users = User::query()
            .order_by("id", Order::Asc)
            .preload_with(User::follows(), |q| q.preload_with(User::skills(), |q| q.order_by("id", Order::Asc)))
            .fetch_all(&pool)
            .await?;
        let b_rows = b.related(User::skills()).query().order_by("id", Order::Asc).fetch_all(&pool).await?;
        let b_skills = names(&b_rows);
        assert!(!b_skills.is_empty(), "the seed gives b skills");
        for follower in [&users[0], &users[2]] {
            let followed = follower.follows.get()?;
            assert_eq!(followed.len(), 1);
            assert_eq!(followed[0].id, b.id);
            assert_eq!(names(followed[0].skills.get()?), b_skills, "user {}", follower.username);
        }
        assert!(users[1].follows.get()?.is_empty());
        Ok(())
    }

    async fn pivot_query_reads_updates_and_deletes_only_this_parents_rows(pool) {
        let [a, b, _] = seed(&pool).await?;
        let skills = a.related(User::skills());
        let mut masters = skills.pivot_query().where_pivot("proficiency", "master").fetch_all(&pool).await?;
        masters.sort_by_key(|r| r.related_key);
        assert_eq!(masters.iter().map(|r| r.related_key).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(masters[0].data, Proficiency::new("master"));

        // b also has skill 2 (expert); an OR must not reach it.
        let updated = skills.pivot_query().where_pivot("proficiency", "master").or_where_pivot("proficiency", "expert").update(&pool, Proficiency::new("guru")).await?;
        assert_eq!(updated, 2);
        let b_rows = b.related(User::skills()).pivot_query().where_in_pivot("skill_id", [2_i64]).fetch_all(&pool).await?;
        assert_eq!(b_rows[0].data, Proficiency::new("expert"), "another parent's row is untouched");

        assert_eq!(skills.pivot_query().where_pivot("proficiency", "beginner").delete(&pool).await?, 1);
        let left: Vec<i64> = skills.pivot_query().fetch_all(&pool).await?.into_iter().map(|r| r.related_key).collect();
        assert_eq!(left.len(), 2);
        assert!(!left.contains(&1));
        assert_eq!(b.related(User::skills()).pivot_query().fetch_all(&pool).await?.len(), 2);
        Ok(())
    }

    async fn statement_counts_per_relation_level(pool) {
        seed(&pool).await?;
        let (users, s) = common::count_statements(
            User::query().preload(User::skills()).preload(User::tags()).preload(User::groups()).fetch_all(&pool),
        )
        .await;
        assert_eq!(users?.len(), 3);
        assert_eq!(s.count(), 1 + 3, "three relations: 1 + 3 statements: {:?}", s.all());

        // 10,000 parents x 10 related rows: still one statement per level.
        Skill::insert_many(&pool, (0..10).map(|i| NewSkill { name: format!("bulk{i}") })).await?;
        User::insert_many(&pool, (0..10_000).map(|i| NewUser { username: format!("bulk{i}"), email: None })).await?;
        let bulk = User::query().where_op("username", Op::Like, "bulk%").fetch_all(&pool).await?;
        let skill_ids: Vec<i64> = Skill::query().where_op("name", Op::Like, "bulk%").fetch_all(&pool).await?.into_iter().map(|s| s.id).collect();
        let mut tx = pool.begin().await?;
        for user in &bulk {
            user.related(User::skills()).attach(&mut tx, skill_ids.clone()).await?;
        }
        tx.commit().await?;
        let (users, s) = common::count_statements(
            User::query().where_op("username", Op::Like, "bulk%").preload(User::skills()).fetch_all(&pool),
        )
        .await;
        let users = users?;
        assert_eq!(users.len(), 10_000);
        assert!(users.iter().all(|u| u.skills.get().map(|s| s.len()).unwrap_or(0) == 10));
        assert_eq!(s.count(), 2, "{:?}", s.queries().iter().map(|q| &q[..q.len().min(80)]).collect::<Vec<_>>());
        Ok(())
    }

    async fn preload_for_seventy_thousand_parents(pool) {
        seed(&pool).await?;
        User::insert_many(&pool, (0..70_000).map(|i| NewUser { username: format!("many{i}"), email: None })).await?;
        let last = User::query().order_by("id", Order::Desc).fetch_one(&pool).await?;
        last.related(User::skills()).attach(&pool, [1, 2]).await?;
        let (users, s) = common::count_statements(User::query().preload(User::skills()).fetch_all(&pool)).await;
        let users = users?;
        assert_eq!(users.len(), 70_003);
        assert_eq!(s.count(), 2, "one statement for 70,000 parents' keys");
        let found = users.iter().find(|u| u.id == last.id).expect("the last user");
        assert_eq!(found.skills.get()?.len(), 2);
        assert_eq!(users.iter().map(|u| u.skills.get().map(|s| s.len()).unwrap_or(99)).sum::<usize>(), 3 + 2 + 2);
        Ok(())
    }
}
