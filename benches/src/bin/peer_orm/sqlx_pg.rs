//! The `sqlx` contender on PostgreSQL: one statement per relation level with the parent keys as
//! one `= ANY($1)` array (planned per execution, as a cached generic plan misjudges large
//! lists), a sync in one transaction, multi-row inserts chunked under the bind limit. `n` counts
//! the statements sent, transaction control included.

use orm_peer_protocol::data;
use sqlx::{PgPool, Postgres, QueryBuilder};

use crate::sqlx_side::{
    CommentRow, Counted, Links, PostRow, SkillLink, Synced, Threads, UserRow, group, plan,
};

/// PostgreSQL's bound-parameter limit.
const BIND_LIMIT: usize = 65_535;

/// The users of a range, by id.
const USERS: &str = "SELECT id, username FROM users WHERE id BETWEEN $1 AND $2 ORDER BY id";

/// W1 / W7: every link of the users in the array `$1`, by user then skill.
const LINKS: &str = "SELECT p.user_id, s.id, s.name, p.proficiency, p.years \
     FROM skill_user p JOIN skills s ON s.id = p.skill_id \
     WHERE p.user_id = ANY($1) ORDER BY p.user_id, p.skill_id";

/// W2: the top 3 links per user by years desc, then skill id.
const TOP3: &str = "SELECT user_id, id, name, proficiency, years FROM ( \
     SELECT p.user_id, s.id, s.name, p.proficiency, p.years, ROW_NUMBER() OVER ( \
       PARTITION BY p.user_id ORDER BY p.years DESC, s.id) AS rank \
     FROM skill_user p JOIN skills s ON s.id = p.skill_id \
     WHERE p.user_id = ANY($1)) ranked \
     WHERE rank <= 3 ORDER BY user_id, rank";

/// W3: users of a range with a skill at `$3`, with their skill count.
const MASTERS: &str = "SELECT u.id, u.username, \
     (SELECT COUNT(*) FROM skill_user c WHERE c.user_id = u.id) AS skills \
     FROM users u WHERE u.id BETWEEN $1 AND $2 \
     AND EXISTS (SELECT 1 FROM skill_user m WHERE m.user_id = u.id AND m.proficiency = $3) \
     ORDER BY u.id";

/// W1, W2, W7: the users `first..=last`, then their links (each user's top 3 with `top3`).
pub async fn links(
    pool: &PgPool,
    first: i64,
    last: i64,
    top3: bool,
    n: &mut usize,
) -> sqlx::Result<Links> {
    let users: Vec<UserRow> = sqlx::query_as(USERS)
        .bind(first)
        .bind(last)
        .fetch_all(pool)
        .await?;
    *n += 1;
    if users.is_empty() {
        return Ok(Links(Vec::new()));
    }
    let keys: Vec<i64> = users.iter().map(|u| u.id).collect();
    let sql = if top3 { TOP3 } else { LINKS };
    let skills: Vec<SkillLink> = sqlx::query_as(sql)
        .bind(keys)
        .persistent(false)
        .fetch_all(pool)
        .await?;
    *n += 1;
    Ok(Links(group(users, |u| u.id, skills, |s| s.user_id)))
}

/// W3 in one statement.
pub async fn masters(pool: &PgPool, size: i64, n: &mut usize) -> sqlx::Result<Counted> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(MASTERS)
        .bind(1_i64)
        .bind(size)
        .bind("master")
        .fetch_all(pool)
        .await?;
    *n += 1;
    let users = rows.into_iter();
    Ok(Counted(
        users
            .map(|(id, username, c)| (UserRow { id, username }, c))
            .collect(),
    ))
}

/// W4: users, then their posts, then those posts' comments.
pub async fn threads(pool: &PgPool, size: i64, n: &mut usize) -> sqlx::Result<Threads> {
    let users: Vec<UserRow> = sqlx::query_as(USERS)
        .bind(1_i64)
        .bind(size)
        .fetch_all(pool)
        .await?;
    *n += 1;
    let keys: Vec<i64> = users.iter().map(|u| u.id).collect();
    let posts: Vec<PostRow> =
        sqlx::query_as("SELECT id, user_id, title FROM posts WHERE user_id = ANY($1) ORDER BY id")
            .bind(keys)
            .persistent(false)
            .fetch_all(pool)
            .await?;
    *n += 1;
    let keys: Vec<i64> = posts.iter().map(|p| p.id).collect();
    let comments: Vec<CommentRow> = sqlx::query_as(
        "SELECT id, post_id, body FROM comments WHERE post_id = ANY($1) ORDER BY id",
    )
    .bind(keys)
    .persistent(false)
    .fetch_all(pool)
    .await?;
    *n += 1;
    let posts = group(posts, |p| p.id, comments, |c| c.post_id);
    Ok(Threads(group(users, |u| u.id, posts, |(p, _)| p.user_id)))
}

/// W5: each user synced in its own transaction: read its links, then at most one DELETE, one
/// multi-row INSERT and one UPDATE from `UNNEST`ed arrays.
pub async fn sync(pool: &PgPool, size: i64, n: &mut usize) -> sqlx::Result<Synced> {
    let mut out = Vec::with_capacity(size as usize);
    for user in 1..=size {
        let mut tx = pool.begin().await?;
        let existing: Vec<(i64, String, i32)> = sqlx::query_as(
            "SELECT skill_id, proficiency, years FROM skill_user WHERE user_id = $1",
        )
        .bind(user)
        .fetch_all(&mut *tx)
        .await?;
        *n += 2;
        let plan = plan(existing, data::sync_target(user));
        if !plan.diff.detached.is_empty() {
            sqlx::query("DELETE FROM skill_user WHERE user_id = $1 AND skill_id = ANY($2)")
                .bind(user)
                .bind(&plan.diff.detached)
                .execute(&mut *tx)
                .await?;
            *n += 1;
        }
        if !plan.insert.is_empty() {
            let mut insert = QueryBuilder::<Postgres>::new(
                "INSERT INTO skill_user (user_id, skill_id, proficiency, years) ",
            );
            insert.push_values(&plan.insert, |mut row, link| {
                row.push_bind(user)
                    .push_bind(link.skill_id)
                    .push_bind(link.proficiency.clone())
                    .push_bind(link.years);
            });
            insert.build().execute(&mut *tx).await?;
            *n += 1;
        }
        if !plan.update.is_empty() {
            let skills: Vec<i64> = plan.update.iter().map(|l| l.skill_id).collect();
            let levels: Vec<String> = plan.update.iter().map(|l| l.proficiency.clone()).collect();
            let years: Vec<i32> = plan.update.iter().map(|l| l.years).collect();
            sqlx::query(
                "UPDATE skill_user p SET proficiency = v.proficiency, years = v.years \
                 FROM UNNEST($2::int8[], $3::text[], $4::int4[]) AS v(skill_id, proficiency, years) \
                 WHERE p.user_id = $1 AND p.skill_id = v.skill_id",
            )
            .bind(user)
            .bind(skills)
            .bind(levels)
            .bind(years)
            .execute(&mut *tx)
            .await?;
            *n += 1;
        }
        tx.commit().await?;
        *n += 1;
        out.push((user, plan.diff));
    }
    Ok(Synced(out))
}

/// One multi-row INSERT of `rows`, skipping links that exist; the skills attached.
async fn insert_links<'c, E>(exec: E, rows: &[data::Link]) -> sqlx::Result<Vec<i64>>
where
    E: sqlx::Executor<'c, Database = Postgres>,
{
    let mut insert = QueryBuilder::<Postgres>::new(
        "INSERT INTO skill_user (user_id, skill_id, proficiency, years) ",
    );
    insert.push_values(rows, |mut row, link| {
        row.push_bind(link.user_id)
            .push_bind(link.skill_id)
            .push_bind(link.proficiency.clone())
            .push_bind(link.years);
    });
    insert.push(" ON CONFLICT (user_id, skill_id) DO NOTHING RETURNING skill_id");
    insert
        .build_query_scalar()
        .persistent(false)
        .fetch_all(exec)
        .await
}

/// W6: `data::attach_rows(size)` in multi-row INSERTs of at most `BIND_LIMIT / 4` rows, in one
/// transaction when there is more than one.
pub async fn attach(pool: &PgPool, size: usize, n: &mut usize) -> sqlx::Result<Vec<i64>> {
    let rows = data::attach_rows(size);
    let chunks: Vec<&[data::Link]> = rows.chunks(BIND_LIMIT / 4).collect();
    if let [only] = chunks.as_slice() {
        *n += 1;
        return insert_links(pool, only).await;
    }
    let mut attached = Vec::with_capacity(rows.len());
    let mut tx = pool.begin().await?;
    *n += 1;
    for chunk in chunks {
        attached.extend(insert_links(&mut *tx, chunk).await?);
        *n += 1;
    }
    tx.commit().await?;
    *n += 1;
    Ok(attached)
}
