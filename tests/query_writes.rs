//! Reads and writes by key and by unique key: `find_or_fail`, `find_many` (one statement, input
//! order, lists past the bind limit), `upsert` / `upsert_many` (per-dialect conflict clauses,
//! checked columns, chunks, affected-row counts per backend), `first_or_create` /
//! `update_or_create` (race-safe under concurrent callers), and `#[model(timestamps)]` (set by
//! the database's clock on create, insert_many, update and upsert), on every backend.

mod common;

use std::collections::HashSet;

use common::count_statements;
use orm::prelude::*;
use orm::schema::Schema;

/// A timestamped model with a unique column, the target of upserts and of the or-create races.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "qw_members", timestamps)]
pub struct Member {
    pub id: i64,
    #[model(unique)]
    pub email: String,
    pub name: String,
    pub visits: i64,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

/// A model whose key is text chosen by the application, without timestamps.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "qw_tags")]
pub struct Tag {
    #[model(primary_key)]
    pub code: String,
    pub label: String,
    pub uses: i64,
}

/// Timestamps renamed and one disabled, held as text.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(
    table = "qw_notes",
    timestamps(created_at = "made_at", updated_at = false)
)]
pub struct Note {
    pub id: i64,
    pub body: String,
    pub made_at: String,
}

async fn create_tables<DB: orm::Backend>(pool: &sqlx::Pool<DB>) -> orm::Result<()>
where
    Member: orm::schema::ModelTable<DB>,
    Tag: orm::schema::ModelTable<DB>,
    Note: orm::schema::ModelTable<DB>,
{
    Schema::<DB>::new()
        .model::<Member>()
        .model::<Tag>()
        .model::<Note>()
        .create_all(pool)
        .await
}

fn member(email: &str, name: &str) -> NewMember {
    NewMember {
        email: email.into(),
        name: name.into(),
        visits: 0,
    }
}

/// Runs `n` copies of `work` at once on the pool, each on its own task.
async fn concurrently<DB, F, Fut, T>(pool: &sqlx::Pool<DB>, n: usize, work: F) -> Vec<T>
where
    DB: sqlx::Database,
    F: Fn(sqlx::Pool<DB>, usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let barrier = barrier.clone();
            let job = work(pool.clone(), i);
            tokio::spawn(async move {
                barrier.wait().await;
                job.await
            })
        })
        .collect();
    let mut out = Vec::with_capacity(n);
    for task in tasks {
        out.push(task.await.expect("task"));
    }
    out
}

backend_tests! {
    async fn find_or_fail_names_the_model_key_column_and_value(pool) {
        create_tables(&pool).await?;
        let created = Member::create(&pool, member("a@x", "a")).await?;
        assert_eq!(Member::find_or_fail(&pool, created.id).await?, created);
        let err = Member::find_or_fail(&pool, 999).await.expect_err("no row 999");
        match &err {
            orm::Error::NotFound { model, column, value } => {
                assert_eq!((*model, *column, value.as_str()), ("Member", "id", "999"));
            }
            other => panic!("expected NotFound, got {other:?}"),
        }
        assert_eq!(err.to_string(), "Member with id = 999 was not found");
        let err = Tag::find_or_fail(&pool, "nope".to_string()).await.expect_err("no tag");
        assert_eq!(err.to_string(), "Tag with code = \"nope\" was not found");
        Ok(())
    }

    async fn find_many_is_one_statement_in_the_order_of_the_keys(pool) {
        create_tables(&pool).await?;
        let mut ids = Vec::new();
        for i in 0..5 {
            ids.push(Member::create(&pool, member(&format!("{i}@x"), &format!("m{i}"))).await?.id);
        }
        let keys = [ids[4], ids[0], 999_999, ids[2], ids[0]];
        let (found, statements) = count_statements(Member::find_many(&pool, keys)).await;
        let found: Vec<i64> = found?.iter().map(|m| m.id).collect();
        // Missing keys are skipped; a key given twice comes once, at its first place.
        assert_eq!(found, [ids[4], ids[0], ids[2]]);
        assert_eq!(statements.count(), 1, "{:?}", statements.queries());

        let (none, statements) = count_statements(Member::find_many(&pool, Vec::<i64>::new())).await;
        assert!(none?.is_empty());
        assert_eq!(statements.count(), 0);

        // Past every backend's bind limit (65,535), still one statement: the list is one parameter.
        let mut many: Vec<i64> = (1_000_000..1_070_000).collect();
        many.insert(35_000, ids[1]);
        many.push(ids[3]);
        let (found, statements) = count_statements(Member::find_many(&pool, many)).await;
        let found: Vec<i64> = found?.iter().map(|m| m.id).collect();
        assert_eq!(found, [ids[1], ids[3]]);
        assert_eq!(statements.count(), 1);

        Tag::insert_many(&pool, ["b", "a", "c"].map(|c| NewTag { code: c.into(), label: c.into(), uses: 0 })).await?;
        let tags = Tag::find_many(&pool, ["c".to_string(), "zz".to_string(), "a".to_string()]).await?;
        assert_eq!(tags.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(), ["c", "a"]);
        Ok(())
    }

    async fn upsert_inserts_then_updates_only_the_named_columns(pool) {
        create_tables(&pool).await?;
        let first = Member::upsert(&pool, NewMember { email: "u@x".into(), name: "one".into(), visits: 5 }, [Member::FIELDS.email], [Member::FIELDS.name]).await?;
        assert_eq!((first.name.as_str(), first.visits), ("one", 5));
        assert_eq!(first, Member::find_or_fail(&pool, first.id).await?);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;

        let (second, statements) = count_statements(Member::upsert(
            &pool,
            NewMember { email: "u@x".into(), name: "two".into(), visits: 9 },
            ["email"],
            ["name"],
        )).await;
        let second = second?;
        // The same row: the name is overwritten, visits (not named) kept, created_at kept,
        // updated_at moved by the database's clock.
        assert_eq!(second.id, first.id);
        assert_eq!((second.name.as_str(), second.visits), ("two", 5));
        assert_eq!(second.created_at, first.created_at);
        assert!(second.updated_at > first.updated_at, "{:?} > {:?}", second.updated_at, first.updated_at);
        assert_eq!(second, Member::find_or_fail(&pool, first.id).await?);
        // RETURNING on PostgreSQL and SQLite; MySQL reads the row back by the conflict columns.
        let expected = if <DB as orm::Backend>::NAME == "mysql" { 2 } else { 1 };
        assert_eq!(statements.count(), expected, "{:?}", statements.queries());
        assert_eq!(Member::query().count(&pool).await?, 1);

        // No update column: the existing row is returned as it is.
        let kept = Member::upsert(&pool, member("u@x", "three"), ["email"], [] as [&str; 0]).await?;
        assert_eq!(kept, second);

        // On a key the application chooses.
        let tag = Tag::upsert(&pool, NewTag { code: "rust".into(), label: "Rust".into(), uses: 1 }, ["code"], ["label", "uses"]).await?;
        assert_eq!(tag.uses, 1);
        let tag = Tag::upsert(&pool, NewTag { code: "rust".into(), label: "Rust!".into(), uses: 2 }, [Tag::FIELDS.code], ["label", "uses"]).await?;
        assert_eq!((tag.label.as_str(), tag.uses), ("Rust!", 2));
        assert_eq!(Tag::query().count(&pool).await?, 1);
        Ok(())
    }

    async fn upsert_checks_its_columns_before_any_statement(pool) {
        create_tables(&pool).await?;
        let (result, statements) = count_statements(Member::upsert(&pool, member("c@x", "c"), ["emial"], ["name"])).await;
        assert!(matches!(result, Err(orm::Error::UnknownColumn { model: "Member", ref column, .. }) if column == "emial"), "{result:?}");
        assert_eq!(statements.all().len(), 0);
        let result = Member::upsert(&pool, member("c@x", "c"), ["id"], ["name"]).await;
        assert!(matches!(result, Err(orm::Error::InvalidInput { relation: "id", operation: "upsert", .. })), "{result:?}");
        let result = Member::upsert(&pool, member("c@x", "c"), ["email"], ["created_at"]).await;
        assert!(matches!(result, Err(orm::Error::InvalidInput { relation: "created_at", .. })), "{result:?}");
        let result = Member::upsert(&pool, member("c@x", "c"), [] as [&str; 0], ["name"]).await;
        assert!(matches!(result, Err(orm::Error::InvalidInput { .. })), "{result:?}");
        let result = Member::upsert_many(&pool, vec![member("c@x", "c")], ["nope"], ["name"]).await;
        assert!(matches!(result, Err(orm::Error::UnknownColumn { .. })), "{result:?}");
        assert_eq!(Member::query().count(&pool).await?, 0);
        Ok(())
    }

    async fn upsert_many_chunks_by_the_bind_limit_and_counts_per_backend(pool) {
        create_tables(&pool).await?;
        let rows = |name: &str| -> Vec<NewMember> {
            (0..25_000).map(|i| NewMember { email: format!("{i}@bulk"), name: name.into(), visits: i }).collect()
        };
        // 3 bound columns per row: 10,922 rows per statement on SQLite, 21,845 elsewhere.
        let chunks = 25_000_usize.div_ceil(<DB as orm::dialect::Dialect>::BIND_LIMIT / 3);
        let (inserted, statements) = count_statements(Member::upsert_many(&pool, rows("first"), ["email"], ["name"])).await;
        assert_eq!(inserted?, 25_000);
        assert_eq!(statements.count_of("INSERT"), chunks, "{:?}", statements.all().len());
        assert_eq!(statements.count(), chunks);

        let mut again = rows("second");
        again.push(NewMember { email: "new@bulk".into(), name: "second".into(), visits: 0 });
        let affected = Member::upsert_many(&pool, again, ["email"], ["name"]).await?;
        // PostgreSQL and SQLite count each inserted or updated row once; MySQL counts an
        // updated row twice.
        let expected = if <DB as orm::Backend>::NAME == "mysql" { 25_000 * 2 + 1 } else { 25_001 };
        assert_eq!(affected, expected);
        assert_eq!(Member::query().count(&pool).await?, 25_001);
        assert_eq!(Member::query().where_eq("name", "second").count(&pool).await?, 25_001);
        let m = Member::query().where_eq("email", "77@bulk").fetch_one(&pool).await?;
        assert_eq!(m.visits, 77, "visits is not an update column");
        assert!(m.updated_at >= m.created_at);

        assert_eq!(Member::upsert_many(&pool, Vec::new(), ["email"], ["name"]).await?, 0);
        Ok(())
    }

    async fn first_or_create_finds_or_creates(pool) {
        create_tables(&pool).await?;
        let (created, statements) = count_statements(Member::first_or_create(&pool, |q| q.where_eq("email", "f@x"), member("f@x", "first"))).await;
        let created = created?;
        assert_eq!(created.name, "first");
        assert_eq!(statements.count_of("INSERT"), 1, "{:?}", statements.all());
        let (found, statements) = count_statements(Member::first_or_create(&pool, |q| q.where_eq(Member::FIELDS.email, "f@x"), member("f@x", "other"))).await;
        assert_eq!(found?, created);
        assert_eq!(statements.count(), 1, "found: one SELECT, {:?}", statements.queries());
        Ok(())
    }

    async fn first_or_create_is_race_safe_under_a_unique_key(pool) {
        create_tables(&pool).await?;
        for round in 0..3 {
            let email = format!("race{round}@x");
            let results = concurrently(&pool, 8, |pool, i| {
                let email = email.clone();
                async move {
                    Member::first_or_create(&pool, |q| q.where_eq("email", email.clone()), member(&email, &format!("task{i}"))).await
                }
            }).await;
            let ids: HashSet<i64> = results.into_iter().map(|r| r.map(|m| m.id)).collect::<orm::Result<_>>()?;
            assert_eq!(ids.len(), 1, "every caller gets the one row");
            assert_eq!(Member::query().where_eq("email", email.clone()).count(&pool).await?, 1);
        }
        Ok(())
    }

    async fn update_or_create_updates_the_found_row_or_creates(pool) {
        create_tables(&pool).await?;
        let created = Member::update_or_create(&pool, |q| q.where_eq("email", "o@x"), NewMember { email: "o@x".into(), name: "one".into(), visits: 1 }).await?;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let updated = Member::update_or_create(&pool, |q| q.where_eq("email", "o@x"), NewMember { email: "o@x".into(), name: "two".into(), visits: 2 }).await?;
        assert_eq!(updated.id, created.id);
        assert_eq!((updated.name.as_str(), updated.visits), ("two", 2));
        assert_eq!(updated.created_at, created.created_at);
        assert!(updated.updated_at > created.updated_at);
        assert_eq!(updated, Member::find_or_fail(&pool, created.id).await?);

        let tag = Tag::update_or_create(&pool, |q| q.where_eq("code", "go"), NewTag { code: "go".into(), label: "Go".into(), uses: 1 }).await?;
        let tag2 = Tag::update_or_create(&pool, |q| q.where_eq("code", "go"), NewTag { code: "go".into(), label: "Golang".into(), uses: 3 }).await?;
        assert_eq!((tag.label.as_str(), tag2.label.as_str(), tag2.uses), ("Go", "Golang", 3));
        assert_eq!(Tag::query().count(&pool).await?, 1);
        Ok(())
    }

    async fn update_or_create_is_race_safe_under_a_unique_key(pool) {
        create_tables(&pool).await?;
        let names: Vec<String> = (0..8).map(|i| format!("task{i}")).collect();
        let results = concurrently(&pool, 8, |pool, i| async move {
            Member::update_or_create(&pool, |q| q.where_eq("email", "same@x"), NewMember { email: "same@x".into(), name: format!("task{i}"), visits: i as i64 }).await
        }).await;
        let ids: HashSet<i64> = results.into_iter().map(|r| r.map(|m| m.id)).collect::<orm::Result<_>>()?;
        assert_eq!(ids.len(), 1);
        let row = Member::query().where_eq("email", "same@x").fetch_one(&pool).await?;
        assert!(names.contains(&row.name), "the last writer's name: {}", row.name);
        assert_eq!(Member::query().count(&pool).await?, 1);
        Ok(())
    }

    async fn first_or_create_in_a_transaction_survives_a_unique_violation(pool) {
        create_tables(&pool).await?;
        Member::create(&pool, member("taken@x", "taken")).await?;
        let mut tx = pool.begin().await?;
        let kept = Member::create(&mut tx, member("kept@x", "kept")).await?;
        // The search finds nothing, but the insert collides on the unique email: the error is
        // returned and the caller's transaction (a savepoint was used) is still usable.
        let err = Member::first_or_create(&mut tx, |q| q.where_eq("name", "nobody"), member("taken@x", "x"))
            .await
            .expect_err("duplicate email");
        assert!(err.as_database_error().is_some_and(|e| e.is_unique_violation()), "{err:?}");
        let later = Member::create(&mut tx, member("later@x", "later")).await?;
        tx.commit().await?;
        assert_eq!(Member::find_many(&pool, [kept.id, later.id]).await?.len(), 2);
        assert_eq!(Member::query().count(&pool).await?, 3);
        Ok(())
    }

    async fn timestamps_are_set_by_the_database_on_create_insert_many_and_update(pool) {
        create_tables(&pool).await?;
        let before: chrono::NaiveDateTime = chrono::Utc::now().naive_utc() - chrono::Duration::hours(30);
        let (created, statements) = count_statements(Member::create(&pool, member("t@x", "t"))).await;
        let created = created?;
        // The in-memory model holds what the database stored.
        assert_eq!(created, Member::find_or_fail(&pool, created.id).await?);
        assert!(created.created_at > before, "{:?}", created.created_at);
        assert_eq!(created.created_at, created.updated_at);
        let expected = if <DB as orm::Backend>::NAME == "mysql" { 2 } else { 1 };
        assert_eq!(statements.count(), expected, "{:?}", statements.queries());
        assert!(statements.queries()[0].contains(<DB as orm::dialect::Dialect>::NOW), "{:?}", statements.queries());

        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let mut changed = created.clone();
        changed.name = "renamed".into();
        // Stale in-memory timestamps are never written back.
        changed.created_at = before;
        changed.update(&pool).await?;
        let reread = Member::find_or_fail(&pool, created.id).await?;
        assert_eq!(reread.name, "renamed");
        assert_eq!(reread.created_at, created.created_at);
        assert!(reread.updated_at > created.updated_at);

        assert_eq!(Member::insert_many(&pool, (0..3).map(|i| member(&format!("{i}@many"), "many"))).await?, 3);
        for m in Member::query().where_eq("name", "many").fetch_all(&pool).await? {
            assert!(m.created_at > before && m.updated_at == m.created_at, "{m:?}");
        }

        // Renamed, text, and no updated_at.
        let note = Note::create(&pool, NewNote { body: "hi".into() }).await?;
        assert!(note.made_at.starts_with("20"), "{}", note.made_at);
        assert_eq!(note, Note::find_or_fail(&pool, note.id).await?);
        let mut edited = note.clone();
        edited.body = "bye".into();
        edited.update(&pool).await?;
        assert_eq!(Note::find_or_fail(&pool, note.id).await?.made_at, note.made_at);
        Ok(())
    }
}
