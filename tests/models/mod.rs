//! The models the behaviour tests share, and the fixture every test starts from
//! ([`create_fixture`]): their tables created from these models by `orm::schema`, except the
//! two hand-written pivots of `tests/fixtures/*.sql`.
#![allow(dead_code)]

use orm::prelude::*;
use orm::schema::{ModelTable, Schema, TableDef};

/// The pivots written by hand in `tests/fixtures/<backend>.sql` rather than from the models:
/// `skill_user` (Lucid's id-keyed shape, read by [`SkillUser`]) and `group_user` (no key, no
/// index).
pub const HAND_WRITTEN_PIVOTS: [&str; 2] = ["skill_user", "group_user"];

/// Creates the fixture on a fresh database: `users`, `skills`, `tags`, `groups` and `posts`
/// from their models, then the hand-written pivots (`hand_written`, the backend's fixture
/// file), then the pivots `user_tags` and `follows` from `User`'s relations.
pub async fn create_fixture<DB>(
    pool: &sqlx::Pool<DB>,
    hand_written: &'static str,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>>
where
    DB: orm::Backend,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    User: ModelTable<DB>,
    Skill: ModelTable<DB>,
    Tag: ModelTable<DB>,
    Group: ModelTable<DB>,
    Post: ModelTable<DB>,
{
    Schema::<DB>::new()
        .table(<User as ModelTable<DB>>::table())
        .model::<Skill>()
        .model::<Tag>()
        .model::<Group>()
        .model::<Post>()
        .create_all(pool)
        .await?;
    sqlx::raw_sql(hand_written).execute(pool).await?;
    let mut pivots: Vec<TableDef> = Vec::new();
    <User as ModelTable<DB>>::pivot_tables(&mut pivots);
    pivots
        .into_iter()
        .filter(|pivot| !HAND_WRITTEN_PIVOTS.contains(&pivot.name.as_str()))
        .fold(Schema::<DB>::new(), Schema::table)
        .create_all(pool)
        .await?;
    Ok(())
}

#[derive(Model, Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: String,
    #[model(column = "email_address")]
    pub email: Option<String>,

    /// Defaults: pivot `skill_user`, keys `user_id` / `skill_id`.
    #[many_to_many(pivot_timestamps)]
    pub skills: ManyToMany<Skill, Proficiency>,
    /// A pivot with a composite primary key and no id column, and a text related key.
    #[many_to_many(pivot = "user_tags", related_key = "code")]
    pub tags: ManyToMany<Tag>,
    /// A pivot without any unique key: `group_user` by default.
    #[many_to_many]
    pub groups: ManyToMany<Group, Membership>,
    /// Self-reference through `follows(user_id, following_user_id)`.
    #[many_to_many(pivot = "follows", pivot_related_foreign_key = "following_user_id")]
    pub follows: ManyToMany<Self>,
}

/// The typed extra column of `skill_user`.
#[derive(PivotData, Debug, Clone, PartialEq)]
pub struct Proficiency {
    pub proficiency: Option<String>,
}

impl Proficiency {
    pub fn new(level: &str) -> Self {
        Proficiency {
            proficiency: Some(level.to_owned()),
        }
    }
}

#[derive(Model, Debug, Clone, PartialEq)]
pub struct Skill {
    pub id: i64,
    pub name: String,
}

/// A model with a text primary key the application chooses.
#[derive(Model, Debug, Clone, PartialEq)]
pub struct Tag {
    #[model(primary_key)]
    pub code: String,
    pub label: String,
}

#[derive(Model, Debug, Clone, PartialEq)]
pub struct Group {
    pub id: i64,
    pub name: String,
}

#[derive(PivotData, Debug, Clone, PartialEq)]
pub struct Membership {
    pub role: Option<String>,
}

/// The pivot table itself, read as a model to check its real rows.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "skill_user")]
pub struct SkillUser {
    pub id: i64,
    pub user_id: i64,
    pub skill_id: i64,
    pub proficiency: Option<String>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "group_user")]
pub struct GroupUser {
    #[model(primary_key)]
    pub user_id: i64,
    pub group_id: i64,
    pub role: Option<String>,
}

#[derive(Model, Debug, Clone)]
pub struct Post {
    pub id: i64,
    pub author_id: i64,
    pub editor_id: Option<i64>,
    pub title: String,
    #[model(skip)]
    pub cached_word_count: usize,
    /// Its foreign keys in the fixture: `posts.author_id` and `posts.editor_id` point at `users`.
    #[belongs_to(foreign_key = "author_id")]
    pub author: BelongsTo<User>,
    #[belongs_to(foreign_key = "editor_id")]
    pub editor: BelongsTo<User>,
}

/// `users` read with `email_address` as a non-`Option` field: a NULL there must be a decode
/// error, never an empty string.
#[derive(Model, Debug, Clone)]
#[model(table = "users")]
pub struct StrictUser {
    pub id: i64,
    pub username: String,
    #[model(column = "email_address")]
    pub email: String,
}

/// `posts` read with the nullable `editor_id` as a non-`Option` integer: NULL must not read as 0.
#[derive(Model, Debug, Clone)]
#[model(table = "posts")]
pub struct StrictPost {
    pub id: i64,
    pub author_id: i64,
    pub editor_id: i64,
    pub title: String,
}

/// `group_user.role` (nullable) declared as a required pivot column.
#[derive(PivotData, Debug, Clone, PartialEq)]
pub struct RequiredRole {
    pub role: String,
}

/// `users` whose groups carry a required role: reading a pivot row whose role is NULL must fail.
#[derive(Model, Debug, Clone)]
#[model(table = "users")]
pub struct Member {
    pub id: i64,
    pub username: String,
    #[many_to_many(pivot = "group_user", pivot_foreign_key = "user_id")]
    pub groups: ManyToMany<Group, RequiredRole>,
}

/// A user named `name`, with `skills` skills and `groups` groups (ids 1..=n, named `s<i>`, `g<i>`),
/// created on one connection: the seed of the reliability and concurrency tests.
pub async fn user_with_skills_and_groups<E>(
    exec: E,
    name: &str,
    skills: usize,
    groups: usize,
) -> orm::Result<User>
where
    E: orm::Executor,
    User: orm::ModelRow<E::Backend>,
    Skill: orm::ModelRow<E::Backend>,
    Group: orm::ModelRow<E::Backend>,
{
    let mut conn = exec.acquire().await?;
    let user = User::create(
        &mut conn,
        NewUser {
            username: name.into(),
            email: None,
        },
    )
    .await?;
    Skill::insert_many(
        &mut conn,
        (1..=skills).map(|i| NewSkill {
            name: format!("s{i}"),
        }),
    )
    .await?;
    Group::insert_many(
        &mut conn,
        (1..=groups).map(|i| NewGroup {
            name: format!("g{i}"),
        }),
    )
    .await?;
    Ok(user)
}

/// `(skill_id, proficiency)` of `user`'s rows in `skill_user`, read from the table, sorted.
pub async fn pivot_rows<E>(exec: E, user: &User) -> orm::Result<Vec<(i64, Option<String>)>>
where
    E: orm::Executor,
    SkillUser: orm::ModelRow<E::Backend>,
{
    let rows = SkillUser::query()
        .where_eq("user_id", user.id)
        .order_by("skill_id", Order::Asc)
        .fetch_all(exec)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.skill_id, r.proficiency))
        .collect())
}

/// The skill ids attached to `user` in `skill_user`, read from the table, sorted.
pub async fn skill_ids<E>(exec: E, user: &User) -> orm::Result<Vec<i64>>
where
    E: orm::Executor,
    SkillUser: orm::ModelRow<E::Backend>,
{
    Ok(pivot_rows(exec, user)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect())
}

mod relations;
#[allow(unused_imports)]
pub use relations::*;
