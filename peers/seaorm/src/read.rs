//! The read workloads: W1 / W7 (preload many-to-many with the pivot columns), W2 (top 3 per
//! parent), W3 (pivot filter and counts), W4 (users -> posts -> comments).

use std::ops::RangeInclusive;

use sea_orm::sea_query::{Expr, ExprTrait, Order, Query, WindowStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, JoinType, LoaderTrait,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait,
};

use crate::entities::{comments, posts, skill_user, skills, users};

/// A user with its skills, each with the pivot row that carries `proficiency` and `years`.
#[derive(Debug)]
pub struct UserSkills {
    /// The user.
    pub user: users::Model,
    /// Its links, ordered as the workload wants them.
    pub links: Vec<(skill_user::Model, skills::Model)>,
}

/// A user with the number of its skills (W3).
#[derive(Debug, FromQueryResult)]
pub struct UserSkillCount {
    /// The user's id.
    pub id: i64,
    /// The user's name (part of the result, not of its canonical line).
    #[expect(
        dead_code,
        reason = "loaded as part of the user, not in the canonical line"
    )]
    pub username: String,
    /// How many skills it has.
    pub skills: i64,
}

/// A user with its posts, each with its comments (W4).
#[derive(Debug)]
pub struct UserPosts {
    /// The user.
    pub user: users::Model,
    /// Its posts by id, each with its comments by id.
    pub posts: Vec<(posts::Model, Vec<comments::Model>)>,
}

/// W1 / W7: the users `ids` with their skills and both pivot columns. `load_many_to_many` would
/// drop the pivot row, so the pivot is an entity of its own: users, then `load_many` of their
/// `skill_user` rows (ordered by user, then skill: the unique index's order), then `load_one` of
/// the skill of each pivot row (three statements).
pub async fn preload(
    db: &impl ConnectionTrait,
    ids: RangeInclusive<i64>,
) -> Result<Vec<UserSkills>, DbErr> {
    let users = users::Entity::find()
        .filter(users::Column::Id.between(*ids.start(), *ids.end()))
        .order_by_asc(users::Column::Id)
        .all(db)
        .await?;
    let pivots = users
        .load_many(
            skill_user::Entity::find()
                .order_by_asc(skill_user::Column::UserId)
                .order_by_asc(skill_user::Column::SkillId),
            db,
        )
        .await?;
    with_skills(db, users, pivots).await
}

/// W2: the users `1..=size`, each with its top 3 skills by `years` desc, skill id asc. SeaORM has
/// no per-parent limit: a `ROW_NUMBER()` window over the pivot, built with sea-query and run
/// through `from_raw_sql` into pivot models, then `load_one` of their skills.
pub async fn top_three(db: &impl ConnectionTrait, size: i64) -> Result<Vec<UserSkills>, DbErr> {
    use skill_user::Column as Su;
    let columns = [Su::Id, Su::UserId, Su::SkillId, Su::Proficiency, Su::Years];
    let users = users::Entity::find()
        .filter(users::Column::Id.between(1, size))
        .order_by_asc(users::Column::Id)
        .all(db)
        .await?;
    let window = WindowStatement::partition_by(Su::UserId)
        .order_by(Su::Years, Order::Desc)
        .order_by(Su::SkillId, Order::Asc)
        .take();
    let ranked = Query::select()
        .columns(columns)
        .expr_window_as(Expr::cust("ROW_NUMBER()"), window, "rn")
        .from(skill_user::Entity)
        .and_where(Expr::col(Su::UserId).between(1, size))
        .take();
    let top = Query::select()
        .columns(columns)
        .from_subquery(ranked, "ranked")
        .and_where(Expr::col("rn").lte(3))
        .order_by(Su::UserId, Order::Asc)
        .order_by("rn", Order::Asc)
        .take();
    let rows = skill_user::Entity::find()
        .from_raw_sql(db.get_database_backend().build(&top))
        .all(db)
        .await?;
    // The rows come by user: split them into one group per user.
    let mut rows = rows.into_iter().peekable();
    let pivots = users
        .iter()
        .map(|user| {
            let mut mine = Vec::new();
            while let Some(row) = rows.next_if(|row| row.user_id == user.id) {
                mine.push(row);
            }
            mine
        })
        .collect();
    with_skills(db, users, pivots).await
}

/// Loads the skill of every pivot row (`load_one`, one statement) and pairs them up per user.
async fn with_skills(
    db: &impl ConnectionTrait,
    users: Vec<users::Model>,
    pivots: Vec<Vec<skill_user::Model>>,
) -> Result<Vec<UserSkills>, DbErr> {
    let lens: Vec<usize> = pivots.iter().map(Vec::len).collect();
    let pivots: Vec<skill_user::Model> = pivots.into_iter().flatten().collect();
    let skills = pivots.load_one(skills::Entity, db).await?;
    let links = pivots
        .into_iter()
        .zip(skills)
        .map(|(pivot, skill)| {
            let skill = skill.ok_or_else(|| {
                DbErr::RecordNotFound(format!("skill {} of pivot {}", pivot.skill_id, pivot.id))
            })?;
            Ok((pivot, skill))
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    Ok(users
        .into_iter()
        .zip(regroup(&lens, links))
        .map(|(user, links)| UserSkills { user, links })
        .collect())
}

/// W3: the users `1..=size` having a `master` skill (`has_related`: `WHERE EXISTS` on the pivot),
/// each with the count of all its skills (join, `COUNT`, `GROUP BY`), in one statement.
pub async fn masters(db: &impl ConnectionTrait, size: i64) -> Result<Vec<UserSkillCount>, DbErr> {
    users::Entity::find()
        .select_only()
        .column(users::Column::Id)
        .column(users::Column::Username)
        .column_as(skill_user::Column::Id.count(), "skills")
        .join(JoinType::InnerJoin, users::Relation::SkillUser.def())
        .has_related(
            skill_user::Entity,
            skill_user::Column::Proficiency.eq("master"),
        )
        .filter(users::Column::Id.between(1, size))
        .group_by(users::Column::Id)
        .group_by(users::Column::Username)
        .order_by_asc(users::Column::Id)
        .into_model::<UserSkillCount>()
        .all(db)
        .await
}

/// W4: the users `1..=size`, `load_many` of their posts, then `load_many` of the comments of all
/// those posts (three statements).
pub async fn posts_comments(db: &impl ConnectionTrait, size: i64) -> Result<Vec<UserPosts>, DbErr> {
    let users = users::Entity::find()
        .filter(users::Column::Id.between(1, size))
        .order_by_asc(users::Column::Id)
        .all(db)
        .await?;
    let posts = users
        .load_many(posts::Entity::find().order_by_asc(posts::Column::Id), db)
        .await?;
    let lens: Vec<usize> = posts.iter().map(Vec::len).collect();
    let posts: Vec<posts::Model> = posts.into_iter().flatten().collect();
    let comments = posts
        .load_many(
            comments::Entity::find().order_by_asc(comments::Column::Id),
            db,
        )
        .await?;
    let posts: Vec<_> = posts.into_iter().zip(comments).collect();
    Ok(users
        .into_iter()
        .zip(regroup(&lens, posts))
        .map(|(user, posts)| UserPosts { user, posts })
        .collect())
}

/// Splits `flat` back into consecutive groups of the lengths `lens` (the loaders take a flat
/// slice of parents; nested loading flattens and regroups).
fn regroup<T>(lens: &[usize], flat: Vec<T>) -> Vec<Vec<T>> {
    let mut flat = flat.into_iter();
    lens.iter()
        .map(|&len| flat.by_ref().take(len).collect())
        .collect()
}
