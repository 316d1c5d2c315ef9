//! The tables and the first rows: what the service needs before it answers.

use orm::ModelRow;
use orm::prelude::*;
use orm::schema::ModelTable;
use sqlx::Pool;

use super::models::{Article, Category, NewCategory, NewSkill, NewUser, Skill, User, schema};

/// The users seeded into an empty `users` table.
pub const USERS: [&str; 2] = ["virk", "romain"];
/// The skills seeded into an empty `skills` table.
pub const SKILLS: [&str; 5] = ["Rust", "SQL", "TypeScript", "Go", "Zig"];
/// The categories seeded into an empty `categories` table.
pub const CATEGORIES: [&str; 5] = ["Databases", "Go", "Rust", "Testing", "Web"];

/// Creates the tables that do not exist (`Schema::create_all`), then fills each empty one of
/// `users`, `skills` and `categories` with its seed, one `insert_many` each.
///
/// # Errors
/// The ORM's error for the first statement that failed.
pub async fn setup<DB>(pool: &Pool<DB>) -> orm::Result<()>
where
    DB: orm::Backend,
    User: ModelRow<DB> + ModelTable<DB>,
    Skill: ModelRow<DB> + ModelTable<DB>,
    Article: ModelTable<DB>,
    Category: ModelRow<DB> + ModelTable<DB>,
{
    schema::<DB>().create_all(pool).await?;
    if !User::query().exists(pool).await? {
        let users = USERS.map(|name| NewUser {
            username: name.into(),
            email: Some(format!("{name}@example.com")),
        });
        User::insert_many(pool, users).await?;
    }
    if !Skill::query().exists(pool).await? {
        Skill::insert_many(pool, SKILLS.map(|name| NewSkill { name: name.into() })).await?;
    }
    if !Category::query().exists(pool).await? {
        let categories = CATEGORIES.map(|name| NewCategory { name: name.into() });
        Category::insert_many(pool, categories).await?;
    }
    Ok(())
}
