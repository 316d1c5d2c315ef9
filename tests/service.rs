//! The axum example (`examples/service`) over HTTP, on SQLite, PostgreSQL and MariaDB: its
//! router, built from the example's own modules, served on 127.0.0.1 with an ephemeral port and
//! driven with reqwest. Every route, every error status, and 50 concurrent syncs of one user.

mod common;

#[path = "../examples/service/app/mod.rs"]
mod app;
#[path = "service/articles.rs"]
mod articles;
#[path = "service/concurrency.rs"]
mod concurrency;
#[path = "service/http.rs"]
mod http;
#[path = "service/skills.rs"]
mod skills;
#[path = "service/users.rs"]
mod users;

use orm::schema::{ModelTable, Schema};
use orm::{ManyToManyOn, ModelRow};
use sqlx::Pool;

use app::models::{Article, ArticleCategoriesRelation, Category, Skill, User, UserSkillsRelation};

/// The example's service on the test's fresh database: the harness's fixture tables are
/// dropped, then the service creates and seeds its own (`seed::setup`, as its binary does:
/// users 1 `virk` and 2 `romain`, skills 1..=5, categories 1..=5), and serves.
async fn start<DB>(pool: &Pool<DB>) -> http::Result<http::Running>
where
    DB: orm::Backend,
    common::models::User: ModelTable<DB>,
    common::models::Skill: ModelTable<DB>,
    common::models::Tag: ModelTable<DB>,
    common::models::Group: ModelTable<DB>,
    common::models::Post: ModelTable<DB>,
    User: ModelRow<DB> + ModelTable<DB>,
    Skill: ModelRow<DB> + ModelTable<DB>,
    UserSkillsRelation: ManyToManyOn<DB>,
    Article: ModelRow<DB> + ModelTable<DB>,
    Category: ModelRow<DB> + ModelTable<DB>,
    ArticleCategoriesRelation: ManyToManyOn<DB>,
    String: orm::Bind<DB>,
{
    Schema::<DB>::new()
        .model::<common::models::User>()
        .model::<common::models::Skill>()
        .model::<common::models::Tag>()
        .model::<common::models::Group>()
        .model::<common::models::Post>()
        .drop_all(pool)
        .await?;
    app::seed::setup(pool).await?;
    http::serve(app::app(pool.clone())).await
}

/// User `id`'s skills as `GET /users?with=skills` answers them, in name order:
/// `(skill id, proficiency)`.
async fn skills_of(service: &http::Running, id: i64) -> http::Result<Vec<(i64, Option<String>)>> {
    let (status, page) = service.get("/users?with=skills&per_page=100").await?;
    if status != reqwest::StatusCode::OK {
        return Err(format!("GET /users answered {status}: {page}").into());
    }
    let users = page["data"].as_array().ok_or("no data in the page")?;
    let user = users
        .iter()
        .find(|user| user["id"] == id)
        .ok_or_else(|| format!("user {id} is not in {page}"))?;
    let skills = user["skills"].as_array().ok_or("no skills on the user")?;
    Ok(skills
        .iter()
        .map(|skill| {
            let id = skill["id"].as_i64().unwrap_or(-1);
            let level = skill["pivot"]["proficiency"].as_str().map(str::to_owned);
            (id, level)
        })
        .collect())
}
