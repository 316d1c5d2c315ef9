//! The ORM inside an axum HTTP service: a user's skills (sync, attach, detach), a page of users
//! with their skills preloaded and filtered on the pivot, and articles created with their
//! categories in one transaction; the ORM's typed errors answered as HTTP statuses.
//!
//! Runs on an embedded SQLite file unless `DATABASE_URL` names another database
//! (`postgres://...` or `mysql://...`); creates its tables from the models, seeds two users,
//! five skills and five categories into empty tables, and listens on 127.0.0.1:`PORT`
//! (default 3000). The README's "An HTTP service" section walks through it with curl.
//!
//! ```text
//! cargo run --example service
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres PORT=8080 cargo run --example service
//! ```

mod app;

use std::error::Error;

use sqlx::Pool;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let url = std::env::var("DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty());
    let url = url.unwrap_or_else(|| {
        let path = std::env::temp_dir().join("orm-service.db");
        format!("sqlite://{}?mode=rwc", path.display())
    });
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse().map_err(|e| format!("PORT={port}: {e}"))?,
        Err(_) => 3000,
    };
    println!("database: {url}");
    if url.starts_with("postgres") {
        serve(Pool::<sqlx::Postgres>::connect(&url).await?, port).await
    } else if url.starts_with("mysql") || url.starts_with("mariadb") {
        serve(Pool::<sqlx::MySql>::connect(&url).await?, port).await
    } else {
        serve(Pool::<sqlx::Sqlite>::connect(&url).await?, port).await
    }
}

/// Creates and seeds the tables, then serves the routes on 127.0.0.1:`port` until killed.
async fn serve<DB>(pool: Pool<DB>, port: u16) -> Result<(), Box<dyn Error>>
where
    DB: orm::Backend,
    app::models::User: orm::ModelRow<DB> + orm::schema::ModelTable<DB>,
    app::models::Skill: orm::ModelRow<DB> + orm::schema::ModelTable<DB>,
    app::models::UserSkillsRelation: orm::ManyToManyOn<DB>,
    app::models::Article: orm::ModelRow<DB> + orm::schema::ModelTable<DB>,
    app::models::Category: orm::ModelRow<DB> + orm::schema::ModelTable<DB>,
    app::models::ArticleCategoriesRelation: orm::ManyToManyOn<DB>,
    String: orm::Bind<DB>,
{
    app::seed::setup(&pool).await?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app::app(pool)).await?;
    Ok(())
}
