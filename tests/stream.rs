//! Result sets read without holding them: `fetch` streams models one by one, `chunks` / `chunk`
//! read keyset chunks (`pk > last ORDER BY pk LIMIT size`) with preloads run per chunk, and a
//! stream dropped midway leaves its connection usable; on every backend.

mod common;
use common::models;

use models::*;
use orm::prelude::*;

/// Rows of `users` the large tests insert: past 10,000.
const USERS: usize = 12_000;

/// Inserts `n` users named `u0`, `u1`, ... and returns their ids in key order.
async fn seed_users<DB>(pool: &sqlx::Pool<DB>, n: usize) -> orm::Result<Vec<i64>>
where
    DB: orm::Backend,
    User: orm::ModelRow<DB>,
{
    let rows = (0..n).map(|i| NewUser {
        username: format!("u{i}"),
        email: (i % 2 == 0).then(|| format!("u{i}@example.com")),
    });
    User::insert_many(pool, rows).await?;
    let mut ids: Vec<i64> = User::query()
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    ids.sort_unstable();
    Ok(ids)
}

/// Whether `ids` is strictly increasing.
fn increasing(ids: &[i64]) -> bool {
    ids.windows(2).all(|w| w[0] < w[1])
}

/// 2,500 people, each with one article, each article with one remark.
async fn seed_people<DB>(pool: &sqlx::Pool<DB>) -> orm::Result<()>
where
    DB: orm::Backend,
    Person: orm::ModelRow<DB> + orm::schema::ModelTable<DB>,
    Article: orm::ModelRow<DB> + orm::schema::ModelTable<DB>,
    Remark: orm::ModelRow<DB> + orm::schema::ModelTable<DB>,
    ProfileInfo: orm::schema::ModelTable<DB>,
    Message: orm::schema::ModelTable<DB>,
    Category: orm::schema::ModelTable<DB>,
    Team: orm::schema::ModelTable<DB>,
{
    create_tables(pool).await?;
    Person::insert_many(
        pool,
        (0..2_500).map(|i| NewPerson {
            name: format!("p{i}"),
            invited_by: None,
        }),
    )
    .await?;
    let people = Person::query().fetch_all(pool).await?;
    Article::insert_many(
        pool,
        people.iter().map(|p| NewArticle {
            author_id: p.id,
            title: format!("by {}", p.name),
            published: true,
        }),
    )
    .await?;
    let articles = Article::query().fetch_all(pool).await?;
    Remark::insert_many(
        pool,
        articles.iter().map(|a| NewRemark {
            article_id: a.id,
            body: format!("on {}", a.id),
            approved: true,
        }),
    )
    .await?;
    Ok(())
}

backend_tests! {
    /// A stream yields every matching row once, in the query's order, decoded as it arrives.
    async fn fetch_streams_every_row_once(pool) {
        let ids = seed_users(&pool, USERS).await?;
        let mut stream = User::query().order_by("id", Order::Asc).fetch(&pool);
        let mut seen = Vec::with_capacity(USERS);
        while let Some(user) = stream.try_next().await? {
            assert_eq!(user.username, format!("u{}", seen.len()));
            seen.push(user.id);
        }
        assert!(seen == ids, "{} rows streamed of {}", seen.len(), ids.len());
        // Ended streams stay ended.
        assert!(stream.try_next().await?.is_none());

        // Filters, order and limit apply as for fetch_all; one statement.
        let (streamed, statements) = common::count_statements(async {
            let mut stream = User::query()
                .where_not_null("email_address")
                .order_by("id", Order::Desc)
                .limit(5_000)
                .fetch(&pool);
            let mut ids = Vec::new();
            while let Some(user) = stream.try_next().await? {
                ids.push(user.id);
            }
            Ok::<_, orm::Error>(ids)
        })
        .await;
        let streamed = streamed?;
        // Users with an even index have an email.
        let expected: Vec<i64> = ids.iter().copied().step_by(2).rev().take(5_000).collect();
        assert!(streamed == expected, "streamed {} rows, not the 5,000 expected", streamed.len());
        assert_eq!(statements.count(), 1, "{:?}", statements.queries());
        Ok(())
    }

    /// with_count is part of the streamed statement; a preload is refused with a typed error
    /// that points at chunk.
    async fn fetch_with_count_works_and_preload_is_refused(pool) {
        let ids = seed_users(&pool, 20).await?;
        Skill::insert_many(&pool, ["rust", "go"].map(|n| NewSkill { name: n.into() })).await?;
        let first = User::find(&pool, ids[0]).await?.expect("first user");
        first.related(User::skills()).attach(&pool, [1, 2]).await?;

        let mut stream = User::query()
            .with_count(User::skills())
            .order_by("id", Order::Asc)
            .fetch(&pool);
        let mut counts = Vec::new();
        while let Some(user) = stream.try_next().await? {
            counts.push(user.skills.count()?);
        }
        assert_eq!(counts.len(), 20);
        assert_eq!(counts[0], 2);
        assert!(counts[1..].iter().all(|&n| n == 0));

        let mut refused = User::query().preload(User::skills()).fetch(&pool);
        let err = refused.try_next().await.expect_err("preload on a stream");
        assert!(matches!(err, orm::Error::InvalidInput { .. }), "{err}");
        assert!(err.to_string().contains("chunk"), "{err}");
        assert!(refused.try_next().await?.is_none());

        // A wrong column is the stream's first item too.
        let mut wrong = User::query().where_eq("nmae", "x").fetch(&pool);
        assert!(matches!(wrong.try_next().await, Err(orm::Error::UnknownColumn { .. })));
        Ok(())
    }

    /// chunk reads every row once, in key order, one statement per chunk.
    async fn chunk_reads_every_row_once_in_key_order(pool) {
        let ids = seed_users(&pool, USERS).await?;
        let (result, statements) = common::count_statements(async {
            let mut seen = Vec::new();
            let mut sizes = Vec::new();
            User::query()
                .chunk(&pool, 1_000, |users: Vec<User>| {
                    sizes.push(users.len());
                    seen.extend(users.iter().map(|u| u.id));
                    async { Ok(()) }
                })
                .await?;
            Ok::<_, orm::Error>((seen, sizes))
        })
        .await;
        let (seen, sizes) = result?;
        assert!(seen == ids, "{} rows chunked of {}", seen.len(), ids.len());
        assert_eq!(sizes, vec![1_000; 12]);
        // 12 full chunks, then one statement that finds nothing more.
        assert_eq!(statements.count_of("SELECT"), 13, "{:?}", statements.queries());
        assert_eq!(statements.count(), 13);

        // With a filter, through the cursor: a partial last chunk ends it.
        let mut chunks = User::query()
            .where_not_null("email_address")
            .chunks(&pool, 2_500)
            .await?;
        let mut filtered = Vec::new();
        let mut batches = 0;
        while let Some(users) = chunks.next().await? {
            batches += 1;
            filtered.extend(users.into_iter().map(|u| u.id));
        }
        assert_eq!(batches, 3);
        assert!(increasing(&filtered));
        assert!(filtered == ids.iter().copied().step_by(2).collect::<Vec<_>>());
        assert!(chunks.next().await?.is_none());
        Ok(())
    }

    /// Rows inserted while the cursor runs are never read twice nor make it skip a row.
    async fn chunk_is_stable_under_concurrent_inserts(pool) {
        let ids = seed_users(&pool, 3_000).await?;
        let mut chunks = User::query().chunks(&pool, 400).await?;
        let mut seen = Vec::new();
        let mut inserted = 0;
        while let Some(users) = chunks.next().await? {
            seen.extend(users.iter().map(|u| u.id));
            // Another connection inserts rows meanwhile.
            User::insert_many(
                &pool,
                (0..50).map(|i| NewUser { username: format!("late{inserted}_{i}"), email: None }),
            )
            .await?;
            inserted += 1;
            if inserted > 20 {
                break;
            }
        }
        assert!(increasing(&seen), "a row came twice or out of order");
        assert!(ids.iter().all(|id| seen.binary_search(id).is_ok()), "a row was skipped");
        Ok(())
    }

    /// A chunk is a batch: each preload level runs once per chunk.
    async fn chunk_preloads_one_statement_per_level_per_chunk(pool) {
        seed_people(&pool).await?;
        let (result, statements) = common::count_statements(async {
            let mut chunks = Person::query()
                .preload_with(Person::articles(), |q| q.preload(Article::remarks()))
                .chunks(&pool, 1_000)
                .await?;
            let mut sizes = Vec::new();
            while let Some(people) = chunks.next().await? {
                sizes.push(people.len());
                for person in &people {
                    let articles = person.articles.get()?;
                    assert_eq!(articles.len(), 1);
                    assert_eq!(articles[0].author_id, person.id);
                    let remarks = articles[0].remarks.get()?;
                    assert_eq!(remarks.len(), 1);
                    assert_eq!(remarks[0].article_id, articles[0].id);
                }
            }
            Ok::<_, orm::Error>(sizes)
        })
        .await;
        assert_eq!(result?, vec![1_000, 1_000, 500]);
        // Per chunk: people, articles, remarks.
        assert_eq!(statements.count(), 9, "{:?}", statements.queries());
        assert_eq!(statements.count_of("SELECT"), 9);
        Ok(())
    }

    /// The cursor sets order, limit and offset itself; a zero size is refused.
    async fn chunks_refuse_order_limit_offset_and_zero(pool) {
        seed_users(&pool, 3).await?;
        for query in [
            User::query().order_by("username", Order::Asc),
            User::query().limit(2),
            User::query().offset(1),
        ] {
            let err = query.chunks(&pool, 10).await.expect_err("refused");
            assert!(matches!(err, orm::Error::InvalidInput { .. }), "{err}");
        }
        let err = User::query().chunk(&pool, 0, |_| async { Ok(()) }).await.expect_err("size 0");
        assert!(matches!(err, orm::Error::InvalidInput { .. }), "{err}");
        // The callback's error stops the chunking and is returned.
        let mut calls = 0;
        let err = User::query()
            .chunk(&pool, 1, |_| {
                calls += 1;
                async { Err(orm::Error::NoRows { model: "User" }) }
            })
            .await
            .expect_err("callback error");
        assert!(matches!(err, orm::Error::NoRows { .. }));
        assert_eq!(calls, 1);
        Ok(())
    }

    /// A stream dropped midway: a pooled connection is not leaked nor left mid-result, and a
    /// borrowed connection or transaction runs its next statement normally.
    async fn dropping_a_stream_midway_leaves_the_connection_usable(pool) {
        seed_users(&pool, USERS).await?;
        // More drops than the pool (5 connections) has connections.
        for _ in 0..8 {
            let mut stream = User::query().order_by("id", Order::Asc).fetch(&pool);
            for _ in 0..10 {
                stream.try_next().await?.expect("a row");
            }
            drop(stream);
            assert_eq!(User::query().count(&pool).await?, USERS as i64);
        }

        let mut conn = pool.acquire().await?;
        {
            let mut stream = User::query().fetch(&mut conn);
            stream.try_next().await?.expect("a row");
        }
        assert_eq!(User::query().count(&mut conn).await?, USERS as i64);
        let again = User::query().order_by("id", Order::Asc).limit(3).fetch_all(&mut conn).await?;
        assert_eq!(again.len(), 3);
        drop(conn);

        let mut tx = pool.begin().await?;
        User::create(&mut tx, NewUser { username: "in tx".into(), email: None }).await?;
        {
            let mut stream = User::query().order_by("id", Order::Asc).fetch(&mut tx);
            for _ in 0..100 {
                stream.try_next().await?.expect("a row");
            }
        }
        assert_eq!(User::query().count(&mut tx).await?, USERS as i64 + 1);
        tx.rollback().await?;
        assert_eq!(User::query().count(&pool).await?, USERS as i64);
        Ok(())
    }
}
