//! The distributed PostgreSQL flavor (`orm::set_postgres_flavor(PostgresFlavor::Distributed)`):
//! every pivot operation, preload, count and upsert still reads back the right rows on
//! PostgreSQL, and no statement it sends has a shape that CockroachDB, YugabyteDB or Citus
//! rejects (`distributed/shapes.rs`). On SQLite and MySQL the flavor changes nothing. This file
//! is its own process: every test sets the flavor first. `ORM_PRINT_SQL=1` prints each
//! statement.

mod common;
#[path = "distributed/shapes.rs"]
mod shapes;

use common::count_statements;
use common::models;
use common::report;
use models::*;
use orm::PostgresFlavor;
use orm::prelude::*;
use shapes::{Sent, distributed_postgres};

/// Sets the distributed flavor for this process (every test of this file).
fn distributed() {
    orm::set_postgres_flavor(PostgresFlavor::Distributed);
}

/// The statements a sync of changes may send besides BEGIN / COMMIT: four in the standard
/// flavor, five in the distributed one (the parent's lock is its own statement).
fn sync_budget(backend: &str) -> usize {
    if distributed_postgres(backend) { 5 } else { 4 }
}

backend_tests! {
    async fn pivot_writes_read_back_and_keep_to_the_shapes(pool) {
        distributed();
        let backend = <DB as orm::Backend>::NAME;
        let mut sent = Sent::default();
        let a = user_with_skills_and_groups(&pool, "a", 5, 2).await?;
        let b = user_with_skills_and_groups(&pool, "b", 0, 0).await?;
        let skills = a.related(User::skills());

        let (attached, st) = count_statements(skills.attach(&pool, [1, 2, 2])).await;
        sent.add("attach", &st);
        assert_eq!(attached?, [1, 2]);
        let (attached, st) = count_statements(skills.attach_with(&pool, [(3, Proficiency::new("master")), (2, Proficiency::new("x"))])).await;
        sent.add("attach_with", &st);
        assert_eq!(attached?, [3], "2 is attached already");
        b.related(User::skills()).attach(&pool, [1, 2]).await?;

        let (got, st) = count_statements(skills.sync(&pool, [2, 3, 4])).await;
        sent.add("sync", &st);
        assert_eq!(got?, report(&[4], &[1], &[], &[2, 3]));
        assert!(st.count() <= sync_budget(backend), "{:?}", st.all());
        if distributed_postgres(backend) {
            // The lock, the read, the delete, the insert: each a plain statement on one table.
            assert_eq!(st.queries(), [
                "SELECT \"id\" FROM \"users\" WHERE \"id\" = $1 FOR NO KEY UPDATE",
                "SELECT \"orm_pivot\".\"skill_id\" FROM \"skill_user\" AS \"orm_pivot\" WHERE \"orm_pivot\".\"user_id\" = $1",
                "DELETE FROM \"skill_user\" WHERE (\"skill_user\".\"skill_id\" = ANY($1::int8[])) AND \"skill_user\".\"user_id\" = $2",
                "INSERT INTO \"skill_user\" (\"user_id\", \"skill_id\", \"created_at\", \"updated_at\") SELECT $1, \"orm_keys\".\"value\", LOCALTIMESTAMP, LOCALTIMESTAMP \
                 FROM UNNEST($2::int8[]) AS \"orm_keys\"(value) WHERE \"orm_keys\".\"value\" NOT IN (SELECT \"orm_existing\".\"skill_id\" FROM \"skill_user\" AS \"orm_existing\" \
                 WHERE \"orm_existing\".\"user_id\" = $3 AND \"orm_existing\".\"skill_id\" IS NOT NULL) ON CONFLICT DO NOTHING RETURNING \"skill_id\"",
            ]);
        }
        assert_eq!(pivot_rows(&pool, &a).await?, [(2, None), (3, Some("master".into())), (4, None)]);

        let (got, st) = count_statements(skills.sync_with(&pool, [(2, Proficiency::new("expert")), (3, Proficiency::new("master")), (5, Proficiency::new("beginner"))])).await;
        sent.add("sync_with", &st);
        assert_eq!(got?, report(&[5], &[4], &[2], &[3]));
        assert!(st.count() <= sync_budget(backend), "{:?}", st.all());
        assert_eq!(pivot_rows(&pool, &a).await?, [(2, Some("expert".into())), (3, Some("master".into())), (5, Some("beginner".into()))]);

        // A sync that changes nothing writes nothing: the read (and on PostgreSQL the lock).
        let (got, st) = count_statements(skills.sync(&pool, [2, 3, 5])).await;
        sent.add("sync (no change)", &st);
        assert!(got?.attached.is_empty());
        assert_eq!(st.count(), if distributed_postgres(backend) { 2 } else { 1 }, "{:?}", st.all());

        let (got, st) = count_statements(skills.sync_without_detaching(&pool, [1])).await;
        sent.add("sync_without_detaching", &st);
        assert_eq!(got?.attached, [1]);
        let (got, st) = count_statements(skills.toggle(&pool, [1, 4])).await;
        sent.add("toggle", &st);
        let got = got?;
        assert_eq!((got.attached, got.detached), (vec![4], vec![1]));
        let (got, st) = count_statements(skills.update_pivot(&pool, 3, Proficiency::new("expert"))).await;
        sent.add("update_pivot", &st);
        assert!(got?);
        assert!(!skills.update_pivot(&pool, 1, Proficiency::new("x")).await?, "1 is detached");
        let (got, st) = count_statements(skills.detach(&pool, [4, 9])).await;
        sent.add("detach", &st);
        assert_eq!(got?, 1);
        assert_eq!(pivot_rows(&pool, &a).await?, [(2, Some("expert".into())), (3, Some("expert".into())), (5, Some("beginner".into()))]);
        assert_eq!(skill_ids(&pool, &b).await?, [1, 2], "the other parent's rows are untouched");

        let mut one = Skill::find(&pool, 1).await?.ok_or("skill 1")?;
        one.name = "Rust".into();
        let (got, st) = count_statements(skills.save(&pool, &mut one)).await;
        sent.add("save", &st);
        assert_eq!(got?.attached, [1]);
        let (created, st) = count_statements(skills.create_with(&pool, NewSkill { name: "Zig".into() }, Proficiency::new("curious"))).await;
        sent.add("create_with", &st);
        let zig = created?;
        let (n, st) = count_statements(skills.pivot_query::<DB>().where_pivot("proficiency", "expert").update(&pool, Proficiency::new("guru"))).await;
        sent.add("pivot_query update", &st);
        assert_eq!(n?, 2);
        let (n, st) = count_statements(skills.pivot_query::<DB>().where_pivot("proficiency", "curious").delete(&pool)).await;
        sent.add("pivot_query delete", &st);
        assert_eq!(n?, 1);
        let (gurus, st) = count_statements(skills.query().where_pivot("proficiency", "guru").order_by("id", Order::Asc).fetch_all(&pool)).await;
        sent.add("related query", &st);
        assert_eq!(gurus?.iter().map(|s| s.id).collect::<Vec<_>>(), [2, 3]);
        assert!(Skill::find(&pool, zig.id).await?.is_some());
        assert_eq!(skills.query().count(&pool).await?, 4);

        // Inside the caller's transaction (a savepoint), rolled back by the caller.
        let mut tx = pool.begin().await?;
        let (got, st) = count_statements(skills.sync(&mut *tx, [1])).await;
        sent.add("sync in a transaction", &st);
        assert_eq!(got?.detached, [2, 3, 5]);
        tx.rollback().await?;
        assert_eq!(skill_ids(&pool, &a).await?, [1, 2, 3, 5]);

        // A pivot without a unique key, with pivot data; and a text key.
        let groups = a.related(User::groups());
        let (got, st) = count_statements(groups.sync_with(&pool, [(1, Membership { role: Some("owner".into()) }), (2, Membership { role: None })])).await;
        sent.add("sync_with, no unique key", &st);
        assert_eq!(got?.attached, [1, 2]);
        assert!(groups.attach(&pool, [1]).await?.is_empty(), "never a duplicate");
        assert_eq!(GroupUser::query().where_eq("user_id", a.id).count(&pool).await?, 2);
        for code in ["rust", "go"] {
            Tag::create(&pool, NewTag { code: code.into(), label: code.to_uppercase() }).await?;
        }
        let tags = a.related(User::tags());
        let (got, st) = count_statements(tags.sync(&pool, ["rust".to_owned(), "go".to_owned()])).await;
        sent.add("sync, text keys", &st);
        assert_eq!(got?.attached.len(), 2);
        let (got, st) = count_statements(tags.detach(&pool, ["go".to_owned()])).await;
        sent.add("detach, text keys", &st);
        assert_eq!(got?, 1);
        let (n, st) = count_statements(skills.detach_all(&pool)).await;
        sent.add("detach_all", &st);
        assert_eq!(n?, 4);
        sent.check(backend)?;
        Ok(())
    }

    async fn preloads_counts_and_filters_read_back_and_keep_to_the_shapes(pool) {
        distributed();
        let backend = <DB as orm::Backend>::NAME;
        let mut sent = Sent::default();
        let a = user_with_skills_and_groups(&pool, "a", 3, 0).await?;
        let b = user_with_skills_and_groups(&pool, "b", 0, 0).await?;
        let c = user_with_skills_and_groups(&pool, "c", 0, 0).await?;
        a.related(User::skills()).attach_with(&pool, [(1, Proficiency::new("master")), (2, Proficiency::new("beginner")), (3, Proficiency::new("master"))]).await?;
        b.related(User::skills()).attach(&pool, [2]).await?;
        let ids = |users: &[User]| users.iter().map(|u| u.id).collect::<Vec<_>>();
        let skill_ids_of = |u: &User| u.skills.get().map(|s| s.iter().map(|s| s.id).collect::<Vec<_>>());

        let (users, st) = count_statements(User::query().order_by("id", Order::Asc).preload_with(User::skills(), |q| q.order_by("id", Order::Asc)).fetch_all(&pool)).await;
        sent.add("preload many_to_many", &st);
        let users = users?;
        assert_eq!((skill_ids_of(&users[0])?, skill_ids_of(&users[1])?, skill_ids_of(&users[2])?), (vec![1, 2, 3], vec![2], vec![]));
        let (users, st) = count_statements(User::query().order_by("id", Order::Asc).preload_with(User::skills(), |q| q.order_by("name", Order::Desc).limit(1)).fetch_all(&pool)).await;
        sent.add("preload many_to_many, limit per parent", &st);
        let users = users?;
        assert_eq!((skill_ids_of(&users[0])?, skill_ids_of(&users[1])?), (vec![3], vec![2]));
        let (users, st) = count_statements(User::query().order_by("id", Order::Asc).with_count(User::skills()).fetch_all(&pool)).await;
        sent.add("with_count many_to_many", &st);
        assert_eq!(users?.iter().map(|u| u.skills.count().unwrap_or(-1)).collect::<Vec<_>>(), [3, 1, 0]);
        let (users, st) = count_statements(User::query().where_has(User::skills(), |q| q.where_pivot("proficiency", "master")).fetch_all(&pool)).await;
        sent.add("where_has many_to_many", &st);
        assert_eq!(ids(&users?), [a.id]);
        let (users, st) = count_statements(User::query().where_doesnt_have(User::skills(), |q| q).fetch_all(&pool)).await;
        sent.add("where_doesnt_have many_to_many", &st);
        assert_eq!(ids(&users?), [c.id]);

        // The keyed kinds: has_one, has_many (with a limit per parent), belongs_to.
        let (created, st) = count_statements(create_tables(&pool)).await;
        sent.add("schema create_all", &st);
        created?;
        let alice = Person::create(&pool, NewPerson { name: "alice".into(), invited_by: None }).await?;
        let mut bob = Person::create(&pool, NewPerson { name: "bob".into(), invited_by: Some(alice.id) }).await?;
        ProfileInfo::create(&pool, NewProfileInfo { person_id: alice.id, metadata: Some("likes rust".into()) }).await?;
        let articles = alice.related(Person::articles());
        for (title, published) in [("a1", true), ("a2", false), ("a3", true)] {
            let (article, st) = count_statements(articles.create(&pool, |author_id| NewArticle { author_id, title: title.into(), published })).await;
            sent.add("has_many create", &st);
            article?;
        }
        bob.related(Person::articles()).create(&pool, |author_id| NewArticle { author_id, title: "b1".into(), published: false }).await?;
        let (people, st) = count_statements(
            Person::query()
                .order_by("id", Order::Asc)
                .preload(Person::profile())
                .preload(Person::inviter())
                .preload_with(Person::articles(), |q| q.order_by("id", Order::Desc).limit(2))
                .fetch_all(&pool),
        ).await;
        sent.add("preload has_one, belongs_to, has_many with a limit per parent", &st);
        let people = people?;
        assert_eq!(st.count(), 4, "{:?}", st.all());
        let titles = |p: &Person| p.articles.get().map(|a| a.iter().map(|a| a.title.clone()).collect::<Vec<_>>());
        assert_eq!((titles(&people[0])?, titles(&people[1])?), (vec!["a3".to_owned(), "a2".to_owned()], vec!["b1".to_owned()]));
        assert_eq!(people[0].profile.get()?.and_then(|p| p.metadata.clone()).as_deref(), Some("likes rust"));
        assert_eq!(people[1].inviter.get()?.map(|p| p.id), Some(alice.id));
        let (people, st) = count_statements(Person::query().order_by("id", Order::Asc).with_count_where(Person::articles(), |q| q.where_eq("published", true)).fetch_all(&pool)).await;
        sent.add("with_count has_many", &st);
        assert_eq!(people?.iter().map(|p| p.articles.count().unwrap_or(-1)).collect::<Vec<_>>(), [2, 0]);
        let (people, st) = count_statements(Person::query().where_has(Person::inviter(), |q| q.where_eq("name", "alice")).fetch_all(&pool)).await;
        sent.add("where_has belongs_to", &st);
        assert_eq!(people?.iter().map(|p| p.id).collect::<Vec<_>>(), [bob.id]);
        let (done, st) = count_statements(bob.related_mut(Person::inviter()).dissociate(&pool)).await;
        sent.add("belongs_to dissociate", &st);
        done?;
        assert_eq!(Person::find(&pool, bob.id).await?.and_then(|p| p.invited_by), None);
        sent.check(backend)?;
        Ok(())
    }

    async fn crud_upserts_and_bulk_writes_read_back_and_keep_to_the_shapes(pool) {
        distributed();
        let backend = <DB as orm::Backend>::NAME;
        let mut sent = Sent::default();
        let (user, st) = count_statements(User::create(&pool, NewUser { username: "virk".into(), email: None })).await;
        sent.add("create", &st);
        let mut user = user?;
        let (n, st) = count_statements(User::insert_many(&pool, ["romain", "julien"].map(|name| NewUser { username: name.into(), email: None }))).await;
        sent.add("insert_many", &st);
        assert_eq!(n?, 2);
        user.email = Some("virk@adonisjs.com".into());
        let (done, st) = count_statements(user.update(&pool)).await;
        sent.add("update", &st);
        done?;
        let (found, st) = count_statements(User::find_many(&pool, [user.id, 999])).await;
        sent.add("find_many", &st);
        assert_eq!(found?.iter().map(|u| u.email.clone()).collect::<Vec<_>>(), [Some("virk@adonisjs.com".to_owned())]);
        let (page, st) = count_statements(User::query().order_by("id", Order::Asc).paginate(&pool, 2, 2)).await;
        sent.add("paginate", &st);
        assert_eq!(page?.total, 3);
        let (chunks, st) = count_statements(async {
            let mut chunks = User::query().chunks(&pool, 2).await?;
            let mut seen = 0;
            while let Some(users) = chunks.next().await? {
                seen += users.len();
            }
            Ok::<usize, orm::Error>(seen)
        }).await;
        sent.add("chunks", &st);
        assert_eq!(chunks?, 3);
        let (rows, st) = count_statements(User::query().select::<(i64,)>([orm::Item::count()]).fetch_all(&pool)).await;
        sent.add("select count", &st);
        assert_eq!(rows?, [(3,)]);
        let (n, st) = count_statements(User::query().where_eq("username", "julien").update(&pool, orm::Set::new().value("email_address", Some("j@x".to_owned())))).await;
        sent.add("bulk update", &st);
        assert_eq!(n?, 1);
        let (n, st) = count_statements(User::query().where_eq("username", "romain").delete(&pool)).await;
        sent.add("bulk delete", &st);
        assert_eq!(n?, 1);

        let (tag, st) = count_statements(Tag::upsert(&pool, NewTag { code: "rust".into(), label: "Rust".into() }, ["code"], ["label"])).await;
        sent.add("upsert", &st);
        assert_eq!(tag?.label, "Rust");
        let tag = Tag::upsert(&pool, NewTag { code: "rust".into(), label: "Rust!".into() }, ["code"], ["label"]).await?;
        assert_eq!(tag.label, "Rust!");
        let (n, st) = count_statements(Tag::upsert_many(&pool, vec![NewTag { code: "rust".into(), label: "R".into() }, NewTag { code: "go".into(), label: "Go".into() }], ["code"], ["label"])).await;
        sent.add("upsert_many", &st);
        n?;
        let mut tx = pool.begin().await?;
        let (tag, st) = count_statements(Tag::first_or_create(&mut *tx, |q| q.where_eq("code", "zig"), NewTag { code: "zig".into(), label: "Zig".into() })).await;
        sent.add("first_or_create in a transaction", &st);
        assert_eq!(tag?.label, "Zig");
        tx.commit().await?;
        let (tag, st) = count_statements(Tag::update_or_create(&pool, |q| q.where_eq("code", "go"), NewTag { code: "go".into(), label: "Golang".into() })).await;
        sent.add("update_or_create", &st);
        assert_eq!(tag?.label, "Golang");
        let labels: Vec<String> = Tag::query().order_by("code", Order::Asc).fetch_all(&pool).await?.into_iter().map(|t| t.label).collect();
        assert_eq!(labels, ["Golang", "R", "Zig"]);
        let (done, st) = count_statements(user.delete(&pool)).await;
        sent.add("delete", &st);
        done?;
        let (n, st) = count_statements(User::query().count(&pool)).await;
        sent.add("count", &st);
        assert_eq!(n?, 1);
        let (checked, st) = count_statements(orm::schema::Schema::<DB>::new().model::<Skill>().model::<Tag>().check(&pool)).await;
        sent.add("schema check", &st);
        checked?;
        sent.check(backend)?;
        Ok(())
    }

    async fn concurrent_syncs_of_one_parent_take_turns(pool) {
        distributed();
        let a = user_with_skills_and_groups(&pool, "a", 0, 6).await?;
        // group_user has no unique key: only the parent's lock keeps duplicates out.
        let inputs: Vec<Vec<i64>> = vec![vec![1, 2, 3], vec![2, 3, 4], vec![4, 5, 6], vec![1, 6], vec![3]];
        let mut tasks = Vec::new();
        for round in 0..3 {
            for ids in &inputs {
                let (pool, a, ids) = (pool.clone(), a.clone(), ids.clone());
                tasks.push(tokio::spawn(async move {
                    let groups = a.related(User::groups());
                    if round == 1 { groups.attach(&pool, ids).await.map(|_| ()) } else { groups.sync(&pool, ids).await.map(|_| ()) }
                }));
            }
        }
        for task in tasks {
            task.await??;
        }
        let rows = GroupUser::query().where_eq("user_id", a.id).fetch_all(&pool).await?;
        let mut ids: Vec<i64> = rows.iter().map(|r| r.group_id).collect();
        ids.sort_unstable();
        let mut unique = ids.clone();
        unique.dedup();
        assert_eq!(ids, unique, "no duplicate pivot rows");
        let final_set = a.related(User::groups()).sync(&pool, [2, 5]).await?;
        assert_eq!(final_set.attached.len() + final_set.unchanged.len(), 2);
        let mut left: Vec<i64> = GroupUser::query().where_eq("user_id", a.id).fetch_all(&pool).await?.iter().map(|r| r.group_id).collect();
        left.sort_unstable();
        assert_eq!(left, [2, 5]);
        Ok(())
    }
}
