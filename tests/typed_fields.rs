//! Typed fields (`User::FIELDS.email`): every filter, order and pivot filter accepts them where
//! it accepts a string, writes the same statement as the string form, and works in every
//! closure, on every backend.

mod common;
use common::models;

use models::*;
use orm::prelude::*;

/// Users a (a@example.com), b (no email), c (c@example.com); a: skills 1 rust (master),
/// 2 go (beginner); b: 2 go (master), 3 sql (no proficiency); c: none.
async fn seed<E>(exec: E) -> orm::Result<[User; 3]>
where
    E: orm::Executor,
    User: orm::ModelRow<E::Backend>,
    Skill: orm::ModelRow<E::Backend>,
    UserSkillsRelation: orm::ManyToManyOn<E::Backend>,
{
    let mut conn = exec.acquire().await?;
    let mut users = Vec::new();
    for (name, email) in [
        ("a", Some("a@example.com")),
        ("b", None),
        ("c", Some("c@example.com")),
    ] {
        let new = NewUser {
            username: name.into(),
            email: email.map(str::to_owned),
        };
        users.push(User::create(&mut conn, new).await?);
    }
    Skill::insert_many(
        &mut conn,
        ["rust", "go", "sql"].map(|n| NewSkill { name: n.into() }),
    )
    .await?;
    let [a, b, c]: [User; 3] = users
        .try_into()
        .map_err(|_| orm::Error::NoRows { model: "User" })?;
    a.related(User::skills())
        .attach_with(
            &mut conn,
            [
                (1, Proficiency::new("master")),
                (2, Proficiency::new("beginner")),
            ],
        )
        .await?;
    b.related(User::skills())
        .attach_with(
            &mut conn,
            [
                (2, Proficiency::new("master")),
                (3, Proficiency { proficiency: None }),
            ],
        )
        .await?;
    Ok([a, b, c])
}

fn usernames(users: &[User]) -> Vec<&str> {
    users.iter().map(|u| u.username.as_str()).collect()
}

/// Runs both queries and checks they wrote the same statements and read the same rows.
async fn same<F1, F2>(
    typed: F1,
    string: F2,
) -> Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>>
where
    F1: std::future::Future<Output = orm::Result<Vec<User>>>,
    F2: std::future::Future<Output = orm::Result<Vec<User>>>,
{
    let (typed, typed_sql) = common::count_statements(typed).await;
    let (string, string_sql) = common::count_statements(string).await;
    let (typed, string) = (typed?, string?);
    assert_eq!(
        typed_sql.queries(),
        string_sql.queries(),
        "the same statements"
    );
    assert_eq!(usernames(&typed), usernames(&string));
    Ok(usernames(&typed).into_iter().map(str::to_owned).collect())
}

backend_tests! {
    async fn typed_filters_write_the_string_forms_statements(pool) {
        let [a, b, c] = seed(&pool).await?;
        let f = User::FIELDS;
        // A renamed column (`email` is `email_address`), an `Option<String>` compared with `&str`.
        let found = same(
            User::query().where_eq(f.email, "a@example.com").fetch_all(&pool),
            User::query().where_eq("email_address", "a@example.com").fetch_all(&pool),
        ).await?;
        assert_eq!(found, ["a"]);
        // Integer literals for an i64 key; IN; order.
        let found = same(
            User::query().where_in(f.id, [a.id, c.id]).order_by(f.id, Order::Desc).fetch_all(&pool),
            User::query().where_in("id", [a.id, c.id]).order_by("id", Order::Desc).fetch_all(&pool),
        ).await?;
        assert_eq!(found, ["c", "a"]);
        let found = same(
            User::query().where_null(f.email).or_where_op(f.id, Op::Gt, c.id - 1).order_by(f.id, Order::Asc).fetch_all(&pool),
            User::query().where_null("email_address").or_where_op("id", Op::Gt, c.id - 1).order_by("id", Order::Asc).fetch_all(&pool),
        ).await?;
        assert_eq!(found, ["b", "c"]);
        // Expressions: and / or / not, like, is_in / not_in, is_null / is_not_null.
        let users = User::query()
            .filter(f.id.gt(a.id).and(f.email.is_not_null()).or(f.username.eq("a")))
            .order_by(f.id, Order::Asc)
            .fetch_all(&pool)
            .await?;
        assert_eq!(usernames(&users), ["a", "c"]);
        let users = User::query().filter(f.email.like("%@example.com").not()).fetch_all(&pool).await?;
        assert!(users.is_empty(), "NOT (NULL LIKE ..) is not true: {:?}", usernames(&users));
        let users = User::query()
            .filter(f.username.is_in(["a", "b"]).and(f.id.not_in([a.id])))
            .fetch_all(&pool)
            .await?;
        assert_eq!(usernames(&users), ["b"]);
        let users = User::query().filter(f.email.is_null()).or_filter(f.id.eq(c.id)).order_by(f.username, Order::Asc).fetch_all(&pool).await?;
        assert_eq!(usernames(&users), ["b", "c"]);
        let users = User::query().filter(f.id.ge(b.id).and(f.id.le(b.id)).and(f.id.ne(a.id)).and(f.id.lt(c.id))).fetch_all(&pool).await?;
        assert_eq!(usernames(&users), ["b"]);
        // An empty list matches nothing, or everything.
        assert!(User::query().filter(f.id.is_in(Vec::<i64>::new())).fetch_all(&pool).await?.is_empty());
        assert_eq!(User::query().filter(f.id.not_in(Vec::<i64>::new())).count(&pool).await?, 3);
        // Strings stay the escape hatch, checked when the query runs.
        let err = User::query().where_eq("usrname", "a").fetch_all(&pool).await;
        assert!(matches!(err, Err(orm::Error::UnknownColumn { .. })), "{err:?}");
        Ok(())
    }

    async fn typed_pivot_fields_in_every_closure(pool) {
        let [a, b, _c] = seed(&pool).await?;
        let (f, p) = (User::FIELDS, Proficiency::FIELDS);
        // preload_with: a pivot filter and a model order.
        let (users, statements) = common::count_statements(
            User::query()
                .order_by(f.id, Order::Asc)
                .preload_with(User::skills(), |q| q.where_pivot(p.proficiency, "master").order_by(Skill::FIELDS.name, Order::Asc))
                .fetch_all(&pool),
        )
        .await;
        let users = users?;
        assert_eq!(statements.count(), 2);
        let names = |u: &User| -> orm::Result<Vec<String>> {
            Ok(u.skills.get()?.iter().map(|s| s.name.clone()).collect())
        };
        assert_eq!((names(&users[0])?, names(&users[1])?), (vec!["rust".to_owned()], vec!["go".to_owned()]));
        // where_has with IN on the pivot; with_count_where with IS NULL on the pivot; where_group.
        let users = User::query()
            .where_has(User::skills(), |q| q.where_in_pivot(p.proficiency, ["beginner"]))
            .fetch_all(&pool)
            .await?;
        assert_eq!(usernames(&users), ["a"]);
        let users = User::query()
            .order_by(f.id, Order::Asc)
            .with_count_where(User::skills(), |q| q.where_null_pivot(p.proficiency))
            .where_group(|q| q.where_eq(f.username, "a").or_where_eq(f.username, "b"))
            .fetch_all(&pool)
            .await?;
        let counts = users.iter().map(|u| u.skills.count()).collect::<orm::Result<Vec<_>>>()?;
        assert_eq!(counts, [0, 1]);
        // The handle's queries: related rows and pivot rows, typed filter and order.
        let skills = b
            .related(User::skills())
            .query()
            .where_not_null_pivot(p.proficiency)
            .order_by_pivot(p.proficiency, Order::Asc)
            .pivot_columns([p.proficiency])
            .fetch_all(&pool)
            .await?;
        assert_eq!(skills.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["go"]);
        let rows = a
            .related(User::skills())
            .pivot_query()
            .where_pivot(p.proficiency, "beginner")
            .fetch_all(&pool)
            .await?;
        assert_eq!(rows.len(), 1);
        // Relations found by key: typed filters in their closures.
        let found = User::query()
            .where_has(User::skills(), |q| q.filter(Skill::FIELDS.name.eq("sql")))
            .fetch_all(&pool)
            .await?;
        assert_eq!(usernames(&found), ["b"]);
        Ok(())
    }

    async fn typed_fields_in_relations_found_by_key(pool) {
        create_tables(&pool).await?;
        let alice = Person::create(&pool, NewPerson { name: "alice".into(), invited_by: None }).await?;
        let posts = alice.related(Person::articles());
        posts
            .create_many(&pool, |author_id| {
                [("a1", true), ("a2", false), ("a3", true)].map(|(title, published)| NewArticle { author_id, title: title.into(), published })
            })
            .await?;
        let a = Article::FIELDS;
        let people = Person::query()
            .preload_with(Person::articles(), |q| q.filter(a.published.eq(true)).order_by(a.id, Order::Desc).limit(1))
            .with_count_where(Person::articles(), |q| q.where_eq(a.published, false))
            .where_has(Person::articles(), |q| q.where_in(a.title, ["a2"]))
            .fetch_all(&pool)
            .await?;
        assert_eq!(people.len(), 1);
        let latest: Vec<&str> = people[0].articles.get()?.iter().map(|x| x.title.as_str()).collect();
        assert_eq!(latest, ["a3"]);
        assert_eq!(posts.query().where_eq(a.published, true).count(&pool).await?, 2);
        Ok(())
    }
}
