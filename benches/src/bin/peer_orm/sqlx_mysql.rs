//! The `sqlx` contender on MySQL / MariaDB: one statement per relation level with the parent
//! keys as an `IN (?, ...)` list (under the bind limit), a sync in one transaction, multi-row
//! inserts chunked under the bind limit. `n` counts the statements sent, transaction control
//! included.

use orm_peer_protocol::data;
use sqlx::{MySql, MySqlPool, QueryBuilder};

use crate::sqlx_side::{
    CommentRow, Counted, Links, PostRow, SkillLink, Synced, Threads, UserRow, group, plan,
};

/// MySQL's bound-parameter limit.
const BIND_LIMIT: usize = 65_535;

/// The users of a range, by id.
const USERS: &str = "SELECT id, username FROM users WHERE id BETWEEN ? AND ? ORDER BY id";

/// W3: users of a range with a skill at the third parameter, with their skill count.
const MASTERS: &str = "SELECT u.id, u.username, \
     (SELECT COUNT(*) FROM skill_user c WHERE c.user_id = u.id) AS skills \
     FROM users u WHERE u.id BETWEEN ? AND ? \
     AND EXISTS (SELECT 1 FROM skill_user m WHERE m.user_id = u.id AND m.proficiency = ?) \
     ORDER BY u.id";

/// Appends `(?, ?, ...)` binding `keys`.
fn push_keys(sql: &mut QueryBuilder<MySql>, keys: impl Iterator<Item = i64>) {
    sql.push("(");
    let mut list = sql.separated(", ");
    for key in keys {
        list.push_bind(key);
    }
    list.push_unseparated(")");
}

/// W1, W2, W7: the users `first..=last`, then their links (each user's top 3 with `top3`).
pub async fn links(
    pool: &MySqlPool,
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
    let columns = "p.user_id, s.id, s.name, p.proficiency, p.years";
    let mut sql = QueryBuilder::<MySql>::new(if top3 {
        "SELECT user_id, id, name, proficiency, years FROM (SELECT p.user_id, s.id, s.name, \
         p.proficiency, p.years, ROW_NUMBER() OVER (PARTITION BY p.user_id \
         ORDER BY p.years DESC, s.id) AS rn "
    } else {
        "SELECT "
    });
    if !top3 {
        sql.push(columns);
    }
    sql.push(" FROM skill_user p JOIN skills s ON s.id = p.skill_id WHERE p.user_id IN ");
    push_keys(&mut sql, users.iter().map(|u| u.id));
    sql.push(if top3 {
        ") ranked WHERE rn <= 3 ORDER BY user_id, rn"
    } else {
        " ORDER BY p.user_id, p.skill_id"
    });
    let skills: Vec<SkillLink> = sql.build_query_as().fetch_all(pool).await?;
    *n += 1;
    Ok(Links(group(users, |u| u.id, skills, |s| s.user_id)))
}

/// W3 in one statement.
pub async fn masters(pool: &MySqlPool, size: i64, n: &mut usize) -> sqlx::Result<Counted> {
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
pub async fn threads(pool: &MySqlPool, size: i64, n: &mut usize) -> sqlx::Result<Threads> {
    let users: Vec<UserRow> = sqlx::query_as(USERS)
        .bind(1_i64)
        .bind(size)
        .fetch_all(pool)
        .await?;
    *n += 1;
    let mut sql =
        QueryBuilder::<MySql>::new("SELECT id, user_id, title FROM posts WHERE user_id IN ");
    push_keys(&mut sql, users.iter().map(|u| u.id));
    sql.push(" ORDER BY id");
    let posts: Vec<PostRow> = sql.build_query_as().fetch_all(pool).await?;
    *n += 1;
    let mut sql =
        QueryBuilder::<MySql>::new("SELECT id, post_id, body FROM comments WHERE post_id IN ");
    push_keys(&mut sql, posts.iter().map(|p| p.id));
    sql.push(" ORDER BY id");
    let comments: Vec<CommentRow> = sql.build_query_as().fetch_all(pool).await?;
    *n += 1;
    let posts = group(posts, |p| p.id, comments, |c| c.post_id);
    Ok(Threads(group(users, |u| u.id, posts, |(p, _)| p.user_id)))
}

/// W5: each user synced in its own transaction: read its links, then at most one DELETE, one
/// multi-row INSERT and one UPDATE (a `CASE` per column).
pub async fn sync(pool: &MySqlPool, size: i64, n: &mut usize) -> sqlx::Result<Synced> {
    let mut out = Vec::with_capacity(size as usize);
    for user in 1..=size {
        let mut tx = pool.begin().await?;
        let existing: Vec<(i64, String, i32)> =
            sqlx::query_as("SELECT skill_id, proficiency, years FROM skill_user WHERE user_id = ?")
                .bind(user)
                .fetch_all(&mut *tx)
                .await?;
        *n += 2;
        let plan = plan(existing, data::sync_target(user));
        if !plan.diff.detached.is_empty() {
            let mut delete = QueryBuilder::<MySql>::new("DELETE FROM skill_user WHERE user_id = ");
            delete.push_bind(user).push(" AND skill_id IN ");
            push_keys(&mut delete, plan.diff.detached.iter().copied());
            delete.build().execute(&mut *tx).await?;
            *n += 1;
        }
        if !plan.insert.is_empty() {
            let mut insert = QueryBuilder::<MySql>::new(
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
            let mut update =
                QueryBuilder::<MySql>::new("UPDATE skill_user SET proficiency = CASE skill_id");
            for link in &plan.update {
                update.push(" WHEN ").push_bind(link.skill_id);
                update.push(" THEN ").push_bind(link.proficiency.clone());
            }
            update.push(" END, years = CASE skill_id");
            for link in &plan.update {
                update.push(" WHEN ").push_bind(link.skill_id);
                update.push(" THEN ").push_bind(link.years);
            }
            update.push(" END WHERE user_id = ").push_bind(user);
            update.push(" AND skill_id IN ");
            push_keys(&mut update, plan.update.iter().map(|l| l.skill_id));
            update.build().execute(&mut *tx).await?;
            *n += 1;
        }
        tx.commit().await?;
        *n += 1;
        out.push((user, plan.diff));
    }
    Ok(Synced(out))
}

/// One multi-row INSERT of `rows`, leaving links that exist as they are (MySQL has no
/// `RETURNING`: the keys given are returned).
async fn insert_links<'c, E>(exec: E, rows: &[data::Link]) -> sqlx::Result<Vec<i64>>
where
    E: sqlx::Executor<'c, Database = MySql>,
{
    let mut insert = QueryBuilder::<MySql>::new(
        "INSERT INTO skill_user (user_id, skill_id, proficiency, years) ",
    );
    insert.push_values(rows, |mut row, link| {
        row.push_bind(link.user_id)
            .push_bind(link.skill_id)
            .push_bind(link.proficiency.clone())
            .push_bind(link.years);
    });
    insert.push(" ON DUPLICATE KEY UPDATE skill_id = skill_id");
    insert.build().execute(exec).await?;
    Ok(rows.iter().map(|l| l.skill_id).collect())
}

/// W6: `data::attach_rows(size)` in multi-row INSERTs of at most `BIND_LIMIT / 4` rows, in one
/// transaction when there is more than one.
pub async fn attach(pool: &MySqlPool, size: usize, n: &mut usize) -> sqlx::Result<Vec<i64>> {
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
