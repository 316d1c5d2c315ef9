//! The service: an axum router over the ORM, generic over the backend, so that the example's
//! binary (`main.rs`) and its test over HTTP (`tests/service.rs`) serve the same code.
//!
//! | route | what |
//! |---|---|
//! | `GET /users?with=skills&proficiency=master&sort=-username&page=2&per_page=20` | a page of users with their skills (preload, pivot filter, pagination) |
//! | `PUT /users/{id}/skills` | `sync_with` to the body's skills, answers the `SyncReport` |
//! | `POST /users/{id}/skills/{skill}?proficiency=expert` | attach one skill |
//! | `DELETE /users/{id}/skills/{skill}` | detach one skill |
//! | `POST /articles` | an article and its categories in one transaction |
//!
//! The router's state is the sqlx pool itself (`State<Pool<DB>>`); a handler that needs a
//! transaction for the request takes the [`extract::Tx`] extractor. Errors are mapped to HTTP
//! in [`errors`].

pub mod articles;
pub mod errors;
pub mod extract;
pub mod models;
pub mod seed;
pub mod skills;
pub mod users;

use axum::Router;
use axum::routing::{get, post, put};
use orm::{ManyToManyOn, ModelRow};
use sqlx::Pool;

use models::{Article, ArticleCategoriesRelation, Category, Skill, User, UserSkillsRelation};

/// The service's routes on `pool`, for any backend the models can be read from and written to.
pub fn app<DB>(pool: Pool<DB>) -> Router
where
    DB: orm::Backend,
    User: ModelRow<DB>,
    Skill: ModelRow<DB>,
    UserSkillsRelation: ManyToManyOn<DB>,
    Article: ModelRow<DB>,
    Category: ModelRow<DB>,
    ArticleCategoriesRelation: ManyToManyOn<DB>,
    String: orm::Bind<DB>,
{
    Router::new()
        .route("/users", get(users::list::<DB>))
        .route("/users/{id}/skills", put(skills::sync::<DB>))
        .route(
            "/users/{id}/skills/{skill}",
            post(skills::attach::<DB>).delete(skills::detach::<DB>),
        )
        .route("/articles", post(articles::create::<DB>))
        .with_state(pool)
}
