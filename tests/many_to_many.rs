//! Many-to-many persistence: attach, detach, sync with its report, toggle, update_pivot, save,
//! create; scoping, atomicity, statement budgets and large inputs; on every backend.

mod common;
use common::models;

use common::report;
use models::*;
use orm::ManyToManyRelation;
use orm::prelude::*;

/// Users `a` and `b`, and skills named `s1..=s{n}` (ids 1..=n).
async fn seed<E>(exec: E, skills: usize) -> orm::Result<(User, User)>
where
    E: orm::Executor,
    User: orm::ModelRow<E::Backend>,
    Skill: orm::ModelRow<E::Backend>,
    Group: orm::ModelRow<E::Backend>,
{
    let mut conn = exec.acquire().await?;
    let a = user_with_skills_and_groups(&mut conn, "a", skills, 0).await?;
    let b = user_with_skills_and_groups(&mut conn, "b", 0, 0).await?;
    Ok((a, b))
}

backend_tests! {
    async fn related_query_to_sql_shows_the_pivot_join_and_its_values(pool) {
        let (a, _) = seed(&pool, 3).await?;
        let query = a.related(User::skills()).query().where_pivot("proficiency", "master").limit(2);
        let (sql, values) = query.to_sql()?;
        assert!(sql.contains("skill_user") && sql.contains("proficiency"), "{sql}");
        assert!(values.contains(&a.id.to_string()) && values.contains(&"\"master\"".to_owned()), "{values:?}");
        assert_eq!(values.len(), sql.matches(if <DB as orm::Backend>::NAME == "postgres" { "$" } else { "?" }).count(), "{sql} {values:?}");
        // to_sql runs nothing: the same query still runs.
        assert!(query.fetch_all(&pool).await?.is_empty());
        let pivot_rows = a.related(User::skills()).pivot_query::<DB>().where_pivot("proficiency", "master");
        let (sql, values) = pivot_rows.to_sql()?;
        assert!(sql.starts_with("SELECT ") && sql.contains("skill_user"), "{sql}");
        assert_eq!(values, [a.id.to_string(), "\"master\"".to_owned()]);
        Ok(())
    }

    async fn naming_defaults_follow_lucid(pool) {
        let skills = <UserSkillsRelation as ManyToManyRelation>::meta();
        assert_eq!(skills.pivot_table, "skill_user");
        assert_eq!((skills.pivot_foreign_key.as_str(), skills.pivot_related_foreign_key.as_str()), ("user_id", "skill_id"));
        assert_eq!((skills.local_key.as_str(), skills.related_key.as_str(), skills.related_table), ("id", "id", "skills"));
        assert_eq!((skills.created_at.as_deref(), skills.updated_at.as_deref()), (Some("created_at"), Some("updated_at")));
        let groups = <UserGroupsRelation as ManyToManyRelation>::meta();
        assert_eq!((groups.pivot_table.as_str(), groups.pivot_related_foreign_key.as_str()), ("group_user", "group_id"));
        assert_eq!(groups.created_at, None);
        let tags = <UserTagsRelation as ManyToManyRelation>::meta();
        assert_eq!((tags.pivot_table.as_str(), tags.pivot_related_foreign_key.as_str()), ("user_tags", "tag_code"));
        let follows = <UserFollowsRelation as ManyToManyRelation>::meta();
        assert_eq!((follows.pivot_foreign_key.as_str(), follows.pivot_related_foreign_key.as_str()), ("user_id", "following_user_id"));
        // The defaults work against the real tables.
        let (a, _) = seed(&pool, 1).await?;
        assert_eq!(a.related(User::skills()).attach(&pool, [1]).await?, [1]);
        assert_eq!(skill_ids(&pool, &a).await?, [1]);
        Ok(())
    }

    async fn attach_with_and_without_pivot_data(pool) {
        let (a, _) = seed(&pool, 3).await?;
        let skills = a.related(User::skills());
        assert_eq!(skills.attach(&pool, [1, 2]).await?, [1, 2]);
        assert_eq!(skills.attach_with(&pool, [(3, Proficiency::new("master"))]).await?, [3]);
        assert_eq!(pivot_rows(&pool, &a).await?, [(1, None), (2, None), (3, Some("master".into()))]);
        // Inserts set both timestamps.
        let stamped = common::sql::int(&pool, format!(
            "SELECT COUNT(*) FROM skill_user WHERE user_id = {} AND created_at IS NOT NULL AND updated_at = created_at", a.id
        )).await?;
        assert_eq!(stamped, 3);
        Ok(())
    }

    async fn attach_twice_never_duplicates(pool) {
        let (a, _) = seed(&pool, 3).await?;
        let skills = a.related(User::skills());
        assert_eq!(skills.attach(&pool, [1, 2, 2, 1]).await?, [1, 2], "duplicates in the input collapse");
        assert_eq!(skills.attach(&pool, [1, 2]).await?, Vec::<i64>::new(), "the second call attaches nothing");
        assert_eq!(skills.attach_with(&pool, [(2, Proficiency::new("new")), (3, Proficiency::new("x"))]).await?, [3]);
        assert_eq!(pivot_rows(&pool, &a).await?, [(1, None), (2, None), (3, Some("x".into()))], "existing pivot data untouched");

        // Also when the pivot table has no unique key at all.
        let group = Group::create(&pool, NewGroup { name: "admins".into() }).await?;
        let groups = a.related(User::groups());
        assert_eq!(groups.attach(&pool, [group.id]).await?, [group.id]);
        assert!(groups.attach(&pool, [group.id]).await?.is_empty());
        assert!(groups.attach_with(&pool, [(group.id, Membership { role: Some("owner".into()) })]).await?.is_empty());
        assert_eq!(GroupUser::query().where_eq("user_id", a.id).count(&pool).await?, 1);
        Ok(())
    }

    async fn detach_is_scoped_to_its_parent(pool) {
        let (a, b) = seed(&pool, 3).await?;
        a.related(User::skills()).attach(&pool, [1, 2]).await?;
        b.related(User::skills()).attach(&pool, [1, 2]).await?;
        assert_eq!(a.related(User::skills()).detach(&pool, [1]).await?, 1);
        assert_eq!(skill_ids(&pool, &a).await?, [2], "one of two detached");
        assert_eq!(skill_ids(&pool, &b).await?, [1, 2], "the other parent's row for the same id survives");

        assert_eq!(a.related(User::skills()).detach(&pool, Vec::<i64>::new()).await?, 0, "detach([]) deletes nothing");
        assert_eq!(skill_ids(&pool, &a).await?, [2]);

        assert_eq!(a.related(User::skills()).detach_all(&pool).await?, 1);
        assert!(skill_ids(&pool, &a).await?.is_empty());
        assert_eq!(skill_ids(&pool, &b).await?, [1, 2], "detach_all removes only this parent's rows");
        Ok(())
    }

    async fn sync_drops_only_missing_ids_and_reports_exactly(pool) {
        let (a, b) = seed(&pool, 5).await?;
        b.related(User::skills()).attach(&pool, [1]).await?;
        let skills = a.related(User::skills());
        skills.attach(&pool, [1, 2, 3]).await?;
        let got = skills.sync(&pool, [2, 3, 4]).await?;
        assert_eq!(got, report(&[4], &[1], &[], &[2, 3]));
        assert_eq!(skill_ids(&pool, &a).await?, [2, 3, 4]);
        assert_eq!(skill_ids(&pool, &b).await?, [1], "another parent is never touched");
        Ok(())
    }

    async fn sync_with_updates_only_changed_rows(pool) {
        let (a, _) = seed(&pool, 4).await?;
        let skills = a.related(User::skills());
        skills.attach_with(&pool, [(1, Proficiency::new("beginner")), (2, Proficiency::new("beginner")), (4, Proficiency::new("old"))]).await?;
        let stamp = |column: &str, skill: i64| format!(
            "SELECT {} FROM skill_user WHERE user_id = {} AND skill_id = {skill}",
            common::sql::as_text::<DB>(column), a.id
        );
        let before_created = common::sql::texts(&pool, stamp("created_at", 2)).await?;
        let before_updated = common::sql::texts(&pool, stamp("updated_at", 2)).await?;
        let untouched_updated = common::sql::texts(&pool, stamp("updated_at", 1)).await?;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;

        // One call: 1 unchanged, 2 updated, 3 attached, 4 detached.
        let got = skills
            .sync_with(&pool, [(1, Proficiency::new("beginner")), (2, Proficiency::new("expert")), (3, Proficiency::new("master"))])
            .await?;
        assert_eq!(got, report(&[3], &[4], &[2], &[1]));
        assert_eq!(
            pivot_rows(&pool, &a).await?,
            [(1, Some("beginner".into())), (2, Some("expert".into())), (3, Some("master".into()))]
        );
        assert_eq!(common::sql::texts(&pool, stamp("created_at", 2)).await?, before_created, "created_at does not move");
        assert_ne!(common::sql::texts(&pool, stamp("updated_at", 2)).await?, before_updated, "updated_at moves");
        assert_eq!(common::sql::texts(&pool, stamp("updated_at", 1)).await?, untouched_updated, "equal rows are not written");

        // Ids alone never update pivot data.
        let got = skills.sync(&pool, [1, 2, 3]).await?;
        assert_eq!(got, report(&[], &[], &[], &[1, 2, 3]));
        assert_eq!(pivot_rows(&pool, &a).await?[1], (2, Some("expert".into())));
        Ok(())
    }

    async fn sync_of_nothing_detaches_all_and_sync_without_detaching_keeps(pool) {
        let (a, _) = seed(&pool, 4).await?;
        let skills = a.related(User::skills());
        skills.attach(&pool, [1, 2]).await?;
        let got = skills.sync_without_detaching(&pool, [2, 3]).await?;
        assert_eq!(got, report(&[3], &[], &[], &[2]));
        assert_eq!(skill_ids(&pool, &a).await?, [1, 2, 3]);
        let got = skills.sync(&pool, Vec::<i64>::new()).await?;
        assert_eq!(got, report(&[], &[1, 2, 3], &[], &[]));
        assert!(skill_ids(&pool, &a).await?.is_empty());
        Ok(())
    }

    async fn sync_inside_a_rolled_back_transaction_changes_nothing(pool) {
        let (a, _) = seed(&pool, 4).await?;
        a.related(User::skills()).attach(&pool, [1, 2]).await?;
        let mut tx = pool.begin().await?;
        let got = a.related(User::skills()).sync(&mut tx, [3, 4]).await?;
        assert_eq!(got, report(&[3, 4], &[1, 2], &[], &[]));
        assert_eq!(skill_ids(&mut *tx, &a).await?, [3, 4], "visible inside the transaction");
        tx.rollback().await?;
        assert_eq!(skill_ids(&pool, &a).await?, [1, 2]);

        let mut tx = pool.begin().await?;
        a.related(User::skills()).sync(&mut *tx, [2, 3]).await?;
        tx.commit().await?;
        assert_eq!(skill_ids(&pool, &a).await?, [2, 3], "commit is the caller's");
        Ok(())
    }

    async fn a_failing_sync_leaves_the_pivot_unchanged(pool) {
        let (a, _) = seed(&pool, 3).await?;
        let skills = a.related(User::skills());
        skills.attach_with(&pool, [(1, Proficiency::new("x")), (2, Proficiency::new("y"))]).await?;
        // Detaches 1 and updates 2 before the insert of 999 fails on the foreign key.
        let err = skills
            .sync_with(&pool, [(2, Proficiency::new("changed")), (3, Proficiency::new("z")), (999, Proficiency::new("bad"))])
            .await
            .expect_err("999 is not a skill");
        match &err {
            orm::Error::ForeignKeyViolation { model, relation, operation, detail, .. } => {
                assert_eq!((*model, *relation, *operation), ("User", "skills", "sync"));
                assert_eq!(detail, "Skill.id = [999]");
            }
            other => panic!("expected a foreign key violation, got {other}"),
        }
        assert_eq!(err.to_string(), "cannot sync User.skills: Skill.id = [999] violates a foreign key");
        assert_eq!(pivot_rows(&pool, &a).await?, [(1, Some("x".into())), (2, Some("y".into()))]);

        // Inside the caller's transaction the savepoint rolls back and the transaction goes on.
        let mut tx = pool.begin().await?;
        skills.attach(&mut tx, [3]).await?;
        assert!(skills.sync(&mut tx, [1, 999]).await.is_err());
        assert_eq!(skill_ids(&mut *tx, &a).await?, [1, 2, 3]);
        tx.commit().await?;
        assert_eq!(skill_ids(&pool, &a).await?, [1, 2, 3]);

        // attach names the missing key too, and attaches nothing.
        let err = skills.attach(&pool, [3, 404]).await.expect_err("404 is not a skill");
        assert!(err.to_string().contains("Skill.id = [404]"), "{err}");
        Ok(())
    }

    async fn a_pivot_column_missing_from_the_table_is_a_typed_error(pool) {
        #[derive(PivotData, Debug, Clone, PartialEq)]
        struct Level {
            level: i64,
        }
        #[derive(Model, Debug, Clone)]
        #[model(table = "users")]
        struct Learner {
            id: i64,
            username: String,
            #[many_to_many(pivot = "skill_user", pivot_foreign_key = "user_id")]
            skills: ManyToMany<Skill, Level>,
        }
        let (a, _) = seed(&pool, 2).await?;
        a.related(User::skills()).attach(&pool, [1]).await?;
        let learner = Learner::find(&pool, a.id).await?.expect("same row");
        let err = learner.related(Learner::skills()).sync_with(&pool, [(2, Level { level: 3 })]).await.expect_err("no level column");
        let message = err.to_string();
        assert!(message.starts_with("cannot sync Learner.skills (pivot `skill_user`)"), "{message}");
        assert!(matches!(err, orm::Error::Database { .. }), "{err:?}");
        assert_eq!(skill_ids(&pool, &a).await?, [1], "the pivot table is exactly as before");
        Ok(())
    }

    async fn toggle_and_update_pivot(pool) {
        let (a, _) = seed(&pool, 3).await?;
        let skills = a.related(User::skills());
        skills.attach(&pool, [1, 2]).await?;
        let got = skills.toggle(&pool, [2, 3]).await?;
        assert_eq!((got.attached, got.detached), (vec![3], vec![2]));
        assert_eq!(skill_ids(&pool, &a).await?, [1, 3]);

        assert!(skills.update_pivot(&pool, 3, Proficiency::new("expert")).await?);
        assert!(!skills.update_pivot(&pool, 2, Proficiency::new("expert")).await?, "2 is not attached");
        assert_eq!(pivot_rows(&pool, &a).await?, [(1, None), (3, Some("expert".into()))]);
        Ok(())
    }

    async fn save_updates_and_attaches_once(pool) {
        let (a, _) = seed(&pool, 2).await?;
        let skills = a.related(User::skills());
        let mut rust = Skill::find(&pool, 1).await?.expect("seeded");
        rust.name = "Rust".into();
        let first = skills.save(&pool, &mut rust).await?;
        assert_eq!(first.attached, [1]);
        rust.name = "Rust 2024".into();
        let second = skills.save(&pool, &mut rust).await?;
        assert!(second.attached.is_empty());
        skills.save(&pool, &mut rust).await?;
        assert_eq!(Skill::find(&pool, 1).await?.map(|s| s.name).as_deref(), Some("Rust 2024"));
        assert_eq!(skill_ids(&pool, &a).await?, [1], "attached once however often saved");

        let mut sql = Skill::find(&pool, 2).await?.expect("seeded");
        skills.save_with(&pool, &mut sql, Proficiency::new("beginner")).await?;
        let got = skills.save_with(&pool, &mut sql, Proficiency::new("expert")).await?;
        assert_eq!(got.updated, [2]);
        assert_eq!(pivot_rows(&pool, &a).await?, [(1, None), (2, Some("expert".into()))]);

        let mut ghost = Skill { id: 77, name: "ghost".into() };
        let err = skills.save(&pool, &mut ghost).await.expect_err("no such skill");
        assert!(matches!(err, orm::Error::NotFound { model: "Skill", .. }), "{err}");
        assert_eq!(skill_ids(&pool, &a).await?, [1, 2]);
        Ok(())
    }

    async fn create_inside_transactions(pool) {
        let (a, _) = seed(&pool, 0).await?;
        let skills = a.related(User::skills());
        let rust = skills.create(&pool, NewSkill { name: "Rust".into() }).await?;
        assert_eq!(skill_ids(&pool, &a).await?, [rust.id]);

        let mut tx = pool.begin().await?;
        let go = skills.create_with(&mut tx, NewSkill { name: "Go".into() }, Proficiency::new("beginner")).await?;
        let many = skills
            .create_many_with(&mut tx, [(NewSkill { name: "Zig".into() }, Proficiency::new("curious")), (NewSkill { name: "C".into() }, Proficiency::new("old"))])
            .await?;
        tx.rollback().await?;
        assert!(Skill::find(&pool, go.id).await?.is_none(), "rolled back: no skill");
        assert_eq!(skill_ids(&pool, &a).await?, [rust.id], "rolled back: no pivot row");
        assert_eq!(many.len(), 2);

        let mut tx = pool.begin().await?;
        let many = skills
            .create_many_with(&mut tx, [(NewSkill { name: "Zig".into() }, Proficiency::new("curious")), (NewSkill { name: "C".into() }, Proficiency::new("old"))])
            .await?;
        let plain = skills.create_many(&mut tx, [NewSkill { name: "SQL".into() }]).await?;
        tx.commit().await?;
        assert_eq!(
            pivot_rows(&pool, &a).await?,
            [(rust.id, None), (many[0].id, Some("curious".into())), (many[1].id, Some("old".into())), (plain[0].id, None)]
        );
        assert_eq!(Skill::find(&pool, many[0].id).await?.map(|s| s.name).as_deref(), Some("Zig"));
        Ok(())
    }

    async fn composite_key_pivot_with_text_keys(pool) {
        let (a, b) = seed(&pool, 0).await?;
        for (code, label) in [("rust", "Rust"), ("sql", "SQL"), ("go", "Go")] {
            Tag::create(&pool, NewTag { code: code.into(), label: label.into() }).await?;
        }
        let tags = a.related(User::tags());
        assert_eq!(tags.attach(&pool, ["rust".to_owned(), "sql".to_owned()]).await?, ["rust", "sql"]);
        b.related(User::tags()).attach(&pool, ["rust".to_owned()]).await?;
        let got = tags.sync(&pool, ["sql".to_owned(), "go".to_owned()]).await?;
        assert_eq!((got.attached, got.detached, got.unchanged), (vec!["go".to_owned()], vec!["rust".to_owned()], vec!["sql".to_owned()]));
        let rows = common::sql::texts(&pool, format!("SELECT tag_code FROM user_tags WHERE user_id = {} ORDER BY tag_code", a.id)).await?;
        assert_eq!(rows, [Some("go".to_owned()), Some("sql".to_owned())]);
        assert_eq!(tags.detach(&pool, ["go".to_owned()]).await?, 1);
        assert_eq!(b.related(User::tags()).detach_all(&pool).await?, 1);
        Ok(())
    }

    async fn statement_budgets(pool) {
        let (a, _) = seed(&pool, 10).await?;
        let skills = a.related(User::skills());

        let (attached, s) = common::count_statements(skills.attach(&pool, [1, 2, 3])).await;
        assert_eq!(attached?, [1, 2, 3]);
        // PostgreSQL and MySQL lock the parent's row first, so that concurrent writers of one
        // parent take turns (SQLite's BEGIN IMMEDIATE serialises writers already).
        let lock = usize::from(<DB as orm::Backend>::NAME != "sqlite");
        assert_eq!((s.count_of("SELECT"), s.count_of("INSERT")), (lock, 1), "attach: {:?}", s.all());
        assert_eq!(s.count(), 1 + lock, "attach: one INSERT after the lock, {:?}", s.all());

        let (_, s) = common::count_statements(skills.detach(&pool, [3])).await;
        assert_eq!(s.count(), 1, "detach: one statement, {:?}", s.all());
        // Behind a transaction pooler the DELETE runs in a transaction of its own (README,
        // "Behind pgbouncer"): a BEGIN and a COMMIT at most around it, still no transaction of
        // the operation's own.
        let pinning = if BEHIND_POOLER { 2 } else { 0 };
        assert!(s.transaction_control() <= pinning, "detach needs no transaction: {:?}", s.all());

        let (got, s) = common::count_statements(skills.sync(&pool, [1, 2])).await;
        assert!(!got?.has_changes());
        // On PostgreSQL the read is `WITH <lock the parent> SELECT ...`.
        let reads = s.count_of("SELECT") + s.count_of("WITH");
        assert_eq!((s.count(), reads), (1, 1), "a no-op sync is one SELECT: {:?}", s.all());

        skills.attach_with(&pool, [(4, Proficiency::new("a")), (5, Proficiency::new("b"))]).await?;
        let (got, s) = common::count_statements(
            skills.sync_with(&pool, [(1, Proficiency::new("x")), (4, Proficiency::new("a")), (5, Proficiency::new("c")), (6, Proficiency::new("d"))]),
        )
        .await;
        assert_eq!(got?, report(&[6], &[2], &[1, 5], &[4]));
        assert_eq!(s.count(), 4, "sync: SELECT, DELETE, INSERT, UPDATE: {:?}", s.all());
        // On PostgreSQL the read is `WITH <lock> SELECT` and the DELETE a `WITH ... DELETE` that
        // also reads the wanted rows again.
        let read_and_delete = s.count_of("SELECT") + s.count_of("WITH") + s.count_of("DELETE");
        assert_eq!((read_and_delete, s.count_of("INSERT"), s.count_of("UPDATE")), (2, 1, 1));
        assert!(s.transaction_control() <= 2, "plus BEGIN and COMMIT only: {:?}", s.all());

        let (got, s) = common::count_statements(skills.sync_with(&pool, [(1, Proficiency::new("x"))])).await;
        assert_eq!(got?, report(&[], &[4, 5, 6], &[], &[1]));
        let expected = 2;
        assert_eq!(s.count(), expected, "detach-only sync: SELECT and DELETE: {:?}", s.all());
        Ok(())
    }

    async fn seventy_thousand_ids(pool) {
        let (a, b) = seed(&pool, 70_000).await?;
        let all: Vec<i64> = (1..=70_000).collect();
        let skills = a.related(User::skills());

        let (attached, s) = common::count_statements(skills.attach(&pool, all.clone())).await;
        assert_eq!(attached?.len(), 70_000);
        let lock = usize::from(<DB as orm::Backend>::NAME != "sqlite");
        assert_eq!(s.count(), 1 + lock, "one INSERT (after the parent's lock): the key list is one parameter");
        b.related(User::skills()).attach(&pool, [1, 2, 3]).await?;

        // Keep the even ids and 70,001..: one SELECT, one DELETE, one INSERT.
        Skill::insert_many(&pool, (0..5).map(|i| NewSkill { name: format!("extra{i}") })).await?;
        let wanted: Vec<i64> = (1..=70_005).filter(|id| id % 2 == 0 || *id > 70_000).collect();
        let (got, s) = common::count_statements(skills.sync(&pool, wanted.clone())).await;
        let got = got?;
        assert_eq!((got.attached.len(), got.detached.len(), got.unchanged.len()), (5, 35_000, 35_000));
        assert_eq!(s.count(), 3, "{:?}", s.queries().iter().map(|q| &q[..q.len().min(60)]).collect::<Vec<_>>());
        assert_eq!(skill_ids(&pool, &a).await?, wanted);
        assert_eq!(skill_ids(&pool, &b).await?, [1, 2, 3]);

        let (removed, s) = common::count_statements(skills.detach(&pool, all)).await;
        assert_eq!(removed?, 35_000);
        assert_eq!(s.count(), 1);
        assert_eq!(skill_ids(&pool, &a).await?, (70_001..=70_005).collect::<Vec<_>>());
        Ok(())
    }

    async fn twenty_concurrent_attach_and_sync_calls_on_one_parent(pool) {
        let (a, _) = seed(&pool, 30).await?;
        let mut tasks = Vec::new();
        for i in 0..20_i64 {
            let pool = pool.clone();
            let user = a.clone();
            tasks.push(tokio::spawn(async move {
                let skills = user.related(User::skills());
                if i % 2 == 0 {
                    skills.attach(&pool, [1, 2, 3, 4 + i % 5]).await.map(|_| ())
                } else {
                    skills.sync_without_detaching(&pool, [2, 3, 5, 10 + i % 3]).await.map(|_| ())
                }
            }));
        }
        for task in tasks {
            task.await.expect("task ran")?;
        }
        let ids = skill_ids(&pool, &a).await?;
        let mut unique = ids.clone();
        unique.dedup();
        assert_eq!(ids, unique, "no duplicate pivot rows");
        assert_eq!(ids, [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12]);

        let mut tasks = Vec::new();
        for i in 0..20_i64 {
            let pool = pool.clone();
            let user = a.clone();
            tasks.push(tokio::spawn(async move { user.related(User::skills()).sync(&pool, [1, 2, 20 + i % 2]).await }));
        }
        for task in tasks {
            task.await.expect("task ran")?;
        }
        let ids = skill_ids(&pool, &a).await?;
        assert!(ids == [1, 2, 20] || ids == [1, 2, 21], "the last sync wins whole: {ids:?}");
        Ok(())
    }

    async fn pivot_data_after_a_null_keeps_its_values(pool) {
        // MariaDB typed a VALUES table's column from its first row: after a NULL there, later
        // strings were stored as ''.
        let (a, _) = seed(&pool, 6).await?;
        let skills = a.related(User::skills());
        let none = Proficiency { proficiency: None };
        skills.attach_with(&pool, [(1, none.clone()), (2, Proficiency::new("master")), (3, Proficiency::new("x"))]).await?;
        let got = skills.sync_with(&pool, [(1, Proficiency::new("beginner")), (2, none.clone()), (4, none.clone()), (5, Proficiency::new("expert"))]).await?;
        assert_eq!(got, report(&[4, 5], &[3], &[1, 2], &[]));
        assert_eq!(
            pivot_rows(&pool, &a).await?,
            [(1, Some("beginner".into())), (2, None), (4, None), (5, Some("expert".into()))]
        );

        // Thousands of rows with data in one statement (MariaDB: one SELECT per row, UNION ALL).
        let b_user = User::create(&pool, NewUser { username: "big".into(), email: None }).await?;
        Skill::insert_many(&pool, (0..20_000).map(|i| NewSkill { name: format!("bulk{i}") })).await?;
        let rows: Vec<(i64, Proficiency)> = (7..20_007_i64)
            .map(|id| (id, if id % 3 == 0 { Proficiency { proficiency: None } } else { Proficiency::new(&format!("p{id}")) }))
            .collect();
        let started = std::time::Instant::now();
        let attached = b_user.related(User::skills()).attach_with(&pool, rows.clone()).await?;
        println!("{}: attach_with of 20,000 rows in {:?}", <DB as orm::Backend>::NAME, started.elapsed());
        assert_eq!(attached.len(), 20_000);
        let stored = pivot_rows(&pool, &b_user).await?;
        assert_eq!(stored, rows.into_iter().map(|(id, p)| (id, p.proficiency)).collect::<Vec<_>>());
        Ok(())
    }

    async fn self_referencing_relation_attaches(pool) {
        let (a, b) = seed(&pool, 0).await?;
        let follows = a.related(User::follows());
        assert_eq!(follows.attach(&pool, [b.id]).await?, [b.id]);
        assert!(follows.attach(&pool, [b.id]).await?.is_empty());
        let n = common::sql::int(&pool, format!("SELECT COUNT(*) FROM follows WHERE user_id = {} AND following_user_id = {}", a.id, b.id)).await?;
        assert_eq!(n, 1);
        Ok(())
    }
}
