//! Every relation kind on one relation layer (has_one, has_many, belongs_to beside
//! many_to_many): preload with per-parent limits and nesting across kinds, with_count and
//! where_has as subqueries, self-references, two relations to one table, the handles, and a
//! preload of 70,000 parents per kind, on every backend.

mod common;
use common::models;

use models::*;
use orm::prelude::*;

/// The seed's rows, by name.
struct Seed {
    alice: Person,
    bob: Person,
    carol: Person,
    dave: Person,
}

/// alice (invited by nobody) invited bob and carol; bob invited dave. alice and bob have
/// profiles. alice wrote a1 (published), a2, a3; bob wrote b1. a1 has an approved and a
/// pending remark, b1 an approved one. Messages: alice -> bob, bob -> alice, alice -> carol.
/// Categories: root1 > child1 > grandchild1, root1 > child2, root2. Teams: t1 {alice, bob},
/// t2 {carol}.
async fn seed<E>(exec: E) -> orm::Result<Seed>
where
    E: orm::Executor,
    Person: orm::ModelRow<E::Backend>,
    ProfileInfo: orm::ModelRow<E::Backend>,
    Article: orm::ModelRow<E::Backend>,
    Remark: orm::ModelRow<E::Backend>,
    Message: orm::ModelRow<E::Backend>,
    Category: orm::ModelRow<E::Backend>,
    Team: orm::ModelRow<E::Backend>,
    TeamMembersRelation: orm::ManyToManyOn<E::Backend>,
    Person: orm::schema::ModelTable<E::Backend>,
    ProfileInfo: orm::schema::ModelTable<E::Backend>,
    Article: orm::schema::ModelTable<E::Backend>,
    Remark: orm::schema::ModelTable<E::Backend>,
    Message: orm::schema::ModelTable<E::Backend>,
    Category: orm::schema::ModelTable<E::Backend>,
    Team: orm::schema::ModelTable<E::Backend>,
{
    let mut conn = exec.acquire().await?;
    create_tables(&mut conn).await?;
    let person = |name: &str, invited_by: Option<i64>| NewPerson {
        name: name.into(),
        invited_by,
    };
    let alice = Person::create(&mut conn, person("alice", None)).await?;
    let bob = Person::create(&mut conn, person("bob", Some(alice.id))).await?;
    let carol = Person::create(&mut conn, person("carol", Some(alice.id))).await?;
    let dave = Person::create(&mut conn, person("dave", Some(bob.id))).await?;
    for (who, metadata) in [(&alice, "likes rust"), (&bob, "likes go")] {
        ProfileInfo::create(
            &mut conn,
            NewProfileInfo {
                person_id: who.id,
                metadata: Some(metadata.into()),
            },
        )
        .await?;
    }
    let article = |author: &Person, title: &str, published: bool| NewArticle {
        author_id: author.id,
        title: title.into(),
        published,
    };
    let a1 = Article::create(&mut conn, article(&alice, "a1", true)).await?;
    Article::create(&mut conn, article(&alice, "a2", false)).await?;
    Article::create(&mut conn, article(&alice, "a3", true)).await?;
    let b1 = Article::create(&mut conn, article(&bob, "b1", true)).await?;
    for (on, body, approved) in [(&a1, "r1", true), (&a1, "r2", false), (&b1, "r3", true)] {
        Remark::create(
            &mut conn,
            NewRemark {
                article_id: on.id,
                body: body.into(),
                approved,
            },
        )
        .await?;
    }
    for (from, to, body) in [
        (&alice, &bob, "hi bob"),
        (&bob, &alice, "hi alice"),
        (&alice, &carol, "hi carol"),
    ] {
        Message::create(
            &mut conn,
            NewMessage {
                sender_id: from.id,
                receiver_id: to.id,
                body: body.into(),
            },
        )
        .await?;
    }
    let category = |name: &str, parent_id: Option<i64>| NewCategory {
        name: name.into(),
        parent_id,
    };
    let root1 = Category::create(&mut conn, category("root1", None)).await?;
    let child1 = Category::create(&mut conn, category("child1", Some(root1.id))).await?;
    Category::create(&mut conn, category("grandchild1", Some(child1.id))).await?;
    Category::create(&mut conn, category("child2", Some(root1.id))).await?;
    Category::create(&mut conn, category("root2", None)).await?;
    let t1 = Team::create(&mut conn, NewTeam { name: "t1".into() }).await?;
    let t2 = Team::create(&mut conn, NewTeam { name: "t2".into() }).await?;
    t1.related(Team::members())
        .attach(&mut conn, [alice.id, bob.id])
        .await?;
    t2.related(Team::members())
        .attach(&mut conn, [carol.id])
        .await?;
    Ok(Seed {
        alice,
        bob,
        carol,
        dave,
    })
}

fn titles(articles: &[Article]) -> Vec<&str> {
    articles.iter().map(|a| a.title.as_str()).collect()
}

fn names(people: &[Person]) -> Vec<&str> {
    people.iter().map(|p| p.name.as_str()).collect()
}

backend_tests! {
    async fn preload_of_every_kind_is_one_statement_per_relation(pool) {
        let s = seed(&pool).await?;
        let (people, statements) = common::count_statements(
            Person::query()
                .order_by("id", Order::Asc)
                .preload(Person::profile())
                .preload(Person::inviter())
                .preload_with(Person::invitees(), |q| q.order_by("id", Order::Asc))
                .preload_with(Person::articles(), |q| q.order_by("id", Order::Asc))
                .fetch_all(&pool),
        )
        .await;
        let people = people?;
        assert_eq!(statements.count(), 1 + 4, "{:?}", statements.all());
        let [alice, bob, carol, dave] = &people[..] else {
            return Err(format!("four people, got {}", people.len()).into());
        };
        // has_one: Some, or None (loaded) for a parent without one.
        assert_eq!(alice.profile.get()?.map(|p| p.metadata.as_deref()), Some(Some("likes rust")));
        assert_eq!(carol.profile.get()?, None);
        assert!(carol.profile.is_loaded());
        // belongs_to through a nullable key: a null key is None.
        assert_eq!(alice.inviter.get()?, None);
        assert_eq!(bob.inviter.get()?.map(|p| p.id), Some(s.alice.id));
        assert_eq!(dave.inviter.get()?.map(|p| p.name.as_str()), Some("bob"));
        // has_many on the same table: empty lists for parents without rows.
        assert_eq!(names(alice.invitees.get()?), ["bob", "carol"]);
        assert!(dave.invitees.get()?.is_empty());
        // has_one to itself, the first by the closure's order.
        let firsts = Person::query()
            .order_by("id", Order::Asc)
            .preload_with(Person::first_invitee(), |q| q.order_by("id", Order::Desc))
            .fetch_all(&pool)
            .await?;
        let first = |i: usize| firsts[i].first_invitee.get().map(|p| p.map(|p| p.name.clone()));
        assert_eq!((first(0)?, first(1)?, first(3)?), (Some("carol".into()), Some("dave".into()), None));
        assert_eq!(titles(alice.articles.get()?), ["a1", "a2", "a3"]);
        assert_eq!(titles(bob.articles.get()?), ["b1"]);
        assert_eq!(alice.articles.count()?, 3);
        assert!(carol.articles.get()?.is_empty());
        Ok(())
    }

    async fn null_keys_are_never_sent_and_no_parents_send_nothing(pool) {
        let s = seed(&pool).await?;
        // Only alice: her inviter key is null, so the inviter level sends no statement.
        let (roots, statements) = common::count_statements(
            Person::query().where_null("invited_by").preload(Person::inviter()).fetch_all(&pool),
        )
        .await;
        let roots = roots?;
        assert_eq!(statements.count(), 1, "{:?}", statements.all());
        assert_eq!(roots.len(), 1);
        assert_eq!(roots[0].id, s.alice.id);
        assert_eq!(roots[0].inviter.get()?, None);
        // No parents: no statement for any level.
        let (none, statements) = common::count_statements(
            Person::query()
                .where_eq("name", "nobody")
                .preload(Person::articles())
                .preload(Person::profile())
                .fetch_all(&pool),
        )
        .await;
        assert!(none?.is_empty());
        assert_eq!(statements.count(), 1);
        Ok(())
    }

    async fn nested_preload_across_kinds_is_one_statement_per_level(pool) {
        seed(&pool).await?;
        // Team -> members (many_to_many) -> articles (has_many) -> remarks (has_many): 1 + 3.
        let (teams, statements) = common::count_statements(
            Team::query()
                .order_by("id", Order::Asc)
                .preload_with(Team::members(), |m| {
                    m.order_by("id", Order::Asc).preload_with(Person::articles(), |a| {
                        a.order_by("id", Order::Asc)
                            .preload_with(Article::remarks(), |r| r.order_by("id", Order::Asc))
                    })
                })
                .fetch_all(&pool),
        )
        .await;
        let teams = teams?;
        assert_eq!(statements.count(), 1 + 3, "{:?}", statements.all());
        let members = teams[0].members.get()?;
        assert_eq!(members.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["alice", "bob"]);
        let alice_articles = members[0].articles.get()?;
        assert_eq!(titles(alice_articles), ["a1", "a2", "a3"]);
        let remarks: Vec<&str> = alice_articles[0].remarks.get()?.iter().map(|r| r.body.as_str()).collect();
        assert_eq!(remarks, ["r1", "r2"]);
        assert!(alice_articles[1].remarks.get()?.is_empty());
        assert_eq!(members[1].articles.get()?[0].remarks.get()?.len(), 1);
        let carol = &teams[1].members.get()?[0];
        assert!(carol.articles.get()?.is_empty());

        // A self-referencing tree, three levels: roots -> children -> children.
        let (roots, statements) = common::count_statements(
            Category::query()
                .where_null("parent_id")
                .order_by("id", Order::Asc)
                .preload_with(Category::children(), |c| {
                    c.order_by("id", Order::Asc).preload_with(Category::children(), |g| g.order_by("id", Order::Asc))
                })
                .fetch_all(&pool),
        )
        .await;
        let roots = roots?;
        assert_eq!(statements.count(), 1 + 2, "{:?}", statements.all());
        let children = roots[0].children.get()?;
        assert_eq!(children.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["child1", "child2"]);
        assert_eq!(children[0].children.get()?.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["grandchild1"]);
        assert!(children[1].children.get()?.is_empty());
        assert!(roots[1].children.get()?.is_empty());

        // Up the tree: belongs_to nested in belongs_to.
        let leaf = Category::query()
            .where_eq("name", "grandchild1")
            .preload_with(Category::parent(), |p| p.preload(Category::parent()))
            .fetch_one(&pool)
            .await?;
        let parent = leaf.parent.get()?.ok_or("grandchild1 has a parent")?;
        assert_eq!(parent.name, "child1");
        assert_eq!(parent.parent.get()?.map(|p| p.name.as_str()), Some("root1"));
        Ok(())
    }

    async fn preload_with_limits_each_parent_and_keeps_closure_filters_grouped(pool) {
        let s = seed(&pool).await?;
        // The two latest articles of each person, each with its approved remarks.
        let (people, statements) = common::count_statements(
            Person::query()
                .order_by("id", Order::Asc)
                .preload_with(Person::articles(), |q| {
                    q.order_by("id", Order::Desc)
                        .limit(2)
                        .preload_with(Article::remarks(), |r| r.where_eq("approved", true))
                })
                .fetch_all(&pool),
        )
        .await;
        let people = people?;
        assert_eq!(statements.count(), 3, "{:?}", statements.all());
        assert_eq!(titles(people[0].articles.get()?), ["a3", "a2"]);
        assert_eq!(titles(people[1].articles.get()?), ["b1"]);
        let b1_remarks = people[1].articles.get()?[0].remarks.get()?;
        assert_eq!(b1_remarks.iter().map(|r| r.body.as_str()).collect::<Vec<_>>(), ["r3"]);
        // offset per parent
        let people = Person::query()
            .where_eq("id", s.alice.id)
            .preload_with(Person::articles(), |q| q.order_by("id", Order::Asc).offset(1))
            .fetch_all(&pool)
            .await?;
        assert_eq!(titles(people[0].articles.get()?), ["a2", "a3"]);
        // An OR in the closure stays inside each parent's rows.
        let people = Person::query()
            .order_by("id", Order::Asc)
            .preload_with(Person::articles(), |q| {
                q.where_eq("title", "a2").or_where_eq("title", "b1").order_by("id", Order::Asc)
            })
            .fetch_all(&pool)
            .await?;
        assert_eq!(titles(people[0].articles.get()?), ["a2"]);
        assert_eq!(titles(people[1].articles.get()?), ["b1"]);
        assert!(people[2].articles.get()?.is_empty());
        Ok(())
    }

    async fn two_relations_to_one_table_and_shared_owners(pool) {
        let s = seed(&pool).await?;
        let (messages, statements) = common::count_statements(
            Message::query()
                .order_by("id", Order::Asc)
                .preload(Message::sender())
                .preload(Message::receiver())
                .fetch_all(&pool),
        )
        .await;
        let messages = messages?;
        assert_eq!(statements.count(), 3, "{:?}", statements.all());
        let pairs: Vec<(&str, &str)> = messages
            .iter()
            .map(|m| {
                (
                    m.sender.get().ok().flatten().map_or("?", |p| p.name.as_str()),
                    m.receiver.get().ok().flatten().map_or("?", |p| p.name.as_str()),
                )
            })
            .collect();
        assert_eq!(pairs, [("alice", "bob"), ("bob", "alice"), ("alice", "carol")]);

        let (people, statements) = common::count_statements(
            Person::query()
                .order_by("id", Order::Asc)
                .with_count(Person::sent())
                .with_count(Person::received())
                .with_count_where(Person::articles(), |q| q.where_eq("published", true))
                .fetch_all(&pool),
        )
        .await;
        let people = people?;
        assert_eq!(statements.count(), 1, "counts are subqueries: {:?}", statements.all());
        let counts: Vec<(i64, i64, i64)> = people
            .iter()
            .map(|p| Ok((p.sent.count()?, p.received.count()?, p.articles.count()?)))
            .collect::<orm::Result<_>>()?;
        assert_eq!(counts, [(2, 1, 2), (1, 1, 1), (0, 1, 0), (0, 0, 0)]);
        assert!(people[0].articles.get().is_err(), "counted, not loaded");
        // with_count on has_one and belongs_to: 0 or 1.
        let people = Person::query()
            .order_by("id", Order::Asc)
            .with_count(Person::profile())
            .with_count(Person::inviter())
            .fetch_all(&pool)
            .await?;
        assert!(people[0].profile.exists()? && !people[0].inviter.exists()?);
        assert!(!people[2].profile.exists()? && people[2].inviter.exists()?);
        assert_eq!(people[3].id, s.dave.id);
        Ok(())
    }

    async fn where_has_nests_and_self_references_do_not_shadow(pool) {
        let s = seed(&pool).await?;
        let ids = |people: Vec<Person>| people.into_iter().map(|p| p.id).collect::<Vec<_>>();
        let (with_approved, statements) = common::count_statements(
            Person::query()
                .order_by("id", Order::Asc)
                .where_has(Person::articles(), |q| {
                    q.where_has(Article::remarks(), |r| r.where_eq("approved", true))
                })
                .fetch_all(&pool),
        )
        .await;
        assert_eq!(statements.count(), 1);
        assert_eq!(ids(with_approved?), [s.alice.id, s.bob.id]);
        let without = Person::query()
            .order_by("id", Order::Asc)
            .where_doesnt_have(Person::articles(), |q| q)
            .fetch_all(&pool)
            .await?;
        assert_eq!(ids(without), [s.carol.id, s.dave.id]);
        // belongs_to and has_one in where_has.
        let invited_by_alice = Person::query()
            .order_by("id", Order::Asc)
            .where_has(Person::inviter(), |q| q.where_eq("name", "alice"))
            .fetch_all(&pool)
            .await?;
        assert_eq!(ids(invited_by_alice), [s.bob.id, s.carol.id]);
        let with_profile = Person::query()
            .where_has(Person::profile(), |q| q.where_eq("metadata", "likes go"))
            .fetch_all(&pool)
            .await?;
        assert_eq!(ids(with_profile), [s.bob.id]);
        // The same self-relation nested in itself: categories with grandchildren.
        let with_grandchildren = Category::query()
            .where_has(Category::children(), |q| q.where_has(Category::children(), |g| g))
            .fetch_all(&pool)
            .await?;
        assert_eq!(with_grandchildren.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["root1"]);
        let leaves = Category::query()
            .order_by("id", Order::Asc)
            .where_doesnt_have(Category::children(), |q| q)
            .where_has(Category::parent(), |p| p.where_has(Category::parent(), |g| g.where_eq("name", "root1")))
            .fetch_all(&pool)
            .await?;
        assert_eq!(leaves.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["grandchild1"]);
        // Across kinds: teams with a member who wrote a published article.
        let teams = Team::query()
            .where_has(Team::members(), |m| m.where_has(Person::articles(), |a| a.where_eq("published", true)))
            .fetch_all(&pool)
            .await?;
        assert_eq!(teams.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["t1"]);
        Ok(())
    }

    async fn has_many_handle_reads_and_writes_only_its_parent(pool) {
        let s = seed(&pool).await?;
        let articles = s.carol.related(Person::articles());
        let created = articles
            .create(&pool, |author_id| NewArticle { author_id, title: "c1".into(), published: false })
            .await?;
        assert_eq!(created.author_id, s.carol.id);
        let more = articles
            .create_many(&pool, |author_id| {
                ["c2", "c3"].map(|title| NewArticle { author_id, title: title.into(), published: true })
            })
            .await?;
        assert_eq!(titles(&more), ["c2", "c3"]);
        // An OR never reaches another parent's rows.
        let mine = articles
            .query()
            .where_eq("published", true)
            .or_where_eq("title", "a1")
            .order_by("id", Order::Asc)
            .fetch_all(&pool)
            .await?;
        assert_eq!(titles(&mine), ["c2", "c3"]);
        assert_eq!(articles.query().count(&pool).await?, 3);
        // save: point alice's a1 at carol.
        let mut a1 = Article::query().where_eq("title", "a1").fetch_one(&pool).await?;
        a1.title = "a1 (moved)".into();
        articles.save(&pool, &mut a1).await?;
        assert_eq!(a1.author_id, s.carol.id);
        let stored = Article::find(&pool, a1.id).await?.ok_or("a1 exists")?;
        assert_eq!((stored.author_id, stored.title.as_str()), (s.carol.id, "a1 (moved)"));
        assert_eq!(s.alice.related(Person::articles()).query().count(&pool).await?, 2);
        // save_many is atomic: a missing row writes none of them.
        let mut a2 = Article::query().where_eq("title", "a2").fetch_one(&pool).await?;
        let mut ghost = a2.clone();
        ghost.id = 999_999;
        let mut batch = [a2.clone(), ghost];
        let err = s.dave.related(Person::articles()).save_many(&pool, &mut batch).await;
        assert!(matches!(err, Err(orm::Error::NotFound { .. })), "{err:?}");
        let stored = Article::find(&pool, a2.id).await?.ok_or("a2 exists")?;
        assert_eq!(stored.author_id, s.alice.id, "rolled back");
        s.dave.related(Person::articles()).save_many(&pool, std::slice::from_mut(&mut a2)).await?;
        assert_eq!(Article::find(&pool, a2.id).await?.map(|a| a.author_id), Some(s.dave.id));
        Ok(())
    }

    async fn has_one_and_belongs_to_handles(pool) {
        let mut s = seed(&pool).await?;
        let profile = s.carol.related(Person::profile());
        assert_eq!(profile.fetch(&pool).await?, None);
        let created = profile
            .create(&pool, |person_id| NewProfileInfo { person_id, metadata: Some("new".into()) })
            .await?;
        assert_eq!(profile.fetch(&pool).await?.map(|p| p.id), Some(created.id));
        assert_eq!(profile.query().count(&pool).await?, 1);
        // has_one save: move bob's profile to dave.
        let mut bobs = s.bob.related(Person::profile()).fetch(&pool).await?.ok_or("bob has a profile")?;
        s.dave.related(Person::profile()).save(&pool, &mut bobs).await?;
        assert_eq!(s.bob.related(Person::profile()).fetch(&pool).await?, None);
        // A second row for a has_one: preload and fetch agree on the first by primary key.
        let second = s.carol.related(Person::profile())
            .create(&pool, |person_id| NewProfileInfo { person_id, metadata: Some("second".into()) })
            .await?;
        assert!(second.id > created.id);
        let (carol, statements) = common::count_statements(
            Person::query().where_eq("id", s.carol.id).preload(Person::profile()).fetch_one(&pool),
        )
        .await;
        assert_eq!(carol?.profile.get()?.map(|p| p.id), Some(created.id));
        assert!(statements.queries()[1].contains("ORDER BY"), "{:?}", statements.all());
        assert_eq!(profile.fetch(&pool).await?.map(|p| p.id), Some(created.id));
        // belongs_to reads.
        let owner = created.related(ProfileInfo::person()).fetch(&pool).await?;
        assert_eq!(owner.map(|p| p.id), Some(s.carol.id));
        assert_eq!(s.alice.related(Person::inviter()).fetch(&pool).await?, None);
        // associate / dissociate set the key in memory and in the row.
        s.dave.related_mut(Person::inviter()).associate(&pool, &s.carol).await?;
        assert_eq!(s.dave.invited_by, Some(s.carol.id));
        let stored = Person::find(&pool, s.dave.id).await?.ok_or("dave exists")?;
        assert_eq!(stored.invited_by, Some(s.carol.id));
        s.dave.related_mut(Person::inviter()).dissociate(&pool).await?;
        assert_eq!(s.dave.invited_by, None);
        let stored = Person::find(&pool, s.dave.id).await?.ok_or("dave exists")?;
        assert_eq!(stored.invited_by, None);
        // A key that is not an Option cannot be dissociated: a typed error, nothing written.
        let mut a1 = Article::query().where_eq("title", "a1").fetch_one(&pool).await?;
        let err = a1.related_mut(Article::author()).dissociate(&pool).await;
        match err {
            Err(orm::Error::InvalidInput { model, relation, reason, .. }) => {
                assert_eq!((model, relation), ("Article", "author"));
                assert!(reason.contains("author_id"), "{reason}");
            }
            other => return Err(format!("expected InvalidInput, got {other:?}").into()),
        }
        assert_eq!(a1.author_id, s.alice.id);
        // A parent row that does not exist: NotFound, and the key in memory is unchanged.
        let mut ghost = s.bob.clone();
        ghost.id = 999_999;
        let err = ghost.related_mut(Person::inviter()).associate(&pool, &s.carol).await;
        assert!(matches!(err, Err(orm::Error::NotFound { .. })), "{err:?}");
        assert_eq!(ghost.invited_by, Some(s.alice.id));
        Ok(())
    }

    async fn preload_of_seventy_thousand_parents_for_each_kind(pool) {
        const N: usize = 70_000;
        create_tables(&pool).await?;
        Person::insert_many(&pool, (0..N).map(|i| NewPerson { name: format!("p{i}"), invited_by: None })).await?;
        let people = Person::query().order_by("id", Order::Asc).fetch_all(&pool).await?;
        assert_eq!(people.len(), N);
        ProfileInfo::insert_many(&pool, people.iter().map(|p| NewProfileInfo { person_id: p.id, metadata: None })).await?;
        Article::insert_many(
            &pool,
            people.iter().step_by(2).map(|p| NewArticle { author_id: p.id, title: format!("by {}", p.name), published: true }),
        )
        .await?;
        let (people, statements) = common::count_statements(
            Person::query().preload(Person::profile()).preload(Person::articles()).fetch_all(&pool),
        )
        .await;
        let people = people?;
        assert_eq!(statements.count(), 1 + 2, "one statement per relation for 70,000 parents");
        let mut with_profile = 0;
        let mut articles = 0;
        for p in &people {
            if p.profile.get()?.is_some_and(|profile| profile.person_id == p.id) {
                with_profile += 1;
            }
            articles += p.articles.get()?.iter().filter(|a| a.author_id == p.id).count();
        }
        assert_eq!((with_profile, articles), (N, N / 2));
        let (profiles, statements) = common::count_statements(
            ProfileInfo::query().preload(ProfileInfo::person()).fetch_all(&pool),
        )
        .await;
        let profiles = profiles?;
        assert_eq!(statements.count(), 2);
        let owned = profiles
            .iter()
            .filter(|pr| pr.person.get().ok().flatten().is_some_and(|p| p.id == pr.person_id))
            .count();
        assert_eq!(owned, N);
        Ok(())
    }
}
