//! SQLite's fast read path (`orm::execute::raw`): queries, preloads and related queries read
//! their rows on sqlx's locked raw handle when the ORM knows every bound value's type and every
//! column's type, and through sqlx otherwise; the rows are the same either way. Each statement's
//! `orm::sql` event says which path read it (`raw`). Run on every backend: elsewhere nothing
//! reads raw, and the same reads return the same rows.

mod common;
use common::models;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use models::*;
use orm::prelude::*;
use tracing::field::{Field, Visit};
use tracing::instrument::WithSubscriber;
use tracing::{Event, Subscriber};
use tracing_subscriber::Registry;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// A column type only sqlx decodes (no raw reader): its model reads through sqlx.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillName(String);

impl<DB: sqlx::Database> sqlx::Type<DB> for SkillName
where
    String: sqlx::Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <String as sqlx::Type<DB>>::type_info()
    }

    fn compatible(ty: &DB::TypeInfo) -> bool {
        <String as sqlx::Type<DB>>::compatible(ty)
    }
}

impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for SkillName
where
    String: sqlx::Decode<'r, DB>,
{
    fn decode(value: DB::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(SkillName(<String as sqlx::Decode<'r, DB>>::decode(value)?))
    }
}

impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for SkillName
where
    String: sqlx::Encode<'q, DB>,
{
    fn encode_by_ref(
        &self,
        buf: &mut DB::ArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <String as sqlx::Encode<'q, DB>>::encode_by_ref(&self.0, buf)
    }
}

/// `skills` read with a column of a type the fast path does not know.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "skills")]
pub struct NamedSkill {
    pub id: i64,
    pub name: SkillName,
}

/// The `(first SQL word, raw)` of each `orm::sql` statement event.
#[derive(Clone, Default)]
struct Paths(Arc<Mutex<Vec<(String, bool)>>>);

impl Paths {
    fn taken(&self) -> Vec<(String, bool)> {
        self.0.lock().expect("paths lock").clone()
    }

    /// The raw flag of every SELECT, in order.
    fn selects(&self) -> Vec<bool> {
        self.taken()
            .into_iter()
            .filter(|(word, _)| word == "SELECT")
            .map(|(_, raw)| raw)
            .collect()
    }
}

impl<S: Subscriber> Layer<S> for Paths {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "orm::sql" {
            return;
        }
        #[derive(Default)]
        struct Seen(String, bool);
        impl Visit for Seen {
            fn record_bool(&mut self, field: &Field, value: bool) {
                if field.name() == "raw" {
                    self.1 = value;
                }
            }
            fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
                if field.name() == "sql" {
                    let text = format!("{value:?}");
                    self.0 = text.split_whitespace().next().unwrap_or("").to_owned();
                }
            }
        }
        let mut seen = Seen::default();
        event.record(&mut seen);
        self.0.lock().expect("paths lock").push((seen.0, seen.1));
    }
}

/// Runs `work` with the `orm::sql` events recorded.
async fn recorded<T>(work: impl std::future::Future<Output = T>) -> (T, Paths) {
    let paths = Paths::default();
    let subscriber = Registry::default().with(paths.clone());
    let done = work.with_subscriber(subscriber).await;
    (done, paths)
}

/// Whether this backend reads on the fast path.
fn fast<DB: orm::Backend>() -> bool {
    <DB as orm::Backend>::NAME == "sqlite"
}

/// `virk` (skills s1 as expert, s2 with no level, by the ORM's attach) and `romain` (s3), with one
/// post each.
async fn seed<DB>(pool: &sqlx::Pool<DB>) -> orm::Result<(User, User)>
where
    DB: orm::Backend,
    User: orm::ModelRow<DB>,
    Skill: orm::ModelRow<DB>,
    Group: orm::ModelRow<DB>,
    Post: orm::ModelRow<DB>,
    Proficiency: orm::PivotRow<DB>,
{
    let virk = user_with_skills_and_groups(pool, "virk", 3, 0).await?;
    let romain = User::create(
        pool,
        NewUser {
            username: "romain".into(),
            email: Some("romain@example.com".into()),
        },
    )
    .await?;
    virk.related(User::skills())
        .attach_with(
            pool,
            [
                (1, Proficiency::new("expert")),
                (2, Proficiency { proficiency: None }),
            ],
        )
        .await?;
    romain.related(User::skills()).attach(pool, [3]).await?;
    for (author, title) in [(&virk, "on pivots"), (&romain, "on preloads")] {
        Post::create(
            pool,
            NewPost {
                author_id: author.id,
                editor_id: None,
                title: title.into(),
            },
        )
        .await?;
    }
    Ok((virk, romain))
}

fn names(user: &User) -> Vec<(String, Option<String>)> {
    user.skills
        .get()
        .expect("skills loaded")
        .iter()
        .map(|s| (s.name.clone(), s.pivot().proficiency.clone()))
        .collect()
}

backend_tests! {
    async fn a_query_its_preloads_and_a_related_query_read_raw_on_sqlite(pool) {
        let (virk, romain) = seed(&pool).await?;
        let (done, paths) = recorded(async {
            let users = User::query()
                .where_in(User::FIELDS.id, vec![virk.id, romain.id])
                .order_by(User::FIELDS.id, Order::Asc)
                .preload_with(User::skills(), |q| {
                    q.pivot_columns(["created_at"]).order_by(Skill::FIELDS.id, Order::Asc)
                })
                .fetch_all(&pool)
                .await?;
            let related = virk
                .related(User::skills())
                .query()
                .where_pivot(Proficiency::FIELDS.proficiency, "expert")
                .fetch_all(&pool)
                .await?;
            let posts = Post::query()
                .order_by(Post::FIELDS.id, Order::Asc)
                .preload(Post::author())
                .fetch_all(&pool)
                .await?;
            orm::Result::<_>::Ok((users, related, posts))
        })
        .await;
        let (users, related, posts) = done?;
        assert_eq!(users.len(), 2);
        assert_eq!(users[0].username, "virk");
        assert_eq!(users[0].email, None);
        assert_eq!(names(&users[0]), [("s1".into(), Some("expert".into())), ("s2".into(), None)]);
        assert_eq!(users[1].email.as_deref(), Some("romain@example.com"));
        assert_eq!(names(&users[1]), [("s3".into(), None)]);
        // A pivot column asked for at run time is an extra, read by the raw path's dynamic reader.
        let first = &users[0].skills.get().expect("skills loaded")[0];
        assert_eq!(first.extras().value("pivot_user_id"), Some(orm::ExtraValue::Int(virk.id)));
        let created = first.extras().value("pivot_created_at").expect("a created_at extra");
        assert_ne!(created, orm::ExtraValue::Null);
        assert_eq!(related.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["s1"]);
        let authors: Vec<&str> = posts
            .iter()
            .map(|p| p.author.get().expect("author loaded").expect("an author").username.as_str())
            .collect();
        assert_eq!(authors, ["virk", "romain"]);
        // users, their skills, the related query, posts, their authors: five SELECTs, each read
        // raw on SQLite and through sqlx elsewhere.
        assert_eq!(paths.selects(), [fast::<DB>(); 5]);
        Ok(())
    }

    async fn reads_the_fast_path_cannot_bind_or_decode_go_through_sqlx(pool) {
        let (virk, _) = seed(&pool).await?;
        let (done, paths) = recorded(async {
            // A column of a type without a raw reader.
            let own_column = NamedSkill::query()
                .order_by(NamedSkill::FIELDS.id, Order::Asc)
                .fetch_all(&pool)
                .await?;
            // A bound value of a type the ORM does not know.
            let own_value = NamedSkill::query()
                .where_eq(NamedSkill::FIELDS.name, SkillName("s2".into()))
                .fetch_all(&pool)
                .await?;
            // Two posts by one author: the author's row goes to both parents.
            Post::create(
                &pool,
                NewPost { author_id: virk.id, editor_id: None, title: "again".into() },
            )
            .await?;
            let shared_key = Post::query()
                .where_eq(Post::FIELDS.author_id, virk.id)
                .preload(Post::author())
                .fetch_all(&pool)
                .await?;
            orm::Result::<_>::Ok((own_column, own_value, shared_key))
        })
        .await;
        let (own_column, own_value, shared_key) = done?;
        let names: Vec<&str> = own_column.iter().map(|s| s.name.0.as_str()).collect();
        assert_eq!(names, ["s1", "s2", "s3"]);
        assert_eq!(own_value.len(), 1);
        assert_eq!(own_value[0].name, SkillName("s2".into()));
        assert_eq!(shared_key.len(), 2);
        for post in &shared_key {
            let author = post.author.get().expect("author loaded");
            assert_eq!(author.expect("an author").username, "virk");
        }
        // The posts themselves read raw on SQLite; nothing else does.
        assert_eq!(paths.selects(), [false, false, fast::<DB>(), false]);
        Ok(())
    }

    async fn a_raw_read_in_the_callers_transaction_sees_its_writes(pool) {
        let mut tx = pool.begin().await?;
        Skill::create(&mut *tx, NewSkill { name: "uncommitted".into() }).await?;
        let (seen, paths) = recorded(Skill::query().fetch_all(&mut *tx)).await;
        assert_eq!(seen?.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["uncommitted"]);
        assert_eq!(paths.selects(), [fast::<DB>()]);
        tx.rollback().await?;
        assert!(Skill::query().fetch_all(&pool).await?.is_empty());
        Ok(())
    }

    async fn reads_cancelled_mid_rows_leave_the_connections_usable(pool) {
        Skill::insert_many(&pool, (0..5_000).map(|i| NewSkill { name: format!("s{i}") })).await?;
        let mut cancelled = 0;
        for i in 0..40_u64 {
            let read = Skill::query().order_by(Skill::FIELDS.id, Order::Asc).fetch_all(&pool);
            // 0-3 ms: mostly inside the read of the 5,000 rows.
            match tokio::time::timeout(Duration::from_micros(250 * (i % 13)), read).await {
                Err(_) => cancelled += 1,
                Ok(read) => assert_eq!(read?.len(), 5_000),
            }
        }
        assert!(cancelled > 0, "no read was cancelled");
        // Every pooled connection (the test pool holds 5) reads as before.
        let mut held = Vec::new();
        for _ in 0..5 {
            held.push(pool.acquire().await?);
        }
        for conn in &mut held {
            let read = Skill::query().where_eq(Skill::FIELDS.name, "s4999").fetch_all(&mut **conn);
            assert_eq!(read.await?.len(), 1);
        }
        drop(held);
        Skill::create(&pool, NewSkill { name: "after".into() }).await?;
        assert_eq!(Skill::query().count(&pool).await?, 5_001);
        Ok(())
    }

    async fn a_value_that_does_not_fit_its_field_is_a_decode_error_naming_it(pool) {
        // `posts.editor_id` NULL read into a non-`Option` field.
        seed(&pool).await?;
        let err = StrictPost::query().fetch_all(&pool).await.expect_err("NULL in a required field");
        assert!(matches!(err, orm::Error::Decode { model: "StrictPost", column: "editor_id", .. }), "{err:?}");
        // NULL in an `Option` pivot column reads as `None`.
        sqlx::query("UPDATE skill_user SET proficiency = NULL").execute(&pool).await?;
        let users = User::query().preload(User::skills()).fetch_all(&pool).await?;
        assert!(users.iter().flat_map(|u| u.skills.get().expect("loaded").iter()).all(|s| s.pivot().proficiency.is_none()));
        Ok(())
    }
}
