//! The rows the workloads load and write, with their associations
//! (`belonging_to` / `grouped_by` need `Identifiable` parents and `Associations` children).

use diesel::prelude::*;
use orm_peer_protocol::data::Link;

use crate::schema::{comments, posts, skill_user, skills, users};

/// A row of `users`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct User {
    /// The key.
    pub id: i64,
    /// `user{id}`.
    pub username: String,
}

/// A row of `skills`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = skills)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct Skill {
    /// The key.
    pub id: i64,
    /// `skill{id}`.
    pub name: String,
}

/// A row of the pivot `skill_user`: Diesel models a many-to-many as this join model, which
/// belongs to both sides.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Associations)]
#[diesel(table_name = skill_user)]
#[diesel(belongs_to(User))]
#[diesel(belongs_to(Skill))]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct SkillUser {
    /// The generated key.
    pub id: i64,
    /// The user.
    pub user_id: i64,
    /// The skill.
    pub skill_id: i64,
    /// The first pivot column.
    pub proficiency: String,
    /// The second pivot column.
    pub years: i32,
}

/// A new pivot row (its key is generated), borrowing its text from a [`Link`].
///
/// `treat_none_as_default_value = false`: by default the derive makes every field defaultable,
/// and Diesel then runs a batch insert on SQLite as one `INSERT` per row (in a transaction);
/// without defaultable fields a batch is one multi-row `INSERT` on every backend.
#[derive(Debug, Clone, Copy, Insertable)]
#[diesel(table_name = skill_user)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewSkillUser<'a> {
    /// The user.
    pub user_id: i64,
    /// The skill.
    pub skill_id: i64,
    /// The first pivot column.
    pub proficiency: &'a str,
    /// The second pivot column.
    pub years: i32,
}

impl NewSkillUser<'_> {
    /// The values one row binds in a multi-row `INSERT`.
    pub const BINDS: usize = 4;
}

impl<'a> From<&'a Link> for NewSkillUser<'a> {
    fn from(link: &'a Link) -> Self {
        NewSkillUser {
            user_id: link.user_id,
            skill_id: link.skill_id,
            proficiency: &link.proficiency,
            years: link.years,
        }
    }
}

/// A row of `posts`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Associations)]
#[diesel(table_name = posts)]
#[diesel(belongs_to(User))]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct Post {
    /// The key.
    pub id: i64,
    /// The author.
    pub user_id: i64,
    /// `post{id}`.
    pub title: String,
}

/// A row of `comments`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Associations)]
#[diesel(table_name = comments)]
#[diesel(belongs_to(Post))]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct Comment {
    /// The key.
    pub id: i64,
    /// The post.
    pub post_id: i64,
    /// `comment{id}`.
    pub body: String,
}

/// Users, each with its pivot rows and their skills: W1's, W2's and W7's natural result.
pub type UsersWithSkills = Vec<(User, Vec<(SkillUser, Skill)>)>;

/// Users, each with its posts, each with its comments: W4's natural result.
pub type UsersWithPosts = Vec<(User, Vec<(Post, Vec<Comment>)>)>;

/// What syncing one user changed (skill ids, ascending): W5's natural result per user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// The user.
    pub user: i64,
    /// Skills linked that were not.
    pub attached: Vec<i64>,
    /// Skills unlinked.
    pub detached: Vec<i64>,
    /// Skills kept whose pivot data changed.
    pub updated: Vec<i64>,
}
