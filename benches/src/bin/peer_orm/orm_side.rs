//! The `orm` contender: each workload written with this ORM's public API as its README shows it,
//! on any of the three backends, returning the ORM's own structs.

use orm::prelude::*;
use orm::{Backend, Bind, ModelRow, PivotRow, SyncReport};
use orm_peer_protocol::{Canon, Workload, data};

use crate::models::{Comment, Level, Post, Skill, User};
use crate::outcome::{Attached, Error, Outcome, sorted_ids};

/// W1 and W7: users `first..=last` by id, each with its skills and both pivot columns, in the
/// order the database gives (the canonical lines sort them after the clock stops, as Diesel's
/// contender does). With `PEER_ORM_ORDERED` set, the preload orders each user's skills by id
/// instead, as the hand-written floor's `ORDER BY p.user_id, p.skill_id` does: for measuring
/// what that order costs (`peers/NOTES.md`, W7).
pub async fn links<DB: Backend>(
    pool: &sqlx::Pool<DB>,
    first: i64,
    last: i64,
) -> orm::Result<Vec<User>>
where
    User: ModelRow<DB>,
    Skill: ModelRow<DB>,
    Level: PivotRow<DB>,
{
    User::query()
        .where_between(User::FIELDS.id, first, last)
        .order_by(User::FIELDS.id, Order::Asc)
        .preload_with(User::skills(), |q| {
            if ordered() {
                q.order_by(Skill::FIELDS.id, Order::Asc)
            } else {
                q
            }
        })
        .fetch_all(pool)
        .await
}

/// Whether `PEER_ORM_ORDERED` is set (see [`links`]).
fn ordered() -> bool {
    std::env::var_os("PEER_ORM_ORDERED").is_some()
}

/// W2: users `1..=size`, each with its top 3 skills by `years` desc, then skill id.
pub async fn top3<DB: Backend>(pool: &sqlx::Pool<DB>, size: i64) -> orm::Result<Vec<User>>
where
    User: ModelRow<DB>,
    Skill: ModelRow<DB>,
    Level: PivotRow<DB>,
{
    User::query()
        .where_between(User::FIELDS.id, 1, size)
        .order_by(User::FIELDS.id, Order::Asc)
        .preload_with(User::skills(), |q| {
            q.order_by_pivot(Level::FIELDS.years, Order::Desc)
                .order_by(Skill::FIELDS.id, Order::Asc)
                .limit(3)
        })
        .fetch_all(pool)
        .await
}

/// W3: users `1..=size` having a `master` skill, with the count of all their skills.
pub async fn masters<DB: Backend>(pool: &sqlx::Pool<DB>, size: i64) -> orm::Result<Vec<User>>
where
    &'static str: Bind<DB>,
    User: ModelRow<DB>,
    Skill: ModelRow<DB>,
    Level: PivotRow<DB>,
{
    User::query()
        .where_between(User::FIELDS.id, 1, size)
        .where_has(User::skills(), |q| {
            q.where_pivot(Level::FIELDS.proficiency, "master")
        })
        .with_count(User::skills())
        .order_by(User::FIELDS.id, Order::Asc)
        .fetch_all(pool)
        .await
}

/// W4: users `1..=size` -> their posts -> their comments, each level by id.
pub async fn threads<DB: Backend>(pool: &sqlx::Pool<DB>, size: i64) -> orm::Result<Vec<User>>
where
    User: ModelRow<DB>,
    Post: ModelRow<DB>,
    Comment: ModelRow<DB>,
{
    User::query()
        .where_between(User::FIELDS.id, 1, size)
        .order_by(User::FIELDS.id, Order::Asc)
        .preload_with(User::posts(), |q| {
            q.order_by(Post::FIELDS.id, Order::Asc)
                .preload_with(Post::comments(), |q| {
                    q.order_by(Comment::FIELDS.id, Order::Asc)
                })
        })
        .fetch_all(pool)
        .await
}

/// W5: each user `1..=size` in turn synced to `data::sync_target`, one `sync_with` (its own
/// transaction) per user.
pub async fn sync<DB: Backend>(
    pool: &sqlx::Pool<DB>,
    size: i64,
) -> orm::Result<Vec<(i64, SyncReport<i64>)>>
where
    User: ModelRow<DB>,
    Skill: ModelRow<DB>,
    Level: PivotRow<DB>,
{
    let mut reports = Vec::with_capacity(size as usize);
    for id in 1..=size {
        let target = data::sync_target(id).into_iter().map(|link| {
            let level = Level {
                proficiency: link.proficiency,
                years: link.years,
            };
            (link.skill_id, level)
        });
        let user = User::by_key(id);
        let report = user.related(User::skills()).sync_with(pool, target).await?;
        reports.push((id, report));
    }
    Ok(reports)
}

/// W6: `data::attach_rows(size)` attached to `data::ATTACH_USER` in one call; the keys attached.
pub async fn attach<DB: Backend>(pool: &sqlx::Pool<DB>, size: usize) -> orm::Result<Vec<i64>>
where
    User: ModelRow<DB>,
    Skill: ModelRow<DB>,
    Level: PivotRow<DB>,
{
    let rows = data::attach_rows(size).into_iter().map(|link| {
        let level = Level {
            proficiency: link.proficiency,
            years: link.years,
        };
        (link.skill_id, level)
    });
    User::by_key(data::ATTACH_USER)
        .related(User::skills())
        .attach_with(pool, rows)
        .await
}

/// W1, W2, W7: one line per link; with `sort`, each user's skills by id (W1, W7), else in the
/// order loaded (W2's top 3).
pub struct Links(pub Vec<User>, pub bool);

impl Outcome for Links {
    fn canon(&self) -> Result<Canon, Error> {
        let mut canon = Canon::default();
        for user in &self.0 {
            let mut skills: Vec<_> = user.skills.get()?.iter().collect();
            if self.1 {
                skills.sort_by_key(|skill| skill.id);
            }
            for skill in skills {
                let level = skill.pivot();
                canon.line(format!(
                    "u{}:s{}:{}:{}",
                    user.id, skill.id, level.proficiency, level.years
                ));
            }
        }
        Ok(canon)
    }
}

/// W3: one line per user with its count.
pub struct Counted(pub Vec<User>);

impl Outcome for Counted {
    fn canon(&self) -> Result<Canon, Error> {
        let mut canon = Canon::default();
        for user in &self.0 {
            canon.line(format!("u{}:{}", user.id, user.skills.count()?));
        }
        Ok(canon)
    }
}

/// W4: one line per comment.
pub struct Threads(pub Vec<User>);

impl Outcome for Threads {
    fn canon(&self) -> Result<Canon, Error> {
        let mut canon = Canon::default();
        for user in &self.0 {
            for post in user.posts.get()? {
                for comment in post.comments.get()? {
                    canon.line(format!(
                        "u{}:p{}:c{}:{}",
                        user.id, post.id, comment.id, comment.body
                    ));
                }
            }
        }
        Ok(canon)
    }
}

/// W5: one line per user with its diff.
pub struct Synced(pub Vec<(i64, SyncReport<i64>)>);

impl Outcome for Synced {
    fn canon(&self) -> Result<Canon, Error> {
        let mut canon = Canon::default();
        for (id, report) in &self.0 {
            canon.line(format!(
                "u{id}:a{}:d{}:u{}",
                sorted_ids(&report.attached),
                sorted_ids(&report.detached),
                sorted_ids(&report.updated)
            ));
        }
        Ok(canon)
    }
}

/// Runs `workload` once with the ORM and returns its result.
pub async fn run<DB: Backend>(
    pool: &sqlx::Pool<DB>,
    workload: Workload,
    size: usize,
) -> Result<Box<dyn Outcome>, Error>
where
    &'static str: Bind<DB>,
    User: ModelRow<DB>,
    Skill: ModelRow<DB>,
    Level: PivotRow<DB>,
    Post: ModelRow<DB>,
    Comment: ModelRow<DB>,
{
    let n = size as i64;
    let skewed = *data::SKEWED_USERS.start();
    Ok(match workload {
        Workload::W1 => Box::new(Links(links(pool, 1, n).await?, true)),
        Workload::W2 => Box::new(Links(top3(pool, n).await?, false)),
        Workload::W3 => Box::new(Counted(masters(pool, n).await?)),
        Workload::W4 => Box::new(Threads(threads(pool, n).await?)),
        Workload::W5 => Box::new(Synced(sync(pool, n).await?)),
        Workload::W6 => Box::new(Attached(attach(pool, size).await?)),
        Workload::W7 => Box::new(Links(links(pool, skewed, skewed + n - 1).await?, true)),
    })
}
