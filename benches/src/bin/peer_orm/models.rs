//! The peer benchmark's tables as models of this ORM (`peers/PROTOCOL.md`, Tables): the driver
//! creates and seeds them; these only read and write rows.

use orm::prelude::*;

/// `users`: 10 skills each through `skill_user`, and (users 1..=100) 10 posts.
#[derive(Model, Debug, Clone)]
pub struct User {
    /// Primary key.
    pub id: i64,
    /// `user{id}`.
    pub username: String,
    /// Through `skill_user` (`user_id`, `skill_id`), with two pivot columns.
    #[many_to_many]
    pub skills: ManyToMany<Skill, Level>,
    /// `posts.user_id`.
    #[has_many]
    pub posts: HasMany<Post>,
}

/// `skills`.
#[derive(Model, Debug, Clone)]
pub struct Skill {
    /// Primary key.
    pub id: i64,
    /// `skill{id}`.
    pub name: String,
}

/// The pivot data of `skill_user`.
#[derive(PivotData, Debug, Clone, PartialEq)]
pub struct Level {
    /// `novice`, `intermediate`, `expert` or `master` (W5 also writes `changed` and `new`).
    pub proficiency: String,
    /// Years of practice.
    pub years: i32,
}

/// `posts`: 10 per user 1..=100.
#[derive(Model, Debug, Clone)]
pub struct Post {
    /// Primary key.
    pub id: i64,
    /// The author.
    pub user_id: i64,
    /// `post{id}`.
    pub title: String,
    /// `comments.post_id`.
    #[has_many]
    pub comments: HasMany<Comment>,
}

/// `comments`: 10 per post.
#[derive(Model, Debug, Clone)]
pub struct Comment {
    /// Primary key.
    pub id: i64,
    /// The post.
    pub post_id: i64,
    /// `comment{id}`.
    pub body: String,
}

impl User {
    /// A user known by its key only, as a service handling one request for it holds it: the
    /// parent of a relation handle (`related` needs a model), with no statement to read it.
    pub fn by_key(id: i64) -> User {
        User {
            id,
            username: String::new(),
            skills: ManyToMany::default(),
            posts: HasMany::default(),
        }
    }
}
