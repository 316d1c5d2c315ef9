//! The read workloads (W1, W2, W3, W4, W7) on this backend's connection: Diesel's query DSL,
//! `belonging_to` + `grouped_by` for every preload.

use std::ops::RangeInclusive;

use diesel::dsl::{count, exists, sql};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool};

use super::Conn;
use crate::models::{Comment, Post, Skill, SkillUser, User, UsersWithPosts, UsersWithSkills};
use crate::schema::{skill_user, skills, users};

/// The users whose ids are in `ids`, ordered by id.
fn users_in(conn: &mut Conn, ids: &RangeInclusive<i64>) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::id.between(*ids.start(), *ids.end()))
        .order(users::id)
        .select(User::as_select())
        .load(conn)
}

/// W1 / W7: the users `ids` with all their skills and both pivot columns, the many-to-many
/// idiom of Diesel's "Relations" guide: the users, then the pivot rows `belonging_to` them
/// joined to `skills`, `grouped_by` user (2 statements).
pub fn preload(conn: &mut Conn, ids: RangeInclusive<i64>) -> QueryResult<UsersWithSkills> {
    let users = users_in(conn, &ids)?;
    let links = SkillUser::belonging_to(&users)
        .inner_join(skills::table)
        .select((SkillUser::as_select(), Skill::as_select()))
        .load::<(SkillUser, Skill)>(conn)?;
    let grouped = links.grouped_by(&users);
    Ok(users.into_iter().zip(grouped).collect())
}

/// W2: the users `1..=size`, each with its top 3 skills by `years` desc, then skill id. Diesel's
/// DSL has no per-parent limit and no subquery in `FROM`, so the pivot rows `belonging_to` the
/// users are filtered by a raw SQL fragment (`dsl::sql`): their ids ranked 1..=3 by
/// `ROW_NUMBER() OVER (PARTITION BY user_id ...)` (2 statements).
pub fn top3(conn: &mut Conn, size: i64) -> QueryResult<UsersWithSkills> {
    let users = users_in(conn, &(1..=size))?;
    let top = sql::<Bool>(
        "skill_user.id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER \
         (PARTITION BY user_id ORDER BY years DESC, skill_id) AS rn \
         FROM skill_user WHERE user_id BETWEEN ",
    )
    .bind::<BigInt, _>(1_i64)
    .sql(" AND ")
    .bind::<BigInt, _>(size)
    .sql(") ranked WHERE rn <= 3)");
    let links = SkillUser::belonging_to(&users)
        .inner_join(skills::table)
        .filter(top)
        .order((
            skill_user::user_id,
            skill_user::years.desc(),
            skill_user::skill_id,
        ))
        .select((SkillUser::as_select(), Skill::as_select()))
        .load::<(SkillUser, Skill)>(conn)?;
    let grouped = links.grouped_by(&users);
    Ok(users.into_iter().zip(grouped).collect())
}

/// W3: the users `1..=size` having a `master` skill (a correlated `EXISTS` on an alias of the
/// pivot), each with the count of all its skills (`GROUP BY users.id`), in one statement.
pub fn masters(conn: &mut Conn, size: i64) -> QueryResult<Vec<(User, i64)>> {
    let mastered = diesel::alias!(skill_user as mastered);
    let has_master = exists(
        mastered
            .filter(mastered.field(skill_user::user_id).eq(users::id))
            .filter(mastered.field(skill_user::proficiency).eq("master")),
    );
    users::table
        .inner_join(skill_user::table)
        .filter(users::id.between(1, size))
        .filter(has_master)
        .group_by(users::id)
        .order(users::id)
        .select((User::as_select(), count(skill_user::id)))
        .load(conn)
}

/// W4: the users `1..=size` -> their posts -> their comments, two `belonging_to` levels
/// grouped back up (the shape of `loading_associations` in Diesel's own benchmarks; 3
/// statements).
pub fn posts_and_comments(conn: &mut Conn, size: i64) -> QueryResult<UsersWithPosts> {
    let users = users_in(conn, &(1..=size))?;
    let posts = Post::belonging_to(&users)
        .select(Post::as_select())
        .load(conn)?;
    let comments = Comment::belonging_to(&posts)
        .select(Comment::as_select())
        .load(conn)?;
    let comments = comments.grouped_by(&posts);
    let posts = posts.into_iter().zip(comments).grouped_by(&users);
    Ok(users.into_iter().zip(posts).collect())
}
